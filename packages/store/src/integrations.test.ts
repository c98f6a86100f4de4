import { LifecycleError } from '@motcua/deadlines';
import { Outbox } from '@motcua/http';
import { outboxStoreSuite } from '@motcua/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { DatabaseOutboxStore } from './outbox-store.js';
import { DatabasePendingSignatureStore } from './pending-signatures.js';
import { openStore, type Store } from './store.js';

const procedure = {
  code: '1.001193',
  name: { vi: 'Đăng ký khai sinh' },
  limit: { unit: 'workingDays' as const, value: 3 },
};
const applicant = { kind: 'person' as const, person: { fullName: 'Nguyễn Văn Mẫu' } };

let pg: TestPostgres | undefined;
const stores: Record<string, Store | undefined> = {};
beforeAll(async () => {
  stores.PGlite = await openStore({ inMemory: true, dataDir: '/tmp/motcua-integrations-test' });
  pg = await startTestPostgres();
  if (pg)
    stores.PostgreSQL = await openStore({ databaseUrl: await pg.createDatabase('motcua_integrations') });
  for (const s of Object.values(stores)) {
    await s?.upsertUnit({ code: '05152', name: 'Xã Vân Sơn', provinceCode: '25', agencyCode: 'H25.X05152' });
  }
}, 60_000);
afterAll(async () => {
  for (const s of Object.values(stores)) await s?.close();
  await pg?.stop();
});

for (const name of ['PGlite', 'PostgreSQL'] as const) {
  const store = () => stores[name];
  outboxStoreSuite(
    `database (${name})`,
    async () => {
      const s = store();
      if (!s) throw new Error(`${name} is not available`);
      await s.db.deleteFrom('outbox').execute();
      return new DatabaseOutboxStore(s.db);
    },
    {
      describe,
      it: (n: string, fn: () => Promise<void>) =>
        it(n, async () => (store() ? fn() : console.warn(`*** ${name} skipped ***`))),
      expect,
    } as never,
  );

  describe(`integrations on ${name}`, () => {
    it('the transactional outbox: a message commits with its dossier change, or not at all', async () => {
      const s = store();
      if (!s) return;
      await s.db.deleteFrom('outbox').execute();
      const { dossier } = await s.createDossier({
        unitCode: '05152',
        procedure,
        channel: 'direct',
        applicant,
        actor: null,
        messages: (d) => [
          {
            topic: 'population.verify',
            orderingKey: d.code,
            key: `${d.code}:verify`,
            payload: { dossierId: d.id },
          },
        ],
      });
      expect((await s.outbox.list()).map((m) => [m.topic, m.key])).toEqual([
        ['population.verify', `${dossier.code}:verify`],
      ]);
      await expect(
        s.appendEvent(dossier.id, { type: 'supplementReceived', at: new Date().toISOString() }, null, {
          messages: () => [{ topic: 'notify', payload: {} }],
        }),
      ).rejects.toBeInstanceOf(LifecycleError);
      expect(await s.outbox.list()).toHaveLength(1); // the refused event left no message behind
      await s.appendEvent(dossier.id, { type: 'resolved', at: new Date().toISOString() }, null, {
        messages: (d) => [{ topic: 'notify', orderingKey: d.code, key: `${d.code}:${d.seq}`, payload: {} }],
      });
      expect((await s.outbox.list()).map((m) => m.key)).toEqual([
        `${dossier.code}:verify`,
        `${dossier.code}:2`,
      ]);
    });

    it('two workers share the queue: each message once, each dossier in order (SKIP LOCKED and leases)', async () => {
      const s = store();
      if (!s) return;
      await s.db.deleteFrom('outbox').execute();
      const producer = new Outbox({ store: s.outbox, deliver: async () => {} });
      for (let i = 0; i < 30; i++)
        await producer.enqueue({ topic: 't', orderingKey: `D${i % 5}`, payload: { i } });
      const seen: string[] = [];
      const worker = () =>
        new Outbox({
          store: new DatabaseOutboxStore(s.db),
          concurrency: 4,
          batchSize: 7,
          deliver: async (m) => {
            await new Promise((r) => setTimeout(r, 1));
            seen.push(`${m.orderingKey}:${(m.payload as { i: number }).i}`);
          },
        });
      const a = worker();
      const b = worker();
      for (let round = 0; round < 30 && (await a.stats()).pending > 0; round++)
        await Promise.all([a.runOnce(), b.runOnce()]);
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
      for (let k = 0; k < 5; k++) {
        const order = seen.filter((x) => x.startsWith(`D${k}:`)).map((x) => Number(x.split(':')[1]));
        expect(order).toEqual([...order].sort((x, y) => x - y));
      }
      const health = await s.outbox.health(Date.now());
      expect(health.find((h) => h.topic === 't')).toMatchObject({ pending: 0, delivered: 30, dead: 0 });
    });

    it('the inbox de-duplicates callbacks by event ID', async () => {
      const s = store();
      if (!s) return;
      expect(await s.inbox('payment', `evt-${name}`)).toBe(true);
      expect(await s.inbox('payment', `evt-${name}`)).toBe(false);
      expect(await s.inbox('portal', `evt-${name}`)).toBe(true);
    });

    it('pending signatures survive in the database', async () => {
      const s = store();
      if (!s) return;
      const p = new DatabasePendingSignatureStore(s.db);
      await p.put({ operationId: `op-${name}`, status: 'awaitingUser', hash: 'abc' });
      expect(await new DatabasePendingSignatureStore(s.db).get(`op-${name}`)).toMatchObject({
        status: 'awaitingUser',
      });
      expect(await p.update(`op-${name}`, { status: 'signed' })).toMatchObject({
        status: 'signed',
        hash: 'abc',
      });
      expect((await p.list('signed')).map((r) => r.operationId)).toContain(`op-${name}`);
      await expect(p.update('nope', { status: 'x' })).rejects.toMatchObject({
        code: 'signature.operation_unknown',
      });
    });
  });
}
