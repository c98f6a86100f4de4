import { randomUUID } from 'node:crypto';
import {
  problem,
  type SimulatorAuth,
  type SimulatorFaults,
  type SimulatorResponse,
  seededRandom,
  startSimulator,
} from '@motcua/http/testing';
import { CALLBACK_SIGNATURE_HEADER, signCallback } from '../callback.js';
import { CreatePaymentRequestSchema, type Payment, type PaymentCallback } from '../payments.js';
import { vnInstant } from '../time.js';
import { encodeVietQr } from '../vietqr.js';

/** Bad days of the callbacks, seeded: dropped, sent twice (a new nonce each time), or delayed. */
export interface CallbackFaults {
  /** Share of callbacks never sent (0-1): the ledger must recover them with `refresh()`. */
  dropRate?: number;
  /** Share of callbacks sent twice. */
  duplicateRate?: number;
  /** Delay before sending, ms. */
  delayMs?: number;
  seed?: number;
}

/** Options of {@link startPaymentSimulator}. */
export interface PaymentSimulatorOptions {
  /** The callback secret. Default `whsec_test`. */
  callbackSecret?: string;
  /** The account the VietQR pays into (synthetic). Default BIN 970403, account 0011012345678. */
  beneficiary?: { bankBin: string; accountNumber: string };
  auth?: SimulatorAuth;
  /** HTTP faults of the platform's API (see `startSimulator`). */
  faults?: SimulatorFaults;
  callbackFaults?: CallbackFaults;
  /** The simulator's clock, epoch ms (tests move it). */
  now?: () => number;
}

/** A delivery the simulator made (or would have made, when dropped). */
export interface CallbackDelivery {
  body: string;
  header: string;
  url: string | undefined;
  status: number | 'dropped' | 'network_error' | 'no_url';
}

/**
 * A payment-platform simulator: a real HTTP server on 127.0.0.1 (OAuth2 client credentials, idempotency
 * keys, seeded faults, from `@motcua/http/testing`) speaking the protocol of `openapi.yaml`. It validates each
 * request (400 naming the field), is idempotent on the fee ID (a pending payment of the same amount is
 * returned again; another amount is 409 `payment.fee_conflict`; a paid fee is 409 `payment.already_paid`),
 * returns a payer URL and a dynamic VietQR, and posts signed callbacks (HMAC-SHA256 with timestamp and nonce)
 * when a payment is paid, failed or expired, with callback faults on request.
 *
 * @example
 * ```ts
 * import { startPaymentSimulator } from '@motcua/treasury/testing';
 * const sim = await startPaymentSimulator();
 * const client = createPaymentClient({ baseUrl: sim.url, auth: sim.oauth2 });
 * const p = await client.create({ feeId: 'F1', dossierCode: 'D1', amount: 14000, reference: 'REF1', callbackUrl });
 * await sim.pay(p.paymentId); // the citizen pays: the callback is posted
 * await sim.close();
 * ```
 */
export async function startPaymentSimulator(options: PaymentSimulatorOptions = {}) {
  const secret = options.callbackSecret ?? 'whsec_test';
  const beneficiary = options.beneficiary ?? { bankBin: '970403', accountNumber: '0011012345678' };
  const now = options.now ?? Date.now;
  let cbFaults = options.callbackFaults ?? {};
  let random = seededRandom(cbFaults.seed ?? 1);
  const payments = new Map<string, Payment & { callbackUrl?: string }>();
  const byFee = new Map<string, string[]>();
  const deliveries: CallbackDelivery[] = [];
  let base = '';

  const view = (p: Payment & { callbackUrl?: string }): Payment => {
    const { callbackUrl: _, ...rest } = p;
    return rest;
  };

  const create = (body: unknown): SimulatorResponse => {
    const r = CreatePaymentRequestSchema.safeParse(body);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      return problem(400, 'validation_failed', `${issue.path.join('.')}: ${issue.message}`);
    }
    const req = r.data;
    const existing = (byFee.get(req.feeId) ?? []).map((id) => payments.get(id)!);
    if (existing.some((p) => p.status === 'paid'))
      return problem(409, 'payment.already_paid', 'this fee is already paid');
    const pending = existing.find((p) => p.status === 'pending');
    if (pending) {
      if (pending.amount !== req.amount || pending.reference !== req.reference)
        return problem(409, 'payment.fee_conflict', 'this fee has a pending payment with another amount');
      return { status: 200, body: view(pending) };
    }
    const paymentId = `PAY-${randomUUID()}`;
    const t = now();
    const p: Payment & { callbackUrl?: string } = {
      paymentId,
      feeId: req.feeId,
      dossierCode: req.dossierCode,
      amount: req.amount,
      reference: req.reference,
      status: 'pending',
      payerUrl: `${base}pay/${paymentId}`,
      vietQr: encodeVietQr({ ...beneficiary, amount: req.amount, purpose: req.reference }),
      createdAt: vnInstant(t),
      expiresAt: vnInstant(t + (req.expiresInSec ?? 900) * 1000),
      ...(req.callbackUrl ? { callbackUrl: req.callbackUrl } : {}),
    };
    payments.set(paymentId, p);
    byFee.set(req.feeId, [...(byFee.get(req.feeId) ?? []), paymentId]);
    return { status: 201, body: view(p) };
  };

  const deliver = async (p: Payment & { callbackUrl?: string }, event: PaymentCallback['event']) => {
    const cb: PaymentCallback = {
      event,
      paymentId: p.paymentId,
      feeId: p.feeId,
      reference: p.reference,
      amount: p.amount,
      ...(p.paidAt ? { paidAt: p.paidAt } : {}),
      ...(p.transactionId ? { transactionId: p.transactionId } : {}),
      sentAt: vnInstant(now()),
    };
    const body = JSON.stringify(cb);
    const r = random();
    const dropped = r < (cbFaults.dropRate ?? 0);
    const twice = !dropped && r < (cbFaults.dropRate ?? 0) + (cbFaults.duplicateRate ?? 0);
    if (cbFaults.delayMs) await new Promise((res) => setTimeout(res, cbFaults.delayMs));
    const sends = dropped ? 0 : twice ? 2 : 1;
    const out: CallbackDelivery[] = [];
    if (sends === 0) {
      const header = await signCallback(body, secret, { timestamp: Math.floor(now() / 1000) });
      out.push({ body, header, url: p.callbackUrl, status: 'dropped' });
    }
    for (let i = 0; i < sends; i++) {
      const header = await signCallback(body, secret, { timestamp: Math.floor(now() / 1000) });
      let status: CallbackDelivery['status'] = 'no_url';
      if (p.callbackUrl) {
        try {
          const res = await fetch(p.callbackUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [CALLBACK_SIGNATURE_HEADER]: header },
            body,
          });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 'network_error';
        }
      }
      out.push({ body, header, url: p.callbackUrl, status });
    }
    deliveries.push(...out);
    return out;
  };

  const payNow = async (paymentId: string, opts: { amount?: number } = {}) => {
    const p = payments.get(paymentId);
    if (!p) throw new Error(`payment simulator: no payment ${paymentId}`);
    if (p.status === 'paid') throw new Error(`payment simulator: ${paymentId} is already paid`);
    // A transfer can land after the payment's own expiry: the platform still records it (late payment).
    p.status = 'paid';
    p.paidAt = vnInstant(now());
    p.transactionId = `FT${randomUUID().replaceAll('-', '').slice(0, 14).toUpperCase()}`;
    if (opts.amount !== undefined) p.amount = opts.amount;
    return deliver(p, 'payment.paid');
  };

  const sim = await startSimulator({
    name: 'payment platform',
    auth: options.auth ?? {},
    ...(options.faults ? { faults: options.faults } : {}),
    publicPaths: [],
    routes: [
      ['POST', '/payments', (req) => create(req.body)],
      [
        'GET',
        '/payments/:id',
        (req) => {
          const p = payments.get(req.params.id!);
          return p ? { status: 200, body: view(p) } : problem(404, 'payment.not_found', 'no such payment');
        },
      ],
      [
        'GET',
        '/payments',
        (req) => {
          const feeId = req.query.get('feeId');
          if (!feeId) return problem(400, 'validation_failed', 'feeId: required');
          const list = (byFee.get(feeId) ?? []).map((id) => view(payments.get(id)!)).reverse();
          return { status: 200, body: { payments: list } };
        },
      ],
    ],
  });
  base = sim.url;

  return {
    ...sim,
    /**
     * The callback secret the ledger must be configured with.
     *
     * @example
     * ```ts
     * const ledger = new PaymentLedger({ client, secret: sim.callbackSecret });
     * ```
     */
    callbackSecret: secret,
    /**
     * Every callback delivery, in order (dropped ones included, with their signed body).
     *
     * @example
     * ```ts
     * await sim.pay(p.paymentId);
     * sim.deliveries.at(-1)?.status; // 200, or 'dropped' / 'network_error' / 'no_url'
     * ```
     */
    deliveries,
    /**
     * A payment as the platform holds it (undefined when unknown).
     *
     * @example
     * ```ts
     * sim.payment(p.paymentId)?.status; // 'pending'
     * ```
     */
    payment: (paymentId: string) => {
      const p = payments.get(paymentId);
      return p ? view(p) : undefined;
    },
    /**
     * The citizen pays (optionally a different amount): the payment becomes paid and the signed callback
     * `payment.paid` is posted (subject to the callback faults). Resolves with the deliveries once the
     * callback route has answered. Throws when the payment is unknown or already paid.
     *
     * @example
     * ```ts
     * const [delivery] = await sim.pay(p.paymentId);
     * delivery?.status; // 200 from the commune's callback route
     * await sim.pay(other.paymentId, { amount: 13000 }); // a short payment: the ledger flags the mismatch
     * ```
     */
    pay: payNow,
    /**
     * The payment fails at the bank: the callback `payment.failed` is posted. Throws unless it is pending.
     *
     * @example
     * ```ts
     * await sim.failPayment(p.paymentId);
     * ledger.get(p.paymentId)?.status; // 'failed'
     * ```
     */
    async failPayment(paymentId: string) {
      const p = payments.get(paymentId);
      if (p?.status !== 'pending') throw new Error(`payment simulator: ${paymentId} is not pending`);
      p.status = 'failed';
      return deliver(p, 'payment.failed');
    },
    /**
     * Marks pending payments past their expiry (on the simulator's clock) as expired and posts
     * `payment.expired` for each; resolves with the deliveries.
     *
     * @example
     * ```ts
     * let t = Date.parse('2026-03-02T09:00:00+07:00');
     * const sim = await startPaymentSimulator({ now: () => t });
     * // … create a payment, then let 15 minutes pass:
     * t += 16 * 60_000;
     * await sim.expireDue();
     * ```
     */
    async expireDue() {
      const out: CallbackDelivery[] = [];
      for (const p of payments.values())
        if (p.status === 'pending' && Date.parse(p.expiresAt) <= now()) {
          p.status = 'expired';
          out.push(...(await deliver(p, 'payment.expired')));
        }
      return out;
    },
    /**
     * Replaces the callback faults (and reseeds their random draw) for the deliveries that follow.
     *
     * @example
     * ```ts
     * sim.setCallbackFaults({ dropRate: 1 }); // the next callback is lost: the ledger must refresh()
     * await sim.pay(p.paymentId);
     * sim.setCallbackFaults({}); // back to good days
     * ```
     */
    setCallbackFaults(next: CallbackFaults) {
      cbFaults = next;
      random = seededRandom(next.seed ?? 1);
    },
  };
}

/** A payment simulator started by {@link startPaymentSimulator}. */
export type PaymentSimulator = Awaited<ReturnType<typeof startPaymentSimulator>>;
