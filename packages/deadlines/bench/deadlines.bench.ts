import { defaultWorkCalendar, toInstant } from '@motcua/calendar';
import type { DossierEvent, ProcedureLimit } from '@motcua/core';
import { bench, describe } from 'vitest';
import { computeAppointment, DEFAULT_POLICY, replay } from '../src/index.js';
import { oracleAppointment } from '../test/oracle.js';

// Deterministic pseudo-random inputs (xorshift), prepared outside the measured functions.
let seed = 42;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4_294_967_296;
};
const START = Date.parse('2025-07-01T00:00:00+07:00');
const N = 4096;
const receipts = Array.from({ length: N }, () => toInstant(START + Math.floor(rnd() * 540 * 1440) * 60_000));
const limits: ProcedureLimit[] = Array.from({ length: N }, () => ({
  unit: 'workingDays',
  value: 1 + Math.floor(rnd() * 60),
}));
let i = 0;

describe('computeAppointment (random receipts, 1-60 working days)', () => {
  bench('computeAppointment', () => {
    const k = i++ & (N - 1);
    computeAppointment({ receivedAt: receipts[k]!, limit: limits[k]!, channel: 'direct' });
  });
  bench('oracle (day by day)', () => {
    const k = i++ & (N - 1);
    oracleAppointment(receipts[k]!, limits[k]!, 'direct', defaultWorkCalendar, DEFAULT_POLICY);
  });
});

const D = (base: string, minutes: number) => toInstant(Date.parse(base) + minutes * 60_000);
const dossiers: DossierEvent[][] = receipts.slice(0, 256).map((r) => [
  { type: 'received', at: r, channel: 'online' },
  { type: 'accepted', at: D(r, 60) },
  { type: 'paid', at: D(r, 70), amount: 8000, method: 'portal' },
  { type: 'transferred', at: D(r, 90), step: 'appraisal', stepLimit: { unit: 'workingDays', value: 2 } },
  { type: 'transferred', at: D(r, 1500), step: 'approval', stepLimit: { unit: 'workingDays', value: 1 } },
  { type: 'signed', at: D(r, 2000) },
  { type: 'resolved', at: D(r, 2010) },
  { type: 'returned', at: D(r, 3000) },
]);
const limit5: ProcedureLimit = { unit: 'workingDays', value: 5 };

describe('replay (typical 8-event dossier)', () => {
  bench('replay', () => {
    replay(dossiers[i++ & 255]!, { limit: limit5 });
  });
  bench('replay, then every instant of the report read (JSON.stringify)', () => {
    JSON.stringify(replay(dossiers[i++ & 255]!, { limit: limit5 }));
  });
});
