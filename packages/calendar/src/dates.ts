import { CalendarError } from './errors.js';

/** Days since 1970-01-01 of a proleptic Gregorian date (civil-from-days inverse, integer arithmetic). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The Gregorian date of a day number (days since 1970-01-01). */
export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d];
}

const DIM = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Day number of a `YYYY-MM-DD` date, or a CalendarError naming `field`. */
export function dayNumber(date: string, field = 'date'): number {
  if (
    typeof date === 'string' &&
    date.length === 10 &&
    date.charCodeAt(4) === 45 &&
    date.charCodeAt(7) === 45
  ) {
    const y = num(date, 0, 4);
    const m = num(date, 5, 7);
    const d = num(date, 8, 10);
    if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && leap(y) ? 29 : DIM[m - 1]!))
      return daysFromCivil(y, m, d);
  }
  throw new CalendarError(
    'calendar.date_invalid',
    `${field} must be a real date YYYY-MM-DD (got ${JSON.stringify(date)})`,
    `${field} phải là ngày hợp lệ dạng YYYY-MM-DD (nhận ${JSON.stringify(date)})`,
    {
      details: { field },
    },
  );
}

function num(s: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `YYYY-MM-DD` of a day number. */
export function dateString(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${p2(m)}-${p2(d)}`;
}

/**
 * The date `n` calendar days after `date` (negative `n` goes back).
 *
 * @example
 * ```ts
 * addDays('2026-02-28', 1); // '2026-03-01'
 * ```
 */
export function addDays(date: string, n: number): string {
  return dateString(dayNumber(date) + n);
}

/**
 * The weekday of a date, 0 = Sunday … 6 = Saturday.
 *
 * @example
 * ```ts
 * weekdayOf('2026-11-24'); // 2 (Tuesday)
 * ```
 */
export function weekdayOf(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** Weekday of a day number, 0 = Sunday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}
