// @motcua/treasury: the public surface. Re-exports only.

export {
  CALLBACK_SIGNATURE_HEADER,
  MemoryNonceStore,
  type NonceStore,
  signCallback,
  type VerifyCallbackInput,
  verifyCallback,
} from './callback.js';
export { TreasuryError, type TreasuryErrorOptions } from './errors.js';
export {
  computeFees,
  defineTariffs,
  type FeeComputation,
  type FeeLine,
  type FeeOptions,
  type FeeProcedure,
  type FeeRequest,
  type FeeRequestInput,
  FeeRequestSchema,
  type FeeSettings,
  type FeeWarning,
  STATUTORY_RELIEFS,
  type TariffEntry,
  TariffEntrySchema,
} from './fees.js';
export {
  type CallbackOutcome,
  type CreatePaymentRequest,
  CreatePaymentRequestSchema,
  createPaymentClient,
  httpPaymentProvider,
  type LedgerEntry,
  type Payment,
  type PaymentCallback,
  PaymentCallbackSchema,
  type PaymentClient,
  type PaymentClientOptions,
  PaymentLedger,
  type PaymentLedgerOptions,
  type PaymentProvider,
  PaymentSchema,
  type PaymentStatus,
  PaymentStatusSchema,
} from './payments.js';
export {
  crc16,
  decodeVietQr,
  type EncodeVietQrOptions,
  encodeVietQr,
  NAPAS_GUID,
  type RenderVietQrOptions,
  renderVietQr,
  VIETQR_SAFE_PURPOSE_LENGTH,
  VIETQR_SERVICES,
  type VietQrData,
  type VietQrInput,
  type VietQrService,
  type VietQrWarning,
  vietQrPurposeWarnings,
} from './vietqr.js';
export { type AmountInWordsOptions, amountInWords, formatVnd } from './words.js';
