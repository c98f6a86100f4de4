import { type SafeParseResult, toSafe, ValidationError } from '../errors.js';
import { PERSONAL_ID_PROVINCES } from '../generated/identity.js';
import { digits, parseYmd, todayInVietnam } from './dates.js';

/** What the 12 digits of a personal identification number (số định danh cá nhân) say. */
export interface PersonalIdInfo {
  /** The normalised 12-digit number. */
  id: string;
  /** Three-digit code of the province where the birth was registered (pre-2025 provinces). */
  provinceCode: string;
  /** Name of that province as in Circular 07/2016/TT-BCA (numbers never change after mergers). */
  provinceName: string;
  /** Two-digit code of the province it belongs to since 2025-07-01. */
  currentProvinceCode: string;
  /** Name of the province it belongs to since 2025-07-01. */
  currentProvinceName: string;
  sex: 'male' | 'female';
  /** Four-digit year of birth from the century digit and the two year digits. */
  birthYear: number;
}

/** Options for {@link parsePersonalId}. */
export interface PersonalIdOptions {
  /** The holder's date of birth (`YYYY-MM-DD`): its year must match the number's. */
  dateOfBirth?: string;
  /** The holder's sex: must match the number's century/gender digit. */
  sex?: 'male' | 'female';
  /** Today (`YYYY-MM-DD`) for the future-year check; defaults to the current date at UTC+7. */
  today?: string;
}

type ProvinceRow = readonly [number, string, string, string];
const PROVINCES: (ProvinceRow | undefined)[] = new Array(1000);
for (const row of PERSONAL_ID_PROVINCES) PROVINCES[row[0]] = row;

let cachedToday = '';
let cachedTodayYear = 0;
let cachedAt = 0;
function currentYear(): number {
  const now = Date.now();
  if (now - cachedAt > 60_000) {
    cachedToday = todayInVietnam(now);
    cachedTodayYear = Number(cachedToday.slice(0, 4));
    cachedAt = now;
  }
  return cachedTodayYear;
}

function fail(code: string, en: string, vi: string, path: string[] = []): never {
  throw ValidationError.of(code, path, { en, vi });
}

/**
 * Reads a 12-digit personal identification number (`PPP G YY RRRRRR`, Decree 137/2015 Art. 13 and
 * Circular 07/2016/TT-BCA): the province of birth registration, the century/gender digit and the year
 * of birth. There is no check digit, so this validates structure only; it never claims more.
 * Surrounding spaces are ignored.
 *
 * Error codes: `personal_id.format`, `personal_id.province_unknown`, `personal_id.birth_year_future`,
 * `personal_id.birth_year_mismatch`, `personal_id.sex_mismatch`, `personal_id.date_of_birth_invalid`.
 *
 * @throws {@link ValidationError} naming the part that is wrong (the number itself is never echoed).
 * @example
 * ```ts
 * import { parsePersonalId } from '@motcua/core';
 * const info = parsePersonalId('001090000001');
 * // { provinceCode: '001', provinceName: 'Hà Nội', sex: 'male', birthYear: 1990, ... }
 * parsePersonalId('001090000001', { sex: 'female' }); // throws: personal_id.sex_mismatch
 * ```
 */
export function parsePersonalId(input: string, options?: PersonalIdOptions): PersonalIdInfo {
  let s = input;
  if (typeof s !== 'string')
    fail(
      'personal_id.format',
      'Personal ID number must be a string',
      'Số định danh cá nhân phải là chuỗi ký tự',
    );
  if (s.length !== 12) s = s.trim();
  if (s.length !== 12 || digits(s, 0, 12) < 0) {
    fail(
      'personal_id.format',
      'Personal ID number must be exactly 12 digits',
      'Số định danh cá nhân phải gồm đúng 12 chữ số',
    );
  }
  const ppp = (s.charCodeAt(0) - 48) * 100 + (s.charCodeAt(1) - 48) * 10 + (s.charCodeAt(2) - 48);
  const province = PROVINCES[ppp];
  if (province === undefined) {
    fail(
      'personal_id.province_unknown',
      `Digits 1-3 (${s.slice(0, 3)}) are not a known province code of birth registration (Circular 07/2016/TT-BCA)`,
      `Ba chữ số đầu (${s.slice(0, 3)}) không phải mã tỉnh nơi đăng ký khai sinh (Thông tư 07/2016/TT-BCA)`,
    );
  }
  const g = s.charCodeAt(3) - 48;
  const birthYear = 1900 + (g >> 1) * 100 + (s.charCodeAt(4) - 48) * 10 + (s.charCodeAt(5) - 48);
  const sex = g & 1 ? 'female' : 'male';
  const thisYear = options?.today !== undefined ? Number(options.today.slice(0, 4)) : currentYear();
  if (birthYear > thisYear) {
    fail(
      'personal_id.birth_year_future',
      `Digits 4-6 give birth year ${birthYear}, which is in the future`,
      `Chữ số 4-6 cho năm sinh ${birthYear}, là năm trong tương lai`,
    );
  }
  if (options?.dateOfBirth !== undefined) {
    const dob = parseYmd(options.dateOfBirth);
    if (!dob) {
      fail(
        'personal_id.date_of_birth_invalid',
        'Date of birth must be a real date YYYY-MM-DD',
        'Ngày sinh phải là ngày hợp lệ dạng YYYY-MM-DD',
        ['dateOfBirth'],
      );
    }
    if (dob.y !== birthYear) {
      fail(
        'personal_id.birth_year_mismatch',
        `Birth year in the number (${birthYear}) differs from the date of birth (${dob.y})`,
        `Năm sinh trong số định danh (${birthYear}) khác năm của ngày sinh (${dob.y})`,
      );
    }
  }
  if (options?.sex !== undefined && options.sex !== sex) {
    fail(
      'personal_id.sex_mismatch',
      `Digit 4 says ${sex}, but the given sex is ${options.sex}`,
      `Chữ số thứ 4 cho giới tính ${sex === 'male' ? 'nam' : 'nữ'}, khác giới tính đã khai (${options.sex === 'male' ? 'nam' : 'nữ'})`,
    );
  }
  return {
    id: s,
    provinceCode: s.slice(0, 3),
    provinceName: province[1],
    currentProvinceCode: province[2],
    currentProvinceName: province[3],
    sex,
    birthYear,
  };
}

/**
 * The safe form of {@link parsePersonalId}: never throws on bad input.
 *
 * @example
 * ```ts
 * const r = safeParsePersonalId('12345');
 * if (!r.ok) console.log(r.error.issues[0].code); // 'personal_id.format'
 * ```
 */
export const safeParsePersonalId: (
  input: string,
  options?: PersonalIdOptions,
) => SafeParseResult<PersonalIdInfo> = toSafe(parsePersonalId);

/**
 * The 63 province codes a personal ID number may start with, and their names.
 *
 * @example
 * ```ts
 * import { personalIdProvinceCodes } from '@motcua/core';
 * personalIdProvinceCodes().length; // 63
 * personalIdProvinceCodes().find((p) => p.code === '017'); // { code: '017', name: 'Hòa Bình', currentProvinceCode: '25' }
 * ```
 */
export function personalIdProvinceCodes(): { code: string; name: string; currentProvinceCode: string }[] {
  return PERSONAL_ID_PROVINCES.map(([n, name, cur]) => ({
    code: String(n).padStart(3, '0'),
    name,
    currentProvinceCode: cur,
  }));
}

/**
 * Checks the form of an old 9-digit identity card number (chứng minh nhân dân). Format only: those
 * numbers carry no checkable structure.
 *
 * @example
 * ```ts
 * parseLegacyId('012345678'); // { id: '012345678' }
 * ```
 */
export function parseLegacyId(input: string): { id: string } {
  const s = typeof input === 'string' ? input.trim() : '';
  if (s.length !== 9 || digits(s, 0, 9) < 0) {
    fail(
      'legacy_id.format',
      'Old identity card number must be exactly 9 digits',
      'Số chứng minh nhân dân cũ phải gồm đúng 9 chữ số',
    );
  }
  return { id: s };
}

/** The safe form of {@link parseLegacyId}. */
export const safeParseLegacyId: (input: string) => SafeParseResult<{ id: string }> = toSafe(parseLegacyId);
