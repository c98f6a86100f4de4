import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MotcuaError } from '@motcua/core';
import { MIGRATIONS, openStore } from '@motcua/store';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { backup, createUser, migrate, restore } from './admin.js';
import { configFromEnv } from './config.js';
import { DEMO_PASSWORD, DEMO_UNITS } from './demo.js';
import { silentLogger } from './log.js';
import { banner, startServer } from './server.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'motcua-server-'));
const applicant = { kind: 'person', person: { fullName: 'Nguyễn Văn Mẫu' } };

async function session(url: string, username: string, password = DEMO_PASSWORD) {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${r.status}`);
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return {
    cookie: r.headers.get('set-cookie')!.split(';')[0]!,
    'x-csrf-token': csrfToken,
    'content-type': 'application/json',
  };
}

describe('the server process', () => {
  it('finishes requests in flight on shutdown: every acknowledged intake is in the database', async () => {
    const dataDir = tmp();
    const s = await startServer({ port: 0, dataDir, demo: true, demoDossiers: 10, log: silentLogger });
    expect((await fetch(`${s.url}/api/ready`)).status).toBe(200);
    const h = await session(s.url, 'tiepnhan.05152');
    const inflight = Array.from({ length: 15 }, () =>
      fetch(`${s.url}/api/units/05152/dossiers`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ procedureCode: '1.004873', applicant }),
      }),
    );
    // Close as soon as the first answer is back: the others are in flight.
    await Promise.race(inflight);
    const closing = s.close();
    const answers = await Promise.allSettled(inflight);
    await closing;
    const acked: string[] = [];
    for (const a of answers)
      if (a.status === 'fulfilled' && a.value.status === 201)
        acked.push(((await a.value.json()) as { dossier: { id: string } }).dossier.id);
    expect(acked.length).toBeGreaterThan(1);
    const store = await openStore({ dataDir });
    for (const id of acked) expect(await store.getDossier(id)).toBeDefined();
    await store.close();
  }, 60_000);

  it('the start banner names every demo user who can sign in, the deputy leaders too, and the demo phone page', async () => {
    const s = await startServer({
      port: 0,
      dataDir: tmp(),
      demo: true,
      demoDossiers: 0,
      loginRatePerMinute: 1000,
      log: silentLogger,
    });
    try {
      const text = banner(s, true);
      expect(text).toContain(`${s.url}/signing/phone`);
      const named = [...text.matchAll(/^ {4}(\S+\.\d{2,5}) +\S/gm)].map((m) => m[1]!);
      for (const u of DEMO_UNITS) {
        expect(named).toContain(`lanhdao.${u.code}`);
        expect(named).toContain(`pholanhdao.${u.code}`);
      }
      // Each one listed signs in with the demo password; a deputy holds a phone-confirmation credential.
      for (const username of named) await session(s.url, username);
      const deputy = await session(s.url, `pholanhdao.${DEMO_UNITS[0].code}`);
      const phone = (await (await fetch(`${s.url}/api/demo/signing`, { headers: deputy })).json()) as {
        credentials: { provider: string }[];
      };
      expect(phone.credentials.map((c) => c.provider)).toEqual(['async']);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('a production start refuses demo mode and a database holding demo users', async () => {
    const dataDir = tmp();
    await expect(
      startServer({ port: 0, dataDir, demo: true, production: true, log: silentLogger }),
    ).rejects.toThrow(/Demo mode is refused/);
    const demo = await startServer({ port: 0, dataDir, demo: true, demoDossiers: 0, log: silentLogger });
    await demo.close();
    await expect(
      startServer({ port: 0, dataDir, demo: false, production: true, log: silentLogger }),
    ).rejects.toThrow(/demo users/);
  }, 60_000);

  it('production set-up: empty, the first administrator by command, migrations, backup and restore of the embedded database', async () => {
    const dataDir = tmp();
    const env = { MOTCUA_DATA_DIR: dataDir };
    // Every migration the store ships, in order, then none the second time.
    expect(await migrate(env)).toEqual(Object.keys(MIGRATIONS).sort());
    expect(Object.keys(MIGRATIONS)).toContain('0003_settings');
    expect(await migrate(env)).toEqual([]);
    await expect(
      createUser({
        username: 'qt',
        fullName: 'Quản trị',
        password: 'short',
        role: 'unitAdmin',
        unitCode: '05152',
        env,
      }),
    ).rejects.toThrow(/12 characters/);
    await createUser({
      username: 'quantri.vanson',
      fullName: 'Quản trị Xã Vân Sơn',
      password: 'một-mật-khẩu-dài',
      role: 'unitAdmin',
      unitCode: '05152',
      env,
    });
    const s = await startServer({ port: 0, dataDir, demo: false, production: true, log: silentLogger });
    const h = await session(s.url, 'quantri.vanson', 'một-mật-khẩu-dài');
    const units = (await (await fetch(`${s.url}/api/units`, { headers: h })).json()) as {
      code: string;
      name: string;
    }[];
    expect(units).toEqual([{ code: '05152', name: 'Vân Sơn', provinceCode: '25' }]);
    await s.close();
    const saved = join(tmp(), 'backup');
    await backup(saved, env);
    const s2 = await startServer({ port: 0, dataDir, demo: false, log: silentLogger });
    const h2 = await session(s2.url, 'quantri.vanson', 'một-mật-khẩu-dài');
    await s2.store.upsertProcedures('05152', [
      {
        code: '1.004873',
        name: { vi: 'Xác nhận tình trạng hôn nhân' },
        limit: { unit: 'workingDays', value: 3 },
      } as never,
    ]);
    expect(
      (
        await fetch(`${s2.url}/api/units/05152/dossiers`, {
          method: 'POST',
          headers: h2,
          body: JSON.stringify({ procedureCode: '1.004873', applicant }),
        })
      ).status,
    ).toBe(201);
    await s2.close();
    await restore(saved, env);
    const store = await openStore({ dataDir });
    expect((await store.listDossiers({ unitCodes: ['05152'] })).total).toBe(0); // as at the backup
    await store.close();
  }, 60_000);
});

/** What restore threw: a MotcuaError, its code and messages. */
async function restoreError(source: string, env: NodeJS.ProcessEnv) {
  const e = await restore(source, env).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MotcuaError);
  const m = e as MotcuaError;
  expect(m.localized.vi).not.toBe(m.localized.en);
  return m;
}

describe('restore of the embedded database', () => {
  /** A demo data directory (users and dossiers) inside a parent of its own, to see what restore leaves beside it. */
  async function seeded() {
    const parent = tmp();
    const dataDir = join(parent, 'data');
    const s = await startServer({ port: 0, dataDir, demo: true, demoDossiers: 6, log: silentLogger });
    await s.close();
    const env = { MOTCUA_DATA_DIR: dataDir };
    return { parent, dataDir, env, before: await counts(dataDir) };
  }
  async function counts(dataDir: string) {
    const store = await openStore({ dataDir, migrate: false });
    try {
      return {
        users: (await store.countUsers()).all,
        dossiers: (await store.listDossiers({ unitCodes: DEMO_UNITS.map((u) => u.code) })).total,
      };
    } finally {
      await store.close();
    }
  }

  it('refuses a missing path or anything that is not a backup before touching the data, which stays readable', async () => {
    const { parent, dataDir, env, before } = await seeded();
    expect(before.users).toBeGreaterThan(0);
    expect(before.dossiers).toBeGreaterThan(0);
    const other = tmp();

    const missing = join(other, 'bakup-typo');
    const notFound = await restoreError(missing, env);
    expect(notFound.code).toBe('backup.not_found');
    expect(notFound.message).toContain(missing);
    expect(notFound.localized.vi).toContain(missing);

    const random = join(other, 'random.bin');
    writeFileSync(random, randomBytes(4096));
    const empty = join(other, 'empty');
    writeFileSync(empty, '');
    const emptyDir = join(other, 'empty-dir');
    mkdirSync(emptyDir);
    // Looks like a data directory at a glance (db/PG_VERSION), but the database files are garbage.
    const fake = join(other, 'fake');
    mkdirSync(join(fake, 'db'), { recursive: true });
    writeFileSync(join(fake, 'db', 'PG_VERSION'), '17\n');
    writeFileSync(join(fake, 'db', 'postgresql.conf'), randomBytes(512));
    const badVersion = join(other, 'bad-version');
    mkdirSync(join(badVersion, 'db'), { recursive: true });
    writeFileSync(join(badVersion, 'db', 'PG_VERSION'), randomBytes(16));
    for (const source of [random, empty, emptyDir, fake, badVersion, dataDir]) {
      const e = await restoreError(source, env);
      expect(e.code, source).toBe('backup.invalid');
      expect(e.message).toContain(source);
      expect(e.localized.vi).toContain(source);
    }

    // Nothing replaced, nothing left beside the data directory, and the data reads as before.
    expect(readdirSync(parent)).toEqual(['data']);
    expect(await counts(dataDir)).toEqual(before);
  }, 120_000);

  it('refuses a data directory in use by a running process', async () => {
    const { parent, dataDir, env, before } = await seeded();
    const saved = join(tmp(), 'backup');
    await backup(saved, env);
    const open = await openStore({ dataDir });
    try {
      const e = await restoreError(saved, env);
      expect(e.code).toBe('restore.in_use');
      expect(e.message).toContain(dataDir);
    } finally {
      await open.close();
    }
    expect(readdirSync(parent)).toEqual(['data']);
    expect(await counts(dataDir)).toEqual(before);
  }, 120_000);

  it('restores a good backup in place of the data directory, leaving nothing beside it', async () => {
    const { parent, dataDir, env, before } = await seeded();
    const saved = join(tmp(), 'backup');
    await backup(saved, env);
    // A backup taken while a process held the database carries its lock file: it is not restored.
    writeFileSync(join(saved, 'motcua.lock'), String(process.pid));
    await createUser({
      username: 'quantri.moi',
      fullName: 'Quản trị mới',
      password: 'một-mật-khẩu-dài',
      role: 'unitAdmin',
      unitCode: '05152',
      env,
    });
    expect((await counts(dataDir)).users).toBe(before.users + 1);
    expect(await restore(saved, env)).toEqual({ kind: 'pglite' });
    expect(readdirSync(parent)).toEqual(['data']);
    expect(readdirSync(dataDir)).not.toContain('motcua.lock');
    expect(await counts(dataDir)).toEqual(before);
    // Into a data directory that does not exist yet (a new machine).
    const fresh = join(tmp(), 'new', 'data');
    expect(await restore(saved, { MOTCUA_DATA_DIR: fresh })).toEqual({ kind: 'pglite' });
    expect(await counts(fresh)).toEqual(before);
  }, 120_000);
});

describe('on PostgreSQL', () => {
  let pg: TestPostgres | undefined;
  afterAll(async () => {
    await pg?.stop();
  });

  it('production integrations come from the config file: each system configured is used, the others are off', async () => {
    const dir = tmp();
    const file = join(dir, 'motcua.json');
    writeFileSync(
      file,
      JSON.stringify({
        integrations: {
          socialInsurance: { baseUrl: 'http://127.0.0.1:9/bhxh' },
          payment: { baseUrl: 'http://127.0.0.1:9/pay', callbackSecret: 'whsec_0123456789abcdef' },
          email: { host: '127.0.0.1', port: 2525, user: 'motcua', from: 'motcua@xa.example.vn' },
        },
        worker: false,
      }),
    );
    const config = configFromEnv({ MOTCUA_CONFIG: file, MOTCUA_DATA_DIR: join(dir, 'data') });
    const s = await startServer({ ...config, port: 0, demo: false, log: silentLogger });
    try {
      const { configured } = await s.integrations!.health();
      expect(configured).toMatchObject({
        socialInsurance: true,
        payment: true,
        email: true,
        population: false,
        sms: false,
      });
    } finally {
      await s.close();
    }
    // A callback secret too short to be one is refused, naming the field.
    writeFileSync(
      file,
      JSON.stringify({ integrations: { payment: { baseUrl: 'http://127.0.0.1:9', callbackSecret: 'x' } } }),
    );
    expect(() => configFromEnv({ MOTCUA_CONFIG: file })).toThrow(/callbackSecret/);
  });

  it('a database outage gives 503s, and writes work again once it is back', async () => {
    pg = await startTestPostgres();
    if (!pg?.pause) {
      console.warn('*** PostgreSQL not available: outage test skipped ***');
      return;
    }
    const databaseUrl = await pg.createDatabase('motcua_outage');
    const s = await startServer({
      port: 0,
      dataDir: tmp(),
      databaseUrl,
      demo: true,
      demoDossiers: 5,
      log: silentLogger,
    });
    const h = await session(s.url, 'tiepnhan.05152');
    const intake = () =>
      fetch(`${s.url}/api/units/05152/dossiers`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ procedureCode: '1.004873', applicant }),
      });
    expect((await intake()).status).toBe(201);
    pg.pause();
    expect((await fetch(`${s.url}/api/ready`)).status).toBe(503);
    const during = await intake();
    expect(during.status).toBe(503);
    expect(((await during.json()) as { code: string }).code).toBe('database_unavailable');
    pg.resume!();
    let after = 0;
    for (let i = 0; i < 20 && after !== 201; i++) {
      after = (await intake()).status;
      if (after !== 201) await new Promise((r) => setTimeout(r, 250));
    }
    expect(after).toBe(201);
    expect((await fetch(`${s.url}/api/ready`)).status).toBe(200);
    await s.close();
  }, 120_000);

  it('backup and restore with pg_dump', async () => {
    pg ??= await startTestPostgres();
    if (!pg) return;
    const databaseUrl = await pg.createDatabase('motcua_backup');
    const env = { DATABASE_URL: databaseUrl };
    await migrate(env);
    await createUser({
      username: 'qt.sg',
      fullName: 'Quản trị Phường Sài Gòn',
      password: 'một-mật-khẩu-dài',
      role: 'unitAdmin',
      unitCode: '26740',
      env,
    });
    const file = join(tmp(), 'motcua.dump');
    await backup(file, env);
    const store = await openStore({ databaseUrl });
    await store.db.deleteFrom('user_roles').execute();
    await store.db.deleteFrom('users').execute();
    await store.close();
    // A missing path, a file that is no dump, a truncated dump: refused or rolled back, the database unchanged.
    const dir = tmp();
    const random = join(dir, 'random.dump');
    writeFileSync(random, randomBytes(4096));
    const empty = join(dir, 'empty.dump');
    writeFileSync(empty, '');
    const truncated = join(dir, 'truncated.dump');
    const whole = readFileSync(file);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.8)));
    expect((await restoreError(join(dir, 'missing.dump'), env)).code).toBe('backup.not_found');
    for (const source of [random, empty, dir]) {
      const e = await restoreError(source, env);
      expect(e.code, source).toBe('backup.invalid');
      expect(e.message).toContain(source);
    }
    expect(['backup.invalid', 'restore.failed']).toContain((await restoreError(truncated, env)).code);
    const unchanged = await openStore({ databaseUrl, migrate: false });
    expect((await unchanged.countUsers()).all).toBe(0);
    expect(await unchanged.getUnit('26740')).toBeDefined();
    await unchanged.close();
    expect(await restore(file, env)).toEqual({ kind: 'postgres' });
    const again = await openStore({ databaseUrl });
    expect((await again.countUsers()).all).toBe(1);
    await again.close();
  }, 120_000);
});
