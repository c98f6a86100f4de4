// A deliberately simple day-by-day, minute-stepping reference for the working-time arithmetic. It reads
// only `dayInfo` (the day descriptions), never the prefix sums.

import { addDays, dateOf, parseInstant } from '../src/index.js';
import type { WorkCalendar } from '../src/work/work-calendar.js';

const MIN = 60_000;

export function sessions(cal: WorkCalendar, date: string): [number, number][] {
  return cal
    .dayInfo(date)
    .sessions.map((s) => [
      parseInstant(`${date}T${s.start}:00+07:00`),
      s.end === '24:00'
        ? parseInstant(`${addDays(date, 1)}T00:00:00+07:00`)
        : parseInstant(`${date}T${s.end}:00+07:00`),
    ]);
}

export function oracleIsWorkingTime(cal: WorkCalendar, t: number): boolean {
  return sessions(cal, dateOf(t)).some(([a, b]) => t >= a && t < b);
}

export function oracleAdd(cal: WorkCalendar, t: number, minutes: number): number {
  let left = minutes * MIN;
  let cur = t;
  for (let d = dateOf(t), i = 0; i < 5000; d = addDays(d, 1), i++) {
    for (const [a, b] of sessions(cal, d)) {
      if (cur >= b) continue;
      const from = Math.max(cur, a);
      if (left === 0) return from;
      if (left <= b - from) return from + left;
      left -= b - from;
      cur = b;
    }
  }
  throw new Error('oracle: too far');
}

export function oracleBetween(cal: WorkCalendar, a: number, b: number): number {
  if (b < a) return 0 - oracleBetween(cal, b, a) || 0;
  let total = 0;
  for (let d = dateOf(a); d <= dateOf(b); d = addDays(d, 1)) {
    for (const [s, e] of sessions(cal, d)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
  }
  return total / MIN;
}
