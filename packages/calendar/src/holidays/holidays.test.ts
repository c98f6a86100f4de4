import { describe, expect, it } from 'vitest';
import { addDays, weekdayOf } from '../index.js';
import { defaultWorkCalendar } from '../work/work-calendar.js';
import { holidaysOf, SCHEDULE_YEARS, scheduleOf, workingWeekendsOf } from './holidays.js';
import { HolidayScheduleSchema } from './schema.js';

// Days off on weekdays and weekend days worked, transcribed from DOMAIN.md §4 (not from the package's data).
const DOMAIN = {
  2025: {
    off: [
      '2025-01-01',
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-04-07',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-09-01',
      '2025-09-02',
    ],
    worked: ['2025-04-26'],
  },
  2026: {
    off: [
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
      '2026-08-31',
      '2026-09-01',
      '2026-09-02',
      '2026-11-24',
    ],
    worked: ['2026-01-10', '2026-08-22'],
  },
};

describe('the official schedules, every day of 2025 and 2026 (DOMAIN.md §4)', () => {
  for (const [year, { off, worked }] of Object.entries(DOMAIN)) {
    it(`${year}: each day off, each Saturday worked, every other weekday working`, () => {
      let checked = 0;
      for (let d = `${year}-01-01`; d.startsWith(year); d = addDays(d, 1)) {
        const wd = weekdayOf(d);
        const expected = worked.includes(d) ? true : off.includes(d) ? false : wd !== 0 && wd !== 6;
        expect([d, defaultWorkCalendar.isWorkingDay(d)]).toEqual([d, expected]);
        checked++;
      }
      expect(checked).toBe(365);
    });
  }

  it('Tết 2026: Monday 16 – Friday 20 February, with its source', () => {
    const tet = holidaysOf(2026, { scope: 'civil-service' }).filter((h) =>
      h.name.en.startsWith('Lunar New Year'),
    );
    expect(tet.map((h) => h.date)).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
    expect(tet.every((h) => h.source.includes('9441/TB-BNV') && !h.provisional)).toBe(true);
  });

  it('2026: the make-up and swapped days carry their kind and document', () => {
    const special = holidaysOf(2026).filter((h) => h.kind !== 'statutory');
    expect(special.map((h) => [h.date, h.kind])).toEqual([
      ['2026-01-02', 'swapped-off'],
      ['2026-04-27', 'compensatory'],
      ['2026-08-31', 'swapped-off'],
    ]);
    expect(workingWeekendsOf(2026).map((w) => [w.date, w.swappedWith])).toEqual([
      ['2026-01-10', '2026-01-02'],
      ['2026-08-22', '2026-08-31'],
    ]);
  });

  it('ships schedules 2022-2026 and validates them', () => {
    expect(SCHEDULE_YEARS).toEqual([2022, 2023, 2024, 2025, 2026]);
    for (const y of SCHEDULE_YEARS) expect(() => HolidayScheduleSchema.parse(scheduleOf(y))).not.toThrow();
  });
});

describe('years without an announced schedule (provisional)', () => {
  it('2027: every day is provisional; Tết Đinh Mùi (Sat 6 Feb) gives 5 Feb and 8-11 Feb off', () => {
    const h = holidaysOf(2027);
    expect(h.every((x) => x.provisional === true)).toBe(true);
    const weekdaysOff = h.filter((x) => ![0, 6].includes(weekdayOf(x.date))).map((x) => x.date);
    expect(weekdaysOff).toEqual(
      expect.arrayContaining([
        '2027-01-01',
        '2027-02-05',
        '2027-02-08',
        '2027-02-09',
        '2027-02-10',
        '2027-02-11',
        '2027-04-16',
        '2027-04-30',
        '2027-09-01',
        '2027-09-02',
        '2027-11-24',
      ]),
    );
    // 1 May 2027 is a Saturday: made up on Monday 3 May (Labor Code Art. 111(3)).
    expect(h.find((x) => x.date === '2027-05-03')).toMatchObject({ kind: 'compensatory' });
    expect(defaultWorkCalendar.dayInfo('2027-02-10').reasons[0]).toMatchObject({ provisional: true });
  });

  it('Culture Day on a weekend is made up only when asked (culturalDayMakeUp)', () => {
    // 24 November 2029 is a Saturday.
    expect(weekdayOf('2029-11-24')).toBe(6);
    expect(holidaysOf(2029).some((x) => x.date === '2029-11-26')).toBe(false);
    expect(holidaysOf(2029, { culturalDayMakeUp: true }).find((x) => x.date === '2029-11-26')).toMatchObject({
      kind: 'compensatory',
    });
  });

  it('a schedule passed as data replaces the computed one', () => {
    const s2027 = HolidayScheduleSchema.parse({
      year: 2027,
      source: 'Thông báo giả định (test)',
      holidays: [
        {
          date: '2027-01-01',
          name: { vi: 'Tết Dương lịch', en: "New Year's Day" },
          kind: 'statutory',
          source: 'test',
        },
      ],
      workingWeekends: [{ date: '2027-01-09', source: 'test' }],
    });
    expect(holidaysOf(2027, { schedules: [s2027] })).toHaveLength(1);
    expect(workingWeekendsOf(2027, { schedules: [s2027] })).toHaveLength(1);
  });

  it('rejects a bad schedule and an unknown year', () => {
    const r = HolidayScheduleSchema.safeParse({
      year: 2027,
      source: 'x',
      holidays: [{ date: '2028-01-01', name: { vi: 'a', en: 'a' }, kind: 'statutory', source: 'x' }],
    });
    expect(r.success).toBe(false);
    expect(() => holidaysOf(1990)).toThrow(/2014/);
  });
});
