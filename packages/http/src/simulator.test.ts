import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from './client.js';
import { HttpError } from './errors.js';
import { mtlsFetch } from './node/mtls.js';
import { problem, type Simulator, type SimulatorOptions, startSimulator } from './testing/simulator.js';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});
async function start(options: Partial<SimulatorOptions> = {}) {
  let effects = 0;
  const sim = await startSimulator({
    name: 'test',
    routes: [
      ['POST', '/things', (req) => ({ status: 201, body: { id: `T${++effects}`, got: req.body } })],
      ['GET', '/things/:id', (req) => ({ status: 200, body: { id: req.params.id, caller: req.caller } })],
      ['GET', '/refuse', () => problem(409, 'thing.already_exists', 'already there')],
    ],
    ...options,
  });
  sims.push(sim);
  return { sim, effects: () => effects };
}
const quick = { sleep: async () => {}, random: () => 0.5 };

describe('startSimulator: OAuth2', () => {
  it('issues client-credential tokens and rejects calls without a valid one', async () => {
    const { sim } = await start();
    const anonymous = createHttpClient({ baseUrl: sim.url, retry: false });
    const e = await anonymous.get('things/1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(401);
    expect((e as HttpError).serverCode).toBe('unauthorized');

    const c = createHttpClient({ baseUrl: sim.url, auth: sim.oauth2 });
    const r = await c.get<{ id: string; caller: string }>('things/42');
    expect(r.data).toEqual({ id: '42', caller: 'test-client' });
    await c.get('things/43');
    expect(sim.stats.tokensIssued).toBe(1); // cached
    expect(sim.stats.unauthorized).toBe(1);
  });

  it('refuses a wrong secret and an unknown grant', async () => {
    const { sim } = await start();
    const wrong = createHttpClient({
      baseUrl: sim.url,
      auth: { ...sim.oauth2, clientSecret: 'nope' },
      retry: false,
    });
    await expect(wrong.get('things/1')).rejects.toMatchObject({ code: 'http.auth_401' });
    const res = await fetch(sim.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=test-client&client_secret=test-secret',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('after tokens are revoked, the client fetches a new one once and carries on', async () => {
    const { sim } = await start();
    const c = createHttpClient({ baseUrl: sim.url, auth: sim.oauth2 });
    await c.get('things/1');
    sim.revokeTokens();
    await c.get('things/2');
    expect(sim.stats.tokensIssued).toBe(2);
  });

  it('expired tokens are refused (TTL honoured)', async () => {
    const { sim } = await start({ auth: { tokenTtlSec: 0 } });
    const res = await fetch(sim.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('test-client:test-secret')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const call = await fetch(`${sim.url}things/1`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(call.status).toBe(401);
  });

  it('passes the server error code through HttpError.serverCode, never the message', async () => {
    const { sim } = await start();
    const c = createHttpClient({ baseUrl: sim.url, auth: sim.oauth2 });
    const e = (await c.get('refuse').catch((x: unknown) => x)) as HttpError;
    expect(e.serverCode).toBe('thing.already_exists');
    expect(e.retryable).toBe(false);
    expect(e.message).not.toContain('already there');
  });
});

describe('startSimulator: idempotency', () => {
  it('same key and body: the stored answer and one effect; same key, other body: 422', async () => {
    const { sim, effects } = await start();
    const c = createHttpClient({ baseUrl: sim.url, auth: sim.oauth2 });
    const a = await c.post<{ id: string }>('things', { json: { n: 1 }, idempotencyKey: 'k-1' });
    const b = await c.post<{ id: string }>('things', { json: { n: 1 }, idempotencyKey: 'k-1' });
    expect(b.data.id).toBe(a.data.id);
    expect(b.headers.get('idempotent-replay')).toBe('true');
    expect(effects()).toBe(1);
    const e = (await c
      .post('things', { json: { n: 2 }, idempotencyKey: 'k-1' })
      .catch((x: unknown) => x)) as HttpError;
    expect(e.status).toBe(422);
    expect(e.serverCode).toBe('idempotency_key_reused');
  });
});

describe('startSimulator: faults', () => {
  it('drops, hangs, 503, 429 and malformed bodies at the configured rates; a write with a key lands once', async () => {
    const { sim, effects } = await start({
      faults: {
        dropRate: 0.2,
        timeoutRate: 0.1,
        failureRate: 0.1,
        throttleRate: 0.05,
        malformedRate: 0.05,
        hangMs: 300,
        retryAfterSec: 0,
        seed: 11,
      },
    });
    const c = createHttpClient({
      baseUrl: sim.url,
      auth: sim.oauth2,
      timeoutMs: 150,
      retry: { limit: 30 },
      circuit: false,
      ...quick,
    });
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) {
      let r: { data: { id: string } } | undefined;
      const key = `write-${i}`;
      // A malformed body is an error for the caller, who asks again with the same key.
      for (let tries = 0; !r && tries < 10; tries++)
        r = await c
          .post<{ id: string }>('things', { json: { i }, idempotencyKey: key })
          .catch(() => undefined);
      expect(r).toBeDefined();
      ids.add(r!.data.id);
    }
    expect(ids.size).toBe(40);
    expect(effects()).toBe(40); // one effect per key, however many attempts
    const f = sim.stats.faults;
    expect(f.dropped).toBeGreaterThan(0);
    expect(f.timedOut).toBeGreaterThan(0);
    expect(f.failed).toBeGreaterThan(0);
    expect(f.malformed).toBeGreaterThan(0);
    expect(sim.stats.idempotentReplays).toBeGreaterThan(0);
  });

  it('the same seed gives the same faults', async () => {
    const run = async () => {
      const { sim } = await start({ auth: false, faults: { failureRate: 0.5, seed: 99 } });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await fetch(`${sim.url}things/${i}`)).status);
      return out;
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a).toContain(503);
    expect(a).toContain(200);
  });
});

function openssl(dir: string, ...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A self-signed P-256 certificate `<name>.crt` with its key `<name>.key`, valid 2 days. */
function selfSigned(dir: string, cn: string, name: string) {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
  );
}

describe('mutual TLS', () => {
  it('a client with the right certificate gets through; one without is refused at the handshake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-mtls-'));
    selfSigned(dir, 'Test Gateway CA', 'ca');
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
    for (const [name, cn, ext] of [
      ['server', '127.0.0.1', 'server.ext'],
      ['client', 'xa-van-son-05152', ''],
    ] as const) {
      openssl(
        dir,
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        `/CN=${cn}`,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
      );
      openssl(
        dir,
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-out',
        `${name}.crt`,
        ...(ext ? ['-extfile', ext] : []),
      );
    }
    const pem = (f: string) => readFileSync(join(dir, f), 'utf8');
    const { sim } = await start({
      auth: false,
      tls: { key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt') },
    });
    expect(sim.url.startsWith('https://127.0.0.1:')).toBe(true);
    const good = createHttpClient({
      baseUrl: sim.url,
      fetch: mtlsFetch({ cert: pem('client.crt'), key: pem('client.key'), ca: pem('ca.crt') }),
    });
    const r = await good.get<{ caller: string }>('things/1');
    expect(r.data.caller).toBe('mtls:xa-van-son-05152');
    const posted = await good.post<{ got: unknown }>('things', { json: { a: 'ă' } });
    expect(posted.data.got).toEqual({ a: 'ă' });

    const none = createHttpClient({
      baseUrl: sim.url,
      retry: false,
      fetch: mtlsFetch({ cert: '', key: '', ca: pem('ca.crt') }),
    });
    const e = (await none.get('things/1').catch((x: unknown) => x)) as HttpError;
    expect(e).toBeInstanceOf(HttpError);
    expect(e.code).toBe('http.network');

    // A certificate with the right name that the gateway's CA did not issue is refused too.
    selfSigned(dir, 'xa-van-son-05152', 'rogue');
    const rogue = createHttpClient({
      baseUrl: sim.url,
      retry: false,
      fetch: mtlsFetch({ cert: pem('rogue.crt'), key: pem('rogue.key'), ca: pem('ca.crt') }),
    });
    const r2 = (await rogue.get('things/1').catch((x: unknown) => x)) as HttpError;
    expect(r2).toBeInstanceOf(HttpError);
    expect(r2.code).toBe('http.network');
    expect(sim.stats.requests).toBe(2); // only the good client's two calls reached a handler
  });
});
