import type { DossierEvent, DossierRecord } from '@motcua/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-utils/runs.js';
import { recordFromHistory } from './record.js';
import { reportCsv, reportTable } from './report.js';
import { summarize, summarizeSync } from './stats.js';

const at = (day: number, hm = '09:00') => `2026-03-${String(day).padStart(2, '0')}T${hm}:00+07:00`;
const feb = (day: number, hm = '09:00') => `2026-02-${String(day).padStart(2, '0')}T${hm}:00+07:00`;
const base = (i: number, extra: Partial<DossierRecord>): DossierRecord => ({
  dossierCode: `000.00.19.H57-260301-${String(i).padStart(4, '0')}`,
  procedureCode: i % 2 ? '2.000815' : '1.001193',
  unitCode: i % 3 ? '26734' : '26737',
  channel: 'direct',
  receivedAt: at(2),
  supplementRequests: 0,
  status: 'inProgress',
  paid: false,
  paidOnline: false,
  ...extra,
});

type Kind =
  | 'early'
  | 'onTime'
  | 'late'
  | 'within'
  | 'overdue'
  | 'waiting'
  | 'refused'
  | 'stopped'
  | 'closed'
  | 'before';

/** A record of a known kind for the period March 2026 (judged at its end). */
function make(
  kind: Kind,
  i: number,
  carried: boolean,
  channel: 'direct' | 'online' | 'postal',
): DossierRecord {
  const receivedAt = carried ? feb(25) : at(2);
  const r = { receivedAt, channel };
  switch (kind) {
    case 'early':
      return base(i, {
        ...r,
        appointmentAt: at(10, '17:00'),
        resolvedAt: at(9, '16:00'),
        status: 'resolved',
      });
    case 'onTime':
      return base(i, {
        ...r,
        appointmentAt: at(10, '17:00'),
        resolvedAt: at(10, '08:00'),
        status: 'resolved',
      });
    case 'late':
      return base(i, {
        ...r,
        appointmentAt: at(10, '17:00'),
        resolvedAt: at(11, '08:00'),
        status: 'resolved',
      });
    case 'within':
      return base(i, { ...r, appointmentAt: '2026-04-03T17:00:00+07:00' });
    case 'overdue':
      return base(i, { ...r, appointmentAt: at(20, '17:00') });
    case 'waiting':
      return base(i, {
        ...r,
        appointmentAt: at(10, '17:00'),
        supplementRequestedAt: at(3),
        supplementRequests: 1,
        status: 'waitingSupplement',
      });
    case 'refused':
      return base(i, { ...r, appointmentAt: at(10, '17:00'), endedAt: at(4), status: 'refused' });
    case 'stopped':
      return base(i, { ...r, appointmentAt: at(10, '17:00'), endedAt: at(4), status: 'stopped' });
    case 'closed':
      return base(i, {
        ...r,
        appointmentAt: at(10, '17:00'),
        supplementRequestedAt: at(3),
        supplementRequests: 1,
        endedAt: at(20),
        status: 'closed',
      });
    case 'before':
      return base(i, {
        receivedAt: feb(2),
        channel,
        appointmentAt: feb(5, '17:00'),
        resolvedAt: feb(4),
        status: 'resolved',
      });
  }
}

describe('summarize: a generated set with known answers', () => {
  it('counts every category and indicator 2.1 exactly', () => {
    const kinds: Kind[] = [
      'early',
      'onTime',
      'late',
      'within',
      'overdue',
      'waiting',
      'refused',
      'stopped',
      'closed',
      'before',
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...kinds),
            fc.boolean(),
            fc.constantFrom('direct', 'online', 'postal') as fc.Arbitrary<'direct' | 'online' | 'postal'>,
          ),
          { maxLength: 60 },
        ),
        (spec) => {
          const records = spec.map(([k, c, ch], i) => make(k, i, c, ch));
          const s = summarizeSync(records, { from: '2026-03-01', to: '2026-03-31' });
          const n = (k: Kind) => spec.filter(([x]) => x === k).length;
          const inScope = spec.filter(([k]) => k !== 'before');
          expect(s.total.handled).toBe(inScope.length);
          expect(s.total.carriedOver).toBe(inScope.filter(([, c]) => c).length);
          expect(s.total.received.online).toBe(inScope.filter(([, c, ch]) => !c && ch === 'online').length);
          expect(s.total.resolved).toEqual({
            total: n('early') + n('onTime') + n('late'),
            early: n('early'),
            onTime: n('onTime'),
            late: n('late'),
          });
          expect(s.total.inProgress).toEqual({
            total: n('within') + n('overdue'),
            withinLimit: n('within'),
            overdue: n('overdue'),
          });
          expect(s.total.waitingSupplement).toBe(n('waiting'));
          expect(s.total.refused).toBe(n('refused'));
          expect(s.total.stopped).toBe(n('stopped'));
          expect(s.total.closed).toBe(n('closed'));
          // 2.1: on time = early + onTime + within + waiting (request time is the end) + refused + stopped (ended before the appointment)
          const ok = n('early') + n('onTime') + n('within') + n('waiting') + n('refused') + n('stopped');
          expect(s.total.indicators.onTimeRate.numerator).toBe(ok);
          expect(s.total.indicators.onTimeRate.denominator).toBe(inScope.length);
          return true;
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });

  it('indicator 2.1 differs from the restarted appointment: supplement time is subtracted from the end', async () => {
    const events: DossierEvent[] = [
      { type: 'received', at: at(2, '08:00'), channel: 'direct' },
      { type: 'supplementRequested', at: at(3, '09:00'), reasons: ['Thiếu giấy tờ'] },
      { type: 'supplementReceived', at: at(9, '10:00') },
      { type: 'resolved', at: at(11, '16:00') },
    ];
    const history = {
      dossierCode: 'X-260302-0001',
      procedureCode: '1.004873',
      unitCode: '26734',
      limit: { unit: 'workingDays', value: 3 } as const,
      events,
    };
    const rec = recordFromHistory(history);
    expect(rec.appointmentAt).toBe(at(5, '08:00'));
    expect(rec.dueAt).toBe(at(12, '10:00'));
    const s = await summarize([history], { from: '2026-03-01', to: '2026-03-31' });
    expect(s.total.resolved.early).toBe(1); // the engine: resolved before the restarted appointment's day
    expect(s.total.indicators.onTimeRate).toEqual({ numerator: 0, denominator: 1, rate: 0 }); // 2.1: 11 Mar 16:00 − 6 d 1 h = 5 Mar 15:00 > 5 Mar 08:00
  });

  it('more than one supplement request counts late in 2.1', () => {
    const r = base(1, {
      appointmentAt: at(10, '17:00'),
      resolvedAt: at(5),
      status: 'resolved',
      supplementRequests: 2,
    });
    expect(
      summarizeSync([r], { from: '2026-03-01', to: '2026-03-31' }).total.indicators.onTimeRate.numerator,
    ).toBe(0);
  });

  it('unfinished dossiers are judged at the end of the period, or at `at`', () => {
    const r = base(1, { appointmentAt: at(20, '17:00') });
    expect(summarizeSync([r], { from: '2026-03-01', to: '2026-03-31' }).total.inProgress.overdue).toBe(1);
    const mid = summarizeSync([r], { from: '2026-03-01', to: '2026-03-31', at: at(15) });
    expect(mid.total.inProgress.withinLimit).toBe(1);
    expect(mid.total.indicators.onTimeRate.numerator).toBe(1);
  });

  it('without an appointment, 2.1 uses the statutory limit', () => {
    const r = base(1, {
      limit: { unit: 'workingDays', value: 3 },
      receivedAt: at(2, '08:00'),
      resolvedAt: at(5, '08:00'),
      status: 'resolved',
    });
    expect(
      summarizeSync([r], { from: '2026-03-01', to: '2026-03-31' }).total.indicators.onTimeRate.numerator,
    ).toBe(1);
    const late = { ...r, resolvedAt: at(5, '08:01') };
    expect(
      summarizeSync([late], { from: '2026-03-01', to: '2026-03-31' }).total.indicators.onTimeRate.numerator,
    ).toBe(0);
    const none = base(2, { resolvedAt: at(5), status: 'resolved' });
    expect(summarizeSync([none], { from: '2026-03-01', to: '2026-03-31' }).unjudged).toBe(1);
  });

  it('2.2, 3.3, 3.6 and grouping', () => {
    const recs = [
      base(1, {
        channel: 'online',
        receivedAt: at(2, '08:00'),
        appointmentAt: at(10, '17:00'),
        resolvedAt: at(4, '08:00'),
        status: 'resolved',
        paid: true,
        paidOnline: true,
      }),
      base(2, {
        channel: 'direct',
        receivedAt: at(2, '08:00'),
        appointmentAt: at(10, '17:00'),
        resolvedAt: at(3, '08:00'),
        status: 'resolved',
        paid: true,
      }),
      base(3, { channel: 'direct', receivedAt: at(2, '08:00'), appointmentAt: at(10, '17:00') }),
    ];
    const s = summarizeSync(recs, { from: '2026-03-01', to: '2026-03-31', groupBy: 'procedure' });
    expect(s.total.indicators.averageResolution).toEqual({ count: 2, workingDays: 1.5, hours: 36 });
    expect(s.total.indicators.onlineShare.rate).toBeCloseTo(1 / 3);
    expect(s.total.indicators.onlinePaymentShare).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(Object.keys(s.groups)).toEqual(['1.001193', '2.000815']);
    expect(s.groups['2.000815']?.handled).toBe(2);
    const table = reportTable(s);
    expect(table.rows.at(-1)?.group).toBe('Tổng cộng');
    expect(table.rows).toHaveLength(3);
    const csv = reportCsv(s, { bom: true });
    expect(csv.startsWith('\uFEFFNhóm (procedure),Tổng số hồ sơ')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(4);
  });

  it('streams from an async iterable', async () => {
    async function* gen() {
      for (let i = 0; i < 1000; i++) yield make('early', i, false, 'direct');
    }
    expect((await summarize(gen(), { from: '2026-03-01', to: '2026-03-31' })).total.resolved.early).toBe(
      1000,
    );
  });

  it('rejects a bad period', () => {
    expect(() => summarizeSync([], { from: '2026-03-31', to: '2026-03-01' })).toThrow(
      /to must be after from/,
    );
  });
});
