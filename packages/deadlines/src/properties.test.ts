import { createWorkCalendar, dateOf, defaultWorkCalendar, parseInstant, toInstant } from '@motcua/calendar';
import type { DossierEvent, ProcedureLimit } from '@motcua/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-utils/runs.js';
import { oracleAppointment } from '../test/oracle.js';
import { computeAppointment } from './appointment.js';
import { resolvePolicy } from './policy.js';
import { replay } from './replay.js';

const RUNS = propertyRuns(50_000);
const START = Date.parse('2025-07-01T00:00:00+07:00');
const END = Date.parse('2027-06-30T00:00:00+07:00');

const instant = fc.integer({ min: START, max: END }).map((ms) => toInstant(Math.floor(ms / 60_000) * 60_000));
const limit: fc.Arbitrary<ProcedureLimit> = fc.oneof(
  fc.record({ unit: fc.constant('workingDays' as const), value: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ unit: fc.constant('workingDays' as const), value: fc.constantFrom(0.5, 1.5, 2.5) }),
  fc.record({ unit: fc.constant('workingHours' as const), value: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ unit: fc.constant('calendarDays' as const), value: fc.integer({ min: 1, max: 45 }) }),
  fc.constant({ unit: 'sameDay' as const, cutoff: '15:00' }),
  fc.constant({ unit: 'sameDay' as const }),
  fc.constant({ unit: 'immediate' as const }),
  fc.record({
    unit: fc.constant('workingDays' as const),
    value: fc.integer({ min: 1, max: 10 }),
    cutoff: fc.constantFrom('15:00', '16:30'),
  }),
);
const channel = fc.constantFrom('direct' as const, 'online' as const, 'postal' as const);
const policy = fc.record({
  onlineOutsideHours: fc.constantFrom('nextWorkingStart' as const, 'asReceived' as const),
  paperAfterCutoff: fc.constantFrom('whereLimitSays' as const, 'always' as const),
});
const closureDay = fc.integer({ min: 0, max: 700 }).map((d) => dateOf(START + d * 86_400_000));
const calendars = [
  defaultWorkCalendar,
  createWorkCalendar({
    closures: [
      { date: '2025-10-08', reason: { vi: 'Bão', en: 'Typhoon' } },
      { date: '2026-03-04', from: '13:00', to: '17:00', reason: { vi: 'Mất điện', en: 'Power cut' } },
    ],
  }),
];

describe('computeAppointment equals the day-by-day oracle', () => {
  it(`over ${RUNS} random receipts, limits, channels, policies and calendars`, () => {
    fc.assert(
      fc.property(
        instant,
        limit,
        channel,
        policy,
        fc.integer({ min: 0, max: calendars.length - 1 }),
        (receivedAt, l, ch, p, ci) => {
          const cal = calendars[ci]!;
          const got = computeAppointment({ receivedAt, limit: l, channel: ch, calendar: cal, policy: p });
          const want = oracleAppointment(receivedAt, l, ch, cal, resolvePolicy(p));
          expect({ countedFrom: got.countedFrom, appointment: got.appointment }).toEqual(want);
          return true;
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('invariants', () => {
  it('an appointment never falls outside working time (or is the close of a working period)', () => {
    fc.assert(
      fc.property(instant, limit, channel, (receivedAt, l, ch) => {
        const ms = parseInstant(computeAppointment({ receivedAt, limit: l, channel: ch }).appointment);
        return defaultWorkCalendar.isWorkingTimeMs(ms) || defaultWorkCalendar.isWorkingTimeMs(ms - 60_000);
      }),
      { numRuns: Math.ceil(RUNS / 5) },
    );
  });

  it('adding a closure never makes an appointment earlier', () => {
    fc.assert(
      fc.property(
        instant,
        limit,
        channel,
        fc.array(closureDay, { maxLength: 5 }),
        (receivedAt, l, ch, days) => {
          const cal = createWorkCalendar({
            closures: days.map((date) => ({ date, reason: { vi: 'Đóng cửa', en: 'Closed' } })),
          });
          const a = parseInstant(computeAppointment({ receivedAt, limit: l, channel: ch }).appointment);
          const b = parseInstant(
            computeAppointment({ receivedAt, limit: l, channel: ch, calendar: cal }).appointment,
          );
          return b >= a;
        },
      ),
      { numRuns: Math.ceil(RUNS / 25) },
    );
  });

  it('the status at `at` never depends on events after `at`', () => {
    const step = fc.integer({ min: 1, max: 3 * 24 * 60 });
    fc.assert(
      fc.property(
        instant,
        fc.array(step, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (receivedAt, gaps, cut) => {
          let t = parseInstant(receivedAt);
          const kinds: DossierEvent['type'][] = [
            'transferred',
            'paused',
            'resumed',
            'signed',
            'resolved',
            'returned',
          ];
          const events: DossierEvent[] = [{ type: 'received', at: receivedAt, channel: 'direct' }];
          gaps.forEach((g, i) => {
            t += g * 60_000;
            const type = kinds[i]!;
            const at = toInstant(t);
            events.push(
              type === 'transferred'
                ? { type, at, step: 'appraisal' }
                : type === 'paused'
                  ? { type, at, reason: 'x' }
                  : ({ type, at } as DossierEvent),
            );
          });
          const atMs = parseInstant(events[Math.min(cut, events.length - 1)]!.at) + 1000;
          const lim = { unit: 'workingDays', value: 5 } as const;
          const all = replay(events, { at: atMs, limit: lim });
          const before = replay(
            events.filter((e) => parseInstant(e.at) <= atMs),
            { at: atMs, limit: lim },
          );
          expect(JSON.parse(JSON.stringify(all))).toEqual(JSON.parse(JSON.stringify(before)));
          return true;
        },
      ),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});
