import { ValidationError } from '@motcua/core';
import { dateString, dayNumber, weekdayOfDay } from '../dates.js';
import { CalendarError } from '../errors.js';
import { type HolidayOptions, scheduleOf } from '../holidays/holidays.js';
import { dayStartMs, localDay, parseInstant, toInstant } from '../instant.js';
import { type WorkCalendarConfig, type WorkCalendarConfigInput, WorkCalendarConfigSchema } from './config.js';

const DAY = 86_400_000;
const MIN = 60_000;
const OFFSET = 25_200_000;

/** Why a day is (not) a working day. */
export interface DayReason {
  kind:
    | 'weekend'
    | 'holiday'
    | 'compensatory'
    | 'swapped-off'
    | 'closure'
    | 'workingWeekend'
    | 'extraWorkingDay';
  name?: { vi: string; en: string };
  source?: string;
  provisional?: boolean;
}

/** What the calendar says of a day. */
export interface DayInfo {
  date: string;
  working: boolean;
  reasons: DayReason[];
  /** Working sessions of the day (empty when not working; shortened by part-day closures). */
  sessions: { start: string; end: string }[];
}

/** A period of working time. */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** A duration of working time; a day is the calendar's nominal day (8 h by default). */
export interface WorkingDuration {
  days?: number;
  hours?: number;
  minutes?: number;
}

/**
 * A unit's work calendar: working days and hours at UTC+7, with the official holiday schedules. Built
 * once; every query after that is a table look-up (per-day prefix sums of working time and binary search,
 * no Date objects in the hot path).
 */
export interface WorkCalendar {
  /** The validated configuration (JSON-serialisable). */
  readonly config: WorkCalendarConfig;
  /** Minutes in a nominal working day (480). */
  readonly nominalDayMinutes: number;
  /** First and last day covered. */
  readonly range: { from: string; to: string };
  isWorkingDay(date: string): boolean;
  /** Whether the UTC+7 day containing the instant is a working day. */
  isWorkingDayMs(ms: number): boolean;
  isWorkingTime(instant: string | number): boolean;
  isWorkingTimeMs(ms: number): boolean;
  /** The instant itself in working time, else the next session start. */
  nextWorkingStart(instant: string | number): string;
  nextWorkingStartMs(ms: number): number;
  /** The working day `n` working days after `date` (n ≥ 0; n = 0 gives `date` if working, else the next working day). */
  addWorkingDays(date: string, n: number): string;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string;
  /** Adds working time; a result exactly at the close of a period stays at that close (17:00, not 07:30 next day). */
  addWorkingTime(instant: string | number, duration: WorkingDuration): string;
  addWorkingMinutesMs(ms: number, minutes: number): number;
  /** Working minutes from `a` to `b` (negative when `b` is before `a`). */
  workingTimeBetween(a: string | number, b: string | number): number;
  workingMinutesBetweenMs(a: number, b: number): number;
  /** Working days in [a, b) (negative when b < a). */
  workingDaysBetween(a: string, b: string): number;
  startOfWorkingDay(date: string): string;
  endOfWorkingDay(date: string): string;
  endOfWorkingDayMs(date: string): number;
  dayInfo(date: string): DayInfo;
  /** The day info of each non-working day in [from, to]. */
  nonWorkingDaysBetween(from: string, to: string): DayInfo[];
  /** The working periods overlapping [from, to). */
  workingPeriods(from: string | number, to: string | number): Generator<WorkingPeriod>;
  /** Reception hours (a center receiving on Saturday mornings), which do not count unless configured. */
  isReceptionTime(instant: string | number): boolean;
}

const WEEK_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const fmt = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

type Sess = { start: string; end: string }[];

function inSeason(mmdd: string, from: string, to: string): boolean {
  return from <= to ? mmdd >= from && mmdd <= to : mmdd >= from || mmdd <= to;
}

function subtract(ms: number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ms.length; i += 2) {
    const a = ms[i]!;
    const b = ms[i + 1]!;
    if (to <= a || from >= b) out.push(a, b);
    else {
      if (from > a) out.push(a, from);
      if (to < b) out.push(to, b);
    }
  }
  return out;
}

function union(x: number[], y: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < x.length; i += 2) pairs.push([x[i]!, x[i + 1]!]);
  for (let i = 0; i < y.length; i += 2) pairs.push([y[i]!, y[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [a, b] of pairs) {
    const n = out.length;
    if (n > 0 && a <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, b);
    else out.push(a, b);
  }
  return out;
}

class Calendar implements WorkCalendar {
  readonly config: WorkCalendarConfig;
  readonly nominalDayMinutes: number;
  readonly range: { from: string; to: string };
  private readonly day0: number;
  private readonly n: number;
  private built = false;
  private pattern!: Uint16Array;
  private patterns: Float64Array[] = [];
  private cum!: Float64Array; // working ms before each day; length n + 1
  private cumDays!: Int32Array; // working days before each day; length n + 1
  private readonly special = new Map<number, DayReason[]>();
  private reception: number[][] | undefined;

  constructor(config: WorkCalendarConfig) {
    this.config = config;
    this.nominalDayMinutes = config.nominalDayMinutes;
    this.day0 = dayNumber(`${config.range.from}-01-01`);
    const last = dayNumber(`${config.range.to}-12-31`);
    this.n = last - this.day0 + 1;
    this.range = { from: `${config.range.from}-01-01`, to: `${config.range.to}-12-31` };
  }

  private build(): void {
    const c = this.config;
    const n = this.n;
    const pattern = new Uint16Array(n);
    const cum = new Float64Array(n + 1);
    const cumDays = new Int32Array(n + 1);
    const keys = new Map<string, number>();
    const toMs = (s: Sess) => s.flatMap((x) => [toMin(x.start) * MIN, toMin(x.end) * MIN]);
    const week = WEEK_KEYS.map((k) => toMs(c.week[k]));
    const seasons = c.seasons.map((s) => ({
      ...s,
      days: WEEK_KEYS.map((k) => (s.week[k] ? toMs(s.week[k]!) : undefined)),
    }));
    this.reception = c.reception ? WEEK_KEYS.map((k) => toMs(c.reception?.[k] ?? [])) : undefined;
    const off = new Map<number, DayReason>();
    const worked = new Map<number, DayReason & { weekday: number }>();
    const opts: HolidayOptions = { schedules: c.schedules, culturalDayMakeUp: c.culturalDayMakeUp };
    for (let y = c.range.from; y <= c.range.to; y++) {
      const s = scheduleOf(y, opts);
      for (const h of s.holidays) {
        const reason: DayReason = {
          kind: h.kind === 'statutory' ? 'holiday' : h.kind,
          name: h.name,
          source: h.source,
        };
        if (h.provisional) reason.provisional = true;
        off.set(dayNumber(h.date), reason);
      }
      for (const w of s.workingWeekends) {
        const reason: DayReason & { weekday: number } = {
          kind: 'workingWeekend',
          name: {
            vi: `làm bù${w.swappedWith ? ` cho ngày ${w.swappedWith}` : ''}`,
            en: `worked in exchange${w.swappedWith ? ` for ${w.swappedWith}` : ''}`,
          },
          source: w.source,
          weekday: w.swappedWith ? weekdayOfDay(dayNumber(w.swappedWith)) : 1,
        };
        if (w.provisional) reason.provisional = true;
        worked.set(dayNumber(w.date), reason);
      }
    }
    const extras = new Map(c.extraWorkingDays.map((e) => [dayNumber(e.date), e]));
    const closures = new Map<number, typeof c.closures>();
    for (const cl of c.closures) {
      const d = dayNumber(cl.date);
      closures.set(d, [...(closures.get(d) ?? []), cl]);
    }
    for (let i = 0; i < n; i++) {
      const day = this.day0 + i;
      const wd = weekdayOfDay(day);
      const reasons: DayReason[] = [];
      let ms: number[];
      const mmdd = dateString(day).slice(5);
      const weekOf = (w: number) => {
        for (const s of seasons) if (s.days[w] && inSeason(mmdd, s.from, s.to)) return s.days[w]!;
        return week[w]!;
      };
      if (off.has(day)) {
        ms = [];
        reasons.push(off.get(day)!);
        if (wd === 0 || wd === 6) reasons.push({ kind: 'weekend' });
      } else if (worked.has(day)) {
        const w = worked.get(day)!;
        ms = weekOf(w.weekday);
        const { weekday: _, ...reason } = w;
        reasons.push(reason);
      } else {
        ms = weekOf(wd);
        if (ms.length === 0 && (wd === 0 || wd === 6)) reasons.push({ kind: 'weekend' });
      }
      const extra = extras.get(day);
      if (extra) {
        ms = extra.sessions ? toMs(extra.sessions) : week[1]!;
        reasons.push({ kind: 'extraWorkingDay', name: extra.reason });
      }
      if (c.countReception && this.reception && !off.has(day)) ms = union(ms, this.reception[wd]!);
      for (const cl of closures.get(day) ?? []) {
        ms = cl.from === undefined ? [] : subtract(ms, toMin(cl.from) * MIN, toMin(cl.to!) * MIN);
        reasons.push({ kind: 'closure', name: cl.reason });
      }
      if (reasons.length > 0) this.special.set(day, reasons);
      const key = ms.join(',');
      let p = keys.get(key);
      if (p === undefined) {
        p = this.patterns.length;
        keys.set(key, p);
        this.patterns.push(Float64Array.from(ms));
      }
      pattern[i] = p;
      let total = 0;
      for (let j = 0; j < ms.length; j += 2) total += ms[j + 1]! - ms[j]!;
      cum[i + 1] = cum[i]! + total;
      cumDays[i + 1] = cumDays[i]! + (total > 0 ? 1 : 0);
    }
    this.pattern = pattern;
    this.cum = cum;
    this.cumDays = cumDays;
    this.built = true;
  }

  private outOfRange(what: string): never {
    throw new CalendarError(
      'calendar.out_of_range',
      `${what} is outside the calendar's range ${this.range.from} to ${this.range.to}`,
      `${what} nằm ngoài phạm vi của lịch (${this.range.from} đến ${this.range.to})`,
      {
        details: { range: this.range },
      },
    );
  }

  private index(day: number, what: () => string): number {
    if (!this.built) this.build();
    const i = day - this.day0;
    if (i < 0 || i >= this.n) this.outOfRange(what());
    return i;
  }

  /** Working ms in the range before instant `t`. */
  private worked(t: number): number {
    const day = Math.floor((t + OFFSET) / DAY);
    const i = this.index(day, () => toInstant(t));
    const local = t + OFFSET - day * DAY;
    const p = this.patterns[this.pattern[i]!]!;
    let acc = this.cum[i]!;
    for (let j = 0; j < p.length; j += 2) {
      const a = p[j]!;
      if (local <= a) break;
      const b = p[j + 1]!;
      acc += Math.min(local, b) - a;
    }
    return acc;
  }

  /** The first instant where the working-time count exceeds `target` (target < total), or reaches it when `atClose`. */
  private instantAt(target: number, atClose: boolean): number {
    const cum = this.cum;
    let lo = 0;
    let hi = this.n - 1;
    if (atClose ? target > cum[this.n]! : target >= cum[this.n]!) this.outOfRange('The result');
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (atClose ? cum[mid + 1]! >= target : cum[mid + 1]! > target) hi = mid;
      else lo = mid + 1;
    }
    let rem = target - cum[lo]!;
    const p = this.patterns[this.pattern[lo]!]!;
    const base = (this.day0 + lo) * DAY - OFFSET;
    for (let j = 0; j < p.length; j += 2) {
      const len = p[j + 1]! - p[j]!;
      if (atClose ? rem <= len : rem < len) return base + p[j]! + rem;
      rem -= len;
    }
    return base + p[p.length - 1]!;
  }

  isWorkingTimeMs(t: number): boolean {
    const day = Math.floor((t + OFFSET) / DAY);
    const i = this.index(day, () => toInstant(t));
    const local = t + OFFSET - day * DAY;
    const p = this.patterns[this.pattern[i]!]!;
    for (let j = 0; j < p.length; j += 2) if (local >= p[j]! && local < p[j + 1]!) return true;
    return false;
  }

  isWorkingTime(instant: string | number): boolean {
    return this.isWorkingTimeMs(parseInstant(instant));
  }

  nextWorkingStartMs(t: number): number {
    if (this.isWorkingTimeMs(t)) return t;
    return this.instantAt(this.worked(t), false);
  }

  nextWorkingStart(instant: string | number): string {
    return toInstant(this.nextWorkingStartMs(parseInstant(instant)));
  }

  addWorkingMinutesMs(t: number, minutes: number): number {
    if (!(minutes >= 0)) {
      throw new CalendarError(
        'calendar.negative_duration',
        'Working time to add must be zero or positive',
        'Thời gian làm việc cộng thêm phải không âm',
        { details: { minutes } },
      );
    }
    if (minutes === 0) return this.nextWorkingStartMs(t);
    return this.instantAt(this.worked(t) + minutes * MIN, true);
  }

  addWorkingTime(instant: string | number, d: WorkingDuration): string {
    const minutes = (d.days ?? 0) * this.nominalDayMinutes + (d.hours ?? 0) * 60 + (d.minutes ?? 0);
    return toInstant(this.addWorkingMinutesMs(parseInstant(instant), minutes));
  }

  workingMinutesBetweenMs(a: number, b: number): number {
    return (this.worked(b) - this.worked(a)) / MIN;
  }

  workingTimeBetween(a: string | number, b: string | number): number {
    return this.workingMinutesBetweenMs(parseInstant(a), parseInstant(b));
  }

  private dayIndex(date: string): number {
    return this.index(dayNumber(date), () => date);
  }

  isWorkingDay(date: string): boolean {
    const i = this.dayIndex(date);
    return this.cum[i + 1]! > this.cum[i]!;
  }

  isWorkingDayMs(ms: number): boolean {
    const i = this.index(Math.floor((ms + OFFSET) / DAY), () => toInstant(ms));
    return this.cum[i + 1]! > this.cum[i]!;
  }

  nextWorkingDay(date: string): string {
    let i = this.dayIndex(date) + 1;
    while (i < this.n && this.cum[i + 1]! === this.cum[i]!) i++;
    if (i >= this.n) this.outOfRange(`The working day after ${date}`);
    return dateString(this.day0 + i);
  }

  addWorkingDays(date: string, count: number): string {
    if (!Number.isInteger(count) || count < 0) {
      throw new CalendarError(
        'calendar.negative_duration',
        'The number of working days must be a whole number ≥ 0',
        'Số ngày làm việc phải là số nguyên không âm',
        { details: { count } },
      );
    }
    const i = this.dayIndex(date);
    const target = this.cumDays[i]! + count + 1; // the working day whose cumDays[j+1] reaches target
    const cd = this.cumDays;
    if (target > cd[this.n]!) this.outOfRange(`${count} working days after ${date}`);
    let lo = i;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cd[mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return dateString(this.day0 + lo);
  }

  workingDaysBetween(a: string, b: string): number {
    const ia = this.dayIndex(a);
    const ib = this.dayIndex(b);
    return this.cumDays[ib]! - this.cumDays[ia]!;
  }

  private sessionsMs(date: string): Float64Array {
    const i = this.dayIndex(date);
    return this.patterns[this.pattern[i]!]!;
  }

  private notWorking(date: string): never {
    throw new CalendarError(
      'calendar.not_working_day',
      `${date} is not a working day`,
      `${date} không phải ngày làm việc`,
      { details: { date } },
    );
  }

  endOfWorkingDayMs(date: string): number {
    const p = this.sessionsMs(date);
    if (p.length === 0) this.notWorking(date);
    return dayStartMs(dayNumber(date)) + p[p.length - 1]!;
  }

  endOfWorkingDay(date: string): string {
    return toInstant(this.endOfWorkingDayMs(date));
  }

  startOfWorkingDay(date: string): string {
    const p = this.sessionsMs(date);
    if (p.length === 0) this.notWorking(date);
    return toInstant(dayStartMs(dayNumber(date)) + p[0]!);
  }

  dayInfo(date: string): DayInfo {
    const p = this.sessionsMs(date);
    const sessions: { start: string; end: string }[] = [];
    for (let j = 0; j < p.length; j += 2)
      sessions.push({ start: fmt(p[j]! / MIN), end: fmt(p[j + 1]! / MIN) });
    const reasons = (this.special.get(dayNumber(date)) ?? []).map((r) => ({ ...r }));
    return { date, working: p.length > 0, reasons, sessions };
  }

  nonWorkingDaysBetween(from: string, to: string): DayInfo[] {
    const out: DayInfo[] = [];
    const a = this.dayIndex(from);
    const b = this.dayIndex(to);
    for (let i = a; i <= b; i++)
      if (this.cum[i + 1]! === this.cum[i]!) out.push(this.dayInfo(dateString(this.day0 + i)));
    return out;
  }

  *workingPeriods(from: string | number, to: string | number): Generator<WorkingPeriod> {
    const a = parseInstant(from);
    const b = parseInstant(to);
    for (let day = localDay(a); dayStartMs(day) < b; day++) {
      const i = this.index(day, () => dateString(day));
      const p = this.patterns[this.pattern[i]!]!;
      const base = dayStartMs(day);
      for (let j = 0; j < p.length; j += 2) {
        const s = Math.max(base + p[j]!, a);
        const e = Math.min(base + p[j + 1]!, b);
        if (s < e) yield { start: toInstant(s), end: toInstant(e) };
      }
    }
  }

  isReceptionTime(instant: string | number): boolean {
    const t = parseInstant(instant);
    if (this.isWorkingTimeMs(t)) return true;
    if (!this.reception) return false;
    const day = localDay(t);
    if (
      this.special
        .get(day)
        ?.some(
          (r) =>
            r.kind === 'holiday' ||
            r.kind === 'compensatory' ||
            r.kind === 'swapped-off' ||
            r.kind === 'closure',
        )
    )
      return false;
    const local = t + OFFSET - day * DAY;
    const r = this.reception[weekdayOfDay(day)]!;
    for (let j = 0; j < r.length; j += 2) if (local >= r[j]! && local < r[j + 1]!) return true;
    return false;
  }
}

/**
 * A unit's work calendar from its configuration (validated: a bad config gives a ValidationError naming
 * the field and the rule).
 *
 * @example
 * ```ts
 * import { createWorkCalendar } from '@motcua/calendar';
 * const cal = createWorkCalendar({ closures: [{ date: '2026-03-03', reason: { vi: 'Bão', en: 'Typhoon' } }] });
 * cal.addWorkingTime('2026-03-02T10:00:00+07:00', { days: 3 }); // '2026-03-06T10:00:00+07:00'
 * ```
 */
export function createWorkCalendar(config: WorkCalendarConfigInput = {}): WorkCalendar {
  const r = WorkCalendarConfigSchema.safeParse(config);
  if (!r.success) throw ValidationError.fromZod(r.error, ['config']);
  return new Calendar(r.data);
}

/**
 * The national civil-service calendar with default hours (Monday-Friday 07:30-11:30, 13:00-17:00), the
 * official schedules and the computed (provisional) ones, 2014-2035.
 *
 * @example
 * ```ts
 * import { defaultWorkCalendar } from '@motcua/calendar';
 * defaultWorkCalendar.isWorkingDay('2026-01-10'); // true: a Saturday worked in exchange for 2 January
 * ```
 */
export const defaultWorkCalendar: WorkCalendar = createWorkCalendar();
