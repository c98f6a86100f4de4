import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-utils/runs.js';
import { type ReconcileFee, type ReconcilePayment, type ReconcileRecord, reconcile } from './reconcile.js';

/** Generated data with planted answers: each fee is given one fate, each fate known in advance. */
function plant(fates: number[], strays: number, seed: number) {
  const fees: ReconcileFee[] = [];
  const payments: ReconcilePayment[] = [];
  const records: ReconcileRecord[] = [];
  const want = {
    matched: 0,
    unpaidFees: 0,
    duplicates: 0,
    amountMismatches: 0,
    latePayments: 0,
    notRemitted: 0,
  };
  fates.forEach((fate, i) => {
    const reference = `R${seed}X${i}`;
    const amount = 1000 * ((i % 50) + 1);
    fees.push({ reference, amount, feeId: `F${i}` });
    const pay = (amt: number, late = false) =>
      payments.push({ paymentId: `P${payments.length}`, reference, amount: amt, ...(late ? { late } : {}) });
    switch (fate) {
      case 0: // unpaid
        want.unpaidFees++;
        break;
      case 1: // paid and remitted
        pay(amount);
        records.push({ reference, amount });
        want.matched++;
        break;
      case 2: // paid, not remitted
        pay(amount);
        want.matched++;
        want.notRemitted++;
        break;
      case 3: // paid twice
        pay(amount);
        pay(amount);
        records.push({ reference, amount });
        want.matched++;
        want.duplicates++;
        break;
      case 4: // wrong amount
        pay(amount + 500);
        want.amountMismatches++;
        break;
      case 5: // paid late (after the timeout), still matched
        pay(amount, true);
        records.push({ reference, amount });
        want.matched++;
        want.latePayments++;
        break;
    }
  });
  for (let k = 0; k < strays; k++)
    payments.push({ paymentId: `S${k}`, reference: `STRAY${seed}N${k}`, amount: 5000 });
  return { fees, payments, records, want: { ...want, unmatchedPayments: strays } };
}

function shuffle<T>(a: T[], seed: number): T[] {
  let s = seed || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('reconcile', () => {
  it('finds the planted unmatched payments, unpaid fees, duplicates, amount mismatches, late payments and unremitted fees', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 1e6 }),
        (fates, strays, seed) => {
          const d = plant(fates, strays, seed);
          const r = reconcile(shuffle(d.payments, seed), shuffle(d.fees, seed + 1), d.records);
          expect(r.counts).toMatchObject(d.want);
          expect(r.counts.fees).toBe(fates.length);
          expect(r.counts.recordsUnmatched).toBe(0);
          expect(r.unmatchedPayments.every((p) => p.reference.startsWith('STRAY'))).toBe(true);
          expect(r.amounts.due).toBe(d.fees.reduce((s, f) => s + f.amount, 0));
        },
      ),
      { numRuns: propertyRuns(200) },
    );
  });

  it('reports a named example in full, and the same from async streams', async () => {
    const fees = [
      { reference: 'A', amount: 14_000 },
      { reference: 'B', amount: 8_000 },
      { reference: 'C', amount: 10_000 },
      { reference: 'C', amount: 10_000 },
    ];
    const payments = [
      { paymentId: 'p1', reference: 'A', amount: 14_000 },
      { paymentId: 'p2', reference: 'C', amount: 9_000 },
      { paymentId: 'p3', reference: 'Z', amount: 1_000, late: true },
    ];
    const records = [
      { reference: 'A', amount: 14_000 },
      { reference: 'B', amount: 8_000 },
    ];
    const r = reconcile(payments, fees, records);
    expect(r.unpaidFees).toEqual([{ reference: 'B', amount: 8_000 }]);
    expect(r.amountMismatches).toEqual([{ payment: payments[1], expected: 10_000 }]);
    expect(r.unmatchedPayments).toEqual([payments[2]]);
    expect(r.latePayments).toEqual([payments[2]]);
    expect(r.duplicateFees).toEqual([fees[3]]);
    expect(r.recordsUnmatched).toEqual([{ reference: 'B', amount: 8_000 }]);
    expect(r.counts.notRemitted).toBe(0);
    async function* gen<T>(xs: T[]) {
      yield* xs;
    }
    expect(await reconcile(gen(payments), gen(fees), gen(records))).toEqual(r);
  });

  it('caps detail lists but keeps complete counts', () => {
    const fees = Array.from({ length: 50 }, (_, i) => ({ reference: `R${i}`, amount: 1 }));
    const r = reconcile([], fees, undefined, { detailLimit: 5 });
    expect(r.unpaidFees).toHaveLength(5);
    expect(r.counts.unpaidFees).toBe(50);
  });
});
