import { type SafeParseResult, toSafe, ValidationError } from '../errors.js';
import { digits } from './dates.js';
import { parsePersonalId } from './personal-id.js';

/** A parsed tax code (mã số thuế). */
export type TaxCodeInfo =
  | { kind: 'organization'; normalized: string; base: string }
  | { kind: 'branch'; normalized: string; base: string; branch: string }
  | { kind: 'personal'; normalized: string; base: string };

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

function fail(code: string, en: string, vi: string): never {
  throw ValidationError.of(code, [], { en, vi });
}

/**
 * The check digit of a 10-digit tax code from its first nine digits, or -1 when the prefix can never be
 * issued (weighted sum ≡ 0 mod 11). Weights 31, 29, 23, 19, 17, 13, 7, 5, 3; N10 = 10 − (S mod 11).
 *
 * @example
 * ```ts
 * import { taxCodeCheckDigit } from '@motcua/core';
 * taxCodeCheckDigit('010010910'); // 6: 0100109106 is a well-formed tax code
 * taxCodeCheckDigit('010000005'); // -1: no tax code starts with these nine digits
 * ```
 */
export function taxCodeCheckDigit(firstNine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += WEIGHTS[i]! * (firstNine.charCodeAt(i) - 48);
  const r = sum % 11;
  return r === 0 ? -1 : 10 - r;
}

function checkTen(s: string, from: number): void {
  let sum = 0;
  let middleZero = true;
  for (let i = 0; i < 9; i++) {
    const c = s.charCodeAt(from + i) - 48;
    sum += WEIGHTS[i]! * c;
    if (i >= 2 && c !== 0) middleZero = false;
  }
  if (middleZero) {
    fail(
      'tax_code.sequence_zero',
      'Digits 3-9 of a tax code cannot all be zero',
      'Chữ số 3-9 của mã số thuế không thể đều bằng 0',
    );
  }
  const r = sum % 11;
  if (r === 0 || 10 - r !== s.charCodeAt(from + 9) - 48) {
    fail(
      'tax_code.checksum',
      'The check digit (10th digit) of the tax code is wrong',
      'Chữ số kiểm tra (chữ số thứ 10) của mã số thuế không đúng',
    );
  }
}

/**
 * Reads a Vietnamese tax code (MST): 10 digits with a check digit (organisations), 13 digits for a
 * dependent unit or branch (`0123456789-001`, with or without the dash; `000` is not a branch), or,
 * from 2025-07-01 (Circular 86/2024/TT-BTC), the 12-digit personal identification number of an
 * individual or household business (no check digit: validated as a personal ID).
 *
 * `normalized` is the form to send to other systems: 10 digits, `NNNNNNNNNN-BBB` for branches, 12 digits
 * for individuals. Error codes: `tax_code.format`, `tax_code.checksum`, `tax_code.sequence_zero`,
 * `tax_code.branch_zero`, and the personal-ID codes for 12-digit numbers.
 *
 * @example
 * ```ts
 * import { parseTaxCode } from '@motcua/core';
 * parseTaxCode('0314409058002'); // { kind: 'branch', normalized: '0314409058-002', base: '0314409058', branch: '002' }
 * parseTaxCode('0100233480');    // throws ValidationError (tax_code.checksum)
 * ```
 */
export function parseTaxCode(input: string): TaxCodeInfo {
  let s = input;
  if (typeof s !== 'string')
    fail('tax_code.format', 'Tax code must be a string', 'Mã số thuế phải là chuỗi ký tự');
  const len0 = s.length;
  if (len0 !== 10 && len0 !== 13 && len0 !== 14 && len0 !== 12) s = s.trim();
  const len = s.length;
  if (len === 10) {
    if (digits(s, 0, 10) < 0)
      fail('tax_code.format', 'A 10-digit tax code has digits only', 'Mã số thuế 10 số chỉ gồm chữ số');
    checkTen(s, 0);
    return { kind: 'organization', normalized: s, base: s };
  }
  if (len === 13 || (len === 14 && s.charCodeAt(10) === 45)) {
    const branchFrom = len === 13 ? 10 : 11;
    if (digits(s, 0, 10) < 0 || digits(s, branchFrom, len) < 0) {
      fail(
        'tax_code.format',
        'A branch tax code is 10 digits, an optional dash and 3 digits',
        'Mã số thuế đơn vị phụ thuộc gồm 10 chữ số, dấu gạch (tuỳ chọn) và 3 chữ số',
      );
    }
    checkTen(s, 0);
    const branch = s.slice(branchFrom);
    if (branch === '000') {
      fail(
        'tax_code.branch_zero',
        'The branch suffix of a tax code runs from 001 to 999 (000 is invalid)',
        'Số thứ tự đơn vị phụ thuộc từ 001 đến 999 (000 không hợp lệ)',
      );
    }
    const base = s.slice(0, 10);
    return { kind: 'branch', normalized: `${base}-${branch}`, base, branch };
  }
  if (len === 12) {
    if (digits(s, 0, 12) < 0)
      fail('tax_code.format', 'A 12-digit tax code has digits only', 'Mã số thuế 12 số chỉ gồm chữ số');
    parsePersonalId(s);
    return { kind: 'personal', normalized: s, base: s };
  }
  return fail(
    'tax_code.format',
    'A tax code has 10 digits, 13 digits (branch, 10-3 with a dash) or 12 digits (personal ID)',
    'Mã số thuế gồm 10 chữ số, 13 chữ số (đơn vị phụ thuộc, dạng 10-3) hoặc 12 chữ số (số định danh cá nhân)',
  );
}

/** The safe form of {@link parseTaxCode}. */
export const safeParseTaxCode: (input: string) => SafeParseResult<TaxCodeInfo> = toSafe(parseTaxCode);
