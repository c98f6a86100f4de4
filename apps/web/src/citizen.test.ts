import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { syntheticPeople } from '@motcua/core/testing';
import { openStore, type Store } from '@motcua/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { createApp } from './app.js';
import { configFromEnv, type ServerConfigInput } from './config.js';
import { DEMO_PASSWORD, seedDemo } from './demo.js';
import type { Logger } from './log.js';
import { type OidcSimulator, startOidcSimulator } from './oidc-simulator.js';
import { CITIZEN_COOKIE } from './routes/citizen.js';
import { banner, startServer } from './server.js';

const FLOW = 'motcua_citizen_flow';

/** The value of a cookie set by a response. */
const setCookie = (r: Response, name: string) => {
  const line = r.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return line === undefined ? undefined : line.split(';')[0]!.slice(name.length + 1);
};

async function listen(fetchHandler: (req: Request) => Response | Promise<Response>) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

function suite(name: string, open: () => Promise<Store | undefined>) {
  describe(`citizen sign-in (OpenID Connect) on ${name}`, () => {
    let store: Store;
    let sim: OidcSimulator;
    let clock = Date.now();
    let app: { url: string; close(): Promise<void> };
    const logs: string[] = [];
    const log: Logger = {
      info: (m, d) => logs.push(JSON.stringify({ m, d })),
      warn: (m, d) => logs.push(JSON.stringify({ m, d })),
      error: (m, d) => logs.push(JSON.stringify({ m, d })),
    };
    // Two citizens with demo dossiers, and one with none.
    const withDossiers: { personalId: string; fullName: string }[] = [];
    let skip = false;

    const makeApp = async (citizenSignIn: ServerConfigInput['citizenSignIn']) => {
      const a = createApp({
        store,
        config: configFromEnv({}, { loginRatePerMinute: 1000, ...(citizenSignIn ? { citizenSignIn } : {}) }),
        log,
      });
      return listen(a.fetch);
    };

    beforeAll(async () => {
      const s = await open();
      if (!s) {
        skip = true;
        return;
      }
      store = s;
      await seedDemo(store, { dossiers: 60, log, now: Date.parse('2026-12-01T10:00:00+07:00') });
      const people = syntheticPeople({ seed: 2025, fromYear: 1950, toYear: 2006 });
      for (let i = 0; i < 80 && withDossiers.length < 2; i++) {
        const p = people.next().value;
        if ((await store.dossiersOfApplicant(p.personalId)).length > 0) withDossiers.push(p);
      }
      const stranger = syntheticPeople({ seed: 99, fromYear: 1960, toYear: 2000 }).next().value;
      sim = await startOidcSimulator({
        citizens: [...withDossiers, stranger],
        now: () => clock,
        codeTtlSec: 60,
      });
      app = await makeApp({
        issuer: sim.issuer,
        clientId: sim.client.clientId,
        clientSecret: sim.client.clientSecret,
        personalIdClaim: sim.personalIdClaim,
      });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await sim?.close();
      await store?.close();
    });
    const guard = () => {
      if (skip) console.warn(`*** ${name} not available: test skipped ***`);
      return skip;
    };

    /** Through the provider's page as a browser would, redirects followed by hand: up to the callback URL. */
    async function toCallback(base: string, citizen: number) {
      const start = await fetch(`${base}/api/citizen/login?returnTo=/my-dossiers`, { redirect: 'manual' });
      return toCallbackFrom(start, citizen);
    }
    async function toCallbackFrom(start: Response, citizen: number) {
      expect(start.status).toBe(302);
      const flow = setCookie(start, FLOW)!;
      expect(flow).toBeTruthy();
      expect(start.headers.getSetCookie().join()).toMatch(/HttpOnly/i);
      const authorize = new URL(start.headers.get('location')!);
      expect(authorize.origin).toBe(sim.issuer);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('state')).toBeTruthy();
      expect(authorize.searchParams.get('nonce')).toBeTruthy();
      const page = await fetch(authorize, { redirect: 'manual' });
      expect(page.status).toBe(200);
      const html = await page.text();
      const links = [...html.matchAll(/href="(\/authorize\/approve\?[^"]+)"/g)].map((m) =>
        m[1]!.replace(/&amp;/g, '&'),
      );
      expect(links.length).toBe(sim.citizens.length);
      const back = await fetch(new URL(links[citizen]!, sim.issuer), { redirect: 'manual' });
      expect(back.status).toBe(302);
      const callback = new URL(back.headers.get('location')!);
      expect(callback.pathname).toBe('/api/citizen/callback');
      return { flow, callback };
    }
    const callbackWith = (callback: URL, flow: string) =>
      fetch(callback, { redirect: 'manual', headers: { cookie: `${FLOW}=${flow}` } });
    async function signIn(citizen: number) {
      const { flow, callback } = await toCallback(app.url, citizen);
      const r = await callbackWith(callback, flow);
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/my-dossiers');
      const session = setCookie(r, CITIZEN_COOKIE)!;
      expect(session).toBeTruthy();
      return session;
    }
    const asCitizen = (session: string, path: string, init: RequestInit = {}) =>
      fetch(`${app.url}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie: `${CITIZEN_COOKIE}=${session}` },
      });

    it('signs a citizen in through the whole code flow and shows their own dossiers only, audited', async () => {
      if (guard()) return;
      expect(withDossiers.length).toBe(2);
      const session = await signIn(0);
      const me = (await (await asCitizen(session, '/api/citizen/me')).json()) as Record<string, string>;
      expect(me.name).toBe(withDossiers[0]!.fullName);
      expect(me.personalIdMasked).not.toContain(withDossiers[0]!.personalId);
      const r = await asCitizen(session, '/api/citizen/dossiers');
      expect(r.status).toBe(200);
      const { items } = (await r.json()) as { items: { code: string; unitName: string }[] };
      // What the database holds for this person, found independently of the route's query.
      const all = await store.db.selectFrom('dossiers').select(['id', 'code', 'applicant']).execute();
      const mine = all.filter((d) => {
        const a = (typeof d.applicant === 'string' ? JSON.parse(d.applicant) : d.applicant) as {
          person?: { personalId?: string };
        };
        return a.person?.personalId === withDossiers[0]!.personalId;
      });
      expect(mine.length).toBeGreaterThan(0);
      expect(items.map((d) => d.code).sort()).toEqual(mine.map((d) => d.code).sort());
      expect(items.every((d) => d.unitName.length > 0)).toBe(true);
      expect(JSON.stringify(items)).not.toContain(withDossiers[0]!.personalId);
      // The other citizen sees theirs, not these.
      const other = await signIn(1);
      const theirs = (await (await asCitizen(other, '/api/citizen/dossiers')).json()) as {
        items: { code: string }[];
      };
      expect(theirs.items.length).toBeGreaterThan(0);
      expect(theirs.items.some((d) => items.some((m) => m.code === d.code))).toBe(false);
      // Someone with no dossier sees an empty list.
      const stranger = await signIn(2);
      expect(
        ((await (await asCitizen(stranger, '/api/citizen/dossiers')).json()) as { items: unknown[] }).items,
      ).toEqual([]);
      // Each read is in the audit log, the ID number masked.
      const audit = await store.auditLog({ action: 'citizen.dossier.read', limit: 500 });
      for (const d of mine) expect(audit.some((a) => a.dossier_id === d.id)).toBe(true);
      expect(JSON.stringify(audit)).not.toContain(withDossiers[0]!.personalId);
      expect(audit[0]!.actor).toMatch(/^citizen:\d{3}\*+\d{2}$/);
      // Sign-out clears the cookie.
      const out = await asCitizen(session, '/api/citizen/logout', { method: 'POST' });
      expect(out.headers.getSetCookie().join()).toMatch(new RegExp(`${CITIZEN_COOKIE}=;.*Max-Age=0`, 'i'));
      // No ID number in the logs.
      for (const p of withDossiers) expect(logs.join('\n')).not.toContain(p.personalId);
    });

    it('a citizen session passes no staff check: staff routes answer 401', async () => {
      if (guard()) return;
      const session = await signIn(0);
      for (const path of ['/api/me', '/api/units', '/api/units/05152/dossiers', '/api/integrations/health'])
        for (const cookie of [`${CITIZEN_COOKIE}=${session}`, `motcua_session=${session}`]) {
          const r = await fetch(`${app.url}${path}`, { headers: { cookie } });
          expect(r.status, `${path} with ${cookie.split('=')[0]}`).toBe(401);
        }
      const write = await fetch(`${app.url}/api/units/05152/dossiers`, {
        method: 'POST',
        headers: { cookie: `${CITIZEN_COOKIE}=${session}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect([401, 400]).toContain(write.status);
      expect(write.status).not.toBe(201);
      // A staff session does not open the citizen routes either.
      const login = await fetch(`${app.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'tiepnhan.05152', password: DEMO_PASSWORD }),
      });
      const staff = setCookie(login, 'motcua_session')!;
      const r = await fetch(`${app.url}/api/citizen/dossiers`, {
        headers: { cookie: `motcua_session=${staff}; ${CITIZEN_COOKIE}=${staff}` },
      });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { code: string }).code).toBe('citizen.sign_in_required');
      // Nor does a forged or altered citizen cookie.
      const forged = `${session.slice(0, -4)}AAAA`;
      expect((await asCitizen(forged, '/api/citizen/dossiers')).status).toBe(401);
    });

    it('refuses a wrong state, a replayed code, an expired code and a missing flow cookie', async () => {
      if (guard()) return;
      // Wrong state: the answer of another sign-in.
      const a = await toCallback(app.url, 0);
      const wrong = new URL(a.callback);
      wrong.searchParams.set('state', 'not-the-state-we-sent');
      const r1 = await callbackWith(wrong, a.flow);
      expect(r1.status).toBe(400);
      expect(r1.headers.get('content-type')).toContain('application/problem+json');
      expect(((await r1.json()) as { code: string }).code).toBe('citizen.state_mismatch');
      expect(setCookie(r1, CITIZEN_COOKIE)).toBeUndefined();
      // Replayed code: the first use signs in, the second is refused by the provider.
      const b = await toCallback(app.url, 0);
      expect((await callbackWith(b.callback, b.flow)).status).toBe(302);
      const before = sim.stats.tokenRefusals.invalid_grant ?? 0;
      const r2 = await callbackWith(b.callback, b.flow);
      expect(r2.status).toBe(400);
      expect(((await r2.json()) as { code: string }).code).toBe('citizen.code_rejected');
      expect(sim.stats.tokenRefusals.invalid_grant).toBe(before + 1);
      expect(setCookie(r2, CITIZEN_COOKIE)).toBeUndefined();
      // Expired code: the provider's clock moves past its 60 s.
      const c = await toCallback(app.url, 0);
      clock += 61_000;
      try {
        const r3 = await callbackWith(c.callback, c.flow);
        expect(r3.status).toBe(400);
        expect(((await r3.json()) as { code: string }).code).toBe('citizen.code_rejected');
      } finally {
        clock = Date.now();
      }
      // The return address is a path of this site only (`//host` is another site).
      const open = await fetch(`${app.url}/api/citizen/login?returnTo=//intranet-host/x`, {
        redirect: 'manual',
      });
      const o = await toCallbackFrom(open, 0);
      const r6 = await callbackWith(o.callback, o.flow);
      expect(r6.headers.get('location')).toBe('/my-dossiers');
      // No flow cookie (another browser, or expired).
      const d = await toCallback(app.url, 0);
      const r4 = await fetch(d.callback, { redirect: 'manual' });
      expect(r4.status).toBe(400);
      expect(((await r4.json()) as { code: string }).code).toBe('citizen.flow_expired');
      // The citizen cancels at the provider.
      const start = await fetch(`${app.url}/api/citizen/login`, { redirect: 'manual' });
      const page = await (await fetch(start.headers.get('location')!)).text();
      const deny = /href="(\/authorize\/deny\?[^"]+)"/.exec(page)![1]!;
      const cancelled = await fetch(new URL(deny, sim.issuer), { redirect: 'manual' });
      const r5 = await callbackWith(new URL(cancelled.headers.get('location')!), setCookie(start, FLOW)!);
      expect(((await r5.json()) as { code: string }).code).toBe('citizen.denied');
    });

    it('refuses an ID token whose claims were changed after signing (bad signature)', async () => {
      if (guard()) return;
      const target = withDossiers[1]!.personalId;
      sim.setFaults({ tamperIdToken: (claims) => ({ ...claims, [sim.personalIdClaim]: target }) });
      try {
        const { flow, callback } = await toCallback(app.url, 2);
        const r = await callbackWith(callback, flow);
        expect(r.status).toBe(401);
        const body = (await r.json()) as { code: string; detail: { en: string } };
        expect(body.code).toBe('citizen.id_token_invalid');
        expect(JSON.stringify(body)).not.toContain(target);
        expect(setCookie(r, CITIZEN_COOKIE)).toBeUndefined();
      } finally {
        sim.setFaults({});
      }
      expect(logs.join('\n')).not.toContain(target);
    });

    it('a claim without a valid personal ID number is refused; off when not configured; provider down is 503', async () => {
      if (guard()) return;
      // `sub` from this provider is pairwise and opaque, not an ID number.
      const subApp = await makeApp({
        issuer: sim.issuer,
        clientId: sim.client.clientId,
        clientSecret: sim.client.clientSecret,
      });
      try {
        const { flow, callback } = await toCallback(subApp.url, 0);
        const r = await callbackWith(callback, flow);
        expect(r.status).toBe(403);
        expect(((await r.json()) as { code: string }).code).toBe('citizen.no_personal_id');
      } finally {
        await subApp.close();
      }
      // A wrong client secret: the provider refuses the client, not the citizen.
      const wrongSecret = await makeApp({
        issuer: sim.issuer,
        clientId: sim.client.clientId,
        clientSecret: 'not-the-secret',
        personalIdClaim: sim.personalIdClaim,
      });
      try {
        const { flow, callback } = await toCallback(wrongSecret.url, 0);
        const r = await callbackWith(callback, flow);
        expect(r.status).toBe(502);
        expect(((await r.json()) as { code: string }).code).toBe('citizen.client_refused');
        expect(sim.stats.tokenRefusals.invalid_client).toBeGreaterThan(0);
      } finally {
        await wrongSecret.close();
      }
      const off = await makeApp(undefined);
      try {
        const r = await fetch(`${off.url}/api/citizen/login`, { redirect: 'manual' });
        expect(r.status).toBe(404);
        expect(((await r.json()) as { code: string }).code).toBe('citizen.not_configured');
      } finally {
        await off.close();
      }
      // A provider that does not answer: a closed port on 127.0.0.1.
      const gone = await listen(() => new Response('x'));
      const goneUrl = gone.url;
      await gone.close();
      const down = await makeApp({ issuer: goneUrl, clientId: 'x', clientSecret: 'y' });
      try {
        const r = await fetch(`${down.url}/api/citizen/login`, { redirect: 'manual' });
        expect(r.status).toBe(503);
        const body = (await r.json()) as { code: string; detail: { vi: string } };
        expect(body.code).toBe('citizen.provider_unavailable');
        expect(body.detail.vi).toContain('định danh');
      } finally {
        await down.close();
      }
    });
  });
}

suite('PGlite (embedded)', () =>
  openStore({ inMemory: true, dataDir: mkdtempSync(join(tmpdir(), 'motcua-citizen-')) }));

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  if (!pg) return undefined;
  return openStore({ databaseUrl: await pg.createDatabase('motcua_citizen_test') });
});
afterAll(async () => {
  await pg?.stop();
});

describe('demo mode', () => {
  it('starts the e-ID simulator in process with citizens who have demo dossiers', async () => {
    const server = await startServer({
      port: 0,
      demo: true,
      demoDossiers: 80,
      worker: false,
      dataDir: mkdtempSync(join(tmpdir(), 'motcua-citizen-demo-')),
      log: { info() {}, warn() {}, error() {} },
      env: {},
    });
    try {
      const sim = server.citizenSignIn!;
      expect(sim.citizens.length).toBeGreaterThan(1);
      expect(server.config.citizenSignIn?.issuer).toBe(sim.issuer);
      // The whole flow against the running server, as a browser would.
      const start = await fetch(`${server.url}/api/citizen/login`, { redirect: 'manual' });
      const flow = setCookie(start, FLOW)!;
      const page = await (await fetch(start.headers.get('location')!)).text();
      const first = /href="(\/authorize\/approve\?[^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
      const back = await fetch(new URL(first, sim.issuer), { redirect: 'manual' });
      const done = await fetch(back.headers.get('location')!, {
        redirect: 'manual',
        headers: { cookie: `${FLOW}=${flow}` },
      });
      expect(done.status).toBe(302);
      const session = setCookie(done, CITIZEN_COOKIE)!;
      const r = await fetch(`${server.url}/api/citizen/dossiers`, {
        headers: { cookie: `${CITIZEN_COOKIE}=${session}` },
      });
      expect(((await r.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expect(banner(server, true)).toContain('/my-dossiers');
    } finally {
      await server.close();
    }
  }, 120_000);
});
