import { dateString, dayNumber, daysFromCivil } from '../dates.js';
import { CalendarError } from '../errors.js';
import { JD_UNIX_EPOCH, localDayOfJd, newMoonJd, solarTermJd, sunLongitudeAtJd } from './astro.js';

/** A date of the Vietnamese lunar calendar. `leap` marks a day of the leap month (tháng nhuận). */
export interface LunarDate {
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

/** A month of a lunar year. */
export interface LunarMonth {
  month: number;
  leap: boolean;
  /** First day, `YYYY-MM-DD` (solar). */
  start: string;
  /** 29 or 30 days. */
  length: 29 | 30;
}

/** A lunar year: its months in order (12, or 13 with a leap month), Tết, and its can-chi name. */
export interface LunarYearInfo {
  year: number;
  /** Tết Nguyên Đán: the first day of month 1 (solar `YYYY-MM-DD`). */
  tet: string;
  months: LunarMonth[];
  /** The leap month's number, or null. */
  leapMonth: number | null;
  /** The time zone (hours east of UTC) the year was computed for: 7 from 1968, 8 before. */
  timeZone: 7 | 8;
  canChi: { vi: string };
}

/** First and last lunar years supported. */
export const LUNAR_RANGE = Object.freeze({ from: 1900, to: 2199 });

/**
 * The era boundary: Vietnam computed its calendar for UTC+8 until the reform of 1967 (decree of
 * 8 August 1967, North Vietnam; the South followed in 1975) and for the meridian 105°E (UTC+7) since. The
 * reference tables apply UTC+7 to the computation intervals from the winter solstice of 1967 on, which
 * gives Tết 1968 on 29 January (China: 30 January).
 */
export const UTC7_FROM_SOLSTICE_OF = 1967;

const tzForInterval = (s: number): 7 | 8 => (s - 1 >= UTC7_FROM_SOLSTICE_OF ? 7 : 8);

const SYNODIC = 29.530588853;
const newMoonDay = (k: number, tz: number) => localDayOfJd(newMoonJd(k), tz);

interface Interval {
  /** Day numbers of month starts: months[i] for i in 0..n, the last being the next month 11. */
  starts: number[];
  labels: { month: number; leap: boolean }[];
}

const intervals = new Map<number, Interval>();

/** The start (day number) and new-moon index of the lunar month containing the winter solstice of solar year `s`. */
function month11(s: number, tz: number): { k: number; day: number } {
  const guess = daysFromCivil(s, 12, 21) + JD_UNIX_EPOCH;
  const solsticeDay = localDayOfJd(solarTermJd(270, guess), tz);
  let k = Math.floor((guess - 2451550.1) / SYNODIC);
  while (newMoonDay(k, tz) > solsticeDay) k--;
  while (newMoonDay(k + 1, tz) <= solsticeDay) k++;
  return { k, day: newMoonDay(k, tz) };
}

/** Sector (0-11) of the major solar term at local midnight starting a day. */
function majorSector(day: number, tz: number): number {
  const jd = day + JD_UNIX_EPOCH - tz / 24;
  return Math.floor(sunLongitudeAtJd(jd) / 30);
}

/** The months from month 11 of solar year s-1 (inclusive) to month 11 of s (exclusive), labelled. */
function interval(s: number): Interval {
  const hit = intervals.get(s);
  if (hit) return hit;
  const tz = tzForInterval(s);
  const a = month11(s - 1, tz);
  const b = month11(s, tz);
  const n = b.k - a.k;
  const starts: number[] = [];
  for (let i = 0; i <= n; i++) starts.push(i === 0 ? a.day : i === n ? b.day : newMoonDay(a.k + i, tz));
  let leapAt = -1;
  if (n === 13) {
    for (let i = 1; i < n; i++) {
      if (majorSector(starts[i]!, tz) === majorSector(starts[i + 1]!, tz)) {
        leapAt = i;
        break;
      }
    }
  }
  const labels: { month: number; leap: boolean }[] = [];
  let label = 11;
  for (let i = 0; i < n; i++) {
    if (i === leapAt) labels.push({ month: labels[i - 1]!.month, leap: true });
    else {
      labels.push({ month: label, leap: false });
      label = (label % 12) + 1;
    }
  }
  const out = { starts, labels };
  intervals.set(s, out);
  return out;
}

const CAN = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'];
const CHI = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'];

interface YearTable {
  year: number;
  starts: number[]; // month starts, plus the next year's Tết at the end
  labels: { month: number; leap: boolean }[];
  tz: 7 | 8;
}

const years = new Map<number, YearTable>();

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < LUNAR_RANGE.from || year > LUNAR_RANGE.to) {
    throw new CalendarError(
      'calendar.out_of_range',
      `Lunar year ${year} is outside ${LUNAR_RANGE.from}-${LUNAR_RANGE.to}`,
      `Năm âm lịch ${year} nằm ngoài khoảng ${LUNAR_RANGE.from}-${LUNAR_RANGE.to}`,
      {
        details: { year },
      },
    );
  }
}

function yearTable(year: number): YearTable {
  const hit = years.get(year);
  if (hit) return hit;
  checkYear(year);
  const cur = interval(year);
  const next = interval(year + 1);
  const starts: number[] = [];
  const labels: { month: number; leap: boolean }[] = [];
  const first = cur.labels.findIndex((l) => l.month === 1 && !l.leap);
  for (let i = first; i < cur.labels.length; i++) {
    starts.push(cur.starts[i]!);
    labels.push(cur.labels[i]!);
  }
  const nextFirst = next.labels.findIndex((l) => l.month === 1 && !l.leap);
  for (let i = 0; i < nextFirst; i++) {
    starts.push(next.starts[i]!);
    labels.push(next.labels[i]!);
  }
  starts.push(next.starts[nextFirst]!);
  const t: YearTable = { year, starts, labels, tz: tzForInterval(year) };
  years.set(year, t);
  return t;
}

/**
 * The lunar year `year`: its months (start and length), its leap month, Tết and its can-chi name.
 *
 * @example
 * ```ts
 * import { lunarYear } from '@motcua/calendar';
 * lunarYear(2026).tet;       // '2026-02-17'
 * lunarYear(2025).leapMonth; // 6
 * lunarYear(2026).canChi.vi; // 'Bính Ngọ'
 * ```
 */
export function lunarYear(year: number): LunarYearInfo {
  const t = yearTable(year);
  const months: LunarMonth[] = t.labels.map((l, i) => ({
    month: l.month,
    leap: l.leap,
    start: dateString(t.starts[i]!),
    length: (t.starts[i + 1]! - t.starts[i]!) as 29 | 30,
  }));
  const leap = t.labels.find((l) => l.leap);
  return {
    year,
    tet: months[0]!.start,
    months,
    leapMonth: leap ? leap.month : null,
    timeZone: t.tz,
    canChi: canChiOfYear(year),
  };
}

/**
 * The lunar date of a solar date (`YYYY-MM-DD`), Vietnamese calendar.
 *
 * @throws {@link CalendarError} for an impossible date or one outside 1900-2199.
 * @example
 * ```ts
 * import { solarToLunar } from '@motcua/calendar';
 * solarToLunar('2026-02-17'); // { year: 2026, month: 1, day: 1, leap: false }
 * solarToLunar('1985-01-21'); // { year: 1985, month: 1, day: 1, leap: false } (China: 20 February)
 * ```
 */
export function solarToLunar(date: string): LunarDate {
  const day = dayNumber(date);
  let y = Number(date.slice(0, 4));
  if (y > LUNAR_RANGE.to + 1 || y < LUNAR_RANGE.from) checkYear(y);
  let t = years.get(y) ?? (y <= LUNAR_RANGE.to ? yearTable(y) : undefined);
  if (t === undefined || day < t.starts[0]!) {
    y--;
    t = yearTable(y);
  }
  const s = t.starts;
  if (day < s[0]!) checkYear(LUNAR_RANGE.from - 1);
  let i = 0;
  while (i + 1 < s.length - 1 && s[i + 1]! <= day) i++;
  const l = t.labels[i]!;
  return { year: y, month: l.month, day: day - s[i]! + 1, leap: l.leap };
}

/**
 * The solar date (`YYYY-MM-DD`) of a lunar date.
 *
 * @throws {@link CalendarError} `calendar.lunar_invalid` for a date that does not exist (day 30 of a
 * 29-day month, a leap month the year does not have).
 * @example
 * ```ts
 * import { lunarToSolar } from '@motcua/calendar';
 * lunarToSolar({ year: 2026, month: 3, day: 10, leap: false }); // '2026-04-26' (the Hùng Kings' day)
 * ```
 */
export function lunarToSolar(date: LunarDate): string {
  const t = yearTable(date.year);
  const i = t.labels.findIndex((l) => l.month === date.month && l.leap === (date.leap === true));
  if (i < 0 || !Number.isInteger(date.day) || date.day < 1) {
    throw new CalendarError(
      'calendar.lunar_invalid',
      date.leap
        ? `Lunar year ${date.year} has no leap month ${date.month}`
        : `Month ${date.month} does not exist (1-12)`,
      date.leap
        ? `Năm âm lịch ${date.year} không có tháng ${date.month} nhuận`
        : `Không có tháng ${date.month} (1-12)`,
      { details: { field: i < 0 ? 'month' : 'day' } },
    );
  }
  const length = t.starts[i + 1]! - t.starts[i]!;
  if (date.day > length) {
    throw new CalendarError(
      'calendar.lunar_invalid',
      `Lunar month ${date.month}${date.leap ? ' (leap)' : ''} of ${date.year} has ${length} days`,
      `Tháng ${date.month}${date.leap ? ' nhuận' : ''} năm ${date.year} âm lịch có ${length} ngày`,
      {
        details: { field: 'day' },
      },
    );
  }
  return dateString(t.starts[i]! + date.day - 1);
}

/**
 * Can-chi (sexagenary) name of a lunar year, e.g. `Bính Ngọ` for 2026.
 *
 * @example
 * ```ts
 * import { canChiOfYear } from '@motcua/calendar';
 * canChiOfYear(2026); // { vi: 'Bính Ngọ' }
 * canChiOfYear(1945); // { vi: 'Ất Dậu' }
 * ```
 */
export function canChiOfYear(year: number): { vi: string } {
  return { vi: `${CAN[(((year + 6) % 10) + 10) % 10]} ${CHI[(((year + 8) % 12) + 12) % 12]}` };
}

/**
 * Can-chi names of the year, month and day of a solar date.
 *
 * @example
 * ```ts
 * canChi('2026-02-17'); // { year: 'Bính Ngọ', month: 'Canh Dần', day: '…' }
 * ```
 */
export function canChi(date: string): { year: string; month: string; day: string } {
  const l = solarToLunar(date);
  const jdn = dayNumber(date) + 2440588;
  return {
    year: canChiOfYear(l.year).vi,
    month: `${CAN[(l.year * 12 + l.month + 3) % 10]} ${CHI[(l.month + 1) % 12]}`,
    day: `${CAN[(jdn + 9) % 10]} ${CHI[(jdn + 1) % 12]}`,
  };
}

const TERM_NAMES: [string, string][] = [
  ['Xuân phân', 'Spring Equinox'],
  ['Thanh minh', 'Pure Brightness'],
  ['Cốc vũ', 'Grain Rain'],
  ['Lập hạ', 'Start of Summer'],
  ['Tiểu mãn', 'Grain Full'],
  ['Mang chủng', 'Grain in Ear'],
  ['Hạ chí', 'Summer Solstice'],
  ['Tiểu thử', 'Minor Heat'],
  ['Đại thử', 'Major Heat'],
  ['Lập thu', 'Start of Autumn'],
  ['Xử thử', 'End of Heat'],
  ['Bạch lộ', 'White Dew'],
  ['Thu phân', 'Autumn Equinox'],
  ['Hàn lộ', 'Cold Dew'],
  ['Sương giáng', "Frost's Descent"],
  ['Lập đông', 'Start of Winter'],
  ['Tiểu tuyết', 'Minor Snow'],
  ['Đại tuyết', 'Major Snow'],
  ['Đông chí', 'Winter Solstice'],
  ['Tiểu hàn', 'Minor Cold'],
  ['Đại hàn', 'Major Cold'],
  ['Lập xuân', 'Start of Spring'],
  ['Vũ thủy', 'Rain Water'],
  ['Kinh trập', 'Awakening of Insects'],
];

/** A solar term (tiết khí). */
export interface SolarTerm {
  /** The Sun's apparent longitude, a multiple of 15°. */
  longitude: number;
  name: { vi: string; en: string };
  /** Major term (trung khí: multiple of 30°), which decides the leap month. */
  major: boolean;
  /** The instant, ISO 8601 at +07:00 (to the minute). */
  instant: string;
  /** Its date at UTC+7. */
  date: string;
}

/**
 * The 24 solar terms of a solar year, in order from Tiểu hàn (early January) to Đông chí (December).
 *
 * @example
 * ```ts
 * solarTermsOf(2026).find((t) => t.name.vi === 'Đông chí')?.date; // '2026-12-22'
 * ```
 */
export function solarTermsOf(year: number): SolarTerm[] {
  checkYear(year);
  const out: SolarTerm[] = [];
  const jan1 = daysFromCivil(year, 1, 1) + JD_UNIX_EPOCH;
  for (let i = 0; i < 24; i++) {
    const lon = (285 + i * 15) % 360;
    const guess = jan1 + 5 + i * 15.2;
    const jd = solarTermJd(lon, guess);
    const ms = Math.round(((jd - JD_UNIX_EPOCH) * 86_400_000) / 60_000) * 60_000;
    const local = new Date(ms + 25_200_000).toISOString();
    const idx = lon / 15;
    out.push({
      longitude: lon,
      name: { vi: TERM_NAMES[idx]![0], en: TERM_NAMES[idx]![1] },
      major: lon % 30 === 0,
      instant: `${local.slice(0, 19)}+07:00`,
      date: local.slice(0, 10),
    });
  }
  return out;
}
