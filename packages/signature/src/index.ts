// @motcua/signature: the public surface. Re-exports only.

export { createAsyncSigningProvider } from './async-provider.js';
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
  addDss,
  collectValidationMaterial,
  embedCms,
  finishPdfSignature,
  type PadesLevel,
  type PreparedPdf,
  preparePdfSignature,
  type SignPdfOptions,
  signPdf,
  timestampCms,
  type ValidationMaterial,
  type VisibleSignature,
} from './pades.js';
export {
  type CompletePdfSignatureOptions,
  completePdfSignature,
  FilePendingSignatureStore,
  handleSigningCallback,
  MemoryPendingSignatureStore,
  type PendingSignatureRecord,
  PendingSignatureRecordSchema,
  type PendingSignatureStore,
  type StartPdfSignatureOptions,
  startPdfSignature,
} from './pending.js';
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
  fetchRevocationData,
  type RevocationData,
  type RevocationStatus,
} from './revocation.js';
export {
  type RemoteSigner,
  type SignatureAlgorithm,
  SignatureAlgorithmSchema,
} from './signer.js';
export {
  createTsaClient,
  type TimestampCheck,
  type TsaClient,
  type TsaClientOptions,
  verifyTimestampToken,
} from './timestamp.js';
export {
  type CmsVerificationReport,
  CmsVerificationReportSchema,
  type VerificationFailure,
  VerificationFailureSchema,
  type VerifyCmsOptions,
  verifyCms,
} from './verify-cms.js';
export {
  type PdfFailure,
  PdfFailureSchema,
  type PdfSignatureReport,
  PdfSignatureReportSchema,
  type PdfVerificationReport,
  PdfVerificationReportSchema,
  type VerifyPdfOptions,
  verifyPdf,
} from './verify-pdf.js';
