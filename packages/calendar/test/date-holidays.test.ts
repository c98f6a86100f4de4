// Where the npm package date-holidays (VN) disagrees with this calendar on working days in 2025 and 2026,
// and why. The README lists the same days.
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { addDays, defaultWorkCalendar, weekdayOf } from '../src/index.js';

const WHY: Record<string, string> = {
  '2025-01-27': 'Tết: date-holidays has only New Year’s Eve and the first day',
  '2025-01-30': 'Tết (third day)',
  '2025-01-31': 'Tết (fourth day)',
  '2025-04-26': 'Saturday worked in exchange for 2 May',
  '2025-05-02': 'day off swapped for Saturday 26 April',
  '2025-09-01': 'second day of National Day (Labor Code 2019 Art. 112)',
  '2026-01-02': 'day off swapped for Saturday 10 January',
  '2026-01-10': 'Saturday worked in exchange for 2 January',
  '2026-02-18': 'Tết (second day)',
  '2026-02-19': 'Tết (third day)',
  '2026-02-20': 'Tết (fourth day)',
  '2026-04-27': 'make-up day for the Hùng Kings on Sunday 26 April',
  '2026-08-22': 'Saturday worked in exchange for 31 August',
  '2026-08-31': 'day off swapped for Saturday 22 August',
  '2026-09-01': 'second day of National Day',
  '2026-11-24': 'Vietnam Culture Day (from 2026)',
};

describe('comparison with date-holidays (VN)', () => {
  it('differs on exactly the days listed in the README, each for a known reason', () => {
    const hd = new Holidays('VN');
    const diff: string[] = [];
    for (const year of [2025, 2026]) {
      const publicDays = new Set(
        hd
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
        const wd = weekdayOf(d);
        const theirs = wd !== 0 && wd !== 6 && !publicDays.has(d);
        if (theirs !== defaultWorkCalendar.isWorkingDay(d)) diff.push(d);
      }
    }
    expect(diff).toEqual(Object.keys(WHY));
  });
});
