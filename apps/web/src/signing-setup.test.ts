// The unit admin's signing set-up (screen 8): assign, change and remove an officer's credential, and what
// the readiness report and the signing route make of it. On PGlite always, on PostgreSQL when installed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@motcua/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { DEMO_PASSWORD, seedDemo } from './demo.js';
import { jsonLogger } from './log.js';
import { demoCredentialId, type SigningServices, startDemoSigning } from './signing.js';
import { login, type TestClient } from './test-support.js';

const UNIT = '05152';
const OTHER = '23110';

interface Officer {
  userId: string;
  username: string;
  provider: string | null;
  credentialId: string | null;
  subject: string | null;
  notAfter: string | null;
  ready: boolean;
  problems: { code: string; vi: string; en: string }[];
}
interface Problem {
  status: number;
  code: string;
  detail: { vi: string; en: string };
  issues?: { path: string; code: string; message: { vi: string; en: string } }[];
}

function suite(name: string, open: (first: boolean) => Promise<Store | undefined>) {
  describe(`signing set-up on ${name}`, () => {
    let store: Store;
    let app: ReturnType<typeof createApp>;
    let services: SigningServices;
    let skip = false;

    beforeAll(async () => {
      const s = await open(true);
      if (!s) {
        skip = true;
        return;
      }
      store = s;
      await seedDemo(store, { dossiers: 0, log: jsonLogger(() => {}) });
      services = await startDemoSigning(store, [UNIT, OTHER], {
        password: DEMO_PASSWORD,
        seed: `setup-${name}`,
      });
      app = createApp({
        store,
        config: configFromEnv({}, { loginRatePerMinute: 1000 }),
        log: jsonLogger(() => {}),
      });
    }, 120_000);
    afterAll(async () => {
      await services?.close();
      await store?.close();
    });

    const readiness = async (user: TestClient, unit = UNIT) => {
      const r = await user.get(`/api/units/${unit}/signing-readiness`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { ready: number; officers: Officer[] };
      return { ready: body.ready, by: Object.fromEntries(body.officers.map((o) => [o.username, o])) };
    };
    const problemOf = async (r: Response) => {
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      return (await r.json()) as Problem;
    };

    it('a unit admin assigns, changes and removes a credential; readiness and signing follow', async () => {
      if (skip) return;
      const admin = await login(app, `quantri.${UNIT}`);
      const before = await readiness(admin);
      const officer = before.by[`chuyenvien.${UNIT}`]!;
      // Each demo officer holds a credential of their own, whose certificate names them.
      expect(officer).toMatchObject({
        provider: 'csc',
        credentialId: demoCredentialId(`chuyenvien.${UNIT}`),
        subject: 'Chuyên viên Xã Vân Sơn',
        ready: true,
      });
      const quantri = before.by[`quantri.${UNIT}`]!;
      expect(quantri).toMatchObject({ provider: null, credentialId: null, subject: null, ready: false });
      expect(quantri.problems.map((p) => p.code)).toContain('readiness.no_credential');
      const url = (o: Officer) => `/api/units/${UNIT}/signing/credentials/${o.userId}`;

      // Assign: the certificate is read from the provider; its holder and expiry come back.
      const set = await admin.put(url(quantri), { provider: 'csc', credentialId: 'cred-rsa-an' });
      expect(set.status).toBe(200);
      const saved = (await set.json()) as {
        provider: string;
        credentialId: string;
        subject: string;
        notAfter: string;
      };
      expect(saved).toMatchObject({ provider: 'csc', credentialId: 'cred-rsa-an', subject: 'Nguyễn Văn An' });
      expect(Date.parse(saved.notAfter)).toBeGreaterThan(Date.now());
      let now = await readiness(admin);
      expect(now.by[`quantri.${UNIT}`]).toMatchObject({
        provider: 'csc',
        credentialId: 'cred-rsa-an',
        subject: 'Nguyễn Văn An',
        notAfter: saved.notAfter,
        ready: true,
        problems: [],
      });
      expect(now.ready).toBe(before.ready + 1);

      // Change: another provider and credential replace the first (surrounding spaces are not part of the ID).
      const changed = await admin.put(url(quantri), { provider: 'async', credentialId: '  async-rsa-hai ' });
      expect(changed.status).toBe(200);
      now = await readiness(admin);
      expect(now.by[`quantri.${UNIT}`]).toMatchObject({
        provider: 'async',
        credentialId: 'async-rsa-hai',
        subject: 'Vũ Văn Hải',
        ready: true,
      });
      expect(now.ready).toBe(before.ready + 1);

      // Remove: back to no credential.
      const removed = await admin.del(url(quantri));
      expect(removed.status).toBe(200);
      expect(await removed.json()).toMatchObject({ provider: 'async', credentialId: 'async-rsa-hai' });
      now = await readiness(admin);
      expect(now.by[`quantri.${UNIT}`]).toMatchObject({ provider: null, credentialId: null, ready: false });
      expect(now.by[`quantri.${UNIT}`]!.problems.map((p) => p.code)).toContain('readiness.no_credential');
      expect(now.ready).toBe(before.ready);
      // Removing what is not there names the officer.
      const again = await admin.del(url(quantri));
      expect(again.status).toBe(404);
      const p = await problemOf(again);
      expect(p.code).toBe('signature.no_setup');
      expect(p.issues?.map((i) => i.path)).toEqual(['userId']);

      // Every change is in the audit log: who, whose, which credential, and what it replaced.
      const setups = (await store.auditLog({ action: 'signature.setup' })).filter(
        (a) => a.detail?.userId === quantri.userId,
      );
      expect(setups.map((a) => a.detail)).toEqual([
        {
          userId: quantri.userId,
          provider: 'async',
          credentialId: 'async-rsa-hai',
          previous: { provider: 'csc', credentialId: 'cred-rsa-an' },
        },
        { userId: quantri.userId, provider: 'csc', credentialId: 'cred-rsa-an' },
      ]);
      const removals = await store.auditLog({ action: 'signature.setup_removed' });
      expect(removals[0]).toMatchObject({ unit_code: UNIT });
      expect(removals[0]!.detail).toEqual({
        userId: quantri.userId,
        provider: 'async',
        credentialId: 'async-rsa-hai',
      });

      // The signing route follows: without a set-up the specialist cannot sign, with it again the PIN is asked.
      const rec = await login(app, `tiepnhan.${UNIT}`);
      const created = await rec.post(`/api/units/${UNIT}/dossiers`, {
        procedureCode: '1.004873',
        applicant: { kind: 'person', person: { fullName: 'Nguyễn Văn Mẫu', personalId: '025090000001' } },
      });
      expect(created.status).toBe(201);
      const { dossier } = (await created.json()) as { dossier: { id: string } };
      const spec = await login(app, `chuyenvien.${UNIT}`);
      expect((await admin.del(url(officer))).status).toBe(200);
      const refused = await spec.post(`/api/dossiers/${dossier.id}/signatures`, { purpose: 'result' });
      expect(refused.status).toBe(409);
      expect((await problemOf(refused)).code).toBe('signature.no_credential');
      expect(
        (await admin.put(url(officer), { provider: 'csc', credentialId: demoCredentialId(officer.username) }))
          .status,
      ).toBe(200);
      const asked = await spec.post(`/api/dossiers/${dossier.id}/signatures`, { purpose: 'result' });
      expect(asked.status).toBe(400);
      expect((await problemOf(asked)).issues?.map((i) => i.path)).toEqual(['pin']);
      expect((await readiness(admin)).ready).toBe(before.ready);
    });

    it('only a unit admin of that unit: other staff 403, another commune’s admin 404', async () => {
      if (skip) return;
      const admin = await login(app, `quantri.${UNIT}`);
      const quantri = (await readiness(admin)).by[`quantri.${UNIT}`]!;
      const url = `/api/units/${UNIT}/signing/credentials/${quantri.userId}`;
      const body = { provider: 'csc', credentialId: 'cred-rsa-an' };
      for (const username of [`tiepnhan.${UNIT}`, `lanhdao.${UNIT}`]) {
        const officer = await login(app, username);
        const put = await officer.put(url, body);
        expect(put.status, username).toBe(403);
        expect((await problemOf(put)).code).toBe('auth.role');
        expect((await officer.del(url)).status, username).toBe(403);
      }
      const elsewhere = await login(app, `quantri.${OTHER}`);
      expect((await elsewhere.put(url, body)).status).toBe(404);
      expect((await elsewhere.del(url)).status).toBe(404);
      // Nothing was set by any of them.
      expect((await readiness(admin)).by[`quantri.${UNIT}`]).toMatchObject({ provider: null, ready: false });
    });

    it('a user of another commune cannot be given, nor lose, a credential through this unit', async () => {
      if (skip) return;
      const admin = await login(app, `quantri.${UNIT}`);
      const theirs = await login(app, `quantri.${OTHER}`);
      const before = (await readiness(theirs, OTHER)).by[`tiepnhan.${OTHER}`]!;
      expect(before).toMatchObject({
        provider: 'csc',
        credentialId: demoCredentialId(`tiepnhan.${OTHER}`),
        ready: true,
      });
      const url = `/api/units/${UNIT}/signing/credentials/${before.userId}`;
      const put = await admin.put(url, { provider: 'async', credentialId: 'async-ec-giang' });
      expect(put.status).toBe(404);
      const p = await problemOf(put);
      expect(p.code).toBe('signature.not_staff');
      expect(p.issues?.map((i) => i.path)).toEqual(['userId']);
      expect(p.issues?.[0]?.message.vi).toBe('đơn vị không có cán bộ nào có mã này');
      expect((await admin.del(url)).status).toBe(404);
      // Their set-up is untouched, and this unit gained no one.
      expect((await readiness(theirs, OTHER)).by[`tiepnhan.${OTHER}`]).toMatchObject({
        provider: 'csc',
        credentialId: demoCredentialId(`tiepnhan.${OTHER}`),
      });
      expect(Object.values((await readiness(admin)).by).map((o) => o.userId)).not.toContain(before.userId);
    });

    it('the OpenAPI document describes assigning and removing, with their schemas', async () => {
      if (skip) return;
      const doc = (await (await app.request('/openapi.json')).json()) as {
        paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: object }>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      const path = doc.paths['/api/units/{unit}/signing/credentials/{userId}']!;
      expect(Object.keys(path).sort()).toEqual(['delete', 'put']);
      expect(path.delete!.parameters?.map((x) => x.name).sort()).toEqual(['unit', 'userId']);
      expect(Object.keys(path.delete!.responses)).toEqual(expect.arrayContaining(['200', '403', '404']));
      expect(Object.keys(doc.components.schemas.SigningSetUp!.properties!)).toEqual([
        'provider',
        'credentialId',
      ]);
      expect(Object.keys(doc.components.schemas.SigningSetUpSaved!.properties!)).toContain('subject');
      expect(Object.keys(doc.components.schemas.SigningSetUpRemoved!.properties!)).toContain('credentialId');
    });

    it('bad input is 400 naming the field, in Vietnamese and English', async () => {
      if (skip) return;
      const admin = await login(app, `quantri.${UNIT}`);
      const quantri = (await readiness(admin)).by[`quantri.${UNIT}`]!;
      const url = `/api/units/${UNIT}/signing/credentials/${quantri.userId}`;
      const cases: [unknown, string, string?][] = [
        [{ provider: 'pkcs11', credentialId: 'cred-rsa-an' }, 'provider'],
        [{ provider: 'csc' }, 'credentialId'],
        [{ provider: 'csc', credentialId: '   ' }, 'credentialId'],
        [{ provider: 'csc', credentialId: 'x'.repeat(257) }, 'credentialId'],
        [{ provider: 'csc', credentialId: 'cred-unknown' }, 'credentialId', 'signature.credential_unknown'],
        [{ provider: 'async', credentialId: 'cred-rsa-an' }, 'credentialId', 'signature.credential_unknown'],
      ];
      for (const [body, field, code] of cases) {
        const r = await admin.put(url, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        const p = await problemOf(r);
        expect(
          p.issues?.map((i) => i.path),
          JSON.stringify(body),
        ).toEqual([field]);
        if (code) expect(p.code).toBe(code);
        expect(p.issues?.[0]?.message.vi).toBeTruthy();
        expect(p.issues?.[0]?.message.en).toBeTruthy();
      }
      const badId = await admin.put(`/api/units/${UNIT}/signing/credentials/not-a-uuid`, {
        provider: 'csc',
        credentialId: 'cred-rsa-an',
      });
      expect(badId.status).toBe(400);
      expect((await problemOf(badId)).issues?.map((i) => i.path)).toEqual(['userId']);
      expect((await admin.del(`/api/units/${UNIT}/signing/credentials/not-a-uuid`)).status).toBe(400);
      // Nothing was saved.
      expect((await readiness(admin)).by[`quantri.${UNIT}`]).toMatchObject({ provider: null, ready: false });
    });
  });
}

suite(
  'PGlite (embedded)',
  (() => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-setup-'));
    return async () => openStore({ dataDir });
  })(),
);

let pg: TestPostgres | undefined;
let pgUrl: string | undefined;
suite('PostgreSQL', async (first) => {
  if (first) {
    pg = await startTestPostgres();
    if (!pg) return undefined;
    pgUrl = await pg.createDatabase('motcua_web_signing_setup');
  }
  return pgUrl ? openStore({ databaseUrl: pgUrl }) : undefined;
});
afterAll(async () => {
  await pg?.stop();
});
