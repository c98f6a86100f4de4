// A deliberately naive oracle: day by day, session by session, from the calendar's day descriptions only
// (never its fast numeric paths). Used by the property tests and the benchmark's ratio.
import { addDays, dateOf, parseInstant, toInstant } from '@motcua/calendar';
import type { Channel, ProcedureLimit } from '@motcua/core';
import type { WorkingCalendar } from '../src/calendar-port.js';
import type { DeadlinePolicy } from '../src/policy.js';

const MIN = 60_000;

function sessionsOf(cal: WorkingCalendar, date: string): [number, number][] {
  const info = cal.dayInfo(date);
  if (!info.working) return [];
  return info.sessions.map((s) => [
    parseInstant(`${date}T${s.start}:00+07:00`),
    parseInstant(`${date}T${s.end}:00+07:00`),
  ]);
}

function isWorkingTime(cal: WorkingCalendar, ms: number): boolean {
  return sessionsOf(cal, dateOf(ms)).some(([a, b]) => ms >= a && ms < b);
}

function nextWorkingStart(cal: WorkingCalendar, ms: number): number {
  let d = dateOf(ms);
  for (let i = 0; i < 400; i++, d = addDays(d, 1)) {
    for (const [a, b] of sessionsOf(cal, d)) {
      if (ms < a) return a;
      if (ms < b) return ms;
    }
  }
  throw new Error('no working time within 400 days');
}

function endOfDay(cal: WorkingCalendar, date: string): number {
  const s = sessionsOf(cal, date);
  return s[s.length - 1]![1];
}

function nextWorkingDay(cal: WorkingCalendar, date: string): string {
  let d = addDays(date, 1);
  while (!cal.dayInfo(d).working) d = addDays(d, 1);
  return d;
}

/** Adds working minutes walking the sessions day by day; a result at a close stays at the close. */
export function oracleAddMinutes(cal: WorkingCalendar, fromMs: number, minutes: number): number {
  let left = minutes * MIN;
  let t = fromMs;
  let d = dateOf(fromMs);
  for (let i = 0; i < 4000; i++, d = addDays(d, 1)) {
    for (const [a, b] of sessionsOf(cal, d)) {
      if (t >= b) continue;
      const from = Math.max(t, a);
      if (left <= b - from) return from + left;
      left -= b - from;
      t = b;
    }
  }
  throw new Error('too far');
}

/** The appointment, computed naively. Mirrors the rules, not the code. */
export function oracleAppointment(
  receivedAt: string,
  limit: ProcedureLimit,
  channel: Channel,
  cal: WorkingCalendar,
  policy: DeadlinePolicy,
): { countedFrom: string; appointment: string } {
  const rec = parseInstant(receivedAt);
  const day = dateOf(rec);
  const cutoff =
    limit.cutoff ??
    (policy.paperAfterCutoff === 'always' && channel !== 'online' ? policy.paperCutoff : undefined);
  let from = rec;
  if (cutoff !== undefined && cal.dayInfo(day).working && rec > parseInstant(`${day}T${cutoff}:00+07:00`)) {
    from = nextWorkingStart(cal, endOfDay(cal, day));
  } else if (
    !isWorkingTime(cal, rec) &&
    !(channel === 'online' && policy.onlineOutsideHours === 'asReceived')
  ) {
    from = nextWorkingStart(cal, rec);
  }
  let appt: number;
  switch (limit.unit) {
    case 'workingDays':
      appt = oracleAddMinutes(cal, from, Math.round(limit.value * cal.nominalDayMinutes));
      break;
    case 'workingHours':
      appt = oracleAddMinutes(cal, from, Math.round(limit.value * 60));
      break;
    case 'calendarDays': {
      let d = addDays(dateOf(from), limit.value);
      if (!cal.dayInfo(d).working) d = nextWorkingDay(cal, d);
      appt = endOfDay(cal, d);
      break;
    }
    case 'sameDay':
      appt = endOfDay(cal, dateOf(nextWorkingStart(cal, from)));
      break;
    case 'immediate':
      appt = nextWorkingStart(cal, from);
      break;
    default:
      throw new Error(`oracle: unit ${limit.unit} not modelled`);
  }
  return { countedFrom: toInstant(from), appointment: toInstant(appt) };
}
