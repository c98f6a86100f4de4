import { type SafeParseResult, toSafe, ValidationError } from '../errors.js';
import { type DossierCodeFormat, formatDossierCode, parseDossierCode } from './dossier-code.js';

/** The longest reference the strictest known payment gateway accepts in a transfer's content. */
export const PAYMENT_REFERENCE_MAX_LENGTH = 19;

/** Options of {@link paymentReference} and {@link dossierCodeFromPaymentReference}. */
export interface PaymentReferenceOptions {
  /** The dossier-code layout in use (default `<agency>-<yymmdd>-<seq4>`). */
  format?: Partial<DossierCodeFormat>;
}

// Electronic identifier codes of agencies (Decision 20/2020/QĐ-TTg): four dot-separated groups,
// `LLL.LL.LL.XNN`, whose last group is the level-1 unit (a province: H + two digits). Inside one
// province that group is constant, so the reference drops it.
const STRUCTURED_AGENCY = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$/;

function fail(code: string, en: string, vi: string): never {
  throw ValidationError.of(code, [], { en, vi });
}

/**
 * A short payment reference for a dossier, for the content of a bank transfer or a VietQR code: at most
 * 19 characters from `[A-Z0-9]`, unique within a province, and reversible with
 * {@link dossierCodeFromPaymentReference}. For an agency code of the national form `LLL.LL.LL.HNN` it is
 * the seven digits of the first three groups + the date + the sequence (17 characters by default).
 * Other agency codes are used without their dots when the result fits.
 *
 * @example
 * ```ts
 * import { paymentReference, dossierCodeFromPaymentReference } from '@motcua/core';
 * paymentReference('000.00.19.H57-250701-0001'); // '00000192507010001'
 * dossierCodeFromPaymentReference('00000192507010001', { provinceGroup: 'H57' }); // '000.00.19.H57-250701-0001'
 * ```
 */
export function paymentReference(dossierCode: string, options: PaymentReferenceOptions = {}): string {
  const parts = parseDossierCode(dossierCode, options.format);
  const code = formatDossierCode(parts, { ...options.format, separator: '-' });
  const datePart = code.slice(parts.agencyCode.length + 1).replace('-', '');
  const m = STRUCTURED_AGENCY.exec(parts.agencyCode);
  const agency = m ? `${m[1]}${m[2]}${m[3]}` : parts.agencyCode.replaceAll('.', '');
  const ref = agency + datePart;
  if (ref.length > PAYMENT_REFERENCE_MAX_LENGTH) {
    fail(
      'payment_reference.too_long',
      `The payment reference would have ${ref.length} characters; at most ${PAYMENT_REFERENCE_MAX_LENGTH} are allowed (use an agency code of the form LLL.LL.LL.HNN)`,
      `Mã tham chiếu thanh toán sẽ dài ${ref.length} ký tự; tối đa ${PAYMENT_REFERENCE_MAX_LENGTH} ký tự (dùng mã cơ quan dạng LLL.LL.LL.HNN)`,
    );
  }
  return ref;
}

/**
 * The dossier code a payment reference was made from. `provinceGroup` is the last group of the
 * province's agency codes (e.g. `H57`); `agencies` lists the agency codes of other forms to match.
 *
 * @example
 * ```ts
 * dossierCodeFromPaymentReference('00000192507010001', { provinceGroup: 'H57' }); // '000.00.19.H57-250701-0001'
 * ```
 */
export function dossierCodeFromPaymentReference(
  reference: string,
  options: PaymentReferenceOptions & { provinceGroup?: string; agencies?: readonly string[] },
): string {
  const ref = typeof reference === 'string' ? reference.trim().toUpperCase() : '';
  if (!/^[A-Z0-9]{1,19}$/.test(ref)) {
    fail(
      'payment_reference.format',
      'A payment reference is 1 to 19 characters A-Z and 0-9',
      'Mã tham chiếu thanh toán gồm 1 đến 19 ký tự A-Z và 0-9',
    );
  }
  const seqDigits = options.format?.sequenceDigits ?? 4;
  const dateLen = options.format?.dateFormat === 'yyyymmdd' ? 8 : 6;
  const agencyLen = ref.length - dateLen - seqDigits;
  const compact = ref.slice(0, agencyLen);
  let agencyCode: string | undefined;
  for (const a of options.agencies ?? []) {
    if (a.replaceAll('.', '') === compact && !STRUCTURED_AGENCY.test(a)) agencyCode = a;
  }
  if (agencyCode === undefined && options.provinceGroup !== undefined && /^\d{7}$/.test(compact)) {
    agencyCode = `${compact.slice(0, 3)}.${compact.slice(3, 5)}.${compact.slice(5, 7)}.${options.provinceGroup}`;
  }
  if (agencyCode === undefined) {
    fail(
      'payment_reference.agency_unknown',
      'The agency part of the payment reference matches no known agency',
      'Phần mã cơ quan của mã tham chiếu không khớp cơ quan nào đã biết',
    );
  }
  const date = ref.slice(agencyLen, agencyLen + dateLen);
  const seq = ref.slice(agencyLen + dateLen);
  const sep = options.format?.separator ?? '-';
  const code = `${agencyCode}${sep}${date}${sep}${seq}`;
  parseDossierCode(code, options.format);
  return code;
}

/** The safe form of {@link paymentReference}. */
export const safePaymentReference: (
  dossierCode: string,
  options?: PaymentReferenceOptions,
) => SafeParseResult<string> = toSafe(paymentReference);
