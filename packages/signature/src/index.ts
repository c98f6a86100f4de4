export { parseCertificate, type SignCmsOptions, signCms, signCmsDigest } from './cms.js';
export { SignatureError, type SignatureErrorCode } from './errors.js';
export { createLocalSigner } from './local-signer.js';
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
