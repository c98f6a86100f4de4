import { type SafeParseResult, toSafe, ValidationError } from '../errors.js';
import { digits, formatYmd, isValidYmd, parseYmd } from './dates.js';

/**
 * The layout of dossier codes. Decree 118/2025 Art. 28 fixes the parts (the agency's electronic
 * identifier, the receipt date, the daily sequence) but not the separators, which are in Circular
 * 03/2025/TT-VPCP; the default is the common `<agency>-<yymmdd>-<seq>` (e.g. `000.00.19.H57-250701-0001`).
 */
export interface DossierCodeFormat {
  /** Between the parts. Default `-`. */
  separator: string;
  /** Date part: `yymmdd` (default) or `yyyymmdd`. */
  dateFormat: 'yymmdd' | 'yyyymmdd';
  /** Digits of the daily sequence, zero-padded. Default 4. */
  sequenceDigits: number;
}

/** The default dossier-code layout: `<agency>-<yymmdd>-<seq4>`. */
export const DEFAULT_DOSSIER_CODE_FORMAT: Readonly<DossierCodeFormat> = Object.freeze({
  separator: '-',
  dateFormat: 'yymmdd',
  sequenceDigits: 4,
});

/** The parts of a dossier code. */
export interface DossierCodeParts {
  /** The agency's electronic identifier code, e.g. `000.00.19.H57`. */
  agencyCode: string;
  /** Receipt date `YYYY-MM-DD` (years 2000-2099 with the two-digit format). */
  receivedOn: string;
  /** Sequence number of the dossier on that day, from 1. */
  sequence: number;
}

const AGENCY_RE = /^[A-Z0-9]+(?:\.[A-Z0-9]+)*$/;

function fail(path: string, code: string, en: string, vi: string): never {
  throw ValidationError.of(code, [path], { en, vi });
}

function resolveFormat(format?: Partial<DossierCodeFormat>): DossierCodeFormat {
  const f = { ...DEFAULT_DOSSIER_CODE_FORMAT, ...format };
  if (f.separator === '' || /[A-Z0-9.]/.test(f.separator)) {
    fail(
      'format.separator',
      'dossier_code.format_separator',
      'The separator must be non-empty and not a letter, digit or dot',
      'Ký tự phân cách không được rỗng, không là chữ, số hoặc dấu chấm',
    );
  }
  if (!Number.isInteger(f.sequenceDigits) || f.sequenceDigits < 1 || f.sequenceDigits > 9) {
    fail(
      'format.sequenceDigits',
      'dossier_code.format_sequence_digits',
      'sequenceDigits must be an integer from 1 to 9',
      'sequenceDigits phải là số nguyên từ 1 đến 9',
    );
  }
  return f;
}

/**
 * Writes a dossier code (Decree 118/2025 Art. 28): agency identifier + receipt date + daily sequence.
 *
 * @example
 * ```ts
 * import { formatDossierCode } from '@motcua/core';
 * formatDossierCode({ agencyCode: '000.00.19.H57', receivedOn: '2025-07-01', sequence: 1 });
 * // '000.00.19.H57-250701-0001'
 * ```
 */
export function formatDossierCode(parts: DossierCodeParts, format?: Partial<DossierCodeFormat>): string {
  const f = resolveFormat(format);
  if (typeof parts.agencyCode !== 'string' || !AGENCY_RE.test(parts.agencyCode)) {
    fail(
      'agencyCode',
      'dossier_code.agency',
      'The agency code is upper-case letters and digits in dot-separated groups',
      'Mã cơ quan gồm chữ in hoa và chữ số, các nhóm cách nhau bởi dấu chấm',
    );
  }
  const date = parseYmd(parts.receivedOn);
  if (!date)
    fail(
      'receivedOn',
      'dossier_code.date',
      'receivedOn must be a real date YYYY-MM-DD',
      'receivedOn phải là ngày hợp lệ dạng YYYY-MM-DD',
    );
  if (f.dateFormat === 'yymmdd' && (date.y < 2000 || date.y > 2099)) {
    fail(
      'receivedOn',
      'dossier_code.date_range',
      'A two-digit year covers 2000-2099 only',
      'Năm hai chữ số chỉ biểu diễn 2000-2099',
    );
  }
  const max = 10 ** f.sequenceDigits - 1;
  if (!Number.isInteger(parts.sequence) || parts.sequence < 1 || parts.sequence > max) {
    fail(
      'sequence',
      'dossier_code.sequence',
      `The daily sequence must be an integer from 1 to ${max}`,
      `Số thứ tự trong ngày phải là số nguyên từ 1 đến ${max}`,
    );
  }
  const ymd = parts.receivedOn.replaceAll('-', '');
  const datePart = f.dateFormat === 'yymmdd' ? ymd.slice(2) : ymd;
  return `${parts.agencyCode}${f.separator}${datePart}${f.separator}${String(parts.sequence).padStart(f.sequenceDigits, '0')}`;
}

/**
 * Reads a dossier code back into its parts, checking its structure and its date.
 *
 * @example
 * ```ts
 * import { parseDossierCode } from '@motcua/core';
 * parseDossierCode('000.00.19.H57-250701-0001');
 * // { agencyCode: '000.00.19.H57', receivedOn: '2025-07-01', sequence: 1 }
 * ```
 */
export function parseDossierCode(code: string, format?: Partial<DossierCodeFormat>): DossierCodeParts {
  const f = resolveFormat(format);
  if (typeof code !== 'string')
    fail('code', 'dossier_code.structure', 'A dossier code must be text', 'Mã hồ sơ phải là chuỗi ký tự');
  const s = code.trim();
  const seqEnd = s.length;
  const seqStart = s.lastIndexOf(f.separator);
  const dateLen = f.dateFormat === 'yymmdd' ? 6 : 8;
  const dateStart = seqStart - dateLen;
  const agencyEnd = dateStart - f.separator.length;
  const structureError = (): never =>
    fail(
      'code',
      'dossier_code.structure',
      `A dossier code is <agency>${f.separator}<${f.dateFormat}>${f.separator}<${f.sequenceDigits}-digit sequence>`,
      `Mã hồ sơ có dạng <mã cơ quan>${f.separator}<${f.dateFormat}>${f.separator}<số thứ tự ${f.sequenceDigits} chữ số>`,
    );
  if (seqStart < 0 || agencyEnd < 1 || s.slice(agencyEnd, dateStart) !== f.separator) {
    structureError();
  }
  const seqText = s.slice(seqStart + f.separator.length, seqEnd);
  if (seqText.length !== f.sequenceDigits || digits(seqText, 0, seqText.length) < 0) structureError();
  const sequence = Number(seqText);
  if (sequence < 1)
    fail(
      'code',
      'dossier_code.sequence',
      'The daily sequence starts at 1',
      'Số thứ tự trong ngày bắt đầu từ 1',
    );
  const dateText = s.slice(dateStart, dateStart + dateLen);
  const n = digits(dateText, 0, dateLen);
  if (n < 0) structureError();
  const y = f.dateFormat === 'yymmdd' ? 2000 + digits(dateText, 0, 2) : digits(dateText, 0, 4);
  const m = digits(dateText, dateLen - 4, dateLen - 2);
  const d = digits(dateText, dateLen - 2, dateLen);
  if (!isValidYmd(y, m, d))
    fail(
      'code',
      'dossier_code.date',
      'The date part of the dossier code is not a real date',
      'Phần ngày của mã hồ sơ không phải là ngày có thật',
    );
  const agencyCode = s.slice(0, agencyEnd);
  if (!AGENCY_RE.test(agencyCode)) {
    fail(
      'code',
      'dossier_code.agency',
      'The agency part is upper-case letters and digits in dot-separated groups',
      'Phần mã cơ quan gồm chữ in hoa và chữ số, các nhóm cách nhau bởi dấu chấm',
    );
  }
  return { agencyCode, receivedOn: formatYmd(y, m, d), sequence };
}

/** The safe form of {@link parseDossierCode}. */
export const safeParseDossierCode: (
  code: string,
  format?: Partial<DossierCodeFormat>,
) => SafeParseResult<DossierCodeParts> = toSafe(parseDossierCode);
