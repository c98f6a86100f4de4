// @motcua/signature: the public surface. Re-exports only.
export {
  addUnsignedAttribute,
  assembleCms,
  OID,
  type PreparedCms,
  parseCertificate,
  prepareCms,
  type SignCmsOptions,
  signCms,
  signCmsDigest,
} from './cms.js';
export {
  CSC_OID,
  type CscClient,
  type CscClientOptions,
  type CscCredentialInfo,
  CscCredentialInfoSchema,
  type CscInfo,
  CscInfoSchema,
  type CscProviderOptions,
  createCscClient,
  createCscProvider,
  cscAlgorithm,
  cscAuthorizeUrl,
  cscExchangeCode,
  mapCscError,
  type Sad,
} from './csc-client.js';
export { SignatureError, type SignatureErrorCode } from './errors.js';
export { createLocalSigner } from './local-signer.js';
export {
  type CredentialDescription,
  type ProviderSignerOptions,
  providerSigner,
  type SignatureRequest,
  type SigningOperation,
  type SigningProvider,
  type SigningState,
  SigningStateSchema,
  signatureOf,
} from './provider.js';
export {
  checkSigningReadiness,
  type Delegation,
  DelegationSchema,
  type ReadinessProblem,
  SigningCredentialSchema,
  type SigningOfficer,
  SigningOfficerSchema,
} from './readiness.js';
export {
  type RemoteSigner,
  type SignatureAlgorithm,
  SignatureAlgorithmSchema,
} from './signer.js';
export {
  type CmsVerificationReport,
  CmsVerificationReportSchema,
  type VerificationFailure,
  VerificationFailureSchema,
  type VerifyCmsOptions,
  verifyCms,
} from './verify-cms.js';
