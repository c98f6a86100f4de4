// @motcua/treasury: the public surface. Re-exports only.
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
