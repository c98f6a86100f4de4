// @motcua/core: the public surface. Re-exports only.

export { ERROR_CODES, type ErrorCodeInfo } from './error-codes.js';
export {
  type LocalizedMessage,
  MotcuaError,
  type MotcuaErrorOptions,
  parseWith,
  type SafeParseResult,
  safeParseWith,
  toSafe,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export { type CccdQrData, formatCccdQr, parseCccdQr, safeParseCccdQr } from './identity/cccd-qr.js';
export {
  daysInMonth,
  formatYmd,
  isLeapYear,
  isValidYmd,
  parseYmd,
  todayInVietnam,
} from './identity/dates.js';
export {
  DEFAULT_DOSSIER_CODE_FORMAT,
  type DossierCodeFormat,
  type DossierCodeParts,
  formatDossierCode,
  parseDossierCode,
  safeParseDossierCode,
} from './identity/dossier-code.js';
export { maskIdentifier, maskName } from './identity/mask.js';
export {
  dossierCodeFromPaymentReference,
  PAYMENT_REFERENCE_MAX_LENGTH,
  type PaymentReferenceOptions,
  paymentReference,
  safePaymentReference,
} from './identity/payment-reference.js';
export {
  type PersonalIdInfo,
  type PersonalIdOptions,
  parseLegacyId,
  parsePersonalId,
  personalIdProvinceCodes,
  safeParseLegacyId,
  safeParsePersonalId,
} from './identity/personal-id.js';
export { type PhoneInfo, parsePhone, safeParsePhone } from './identity/phone.js';
export { parseTaxCode, safeParseTaxCode, type TaxCodeInfo, taxCodeCheckDigit } from './identity/tax-code.js';
export { type Dossier, DossierCodeSchema, DossierSchema } from './schemas/dossier.js';
export {
  AcceptedEventSchema,
  ClosedEventSchema,
  type DossierEvent,
  DossierEventSchema,
  type DossierEventType,
  type EventOf,
  ExtendedEventSchema,
  NotifiedEventSchema,
  PASSIVE_EVENT_TYPES,
  PaidEventSchema,
  PausedEventSchema,
  ReceivedEventSchema,
  RefusedEventSchema,
  RegisteredEventSchema,
  ResolvedEventSchema,
  ResumedEventSchema,
  ReturnedEventSchema,
  SignedEventSchema,
  StoppedEventSchema,
  SupplementReceivedEventSchema,
  SupplementRequestedEventSchema,
  TransferredEventSchema,
} from './schemas/events.js';
export {
  type FeeItem,
  FeeItemSchema,
  type FeeRelief,
  FeeReliefSchema,
  type FeeSchedule,
  FeeScheduleSchema,
  FeeTierSchema,
} from './schemas/fees.js';
export {
  type ProcedureLimit,
  ProcedureLimitSchema,
  type SimpleProcedureLimit,
  SimpleProcedureLimitSchema,
} from './schemas/limits.js';
export {
  type Applicant,
  ApplicantSchema,
  type Organization,
  OrganizationSchema,
  type Person,
  PersonalIdSchema,
  PersonSchema,
  PhoneSchema,
  TaxCodeSchema,
} from './schemas/person.js';
export {
  CHANNEL_PORTAL_CODES,
  type Channel,
  ChannelSchema,
  DateSchema,
  type Instant,
  InstantSchema,
  type IsoDate,
  type LocalizedText,
  LocalizedTextSchema,
  type OfficerRef,
  OfficerRefSchema,
  TimeOfDaySchema,
  VndSchema,
} from './schemas/primitives.js';
export {
  isNationalProcedureCode,
  type Procedure,
  ProcedureCodeSchema,
  ProcedureSchema,
} from './schemas/procedure.js';
export {
  DOSSIER_RECORD_CSV_COLUMNS,
  type DossierRecord,
  DossierRecordSchema,
  type DossierStatus,
  DossierStatusSchema,
  dossierRecordFromCsv,
  dossierRecordToCsvRow,
} from './schemas/record.js';
export { type Address, AddressSchema, type UnitRef, UnitRefSchema } from './schemas/units.js';
