/** A payment as reconciliation reads it (from the ledger, a bank statement or the platform's report). */
export interface ReconcilePayment {
  paymentId: string;
  /** The reference the payment carried (the dossier's `paymentReference`). */
  reference: string;
  amount: number;
  /** The payment came (or its callback came) after the payment had timed out. */
  late?: boolean;
}

/** A dossier fee due. */
export interface ReconcileFee {
  reference: string;
  amount: number;
  feeId?: string;
}

/** A revenue record credited at the State Treasury. */
export interface ReconcileRecord {
  reference: string;
  amount: number;
}

/** The result of {@link reconcile}. Lists are capped at `detailLimit`; counts are always complete. */
export interface ReconcileReport {
  counts: {
    fees: number;
    payments: number;
    records: number;
    matched: number;
    unmatchedPayments: number;
    unpaidFees: number;
    duplicates: number;
    amountMismatches: number;
    latePayments: number;
    /** Paid fees with no treasury record (only when records were given). */
    notRemitted: number;
    /** Treasury records matching no paid fee, or of another amount. */
    recordsUnmatched: number;
    duplicateFees: number;
  };
  /** Sums, dong. */
  amounts: { due: number; paid: number; matched: number; credited: number };
  unmatchedPayments: ReconcilePayment[];
  unpaidFees: ReconcileFee[];
  duplicates: ReconcilePayment[];
  amountMismatches: { payment: ReconcilePayment; expected: number }[];
  latePayments: ReconcilePayment[];
  notRemitted: ReconcileFee[];
  recordsUnmatched: ReconcileRecord[];
  /** Fee references given twice. */
  duplicateFees: ReconcileFee[];
}

/** Options of {@link reconcile}. */
export interface ReconcileOptions {
  /** Most items kept in each list. Default 1,000. */
  detailLimit?: number;
  /** Treasury records are part of the run (set by {@link reconcile} when they are given): paid fees without one are `notRemitted`. */
  withRecords?: boolean;
}

enum State {
  Unpaid = 0,
  Paid = 1,
  Mismatch = 2,
  Remitted = 4,
}

/**
 * A streaming reconciler: feed the fees first, then the payments and the treasury records in any number
 * of chunks, then call `finish()`. Memory holds one index entry per fee (reference → amount and a state
 * byte) and the capped detail lists, never the payments or records.
 *
 * @example
 * ```ts
 * import { Reconciler } from '@motcua/treasury';
 * const r = new Reconciler();
 * for (const f of fees) r.fee(f);
 * for await (const p of paymentsFromBankStatement()) r.payment(p);
 * const report = r.finish();
 * ```
 */
export class Reconciler {
  readonly #limit: number;
  readonly #index = new Map<string, number>();
  #amounts: number[] = [];
  #refs: string[] = [];
  #feeIds: (string | undefined)[] = [];
  #state = new Uint8Array(1024);
  readonly #r: ReconcileReport;
  #finished = false;
  #withRecords: boolean;

  constructor(options: ReconcileOptions = {}) {
    this.#limit = options.detailLimit ?? 1000;
    this.#withRecords = options.withRecords ?? false;
    this.#r = {
      counts: {
        fees: 0,
        payments: 0,
        records: 0,
        matched: 0,
        unmatchedPayments: 0,
        unpaidFees: 0,
        duplicates: 0,
        amountMismatches: 0,
        latePayments: 0,
        notRemitted: 0,
        recordsUnmatched: 0,
        duplicateFees: 0,
      },
      amounts: { due: 0, paid: 0, matched: 0, credited: 0 },
      unmatchedPayments: [],
      unpaidFees: [],
      duplicates: [],
      amountMismatches: [],
      latePayments: [],
      notRemitted: [],
      recordsUnmatched: [],
      duplicateFees: [],
    };
  }

  #keep<T>(list: T[], item: T) {
    if (list.length < this.#limit) list.push(item);
  }

  /** Adds a fee due. */
  fee(f: ReconcileFee): void {
    const r = this.#r;
    r.counts.fees++;
    r.amounts.due += f.amount;
    if (this.#index.has(f.reference)) {
      r.counts.duplicateFees++;
      this.#keep(r.duplicateFees, f);
      return;
    }
    const i = this.#amounts.length;
    this.#index.set(f.reference, i);
    this.#amounts.push(f.amount);
    this.#refs.push(f.reference);
    this.#feeIds.push(f.feeId);
    if (i >= this.#state.length) {
      const next = new Uint8Array(this.#state.length * 2);
      next.set(this.#state);
      this.#state = next;
    }
  }

  /** Adds a payment. */
  payment(p: ReconcilePayment): void {
    const r = this.#r;
    r.counts.payments++;
    r.amounts.paid += p.amount;
    if (p.late) {
      r.counts.latePayments++;
      this.#keep(r.latePayments, p);
    }
    const i = this.#index.get(p.reference);
    if (i === undefined) {
      r.counts.unmatchedPayments++;
      this.#keep(r.unmatchedPayments, p);
      return;
    }
    const s = this.#state[i]!;
    if (s & State.Paid) {
      r.counts.duplicates++;
      this.#keep(r.duplicates, p);
      return;
    }
    const expected = this.#amounts[i]!;
    if (p.amount !== expected) {
      if (s & State.Mismatch) {
        r.counts.duplicates++;
        this.#keep(r.duplicates, p);
        return;
      }
      this.#state[i] = s | State.Mismatch;
      r.counts.amountMismatches++;
      this.#keep(r.amountMismatches, { payment: p, expected });
      return;
    }
    this.#state[i] = s | State.Paid;
    r.counts.matched++;
    r.amounts.matched += p.amount;
  }

  /** Adds a treasury record (after the payments). */
  record(t: ReconcileRecord): void {
    const r = this.#r;
    this.#withRecords = true;
    r.counts.records++;
    r.amounts.credited += t.amount;
    const i = this.#index.get(t.reference);
    const s = i === undefined ? 0 : this.#state[i]!;
    if (i === undefined || !(s & State.Paid) || s & State.Remitted || this.#amounts[i] !== t.amount) {
      r.counts.recordsUnmatched++;
      this.#keep(r.recordsUnmatched, t);
      return;
    }
    this.#state[i] = s | State.Remitted;
  }

  /** The report. Call once, after everything was added. */
  finish(): ReconcileReport {
    if (this.#finished) return this.#r;
    this.#finished = true;
    const r = this.#r;
    const checkRemit = this.#withRecords;
    for (let i = 0; i < this.#amounts.length; i++) {
      const s = this.#state[i]!;
      const fee = (): ReconcileFee => ({
        reference: this.#refs[i]!,
        amount: this.#amounts[i]!,
        ...(this.#feeIds[i] !== undefined ? { feeId: this.#feeIds[i] } : {}),
      });
      if (!(s & State.Paid)) {
        if (!(s & State.Mismatch)) {
          r.counts.unpaidFees++;
          this.#keep(r.unpaidFees, fee());
        }
      } else if (checkRemit && !(s & State.Remitted)) {
        r.counts.notRemitted++;
        this.#keep(r.notRemitted, fee());
      }
    }
    return r;
  }
}

/**
 * Reconciles payments against dossier fees (and, optionally, treasury records) by reference and amount:
 * matched, unmatched payments, unpaid fees, duplicates (a second payment of a fee), amount mismatches, late
 * payments, paid fees not yet at the treasury, and treasury records that match nothing. One pass over
 * each input; accepts arrays, generators and async iterables (the async form returns a promise).
 *
 * @example
 * ```ts
 * import { reconcile } from '@motcua/treasury';
 * const report = reconcile(
 *   [{ paymentId: 'P1', reference: 'REF1', amount: 14000 }],
 *   [{ reference: 'REF1', amount: 14000 }, { reference: 'REF2', amount: 8000 }],
 * );
 * report.counts.matched; // 1
 * report.unpaidFees; // [{ reference: 'REF2', amount: 8000 }]
 * ```
 */
export function reconcile(
  payments: Iterable<ReconcilePayment>,
  dossiersFees: Iterable<ReconcileFee>,
  treasuryRecords?: Iterable<ReconcileRecord>,
  options?: ReconcileOptions,
): ReconcileReport;
export function reconcile(
  payments: AsyncIterable<ReconcilePayment> | Iterable<ReconcilePayment>,
  dossiersFees: AsyncIterable<ReconcileFee> | Iterable<ReconcileFee>,
  treasuryRecords?: AsyncIterable<ReconcileRecord> | Iterable<ReconcileRecord>,
  options?: ReconcileOptions,
): Promise<ReconcileReport>;
export function reconcile(
  payments: AsyncIterable<ReconcilePayment> | Iterable<ReconcilePayment>,
  dossiersFees: AsyncIterable<ReconcileFee> | Iterable<ReconcileFee>,
  treasuryRecords?: AsyncIterable<ReconcileRecord> | Iterable<ReconcileRecord>,
  options: ReconcileOptions = {},
): ReconcileReport | Promise<ReconcileReport> {
  const isSync = (x: unknown) => x === undefined || Symbol.iterator in (x as object);
  const r = new Reconciler({ ...options, withRecords: treasuryRecords !== undefined });
  if (isSync(payments) && isSync(dossiersFees) && isSync(treasuryRecords)) {
    for (const f of dossiersFees as Iterable<ReconcileFee>) r.fee(f);
    for (const p of payments as Iterable<ReconcilePayment>) r.payment(p);
    if (treasuryRecords) for (const t of treasuryRecords as Iterable<ReconcileRecord>) r.record(t);
    return r.finish();
  }
  return (async () => {
    for await (const f of dossiersFees) r.fee(f);
    for await (const p of payments) r.payment(p);
    if (treasuryRecords) for await (const t of treasuryRecords) r.record(t);
    return r.finish();
  })();
}
