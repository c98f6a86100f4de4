import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPopulationSimulator } from '@motcua/population/testing';
import { seedCatalogue } from '@motcua/procedures';
import { openStore, type Store } from '@motcua/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { DEMO_PASSWORD, seedDemo } from './demo.js';
import { Integrations } from './integrations.js';
import { silentLogger } from './log.js';
import { login, signIn } from './test-support.js';

type App = ReturnType<typeof createApp>;
const applicant = { kind: 'person', person: { fullName: 'Trần Thị Mẫu', personalId: '025190000002' } };
/** A second (test-only) commune in Phú Thọ, province 25, so the roll-up adds up more than one commune. */
const SECOND = { code: '05155', name: 'Xã Thử Nghiệm', provinceCode: '25', agencyCode: 'H25.X05155' };

function suite(name: string, open: () => Promise<Store | undefined>) {
  describe(`admin, province and desk API on ${name}`, () => {
    let store: Store;
    let app: App;
    let skip = false;
    beforeAll(async () => {
      const s = await open();
      if (!s) {
        skip = true;
        return;
      }
      store = s;
      await seedDemo(store, {
        dossiers: 60,
        log: silentLogger,
        now: Date.parse('2026-12-01T10:00:00+07:00'),
      });
      await store.upsertUnit(SECOND);
      await store.upsertProcedures(SECOND.code, seedCatalogue().at('2026-12-01'));
      app = createApp({
        store,
        config: configFromEnv({}, { loginRatePerMinute: 1000, publicRatePerMinute: 1000 }),
        log: silentLogger,
      });
    }, 120_000);
    afterAll(async () => {
      await store?.close();
    });
    const guard = () => {
      if (skip) console.warn(`*** ${name} not available: test skipped ***`);
      return skip;
    };

    it('work list: procedure and channel are filtered by the API, the total counts beyond the page', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      for (let i = 0; i < 3; i++)
        expect(
          (
            await rec.post('/api/units/05152/dossiers', {
              procedureCode: '1.004873',
              channel: 'online',
              applicant,
            })
          ).status,
        ).toBe(201);
      const all = await store.listDossiers({ unitCodes: ['05152'], limit: 500 });
      const want = all.items.filter((d) => d.channel === 'online' && d.procedureCode === '1.004873');
      expect(want.length).toBeGreaterThanOrEqual(3);
      const r = await rec.get('/api/units/05152/dossiers?procedure=1.004873&channel=online&limit=1');
      expect(r.status).toBe(200);
      const page = (await r.json()) as { items: { channel: string; procedureCode: string }[]; total: number };
      expect(page.total).toBe(want.length);
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({ channel: 'online', procedureCode: '1.004873' });
      const direct = (await (await rec.get('/api/units/05152/dossiers?channel=direct&limit=500')).json()) as {
        items: { channel: string }[];
        total: number;
      };
      expect(direct.total).toBe(all.items.filter((d) => d.channel === 'direct').length);
      expect(new Set(direct.items.map((d) => d.channel))).toEqual(new Set(['direct']));
      const bad = await rec.get('/api/units/05152/dossiers?channel=fax');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(
        'channel',
      );
    });

    it('unit admin: users and roles — create with a one-time password, change roles, disable, reset', async () => {
      if (guard()) return;
      const admin = await login(app, 'quantri.05152');
      // Only a unit admin, and only of their unit.
      expect((await (await login(app, 'lanhdao.05152')).get('/api/units/05152/users')).status).toBe(403);
      expect((await admin.get('/api/units/23110/users')).status).toBe(404);
      const list = (await (await admin.get('/api/units/05152/users')).json()) as {
        username: string;
        roles: string[];
      }[];
      expect(list.find((u) => u.username === 'tiepnhan.05152')?.roles).toEqual(['receptionist']);
      expect(list.some((u) => u.username === 'tiepnhan.23110')).toBe(false);
      // Create: the password is in this answer only, and it signs in.
      const made = await admin.post('/api/units/05152/users', {
        username: 'TiepNhan2.05152',
        fullName: 'Lê Văn Thử',
        roles: ['receptionist', 'receptionist'],
      });
      expect(made.status).toBe(201);
      const { user, password } = (await made.json()) as {
        user: { id: string; username: string; roles: string[]; disabled: boolean };
        password: string;
      };
      expect(user).toMatchObject({ username: 'tiepnhan2.05152', roles: ['receptionist'], disabled: false });
      expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(JSON.stringify(await (await admin.get('/api/units/05152/users')).json())).not.toContain(
        password,
      );
      const fresh = await login(app, 'tiepnhan2.05152', password);
      expect((await fresh.get('/api/units/05152/dossiers?limit=1')).status).toBe(200);
      // A taken name: 409 naming the field.
      const dup = await admin.post('/api/units/05152/users', {
        username: 'tiepnhan2.05152',
        fullName: 'Người khác',
        roles: ['specialist'],
      });
      expect(dup.status).toBe(409);
      expect(((await dup.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('username');
      const bad = await admin.post('/api/units/05152/users', { username: 'x', fullName: '', roles: [] });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(
        ['fullName', 'roles', 'username'],
      );
      // Roles change: the new role takes effect (a specialist cannot receive a dossier).
      const roles = await admin.put(`/api/units/05152/users/${user.id}/roles`, { roles: ['specialist'] });
      expect(((await roles.json()) as { roles: string[] }).roles).toEqual(['specialist']);
      const again = await login(app, 'tiepnhan2.05152', password);
      expect(
        (await again.post('/api/units/05152/dossiers', { procedureCode: '1.004873', applicant })).status,
      ).toBe(403);
      // An admin cannot lock themselves out.
      const me = list.find((u) => u.username === 'quantri.05152') as unknown as { id: string };
      expect((await admin.put(`/api/units/05152/users/${me.id}/roles`, { roles: ['leader'] })).status).toBe(
        409,
      );
      expect((await admin.put(`/api/units/05152/users/${me.id}/disabled`, { disabled: true })).status).toBe(
        409,
      );
      // Another unit's admin cannot touch this user.
      expect(
        (
          await (
            await login(app, 'quantri.23110')
          ).put(`/api/units/23110/users/${user.id}/disabled`, {
            disabled: true,
          })
        ).status,
      ).toBe(404);
      // Disable: the sessions end and sign-in is refused; enable: back.
      const off = await admin.put(`/api/units/05152/users/${user.id}/disabled`, { disabled: true });
      expect(((await off.json()) as { disabled: boolean }).disabled).toBe(true);
      expect((await signIn(app, 'tiepnhan2.05152', password)).status).toBe(401);
      await admin.put(`/api/units/05152/users/${user.id}/disabled`, { disabled: false });
      // A reset gives a new one-time password; the old one stops working.
      const reset = (await (await admin.post(`/api/units/05152/users/${user.id}/password`)).json()) as {
        password: string;
      };
      expect(reset.password).not.toBe(password);
      expect((await signIn(app, 'tiepnhan2.05152', password)).status).toBe(401);
      expect((await signIn(app, 'tiepnhan2.05152', reset.password)).status).toBe(200);
      const audit = await store.auditLog({ limit: 50 });
      const actions = audit.filter((a) => a.action.startsWith('admin.user')).map((a) => a.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'admin.user.create',
          'admin.user.roles',
          'admin.user.disable',
          'admin.user.enable',
          'admin.user.password',
        ]),
      );
      expect(JSON.stringify(audit)).not.toContain(reset.password);
    });

    it('province roll-up: each commune’s figures as its own dashboard shows them, and their sum', async () => {
      if (guard()) return;
      const rec = await login(app, 'quantri.05152');
      // A dossier in the second commune of the province (its admin is made directly in the store).
      await store.createUser({
        username: 'quantri.05155',
        fullName: 'Quản trị thử',
        password: DEMO_PASSWORD,
        roles: [{ role: 'unitAdmin', unitCode: SECOND.code }],
      });
      const second = await login(app, 'quantri.05155');
      expect(
        (
          await second.post(`/api/units/${SECOND.code}/dossiers`, {
            procedureCode: '1.004873',
            channel: 'online',
            applicant,
            receivedAt: '2026-11-20T09:00:00+07:00',
          })
        ).status,
      ).toBe(201);
      const viewer = await login(app, 'tinh.25');
      const period = 'from=2026-09-01&to=2026-12-01';
      const r = await viewer.get(`/api/provinces/25/stats?${period}`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as {
        units: { code: string; name: string; figures: Record<string, { total: number }> }[];
        total: {
          received: { total: number; online: number };
          resolved: { total: number };
          inProgress: { overdue: number };
          indicators: { onTimeRate: { numerator: number; denominator: number; rate: number | null } };
        };
      };
      expect(body.units.map((u) => u.code)).toEqual(['05152', SECOND.code]);
      for (const u of body.units) {
        const own = (await (await viewer.get(`/api/units/${u.code}/stats?${period}`)).json()) as {
          total: Record<string, unknown>;
        };
        expect(u.figures).toEqual(own.total);
      }
      const sum = (f: (x: (typeof body.units)[number]['figures']) => number) =>
        body.units.reduce((n, u) => n + f(u.figures), 0);
      expect(body.total.received.total).toBe(sum((f) => f.received!.total));
      expect(body.total.received.total).toBeGreaterThan(body.units[0]!.figures.received!.total);
      expect(body.total.resolved.total).toBe(sum((f) => f.resolved!.total));
      const r21 = body.total.indicators.onTimeRate;
      expect(r21.rate).toBe(r21.denominator ? r21.numerator / r21.denominator : null);
      // Another province: 404; a commune's staff are no province viewers; bad period: 400.
      expect((await viewer.get('/api/provinces/68/stats')).status).toBe(404);
      expect((await rec.get('/api/provinces/25/stats')).status).toBe(404);
      expect((await viewer.get('/api/provinces/25/stats?from=2026-12-02&to=2026-12-01')).status).toBe(400);
      expect((await app.request('/api/provinces/25/stats')).status).toBe(401);
    });
    it('desk: population look-up fills the applicant, audited with its purpose and a masked ID; 503 when not connected', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const body = { personalId: '025190000099', purpose: 'Tiếp nhận hồ sơ đăng ký khai sinh' };
      const off = await rec.post('/api/units/05152/population/lookup', body);
      expect(off.status).toBe(503);
      expect(((await off.json()) as { code: string }).code).toBe('population.unavailable');
      const sim = await startPopulationSimulator({
        citizens: [
          {
            personalId: '025190000099',
            fullName: 'Hoàng Thị Thử',
            dateOfBirth: '1951-04-30',
            sex: 'female',
            permanentAddress: { detail: 'Xóm Mới', communeCode: '05152', provinceCode: '25' },
            householdId: 'HK-000099',
          },
        ],
        households: [],
      });
      const lines: string[] = [];
      const integrations = new Integrations(
        store,
        { info: (m, d) => lines.push(JSON.stringify([m, d])), warn() {}, error() {} },
        { population: { baseUrl: sim.url, auth: sim.oauth2 } },
      );
      const connected = createApp({
        store,
        config: configFromEnv({}, { loginRatePerMinute: 1000 }),
        log: { info: (m, d) => lines.push(JSON.stringify([m, d])), warn() {}, error() {} },
        integrations,
      });
      try {
        const desk = await login(connected, 'tiepnhan.05152');
        const r = await desk.post('/api/units/05152/population/lookup', body);
        expect(r.status).toBe(200);
        expect(await r.json()).toEqual({
          personalId: '025190000099',
          fullName: 'Hoàng Thị Thử',
          dateOfBirth: '1951-04-30',
          sex: 'female',
          address: { detail: 'Xóm Mới', communeCode: '05152', provinceCode: '25' },
          addressText: 'Xóm Mới, Xã Vân Sơn, Tỉnh Phú Thọ',
        });
        const missing = await desk.post('/api/units/05152/population/lookup', {
          ...body,
          personalId: '025190000098',
        });
        expect(missing.status).toBe(404);
        expect(((await missing.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('personalId');
        expect(
          (await desk.post('/api/units/05152/population/lookup', { personalId: '123', purpose: 'x' })).status,
        ).toBe(400);
        // Only the desk's roles, only in their unit.
        const spec = await login(connected, 'chuyenvien.05152');
        expect((await spec.post('/api/units/05152/population/lookup', body)).status).toBe(403);
        expect((await desk.post('/api/units/23110/population/lookup', body)).status).toBe(404);
        const audit = (await store.auditLog({ action: 'population.lookup', limit: 10 })).map((a) => a.detail);
        expect(audit).toContainEqual({ purpose: body.purpose, personalId: '025******099', result: 'found' });
        expect(audit).toContainEqual({
          purpose: body.purpose,
          personalId: '025******098',
          result: 'notFound',
        });
        expect(JSON.stringify(audit)).not.toContain('025190000099');
        expect(lines.join('\n')).not.toContain('025190000099');
        expect(lines.join('\n')).not.toContain('Hoàng Thị Thử');
      } finally {
        await sim.close();
      }
    });

    it('desk: an old address is converted to the new units; an old commune that was split gives the candidates', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const one = (await (
        await rec.post('/api/address/convert', { text: 'Xóm Mới, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình' })
      ).json()) as { ambiguous: boolean; candidates: { code: string; formatted: string }[] };
      expect(one.ambiguous).toBe(false);
      expect(one.candidates[0]).toMatchObject({
        code: '05152',
        formatted: 'Xóm Mới, Xã Vân Sơn, Tỉnh Phú Thọ',
      });
      const split = (await (
        await rec.post('/api/address/convert', { text: 'thon 1 xa tan lap huyen dan phuong ha noi' })
      ).json()) as { ambiguous: boolean; candidates: { name: string; formatted: string }[] };
      expect(split.ambiguous).toBe(true);
      expect(split.candidates.length).toBeGreaterThan(1);
      expect(
        split.candidates.every(
          (c) => c.formatted.startsWith('thon 1, ') || c.formatted.startsWith('Thôn 1, '),
        ),
      ).toBe(true);
      expect((await rec.post('/api/address/convert', { text: 'x' })).status).toBe(400);
      expect((await app.request('/api/address/convert', { method: 'POST' })).status).toBe(401);
    });

    it('assisted filing: an online dossier filed by an officer for a citizen, the assistance recorded and audited', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const r = await rec.post('/api/units/05152/dossiers', {
        procedureCode: '1.004873',
        channel: 'online',
        applicant,
        assistance: { reason: 'elderly', note: 'Người cao tuổi, không dùng điện thoại thông minh' },
      });
      expect(r.status).toBe(201);
      const { dossier } = (await r.json()) as { dossier: { id: string; channel: string } };
      expect(dossier.channel).toBe('online');
      const form = await store.dossierForm(dossier.id);
      expect(form?.form.assistance).toMatchObject({
        reason: 'elderly',
        note: 'Người cao tuổi, không dùng điện thoại thông minh',
        officer: { name: 'Cán bộ tiếp nhận Xã Vân Sơn' },
      });
      const audit = await store.auditLog({ dossierId: dossier.id, action: 'dossier.assisted' });
      expect(audit[0]?.detail).toEqual({ reason: 'elderly' });
      const direct = await rec.post('/api/units/05152/dossiers', {
        procedureCode: '1.004873',
        channel: 'direct',
        applicant,
        assistance: { reason: 'elderly' },
      });
      expect(direct.status).toBe(400);
      expect(((await direct.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('assistance');
    });
  });
}

suite('PGlite (embedded)', () =>
  openStore({ inMemory: true, dataDir: mkdtempSync(join(tmpdir(), 'motcua-admin-')) }));

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  if (!pg) return undefined;
  return openStore({ databaseUrl: await pg.createDatabase('motcua_admin_desk_test') });
});
afterAll(async () => {
  await pg?.stop();
});
