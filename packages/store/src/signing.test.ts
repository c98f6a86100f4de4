import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { SigningStore } from './signing.js';
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
  stores.PGlite = await openStore({
    inMemory: true,
    dataDir: mkdtempSync(join(tmpdir(), 'motcua-signing-store-')),
  });
  pg = await startTestPostgres();
  if (pg)
    stores.PostgreSQL = await openStore({ databaseUrl: await pg.createDatabase('motcua_signing_store') });
  for (const s of Object.values(stores))
    await s?.upsertUnit({ code: '05152', name: 'Xã Vân Sơn', provinceCode: '25', agencyCode: 'H25.X05152' });
}, 120_000);
afterAll(async () => {
  for (const s of Object.values(stores)) await s?.close();
  await pg?.stop();
});

for (const name of ['PGlite', 'PostgreSQL'] as const) {
  describe(`signing store (${name})`, () => {
    const setup = async () => {
      const store = stores[name];
      if (!store) throw new Error(`${name} is not available`);
      const tag = Math.random().toString(36).slice(2, 8);
      const leader = await store.createUser({
        username: `lanhdao-${tag}`,
        fullName: 'Lãnh đạo Thử',
        roles: [{ role: 'leader', unitCode: '05152' }],
      });
      const deputy = await store.createUser({
        username: `pho-${tag}`,
        fullName: 'Phó Thử',
        roles: [{ role: 'specialist', unitCode: '05152' }],
      });
      const { dossier } = await store.createDossier({
        unitCode: '05152',
        procedure,
        channel: 'direct',
        applicant,
        actor: null,
      });
      return { store, signing: new SigningStore(store.db), leader, deputy, dossier };
    };

    it('keeps set-ups per officer and lists the staff of a unit', async () => {
      const { signing, leader } = await setup();
      await signing.setCredential({
        userId: leader.id,
        unitCode: '05152',
        provider: 'csc',
        credentialId: 'cred-a',
        certificate: new Uint8Array([1, 2, 3]),
        actor: 'admin',
      });
      await signing.setCredential({
        userId: leader.id,
        unitCode: '05152',
        provider: 'async',
        credentialId: 'cred-b',
        certificate: new Uint8Array([4, 5]),
        actor: 'admin',
      });
      const c = await signing.credential(leader.id, '05152');
      expect(c).toMatchObject({ provider: 'async', credentialId: 'cred-b' });
      expect([...c!.certificate]).toEqual([4, 5]);
      const staff = await signing.unitStaff('05152');
      expect(staff.find((u) => u.id === leader.id)?.roles).toEqual(['leader']);
    });

    it('finds a delegation only within its period, scope and while not revoked', async () => {
      const { signing, leader, deputy } = await setup();
      const d = await signing.createDelegation({
        unitCode: '05152',
        fromUser: leader.id,
        toUser: deputy.id,
        scope: 'result',
        validFrom: '2026-12-01T00:00:00+07:00',
        validUntil: '2026-12-10T23:59:59+07:00',
        actor: leader.id,
      });
      const q = (at: string, scope: 'result' | 'certified_copy' = 'result') =>
        signing.activeDelegation({
          unitCode: '05152',
          fromUser: leader.id,
          toUser: deputy.id,
          scope,
          at: new Date(at),
        });
      expect((await q('2026-12-05T10:00:00+07:00'))?.id).toBe(d.id);
      expect(await q('2026-12-11T10:00:00+07:00')).toBeUndefined();
      expect(await q('2026-12-05T10:00:00+07:00', 'certified_copy')).toBeUndefined();
      expect((await signing.revokeDelegation('05152', d.id))?.revokedAt).not.toBeNull();
      expect(await q('2026-12-05T10:00:00+07:00')).toBeUndefined();
      expect(await signing.revokeDelegation('23110', d.id)).toBeUndefined();
    });

    it('records signatures in order and refuses a stale version', async () => {
      const { store, signing, leader, deputy, dossier } = await setup();
      const src = await store.addDocument(
        dossier.id,
        { name: 'ket-qua.pdf', contentType: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1 a') },
        'x',
      );
      const v1 = await store.addDocument(
        dossier.id,
        {
          name: 'ket-qua-ky.pdf',
          contentType: 'application/pdf',
          bytes: new TextEncoder().encode('%PDF-1 b'),
        },
        'x',
      );
      const entry = (userId: string, step: 'specialist' | 'leader', documentId: string) => ({
        step,
        userId,
        name: 'x',
        at: new Date().toISOString(),
        documentId,
      });
      const first = await signing.recordSignature({
        dossierId: dossier.id,
        unitCode: '05152',
        purpose: 'result',
        sourceDocumentId: src.id,
        expectedVersion: 0,
        documentId: v1.id,
        signature: entry(deputy.id, 'specialist', v1.id),
        complete: false,
      });
      expect(first).toMatchObject({ version: 1, status: 'partial', documentId: v1.id });
      expect((await signing.awaitingLeader('05152')).map((d) => d.id)).toContain(first.id);
      await expect(
        signing.recordSignature({
          dossierId: dossier.id,
          unitCode: '05152',
          purpose: 'result',
          sourceDocumentId: src.id,
          expectedVersion: 0,
          documentId: v1.id,
          signature: entry(deputy.id, 'specialist', v1.id),
          complete: false,
        }),
      ).rejects.toMatchObject({ code: 'signature.concurrent', status: 409 });
      const second = await signing.recordSignature({
        dossierId: dossier.id,
        unitCode: '05152',
        purpose: 'result',
        sourceDocumentId: src.id,
        expectedVersion: 1,
        documentId: v1.id,
        signature: entry(leader.id, 'leader', v1.id),
        complete: true,
      });
      expect(second.version).toBe(2);
      expect(second.signatures.map((s) => s.step)).toEqual(['specialist', 'leader']);
      expect((await signing.awaitingLeader('05152')).map((d) => d.id)).not.toContain(first.id);
      expect((await signing.signedDocumentFor(v1.id))?.id).toBe(first.id);
    });

    it('finishes an asynchronous request once', async () => {
      const { store, signing, leader, dossier } = await setup();
      const src = await store.addDocument(
        dossier.id,
        { name: 'scan.pdf', contentType: 'application/pdf', bytes: new TextEncoder().encode(`%PDF ${name}`) },
        'x',
      );
      const operationId = `op-${Math.random()}`;
      await signing.putRequest({
        operationId,
        dossierId: dossier.id,
        unitCode: '05152',
        purpose: 'result',
        sourceDocumentId: src.id,
        step: 'leader',
        userId: leader.id,
        onBehalfOf: null,
        baseVersion: 1,
      });
      expect((await signing.pendingRequests({ sourceDocumentId: src.id })).length).toBe(1);
      expect(await signing.finishRequest(operationId, 'rejected')).toBe(true);
      expect(await signing.finishRequest(operationId, 'signed')).toBe(false);
      expect((await signing.request(operationId))?.status).toBe('rejected');
      expect(await signing.pendingRequests({ sourceDocumentId: src.id })).toEqual([]);
    });
  });
}
