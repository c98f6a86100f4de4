import { type SafeParseResult, toSafe, ValidationError } from '../errors.js';

/** A Vietnamese phone number in E.164 and national forms. */
export interface PhoneInfo {
  /** `+84…` */
  e164: string;
  /** `0…` as written in Vietnam. */
  national: string;
  kind: 'mobile' | 'landline';
}

// Mobile prefixes in use since the 2018 renumbering: 03x, 05x, 07x, 08x, 09x (10 digits with the 0).
// Landlines since 2017: 02 + area code, 11 digits with the 0.
const MOBILE_SECOND = new Set([3, 5, 7, 8, 9]);

/**
 * Reads a Vietnamese mobile or landline number written as `0…`, `84…` or `+84…` (spaces, dots, dashes
 * and brackets allowed) and returns it in E.164. Mobile numbers have 9 digits after the country code
 * and start with 3, 5, 7, 8 or 9; landlines have 10 and start with 2.
 *
 * @example
 * ```ts
 * import { parsePhone } from '@motcua/core';
 * parsePhone('0912 345 678').e164; // '+84912345678'
 * parsePhone('+84 24 3825 1234');   // { e164: '+842438251234', national: '02438251234', kind: 'landline' }
 * ```
 */
export function parsePhone(input: string): PhoneInfo {
  if (typeof input !== 'string') throw bad('Phone number must be text', 'Số điện thoại phải là chuỗi ký tự');
  const cleaned = input.replace(/[\s.\-()]/g, '');
  let rest: string;
  if (cleaned.startsWith('+84')) rest = cleaned.slice(3);
  else if (cleaned.startsWith('0084')) rest = cleaned.slice(4);
  else if (cleaned.startsWith('84') && (cleaned.length === 11 || cleaned.length === 12))
    rest = cleaned.slice(2);
  else if (cleaned.startsWith('0')) rest = cleaned.slice(1);
  else
    throw bad('Phone number must start with 0, 84 or +84', 'Số điện thoại phải bắt đầu bằng 0, 84 hoặc +84');
  if (rest.startsWith('0')) rest = rest.slice(1); // "+84 (0) 912…"
  if (!/^\d+$/.test(rest))
    throw bad(
      'Phone number may contain only digits and separators',
      'Số điện thoại chỉ gồm chữ số và dấu phân cách',
    );
  const first = rest.charCodeAt(0) - 48;
  if (MOBILE_SECOND.has(first)) {
    if (rest.length !== 9)
      throw bad(
        'A mobile number has 10 digits starting with 0 (9 after +84)',
        'Số di động gồm 10 chữ số bắt đầu bằng 0 (9 chữ số sau +84)',
      );
    return { e164: `+84${rest}`, national: `0${rest}`, kind: 'mobile' };
  }
  if (first === 2) {
    if (rest.length !== 10)
      throw bad(
        'A landline number has 11 digits starting with 02',
        'Số cố định gồm 11 chữ số bắt đầu bằng 02',
      );
    return { e164: `+84${rest}`, national: `0${rest}`, kind: 'landline' };
  }
  throw bad(
    'Not a Vietnamese mobile (03, 05, 07, 08, 09) or landline (02) prefix',
    'Không phải đầu số di động (03, 05, 07, 08, 09) hoặc cố định (02) của Việt Nam',
  );
}

function bad(en: string, vi: string): ValidationError {
  return ValidationError.of('phone.invalid', [], { en, vi });
}

/** The safe form of {@link parsePhone}. */
export const safeParsePhone: (input: string) => SafeParseResult<PhoneInfo> = toSafe(parsePhone);
