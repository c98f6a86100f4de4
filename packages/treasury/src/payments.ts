import { InstantSchema, parseWith, ValidationError, VndSchema } from '@motcua/core';
import { createHttpClient, type HttpClientOptions, HttpError } from '@motcua/http';
import { z } from 'zod';
import { MemoryNonceStore, type NonceStore, verifyCallback } from './callback.js';
import { fail } from './errors.js';
import { vnInstant } from './time.js';
import { decodeVietQr } from './vietqr.js';

const Reference = z.string().regex(/^[A-Z0-9]{1,19}$/, 'payment reference: 1-19 of A-Z 0-9');

/** What a commune asks the payment platform for: one payment of one dossier fee. */
export const CreatePaymentRequestSchema = z.object({
  /** The dossier fee's ID in the commune's system: a fee is paid once (the platform is idempotent on it). */
  feeId: z.string().regex(/^[A-Za-z0-9._:/-]{1,64}$/),
  dossierCode: z.string().min(1).max(64),
  /** Integer dong, positive. */
  amount: VndSchema.refine((v) => v > 0, 'amount must be positive'),
  /** The short reference put in the transfer content (`paymentReference(dossierCode)` from core). */
  reference: Reference,
  /** Where the platform posts the signed result. */
  callbackUrl: z.url().optional(),
  /** How long the payer has, seconds. Default 900 (15 minutes). */
  expiresInSec: z.number().int().min(60).max(86_400).optional(),
});
export type CreatePaymentRequest = z.input<typeof CreatePaymentRequestSchema>;

/** Status of a payment on the platform. */
export const PaymentStatusSchema = z.enum(['pending', 'paid', 'expired', 'failed']);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

/** A payment as the platform reports it. */
export const PaymentSchema = z.object({
  paymentId: z.string().min(1),
  feeId: z.string().min(1),
  dossierCode: z.string().min(1),
  amount: VndSchema,
  reference: Reference,
  status: PaymentStatusSchema,
  /** The page the citizen opens to pay (card, wallet or bank). */
  payerUrl: z.url(),
  /** A dynamic VietQR payload for a bank transfer of exactly this amount and reference. */
  vietQr: z.string().min(20),
  createdAt: InstantSchema,
  expiresAt: InstantSchema,
  paidAt: InstantSchema.optional(),
  /** The bank's or the platform's transaction ID once paid. */
  transactionId: z.string().optional(),
});
export type Payment = z.infer<typeof PaymentSchema>;

/** The body of a payment callback. */
export const PaymentCallbackSchema = z.object({
  event: z.enum(['payment.paid', 'payment.failed', 'payment.expired']),
  paymentId: z.string().min(1),
  feeId: z.string().min(1),
  reference: Reference,
  amount: VndSchema,
  /** When the payer paid (for `payment.paid`). */
  paidAt: InstantSchema.optional(),
  transactionId: z.string().optional(),
  /** When the platform sent it. */
  sentAt: InstantSchema,
});
export type PaymentCallback = z.infer<typeof PaymentCallbackSchema>;

/**
 * One payment platform, as the SDK needs it (the Portal's payment platform, a province gateway...). The
 * default implementation speaks the documented protocol of `openapi.yaml` over HTTP; another platform is
 * another implementation of this interface.
 */
export interface PaymentProvider {
  create(request: z.output<typeof CreatePaymentRequestSchema>): Promise<unknown>;
  get(paymentId: string): Promise<unknown>;
  /** The payments of a fee, newest first. */
  byFee(feeId: string): Promise<unknown>;
}

/**
 * The HTTP provider of the documented protocol.
 *
 * @example
 * ```ts
 * import { createPaymentClient, httpPaymentProvider } from '@motcua/treasury';
 * const http = httpPaymentProvider({ baseUrl, auth });
 * await http.create({ feeId: 'F1', dossierCode: 'D1', amount: 14000, reference: 'REF1' });
 * // { paymentId: 'PAY-…', status: 'pending', vietQr: '000201…', … } as the platform sent it: the client validates it
 * const payments = createPaymentClient({ baseUrl, auth, provider: http }); // the default; another platform is another provider
 * ```
 */
export function httpPaymentProvider(options: HttpClientOptions): PaymentProvider {
  const http = createHttpClient(options);
  return {
    create: async (request) => (await http.post('payments', { json: request })).data,
    get: async (id) => (await http.get(`payments/${encodeURIComponent(id)}`)).data,
    byFee: async (feeId) => (await http.get('payments', { searchParams: { feeId } })).data,
  };
}

function answer<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ValidationError(
      [
        {
          path: ['response', ...r.error.issues[0]!.path.map(String)],
          code: 'payment.invalid_response',
          message: {
            en: 'The payment platform sent an answer that does not follow the protocol',
            vi: 'Nền tảng thanh toán trả dữ liệu không đúng giao thức',
          },
        },
      ],
      { cause: r.error },
    );
  return r.data;
}

/** Options of {@link createPaymentClient}. */
export type PaymentClientOptions = HttpClientOptions & { provider?: PaymentProvider };

/**
 * A client of a payment platform: create a payment for a dossier fee (the payer URL and a VietQR come
 * back; the VietQR is decoded and must carry the same amount and reference), get its status, and list a
 * fee's payments. Idempotent on the fee ID: each call carries an idempotency key reused by its retries, and
 * the platform answers a second create for a fee with a pending payment of the same amount with that
 * payment, so a create repeated after a dropped connection returns the same payment; a fee already paid is
 * refused (`payment.already_paid`).
 *
 * @example
 * ```ts
 * import { createPaymentClient } from '@motcua/treasury';
 * const payments = createPaymentClient({ baseUrl: 'https://pay.example.gov.vn/v1/', auth: { type: 'oauth2', tokenUrl, clientId, clientSecret } });
 * const p = await payments.create({ feeId: 'HS-1/fee-1', dossierCode: '000.00.19.H57-260302-0001', amount: 14000, reference: '00000192603020001' });
 * p.payerUrl; p.vietQr;
 * ```
 */
export function createPaymentClient(options: PaymentClientOptions) {
  const provider = options.provider ?? httpPaymentProvider(options);
  const check = (p: Payment): Payment => {
    const qr = decodeVietQr(p.vietQr);
    if (qr.amount !== p.amount || qr.purpose !== p.reference)
      fail(
        'payment.vietqr_mismatch',
        'The VietQR from the platform does not carry the payment amount and reference',
        'Mã VietQR của nền tảng không mang đúng số tiền và mã tham chiếu của khoản thanh toán',
        'vietQr',
      );
    return p;
  };
  return {
    /** Creates (or, for a fee with a pending payment of the same amount, returns) the payment of a fee. */
    async create(request: CreatePaymentRequest): Promise<Payment> {
      const req = parseWith(CreatePaymentRequestSchema, request);
      try {
        return check(answer(PaymentSchema, await provider.create(req)));
      } catch (e) {
        if (e instanceof HttpError && e.serverCode === 'payment.already_paid')
          fail(
            'payment.already_paid',
            'This fee is already paid: a second payment is refused',
            'Khoản phí này đã được thanh toán: không nhận thanh toán lần hai',
            'feeId',
            { cause: e.code },
          );
        if (e instanceof HttpError && e.serverCode === 'payment.fee_conflict')
          fail(
            'payment.fee_conflict',
            'This fee has a pending payment of another amount',
            'Khoản phí này đang có giao dịch chờ với số tiền khác',
            'amount',
          );
        throw e;
      }
    },
    async get(paymentId: string): Promise<Payment> {
      return check(answer(PaymentSchema, await provider.get(paymentId)));
    },
    async byFee(feeId: string): Promise<Payment[]> {
      return answer(z.object({ payments: z.array(PaymentSchema) }), await provider.byFee(feeId)).payments.map(
        check,
      );
    },
  };
}
/** The client made by {@link createPaymentClient}. */
export type PaymentClient = ReturnType<typeof createPaymentClient>;

/** What happened to a callback. */
export type CallbackOutcome =
  /** Recorded as paid. */
  | 'paid'
  /** Paid after the payment had timed out here: recorded, flagged for reconciliation. */
  | 'late'
  /** Already recorded (a second delivery with a new nonce): nothing changes. */
  | 'duplicate'
  /** The amount differs from the one asked: recorded, flagged. */
  | 'amount_mismatch'
  /** A payment this ledger never created: kept, flagged. */
  | 'unknown_payment'
  /**
   * A second payment of a fee already paid (typically a transfer that lands after its payment timed out and
   * a new payment was made): recorded, flagged for a refund.
   */
  | 'paid_twice'
  | 'failed'
  | 'expired';

/** A payment as the commune's ledger tracks it. */
export interface LedgerEntry {
  paymentId: string;
  feeId: string;
  dossierCode: string;
  reference: string;
  /** The amount asked. */
  amount: number;
  /** The amount the platform reported paid. */
  paidAmount?: number;
  status: PaymentStatus;
  createdAt: string;
  expiresAt: string;
  paidAt?: string;
  transactionId?: string;
  /** The paid callback (or status query) came after the payment had timed out here. */
  late: boolean;
  /** Needs a person: late, amount mismatch, unknown payment, a fee paid twice. */
  flags: CallbackOutcome[];
}

/** Options of {@link PaymentLedger}. */
export interface PaymentLedgerOptions {
  client: PaymentClient;
  /** The callback secret (current and previous during a rotation). */
  secret: string | readonly string[];
  nonces?: NonceStore;
  /** Callback timestamp tolerance, seconds. Default 300. */
  toleranceSec?: number;
  /** Now, epoch ms (tests). */
  now?: () => number;
}

/**
 * The commune's side of online payment: creates payments through a {@link PaymentClient}, refuses to pay a
 * fee twice, takes the platform's signed callbacks (HMAC-SHA256 in constant time, timestamp window, nonce
 * store against replays), times payments out, and never loses a late callback: a payment that pays after
 * its timeout is recorded as paid and flagged `late` for reconciliation (and `paid_twice` when another
 * payment of the same fee was paid meanwhile: the money must be refunded). Memory-backed; the entries are
 * plain data a vendor persists.
 *
 * @example
 * ```ts
 * import { PaymentLedger, createPaymentClient } from '@motcua/treasury';
 * const ledger = new PaymentLedger({ client: createPaymentClient({ baseUrl, auth }), secret: 'whsec_…' });
 * const p = await ledger.pay({ feeId, dossierCode, amount: 14000, reference, callbackUrl });
 * // in the callback route:
 * const { outcome } = await ledger.handleCallback(rawBody, req.headers['x-motcua-signature']);
 * ```
 */
export class PaymentLedger {
  readonly #o: PaymentLedgerOptions;
  readonly #nonces: NonceStore;
  readonly #byPayment = new Map<string, LedgerEntry>();
  readonly #byFee = new Map<string, string[]>();

  constructor(options: PaymentLedgerOptions) {
    this.#o = options;
    this.#nonces = options.nonces ?? new MemoryNonceStore();
  }

  #now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  /** Every entry, oldest first. */
  entries(): LedgerEntry[] {
    return [...this.#byPayment.values()];
  }

  /** The entry of a payment. */
  get(paymentId: string): LedgerEntry | undefined {
    return this.#byPayment.get(paymentId);
  }

  /** The paid entry of a fee, if any. */
  paidFor(feeId: string): LedgerEntry | undefined {
    for (const id of this.#byFee.get(feeId) ?? []) {
      const e = this.#byPayment.get(id);
      if (e?.status === 'paid') return e;
    }
    return undefined;
  }

  /** Creates the payment of a fee; refuses (`payment.already_paid`) a fee already paid, before calling. */
  async pay(request: CreatePaymentRequest): Promise<Payment> {
    if (this.paidFor(request.feeId))
      fail(
        'payment.already_paid',
        'This fee is already paid: a second payment is refused',
        'Khoản phí này đã được thanh toán: không nhận thanh toán lần hai',
        'feeId',
      );
    const p = await this.#o.client.create(request);
    this.#record(p);
    return p;
  }

  #record(p: Payment): LedgerEntry {
    let e = this.#byPayment.get(p.paymentId);
    if (!e) {
      e = {
        paymentId: p.paymentId,
        feeId: p.feeId,
        dossierCode: p.dossierCode,
        reference: p.reference,
        amount: p.amount,
        status: 'pending',
        createdAt: p.createdAt,
        expiresAt: p.expiresAt,
        late: false,
        flags: [],
      };
      this.#byPayment.set(p.paymentId, e);
      this.#byFee.set(p.feeId, [...(this.#byFee.get(p.feeId) ?? []), p.paymentId]);
    }
    if (p.status === 'paid') this.#markPaid(e, p.amount, p.paidAt ?? vnInstant(this.#now()), p.transactionId);
    return e;
  }

  #markPaid(
    e: LedgerEntry,
    amount: number,
    paidAt: string,
    transactionId: string | undefined,
  ): CallbackOutcome {
    if (e.status === 'paid') return 'duplicate';
    const late = e.status === 'expired' || e.status === 'failed';
    const already = this.paidFor(e.feeId);
    e.status = 'paid';
    e.paidAmount = amount;
    e.paidAt = paidAt;
    if (transactionId !== undefined) e.transactionId = transactionId;
    if (late) {
      e.late = true;
      e.flags.push('late');
    }
    if (already) e.flags.push('paid_twice');
    if (amount !== e.amount) {
      e.flags.push('amount_mismatch');
      return 'amount_mismatch';
    }
    if (already) return 'paid_twice';
    return late ? 'late' : 'paid';
  }

  /** Marks pending payments past their expiry as expired (they may still pay late: see {@link handleCallback}). */
  expireDue(): LedgerEntry[] {
    const now = this.#now();
    const out: LedgerEntry[] = [];
    for (const e of this.#byPayment.values())
      if (e.status === 'pending' && Date.parse(e.expiresAt) <= now) {
        e.status = 'expired';
        out.push(e);
      }
    return out;
  }

  /**
   * Takes a callback: verifies the signature, the timestamp and the nonce (throws `callback.*`), validates
   * the body, then records it. The outcome says what changed; nothing is dropped.
   */
  async handleCallback(
    rawBody: string,
    signatureHeader: string | string[] | undefined | null,
  ): Promise<{ outcome: CallbackOutcome; entry: LedgerEntry }> {
    const header = Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader;
    await verifyCallback({
      body: rawBody,
      header,
      secret: this.#o.secret,
      nonces: this.#nonces,
      now: Math.floor(this.#now() / 1000),
      ...(this.#o.toleranceSec !== undefined ? { toleranceSec: this.#o.toleranceSec } : {}),
    });
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      fail('callback.body', 'The callback body is not JSON', 'Nội dung lời gọi lại không phải JSON', 'body');
    }
    const cb = parseWith(PaymentCallbackSchema, json);
    let entry = this.#byPayment.get(cb.paymentId);
    let unknown = false;
    if (!entry) {
      unknown = true;
      entry = {
        paymentId: cb.paymentId,
        feeId: cb.feeId,
        dossierCode: '',
        reference: cb.reference,
        amount: cb.amount,
        status: 'pending',
        createdAt: cb.sentAt,
        expiresAt: cb.sentAt,
        late: false,
        flags: ['unknown_payment'],
      };
      this.#byPayment.set(cb.paymentId, entry);
      this.#byFee.set(cb.feeId, [...(this.#byFee.get(cb.feeId) ?? []), cb.paymentId]);
    }
    if (cb.event === 'payment.paid') {
      const outcome = this.#markPaid(entry, cb.amount, cb.paidAt ?? cb.sentAt, cb.transactionId);
      return { outcome: unknown && outcome !== 'duplicate' ? 'unknown_payment' : outcome, entry };
    }
    if (entry.status === 'pending') entry.status = cb.event === 'payment.failed' ? 'failed' : 'expired';
    return { outcome: cb.event === 'payment.failed' ? 'failed' : 'expired', entry };
  }

  /**
   * Asks the platform for the status of each payment that is pending or expired here (a lost callback
   * is recovered this way); a payment found paid after its timeout is flagged `late`.
   */
  async refresh(): Promise<{ paymentId: string; outcome: CallbackOutcome }[]> {
    const out: { paymentId: string; outcome: CallbackOutcome }[] = [];
    for (const e of this.#byPayment.values()) {
      if (e.status !== 'pending' && e.status !== 'expired') continue;
      const p = await this.#o.client.get(e.paymentId);
      if (p.status === 'paid') {
        out.push({
          paymentId: e.paymentId,
          outcome: this.#markPaid(e, p.amount, p.paidAt ?? vnInstant(this.#now()), p.transactionId),
        });
      } else if (p.status !== 'pending' && e.status === 'pending') e.status = p.status;
    }
    return out;
  }
}
