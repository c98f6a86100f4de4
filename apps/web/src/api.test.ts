import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dateOf, defaultWorkCalendar } from '@motcua/calendar';
import { openStore, type Store } from '@motcua/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { DEMO_UNITS, seedDemo } from './demo.js';
import { silentLogger } from './log.js';
import { signIn } from './test-support.js';

type App = ReturnType<typeof createApp>;
const ROLES = ['tiepnhan', 'chuyenvien', 'lanhdao', 'quantri'] as const;
const applicant = { kind: 'person', person: { fullName: 'Nguyễn Văn Mẫu', personalId: '025090000001' } };

async function adminPut(app: App, username: string, path: string, body: unknown) {
  return (await login(app, username)).put(path, body);
}

/** Signs in, checking the session cookie's flags on the way. */
async function login(app: App, username: string) {
  const s = await signIn(app, username);
  expect(s.status).toBe(200);
  expect(s.setCookie).toMatch(/HttpOnly/i);
  expect(s.setCookie).toMatch(/SameSite=Lax/i);
  return s.client!;
}

function suite(name: string, open: () => Promise<Store | undefined>) {
  describe(`API on ${name}`, () => {
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
      app = createApp({
        store,
        config: configFromEnv({}, { loginRatePerMinute: 1000, publicRatePerMinute: 5 }),
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

    it('rejects bad input with problem+json naming each field and rule', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const r = await rec.post('/api/units/05152/dossiers', {
        procedureCode: 'không có',
        channel: 'fax',
        applicant: { kind: 'person', person: { fullName: '', personalId: '12' } },
      });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      const body = (await r.json()) as { code: string; issues: { path: string }[] };
      expect(body.code).toBe('validation_failed');
      const paths = body.issues.map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'procedureCode',
          'channel',
          'applicant.person.fullName',
          'applicant.person.personalId',
        ]),
      );
      expect((await app.request('/api/nowhere')).status).toBe(404);
    });

    it('intake → lifecycle → public status, with the rules: 409 naming the rule for a forbidden step', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const r = await rec.post('/api/units/05152/dossiers', {
        procedureCode: '1.004873',
        channel: 'direct',
        applicant,
      });
      expect(r.status).toBe(201);
      const { dossier, lookupSecret } = (await r.json()) as {
        dossier: { id: string; code: string; appointment: string; phase: string };
        lookupSecret: string;
      };
      expect(dossier.phase).toBe('inProgress');
      expect(dossier.appointment).toMatch(/\+07:00$/);
      // The receptionist cannot resolve (specialist's act): 403.
      expect(
        (
          await rec.post(`/api/dossiers/${dossier.id}/events`, {
            type: 'resolved',
            at: new Date().toISOString(),
          })
        ).status,
      ).toBe(403);
      const spec = await login(app, 'chuyenvien.05152');
      const early = await spec.post(`/api/dossiers/${dossier.id}/events`, {
        type: 'resolved',
        at: '2020-01-01T09:00:00+07:00',
      });
      expect(early.status).toBe(409);
      expect(((await early.json()) as { rule: string }).rule).toBeTruthy();
      const ok = await spec.post(`/api/dossiers/${dossier.id}/events`, {
        type: 'resolved',
        at: new Date().toISOString(),
      });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { phase: string }).phase).toBe('resolved');
      const pub = await app.request(
        `/api/public/status?code=${encodeURIComponent(dossier.code)}&secret=${lookupSecret}`,
      );
      expect(pub.status).toBe(200);
      const p = (await pub.json()) as Record<string, unknown>;
      expect(p.phase).toBe('resolved');
      expect(JSON.stringify(p)).not.toContain('Nguyễn');
      expect(
        (await app.request(`/api/public/status?code=${encodeURIComponent(dossier.code)}&secret=WRONG123`))
          .status,
      ).toBe(404);
      expect((await store.checkProjection(dossier.id)).agrees).toBe(true);
    });

    it('authorization: each role × route × own/other commune', async () => {
      if (guard()) return;
      const own = '05152';
      const other = '23110';
      const { items } = await store.listDossiers({ unitCodes: [other], limit: 1 });
      const foreign = items[0]!;
      for (const role of ROLES) {
        const u = await login(app, `${role}.${own}`);
        // Reads of the own unit: every staff role.
        expect((await u.get(`/api/units/${own}/dossiers?limit=1`)).status).toBe(200);
        // Another commune: 404, never 403 (its existence is not revealed).
        expect((await u.get(`/api/units/${other}/dossiers?limit=1`)).status).toBe(404);
        expect((await u.get(`/api/dossiers/${foreign.id}`)).status).toBe(404);
        expect(
          (
            await u.post(`/api/dossiers/${foreign.id}/events`, {
              type: 'resolved',
              at: new Date().toISOString(),
            })
          ).status,
        ).toBe(404);
        expect(
          (
            await u.post(`/api/units/${other}/dossiers`, {
              procedureCode: '1.004873',
              channel: 'direct',
              applicant,
            })
          ).status,
        ).toBe(404);
        // Intake: receptionist and unit admin only.
        const intake = await u.post(`/api/units/${own}/dossiers`, {
          procedureCode: '1.004873',
          channel: 'direct',
          applicant,
        });
        expect(intake.status).toBe(role === 'tiepnhan' || role === 'quantri' ? 201 : 403);
        // Extension with apology: leader and unit admin only (Art. 19.6 is the deciding agency's act).
        const { items: mine } = await store.listDossiers({ unitCodes: [own], phase: 'inProgress', limit: 1 });
        const d = mine[0]!;
        const ext = await u.post(`/api/dossiers/${d.id}/events`, {
          type: 'extended',
          at: new Date().toISOString(),
          reason: 'x',
          newAppointment: '2099-01-01T10:00:00+07:00',
          apologyLetter: { issuedAt: new Date().toISOString() },
        });
        expect(ext.status === 403).toBe(role === 'tiepnhan' || role === 'chuyenvien');
      }
      // A province viewer reads the communes of its province only, and cannot write.
      const viewer = await login(app, 'tinh.25');
      expect((await viewer.get(`/api/units/${own}/dossiers?limit=1`)).status).toBe(200);
      expect((await viewer.get(`/api/units/${other}/dossiers?limit=1`)).status).toBe(404);
      expect(
        (
          await viewer.post(`/api/units/${own}/dossiers`, {
            procedureCode: '1.004873',
            channel: 'direct',
            applicant,
          })
        ).status,
      ).toBe(403);
      expect((await app.request(`/api/units/${own}/dossiers`)).status).toBe(401);
    });

    it('cookie writes need the CSRF token; API tokens do not', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const noCsrf = await rec.post(
        '/api/units/05152/dossiers',
        { procedureCode: '1.004873', applicant },
        { 'x-csrf-token': 'forged' },
      );
      expect(noCsrf.status).toBe(403);
      const tokenRes = await rec.post('/api/tokens', { name: 'phần mềm hộ tịch' });
      const { token } = (await tokenRes.json()) as { token: string };
      const viaToken = await app.request('/api/units/05152/dossiers', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ procedureCode: '1.004873', applicant }),
      });
      expect(viaToken.status).toBe(201);
    });

    it('reading personal data is audited; logs and lists carry none', async () => {
      if (guard()) return;
      const spec = await login(app, 'chuyenvien.05152');
      const { items } = await store.listDossiers({ unitCodes: ['05152'], limit: 1 });
      const list = await (await spec.get('/api/units/05152/dossiers?limit=5')).text();
      expect(list).not.toMatch(/\d{12}/);
      const r = await spec.get(
        `/api/dossiers/${items[0]!.id}/applicant?purpose=Th%E1%BA%A9m%20%C4%91%E1%BB%8Bnh`,
      );
      expect(r.status).toBe(200);
      const log = await store.auditLog({ dossierId: items[0]!.id, action: 'personal_data.read' });
      expect(log[0]?.detail).toEqual({ purpose: 'Thẩm định' });
    });

    it('the receipt slip is a Vietnamese PDF with the code and a QR code', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const { items } = await store.listDossiers({ unitCodes: ['05152'], limit: 1 });
      const r = await rec.get(`/api/dossiers/${items[0]!.id}/forms/receipt.pdf`);
      expect(r.status).toBe(200);
      const bytes = new Uint8Array(await r.arrayBuffer());
      expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
      const file = join(mkdtempSync(join(tmpdir(), 'motcua-pdf-')), 'receipt.pdf');
      writeFileSync(file, bytes);
      let text: string;
      try {
        text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      } catch {
        console.warn('*** pdftotext (poppler-utils) missing: PDF text check skipped ***');
        return;
      }
      expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
      expect(text).toContain(items[0]!.code);
      expect(text).toContain('Hẹn trả kết quả');
      expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })).toMatch(/image|smask/);
    });

    it('letters: the supplement request as a Vietnamese PDF with every reason; none without its event', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.05152');
      const r = await rec.post('/api/units/05152/dossiers', {
        procedureCode: '1.004873',
        channel: 'direct',
        applicant,
      });
      const { dossier } = (await r.json()) as { dossier: { id: string; code: string } };
      expect((await rec.get(`/api/dossiers/${dossier.id}/forms/supplement.pdf`)).status).toBe(409);
      await rec.post(`/api/dossiers/${dossier.id}/events`, {
        type: 'supplementRequested',
        at: new Date().toISOString(),
        reasons: ['Thiếu bản sao giấy khai sinh', 'Ảnh chân dung không rõ'],
      });
      const pdf = await rec.get(`/api/dossiers/${dossier.id}/forms/supplement.pdf`);
      expect(pdf.status).toBe(200);
      const file = join(mkdtempSync(join(tmpdir(), 'motcua-letter-')), 'letter.pdf');
      writeFileSync(file, new Uint8Array(await pdf.arrayBuffer()));
      let text: string;
      try {
        text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      } catch {
        console.warn('*** pdftotext missing: letter text not checked ***');
        return;
      }
      expect(text).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
      expect(text).toContain('Ảnh chân dung không rõ');
      expect(text).toContain(dossier.code);
      expect((await rec.get(`/api/dossiers/${dossier.id}/forms/nothing.pdf`)).status).toBe(404);
    });

    it('a closure (a typhoon day) moves the appointments it touches, and says which', async () => {
      if (guard()) return;
      const rec = await login(app, 'tiepnhan.26740');
      // Received now (a received time cannot be in the future); 3 working days. The typhoon closes the
      // center on the appointment's day, so the appointment moves to the next working day, same time.
      const r = await rec.post('/api/units/26740/dossiers', {
        procedureCode: '1.004873',
        channel: 'direct',
        applicant,
      });
      const { dossier } = (await r.json()) as { dossier: { id: string; code: string; appointment: string } };
      const closed = dateOf(Date.parse(dossier.appointment));
      const next = defaultWorkCalendar.nextWorkingDay(closed);
      expect((await rec.post('/api/units/26740/calendar', {})).status).toBe(404); // PUT only
      const res = await adminPut(app, 'quantri.26740', '/api/units/26740/calendar', {
        closures: [
          {
            date: closed,
            reason: { vi: 'Bão số 3: trung tâm đóng cửa', en: 'Typhoon no. 3: the center is closed' },
          },
        ],
      });
      expect(res.status).toBe(200);
      const { moved } = (await res.json()) as { moved: { code: string; from: string; to: string }[] };
      expect(moved).toContainEqual({
        code: dossier.code,
        from: dossier.appointment,
        to: `${next}${dossier.appointment.slice(10)}`,
      });
      const future = await rec.post('/api/units/26740/dossiers', {
        procedureCode: '1.004873',
        channel: 'direct',
        applicant,
        receivedAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(future.status).toBe(400);
      expect(((await future.json()) as { issues: unknown[] }).issues).toEqual([
        expect.objectContaining({ path: 'receivedAt', code: 'intake.received_in_future' }),
      ]);
      expect((await adminPut(app, 'tiepnhan.26740', '/api/units/26740/calendar', {})).status).toBe(403);
      expect(
        (await adminPut(app, 'quantri.26740', '/api/units/26740/calendar', { closures: [{ date: 'x' }] }))
          .status,
      ).toBe(400);
    });

    it('statistics as XLSX', async () => {
      if (guard()) return;
      const leader = await login(app, 'lanhdao.05152');
      const x = await leader.get('/api/units/05152/stats?from=2026-09-01&to=2026-12-01&format=xlsx');
      expect(x.headers.get('content-type')).toContain('spreadsheetml');
      const { Workbook } = (await import('exceljs')).default;
      const wb = new Workbook();
      await wb.xlsx.load((await x.arrayBuffer()) as never);
      const ws = wb.worksheets[0]!;
      expect(ws.getRow(1).getCell(1).value).toBe('Nhóm');
      expect(ws.rowCount).toBeGreaterThan(1);
    });

    it('statistics as JSON and CSV; public endpoints are rate limited; the OpenAPI document is served', async () => {
      if (guard()) return;
      const leader = await login(app, 'lanhdao.05152');
      const stats = (await (
        await leader.get('/api/units/05152/stats?from=2026-09-01&to=2026-12-01')
      ).json()) as { total: { handled: number } };
      expect(stats.total.handled).toBeGreaterThan(0);
      const csv = await leader.get('/api/units/05152/stats?from=2026-09-01&to=2026-12-01&format=csv');
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect([...new Uint8Array(await csv.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM for Excel
      const statuses: number[] = [];
      // A fresh app: the limit counts per IP across the public endpoints.
      const limited = createApp({
        store,
        config: configFromEnv({}, { publicRatePerMinute: 5 }),
        log: silentLogger,
      });
      for (let i = 0; i < 7; i++)
        statuses.push((await limited.request(`/api/public/units/${DEMO_UNITS[1].code}/procedures`)).status);
      expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      // Behind a trusted proxy, each client has its own window.
      const proxied = createApp({
        store,
        config: configFromEnv({}, { publicRatePerMinute: 1, trustProxy: true }),
        log: silentLogger,
      });
      const from = (ip: string) =>
        proxied.request(`/api/public/units/${DEMO_UNITS[1].code}/procedures`, {
          headers: { 'x-forwarded-for': `10.0.0.9, ${ip}` },
        });
      expect((await from('203.0.113.1')).status).toBe(200);
      expect((await from('203.0.113.2')).status).toBe(200);
      expect((await from('203.0.113.1')).status).toBe(429);
      const doc = (await (await app.request('/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/units/{unit}/dossiers',
          '/api/dossiers/{id}/events',
          '/api/public/status',
        ]),
      );
    });

    it('intakes take turns (writeConcurrency) while a work list is read at once; every one is saved', async () => {
      if (guard()) return;
      const turns = createApp({
        store,
        config: configFromEnv({}, { loginRatePerMinute: 1000, writeConcurrency: 2 }),
        log: silentLogger,
      });
      const rec = await login(turns, 'tiepnhan.05152');
      // Watch the store: how many intakes are inside it at once (each held a little longer than usual).
      const original = store.createDossier;
      let inside = 0;
      let most = 0;
      store.createDossier = async function (this: Store, ...args: Parameters<Store['createDossier']>) {
        most = Math.max(most, ++inside);
        try {
          await new Promise((r) => setTimeout(r, 30));
          return await original.apply(this, args);
        } finally {
          inside--;
        }
      };
      try {
        const intakes = Array.from({ length: 8 }, () =>
          rec.post('/api/units/05152/dossiers', { procedureCode: '1.004873', channel: 'direct', applicant }),
        );
        const list = await rec.get('/api/units/05152/dossiers?limit=5');
        expect(list.status).toBe(200);
        const answers = await Promise.all(intakes);
        expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
        const codes = await Promise.all(
          answers.map(async (r) => ((await r.json()) as { dossier: { code: string } }).dossier.code),
        );
        expect(new Set(codes).size).toBe(8);
        for (const code of codes) expect(await store.getDossier(code)).toBeDefined();
        expect(most).toBe(2);
      } finally {
        store.createDossier = original;
      }
    });
  });
}

suite('PGlite (embedded)', () =>
  openStore({ inMemory: true, dataDir: mkdtempSync(join(tmpdir(), 'motcua-web-')) }));

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  if (!pg) return undefined;
  return openStore({ databaseUrl: await pg.createDatabase('motcua_web_test') });
});
afterAll(async () => {
  await pg?.stop();
});
