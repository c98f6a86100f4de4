import { dateString, dayNumber, weekdayOfDay } from '../dates.js';
import { CalendarError } from '../errors.js';
import { lunarToSolar, lunarYear } from '../lunar/lunar.js';
import { HOLIDAY_NAMES as N, OFFICIAL_SCHEDULES } from './official.js';
import { type Holiday, type HolidaySchedule, HolidayScheduleSchema, type WorkingWeekend } from './schema.js';

/** Options of {@link holidaysOf}. */
export interface HolidayOptions {
  /** Only the civil-service schedule exists today. */
  scope?: 'civil-service';
  /** Extra or newer schedules (JSON validated by {@link HolidayScheduleSchema}); they replace built-in ones of the same year. */
  schedules?: readonly HolidaySchedule[];
  /** Whether Vietnam Culture Day (24/11) falling on a weekend is made up. Default false (not in Art. 112). */
  culturalDayMakeUp?: boolean;
}

const BUILT_IN = new Map<number, HolidaySchedule>(
  OFFICIAL_SCHEDULES.map((s) => [s.year, HolidayScheduleSchema.parse(s)]),
);

/** Years whose schedule ships as data (from official notices). */
export const SCHEDULE_YEARS: readonly number[] = Object.freeze([...BUILT_IN.keys()].sort());

/** First and last years holidays can be given for (the Labor Code 2012 applies from 2013-05-01). */
export const HOLIDAY_RANGE = Object.freeze({ from: 2014, to: 2199 });

const isWeekend = (day: number) => {
  const w = weekdayOfDay(day);
  return w === 0 || w === 6;
};

/**
 * The days off of a year without an announced schedule, by the Labor Code: statutory holidays of Art. 112
 * (Tết as the last day of the old year + the first four days of the new one, the pattern of recent
 * notices; the second day of 2/9 (from 2021) the day before, or the day after when 2/9 is a Monday), then
 * Art. 111(3): a holiday on a weekly rest day is made up on the next working day. Every day is provisional.
 */
function computedSchedule(year: number, culturalDayMakeUp: boolean): HolidaySchedule {
  const law =
    year >= 2021 ? 'Bộ luật Lao động 45/2019/QH14 Điều 112' : 'Bộ luật Lao động 10/2012/QH13 Điều 115';
  const makeUpLaw =
    year >= 2021 ? 'Bộ luật Lao động 45/2019/QH14 Điều 111(3)' : 'Bộ luật Lao động 10/2012/QH13 Điều 110(3)';
  const src = `${law} (tạm tính: chưa có thông báo lịch nghỉ)`;
  const statutory: { day: number; name: { vi: string; en: string }; makeUp: boolean; source: string }[] = [];
  const add = (day: number, name: { vi: string; en: string }, makeUp = true, source = src) =>
    statutory.push({ day, name, makeUp, source });
  add(dayNumber(`${year}-01-01`), N.newYear);
  const tet = dayNumber(lunarYear(year).tet);
  for (let i = -1; i <= 3; i++) add(tet + i, N.tet);
  add(dayNumber(lunarToSolar({ year, month: 3, day: 10, leap: false })), N.hung);
  add(dayNumber(`${year}-04-30`), N.reunification);
  add(dayNumber(`${year}-05-01`), N.labour);
  const sep2 = dayNumber(`${year}-09-02`);
  add(sep2, N.national);
  if (year >= 2021) add(weekdayOfDay(sep2) === 1 ? sep2 + 1 : sep2 - 1, N.national);
  if (year >= 2026)
    add(
      dayNumber(`${year}-11-24`),
      N.culture,
      culturalDayMakeUp,
      'Nghị quyết 28/2026/QH16 Điều 2 (tạm tính)',
    );
  statutory.sort((a, b) => a.day - b.day);
  const off = new Set(statutory.map((s) => s.day));
  const holidays: Holiday[] = statutory.map((s) => ({
    date: dateString(s.day),
    name: s.name,
    kind: 'statutory',
    source: s.source,
    provisional: true,
  }));
  // Make-up days: for each holiday on a weekend, the next day that is neither a weekend nor already off.
  for (const s of statutory) {
    if (!isWeekend(s.day) || !s.makeUp) continue;
    let d = s.day + 1;
    while (isWeekend(d) || off.has(d)) d++;
    off.add(d);
    holidays.push({
      date: dateString(d),
      name: { vi: `nghỉ bù ${s.name.vi}`, en: `make-up day for ${s.name.en}` },
      kind: 'compensatory',
      source: `${makeUpLaw} (tạm tính)`,
      provisional: true,
    });
  }
  holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { year, source: `${law}; ${makeUpLaw} (tạm tính)`, holidays, workingWeekends: [] };
}

/**
 * The schedule in force for a year: a given one, else the built-in data, else computed (provisional).
 *
 * @example
 * ```ts
 * import { scheduleOf } from '@motcua/calendar';
 * scheduleOf(2026).workingWeekends;
 * // [{ date: '2026-01-10', swappedWith: '2026-01-02', source: '12729/VPCP-KGVX' },
 * //  { date: '2026-08-22', swappedWith: '2026-08-31', source: 'Thông báo 9441/TB-BNV' }]
 * scheduleOf(2030).holidays[0]; // { date: '2030-01-01', kind: 'statutory', provisional: true, … }: computed, none announced yet
 * ```
 */
export function scheduleOf(year: number, options: HolidayOptions = {}): HolidaySchedule {
  if (!Number.isInteger(year) || year < HOLIDAY_RANGE.from || year > HOLIDAY_RANGE.to) {
    throw new CalendarError(
      'calendar.out_of_range',
      `Holidays are known for ${HOLIDAY_RANGE.from}-${HOLIDAY_RANGE.to}, not ${year}`,
      `Chỉ có lịch nghỉ cho các năm ${HOLIDAY_RANGE.from}-${HOLIDAY_RANGE.to}, không có năm ${year}`,
      {
        details: { field: 'year', year },
      },
    );
  }
  const given = options.schedules?.find((s) => s.year === year);
  if (given) return given;
  const built = BUILT_IN.get(year);
  if (built) {
    if (options.culturalDayMakeUp && year >= 2026) return withCultureMakeUp(built);
    return built;
  }
  return computedSchedule(year, options.culturalDayMakeUp === true);
}

function withCultureMakeUp(s: HolidaySchedule): HolidaySchedule {
  const culture = s.holidays.find((h) => h.date.endsWith('-11-24'));
  if (!culture) return s;
  const day = dayNumber(culture.date);
  if (!isWeekend(day)) return s;
  const off = new Set(s.holidays.map((h) => dayNumber(h.date)));
  let d = day + 1;
  while (isWeekend(d) || off.has(d)) d++;
  return {
    ...s,
    holidays: [
      ...s.holidays,
      {
        date: dateString(d),
        name: { vi: `nghỉ bù ${N.culture.vi}`, en: `make-up day for ${N.culture.en}` },
        kind: 'compensatory' as const,
        source: 'culturalDayMakeUp=true',
        provisional: true,
      },
    ].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
}

/**
 * The days off for civil servants in a year, each with its date, name (vi, en), kind (`statutory`,
 * `compensatory`, `swapped-off`) and source; `provisional: true` for days computed without an announced
 * schedule (2027 today).
 *
 * @example
 * ```ts
 * import { holidaysOf } from '@motcua/calendar';
 * holidaysOf(2026, { scope: 'civil-service' }).filter((h) => h.kind !== 'statutory');
 * // [{ date: '2026-01-02', kind: 'swapped-off', source: '12729/VPCP-KGVX', … },
 * //  { date: '2026-04-27', kind: 'compensatory', … }, { date: '2026-08-31', kind: 'swapped-off', … }]
 * ```
 */
export function holidaysOf(year: number, options: HolidayOptions = {}): Holiday[] {
  return scheduleOf(year, options).holidays.map((h) => ({ ...h }));
}

/**
 * The weekend days worked in exchange for a day off in a year (làm bù).
 *
 * @example
 * ```ts
 * workingWeekendsOf(2026).map((d) => d.date); // ['2026-01-10', '2026-08-22']
 * ```
 */
export function workingWeekendsOf(year: number, options: HolidayOptions = {}): WorkingWeekend[] {
  return scheduleOf(year, options).workingWeekends.map((w) => ({ ...w }));
}
