import { randomUUID } from 'node:crypto';
import { dateOf, parseInstant, toInstant } from '@motcua/calendar';
import type { DossierEvent } from '@motcua/core';
import { newOutboxMessage, type OutboxInput } from '@motcua/http';
import { sql, type Transaction } from 'kysely';
import { DatabaseOutboxStore } from './outbox-store.js';
import type { Database } from './schema.js';
import { type Store, StoreError } from './store.js';

/** How a fee was paid: cash or card at the desk, a bank transfer by VietQR, or the payment platform's page. */
export type PaymentMethod = 'counter' | 'vietqr' | 'platform';

/** A dossier's fee: the amount due from the procedure's schedule, with its lines. */
export interface FeeRecord {
  id: string;
  dossierId: string;
  unitCode: string | null;
  /** Dong. */
  amount: number;
  /** `due`, `paid`, or `waived` (nothing to pay: free procedure or exemption). */
  status: 'due' | 'paid' | 'waived';
  /** The short payment reference put in transfers (`paymentReference(dossierCode)` of core). */
  reference: string;
  /** The computation's lines (`FeeLine` of @motcua/treasury). */
  lines: unknown[];
  /** What was counted (pages, copies, cases, conditions). */
  request: Record<string, unknown>;
  computedAt: string | null;
  paidAt: string | null;
  /** `series/number` of the receipt once paid. */
  receiptNumber: string | null;
}

/** A payment of a fee (asked for, paid, or flagged for a person). */
export interface PaymentRecord {
  id: string;
  feeId: string;
  dossierId: string;
  /** The dossier's code (filled by the unit-wide reads). */
  dossierCode?: string;
  unitCode: string;
  method: PaymentMethod;
  /** `flagged`: money arrived that does not settle the fee (wrong amount, fee already paid): a person decides. */
  status: 'pending' | 'paid' | 'failed' | 'expired' | 'flagged';
  /** The amount asked, dong. */
  amount: number;
  /** The amount reported paid, dong. */
  paidAmount: number | null;
  reference: string;
  platformPaymentId: string | null;
  vietQr: string | null;
  payerUrl: string | null;
  expiresAt: string | null;
  transactionId: string | null;
  requestedAt: string;
  paidAt: string | null;
  receipt: { series: string; number: string } | null;
  /** The treasury account the money was collected into. */
  treasuryAccount: string | null;
  /** True when that is the account the province designates (the commune has none of its own). */
  designatedAccount: boolean | null;
  /** When the money must reach the budget (online payments: 8 working hours, Decree 118/2025 Art. 24). */
  remitBy: string | null;
  remittedAt: string | null;
  recordedBy: string | null;
  /** Why a person must look: `amount_mismatch`, `already_paid`, `unknown_payment`, `late`. */
  flags: string[];
  /** The revenue record(s) sent to the State Treasury (comma-separated, one per fee item), once sent. */
  treasuryRecordId: string | null;
  /** The treasury's last answer: `submitted`, `credited` (the money reached the budget) or `rejected`. */
  treasuryStatus: 'submitted' | 'credited' | 'rejected' | null;
  /** The treasury's document number once credited. */
  treasuryReference: string | null;
  /** When the treasury credited the money to the budget (also the payment's `remittedAt`). */
  creditedAt: string | null;
  /** Why the treasury rejected the record (its stable code). */
  treasuryReason: string | null;
}

/** A State Treasury account in its parts: office code (SHKB, 4 digits), account number and holder. */
export interface TreasuryAccountParts {
  treasuryCode: string;
  accountNumber: string;
  holder: string;
}

/**
 * A unit's State Treasury configuration as stored: the budget chapter and collecting agency the unit admin
 * set (null until then), the unit's own account (from `units.treasury_account`, `treasuryCode/accountNumber`)
 * or none, the account the province designates, and a budget sub-item per fee item.
 */
export interface UnitTreasuryConfig {
  unitCode: string;
  unitName: string;
  provinceCode: string;
  /** Budget chapter (Chương), 3 digits; null until set. */
  chapter: string | null;
  /** Revenue-collecting agency code (mã cơ quan thu), 7 digits; null until set. */
  collectingAgency: string | null;
  /** The unit's own treasury account, or null (then the province's designated one is used). */
  account: TreasuryAccountParts | null;
  /** The account the province designates for its communes without one of their own. */
  provinceDesignatedAccount: TreasuryAccountParts | null;
  /** Fee item ID → budget sub-item (tiểu mục, 4 digits). */
  subItems: Record<string, string>;
  /** True once the chapter and the collecting agency are set (revenue records can then be made). */
  configured: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** Input of {@link FeeStore.setTreasuryConfig}. */
export interface TreasuryConfigInput {
  chapter: string;
  collectingAgency: string;
  /** The unit's own account, or null when it has none (the province's designated one is then used). */
  account: TreasuryAccountParts | null;
  subItems?: Record<string, string>;
}

/** The treasury's answer about a payment's revenue record, as {@link FeeStore.recordTreasuryAnswer} keeps it. */
export interface TreasuryAnswer {
  recordId: string;
  status: 'submitted' | 'credited' | 'rejected';
  creditedAt?: string;
  treasuryReference?: string;
  reason?: string;
}

/** `treasuryCode/accountNumber` (as `units.treasury_account` and the province's account are written) in parts. */
const accountParts = (account: string, holder: string): TreasuryAccountParts => {
  const slash = account.indexOf('/');
  return slash < 0
    ? { treasuryCode: '', accountNumber: account, holder }
    : { treasuryCode: account.slice(0, slash), accountNumber: account.slice(slash + 1), holder };
};

/** A treasury account as a unit collects into it. */
export interface CollectingAccount {
  account: string;
  holder: string;
  /** The province's designated account (the unit has none of its own). */
  designated: boolean;
}

/** Input of {@link FeeStore.recordPayment}. */
export interface RecordPaymentInput {
  dossierId: string;
  method: PaymentMethod;
  /** Dong: must equal the fee due. */
  amount: number;
  /** When the payer paid (default now). */
  paidAt?: string;
  /** The `method` of the dossier's `paid` event. Default `counter` for the counter, `localGateway` otherwise. */
  eventMethod?: 'counter' | 'portal' | 'localGateway';
  /** The platform's payment (settles the pending payment asked for with {@link FeeStore.requestPayment}). */
  platformPaymentId?: string;
  transactionId?: string;
  /** The callback's identity: a second delivery with the same event ID changes nothing (the inbox). */
  inbox?: { source: string; eventId: string };
  account?: CollectingAccount | null;
  /** When the money must reach the budget, if a deadline applies. */
  remitBy?: string | null;
  flags?: string[];
  /** The officer who recorded it (null for a callback). */
  officer?: { id: string; name?: string } | null;
  actor: string | null;
  /**
   * Outbox messages written in the payment's own transaction (the revenue record for the State Treasury):
   * they commit with the payment or not at all, once (a repeated callback writes none).
   */
  messages?: (payment: {
    id: string;
    dossierId: string;
    dossierCode: string;
    unitCode: string;
  }) => OutboxInput[];
}

const ts = (v: Date | string | null): string | null =>
  v === null ? null : toInstant(v instanceof Date ? v.getTime() : Date.parse(v));
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const num = (v: string | number | bigint | null): number | null => (v === null ? null : Number(v));
const nowInstant = () => toInstant(Date.now());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Repeat extends Error {}
class AlreadyPaid extends Error {}

function feeOf(r: Record<string, unknown>): FeeRecord {
  return {
    id: r.id as string,
    dossierId: r.dossier_id as string,
    unitCode: (r.unit_code as string | null) ?? null,
    amount: Number(r.amount),
    status: r.status as FeeRecord['status'],
    reference: r.reference as string,
    lines: json<unknown[]>(r.lines ?? []),
    request: json<Record<string, unknown>>(r.request ?? {}),
    computedAt: ts((r.computed_at as Date | null) ?? null),
    paidAt: ts((r.paid_at as Date | null) ?? null),
    receiptNumber: (r.receipt_number as string | null) ?? null,
  };
}

function paymentOf(r: Record<string, unknown>): PaymentRecord {
  return {
    id: r.id as string,
    feeId: r.fee_id as string,
    dossierId: r.dossier_id as string,
    ...(typeof r.dossier_code === 'string' ? { dossierCode: r.dossier_code } : {}),
    unitCode: r.unit_code as string,
    method: r.method as PaymentMethod,
    status: r.status as PaymentRecord['status'],
    amount: Number(r.amount),
    paidAmount: num(r.paid_amount as string | null),
    reference: r.reference as string,
    platformPaymentId: (r.platform_payment_id as string | null) ?? null,
    vietQr: (r.vietqr as string | null) ?? null,
    payerUrl: (r.payer_url as string | null) ?? null,
    expiresAt: ts((r.expires_at as Date | null) ?? null),
    transactionId: (r.transaction_id as string | null) ?? null,
    requestedAt: ts(r.requested_at as Date)!,
    paidAt: ts((r.paid_at as Date | null) ?? null),
    receipt:
      r.receipt_series && r.receipt_number
        ? { series: r.receipt_series as string, number: r.receipt_number as string }
        : null,
    treasuryAccount: (r.treasury_account as string | null) ?? null,
    designatedAccount: (r.designated_account as boolean | null) ?? null,
    remitBy: ts((r.remit_by as Date | null) ?? null),
    remittedAt: ts((r.remitted_at as Date | null) ?? null),
    recordedBy: (r.recorded_by as string | null) ?? null,
    flags: json<string[]>(r.flags ?? []),
    treasuryRecordId: (r.treasury_record_id as string | null) ?? null,
    treasuryStatus: (r.treasury_status as PaymentRecord['treasuryStatus']) ?? null,
    treasuryReference: (r.treasury_reference as string | null) ?? null,
    creditedAt: ts((r.credited_at as Date | null) ?? null),
    treasuryReason: (r.treasury_reason as string | null) ?? null,
  };
}

const alreadyPaid = () =>
  new StoreError(
    'fee.already_paid',
    409,
    'This fee is already paid: a second payment is refused',
    'Khoản phí này đã được thanh toán: không nhận thanh toán lần hai',
  );

/**
 * The fees of dossiers and their payments, in the dossier database: one fee per dossier (the amount and the
 * lines computed from the procedure's schedule by @motcua/treasury), payments at the counter, by VietQR or
 * through the payment platform, at most one paid payment per fee (a unique index backs the check), receipt
 * numbers per unit and year, the treasury account collected into (the unit's own or the province's
 * designated one), the remittance deadline and when the money was remitted. A payment is recorded in the
 * same transaction as the dossier's `paid` event; a payment callback is de-duplicated through the inbox by
 * its event ID. Reached as `store.fees`.
 *
 * @example
 * ```ts
 * import { openStore } from '@motcua/store';
 * const store = await openStore({ inMemory: true });
 * await store.fees.setFee({ dossierId, amount: 14000, lines, request: {}, reference: 'H25X051522612030001', actor: 'u-1' });
 * const { payment } = await store.fees.recordPayment({ dossierId, method: 'counter', amount: 14000, actor: 'u-1' });
 * payment.receipt; // { series: 'BL26E', number: '0000001' }
 * ```
 */
export class FeeStore {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get #db() {
    return this.#store.db;
  }

  /**
   * Sets the fee due of a dossier (insert, or replace while it is not paid): the amount, the lines and what
   * was counted. A fee of 0 is `waived`. A paid fee is returned unchanged.
   *
   * @example
   * ```ts
   * const fee = await store.fees.setFee({ dossierId, amount: 8000, lines: r.lines, request: { copies: 1 }, reference, actor: user.id });
   * fee.status; // 'due'
   * ```
   */
  async setFee(input: {
    dossierId: string;
    amount: number;
    lines: unknown[];
    request: Record<string, unknown>;
    reference: string;
    actor: string;
  }): Promise<FeeRecord> {
    if (!Number.isSafeInteger(input.amount) || input.amount < 0)
      throw new StoreError(
        'fee.amount',
        400,
        'amount: a non-negative integer of dong',
        'amount: số nguyên đồng không âm',
      );
    const d = await this.#db
      .selectFrom('dossiers')
      .select(['id', 'unit_code'])
      .where('id', '=', input.dossierId)
      .executeTakeFirst();
    if (!d) throw new StoreError('store.dossier_not_found', 404, 'No such dossier', 'Không có hồ sơ này');
    const row = {
      amount: input.amount,
      status: (input.amount === 0 ? 'waived' : 'due') as 'due' | 'waived',
      reference: input.reference,
      unit_code: d.unit_code,
      lines: JSON.stringify(input.lines),
      request: JSON.stringify(input.request),
      computed_at: new Date(),
    };
    await this.#db
      .insertInto('fees')
      .values({ id: randomUUID(), dossier_id: input.dossierId, paid_at: null, receipt_number: null, ...row })
      .onConflict((oc) => oc.column('dossier_id').doUpdateSet(row).where('fees.status', '<>', 'paid'))
      .execute();
    await this.#store.audit(input.actor, 'fee.set', d.unit_code, input.dossierId, { amount: input.amount });
    return (await this.fee(input.dossierId))!;
  }

  /**
   * The fee of a dossier, or undefined when none was computed yet.
   *
   * @example
   * ```ts
   * const fee = await store.fees.fee(dossier.id);
   * fee?.status; // 'due' | 'paid' | 'waived'
   * ```
   */
  async fee(dossierId: string): Promise<FeeRecord | undefined> {
    const r = await this.#db
      .selectFrom('fees')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .executeTakeFirst();
    return r ? feeOf(r as unknown as Record<string, unknown>) : undefined;
  }

  /**
   * A dossier's payments, oldest first (asked, paid, failed, expired or flagged).
   *
   * @example
   * ```ts
   * const paid = (await store.fees.payments(dossier.id)).find((p) => p.status === 'paid');
   * paid?.receipt; // { series: 'BL26E', number: '0000001' }
   * ```
   */
  async payments(dossierId: string): Promise<PaymentRecord[]> {
    const rows = await this.#db
      .selectFrom('payments')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .orderBy('requested_at')
      .execute();
    return rows.map((r) => paymentOf(r as unknown as Record<string, unknown>));
  }

  /**
   * A payment by the platform's payment ID (what a callback names).
   *
   * @example
   * ```ts
   * const p = await store.fees.paymentByPlatformId(callback.paymentId);
   * if (!p) console.warn('a payment this commune never asked for');
   * ```
   */
  async paymentByPlatformId(platformPaymentId: string): Promise<PaymentRecord | undefined> {
    const r = await this.#db
      .selectFrom('payments')
      .selectAll()
      .where('platform_payment_id', '=', platformPaymentId)
      .executeTakeFirst();
    return r ? paymentOf(r as unknown as Record<string, unknown>) : undefined;
  }

  /**
   * Keeps a payment asked of the payment platform (a VietQR or the platform's page), pending until the
   * platform calls back. Idempotent on the platform's payment ID (the platform returns the same pending
   * payment to a repeated request).
   *
   * @example
   * ```ts
   * const p = await payments.create({ feeId, dossierCode, amount, reference, callbackUrl });
   * await store.fees.requestPayment({ dossierId, method: 'vietqr', amount, reference, platformPaymentId: p.paymentId, vietQr: p.vietQr, payerUrl: p.payerUrl, expiresAt: p.expiresAt, actor: user.id });
   * ```
   */
  async requestPayment(input: {
    dossierId: string;
    method: Exclude<PaymentMethod, 'counter'>;
    amount: number;
    reference: string;
    platformPaymentId: string;
    vietQr: string;
    payerUrl?: string;
    expiresAt?: string;
    actor: string;
  }): Promise<PaymentRecord> {
    const fee = await this.fee(input.dossierId);
    if (!fee) throw noFee();
    if (fee.status === 'paid') throw alreadyPaid();
    await this.#db
      .insertInto('payments')
      .values({
        id: randomUUID(),
        fee_id: fee.id,
        dossier_id: input.dossierId,
        unit_code: fee.unitCode!,
        method: input.method,
        status: 'pending',
        amount: input.amount,
        paid_amount: null,
        reference: input.reference,
        platform_payment_id: input.platformPaymentId,
        vietqr: input.vietQr,
        payer_url: input.payerUrl ?? null,
        expires_at: input.expiresAt ? new Date(parseInstant(input.expiresAt)) : null,
        transaction_id: null,
        paid_at: null,
        receipt_series: null,
        receipt_number: null,
        treasury_account: null,
        designated_account: null,
        remit_by: null,
        remitted_at: null,
        recorded_by: input.actor,
      })
      .onConflict((oc) => oc.column('platform_payment_id').doNothing())
      .execute();
    await this.#store.audit(input.actor, 'fee.payment_requested', fee.unitCode, input.dossierId, {
      method: input.method,
      amount: input.amount,
    });
    return (await this.paymentByPlatformId(input.platformPaymentId))!;
  }

  /**
   * Records a payment that settles a dossier's fee, in ONE transaction with the dossier's `paid` event: the
   * inbox row of the callback (a repeat answers `duplicate: true` and the payment recorded the first time),
   * the payment (a pending platform payment becomes paid, a counter payment is inserted), the receipt number
   * of the unit's series for the year, and the fee marked paid. A fee already paid is refused
   * (`fee.already_paid`, 409); an amount other than the fee's is refused (`fee.amount_mismatch`, 409).
   *
   * @example
   * ```ts
   * // at the counter
   * const { payment } = await store.fees.recordPayment({ dossierId, method: 'counter', amount: 14000, actor: user.id, officer: { id: user.id } });
   * // from a verified platform callback
   * await store.fees.recordPayment({ dossierId, method: 'vietqr', amount: 14000, platformPaymentId: cb.paymentId,
   *   inbox: { source: 'payment', eventId: `${cb.paymentId}:${cb.event}` }, remitBy, account, actor: null });
   * ```
   */
  async recordPayment(input: RecordPaymentInput): Promise<{ payment: PaymentRecord; duplicate: boolean }> {
    if (input.inbox) {
      const seen = await this.#seen(input.inbox, input.platformPaymentId);
      if (seen) return { payment: seen, duplicate: true };
    }
    const fee = await this.fee(input.dossierId);
    if (!fee) throw noFee();
    if (fee.status === 'paid') throw alreadyPaid();
    if (fee.status === 'waived')
      throw new StoreError(
        'fee.not_due',
        409,
        'Nothing is due for this dossier',
        'Hồ sơ này không phải nộp phí',
      );
    if (input.amount !== fee.amount) throw amountMismatch(input.amount, fee.amount);
    const paidAt = input.paidAt ?? nowInstant();
    const event: DossierEvent = {
      type: 'paid',
      at: nowInstant(),
      amount: input.amount,
      method: input.eventMethod ?? (input.method === 'counter' ? 'counter' : 'localGateway'),
      reference: fee.reference,
      ...(input.officer ? { officer: input.officer } : {}),
    } as DossierEvent;
    let paymentId = '';
    try {
      await this.#store.appendEvent(input.dossierId, event, input.actor, {
        within: async (tx, d) => {
          if (input.inbox && !(await claim(tx, input.inbox))) throw new Repeat();
          const f = await tx
            .selectFrom('fees')
            .select(['id', 'status', 'amount'])
            .where('dossier_id', '=', input.dossierId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          if (f.status === 'paid') throw new AlreadyPaid();
          if (Number(f.amount) !== input.amount) throw amountMismatch(input.amount, Number(f.amount));
          const year = dateOf(parseInstant(paidAt)).slice(0, 4);
          const { last } = await tx
            .insertInto('dossier_counters')
            .values({ unit_code: d.unitCode, day: `receipt:${year}`, last: 1 })
            .onConflict((oc) =>
              oc.columns(['unit_code', 'day']).doUpdateSet({ last: sql`dossier_counters.last + 1` }),
            )
            .returning('last')
            .executeTakeFirstOrThrow();
          const settled = {
            status: 'paid' as const,
            paid_amount: input.amount,
            paid_at: new Date(parseInstant(paidAt)),
            transaction_id: input.transactionId ?? null,
            receipt_series: `BL${year.slice(2)}E`,
            receipt_number: String(last).padStart(7, '0'),
            treasury_account: input.account?.account ?? null,
            designated_account: input.account ? input.account.designated : null,
            remit_by: input.remitBy ? new Date(parseInstant(input.remitBy)) : null,
            flags: JSON.stringify(input.flags ?? []),
          };
          const pending = input.platformPaymentId
            ? await tx
                .selectFrom('payments')
                .select('id')
                .where('platform_payment_id', '=', input.platformPaymentId)
                .executeTakeFirst()
            : undefined;
          if (pending) {
            paymentId = pending.id;
            await tx.updateTable('payments').set(settled).where('id', '=', pending.id).execute();
          } else {
            paymentId = randomUUID();
            await tx
              .insertInto('payments')
              .values({
                id: paymentId,
                fee_id: f.id,
                dossier_id: input.dossierId,
                unit_code: d.unitCode,
                method: input.method,
                amount: input.amount,
                reference: fee.reference,
                platform_payment_id: input.platformPaymentId ?? null,
                vietqr: null,
                payer_url: null,
                expires_at: null,
                remitted_at: null,
                recorded_by: input.actor,
                ...settled,
              })
              .execute();
          }
          await tx
            .updateTable('fees')
            .set({
              status: 'paid',
              paid_at: settled.paid_at,
              receipt_number: `${settled.receipt_series}/${settled.receipt_number}`,
            })
            .where('id', '=', f.id)
            .execute();
          const paid = { id: paymentId, dossierId: d.id, dossierCode: d.code, unitCode: d.unitCode };
          for (const m of input.messages?.(paid) ?? [])
            await DatabaseOutboxStore.appendIn(tx, newOutboxMessage(m, Date.now()));
        },
      });
    } catch (e) {
      if (e instanceof Repeat) {
        const seen = await this.#seen(input.inbox!, input.platformPaymentId);
        if (seen) return { payment: seen, duplicate: true };
        throw e;
      }
      if (e instanceof AlreadyPaid) throw alreadyPaid();
      throw e;
    }
    const r = await this.#db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    return { payment: paymentOf(r as unknown as Record<string, unknown>), duplicate: false };
  }

  /** The payment a callback already settled (or flagged), when the inbox holds its event ID. */
  async #seen(
    inbox: { source: string; eventId: string },
    platformPaymentId: string | undefined,
  ): Promise<PaymentRecord | undefined> {
    const hit = await this.#db
      .selectFrom('inbox')
      .select('event_id')
      .where('source', '=', inbox.source)
      .where('event_id', '=', inbox.eventId)
      .executeTakeFirst();
    if (!hit) return undefined;
    return platformPaymentId ? this.paymentByPlatformId(platformPaymentId) : undefined;
  }

  /**
   * Keeps a platform payment that does not settle the fee — paid with another amount, paid for a fee
   * already paid, failed or expired — without a `paid` event: the money is recorded and flagged for a person
   * (refund or collect the difference). De-duplicated through the inbox like {@link recordPayment}; a
   * payment the commune never asked for is inserted, flagged `unknown_payment`, when its dossier is known.
   *
   * @example
   * ```ts
   * await store.fees.flagPayment({ platformPaymentId: cb.paymentId, status: 'flagged', paidAmount: cb.amount,
   *   flags: ['amount_mismatch'], inbox: { source: 'payment', eventId: `${cb.paymentId}:${cb.event}` } });
   * ```
   */
  async flagPayment(input: {
    platformPaymentId: string;
    status: 'flagged' | 'failed' | 'expired';
    paidAmount?: number;
    paidAt?: string;
    transactionId?: string;
    flags?: string[];
    inbox?: { source: string; eventId: string };
  }): Promise<{ payment: PaymentRecord | undefined; duplicate: boolean }> {
    let duplicate = false;
    await this.#db.transaction().execute(async (tx) => {
      if (input.inbox && !(await claim(tx, input.inbox))) {
        duplicate = true;
        return;
      }
      const p = await tx
        .selectFrom('payments')
        .select(['id', 'status', 'flags', 'unit_code', 'dossier_id'])
        .where('platform_payment_id', '=', input.platformPaymentId)
        .forUpdate()
        .executeTakeFirst();
      if (!p) return;
      // A failure or expiry reported after the payment was settled changes nothing.
      if (p.status === 'paid' && input.status !== 'flagged') return;
      if (p.status === 'paid') return;
      await tx
        .updateTable('payments')
        .set({
          status: input.status,
          ...(input.paidAmount !== undefined ? { paid_amount: input.paidAmount } : {}),
          ...(input.paidAt ? { paid_at: new Date(parseInstant(input.paidAt)) } : {}),
          ...(input.transactionId ? { transaction_id: input.transactionId } : {}),
          flags: JSON.stringify([...new Set([...json<string[]>(p.flags), ...(input.flags ?? [])])]),
        })
        .where('id', '=', p.id)
        .execute();
      await tx
        .insertInto('audit_log')
        .values({
          actor: 'payment-platform',
          action: `fee.payment_${input.status}`,
          unit_code: p.unit_code,
          dossier_id: p.dossier_id,
          detail: JSON.stringify({ flags: input.flags ?? [] }),
        })
        .execute();
    });
    return { payment: await this.paymentByPlatformId(input.platformPaymentId), duplicate };
  }

  /**
   * The payments of a unit paid (or flagged) on a civil day (Asia/Ho_Chi_Minh), with their dossier codes:
   * the day's reconciliation reads these.
   *
   * @example
   * ```ts
   * const day = await store.fees.paymentsOfDay('05152', '2026-12-03');
   * day.filter((p) => p.method !== 'counter').length;
   * ```
   */
  async paymentsOfDay(unitCode: string, day: string): Promise<PaymentRecord[]> {
    const from = new Date(Date.parse(`${day}T00:00:00+07:00`));
    const to = new Date(from.getTime() + 86_400_000);
    const rows = await this.#db
      .selectFrom('payments')
      .innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
      .selectAll('payments')
      .select('dossiers.code as dossier_code')
      .where('payments.unit_code', '=', unitCode)
      .where('payments.paid_at', '>=', from)
      .where('payments.paid_at', '<', to)
      .orderBy('payments.paid_at')
      .execute();
    return rows.map((r) => paymentOf(r as unknown as Record<string, unknown>));
  }

  /**
   * A unit's paid payments with a remittance deadline not yet remitted, by deadline: those past it at `at`
   * are late (Decree 118/2025 Art. 24: 8 working hours for online collections). With `withoutDeadline`, also
   * the paid payments with no deadline (counter cash) not yet remitted, after the others.
   *
   * @example
   * ```ts
   * const open = await store.fees.unremitted('05152');
   * const late = open.filter((p) => Date.parse(p.remitBy!) < Date.now());
   * ```
   */
  async unremitted(unitCode: string, options: { withoutDeadline?: boolean } = {}): Promise<PaymentRecord[]> {
    let q = this.#db
      .selectFrom('payments')
      .innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
      .selectAll('payments')
      .select('dossiers.code as dossier_code')
      .where('payments.unit_code', '=', unitCode)
      .where('payments.status', '=', 'paid')
      .where('payments.remitted_at', 'is', null);
    if (!options.withoutDeadline) q = q.where('payments.remit_by', 'is not', null);
    const rows = await q.orderBy(sql`payments.remit_by nulls last`).orderBy('payments.paid_at').execute();
    return rows.map((r) => paymentOf(r as unknown as Record<string, unknown>));
  }

  /**
   * Marks a unit's paid payments as remitted to the budget at `at` (those of other units, unpaid or already
   * remitted are left alone); returns how many were marked.
   *
   * @example
   * ```ts
   * await store.fees.markRemitted('05152', [payment.id], new Date().toISOString(), user.id); // 1
   * ```
   */
  async markRemitted(unitCode: string, paymentIds: string[], at: string, actor: string): Promise<number> {
    if (paymentIds.length === 0) return 0;
    const r = await this.#db
      .updateTable('payments')
      .set({ remitted_at: new Date(parseInstant(at)) })
      .where('unit_code', '=', unitCode)
      .where('id', 'in', paymentIds)
      .where('status', '=', 'paid')
      .where('remitted_at', 'is', null)
      .executeTakeFirst();
    const n = Number(r.numUpdatedRows ?? 0);
    await this.#store.audit(actor, 'fee.remitted', unitCode, null, { payments: n });
    return n;
  }

  /**
   * Sets the treasury account a province designates for its communes without one of their own.
   *
   * @example
   * ```ts
   * await store.fees.setProvinceAccount('25', { account: '1769/3511', holder: 'Sở Tài chính tỉnh Phú Thọ' });
   * ```
   */
  async setProvinceAccount(provinceCode: string, a: { account: string; holder: string }): Promise<void> {
    const row = { province_code: provinceCode, account: a.account, holder: a.holder, updated_at: new Date() };
    await this.#db
      .insertInto('province_treasury_accounts')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('province_code')
          .doUpdateSet({ account: a.account, holder: a.holder, updated_at: row.updated_at }),
      )
      .execute();
  }

  /**
   * The account a unit collects fees into: its own (`treasuryAccount` of the unit, held by the holder of its
   * treasury configuration or else the unit), else the one its province designates, else undefined (the
   * readiness of the unit says so).
   *
   * @example
   * ```ts
   * (await store.fees.collectingAccount('05152'))?.designated; // true: Vân Sơn has no account of its own
   * ```
   */
  async collectingAccount(unitCode: string): Promise<CollectingAccount | undefined> {
    const u = await this.#db
      .selectFrom('units')
      .leftJoin(
        'province_treasury_accounts',
        'province_treasury_accounts.province_code',
        'units.province_code',
      )
      .leftJoin('unit_treasury_configs', 'unit_treasury_configs.unit_code', 'units.code')
      .select([
        'units.name',
        'units.treasury_account',
        'unit_treasury_configs.account_holder',
        'province_treasury_accounts.account as province_account',
        'province_treasury_accounts.holder as province_holder',
      ])
      .where('units.code', '=', unitCode)
      .executeTakeFirst();
    if (!u) return undefined;
    if (u.treasury_account)
      return { account: u.treasury_account, holder: u.account_holder ?? u.name, designated: false };
    if (u.province_account)
      return { account: u.province_account, holder: u.province_holder ?? '', designated: true };
    return undefined;
  }

  /**
   * A payment by its ID, with its dossier's code.
   *
   * @example
   * ```ts
   * const p = await store.fees.payment(paymentId);
   * p?.treasuryStatus; // 'credited'
   * ```
   */
  async payment(id: string): Promise<PaymentRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const r = await this.#db
      .selectFrom('payments')
      .innerJoin('dossiers', 'dossiers.id', 'payments.dossier_id')
      .selectAll('payments')
      .select('dossiers.code as dossier_code')
      .where('payments.id', '=', id)
      .executeTakeFirst();
    return r ? paymentOf(r as unknown as Record<string, unknown>) : undefined;
  }

  /**
   * A unit's State Treasury configuration: chapter, collecting agency and sub-items as the unit admin set
   * them (null until then, `configured: false`), its own account (`units.treasury_account`) or none, and the
   * account its province designates. Undefined for an unknown unit.
   *
   * @example
   * ```ts
   * const t = await store.fees.treasuryConfig('05152');
   * t?.account ?? t?.provinceDesignatedAccount; // the account revenue is collected into
   * ```
   */
  async treasuryConfig(unitCode: string): Promise<UnitTreasuryConfig | undefined> {
    const u = await this.#db
      .selectFrom('units')
      .leftJoin('unit_treasury_configs', 'unit_treasury_configs.unit_code', 'units.code')
      .leftJoin(
        'province_treasury_accounts',
        'province_treasury_accounts.province_code',
        'units.province_code',
      )
      .select([
        'units.code',
        'units.name',
        'units.province_code',
        'units.treasury_account',
        'unit_treasury_configs.chapter',
        'unit_treasury_configs.collecting_agency',
        'unit_treasury_configs.account_holder',
        'unit_treasury_configs.sub_items',
        'unit_treasury_configs.updated_at',
        'unit_treasury_configs.updated_by',
        'province_treasury_accounts.account as province_account',
        'province_treasury_accounts.holder as province_holder',
      ])
      .where('units.code', '=', unitCode)
      .executeTakeFirst();
    if (!u) return undefined;
    return {
      unitCode: u.code,
      unitName: u.name,
      provinceCode: u.province_code,
      chapter: u.chapter ?? null,
      collectingAgency: u.collecting_agency ?? null,
      account: u.treasury_account ? accountParts(u.treasury_account, u.account_holder ?? u.name) : null,
      provinceDesignatedAccount: u.province_account
        ? accountParts(u.province_account, u.province_holder ?? '')
        : null,
      subItems: u.sub_items ? json<Record<string, string>>(u.sub_items) : {},
      configured: Boolean(u.chapter && u.collecting_agency),
      updatedAt: ts((u.updated_at as Date | null) ?? null),
      updatedBy: u.updated_by ?? null,
    };
  }

  /**
   * Sets a unit's State Treasury configuration in one transaction: chapter, collecting agency, sub-items,
   * and its own account (written to `units.treasury_account` as `treasuryCode/accountNumber`, so
   * {@link collectingAccount} follows) or none (`null`: the province's designated account is used).
   * The database refuses a chapter other than 3 digits or an agency other than 7; callers validate first.
   *
   * @example
   * ```ts
   * await store.fees.setTreasuryConfig('26740', { chapter: '805', collectingAgency: '1234567',
   *   account: { treasuryCode: '0111', accountNumber: '3511.1.9026740', holder: 'UBND phường Sài Gòn' },
   *   subItems: { 'certified-copy': '2716' } }, user.id);
   * ```
   */
  async setTreasuryConfig(
    unitCode: string,
    input: TreasuryConfigInput,
    actor: string,
  ): Promise<UnitTreasuryConfig> {
    const row = {
      chapter: input.chapter,
      collecting_agency: input.collectingAgency,
      account_holder: input.account?.holder ?? null,
      sub_items: JSON.stringify(input.subItems ?? {}),
      updated_at: new Date(),
      updated_by: actor,
    };
    await this.#db.transaction().execute(async (tx) => {
      const u = await tx
        .updateTable('units')
        .set({
          treasury_account: input.account
            ? `${input.account.treasuryCode}/${input.account.accountNumber}`
            : null,
        })
        .where('code', '=', unitCode)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0)
        throw new StoreError('store.unit_not_found', 404, 'No such unit', 'Không có đơn vị này');
      await tx
        .insertInto('unit_treasury_configs')
        .values({ unit_code: unitCode, ...row })
        .onConflict((oc) => oc.column('unit_code').doUpdateSet(row))
        .execute();
      await tx
        .insertInto('audit_log')
        .values({
          actor,
          action: 'treasury.config',
          unit_code: unitCode,
          dossier_id: null,
          detail: JSON.stringify({
            chapter: input.chapter,
            collectingAgency: input.collectingAgency,
            ownAccount: Boolean(input.account),
          }),
        })
        .execute();
    });
    return (await this.treasuryConfig(unitCode))!;
  }

  /**
   * Keeps the State Treasury's answer about a paid payment's revenue record: `submitted` (waiting to be
   * credited), `rejected` with its reason, or `credited` with the treasury's reference — the payment is then
   * remitted at `creditedAt` (a payment already marked remitted by hand keeps that time). Returns the
   * payment, or undefined when there is no such paid payment.
   *
   * @example
   * ```ts
   * const s = await treasury.status(recordId);
   * if (s.status === 'credited')
   *   await store.fees.recordTreasuryAnswer(payment.id, { recordId, status: 'credited', creditedAt: s.creditedAt, treasuryReference: s.treasuryReference });
   * ```
   */
  async recordTreasuryAnswer(paymentId: string, answer: TreasuryAnswer): Promise<PaymentRecord | undefined> {
    if (!UUID.test(paymentId)) return undefined;
    const credited = answer.status === 'credited';
    const at = credited ? new Date(parseInstant(answer.creditedAt ?? nowInstant())) : null;
    const r = await this.#db
      .updateTable('payments')
      .set({
        treasury_record_id: answer.recordId,
        treasury_status: answer.status,
        treasury_reason: answer.status === 'rejected' ? (answer.reason ?? 'rejected') : null,
        ...(credited
          ? {
              treasury_reference: answer.treasuryReference ?? null,
              credited_at: at,
              remitted_at: sql<Date>`coalesce(remitted_at, ${at})`,
            }
          : {}),
      })
      .where('id', '=', paymentId)
      .where('status', '=', 'paid')
      // A credited record stays credited (a late `submitted` answer read before it changes nothing).
      .where((eb) => eb.or([eb('treasury_status', 'is', null), eb('treasury_status', '<>', 'credited')]))
      .returning(['unit_code', 'dossier_id'])
      .executeTakeFirst();
    if (r)
      await this.#store.audit('state-treasury', `fee.treasury_${answer.status}`, r.unit_code, r.dossier_id, {
        recordId: answer.recordId,
        ...(answer.reason ? { reason: answer.reason } : {}),
      });
    return this.payment(paymentId);
  }

  /**
   * Paid fees of a set of units in a period (paid time, ISO instants), by method: the dashboard's online
   * payment share (Decision 766/QĐ-TTg indicator 3.6) is `online / paid`.
   *
   * @example
   * ```ts
   * const s = await store.fees.paymentShare(['05152'], '2026-11-01T00:00:00+07:00', '2026-12-01T00:00:00+07:00');
   * s.paid ? s.online / s.paid : null;
   * ```
   */
  async paymentShare(
    unitCodes: string[],
    from?: string,
    to?: string,
  ): Promise<{ paid: number; online: number; counter: number; amount: number }> {
    if (unitCodes.length === 0) return { paid: 0, online: 0, counter: 0, amount: 0 };
    let q = this.#db
      .selectFrom('payments')
      .select([
        sql<number>`count(*)::int`.as('paid'),
        sql<number>`count(*) filter (where method <> 'counter')::int`.as('online'),
        sql<string>`coalesce(sum(paid_amount), 0)`.as('amount'),
      ])
      .where('unit_code', 'in', unitCodes)
      .where('status', '=', 'paid');
    if (from) q = q.where('paid_at', '>=', new Date(parseInstant(from)));
    if (to) q = q.where('paid_at', '<', new Date(parseInstant(to)));
    const r = await q.executeTakeFirstOrThrow();
    const paid = Number(r.paid);
    const online = Number(r.online);
    return { paid, online, counter: paid - online, amount: Number(r.amount) };
  }
}

async function claim(tx: Transaction<Database>, inbox: { source: string; eventId: string }) {
  const r = await tx
    .insertInto('inbox')
    .values({ source: inbox.source, event_id: inbox.eventId })
    .onConflict((oc) => oc.columns(['source', 'event_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

const noFee = () =>
  new StoreError(
    'fee.not_computed',
    409,
    'No fee has been computed for this dossier',
    'Hồ sơ chưa được tính phí',
  );

const amountMismatch = (given: number, due: number) =>
  new StoreError(
    'fee.amount_mismatch',
    409,
    `amount: ${given} VND is not the fee due (${due} VND)`,
    `amount: ${given} đồng khác số phí phải nộp (${due} đồng)`,
  );
