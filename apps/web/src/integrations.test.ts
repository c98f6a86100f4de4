import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticPeople } from '@motcua/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { silentLogger } from './log.js';
import { type RunningServer, startServer } from './server.js';
import { login } from './test-support.js';

/** A birth registration's form (synthetic people): a boy born at the commune's health station, declared by his mother. */
const birthOf = (mother: { personalId: string; fullName: string }, child: string, dateOfBirth: string) => ({
  child: {
    fullName: child,
    sex: 'male',
    dateOfBirth,
    placeOfBirth: { detail: 'Trạm y tế xã', communeCode: '05152', provinceCode: '25' },
  },
  mother,
  declarant: { ...mother, relation: 'mother' },
});
/** One birth, registered by one test and refused as already registered by another. */
const TRAN_BIRTH = birthOf(
  { personalId: '025192000002', fullName: 'Trần Thị Mẹ' },
  'Trần Văn Con',
  '2026-11-30',
);

/** The suite on a database: `undefined` = the embedded PGlite, a URL = PostgreSQL, `null` = not installed. */
function suite(name: string, database: () => Promise<string | undefined | null>) {
  describe(`on ${name}`, () => {
    let server: RunningServer;
    const headers: Record<string, Record<string, string>> = {};
    beforeAll(async () => {
      const databaseUrl = await database();
      if (databaseUrl === null) return;
      server = await startServer({
        ...(databaseUrl ? { databaseUrl, demo: true } : {}),
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'motcua-int-')),
        demo: true,
        demoDossiers: 10,
        worker: false,
        log: silentLogger,
      });
      for (const u of ['tiepnhan.05152', 'chuyenvien.05152', 'quantri.05152'])
        headers[u] = (await login(server.url, u)).headers;
    }, 120_000);
    afterAll(async () => {
      await server?.close();
    });
    // PostgreSQL not installed (`.ci/run` installs it): the suite is reported skipped, not passed.
    beforeEach((ctx) => {
      if (!server) ctx.skip();
    });

    const post = (user: string, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: headers[user], body: JSON.stringify(body) });
    const get = (user: string, path: string) => fetch(`${server.url}${path}`, { headers: headers[user] });
    const drain = async () => {
      for (let i = 0; i < 30 && (await server.integrations!.outbox.stats()).pending > 0; i++) {
        await server.integrations!.outbox.runOnce();
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // The demo's population simulator knows the first 400 people of this generator.
    const known = syntheticPeople({ seed: 2025, fromYear: 1950, toYear: 2006 }).next().value;

    describe('the national integrations in the app (demo simulators)', () => {
      it('intake verifies the applicant with the population database; a line down leaves it pending, then done', async () => {
        const sims = server.integrations!.demo!;
        sims.population.setFaults({ failureRate: 1, retryAfterSec: 0 });
        const r = await post('tiepnhan.05152', '/api/units/05152/dossiers', {
          procedureCode: '1.004873',
          applicant: {
            kind: 'person',
            person: {
              fullName: known.fullName,
              personalId: known.personalId,
              dateOfBirth: known.dateOfBirth,
              phone: '0912000001',
            },
          },
        });
        expect(r.status).toBe(201); // intake goes on
        const { dossier } = (await r.json()) as { dossier: { id: string; code: string } };
        await server.integrations!.outbox.runOnce();
        const pending = (await (
          await get('tiepnhan.05152', `/api/dossiers/${dossier.id}/integrations`)
        ).json()) as { pending: { topic: string; reason: string }[] };
        expect(pending.pending).toEqual([expect.objectContaining({ topic: 'population.verify' })]);
        expect(pending.pending[0]!.reason).toMatch(/unavailable|503/);
        sims.population.setFaults({});
        await server.store.db.updateTable('outbox').set({ next_attempt_at: 0 }).execute();
        await drain();
        const done = (await (
          await get('tiepnhan.05152', `/api/dossiers/${dossier.id}/integrations`)
        ).json()) as {
          systems: { system: string; status: string }[];
          pending: unknown[];
        };
        expect(done.systems).toEqual([expect.objectContaining({ system: 'population', status: 'verified' })]);
        expect(done.pending).toEqual([]);
        expect(sims.population.audit.at(-1)).toMatchObject({
          purpose: `Tiếp nhận hồ sơ ${dossier.code}`,
          status: 200,
        });
      });

      it('a supplement request and the result reach the applicant by SMS, once each', async () => {
        const sms = server.integrations!.demo!.sms;
        sms.setFaults({ dropRate: 0.5, seed: 4 });
        const r = await post('tiepnhan.05152', '/api/units/05152/dossiers', {
          procedureCode: '1.004873',
          applicant: { kind: 'person', person: { fullName: 'Lê Thị Hoa', phone: '0912000002' } },
        });
        const { dossier } = (await r.json()) as { dossier: { id: string; code: string } };
        expect(
          (
            await post('chuyenvien.05152', `/api/dossiers/${dossier.id}/events`, {
              type: 'supplementRequested',
              at: new Date().toISOString(),
              reasons: ['Thiếu bản sao giấy khai sinh'],
            })
          ).status,
        ).toBe(200);
        expect(
          (
            await post('tiepnhan.05152', `/api/dossiers/${dossier.id}/events`, {
              type: 'supplementReceived',
              at: new Date().toISOString(),
            })
          ).status,
        ).toBe(200);
        expect(
          (
            await post('chuyenvien.05152', `/api/dossiers/${dossier.id}/events`, {
              type: 'resolved',
              at: new Date().toISOString(),
            })
          ).status,
        ).toBe(200);
        for (let i = 0; i < 10; i++) {
          await server.store.db
            .updateTable('outbox')
            .set({ next_attempt_at: 0 })
            .where('status', '=', 'pending')
            .execute();
          await drain();
        }
        const mine = sms.sent.filter((s) => s.text.includes(dossier.code));
        expect(mine).toHaveLength(2);
        expect(mine[0]!.text).toMatch(/bo sung/i);
        sms.setFaults({});
      });

      it('notices by e-mail too: supplement request, then the early result; a 451 is retried, one Message-ID each; an unknown mailbox is dead with its reason', async () => {
        const smtp = server.integrations!.demo!.smtp;
        smtp.setTempFailureRate(0.5, 7);
        const intake = async (email: string) => {
          const r = await post('tiepnhan.05152', '/api/units/05152/dossiers', {
            procedureCode: '1.004873',
            applicant: { kind: 'person', person: { fullName: 'Đỗ Thị Thư', email } },
          });
          expect(r.status).toBe(201);
          return ((await r.json()) as { dossier: { id: string; code: string; appointment: string } }).dossier;
        };
        const act = async (id: string, body: Record<string, unknown>) =>
          expect(
            (
              await post(
                body.type === 'supplementReceived' ? 'tiepnhan.05152' : 'chuyenvien.05152',
                `/api/dossiers/${id}/events`,
                { at: new Date().toISOString(), ...body },
              )
            ).status,
          ).toBe(200);
        const dossier = await intake('thu.do@example.vn');
        await act(dossier.id, { type: 'supplementRequested', reasons: ['Thiếu bản sao giấy khai sinh'] });
        await act(dossier.id, { type: 'supplementReceived' });
        await act(dossier.id, { type: 'resolved' });
        for (let i = 0; i < 10; i++) {
          await server.store.db
            .updateTable('outbox')
            .set({ next_attempt_at: 0 })
            .where('status', '=', 'pending')
            .execute();
          await drain();
        }
        const mine = smtp.received.filter((m) => m.subject.includes(dossier.code));
        const ids = new Set(mine.map((m) => m.messageId));
        expect(ids.size).toBe(2);
        const subjects = [...new Map(mine.map((m) => [m.messageId, m.subject])).values()];
        expect(subjects[0]).toMatch(/bổ sung/i);
        // Resolved today, the appointment days away: the early-result notice, with the appointment date.
        expect(mine.at(-1)!.text).toContain(dossier.appointment.slice(8, 10));
        expect(mine.at(-1)!.to).toEqual(['thu.do@example.vn']);
        smtp.setTempFailureRate(0);
        // A mailbox that does not exist (the demo's SMTP server knows this one as such): a permanent failure,
        // dead at once with the SMTP answer.
        const bad = await intake('khong.co@example.vn');
        await act(bad.id, { type: 'supplementRequested', reasons: ['Thiếu tờ khai'] });
        await drain();
        const health = (await (await get('quantri.05152', '/api/integrations/health')).json()) as {
          deadLetters: { topic: string; key: string; reason: string }[];
        };
        expect(health.deadLetters.some((d) => d.topic === 'notify.email' && d.key.startsWith(bad.code))).toBe(
          true,
        );
      });

      it('a resolved birth registration is registered in the civil-status system; the number comes back to the dossier', async () => {
        const r = await post('tiepnhan.05152', '/api/units/05152/dossiers', {
          procedureCode: '1.001193',
          applicant: { kind: 'person', person: { fullName: 'Trần Thị Mẹ', phone: '0912000003' } },
          form: {
            birth: TRAN_BIRTH,
          },
        });
        expect(r.status).toBe(201);
        const { dossier } = (await r.json()) as { dossier: { id: string } };
        expect(
          (
            await post('chuyenvien.05152', `/api/dossiers/${dossier.id}/events`, {
              type: 'resolved',
              at: new Date().toISOString(),
            })
          ).status,
        ).toBe(200);
        await drain();
        const detail = (await (await get('chuyenvien.05152', `/api/dossiers/${dossier.id}`)).json()) as {
          events: { event: { type: string; registrationNumber?: string } }[];
        };
        const registered = detail.events.find((e) => e.event.type === 'registered');
        expect(registered?.event.registrationNumber).toMatch(/^\d+\/\d{4}$/);
        expect(server.integrations!.demo!.civil.births()).toBe(1);
      });

      it('the newborn bundle is one dossier: birth, residence and health-insurance card, each once, resuming after a failure', async () => {
        const sims = server.integrations!.demo!;
        const household = [...sims.population.households.values()][0]!;
        const r = await post('tiepnhan.05152', '/api/units/05152/dossiers', {
          procedureCode: 'VN-LT-KHAISINH-BHYT',
          applicant: { kind: 'person', person: { fullName: 'Lê Thị Mẫu', phone: '0912000004' } },
          form: {
            newborn: {
              householdId: household.householdId,
              birth: birthOf(
                { personalId: '025192000012', fullName: 'Lê Thị Mẫu' },
                'Lê Văn Nhỏ',
                '2026-11-28',
              ),
            },
          },
        });
        expect(r.status).toBe(201);
        const { dossier } = (await r.json()) as { dossier: { id: string } };
        const births = sims.civil.births();
        // Social insurance is down: birth and residence are done and kept, the card waits.
        sims.insurance.setFaults({ failureRate: 1, retryAfterSec: 0 });
        expect(
          (
            await post('chuyenvien.05152', `/api/dossiers/${dossier.id}/events`, {
              type: 'resolved',
              at: new Date().toISOString(),
            })
          ).status,
        ).toBe(200);
        await server.integrations!.outbox.runOnce();
        const status = async () =>
          (await server.store.integrations(dossier.id)).find((i) => i.system === 'newborn');
        expect((await status())?.status).toBe('running');
        expect((await status())?.detail).toMatchObject({ done: ['birth', 'residence'] });
        expect(sims.civil.births()).toBe(births + 1);
        expect(sims.insurance.cards.size).toBe(0);
        // The line is back: the retry resumes at the card; nothing is done twice.
        sims.insurance.setFaults({});
        const msgs = await server.store.outbox.list();
        for (const m of msgs.filter((x) => x.topic === 'civilstatus.newborn' && x.status === 'pending'))
          await server.store.outbox.update(m.id, { nextAttemptAt: 0 });
        await drain();
        expect((await status())?.status).toBe('done');
        expect(sims.civil.births()).toBe(births + 1);
        expect(sims.insurance.cards.size).toBe(1);
        const members = sims.population.households.get(household.householdId)!.members;
        expect(members.filter((m) => m.fullName === 'Lê Văn Nhỏ')).toHaveLength(1);
        const detail = (await (await get('chuyenvien.05152', `/api/dossiers/${dossier.id}`)).json()) as {
          events: { event: { type: string; system?: string; registrationNumber?: string } }[];
        };
        const registered = detail.events.filter((e) => e.event.type === 'registered').map((e) => e.event);
        expect(registered.map((e) => e.system)).toEqual(['civilStatus', 'population', 'socialInsurance']);
        expect(registered[0]!.registrationNumber).toMatch(/^\d+\/\d{4}$/);
      });

      it('online dossiers arrive from the Portal once; official receipt and later events go back in order', async () => {
        const portal = server.integrations!.demo!.portal;
        const first = (await (await post('tiepnhan.05152', '/api/integrations/portal/poll', {})).json()) as {
          received: number;
        };
        expect(first.received).toBe(9);
        expect(
          (
            (await (await post('tiepnhan.05152', '/api/integrations/portal/poll', {})).json()) as {
              received: number;
            }
          ).received,
        ).toBe(0);
        const d = await server.store.dossierByPortalId('DVC-05152-0000001');
        expect(d?.channel).toBe('online');
        expect(d?.phase).toBe('received');
        expect(
          (
            await post('tiepnhan.05152', `/api/dossiers/${d!.id}/events`, {
              type: 'accepted',
              at: new Date().toISOString(),
            })
          ).status,
        ).toBe(200);
        expect(
          (
            await post('chuyenvien.05152', `/api/dossiers/${d!.id}/events`, {
              type: 'resolved',
              at: new Date().toISOString(),
            })
          ).status,
        ).toBe(200);
        await drain();
        const t = portal.tracked('DVC-05152-0000001')!;
        expect(t.events.map((e) => [e.sequence, e.type])).toEqual([
          [1, 'accepted'],
          [2, 'resolved'],
        ]);
      });

      it('integration health: per system figures, dead letters with their reason, resend by hand', async () => {
        // A birth already registered: the civil-status system refuses it for its rule (dead at once, not retried).
        const form = {
          birth: TRAN_BIRTH,
        };
        const r = await post('tiepnhan.05152', '/api/units/05152/dossiers', {
          procedureCode: '1.001193',
          applicant: { kind: 'person', person: { fullName: 'Trần Thị Mẹ' } },
          form,
        });
        const { dossier } = (await r.json()) as { dossier: { id: string } };
        await post('chuyenvien.05152', `/api/dossiers/${dossier.id}/events`, {
          type: 'resolved',
          at: new Date().toISOString(),
        });
        await drain();
        expect((await get('tiepnhan.05152', '/api/integrations/health')).status).toBe(403);
        const health = (await (await get('quantri.05152', '/api/integrations/health')).json()) as {
          topics: { topic: string; delivered: number; dead: number }[];
          deadLetters: { id: string; topic: string; reason: string }[];
        };
        expect(health.topics.find((t) => t.topic === 'civilstatus.register')).toMatchObject({
          delivered: 1,
          dead: 1,
        });
        const dead = health.deadLetters.find((d) => d.topic === 'civilstatus.register')!;
        expect(dead.reason).toContain('civil_status.birth.already_registered');
        expect((await post('quantri.05152', `/api/integrations/messages/${dead.id}/resend`, {})).status).toBe(
          200,
        );
        expect((await server.integrations!.outbox.stats()).pending).toBeGreaterThan(0);
        expect((await post('quantri.05152', `/api/integrations/messages/${dead.id}/resend`, {})).status).toBe(
          409,
        );
      });
    });
  });
}

suite('PGlite (embedded)', async () => undefined);
let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  return pg ? pg.createDatabase('motcua_integrations_test') : null;
});
afterAll(async () => {
  await pg?.stop();
});
