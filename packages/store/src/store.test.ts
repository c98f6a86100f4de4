import { LifecycleError } from '@motcua/deadlines';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { CALENDAR_CACHE_MS, openStore, type Store } from './store.js';

const procedure = {
  code: '2.000815',
  name: { vi: 'Chứng thực bản sao từ bản chính' },
  limit: { unit: 'sameDay' as const, cutoff: '15:00' },
};
const threeDays = {
  code: '1.001193',
  name: { vi: 'Đăng ký khai sinh' },
  limit: { unit: 'workingDays' as const, value: 3 },
};
const applicant = {
  kind: 'person' as const,
  person: { fullName: 'Nguyễn Văn Mẫu', personalId: '025090000001', phone: '0912345678' },
};

function suite(name: string, open: () => Promise<Store | undefined>) {
  describe(`store on ${name}`, () => {
    let store: Store;
    let skip = false;
    beforeAll(async () => {
      const s = await open();
      if (!s) {
        skip = true;
        return;
      }
      store = s;
      await store.upsertUnit({
        code: '05152',
        name: 'Xã Vân Sơn',
        provinceCode: '25',
        agencyCode: 'H25.X05152',
      });
      await store.upsertUnit({
        code: '26734',
        name: 'Phường Sài Gòn',
        provinceCode: '79',
        agencyCode: 'H79.X26734',
      });
      await store.upsertProcedures('05152', [procedure, threeDays]);
    }, 60_000);
    afterAll(async () => {
      await store?.close();
    });
    const guard = () => {
      if (skip) console.warn(`*** ${name} not available: test skipped ***`);
      return skip;
    };

    it('migrations are versioned and idempotent', async () => {
      if (guard()) return;
      expect(await store.migrate()).toEqual([]);
    });

    it('users: scrypt passwords, roles per unit, sessions and API tokens stored as hashes', async () => {
      if (guard()) return;
      const u = await store.createUser({
        username: 'TiepNhan.VanSon',
        fullName: 'Cán bộ tiếp nhận',
        password: 'mật-khẩu-thử-12',
        roles: [{ role: 'receptionist', unitCode: '05152' }],
      });
      expect(u.username).toBe('tiepnhan.vanson');
      expect(await store.authenticate('tiepnhan.vanson', 'sai')).toBeUndefined();
      expect((await store.authenticate(' TiepNhan.VanSon ', 'mật-khẩu-thử-12'))?.id).toBe(u.id);
      const s = await store.createSession(u.id);
      expect((await store.sessionUser(s.token))?.user.roles).toEqual([
        { role: 'receptionist', unitCode: '05152' },
      ]);
      const row = await store.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
      expect(row.id).not.toBe(s.token);
      await store.deleteSession(s.token);
      expect(await store.sessionUser(s.token)).toBeUndefined();
      const token = await store.createApiToken(u.id, 'vendor');
      expect((await store.tokenUser(token))?.id).toBe(u.id);
      expect(await store.tokenUser(`${token}x`)).toBeUndefined();
      const hash = await store.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', u.id)
        .executeTakeFirstOrThrow();
      expect(hash.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    });

    it('dossier codes are unique per unit and day, without gaps, under 40 concurrent intakes', async () => {
      if (guard()) return;
      const at = '2026-11-02T09:00:00+07:00';
      const made = await Promise.all(
        Array.from({ length: 40 }, () =>
          store.createDossier({
            unitCode: '05152',
            procedure: threeDays,
            channel: 'direct',
            applicant,
            receivedAt: at,
            actor: null,
          }),
        ),
      );
      const codes = made.map((m) => m.dossier.code).sort();
      expect(new Set(codes).size).toBe(40);
      expect(codes[0]).toBe('H25.X05152-261102-0001');
      expect(codes[39]).toBe('H25.X05152-261102-0040');
      // Another unit the same day starts at 1.
      const other = await store.createDossier({
        unitCode: '26734',
        procedure: threeDays,
        channel: 'online',
        applicant,
        receivedAt: at,
        actor: null,
      });
      expect(other.dossier.code).toBe('H79.X26734-261102-0001');
    });

    it('intake: appointment from the deadlines engine; events replayed; forbidden steps refused; projection rebuilt from events', async () => {
      if (guard()) return;
      const { dossier, lookupSecret } = await store.createDossier({
        unitCode: '05152',
        procedure: threeDays,
        channel: 'direct',
        applicant,
        receivedAt: '2026-02-13T10:00:00+07:00', // Friday before Tết
        actor: null,
      });
      expect(dossier.appointment).toBe('2026-02-25T10:00:00+07:00');
      expect(dossier.phase).toBe('inProgress');
      const supp = await store.appendEvent(
        dossier.id,
        { type: 'supplementRequested', at: '2026-02-23T09:00:00+07:00', reasons: ['Thiếu giấy chứng sinh'] },
        null,
      );
      expect(supp.phase).toBe('waitingSupplement');
      // An event dated before the last one is refused, naming the rule.
      await expect(
        store.appendEvent(dossier.id, { type: 'resolved', at: '2026-02-20T09:00:00+07:00' }, null),
      ).rejects.toBeInstanceOf(LifecycleError);
      const back = await store.appendEvent(
        dossier.id,
        { type: 'supplementReceived', at: '2026-02-24T09:00:00+07:00' },
        null,
      );
      expect(back.phase).toBe('inProgress');
      expect(back.appointment).toBe('2026-02-27T09:00:00+07:00'); // restarts from zero: 3 working days
      expect((await store.events(dossier.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
      // The detail (one statement) reads the same dossier and history, by ID or by code.
      const at = '2026-02-25T10:00:00+07:00';
      const detail = await store.dossierDetail(dossier.id, at);
      expect(detail?.dossier).toEqual(back);
      expect(detail?.events).toEqual(await store.events(dossier.id));
      expect(detail?.status).toEqual(await store.statusReport(dossier.id, at));
      expect((await store.dossierDetail(dossier.code))?.events).toEqual(detail?.events);
      expect(await store.dossierDetail('000.00.00.H00-260101-9999')).toBeUndefined();
      const check = await store.checkProjection(dossier.id);
      expect(check.agrees).toBe(true);
      expect(await store.publicStatus(dossier.code, lookupSecret)).toMatchObject({ phase: 'inProgress' });
      expect(await store.publicStatus(dossier.code, 'WRONGONE')).toBeUndefined();
    });

    it('a rejected intake writes nothing (one transaction)', async () => {
      if (guard()) return;
      const before = await store.db
        .selectFrom('dossiers')
        .select(store.db.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      await expect(
        store.createDossier({
          unitCode: '05152',
          procedure: threeDays,
          channel: 'direct',
          applicant,
          receivedAt: '2026-03-02T09:00:00+07:00',
          actor: null,
          events: [{ type: 'supplementReceived', at: '2026-03-02T10:00:00+07:00' }],
        }),
      ).rejects.toBeInstanceOf(LifecycleError);
      const after = await store.db
        .selectFrom('dossiers')
        .select(store.db.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('work lists are scoped to units and filter overdue, due soon, by step and assignee', async () => {
      if (guard()) return;
      const old = await store.createDossier({
        unitCode: '05152',
        procedure: threeDays,
        channel: 'direct',
        applicant,
        receivedAt: '2026-01-05T09:00:00+07:00',
        actor: null,
        events: [
          {
            type: 'transferred',
            at: '2026-01-05T10:00:00+07:00',
            step: 'thẩm định',
            to: { id: 'officer-7' },
          },
        ],
      });
      const overdue = await store.listDossiers({ unitCodes: ['05152'], overdue: true, limit: 500 });
      expect(overdue.items.map((d) => d.id)).toContain(old.dossier.id);
      expect(overdue.items.every((d) => d.overdue)).toBe(true);
      expect(
        (await store.listDossiers({ unitCodes: ['26734'], overdue: true })).items.map((d) => d.id),
      ).not.toContain(old.dossier.id);
      expect(
        (await store.listDossiers({ unitCodes: ['05152'], assignedTo: 'officer-7' })).items.map((d) => d.id),
      ).toEqual([old.dossier.id]);
      expect((await store.listDossiers({ unitCodes: ['05152'], step: 'thẩm định' })).total).toBe(1);
      expect((await store.listDossiers({ unitCodes: [] })).total).toBe(0);
      // Pages: the total is the list's, on every page and on a page past the end.
      await store.createDossier({
        unitCode: '05152',
        procedure: threeDays,
        channel: 'online',
        applicant,
        receivedAt: '2026-01-06T09:00:00+07:00',
        actor: null,
      });
      const all = await store.listDossiers({ unitCodes: ['05152'], limit: 500 });
      expect(all.total).toBe(all.items.length);
      expect(all.total).toBeGreaterThanOrEqual(2);
      const page2 = await store.listDossiers({ unitCodes: ['05152'], limit: 1, offset: 1 });
      expect(page2).toEqual({ items: [all.items[1]], total: all.total });
      expect(await store.listDossiers({ unitCodes: ['05152'], limit: 5, offset: all.total + 3 })).toEqual({
        items: [],
        total: all.total,
      });
    });

    it('a citizen’s own dossiers: by the applicant’s ID number only, newest first', async () => {
      if (guard()) return;
      const other = {
        kind: 'person' as const,
        person: { fullName: 'Trần Thị Khác', personalId: '025190000777' },
      };
      const make = (who: typeof applicant | typeof other, receivedAt: string) =>
        store.createDossier({
          unitCode: '05152',
          procedure: threeDays,
          channel: 'online',
          applicant: who,
          receivedAt,
          actor: null,
        });
      const a1 = await make(other, '2026-02-02T09:00:00+07:00');
      await make(applicant, '2026-02-03T09:00:00+07:00');
      const a2 = await make(other, '2026-02-04T09:00:00+07:00');
      const mine = await store.dossiersOfApplicant('025190000777');
      expect(mine.map((d) => d.id)).toEqual([a2.dossier.id, a1.dossier.id]);
      expect(await store.dossiersOfApplicant('025190000778')).toEqual([]);
      expect(await store.dossiersOfApplicant('025190000777', 1)).toHaveLength(1);
    });

    it('work lists filter by procedure and channel in the database (the total counts every page)', async () => {
      if (guard()) return;
      const made: { id: string; procedure: string; channel: 'direct' | 'online' }[] = [];
      for (const [i, [p, channel]] of (
        [
          [threeDays, 'online'],
          [threeDays, 'direct'],
          [procedure, 'online'],
          [threeDays, 'online'],
        ] as const
      ).entries()) {
        const { dossier } = await store.createDossier({
          unitCode: '05152',
          procedure: p,
          channel,
          applicant,
          receivedAt: `2026-02-0${i + 2}T09:00:00+07:00`,
          actor: null,
        });
        made.push({ id: dossier.id, procedure: p.code, channel });
      }
      const all = await store.listDossiers({ unitCodes: ['05152'], limit: 500 });
      const expected = (f: (d: (typeof all.items)[number]) => boolean) => all.items.filter(f).length;
      const online = await store.listDossiers({ unitCodes: ['05152'], channel: 'online', limit: 1 });
      expect(online.items).toHaveLength(1);
      expect(online.total).toBe(expected((d) => d.channel === 'online'));
      const births = await store.listDossiers({
        unitCodes: ['05152'],
        procedureCode: threeDays.code,
        channel: 'online',
        limit: 500,
      });
      expect(births.total).toBe(
        expected((d) => d.channel === 'online' && d.procedureCode === threeDays.code),
      );
      expect(births.items.every((d) => d.channel === 'online' && d.procedureCode === threeDays.code)).toBe(
        true,
      );
      expect(births.items.map((d) => d.id)).toEqual(
        expect.arrayContaining(
          made.filter((m) => m.channel === 'online' && m.procedure === threeDays.code).map((m) => m.id),
        ),
      );
      const elsewhere = await store.listDossiers({ unitCodes: ['26734'], procedureCode: threeDays.code });
      expect(elsewhere.items.every((d) => d.unitCode === '26734')).toBe(true);
      expect(elsewhere.items.map((d) => d.id)).not.toContain(made[0]!.id);
      expect((await store.listDossiers({ unitCodes: ['05152'], procedureCode: '9.999999' })).total).toBe(0);
    });

    it('personal data is read through the audit log', async () => {
      if (guard()) return;
      const { dossier } = await store.createDossier({
        unitCode: '05152',
        procedure,
        channel: 'direct',
        applicant,
        actor: null,
      });
      const a = await store.dossierApplicant(dossier.id, 'user-1', 'tra cứu hồ sơ');
      expect(a).toEqual(applicant);
      const log = await store.auditLog({ dossierId: dossier.id, action: 'personal_data.read' });
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ actor: 'user-1', detail: { purpose: 'tra cứu hồ sơ' } });
      expect(JSON.stringify(await store.auditLog({ dossierId: dossier.id }))).not.toContain('025090000001');
    });

    it('an event’s messages: the inputs read in one go, the read logged only when a message is made, with the event', async () => {
      if (guard()) return;
      const { dossier } = await store.createDossier({
        unitCode: '05152',
        procedure,
        channel: 'direct',
        applicant,
        form: { purposeOfUse: 'hồ sơ việc làm' },
        actor: null,
      });
      const inputs = await store.dossierInputs(dossier.id);
      expect(inputs).toEqual({ applicant, form: { purposeOfUse: 'hồ sơ việc làm' }, portalId: null });
      expect(await store.dossierInputs('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      const reads = () => store.auditLog({ dossierId: dossier.id, action: 'personal_data.read' });
      expect(await reads()).toHaveLength(0); // reading the inputs wrote nothing
      const purpose = { purpose: 'Thông báo và liên thông' };
      const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
      // No message made: no read recorded.
      const moved = await store.appendEvent(
        dossier.id,
        { type: 'transferred', at: later(1), step: 'Thẩm định' },
        'u-1',
        { unitCode: '05152', messages: () => [], personalDataRead: purpose },
      );
      expect(moved).toEqual(await store.getDossier(dossier.id)); // the answer is the row as written
      expect(moved.currentStep).toBe('Thẩm định');
      expect(await reads()).toHaveLength(0);
      // A message made: the read is logged by the system, in the event's transaction.
      await store.appendEvent(dossier.id, { type: 'transferred', at: later(2), step: 'Phê duyệt' }, 'u-1', {
        unitCode: '05152',
        messages: (d) => [{ topic: 'notify', key: `${d.code}:${d.seq}`, payload: { to: 'x' } }],
        personalDataRead: purpose,
      });
      expect(await reads()).toEqual([expect.objectContaining({ actor: 'system', detail: purpose })]);
      // A unit that is not the dossier's is refused before anything is written.
      await expect(
        store.appendEvent(dossier.id, { type: 'transferred', at: later(3), step: 'Thẩm định' }, 'u-1', {
          unitCode: '26734',
        }),
      ).rejects.toThrow(/not the unit of dossier/);
      expect((await store.events(dossier.id)).length).toBe(3);
    });

    it('documents are content-addressed: the same scan twice is stored once', async () => {
      if (guard()) return;
      const { dossier } = await store.createDossier({
        unitCode: '05152',
        procedure,
        channel: 'direct',
        applicant,
        actor: null,
      });
      const bytes = new TextEncoder().encode(`%PDF-1.7 bản chụp ${name}`);
      const a = await store.addDocument(
        dossier.id,
        { name: 'cccd.pdf', contentType: 'application/pdf', bytes },
        'u',
      );
      const b = await store.addDocument(
        dossier.id,
        { name: 'cccd-lan-2.pdf', contentType: 'application/pdf', bytes },
        'u',
      );
      expect(a.sha256).toBe(b.sha256);
      expect(await store.content.get(a.sha256)).toEqual(bytes);
      expect((await store.listDocuments(dossier.id)).map((d) => d.name)).toEqual([
        'cccd.pdf',
        'cccd-lan-2.pdf',
      ]);
    });

    it('queue numbers are unique under concurrency; two officers never call the same ticket', async () => {
      if (guard()) return;
      const tickets = await Promise.all(Array.from({ length: 20 }, () => store.takeTicket('05152', 'A')));
      expect(new Set(tickets.map((t) => t.number)).size).toBe(20);
      const called = await Promise.all(Array.from({ length: 25 }, () => store.callNext('05152', 'A')));
      const numbers = called.filter(Boolean).map((c) => c!.number);
      expect(numbers).toHaveLength(20);
      expect(new Set(numbers).size).toBe(20);
      expect((await store.queueDisplay('05152')).waiting).toBe(0);
    });
  });
}

describe('the embedded database', () => {
  it('belongs to one process: a second process is refused while the first runs; a dead one’s lock is taken over', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'motcua-lock-'));
    const { spawn } = await import('node:child_process');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    writeFileSync(join(dir, 'motcua.lock'), String(sleeper.pid));
    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({ code: 'store.locked' });
    sleeper.kill('SIGKILL');
    await new Promise((r) => sleeper.once('exit', r));
    const s = await openStore({ dataDir: dir });
    await s.close();
  }, 60_000);
});

suite('PGlite (embedded)', () => openStore({ inMemory: true, dataDir: '/tmp/motcua-store-test' }));

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  if (!pg) return undefined;
  return openStore({ databaseUrl: await pg.createDatabase('motcua_store_test') });
});
afterAll(async () => {
  await pg?.stop();
});

describe('two processes sharing PostgreSQL', () => {
  it('a calendar changed by one is used by the other within CALENDAR_CACHE_MS', async () => {
    pg ??= await startTestPostgres();
    if (!pg) return; // PostgreSQL not installed: the suites above say so
    const url = await pg.createDatabase('motcua_store_calendar');
    const a = await openStore({ databaseUrl: url });
    const b = await openStore({ databaseUrl: url });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await a.upsertUnit({ code: '05152', name: 'Xã Vân Sơn', provinceCode: '25', agencyCode: 'H25.X05152' });
      expect((await b.calendarOf('05152')).isWorkingDay('2027-03-03')).toBe(true);
      await a.setUnitCalendar(
        '05152',
        {
          closures: [
            { date: '2027-03-03', reason: { vi: 'Bão: trung tâm đóng cửa', en: 'Typhoon: closed' } },
          ],
        },
        'quantri',
      );
      expect((await a.calendarOf('05152')).isWorkingDay('2027-03-03')).toBe(false);
      expect((await b.calendarOf('05152')).isWorkingDay('2027-03-03')).toBe(true); // still its cached copy
      vi.setSystemTime(Date.now() + CALENDAR_CACHE_MS);
      expect((await b.calendarOf('05152')).isWorkingDay('2027-03-03')).toBe(false);
    } finally {
      vi.useRealTimers();
      await a.close();
      await b.close();
    }
  });
});
