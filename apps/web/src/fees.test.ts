import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeVietQr, remittanceDeadline } from '@motcua/treasury';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { silentLogger } from './log.js';
import { type RunningServer, startServer } from './server.js';
import { login } from './test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: the answers of the API under test
type Json = Record<string, any>;

const USERS = [
  'tiepnhan.05152',
  'chuyenvien.05152',
  'tiepnhan.23110',
  'tinh.25',
  'tiepnhan.26740',
  'lanhdao.26740',
] as const;
type UserName = (typeof USERS)[number];

function suite(name: string, databaseUrl: () => Promise<string | undefined | null>) {
  describe(`fees, payment and treasury on ${name}`, () => {
    let server: RunningServer | undefined;
    const headers: Partial<Record<UserName, Record<string, string>>> = {};
    beforeAll(async () => {
      const url = await databaseUrl();
      if (url === undefined) return; // PostgreSQL not installed: said loudly by startTestPostgres
      server = await startServer({
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'motcua-fees-')),
        ...(url ? { databaseUrl: url } : {}),
        demo: true,
        demoDossiers: 10,
        worker: false,
        log: silentLogger,
        loginRatePerMinute: 1000,
      });
      for (const u of USERS) headers[u] = (await login(server.url, u)).headers;
    }, 180_000);
    afterAll(async () => {
      await server?.close();
    });
    const skip = () => {
      if (!server) console.warn(`*** ${name} not available: test skipped ***`);
      return !server;
    };
    const call = async (user: UserName, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${server!.url}${path}`, {
        method,
        headers: headers[user],
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const type = r.headers.get('content-type') ?? '';
      return { status: r.status, type, body: (type.includes('json') ? await r.json() : null) as Json };
    };
    const intake = async (user: UserName, unit: string, procedureCode: string, form?: unknown) => {
      const r = await call(user, 'POST', `/api/units/${unit}/dossiers`, {
        procedureCode,
        applicant: { kind: 'person', person: { fullName: 'Phạm Thị Mẫu', phone: '0912000009' } },
        ...(form ? { form } : {}),
      });
      expect(r.status).toBe(201);
      return r.body.dossier as { id: string; code: string };
    };
    const paidEvents = async (id: string) =>
      (await server!.store.events(id)).filter((e) => e.event.type === 'paid');
    const sim = () => server!.integrations!.demo!.payment;
    const callback = (body: string, header: string | undefined) =>
      fetch(`${server!.url}/api/payments/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(header ? { 'x-motcua-signature': header } : {}) },
        body,
      });

    it('the fee is computed from the procedure’s schedule and collected once at the counter, with a receipt', async () => {
      if (skip()) return;
      const d = await intake('tiepnhan.05152', '05152', '2.000815', {
        fee: { documents: [{ pages: 5, copies: 2 }] },
      });
      const fee = await call('tiepnhan.05152', 'GET', `/api/dossiers/${d.id}/fee`);
      expect(fee.status).toBe(200);
      expect(fee.body).toMatchObject({ status: 'due', amount: 14000, dossierCode: d.code, receiptUrl: null });
      expect(fee.body.lines[0]).toMatchObject({
        legalBasis: 'Thông tư 226/2016/TT-BTC Điều 4',
        amount: 14000,
      });
      expect(fee.body.account).toMatchObject({ designated: true, holder: 'Sở Tài chính tỉnh Phú Thọ' });

      const wrong = await call('tiepnhan.05152', 'POST', `/api/dossiers/${d.id}/fee/counter`, {
        amount: 10000,
      });
      expect(wrong.status).toBe(400);
      expect(wrong.type).toContain('application/problem+json');
      expect(wrong.body.issues).toEqual([
        expect.objectContaining({ path: 'amount', code: 'fee.amount_mismatch' }),
      ]);

      const specialist = await call('chuyenvien.05152', 'POST', `/api/dossiers/${d.id}/fee/counter`, {
        amount: 14000,
      });
      expect(specialist.status).toBe(403);

      const paid = await call('tiepnhan.05152', 'POST', `/api/dossiers/${d.id}/fee/counter`, {
        amount: 14000,
      });
      expect(paid.status).toBe(201);
      expect(paid.body.payment).toMatchObject({
        method: 'counter',
        status: 'paid',
        paidAmount: 14000,
        designatedAccount: true,
        treasuryAccount: '1769/3511.0.9000025',
        remitBy: null,
      });
      expect(paid.body.payment.receiptNumber).toMatch(/^BL\d{2}E\/\d{7}$/);

      const twice = await call('tiepnhan.05152', 'POST', `/api/dossiers/${d.id}/fee/counter`, {
        amount: 14000,
      });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('fee.already_paid');
      expect(await paidEvents(d.id)).toHaveLength(1);
      expect((await paidEvents(d.id))[0]!.event).toMatchObject({ amount: 14000, method: 'counter' });

      const receipt = await call('tiepnhan.05152', 'GET', `/api/dossiers/${d.id}/fee/receipt?format=json`);
      expect(receipt.status).toBe(200);
      expect(receipt.body).toMatchObject({
        dossierCode: d.code,
        amount: 14000,
        amountInWords: 'Mười bốn nghìn đồng',
        payerName: 'Phạm Thị Mẫu',
        id: paid.body.payment.receiptNumber,
      });
      const pdf = await fetch(`${server!.url}/api/dossiers/${d.id}/fee/receipt.pdf`, {
        headers: headers['tiepnhan.05152'],
      });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      const after = await call('tiepnhan.05152', 'GET', `/api/dossiers/${d.id}/fee`);
      expect(after.body).toMatchObject({ status: 'paid', receiptNumber: paid.body.payment.receiptNumber });
    });

    it('a procedure without a fee schedule or tariff is unpriced, not waived; declaring a statutory exemption waives it', async () => {
      if (skip()) return;
      // Residence registration: the province's rate, and the seed loads no provincial tariff.
      const residence = await intake('tiepnhan.05152', '05152', '1.004222');
      const fee = await call('tiepnhan.05152', 'GET', `/api/dossiers/${residence.id}/fee`);
      expect(fee.body).toMatchObject({ status: 'unpriced', amount: 0 });
      expect(fee.body.warnings).toEqual([expect.objectContaining({ code: 'fee.no_schedule' })]);
      for (const [path, body] of [
        ['counter', { amount: 1000 }],
        ['vietqr', { method: 'vietqr' }],
      ] as const) {
        const refused = await call(
          'tiepnhan.05152',
          'POST',
          `/api/dossiers/${residence.id}/fee/${path}`,
          body,
        );
        expect(refused.status, path).toBe(409);
        expect(refused.body.code).toBe('fee.no_schedule');
        expect(refused.body.issues).toEqual([
          expect.objectContaining({ path: 'fee', code: 'fee.no_schedule' }),
        ]);
      }
      expect(await server!.store.fees.fee(residence.id)).toBeUndefined();

      // Birth registration is free only on time (Luật Hộ tịch 60/2014/QH13 Điều 11): unpriced until declared.
      const birth = await intake('tiepnhan.05152', '05152', '1.001193');
      expect((await call('tiepnhan.05152', 'GET', `/api/dossiers/${birth.id}/fee`)).body.status).toBe(
        'unpriced',
      );
      const declared = await call('tiepnhan.05152', 'PUT', `/api/dossiers/${birth.id}/fee`, {
        conditions: ['registeredOnTime'],
      });
      expect(declared.status).toBe(200);
      expect(declared.body).toMatchObject({ status: 'waived', amount: 0 });
      expect(declared.body.lines).toEqual([]);

      // A procedure the catalogue declares free is waived at once.
      const card = await intake('tiepnhan.05152', '05152', '1.014137');
      const free = await call('tiepnhan.05152', 'GET', `/api/dossiers/${card.id}/fee`);
      expect(free.body).toMatchObject({ status: 'waived', amount: 0, warnings: [] });
    });

    it('another commune’s dossier is not found; a province viewer reads the fee but cannot collect', async () => {
      if (skip()) return;
      const d = await intake('tiepnhan.05152', '05152', '2.000884');
      expect((await call('tiepnhan.23110', 'GET', `/api/dossiers/${d.id}/fee`)).status).toBe(404);
      const other = await call('tiepnhan.23110', 'POST', `/api/dossiers/${d.id}/fee/counter`, {
        amount: 10000,
      });
      expect(other.status).toBe(404);
      expect((await call('tiepnhan.23110', 'POST', `/api/dossiers/${d.id}/fee/vietqr`, {})).status).toBe(404);
      expect((await call('tiepnhan.23110', 'GET', '/api/units/05152/fees/reconciliation')).status).toBe(404);
      const viewer = await call('tinh.25', 'GET', `/api/dossiers/${d.id}/fee`);
      expect(viewer.status).toBe(200);
      expect(viewer.body.amount).toBe(10000);
      expect(
        (await call('tinh.25', 'POST', `/api/dossiers/${d.id}/fee/counter`, { amount: 10000 })).status,
      ).toBe(403);
      expect(await server!.store.fees.payments(d.id)).toEqual([]);
    });

    it('a VietQR payment completes through the platform’s signed callback; a replay answers the same, one payment', async () => {
      if (skip()) return;
      const d = await intake('tiepnhan.26740', '26740', '2.000884');
      const asked = await call('tiepnhan.26740', 'POST', `/api/dossiers/${d.id}/fee/vietqr`, {});
      expect(asked.status).toBe(201);
      const qr = decodeVietQr(asked.body.vietQr);
      expect(qr).toMatchObject({ amount: 10000, purpose: asked.body.payment.reference });
      expect(asked.body).toMatchObject({ amount: 10000, bankBin: qr.bankBin });
      expect(asked.body.svg).toMatch(/^<svg/);
      // The panel polls: still pending, the same QR shown.
      const polled = await call('tiepnhan.26740', 'GET', `/api/dossiers/${d.id}/fee`);
      expect(polled.body.pendingPayment).toMatchObject({ id: asked.body.payment.id, status: 'pending' });
      expect(
        (await call('tiepnhan.26740', 'POST', `/api/dossiers/${d.id}/fee/vietqr`, {})).body.payment.id,
      ).toBe(asked.body.payment.id);

      const paymentId = asked.body.payment.platformPaymentId as string;
      const [delivery] = await sim().pay(paymentId);
      expect(delivery!.status).toBe(200);
      const fee = await call('tiepnhan.26740', 'GET', `/api/dossiers/${d.id}/fee`);
      expect(fee.body.status).toBe('paid');
      expect(fee.body.pendingPayment).toBeNull();
      const payment = fee.body.payments[0];
      expect(fee.body.payments).toHaveLength(1);
      expect(payment).toMatchObject({
        method: 'vietqr',
        status: 'paid',
        paidAmount: 10000,
        treasuryAccount: '0111/3511.1.9026740',
        designatedAccount: false,
      });
      expect(payment.remitBy).toBe(
        remittanceDeadline(payment.paidAt, { calendar: (await server!.store.calendarOf('26740')) as never }),
      );
      expect((await paidEvents(d.id)).map((e) => e.event)).toEqual([
        expect.objectContaining({ amount: 10000, method: 'localGateway', reference: payment.reference }),
      ]);

      // The same delivery again (a replay), twice: the same answer, still one payment and one paid event.
      const answers = [];
      for (let i = 0; i < 2; i++) {
        const r = await callback(delivery!.body, delivery!.header);
        expect(r.status).toBe(200);
        answers.push(await r.json());
      }
      expect(answers[0]).toEqual({ received: true, paymentId, status: 'paid' });
      expect(answers[1]).toEqual(answers[0]);
      expect(await server!.store.fees.payments(d.id)).toHaveLength(1);
      expect(await paidEvents(d.id)).toHaveLength(1);
      expect((await call('tiepnhan.26740', 'POST', `/api/dossiers/${d.id}/fee/vietqr`, {})).status).toBe(409);
    });

    it('a callback with a bad signature, no signature or a stale timestamp is refused with 401 naming the rule', async () => {
      if (skip()) return;
      const d = await intake('tiepnhan.26740', '26740', '2.000884');
      const asked = await call('tiepnhan.26740', 'POST', `/api/dossiers/${d.id}/fee/vietqr`, {});
      const paymentId = asked.body.payment.platformPaymentId as string;
      sim().setCallbackFaults({ dropRate: 1 }); // the real callback is lost; we forge our own
      const [dropped] = await sim().pay(paymentId);
      sim().setCallbackFaults({});
      expect(dropped!.status).toBe('dropped');
      const tampered = dropped!.body.replace('"amount":10000', '"amount":1000');
      const bad = await callback(tampered, dropped!.header);
      expect(bad.status).toBe(401);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await bad.json()) as Json;
      expect(problem.code).toBe('callback.signature');
      expect(problem.issues).toEqual([expect.objectContaining({ path: 'v1', code: 'callback.signature' })]);
      const none = await callback(dropped!.body, undefined);
      expect(none.status).toBe(401);
      expect(((await none.json()) as Json).code).toBe('callback.header');
      const { signCallback } = await import('@motcua/treasury');
      const stale = await signCallback(dropped!.body, sim().callbackSecret, {
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      });
      const old = await callback(dropped!.body, stale);
      expect(old.status).toBe(401);
      expect(((await old.json()) as Json).code).toBe('callback.timestamp');
      const forged = await signCallback(dropped!.body, 'whsec_not_the_secret');
      expect((await callback(dropped!.body, forged)).status).toBe(401);
      expect((await server!.store.fees.fee(d.id))?.status).toBe('due');
      expect(await paidEvents(d.id)).toHaveLength(0);
      // The lost callback is recovered when the panel polls: the platform says it is paid.
      const polled = await call('tiepnhan.26740', 'GET', `/api/dossiers/${d.id}/fee`);
      expect(polled.body.status).toBe('paid');
      expect(await paidEvents(d.id)).toHaveLength(1);
      // And the genuine callback arriving late changes nothing.
      const late = await callback(dropped!.body, dropped!.header);
      expect(late.status).toBe(200);
      expect(await paidEvents(d.id)).toHaveLength(1);
    });

    it('a payment of another amount is kept and flagged for reconciliation; the fee stays due', async () => {
      if (skip()) return;
      const d = await intake('tiepnhan.26740', '26740', '2.000635');
      const asked = await call('tiepnhan.26740', 'POST', `/api/dossiers/${d.id}/fee/vietqr`, {});
      expect(asked.body.amount).toBe(8000);
      const [delivery] = await sim().pay(asked.body.payment.platformPaymentId, { amount: 7000 });
      expect(delivery!.status).toBe(200);
      const fee = await call('tiepnhan.26740', 'GET', `/api/dossiers/${d.id}/fee`);
      expect(fee.body.status).toBe('due');
      expect(fee.body.payments[0]).toMatchObject({
        status: 'flagged',
        paidAmount: 7000,
        flags: ['amount_mismatch'],
      });
      expect(await paidEvents(d.id)).toHaveLength(0);
      const rec = await call('tiepnhan.26740', 'GET', '/api/units/26740/fees/reconciliation');
      expect(rec.status).toBe(200);
      expect(rec.body.flagged.map((p: Json) => p.dossierCode)).toContain(d.code);
      // The officer collects the right amount at the counter: settled.
      expect(
        (await call('tiepnhan.26740', 'POST', `/api/dossiers/${d.id}/fee/counter`, { amount: 8000 })).status,
      ).toBe(201);
    });

    it('the daily reconciliation and remittance: online payments past 8 working hours are late until remitted', async () => {
      if (skip()) return;
      const rec = await call('lanhdao.26740', 'GET', '/api/units/26740/fees/reconciliation');
      expect(rec.status).toBe(200);
      expect(rec.body.totals.byMethod.vietqr.count).toBeGreaterThanOrEqual(2);
      expect(rec.body.totals.amount).toBe(
        rec.body.payments.reduce((s: number, p: Json) => s + p.paidAmount, 0),
      );
      expect(rec.body.account).toMatchObject({ designated: false });
      const open = rec.body.remittance.unremitted as Json[];
      expect(open.length).toBeGreaterThanOrEqual(2);
      expect(open.every((p) => p.method !== 'counter')).toBe(true);
      const future = await call(
        'lanhdao.26740',
        'GET',
        `/api/units/26740/fees/reconciliation?at=${encodeURIComponent('2099-01-01T00:00:00+07:00')}`,
      );
      expect(future.body.remittance.late).toBe(open.length);
      expect(
        (
          await call('tiepnhan.26740', 'POST', '/api/units/26740/fees/remitted', {
            paymentIds: [open[0]!.id],
          })
        ).status,
      ).toBe(403);
      const remitted = await call('lanhdao.26740', 'POST', '/api/units/26740/fees/remitted', {
        paymentIds: open.map((p) => p.id),
      });
      expect(remitted.body).toEqual({ remitted: open.length });
      const after = await call('lanhdao.26740', 'GET', '/api/units/26740/fees/reconciliation');
      expect(after.body.remittance.unremitted).toEqual([]);
      const share = await call('lanhdao.26740', 'GET', '/api/units/26740/fees/share');
      expect(share.body.online).toBeGreaterThanOrEqual(2);
      expect(share.body.share).toBeCloseTo(share.body.online / share.body.paid);
    });
  });
}

suite('PGlite (embedded)', async () => null);

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  return pg ? pg.createDatabase('motcua_web_fees_test') : undefined;
});
afterAll(async () => {
  await pg?.stop();
});
