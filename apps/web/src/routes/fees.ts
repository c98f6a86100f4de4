import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { toInstant } from '@motcua/calendar';
import { paymentReference, ValidationError } from '@motcua/core';
import type { DossierSummary, FeeRecord, PaymentRecord } from '@motcua/store';
import {
  amountInWords,
  CALLBACK_SIGNATURE_HEADER,
  computeFees,
  decodeVietQr,
  type FeeLine,
  type FeeProcedure,
  type FeeRequestInput,
  type NonceStore,
  PaymentCallbackSchema,
  type Receipt,
  receiptPdf,
  remittanceDeadline,
  renderVietQr,
  TreasuryError,
  verifyCallback,
} from '@motcua/treasury';
import type { Context } from 'hono';
import type { AppContext } from '../app.js';
import { type AppEnv, issuesOf, notFound, problem, requireRead, requireRole } from '../auth.js';
import { IdParam, json, Problem, problemResponses, UnitParam } from './common.js';

/** Who may collect a fee or ask for a payment (the roles that may record the `paid` event). */
const COLLECT = ['receptionist', 'unitAdmin'] as const;
const STAFF = ['receptionist', 'specialist', 'leader', 'unitAdmin'] as const;
/** The inbox source of the payment platform's callbacks. */
const INBOX = 'payment';
/**
 * Replays of a callback are answered from the inbox (same answer, one payment), so the nonce check of
 * `verifyCallback` lets every nonce through; the signature and the timestamp window are still checked.
 */
const INBOX_DEDUPES: NonceStore = { claim: () => true };

const FeeRequestBody = z
  .object({
    /** For per-page fees (certified copies): each original with its pages and the copies made of it. */
    documents: z
      .array(
        z.object({
          pages: z.number().int().positive().max(100_000),
          copies: z.number().int().positive().max(10_000),
        }),
      )
      .max(200)
      .optional(),
    copies: z.number().int().positive().max(10_000).optional(),
    cases: z.number().int().positive().max(10_000).optional(),
    /** Facts exemptions test, e.g. `registeredOnTime`, `poorHousehold`. */
    conditions: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .openapi('FeeRequest');

/** The warning that the fee cannot be computed (no schedule, no tariff), when the total is 0 for that reason. */
const unpricedWarning = (r: ReturnType<typeof computeFees>) =>
  r.total === 0 ? r.warnings.find((w) => w.code === 'fee.no_schedule') : undefined;

const PaymentView = z
  .object({
    id: z.string(),
    method: z.enum(['counter', 'vietqr', 'platform']),
    status: z.enum(['pending', 'paid', 'failed', 'expired', 'flagged']),
    amount: z.number(),
    paidAmount: z.number().nullable(),
    reference: z.string(),
    platformPaymentId: z.string().nullable(),
    vietQr: z.string().nullable(),
    payerUrl: z.string().nullable(),
    expiresAt: z.string().nullable(),
    requestedAt: z.string(),
    paidAt: z.string().nullable(),
    receiptNumber: z.string().nullable(),
    treasuryAccount: z.string().nullable(),
    designatedAccount: z.boolean().nullable(),
    remitBy: z.string().nullable(),
    remittedAt: z.string().nullable(),
    flags: z.array(z.string()),
    dossierCode: z.string().optional(),
    /** The State Treasury's answer about the payment's revenue record (null: not sent). */
    treasuryStatus: z.enum(['submitted', 'credited', 'rejected']).nullable(),
    /** The treasury's document number once credited. */
    treasuryReference: z.string().nullable(),
    /** When the treasury credited the money to the budget. */
    creditedAt: z.string().nullable(),
    /** Why the treasury rejected the record. */
    treasuryReason: z.string().nullable(),
  })
  .openapi('Payment');

const FeeView = z
  .object({
    dossierId: z.string(),
    dossierCode: z.string(),
    /** `due`, `paid`, or `waived` (nothing to pay). */
    /**
     * `unpriced`: no fee schedule for this procedure and no province tariff, so the fee cannot be computed
     * (a total of 0 there is not an exemption); collection is refused with `fee.no_schedule` until the
     * tariff is loaded or a statutory exemption's conditions are declared.
     */
    status: z.enum(['due', 'paid', 'waived', 'unpriced']),
    amount: z.number(),
    reference: z.string(),
    lines: z.array(z.record(z.string(), z.unknown())),
    warnings: z.array(z.record(z.string(), z.unknown())),
    request: z.record(z.string(), z.unknown()),
    paidAt: z.string().nullable(),
    receiptNumber: z.string().nullable(),
    receiptUrl: z.string().nullable(),
    payments: z.array(PaymentView),
    pendingPayment: PaymentView.nullable(),
    account: z.object({ account: z.string(), holder: z.string(), designated: z.boolean() }).nullable(),
    /** Whether a payment platform is connected (VietQR and online payment possible). */
    onlinePayment: z.boolean(),
    /** Demo mode: `POST /api/payments/{paymentId}/demo-pay` stands in for the citizen's bank app. */
    demoPay: z.boolean(),
  })
  .openapi('Fee');

const viewOf = (p: PaymentRecord): z.infer<typeof PaymentView> => ({
  id: p.id,
  method: p.method,
  status: p.status,
  amount: p.amount,
  paidAmount: p.paidAmount,
  reference: p.reference,
  platformPaymentId: p.platformPaymentId,
  vietQr: p.vietQr,
  payerUrl: p.payerUrl,
  expiresAt: p.expiresAt,
  requestedAt: p.requestedAt,
  paidAt: p.paidAt,
  receiptNumber: p.receipt ? `${p.receipt.series}/${p.receipt.number}` : null,
  treasuryAccount: p.treasuryAccount,
  designatedAccount: p.designatedAccount,
  remitBy: p.remitBy,
  remittedAt: p.remittedAt,
  flags: p.flags,
  ...(p.dossierCode ? { dossierCode: p.dossierCode } : {}),
  treasuryStatus: p.treasuryStatus,
  treasuryReference: p.treasuryReference,
  creditedAt: p.creditedAt,
  treasuryReason: p.treasuryReason,
});

/** The short transfer reference of a dossier (core's `paymentReference`, or the code's last 19 letters and digits). */
function referenceOf(code: string): string {
  try {
    return paymentReference(code);
  } catch {
    return code
      .replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase()
      .slice(-19);
  }
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const vnDay = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Fees, payment and the treasury in the reference app: a dossier's fee computed from its procedure's
 * schedule (@motcua/treasury `computeFees`), collection at the counter, a VietQR through the payment
 * platform with its signed callback (verified; a replay answers the same and records one payment), the fee
 * receipt as a PDF, the unit's daily reconciliation and its remittance deadlines (8 working hours for online
 * collections, Decree 118/2025 Art. 24), and the online payment share for the dashboard.
 */
export function register(app: OpenAPIHono<AppEnv>, ctx: AppContext) {
  const { store, config, log } = ctx;
  const platform = () => ctx.integrations?.payments;
  /** The revenue record for the State Treasury, written with the payment (when a treasury channel is connected). */
  const treasuryMessages = () => {
    const messages = ctx.integrations?.messagesForPayment();
    return messages ? { messages } : {};
  };

  const loadDossier = async (c: Context<AppEnv>, id: string) => {
    const d = await store.getDossier(id);
    if (!d) throw notFound();
    requireRead(c, d.unitCode);
    return d;
  };

  /** The fee as computed now from the procedure's schedule (nothing written). */
  const compute = async (d: DossierSummary, asked?: FeeRequestInput | Record<string, unknown>) => {
    const [procedure, unit, extra] = await Promise.all([
      store.getProcedure(d.unitCode, d.procedureCode),
      store.getUnit(d.unitCode),
      asked ? Promise.resolve(undefined) : store.dossierForm(d.id),
    ]);
    const request = (asked ??
      (extra?.form.fee as Record<string, unknown> | undefined) ??
      {}) as FeeRequestInput;
    const r = computeFees(
      (procedure ?? { code: d.procedureCode }) as unknown as FeeProcedure,
      { ...request, channel: d.channel, ...(unit ? { province: unit.provinceCode } : {}) },
      { at: d.receivedAt },
    );
    return { result: r, request };
  };

  /** The stored fee, computed and stored first when there is none (or when new quantities are given). */
  const ensureFee = async (d: DossierSummary, actor: string, asked?: FeeRequestInput): Promise<FeeRecord> => {
    const stored = await store.fees.fee(d.id);
    if (stored && (!asked || stored.status === 'paid')) return stored;
    const { result, request } = await compute(d, asked);
    const unpriced = unpricedWarning(result);
    if (unpriced)
      throw problem(409, 'fee.no_schedule', unpriced.message.en, unpriced.message.vi ?? unpriced.message.en, {
        issues: [{ path: 'fee', code: 'fee.no_schedule', message: unpriced.message }],
      });
    return store.fees.setFee({
      dossierId: d.id,
      amount: result.total,
      lines: result.lines,
      request: request as Record<string, unknown>,
      reference: referenceOf(d.code),
      actor,
    });
  };

  /** Settles (or flags) a platform payment the platform reports paid: from a callback or a status query. */
  const settle = async (
    p: PaymentRecord,
    cb: { event: string; paymentId: string; amount: number; paidAt?: string; transactionId?: string },
  ): Promise<PaymentRecord | undefined> => {
    const inbox = { source: INBOX, eventId: `${cb.paymentId}:${cb.event}` };
    const paidAt = cb.paidAt ?? toInstant(Date.now());
    if (cb.event !== 'payment.paid')
      return (
        await store.fees.flagPayment({
          platformPaymentId: cb.paymentId,
          status: cb.event === 'payment.failed' ? 'failed' : 'expired',
          inbox,
        })
      ).payment;
    const fee = await store.fees.fee(p.dossierId);
    const flag = (flags: string[]) =>
      store.fees.flagPayment({
        platformPaymentId: cb.paymentId,
        status: 'flagged',
        paidAmount: cb.amount,
        paidAt,
        ...(cb.transactionId ? { transactionId: cb.transactionId } : {}),
        flags,
        inbox,
      });
    if (!fee || cb.amount !== p.amount || cb.amount !== fee.amount)
      return (await flag(['amount_mismatch'])).payment;
    if (fee.status === 'paid') {
      const mine = (await store.fees.payments(p.dossierId)).find((x) => x.platformPaymentId === cb.paymentId);
      if (mine?.status === 'paid') return mine; // the same payment, reported again
      return (await flag(['already_paid'])).payment; // money arrived twice: refund
    }
    const late = p.expiresAt !== null && Date.parse(paidAt) > Date.parse(p.expiresAt);
    const account = await store.fees.collectingAccount(p.unitCode);
    const remitBy = remittanceDeadline(paidAt, { calendar: (await store.calendarOf(p.unitCode)) as never });
    try {
      const { payment } = await store.fees.recordPayment({
        dossierId: p.dossierId,
        method: p.method,
        amount: cb.amount,
        paidAt,
        platformPaymentId: cb.paymentId,
        ...(cb.transactionId ? { transactionId: cb.transactionId } : {}),
        inbox,
        account: account ?? null,
        remitBy,
        flags: [...(late ? ['late'] : []), ...(account ? [] : ['no_account'])],
        actor: null,
        ...treasuryMessages(),
      });
      return payment;
    } catch (e) {
      if ((e as { code?: string }).code === 'fee.already_paid') return (await flag(['already_paid'])).payment;
      throw e;
    }
  };

  /** A lost callback is recovered by asking the platform about payments still pending here. */
  const refresh = async (pending: PaymentRecord[]) => {
    const p = platform();
    if (!p) return;
    for (const x of pending) {
      if (!x.platformPaymentId) continue;
      try {
        const remote = await p.client.get(x.platformPaymentId);
        if (remote.status === 'paid')
          await settle(x, {
            event: 'payment.paid',
            paymentId: remote.paymentId,
            amount: remote.amount,
            ...(remote.paidAt ? { paidAt: remote.paidAt } : {}),
            ...(remote.transactionId ? { transactionId: remote.transactionId } : {}),
          });
      } catch (e) {
        log.warn('payment status query failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  };

  /** The unit's remittance comes from the treasury's answers: a channel is connected and the unit configured. */
  const treasuryChannel = async (unit: string) =>
    Boolean(ctx.integrations?.treasury && (await store.fees.treasuryConfig(unit))?.configured);

  const feeView = async (d: DossierSummary): Promise<z.infer<typeof FeeView>> => {
    let stored = await store.fees.fee(d.id);
    let payments = stored ? await store.fees.payments(d.id) : [];
    const pending = payments.filter((p) => p.status === 'pending');
    if (pending.length > 0 && platform()) {
      await refresh(pending);
      stored = await store.fees.fee(d.id);
      payments = await store.fees.payments(d.id);
    }
    const computed = stored ? undefined : (await compute(d)).result;
    const account = await store.fees.collectingAccount(d.unitCode);
    const open = payments
      .filter((p) => p.status === 'pending' && (!p.expiresAt || Date.parse(p.expiresAt) > Date.now()))
      .at(-1);
    const status =
      stored?.status ?? (unpricedWarning(computed!) ? 'unpriced' : computed!.total === 0 ? 'waived' : 'due');
    return {
      dossierId: d.id,
      dossierCode: d.code,
      status,
      amount: stored?.amount ?? computed!.total,
      reference: stored?.reference ?? referenceOf(d.code),
      lines: (stored?.lines ?? computed!.lines) as Record<string, unknown>[],
      warnings: (computed?.warnings ?? []) as unknown as Record<string, unknown>[],
      request: stored?.request ?? {},
      paidAt: stored?.paidAt ?? null,
      receiptNumber: stored?.receiptNumber ?? null,
      receiptUrl: status === 'paid' ? `/api/dossiers/${d.id}/fee/receipt.pdf` : null,
      payments: payments.map(viewOf),
      pendingPayment: open ? viewOf(open) : null,
      account: account ?? null,
      onlinePayment: Boolean(platform()),
      demoPay: Boolean(ctx.integrations?.demo?.payment),
    };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dossiers/{id}/fee',
      summary:
        'A dossier’s fee: amount, lines (each naming its rule and legal basis), status, payments, the pending VietQR',
      request: { params: IdParam },
      responses: { 200: json(FeeView), ...problemResponses },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      return c.json(await feeView(d), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/dossiers/{id}/fee',
      summary: 'Recompute the fee with what is counted (pages, copies, cases, conditions); refused once paid',
      request: { params: IdParam, body: { content: { 'application/json': { schema: FeeRequestBody } } } },
      responses: {
        200: json(FeeView),
        409: {
          description: 'Already paid, or no fee schedule (fee.no_schedule)',
          content: { 'application/problem+json': { schema: Problem } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      const caller = requireRole(c, d.unitCode, COLLECT);
      const fee = await ensureFee(d, caller.user.id, c.req.valid('json') as FeeRequestInput);
      if (fee.status === 'paid')
        throw problem(409, 'fee.already_paid', 'The fee is already paid', 'Phí đã được nộp', {
          issues: [{ path: 'fee', code: 'fee.already_paid', message: { en: 'already paid', vi: 'đã nộp' } }],
        });
      return c.json(await feeView(d), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/dossiers/{id}/fee/counter',
      summary:
        'Collect the fee at the counter: the payment, the dossier’s `paid` event and the receipt number in one transaction',
      request: {
        params: IdParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({ amount: z.number().int().positive().openapi({ example: 14000 }) }),
            },
          },
        },
      },
      responses: {
        201: json(z.object({ payment: PaymentView, receiptUrl: z.string() })),
        409: {
          description: 'Already paid, nothing due, or no fee schedule (fee.no_schedule)',
          content: { 'application/problem+json': { schema: Problem } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      const caller = requireRole(c, d.unitCode, COLLECT);
      const { amount } = c.req.valid('json');
      const fee = await ensureFee(d, caller.user.id);
      if (fee.status === 'due' && amount !== fee.amount)
        throw problem(
          400,
          'validation_failed',
          `amount: ${amount} VND is not the fee due (${fee.amount} VND)`,
          `amount: ${amount} đồng khác số phí phải nộp (${fee.amount} đồng)`,
          {
            issues: [
              {
                path: 'amount',
                code: 'fee.amount_mismatch',
                message: {
                  en: `the fee due is ${fee.amount} VND`,
                  vi: `số phí phải nộp là ${fee.amount} đồng`,
                },
              },
            ],
          },
        );
      const account = await store.fees.collectingAccount(d.unitCode);
      const { payment } = await store.fees.recordPayment({
        dossierId: d.id,
        method: 'counter',
        amount,
        account: account ?? null,
        officer: { id: caller.user.id, name: caller.user.fullName },
        actor: caller.user.id,
        ...treasuryMessages(),
      });
      return c.json({ payment: viewOf(payment), receiptUrl: `/api/dossiers/${d.id}/fee/receipt.pdf` }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/dossiers/{id}/fee/vietqr',
      summary:
        'Ask the payment platform for a payment of the fee: the VietQR (EMV payload and an SVG QR code) and the payer page',
      request: {
        params: IdParam,
        body: {
          required: false,
          content: {
            'application/json': {
              schema: z.object({ method: z.enum(['vietqr', 'platform']).default('vietqr') }),
            },
          },
        },
      },
      responses: {
        201: json(
          z.object({
            payment: PaymentView,
            vietQr: z.string(),
            svg: z.string(),
            bankBin: z.string(),
            accountNumber: z.string(),
            amount: z.number(),
            purpose: z.string(),
          }),
        ),
        409: {
          description: 'Already paid, nothing due, or no fee schedule (fee.no_schedule)',
          content: { 'application/problem+json': { schema: Problem } },
        },
        503: {
          description: 'No payment platform connected',
          content: { 'application/problem+json': { schema: Problem } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      const caller = requireRole(c, d.unitCode, COLLECT);
      const method = (await c.req.json().catch(() => ({})))?.method === 'platform' ? 'platform' : 'vietqr';
      const p = platform();
      if (!p)
        throw problem(
          503,
          'payment.not_configured',
          'No payment platform is connected: collect at the counter',
          'Chưa kết nối nền tảng thanh toán: hãy thu tại quầy',
        );
      const fee = await ensureFee(d, caller.user.id);
      if (fee.status === 'paid')
        throw problem(409, 'fee.already_paid', 'The fee is already paid', 'Phí đã được nộp', {
          issues: [{ path: 'fee', code: 'fee.already_paid', message: { en: 'already paid', vi: 'đã nộp' } }],
        });
      if (fee.status === 'waived')
        throw problem(409, 'fee.not_due', 'Nothing is due for this dossier', 'Hồ sơ này không phải nộp phí', {
          issues: [
            { path: 'fee', code: 'fee.not_due', message: { en: 'nothing due', vi: 'không phải nộp' } },
          ],
        });
      const base = config.publicUrl ?? new URL(c.req.url).origin;
      let created: Awaited<ReturnType<typeof p.client.create>>;
      try {
        created = await p.client.create({
          // A new amount (the fee recomputed) is a new fee for the platform.
          feeId: `${d.code}:${fee.amount}`,
          dossierCode: d.code,
          amount: fee.amount,
          reference: fee.reference,
          callbackUrl: `${base}/api/payments/callback`,
          expiresInSec: 900,
        });
      } catch (e) {
        if (e instanceof TreasuryError && e.code.startsWith('payment.'))
          throw problem(409, e.code, e.localized.en, e.localized.vi, {
            issues: [{ path: e.field ?? 'fee', code: e.code, message: e.localized }],
          });
        throw e;
      }
      const payment = await store.fees.requestPayment({
        dossierId: d.id,
        method,
        amount: created.amount,
        reference: created.reference,
        platformPaymentId: created.paymentId,
        vietQr: created.vietQr,
        payerUrl: created.payerUrl,
        expiresAt: created.expiresAt,
        actor: caller.user.id,
      });
      const qr = decodeVietQr(created.vietQr);
      return c.json(
        {
          payment: viewOf(payment),
          vietQr: created.vietQr,
          svg: await renderVietQr(created.vietQr, { format: 'svg', width: 260, margin: 2 }),
          bankBin: qr.bankBin,
          accountNumber: qr.accountNumber ?? '',
          amount: qr.amount ?? created.amount,
          purpose: qr.purpose ?? created.reference,
        },
        201,
      );
    },
  );

  // The payment platform's signed callback (no session: the signature is the authentication).
  app.post('/api/payments/callback', async (c) => {
    const p = platform();
    if (!p) throw notFound();
    const raw = await c.req.text();
    try {
      await verifyCallback({
        body: raw,
        header: c.req.header(CALLBACK_SIGNATURE_HEADER),
        secret: p.callbackSecret,
        nonces: INBOX_DEDUPES,
      });
    } catch (e) {
      if (e instanceof TreasuryError) {
        log.warn('payment callback refused', { code: e.code });
        throw problem(401, e.code, e.localized.en, e.localized.vi, {
          issues: [{ path: e.field ?? CALLBACK_SIGNATURE_HEADER, code: e.code, message: e.localized }],
        });
      }
      throw e;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw problem(400, 'validation_failed', 'body: not JSON', 'body: không phải JSON', {
        issues: [{ path: 'body', code: 'callback.body', message: { en: 'not JSON', vi: 'không phải JSON' } }],
      });
    }
    const parsed = PaymentCallbackSchema.safeParse(body);
    if (!parsed.success) {
      const issues = ValidationError.fromZod(parsed.error).issues;
      throw problem(
        400,
        'validation_failed',
        'The callback has invalid fields',
        'Lời gọi lại có trường không hợp lệ',
        {
          issues: issuesOf(issues),
        },
      );
    }
    const cb = parsed.data;
    const known = await store.fees.paymentByPlatformId(cb.paymentId);
    if (!known) {
      await store.audit('payment-platform', 'fee.payment_unknown', null, null, {
        paymentId: cb.paymentId,
        event: cb.event,
        amount: cb.amount,
      });
      return c.json({ received: true, paymentId: cb.paymentId, status: 'unknown' });
    }
    const settled = await settle(known, cb);
    return c.json({ received: true, paymentId: cb.paymentId, status: settled?.status ?? known.status });
  });

  // The fee receipt (biên lai điện tử): a PDF, or JSON with `?format=json`.
  const receipt = async (c: Context<AppEnv>) => {
    const d = await loadDossier(c, c.req.param('id')!);
    const caller = requireRole(c, d.unitCode, STAFF);
    const fee = await store.fees.fee(d.id);
    const paid = (await store.fees.payments(d.id)).find((p) => p.status === 'paid');
    if (fee?.status !== 'paid' || !paid?.receipt || !paid.paidAt)
      throw problem(
        409,
        'fee.not_paid',
        'The fee is not paid: no receipt yet',
        'Phí chưa nộp: chưa có biên lai',
        {
          issues: [{ path: 'fee', code: 'fee.not_paid', message: { en: 'not paid', vi: 'chưa nộp' } }],
        },
      );
    const applicant = await store.dossierApplicant(d.id, caller.user.id, 'In biên lai thu phí');
    const payerName =
      applicant?.kind === 'person'
        ? applicant.person.fullName
        : applicant?.kind === 'organization'
          ? applicant.organization.name
          : '—';
    const amount = paid.paidAmount ?? paid.amount;
    const r: Receipt = {
      id: `${paid.receipt.series}/${paid.receipt.number}`,
      unitCode: d.unitCode,
      template: '01BLP0-001',
      series: paid.receipt.series,
      year: Number(vnDay(Date.parse(paid.paidAt)).slice(0, 4)),
      number: paid.receipt.number,
      issuedAt: paid.paidAt,
      dossierCode: d.code,
      feeId: fee.id,
      paymentId: paid.platformPaymentId ?? paid.id,
      payerName,
      lines: (fee.lines as FeeLine[]).map((l) => ({
        description: `${l.name.vi}${l.detail ? ` (${l.detail})` : ''}`,
        amount: l.amount,
        legalBasis: l.legalBasis,
      })),
      amount,
      amountInWords: amountInWords(amount),
      status: 'issued',
      trail: [{ at: paid.paidAt, action: 'issued' }],
    };
    if (c.req.query('format') === 'json')
      return c.json({
        ...r,
        method: paid.method,
        treasuryAccount: paid.treasuryAccount,
        designatedAccount: paid.designatedAccount,
      });
    const unit = (await store.getUnit(d.unitCode))!;
    const pdf = await receiptPdf(r, { unitName: `UBND ${unit.name}` });
    return c.body(pdf as never, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="bien-lai-${d.code}.pdf"`,
    });
  };
  app.get('/api/dossiers/:id/fee/receipt.pdf', receipt);
  app.get('/api/dossiers/:id/fee/receipt', receipt);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/fees/reconciliation',
      summary:
        'The unit’s daily reconciliation (payments of the day by method, flagged ones) and remittance status (payments past the 8-working-hour deadline)',
      request: {
        params: UnitParam,
        query: z.object({
          day: z.string().regex(dayPattern).optional().openapi({ example: '2026-12-03' }),
          /** The instant the remittance deadlines are judged at (default now). */
          at: z.iso.datetime({ offset: true }).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            unitCode: z.string(),
            day: z.string(),
            at: z.string(),
            account: z
              .object({ account: z.string(), holder: z.string(), designated: z.boolean() })
              .nullable(),
            /**
             * Whether the unit's remittance comes from the State Treasury's answers (a treasury channel connected
             * and the unit configured): each payment then shows its treasury status, reference and credited time.
             */
            treasuryChannel: z.boolean(),
            totals: z.object({
              count: z.number(),
              amount: z.number(),
              byMethod: z.record(z.string(), z.object({ count: z.number(), amount: z.number() })),
            }),
            payments: z.array(PaymentView),
            flagged: z.array(PaymentView),
            remittance: z.object({
              limit: z.object({ unit: z.string(), value: z.number() }),
              unremitted: z.array(PaymentView.extend({ late: z.boolean() })),
              late: z.number(),
            }),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRole(c, unit, ['receptionist', 'leader', 'unitAdmin']);
      const q = c.req.valid('query');
      const atMs = q.at ? Date.parse(q.at) : Date.now();
      const day = q.day ?? vnDay(atMs);
      const ofDay = await store.fees.paymentsOfDay(unit, day);
      const paid = ofDay.filter((p) => p.status === 'paid');
      const byMethod: Record<string, { count: number; amount: number }> = {
        counter: { count: 0, amount: 0 },
        vietqr: { count: 0, amount: 0 },
        platform: { count: 0, amount: 0 },
      };
      for (const p of paid) {
        byMethod[p.method]!.count++;
        byMethod[p.method]!.amount += p.paidAmount ?? 0;
      }
      const unremitted = (await store.fees.unremitted(unit)).map((p) => ({
        ...viewOf(p),
        late: p.remitBy !== null && Date.parse(p.remitBy) < atMs,
      }));
      return c.json(
        {
          unitCode: unit,
          day,
          at: toInstant(atMs),
          account: (await store.fees.collectingAccount(unit)) ?? null,
          treasuryChannel: await treasuryChannel(unit),
          totals: {
            count: paid.length,
            amount: paid.reduce((s, p) => s + (p.paidAmount ?? 0), 0),
            byMethod,
          },
          payments: paid.map(viewOf),
          flagged: ofDay.filter((p) => p.status === 'flagged').map(viewOf),
          remittance: {
            limit: { unit: 'workingHours', value: 8 },
            unremitted,
            late: unremitted.filter((p) => p.late).length,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/units/{unit}/fees/remitted',
      summary:
        'Record that paid payments reached the State budget (remitted) by hand; refused (409 treasury.channel_configured) when the unit’s remittance comes from the State Treasury’s answers',
      request: {
        params: UnitParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                paymentIds: z.array(z.uuid()).min(1).max(1000),
                at: z.iso.datetime({ offset: true }).optional(),
              }),
            },
          },
        },
      },
      responses: { 200: json(z.object({ remitted: z.number() })), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = requireRole(c, unit, ['leader', 'unitAdmin']);
      const body = c.req.valid('json');
      if (await treasuryChannel(unit))
        throw problem(
          409,
          'treasury.channel_configured',
          'This unit’s fees are remitted when the State Treasury credits them: they cannot be marked by hand',
          'Phí của đơn vị được ghi nộp ngân sách khi Kho bạc Nhà nước báo có: không đánh dấu thủ công',
          {
            issues: [
              {
                path: 'paymentIds',
                code: 'treasury.channel_configured',
                message: {
                  en: 'remitted when the State Treasury credits them',
                  vi: 'ghi nộp khi Kho bạc báo có',
                },
              },
            ],
          },
        );
      const n = await store.fees.markRemitted(
        unit,
        body.paymentIds,
        body.at ?? toInstant(Date.now()),
        caller.user.id,
      );
      return c.json({ remitted: n }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/fees/share',
      summary:
        'Paid fees by method in a period: the online payment share (Decision 766/QĐ-TTg indicator 3.6)',
      request: {
        params: UnitParam,
        query: z.object({
          from: z.string().regex(dayPattern).optional(),
          to: z.string().regex(dayPattern).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            paid: z.number(),
            online: z.number(),
            counter: z.number(),
            amount: z.number(),
            share: z.number().nullable(),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRead(c, unit);
      const { from, to } = c.req.valid('query');
      const s = await store.fees.paymentShare(
        [unit],
        from ? `${from}T00:00:00+07:00` : undefined,
        to ? toInstant(Date.parse(`${to}T00:00:00+07:00`) + 86_400_000) : undefined,
      );
      return c.json({ ...s, share: s.paid ? s.online / s.paid : null }, 200);
    },
  );

  // Demo mode only: the citizen pays the VietQR (the simulator stands in for the bank app and calls back).
  app.post('/api/payments/:paymentId/demo-pay', async (c) => {
    const sim = ctx.integrations?.demo?.payment;
    if (!sim) throw notFound();
    const p = await store.fees.paymentByPlatformId(c.req.param('paymentId'));
    if (!p) throw notFound();
    requireRole(c, p.unitCode, STAFF);
    if (p.status !== 'pending')
      throw problem(
        409,
        'payment.not_pending',
        'This payment is not pending',
        'Khoản thanh toán không ở trạng thái chờ',
      );
    const deliveries = await sim.pay(p.platformPaymentId!);
    return c.json({ deliveries: deliveries.map((x) => ({ status: x.status })) });
  });
}
