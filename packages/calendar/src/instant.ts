import { civilFromDays, daysFromCivil } from './dates.js';
import { CalendarError } from './errors.js';

const DAY = 86_400_000;
const OFFSET = 25_200_000; // UTC+7: Vietnam has kept it without daylight saving since 1975

function d(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

const DIM = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function bad(s: string, code: 'calendar.instant_offset' | 'calendar.instant_invalid'): never {
  if (code === 'calendar.instant_offset') {
    throw new CalendarError(
      code,
      `Instant ${JSON.stringify(s)} has no UTC offset: write it as 2026-02-13T10:00:00+07:00`,
      `Thời điểm ${JSON.stringify(s)} thiếu múi giờ: viết dạng 2026-02-13T10:00:00+07:00`,
    );
  }
  throw new CalendarError(
    code,
    `${JSON.stringify(s)} is not an ISO 8601 instant (YYYY-MM-DDTHH:MM[:SS[.sss]]±HH:MM or Z)`,
    `${JSON.stringify(s)} không phải thời điểm ISO 8601 (YYYY-MM-DDTHH:MM[:SS[.sss]]±HH:MM hoặc Z)`,
  );
}

/**
 * Epoch milliseconds of an instant: an ISO 8601 string with an offset (`Z` or `±HH:MM`), or epoch ms
 * (returned as is). A string without an offset is ambiguous and rejected.
 *
 * @throws {@link CalendarError} `calendar.instant_offset` or `calendar.instant_invalid`.
 * @example
 * ```ts
 * parseInstant('2026-02-13T10:00:00+07:00'); // 1770951600000
 * ```
 */
export function parseInstant(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) bad(String(input), 'calendar.instant_invalid');
    return input;
  }
  const s = input;
  const n = typeof s === 'string' ? s.length : 0;
  if (
    n < 16 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    (s.charCodeAt(10) !== 84 && s.charCodeAt(10) !== 116) ||
    s.charCodeAt(13) !== 58
  ) {
    bad(String(s), 'calendar.instant_invalid');
  }
  const y = d(s, 0) * 1000 + d(s, 1) * 100 + d(s, 2) * 10 + d(s, 3);
  const mo = d(s, 5) * 10 + d(s, 6);
  const da = d(s, 8) * 10 + d(s, 9);
  const h = d(s, 11) * 10 + d(s, 12);
  const mi = d(s, 14) * 10 + d(s, 15);
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = d(s, i + 1) * 10 + d(s, i + 2);
    i += 3;
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      i++;
      let scale = 100;
      const start = i;
      while (i < n) {
        const c = d(s, i);
        if (c < 0) break;
        ms += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) bad(s, 'calendar.instant_invalid');
      ms = Math.floor(ms);
    }
  }
  let off: number;
  const c = s.charCodeAt(i);
  if ((c === 90 || c === 122) && i === n - 1) off = 0;
  else if ((c === 43 || c === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = d(s, i + 1) * 10 + d(s, i + 2);
    const om = d(s, i + 4) * 10 + d(s, i + 5);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) bad(s, 'calendar.instant_invalid');
    off = (c === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  } else if (i === n) bad(s, 'calendar.instant_offset');
  else bad(s, 'calendar.instant_invalid');
  const dim = mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DIM[mo - 1];
  if (
    y < 0 ||
    mo < 1 ||
    mo > 12 ||
    da < 1 ||
    dim === undefined ||
    da > dim ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59
  ) {
    bad(s, 'calendar.instant_invalid');
  }
  return daysFromCivil(y, mo, da) * DAY + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms - off;
}

const P2 = Array.from({ length: 60 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));
// `YYYY-MM-DD` strings of recently formatted days (a direct-mapped cache: formatting is on hot paths).
const DAY_KEYS = new Float64Array(4096).fill(Number.NaN);
const DAY_TEXT: string[] = new Array(4096);

function dayText(day: number): string {
  const slot = day & 4095;
  if (DAY_KEYS[slot] === day) return DAY_TEXT[slot]!;
  const [y, m, dd] = civilFromDays(day);
  const text = `${y}-${P2[m]}-${P2[dd]}`;
  DAY_KEYS[slot] = day;
  DAY_TEXT[slot] = text;
  return text;
}

/**
 * The ISO 8601 form of an instant at +07:00, seconds always shown, milliseconds only when not zero.
 *
 * @example
 * ```ts
 * toInstant(1770951600000); // '2026-02-13T10:00:00+07:00'
 * ```
 */
export function toInstant(ms: number): string {
  const local = ms + OFFSET;
  const day = Math.floor(local / DAY);
  let rest = local - day * DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const frac = milli === 0 ? '' : `.${String(Math.round(milli)).padStart(3, '0')}`;
  return `${dayText(day)}T${P2[h]}:${P2[mi]}:${P2[s]}${frac}+07:00`;
}

/**
 * The calendar date (UTC+7) of an instant.
 *
 * @example
 * ```ts
 * dateOf(parseInstant('2026-02-13T23:30:00+07:00')); // '2026-02-13'
 * ```
 */
export function dateOf(ms: number): string {
  return dayText(Math.floor((ms + OFFSET) / DAY));
}

/** Day number (days since 1970-01-01) of the UTC+7 date of an instant. */
export function localDay(ms: number): number {
  return Math.floor((ms + OFFSET) / DAY);
}

/** Epoch ms of 00:00 UTC+7 of a day number. */
export function dayStartMs(day: number): number {
  return day * DAY - OFFSET;
}
