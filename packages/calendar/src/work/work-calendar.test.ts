import { ValidationError } from '@motcua/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../../test-utils/runs.js';
import { oracleAdd, oracleBetween, oracleIsWorkingTime } from '../../test/oracle.js';
import { CalendarError } from '../errors.js';
import { parseInstant, toInstant } from '../instant.js';
import { defaultWorkCalendar as cal, createWorkCalendar, type WorkCalendar } from './work-calendar.js';

const I = (s: string) => `${s}+07:00`;

describe('working time on the national calendar', () => {
  it('knows the default hours', () => {
    expect(cal.isWorkingTime(I('2026-03-02T07:30:00'))).toBe(true);
    expect(cal.isWorkingTime(I('2026-03-02T11:30:00'))).toBe(false);
    expect(cal.isWorkingTime(I('2026-03-02T12:59:59'))).toBe(false);
    expect(cal.isWorkingTime(I('2026-03-02T16:59:00'))).toBe(true);
    expect(cal.isWorkingTime(I('2026-03-02T17:00:00'))).toBe(false);
    expect(cal.isWorkingTime('2026-03-02T03:00:00Z')).toBe(true);
  });

  it('moves to the next working start, across Tết', () => {
    expect(cal.nextWorkingStart(I('2026-03-02T12:00:00'))).toBe(I('2026-03-02T13:00:00'));
    expect(cal.nextWorkingStart(I('2026-02-13T17:00:00'))).toBe(I('2026-02-23T07:30:00'));
    expect(cal.nextWorkingStart(I('2026-03-02T10:00:00'))).toBe(I('2026-03-02T10:00:00'));
  });

  it('adds working time; a result at a close stays at the close', () => {
    expect(cal.addWorkingTime(I('2026-03-02T07:30:00'), { days: 1 })).toBe(I('2026-03-02T17:00:00'));
    expect(cal.addWorkingTime(I('2026-03-02T07:30:00'), { hours: 4 })).toBe(I('2026-03-02T11:30:00'));
    expect(cal.addWorkingTime(I('2026-03-02T10:00:00'), { days: 3 })).toBe(I('2026-03-05T10:00:00'));
    expect(cal.addWorkingTime(I('2026-02-13T10:00:00'), { days: 3 })).toBe(I('2026-02-25T10:00:00'));
    expect(cal.addWorkingTime(I('2026-01-09T14:00:00'), { days: 1 })).toBe(I('2026-01-10T14:00:00'));
    expect(cal.addWorkingTime(I('2026-03-07T09:00:00'), { minutes: 30 })).toBe(I('2026-03-09T08:00:00'));
  });

  it('measures working time between instants, signed', () => {
    expect(cal.workingTimeBetween(I('2026-03-02T10:00:00'), I('2026-03-05T10:00:00'))).toBe(1440);
    expect(cal.workingTimeBetween(I('2026-03-05T10:00:00'), I('2026-03-02T10:00:00'))).toBe(-1440);
    expect(cal.workingTimeBetween(I('2026-02-13T17:00:00'), I('2026-02-23T07:30:00'))).toBe(0);
  });

  it('counts working days', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2026-02-14', 0)).toBe('2026-02-23');
    expect(cal.nextWorkingDay('2026-01-09')).toBe('2026-01-10');
    expect(cal.workingDaysBetween('2026-02-01', '2026-03-01')).toBe(15);
    expect(cal.startOfWorkingDay('2026-03-02')).toBe(I('2026-03-02T07:30:00'));
    expect(cal.endOfWorkingDay('2026-03-02')).toBe(I('2026-03-02T17:00:00'));
    expect(() => cal.endOfWorkingDay('2026-03-07')).toThrow(CalendarError);
  });

  it('describes days and lists the non-working ones with reasons', () => {
    expect(cal.dayInfo('2026-01-10')).toMatchObject({
      working: true,
      reasons: [{ kind: 'workingWeekend', source: '12729/VPCP-KGVX' }],
    });
    const tet = cal.nonWorkingDaysBetween('2026-02-14', '2026-02-22');
    expect(tet.map((d) => d.reasons[0]?.kind)).toEqual([
      'weekend',
      'weekend',
      'holiday',
      'holiday',
      'holiday',
      'holiday',
      'holiday',
      'weekend',
      'weekend',
    ]);
  });

  it('iterates over working periods', () => {
    const p = [...cal.workingPeriods(I('2026-03-06T10:00:00'), I('2026-03-09T12:00:00'))];
    expect(p).toEqual([
      { start: I('2026-03-06T10:00:00'), end: I('2026-03-06T11:30:00') },
      { start: I('2026-03-06T13:00:00'), end: I('2026-03-06T17:00:00') },
      { start: I('2026-03-09T07:30:00'), end: I('2026-03-09T11:30:00') },
    ]);
  });
});

describe("a unit's own calendar", () => {
  it('closures, part-day closures, seasonal hours, extra days', () => {
    const c = createWorkCalendar({
      closures: [
        { date: '2026-03-03', reason: { vi: 'Bão', en: 'Typhoon' } },
        { date: '2026-03-04', from: '13:00', to: '17:00', reason: { vi: 'Mất điện', en: 'Power cut' } },
      ],
      seasons: [
        {
          from: '05-01',
          to: '09-30',
          week: {
            mon: [
              { start: '07:00', end: '11:00' },
              { start: '13:30', end: '17:30' },
            ],
          },
        },
      ],
      extraWorkingDays: [{ date: '2026-03-07', reason: { vi: 'Cao điểm', en: 'Peak' } }],
    });
    expect(c.isWorkingDay('2026-03-03')).toBe(false);
    expect(c.dayInfo('2026-03-04').sessions).toEqual([{ start: '07:30', end: '11:30' }]);
    expect(c.isWorkingDay('2026-03-07')).toBe(true);
    expect(c.startOfWorkingDay('2026-06-01')).toBe(I('2026-06-01T07:00:00'));
    expect(c.startOfWorkingDay('2026-06-02')).toBe(I('2026-06-02T07:30:00'));
    expect(c.dayInfo('2026-03-03').reasons[0]).toMatchObject({ kind: 'closure', name: { en: 'Typhoon' } });
  });

  it('Saturday reception does not count unless asked', () => {
    const reception = { sat: [{ start: '07:30', end: '11:30' }] };
    const a = createWorkCalendar({ reception });
    expect(a.isReceptionTime(I('2026-03-07T08:00:00'))).toBe(true);
    expect(a.isWorkingTime(I('2026-03-07T08:00:00'))).toBe(false);
    const b = createWorkCalendar({ reception, countReception: true });
    expect(b.isWorkingTime(I('2026-03-07T08:00:00'))).toBe(true);
  });

  it('serialises to JSON and back', () => {
    const c = createWorkCalendar({
      closures: [{ date: '2026-03-03', reason: { vi: 'Bão', en: 'Typhoon' } }],
    });
    const again = createWorkCalendar(JSON.parse(JSON.stringify(c.config)));
    expect(again.addWorkingTime(I('2026-03-02T10:00:00'), { days: 3 })).toBe(
      c.addWorkingTime(I('2026-03-02T10:00:00'), { days: 3 }),
    );
  });
});

describe('bad input names the field and the rule', () => {
  const issue = (config: unknown) => {
    try {
      createWorkCalendar(config as never);
    } catch (e) {
      if (e instanceof ValidationError) return [e.issues[0]?.path.join('.'), e.issues[0]?.code];
      throw e;
    }
  };
  it('rejects overlapping or inverted sessions and bad closures', () => {
    expect(
      issue({
        week: {
          mon: [
            { start: '07:30', end: '11:30' },
            { start: '11:00', end: '17:00' },
          ],
        },
      }),
    ).toEqual(['config.week.mon.1.start', 'calendar.sessions_overlap']);
    expect(issue({ week: { tue: [{ start: '11:30', end: '07:30' }] } })).toEqual([
      'config.week.tue.0.end',
      'calendar.session_inverted',
    ]);
    expect(issue({ closures: [{ date: '2040-01-02', reason: { vi: 'x', en: 'x' } }] })).toEqual([
      'config.closures.0.date',
      'calendar.closure_out_of_range',
    ]);
    expect(
      issue({ closures: [{ date: '2026-01-02', from: '13:00', reason: { vi: 'x', en: 'x' } }] }),
    ).toEqual(['config.closures.0.to', 'calendar.closure_partial']);
    expect(issue({ closures: [{ date: '2025-02-30', reason: { vi: 'x', en: 'x' } }] })?.[1]).toBe(
      'date.format',
    );
  });
  it('rejects impossible dates, instants without offset, out of range', () => {
    expect(() => cal.isWorkingDay('2025-02-30')).toThrow(/real date/);
    expect(() => cal.isWorkingTime('2026-03-02T10:00:00')).toThrow(
      expect.objectContaining({ code: 'calendar.instant_offset' }),
    );
    expect(() => cal.isWorkingTime('2026-13-02T10:00:00+07:00')).toThrow(
      expect.objectContaining({ code: 'calendar.instant_invalid' }),
    );
    expect(() => cal.isWorkingDay('2040-01-02')).toThrow(
      expect.objectContaining({ code: 'calendar.out_of_range' }),
    );
    expect(() => cal.addWorkingTime(I('2026-03-02T10:00:00'), { days: -1 })).toThrow(
      expect.objectContaining({ code: 'calendar.negative_duration' }),
    );
  });
  it('formats instants at +07:00', () => {
    expect(toInstant(parseInstant('2026-02-13T03:00:00Z'))).toBe('2026-02-13T10:00:00+07:00');
    expect(toInstant(parseInstant('2026-02-13T10:00:00.250+07:00'))).toBe('2026-02-13T10:00:00.250+07:00');
    expect(parseInstant('2026-02-13T10:00+07:00')).toBe(Date.parse('2026-02-13T10:00:00+07:00'));
  });
});

describe('the fast implementation equals the day-by-day oracle', () => {
  const RUNS = propertyRuns(50_000);
  const START = Date.parse('2018-01-01T00:00:00+07:00');
  const SPAN = 9 * 365 * 86_400_000;
  const calendars: WorkCalendar[] = [
    cal,
    createWorkCalendar({
      week: {
        sat: [{ start: '08:00', end: '11:00' }],
        wed: [
          { start: '07:00', end: '12:00' },
          { start: '12:30', end: '16:30' },
        ],
      },
      closures: [
        { date: '2025-10-08', reason: { vi: 'Bão', en: 'Typhoon' } },
        { date: '2026-03-04', from: '09:00', to: '14:00', reason: { vi: 'Mất điện', en: 'Power cut' } },
      ],
      seasons: [
        {
          from: '11-01',
          to: '02-28',
          week: {
            mon: [
              { start: '08:00', end: '12:00' },
              { start: '13:30', end: '17:30' },
            ],
          },
        },
      ],
      extraWorkingDays: [{ date: '2026-02-22', reason: { vi: 'Trực Tết', en: 'Tết duty' } }],
    }),
  ];
  const instant = fc.integer({ min: START, max: START + SPAN }).map((ms) => Math.floor(ms / 60_000) * 60_000);

  it(`addWorkingTime, workingTimeBetween and isWorkingTime over ${RUNS} cases`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        instant,
        fc.integer({ min: 0, max: 60 * 480 }),
        instant,
        (ci, t, minutes, u) => {
          const c = calendars[ci]!;
          expect(c.addWorkingMinutesMs(t, minutes)).toBe(oracleAdd(c, t, minutes));
          expect(c.isWorkingTimeMs(t)).toBe(oracleIsWorkingTime(c, t));
          if (Math.abs(u - t) < 200 * 86_400_000)
            expect(c.workingMinutesBetweenMs(t, u)).toBe(oracleBetween(c, t, u));
          return true;
        },
      ),
      { numRuns: RUNS },
    );
  });
});
