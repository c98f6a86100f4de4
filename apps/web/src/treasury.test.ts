import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newOutboxMessage } from '@motcua/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { silentLogger } from './log.js';
import { type RunningServer, startServer } from './server.js';
import { login } from './test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: the answers of the API under test
type Json = Record<string, any>;

const USERS = [
  'quantri.05152',
  'tiepnhan.05152',
  'lanhdao.05152',
  'quantri.26740',
  'tiepnhan.26740',
  'lanhdao.26740',
  'tinh.25',
] as const;
type UserName = (typeof USERS)[number];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The demo's configuration of Vân Sơn (no account of its own: the province's designated one). */
const VAN_SON = {
  chapter: '805',
  collectingAgency: '1105152',
  account: null,
  subItems: { 'certified-copy': '2716', signature: '2716', 'extract-copy': '2771' },
};

function suite(name: string, databaseUrl: () => Promise<string | undefined | null>) {
  describe(`the State Treasury channel on ${name}`, () => {
    let server: RunningServer | undefined;
    const headers: Partial<Record<UserName, Record<string, string>>> = {};
    beforeAll(async () => {
      const url = await databaseUrl();
      if (url === undefined) return; // PostgreSQL not installed: said loudly by startTestPostgres
      server = await startServer({
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'motcua-treasury-')),
        ...(url ? { databaseUrl: url } : {}),
        demo: true,
        demoDossiers: 10,
        worker: false, // the test runs the outbox itself
        log: silentLogger,
        loginRatePerMinute: 1000,
        outbox: {
          intervalMs: 1000,
          baseDelayMs: 1,
          maxDelayMs: 5,
          concurrency: 4,
          leaseMs: 30_000,
          maxAttempts: 3,
        },
      });
      // The test credits records itself.
      server.integrations!.demo!.treasuryAutoCredit.enabled = false;
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
      return { status: r.status, body: (type.includes('json') ? await r.json() : null) as Json };
    };
    const sim = () => server!.integrations!.demo!.treasury;
    /** A certified copy (14,000 VND) collected at the counter; the payment. */
    const paidAtCounter = async (unit: '05152' | '26740') => {
      const user = unit === '05152' ? 'tiepnhan.05152' : 'tiepnhan.26740';
      const d = await call(user, 'POST', `/api/units/${unit}/dossiers`, {
        procedureCode: '2.000815',
        applicant: { kind: 'person', person: { fullName: 'Phạm Thị Mẫu', phone: '0912000009' } },
        form: { fee: { documents: [{ pages: 5, copies: 2 }] } },
      });
      expect(d.status).toBe(201);
      const paid = await call(user, 'POST', `/api/dossiers/${d.body.dossier.id}/fee/counter`, {
        amount: 14000,
      });
      expect(paid.status).toBe(201);
      return { dossier: d.body.dossier as { id: string; code: string }, payment: paid.body.payment as Json };
    };
    const payment = (id: string) => server!.store.fees.payment(id);
    /** Runs the outbox until `done` holds (the follow-up checks wait their delay). */
    const drain = async (done: () => Promise<boolean>, ms = 20_000) => {
      const until = Date.now() + ms;
      for (;;) {
        await server!.integrations!.outbox.runOnce();
        if (await done()) return;
        if (Date.now() > until) throw new Error('the outbox did not get there in time');
        await sleep(150);
      }
    };
    const messagesOf = async (paymentId: string) =>
      (await server!.store.outbox.list()).filter((m) => (m.payload as Json)?.paymentId === paymentId);
    const health = async () => (await call('quantri.05152', 'GET', '/api/integrations/health')).body;

    it('the configuration: read by the unit’s staff with its readiness; the province’s designated account said', async () => {
      if (skip()) return;
      const r = await call('tiepnhan.05152', 'GET', '/api/units/05152/treasury');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        unitCode: '05152',
        configured: true,
        channel: true,
        chapter: '805',
        collectingAgency: '1105152',
        account: null,
        usesDesignatedAccount: true,
        provinceDesignatedAccount: {
          treasuryCode: '1769',
          accountNumber: '3511.0.9000025',
          holder: 'Sở Tài chính tỉnh Phú Thọ',
        },
        subItems: VAN_SON.subItems,
      });
      expect(r.body.feeItems.map((i: Json) => i.itemId)).toEqual(
        expect.arrayContaining(['certified-copy', 'extract-copy', 'signature']),
      );
      const account = r.body.readiness.items.find((i: Json) => i.check === 'account');
      expect(account).toMatchObject({ status: 'warning' });
      expect(account.message.vi).toContain('tài khoản tỉnh chỉ định');
      expect(r.body.readiness.ready).toBe(true);
      // Another commune's staff do not see it; a province viewer is not the unit's staff.
      expect((await call('tiepnhan.26740', 'GET', '/api/units/05152/treasury')).status).toBe(404);
      expect((await call('tinh.25', 'GET', '/api/units/05152/treasury')).status).toBe(403);
      // The ward: its own account, no chapter or agency yet.
      const ward = await call('lanhdao.26740', 'GET', '/api/units/26740/treasury');
      expect(ward.body).toMatchObject({
        configured: false,
        chapter: null,
        usesDesignatedAccount: false,
        account: { treasuryCode: '0111', accountNumber: '3511.1.9026740' },
      });
      expect(ward.body.readiness.ready).toBe(false);
      expect(ward.body.readiness.items.find((i: Json) => i.check === 'chapter').status).toBe('missing');
      // In the OpenAPI document, with the rules of the fields.
      const doc = (await (await fetch(`${server!.url}/openapi.json`)).json()) as Json;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/units/{unit}/treasury', '/api/units/{unit}/treasury/unremitted']),
      );
      expect(doc.components.schemas.TreasuryConfigInput.properties.chapter.pattern).toBe('^\\d{3}$');
    });

    it('a change: only the unit admin; each refused field named, with its rule; nothing changed then', async () => {
      if (skip()) return;
      expect((await call('tiepnhan.05152', 'PUT', '/api/units/05152/treasury', VAN_SON)).status).toBe(403);
      expect((await call('lanhdao.05152', 'PUT', '/api/units/05152/treasury', VAN_SON)).status).toBe(403);
      const malformed = await call('quantri.05152', 'PUT', '/api/units/05152/treasury', {
        chapter: '80',
        collectingAgency: '12345',
        account: { treasuryCode: '11', accountNumber: 'x', holder: ' ' },
        subItems: { 'certified-copy': '27' },
      });
      expect(malformed.status).toBe(400);
      const byPath = Object.fromEntries(malformed.body.issues.map((i: Json) => [i.path, i]));
      expect(Object.keys(byPath).sort()).toEqual([
        'account.accountNumber',
        'account.holder',
        'account.treasuryCode',
        'chapter',
        'collectingAgency',
        'subItems.certified-copy',
      ]);
      expect(byPath.chapter).toMatchObject({
        code: 'treasury.chapter',
        message: { en: 'the chapter has 3 digits', vi: 'chương gồm 3 chữ số' },
      });
      expect(byPath.collectingAgency.code).toBe('treasury.collecting_agency');
      // Well formed, but against the rules: a district chapter (abolished from 2026), a sub-item of a charge for a
      // fee, a code that is no fee or charge sub-item.
      const rules = await call('quantri.05152', 'PUT', '/api/units/05152/treasury', {
        ...VAN_SON,
        chapter: '605',
        subItems: { 'certified-copy': '2771', signature: '9999' },
      });
      expect(rules.status).toBe(400);
      expect(rules.body.issues).toEqual([
        expect.objectContaining({ path: 'chapter', code: 'budget.chapter_level' }),
        expect.objectContaining({ path: 'subItems.certified-copy', code: 'budget.sub_item_kind' }),
        expect.objectContaining({ path: 'subItems.signature', code: 'budget.sub_item' }),
      ]);
      const after = await call('quantri.05152', 'GET', '/api/units/05152/treasury');
      expect(after.body).toMatchObject({ chapter: '805', subItems: VAN_SON.subItems });
    });

    it('a counter payment: its record submitted to the treasury, credited, the payment remitted with the reference; reconciliation shows it', async () => {
      if (skip()) return;
      const { dossier, payment: paid } = await paidAtCounter('05152');
      expect(paid).toMatchObject({ treasuryStatus: null, remittedAt: null });
      const queued = await messagesOf(paid.id);
      expect(queued).toMatchObject([
        { topic: 'treasury.revenue', key: `treasury:${paid.id}`, orderingKey: `${dossier.code}:treasury` },
      ]);
      await drain(async () => (await payment(paid.id))?.treasuryStatus === 'submitted');
      const fee = await server!.store.fees.fee(dossier.id);
      const recordId = `05152-${fee!.id}`;
      const records = sim()
        .records()
        .filter((r) => r.dossierCode === dossier.code);
      expect(records).toEqual([
        expect.objectContaining({
          recordId,
          amount: 14000,
          kind: 'fee',
          method: 'counter',
          chapter: '805',
          subItem: '2716',
          classification: 'TT130/2025',
          classificationVerified: false,
          collectingAgency: '1105152',
          account: {
            treasuryCode: '1769',
            accountNumber: '3511.0.9000025',
            holder: 'Sở Tài chính tỉnh Phú Thọ',
          },
          designatedAccount: true,
        }),
      ]);
      // Waiting for the credit: listed as not remitted, with its treasury status.
      const open = await call('lanhdao.05152', 'GET', '/api/units/05152/treasury/unremitted');
      expect(open.body.payments.find((p: Json) => p.id === paid.id)).toMatchObject({
        treasuryStatus: 'submitted',
        remitBy: null,
        late: false,
        dossierCode: dossier.code,
      });
      const credited = sim().credit(recordId, '2026-12-03T15:00:00+07:00');
      await drain(async () => (await payment(paid.id))?.treasuryStatus === 'credited');
      expect(await payment(paid.id)).toMatchObject({
        treasuryStatus: 'credited',
        treasuryRecordId: recordId,
        treasuryReference: credited.treasuryReference,
        creditedAt: '2026-12-03T15:00:00+07:00',
        remittedAt: '2026-12-03T15:00:00+07:00',
      });
      const rec = await call('lanhdao.05152', 'GET', '/api/units/05152/fees/reconciliation');
      expect(rec.body.treasuryChannel).toBe(true);
      expect(rec.body.payments.find((p: Json) => p.id === paid.id)).toMatchObject({
        treasuryStatus: 'credited',
        treasuryReference: credited.treasuryReference,
        creditedAt: '2026-12-03T15:00:00+07:00',
        remittedAt: '2026-12-03T15:00:00+07:00',
      });
      const after = await call('lanhdao.05152', 'GET', '/api/units/05152/treasury/unremitted');
      expect(after.body.payments.map((p: Json) => p.id)).not.toContain(paid.id);
      // Remitted by the treasury's answer: not by hand.
      const byHand = await call('lanhdao.05152', 'POST', '/api/units/05152/fees/remitted', {
        paymentIds: [paid.id],
      });
      expect(byHand.status).toBe(409);
      expect(byHand.body.code).toBe('treasury.channel_configured');
      expect(byHand.body.issues[0].path).toBe('paymentIds');
      // Every message of the payment delivered: the submission and the checks until the credit.
      expect((await messagesOf(paid.id)).every((m) => m.status === 'delivered')).toBe(true);
    });

    it('a message replayed after the treasury took the record (its answer lost) does not double it', async () => {
      if (skip()) return;
      const { dossier, payment: paid } = await paidAtCounter('05152');
      await drain(async () => (await payment(paid.id))?.treasuryStatus === 'submitted');
      // The process died after the treasury took the record and before its answer was kept.
      await server!.store.db
        .updateTable('payments')
        .set({ treasury_status: null })
        .where('id', '=', paid.id)
        .execute();
      const first = (await messagesOf(paid.id))[0]!;
      await server!.store.outbox.append(
        newOutboxMessage(
          { topic: first.topic, key: first.key, orderingKey: first.orderingKey!, payload: first.payload },
          Date.now(),
        ),
      );
      const before = sim().stats.requests;
      await drain(async () => (await payment(paid.id))?.treasuryStatus === 'submitted');
      expect(sim().stats.requests).toBeGreaterThan(before); // submitted again…
      expect(
        sim()
          .records()
          .filter((r) => r.dossierCode === dossier.code),
      ).toHaveLength(1); // …and still one record at the treasury
    });

    it('the treasury answering garbage: nothing lost, dead with its reason, sent again by hand, still one record', async () => {
      if (skip()) return;
      // The treasury takes each record but its answers do not follow the protocol (a broken gateway).
      sim().setFaults({ malformedRate: 1 });
      const { dossier, payment: paid } = await paidAtCounter('05152');
      try {
        await drain(async () => (await messagesOf(paid.id)).some((m) => m.status === 'dead'));
      } finally {
        sim().setFaults({});
      }
      const dead = (await messagesOf(paid.id)).find((m) => m.status === 'dead')!;
      expect(dead.attempts).toBe(3);
      expect(await payment(paid.id)).toMatchObject({
        status: 'paid',
        treasuryStatus: null,
        remittedAt: null,
      });
      const h = await health();
      expect(h.configured.treasury).toBe(true);
      expect(h.topics.find((t: Json) => t.topic === 'treasury.revenue').dead).toBeGreaterThanOrEqual(1);
      const letter = h.deadLetters.find((d: Json) => d.id === dead.id);
      expect(letter).toMatchObject({ topic: 'treasury.revenue', key: `treasury:${paid.id}` });
      expect(letter.reason).toMatch(/^http\.invalid_response: the server sent invalid JSON/);
      const open = await call('lanhdao.05152', 'GET', '/api/units/05152/treasury/unremitted');
      expect(open.body.payments.find((p: Json) => p.id === paid.id)).toMatchObject({ treasuryStatus: null });
      expect(
        (await call('quantri.05152', 'POST', `/api/integrations/messages/${dead.id}/resend`, {})).status,
      ).toBe(200);
      await drain(async () => (await payment(paid.id))?.treasuryStatus === 'submitted');
      // The treasury had taken the record at each attempt: the same record, once.
      expect(
        sim()
          .records()
          .filter((r) => r.dossierCode === dossier.code),
      ).toHaveLength(1);
    });

    it('a record the treasury rejects (an account it does not know): dead with the reason; fixed, it goes again', async () => {
      if (skip()) return;
      const wrong = await call('quantri.05152', 'PUT', '/api/units/05152/treasury', {
        ...VAN_SON,
        account: { treasuryCode: '0999', accountNumber: '3511.9.0000001', holder: 'UBND xã Vân Sơn' },
      });
      expect(wrong.status).toBe(200);
      expect(wrong.body).toMatchObject({ usesDesignatedAccount: false, account: { treasuryCode: '0999' } });
      try {
        const { dossier, payment: paid } = await paidAtCounter('05152');
        await drain(async () => (await payment(paid.id))?.treasuryStatus === 'rejected');
        expect(await payment(paid.id)).toMatchObject({
          treasuryReason: 'collection.unknown_account',
          remittedAt: null,
        });
        const letter = (await health()).deadLetters.find((d: Json) => d.key === `treasury:${paid.id}`);
        expect(letter.reason).toContain('treasury.rejected: collection.unknown_account');
        expect(
          sim()
            .records()
            .some((r) => r.dossierCode === dossier.code),
        ).toBe(false);
        const open = await call('quantri.05152', 'GET', '/api/units/05152/treasury/unremitted');
        expect(open.body.payments.find((p: Json) => p.id === paid.id)).toMatchObject({
          treasuryStatus: 'rejected',
          treasuryReason: 'collection.unknown_account',
        });
        // Back to the province's designated account: the rejected message is sent again at once.
        const fixed = await call('quantri.05152', 'PUT', '/api/units/05152/treasury', VAN_SON);
        expect(fixed.body.resent).toBeGreaterThanOrEqual(1);
        await drain(async () => (await payment(paid.id))?.treasuryStatus === 'submitted');
        expect(
          sim()
            .records()
            .filter((r) => r.dossierCode === dossier.code),
        ).toEqual([expect.objectContaining({ designatedAccount: true })]);
      } finally {
        await call('quantri.05152', 'PUT', '/api/units/05152/treasury', VAN_SON);
      }
    });

    it('a unit without configuration: treasury.not_configured, visible; remitted by hand; configured, its fees go to the treasury', async () => {
      if (skip()) return;
      const { dossier, payment: paid } = await paidAtCounter('26740');
      await drain(async () => (await messagesOf(paid.id)).some((m) => m.status === 'dead'));
      const letter = (await health()).deadLetters.find((d: Json) => d.key === `treasury:${paid.id}`);
      expect(letter.reason).toMatch(
        /^treasury\.not_configured: dossier .*unit 26740 has no treasury configuration/,
      );
      expect(await payment(paid.id)).toMatchObject({
        status: 'paid',
        treasuryStatus: null,
        remittedAt: null,
      });
      // Cash deposited by hand: the manual route still works for this unit.
      const other = await paidAtCounter('26740');
      const byHand = await call('lanhdao.26740', 'POST', '/api/units/26740/fees/remitted', {
        paymentIds: [other.payment.id],
      });
      expect(byHand.body).toEqual({ remitted: 1 });
      const rec = await call('lanhdao.26740', 'GET', '/api/units/26740/fees/reconciliation');
      expect(rec.body.treasuryChannel).toBe(false);
      // Configured now (its own account, which the treasury knows): the message waiting is sent again, the one
      // remitted by hand is not sent to the treasury.
      const put = await call('quantri.26740', 'PUT', '/api/units/26740/treasury', {
        chapter: '812',
        collectingAgency: '1126740',
        account: { treasuryCode: '0111', accountNumber: '3511.1.9026740', holder: 'UBND phường Sài Gòn' },
        subItems: { 'certified-copy': '2716' },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ configured: true, resent: 1 });
      expect(put.body.readiness.items.find((i: Json) => i.check === 'account').status).toBe('ok');
      await drain(async () => (await payment(paid.id))?.treasuryStatus === 'submitted');
      expect(
        sim()
          .records()
          .filter((r) => r.dossierCode === dossier.code),
      ).toEqual([
        expect.objectContaining({
          chapter: '812',
          designatedAccount: false,
          account: { treasuryCode: '0111', accountNumber: '3511.1.9026740', holder: 'UBND phường Sài Gòn' },
        }),
      ]);
      await drain(async () => (await messagesOf(other.payment.id)).every((m) => m.status === 'delivered'));
      expect(
        sim()
          .records()
          .some((r) => r.dossierCode === other.dossier.code),
      ).toBe(false);
      expect(await payment(other.payment.id)).toMatchObject({ treasuryStatus: null });
    });
  });
}

suite('PGlite (embedded)', async () => null);

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  return pg ? pg.createDatabase('motcua_web_treasury_test') : undefined;
});
afterAll(async () => {
  await pg?.stop();
});
