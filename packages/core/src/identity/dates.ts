const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True for a leap year of the proleptic Gregorian calendar.
 *
 * @example
 * ```ts
 * import { isLeapYear } from '@motcua/core';
 * isLeapYear(2024); // true
 * isLeapYear(1900); // false (a century not divisible by 400)
 * isLeapYear(2000); // true
 * ```
 */
export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Number of days in a Gregorian month (1-12).
 *
 * @example
 * ```ts
 * import { daysInMonth } from '@motcua/core';
 * daysInMonth(2024, 2); // 29
 * daysInMonth(2026, 2); // 28
 * daysInMonth(2026, 13); // 0 (no such month)
 * ```
 */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0);
}

/**
 * True when y-m-d is a real Gregorian date.
 *
 * @example
 * ```ts
 * import { isValidYmd } from '@motcua/core';
 * isValidYmd(2024, 2, 29); // true
 * isValidYmd(2026, 2, 29); // false
 * isValidYmd(2026, 4, 31); // false
 * isValidYmd(2026, 2, 1.5); // false: parts are whole numbers
 * ```
 */
export function isValidYmd(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) &&
    Number.isInteger(m) &&
    Number.isInteger(d) &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, m)
  );
}

/**
 * `YYYY-MM-DD` from parts (years 0-9999).
 *
 * @example
 * ```ts
 * import { formatYmd } from '@motcua/core';
 * formatYmd(2026, 7, 1); // '2026-07-01'
 * formatYmd(2026, 2, 30); // '2026-02-30' (not checked: see isValidYmd)
 * ```
 */
export function formatYmd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * Parses `YYYY-MM-DD` strictly; undefined when the form or the date is wrong.
 *
 * @example
 * ```ts
 * import { parseYmd } from '@motcua/core';
 * parseYmd('2026-07-01'); // { y: 2026, m: 7, d: 1 }
 * parseYmd('2026-02-30'); // undefined
 * parseYmd('2026-7-1'); // undefined
 * ```
 */
export function parseYmd(s: string): { y: number; m: number; d: number } | undefined {
  if (s.length !== 10 || s[4] !== '-' || s[7] !== '-') return undefined;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (y < 0 || m < 0 || d < 0 || !isValidYmd(y, m, d)) return undefined;
  return { y, m, d };
}

/** Integer value of s[from, to) when every character is an ASCII digit, else -1. */
export function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The current date at UTC+7 (Asia/Ho_Chi_Minh has no daylight saving).
 *
 * @example
 * ```ts
 * import { todayInVietnam } from '@motcua/core';
 * todayInVietnam(); // today in Vietnam, e.g. '2026-03-02'
 * todayInVietnam(Date.parse('2026-03-01T18:30:00Z')); // '2026-03-02' (01:30 in Hà Nội)
 * ```
 */
export function todayInVietnam(now: number = Date.now()): string {
  const d = new Date(now + 7 * 3_600_000);
  return formatYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
