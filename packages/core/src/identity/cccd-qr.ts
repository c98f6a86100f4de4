import { type SafeParseResult, toSafe, ValidationError } from '../errors.js';
import { digits, formatYmd, isValidYmd } from './dates.js';
import { parsePersonalId } from './personal-id.js';

/** The content of the QR code on a chip-based citizen identity card (CCCD), typed. */
export interface CccdQrData {
  /** 12-digit personal identification number. */
  personalId: string;
  /** Old 9-digit identity card number, when the holder had one. */
  legacyId?: string;
  fullName: string;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string;
  sex: 'male' | 'female';
  /** Permanent residence as printed (may use pre-2025 unit names). */
  address: string;
  /** `YYYY-MM-DD`. */
  issueDate: string;
  /** Fields after the seventh, kept as they were (newer card designs may add some). */
  extra: string[];
}

/** Trims only when needed (a QR field rarely has surrounding spaces). */
const trim = (t: string) =>
  t.length > 0 && (t.charCodeAt(0) <= 32 || t.charCodeAt(t.length - 1) <= 32) ? t.trim() : t;

// Decomposed text (combining marks U+0300-U+036F) is rare: normalise only when present.
const COMBINING = /[\u0300-\u036f]/;
const nfc = (t: string) => (COMBINING.test(t) ? t.normalize('NFC') : t);

const FIELD_NAMES = [
  'personalId',
  'legacyId',
  'fullName',
  'dateOfBirth',
  'sex',
  'address',
  'issueDate',
] as const;

function fail(field: string, code: string, en: string, vi: string): never {
  throw ValidationError.of(code, [field], { en, vi });
}

function ddmmyyyy(value: string, field: string, label: { en: string; vi: string }): string {
  if (value.length !== 8 || digits(value, 0, 8) < 0) {
    fail(
      field,
      'cccd_qr.date_format',
      `${label.en} must be 8 digits ddMMyyyy`,
      `${label.vi} phải gồm 8 chữ số dạng ddMMyyyy`,
    );
  }
  const d = digits(value, 0, 2);
  const m = digits(value, 2, 4);
  const y = digits(value, 4, 8);
  if (!isValidYmd(y, m, d) || y < 1850) {
    fail(
      field,
      'cccd_qr.date_invalid',
      `${label.en} is not a real date`,
      `${label.vi} không phải là ngày có thật`,
    );
  }
  return formatYmd(y, m, d);
}

/**
 * Parses the text of the QR code on a chip-based citizen identity card: seven `|`-separated fields
 * (ID | old ID or empty | full name | date of birth ddMMyyyy | Nam/Nữ | permanent address | issue date
 * ddMMyyyy). The format is empirical (no published specification): a trailing `|` and extra fields are
 * tolerated, the ID and the dates are checked strictly, and errors name the field (never its value).
 *
 * @example
 * ```ts
 * import { parseCccdQr } from '@motcua/core';
 * const card = parseCccdQr('001090000001||Nguyễn Văn A|01011990|Nam|Số 1 Phố Mẫu, Phường Ba Đình, Thành phố Hà Nội|15042021');
 * card.dateOfBirth; // '1990-01-01'
 * card.sex;         // 'male'
 * ```
 */
export function parseCccdQr(text: string): CccdQrData {
  if (typeof text !== 'string')
    fail('text', 'cccd_qr.format', 'QR content must be text', 'Nội dung mã QR phải là văn bản');
  let s = text;
  const c0 = s.charCodeAt(0);
  if (c0 === 0xfeff || c0 <= 32 || s.charCodeAt(s.length - 1) <= 32) s = s.replace(/^\uFEFF/, '').trim();
  const parts = s.split('|');
  if (parts.length > 7 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length < 7) {
    fail(
      FIELD_NAMES[Math.min(parts.length, 6)]!,
      'cccd_qr.fields_missing',
      `The QR content has ${parts.length} fields separated by '|'; a citizen identity card has 7`,
      `Nội dung mã QR có ${parts.length} trường ngăn cách bởi '|'; thẻ căn cước công dân có 7 trường`,
    );
  }
  const [idRaw, legacyRaw, nameRaw, dobRaw, sexRaw, addressRaw, issueRaw] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const id = trim(idRaw);
  if (id.length !== 12 || digits(id, 0, 12) < 0) {
    fail(
      'personalId',
      'cccd_qr.personal_id',
      'The ID number field must be exactly 12 digits',
      'Trường số định danh phải gồm đúng 12 chữ số',
    );
  }
  const legacy = trim(legacyRaw);
  if (legacy !== '' && (legacy.length !== 9 || digits(legacy, 0, 9) < 0)) {
    fail(
      'legacyId',
      'cccd_qr.legacy_id',
      'The old ID number field must be empty or 9 digits',
      'Trường số CMND cũ phải để trống hoặc gồm 9 chữ số',
    );
  }
  const fullName = nfc(trim(nameRaw));
  if (fullName === '')
    fail(
      'fullName',
      'cccd_qr.full_name_missing',
      'The full name field is empty',
      'Trường họ và tên bị trống',
    );
  const dateOfBirth = ddmmyyyy(trim(dobRaw), 'dateOfBirth', { en: 'Date of birth', vi: 'Ngày sinh' });
  const sexText = sexRaw === 'Nam' ? 'nam' : sexRaw === 'Nữ' ? 'nữ' : nfc(sexRaw.trim()).toLowerCase();
  let sex: 'male' | 'female';
  if (sexText === 'nam') sex = 'male';
  else if (sexText === 'nữ' || sexText === 'nu') sex = 'female';
  else
    fail(
      'sex',
      'cccd_qr.sex',
      "The sex field must be 'Nam' or 'Nữ'",
      "Trường giới tính phải là 'Nam' hoặc 'Nữ'",
    );
  const issueDate = ddmmyyyy(trim(issueRaw), 'issueDate', { en: 'Issue date', vi: 'Ngày cấp' });
  if (issueDate < dateOfBirth) {
    fail(
      'issueDate',
      'cccd_qr.issue_before_birth',
      'The issue date is before the date of birth',
      'Ngày cấp trước ngày sinh',
    );
  }
  try {
    parsePersonalId(id, { dateOfBirth, sex, today: issueDate });
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(
        error.issues.map((i) => ({ ...i, path: ['personalId', ...i.path] })),
        { cause: error },
      );
    }
    throw error;
  }
  const data: CccdQrData = {
    personalId: id,
    fullName,
    dateOfBirth,
    sex,
    address: nfc(trim(addressRaw)),
    issueDate,
    extra: parts.slice(7),
  };
  if (legacy !== '') data.legacyId = legacy;
  return data;
}

/** The safe form of {@link parseCccdQr}. */
export const safeParseCccdQr: (text: string) => SafeParseResult<CccdQrData> = toSafe(parseCccdQr);

/**
 * Writes the QR text of a card from its data: the inverse of {@link parseCccdQr}, for tests and
 * fixtures (always synthetic people).
 *
 * @example
 * ```ts
 * formatCccdQr(parseCccdQr(text)) === text; // for a well-formed text
 * ```
 */
export function formatCccdQr(data: Omit<CccdQrData, 'extra'> & { extra?: string[] }): string {
  const dmy = (ymd: string) => `${ymd.slice(8, 10)}${ymd.slice(5, 7)}${ymd.slice(0, 4)}`;
  return [
    data.personalId,
    data.legacyId ?? '',
    data.fullName,
    dmy(data.dateOfBirth),
    data.sex === 'male' ? 'Nam' : 'Nữ',
    data.address,
    dmy(data.issueDate),
    ...(data.extra ?? []),
  ].join('|');
}
