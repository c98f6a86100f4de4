import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paymentReference, ValidationError } from '@motcua/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CALLBACK_SIGNATURE_HEADER, MemoryNonceStore, signCallback, verifyCallback } from './callback.js';
import type { TreasuryError } from './errors.js';
import { type CallbackOutcome, createPaymentClient, PaymentLedger } from './payments.js';
import { startPaymentSimulator } from './testing/payment-simulator.js';
import { decodeVietQr } from './vietqr.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as TreasuryError).code;
  }
  return undefined;
};

describe('verifyCallback', () => {
  const body = JSON.stringify({ event: 'payment.paid', paymentId: 'P1' });
  const secret = 'whsec_test';
  const t = 1_780_000_000;

  it('accepts a good signature once, and refuses the replay', async () => {
    const nonces = new MemoryNonceStore();
    const header = await signCallback(body, secret, { timestamp: t, nonce: 'nonce-0001' });
    expect(await verifyCallback({ body, header, secret, nonces, now: t })).toEqual({
      timestamp: t,
      nonce: 'nonce-0001',
    });
    expect(await codeOf(verifyCallback({ body, header, secret, nonces, now: t + 10 }))).toBe(
      'callback.replay',
    );
    // A new nonce is a new delivery.
    const again = await signCallback(body, secret, { timestamp: t, nonce: 'nonce-0002' });
    await expect(verifyCallback({ body, header: again, secret, nonces, now: t })).resolves.toBeTruthy();
  });

  it('refuses a tampered body, a wrong secret, a malformed header; accepts the previous secret during rotation', async () => {
    const nonces = new MemoryNonceStore();
    const header = await signCallback(body, secret, { timestamp: t, nonce: 'nonce-0003' });
    expect(
      await codeOf(verifyCallback({ body: body.replace('P1', 'P2'), header, secret, nonces, now: t })),
    ).toBe('callback.signature');
    expect(await codeOf(verifyCallback({ body, header, secret: 'other', nonces, now: t }))).toBe(
      'callback.signature',
    );
    // A bad signature does not burn the nonce: the genuine delivery still passes.
    await expect(
      verifyCallback({ body, header, secret: ['new', secret], nonces, now: t }),
    ).resolves.toBeTruthy();
    for (const bad of [undefined, '', 't=1,v1=abc', header.replace(',n=', ',x='), `${header}0`])
      expect(await codeOf(verifyCallback({ body, header: bad, secret, nonces, now: t }))).toBe(
        'callback.header',
      );
  });

  it('enforces the timestamp window both ways (clock skew)', async () => {
    const nonces = new MemoryNonceStore();
    const at = async (skew: number, n: string) =>
      codeOf(
        verifyCallback({
          body,
          header: await signCallback(body, secret, { timestamp: t, nonce: n }),
          secret,
          nonces,
          now: t + skew,
        }),
      );
    expect(await at(300, 'skew-late-ok')).toBeUndefined();
    expect(await at(-300, 'skew-early-ok')).toBeUndefined();
    expect(await at(301, 'skew-late-bad')).toBe('callback.timestamp');
    expect(await at(-301, 'skew-early-bad')).toBe('callback.timestamp');
    try {
      await verifyCallback({
        body,
        header: await signCallback(body, secret, { timestamp: t, nonce: 'skew-msg' }),
        secret,
        nonces,
        now: t + 900,
        toleranceSec: 600,
      });
    } catch (e) {
      expect((e as TreasuryError).localized.vi).toContain('600 giây');
      expect(e).toMatchObject({ field: 't', details: { skewSec: 900 } });
    }
  });
});

/** A callback endpoint as a commune system would run it, handing the raw body to the ledger. */
async function receiver(handle: (body: string, header: string | undefined) => Promise<CallbackOutcome>) {
  const outcomes: (CallbackOutcome | string)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h = req.headers[CALLBACK_SIGNATURE_HEADER];
      handle(Buffer.concat(chunks).toString('utf8'), typeof h === 'string' ? h : undefined).then(
        (o) => {
          outcomes.push(o);
          res.writeHead(200).end();
        },
        (e: TreasuryError) => {
          outcomes.push(e.code);
          res.writeHead(400).end();
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, outcomes };
}

async function setup(clock = { ms: Date.parse('2026-03-02T02:00:00Z') }, simOptions = {}) {
  const sim = await startPaymentSimulator({ now: () => clock.ms, ...simOptions });
  closers.push(() => sim.close());
  const client = createPaymentClient({
    baseUrl: sim.url,
    auth: sim.oauth2,
    retry: { limit: 8, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const ledger = new PaymentLedger({ client, secret: sim.callbackSecret, now: () => clock.ms });
  const rx = await receiver(async (b, h) => (await ledger.handleCallback(b, h)).outcome);
  return { sim, client, ledger, rx, clock };
}

const dossierCode = '000.00.19.H57-260302-0001';
const fee = (over: Record<string, unknown> = {}) => ({
  feeId: `${dossierCode}/copy`,
  dossierCode,
  amount: 14_000,
  reference: paymentReference(dossierCode),
  ...over,
});

describe('payment platform client, simulator and ledger', () => {
  it('creates a payment with a payer URL and a VietQR of the same amount and reference; the callback marks it paid', async () => {
    const { sim, ledger, rx } = await setup();
    const p = await ledger.pay({ ...fee(), callbackUrl: rx.url });
    expect(p.status).toBe('pending');
    expect(p.payerUrl.startsWith(sim.url)).toBe(true);
    expect(decodeVietQr(p.vietQr)).toMatchObject({
      amount: 14_000,
      purpose: '00000192603020001',
      initiation: 'dynamic',
    });
    await sim.pay(p.paymentId);
    expect(rx.outcomes).toEqual(['paid']);
    expect(ledger.get(p.paymentId)).toMatchObject({
      status: 'paid',
      paidAmount: 14_000,
      late: false,
      flags: [],
    });
  });

  it('is idempotent on the fee ID, and paying twice is refused by the ledger and by the platform', async () => {
    const { sim, client, ledger, rx } = await setup();
    const a = await client.create(fee({ callbackUrl: rx.url }));
    const b = await client.create(fee({ callbackUrl: rx.url }));
    expect(b.paymentId).toBe(a.paymentId);
    expect(await codeOf(client.create(fee({ amount: 15_000 })))).toBe('payment.fee_conflict');
    const p = await ledger.pay({ ...fee(), callbackUrl: rx.url });
    expect(p.paymentId).toBe(a.paymentId);
    await sim.pay(p.paymentId);
    expect(await codeOf(ledger.pay(fee()))).toBe('payment.already_paid');
    // Straight to the platform, bypassing the ledger: refused there too.
    expect(await codeOf(client.create(fee()))).toBe('payment.already_paid');
    expect((await client.byFee(fee().feeId)).map((x) => x.status)).toEqual(['paid']);
  });

  it('reconciles a late callback after a timeout instead of losing it', async () => {
    const { sim, ledger, rx, clock } = await setup();
    const p = await ledger.pay({ ...fee(), callbackUrl: rx.url, expiresInSec: 600 });
    clock.ms += 601_000;
    expect(ledger.expireDue().map((e) => e.paymentId)).toEqual([p.paymentId]);
    expect(ledger.get(p.paymentId)?.status).toBe('expired');
    await sim.pay(p.paymentId);
    expect(rx.outcomes).toEqual(['late']);
    expect(ledger.get(p.paymentId)).toMatchObject({ status: 'paid', late: true, flags: ['late'] });
  });

  it('flags a late payment of a fee that a newer payment already paid (paid twice: to refund)', async () => {
    const { sim, ledger, rx, clock } = await setup();
    const first = await ledger.pay({ ...fee(), callbackUrl: rx.url, expiresInSec: 600 });
    clock.ms += 601_000;
    ledger.expireDue();
    await sim.expireDue();
    const second = await ledger.pay({ ...fee(), callbackUrl: rx.url });
    expect(second.paymentId).not.toBe(first.paymentId);
    await sim.pay(second.paymentId);
    await sim.pay(first.paymentId); // the first transfer lands after all
    expect(rx.outcomes).toEqual(['expired', 'paid', 'paid_twice']);
    expect(ledger.get(first.paymentId)).toMatchObject({ status: 'paid', flags: ['late', 'paid_twice'] });
    expect(ledger.get(second.paymentId)?.flags).toEqual([]);
  });

  it('recovers a dropped callback by querying the status, and ignores a duplicate delivery', async () => {
    const { sim, ledger, rx } = await setup();
    sim.setCallbackFaults({ dropRate: 1 });
    const p = await ledger.pay({ ...fee(), callbackUrl: rx.url });
    await sim.pay(p.paymentId);
    expect(rx.outcomes).toEqual([]);
    expect(sim.deliveries.at(-1)?.status).toBe('dropped');
    expect(await ledger.refresh()).toEqual([{ paymentId: p.paymentId, outcome: 'paid' }]);
    sim.setCallbackFaults({ duplicateRate: 1 });
    const other = await ledger.pay({ ...fee({ feeId: 'F-2', reference: 'REF2' }), callbackUrl: rx.url });
    await sim.pay(other.paymentId);
    expect(rx.outcomes).toEqual(['paid', 'duplicate']);
    // Replaying a captured delivery verbatim is refused by the nonce store.
    const captured = sim.deliveries.at(-1)!;
    expect(await codeOf(ledger.handleCallback(captured.body, captured.header))).toBe('callback.replay');
  });

  it('flags a payment of another amount and a payment it never created', async () => {
    const { sim, ledger, rx } = await setup();
    const p = await ledger.pay({ ...fee(), callbackUrl: rx.url });
    await sim.pay(p.paymentId, { amount: 10_000 });
    expect(rx.outcomes).toEqual(['amount_mismatch']);
    const stranger = JSON.stringify({
      event: 'payment.paid',
      paymentId: 'PAY-x',
      feeId: 'F-x',
      reference: 'REFX',
      amount: 5000,
      paidAt: '2026-03-02T09:00:00+07:00',
      sentAt: '2026-03-02T09:00:00+07:00',
    });
    const header = await signCallback(stranger, sim.callbackSecret, {
      timestamp: Math.floor(Date.parse('2026-03-02T02:00:00Z') / 1000),
    });
    expect((await ledger.handleCallback(stranger, header)).outcome).toBe('unknown_payment');
    expect(ledger.get('PAY-x')?.flags).toEqual(['unknown_payment']);
  });

  it('the simulator enforces OAuth2 and validation; a bad request never leaves the client', async () => {
    const { sim } = await setup();
    const anonymous = await fetch(`${sim.url}payments`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    const token = (await (
      await fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${sim.client.clientId}&client_secret=${sim.client.clientSecret}`,
      })
    ).json()) as { access_token: string };
    const bad = await fetch(`${sim.url}payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...fee(), amount: 1.5 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^amount/);
    const client = createPaymentClient({ baseUrl: sim.url, auth: sim.oauth2 });
    await expect(client.create({ ...fee(), reference: 'có dấu' })).rejects.toBeInstanceOf(ValidationError);
    expect(sim.stats.requests).toBe(3);
  });

  it('one payment per fee through dropped connections and 503s (retries reuse the idempotency key)', async () => {
    const { sim, client } = await setup(undefined, {
      faults: { dropRate: 0.2, failureRate: 0.1, retryAfterSec: 0, seed: 11 },
    });
    const ids = new Set<string>();
    for (let i = 0; i < 15; i++)
      ids.add((await client.create(fee({ feeId: `F-${i % 5}`, reference: `R${i % 5}` }))).paymentId);
    expect(ids.size).toBe(5);
    expect(sim.stats.faults.dropped + sim.stats.faults.failed).toBeGreaterThan(0);
  });
});
