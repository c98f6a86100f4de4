import { describe, expect, it } from 'vitest';
import { json, noSleep, serverPerTest } from '../test/server.js';
import { createHttpClient } from './client.js';
import { HttpError, retryableStatus } from './errors.js';
import { maskForLog, maskText } from './mask.js';
import { signTestPayload, verifyWebhook } from './webhook.js';

const serve = serverPerTest();

describe('createHttpClient', () => {
  it('sends a request ID, JSON and the API key; parses JSON', async () => {
    const s = await serve({ '/ping': (_q, res) => json(res, 200, { ok: true }) });
    const c = createHttpClient({
      baseUrl: s.url,
      auth: { type: 'apiKey', key: 'k1' },
      headers: { 'x-unit': '05152' },
    });
    const r = await c.get<{ ok: boolean }>('ping', { searchParams: { q: 'a' } });
    expect(r.data.ok).toBe(true);
    expect(s.seen[0]?.headers['x-request-id']).toBe(r.requestId);
    expect(s.seen[0]?.headers['x-api-key']).toBe('k1');
    expect(s.seen[0]?.headers['x-unit']).toBe('05152');
    expect(s.seen[0]?.url).toBe('/ping?q=a');
    expect(c.pipeline.names()).toEqual(['build', 'auth', 'retry', 'audit', 'send']);
  });

  it('retries 503 honouring Retry-After, with full jitter otherwise, and one request ID throughout', async () => {
    const s = await serve({
      '/flaky': (_q, res, n) =>
        n === 1
          ? json(res, 503, {}, { 'retry-after': '2' })
          : n === 2
            ? json(res, 502, {})
            : json(res, 200, { n }),
    });
    const delays: number[] = [];
    const c = createHttpClient({
      baseUrl: s.url,
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      retry: { baseDelayMs: 100 },
    });
    const r = await c.get<{ n: number }>('flaky');
    expect(r.data.n).toBe(3);
    expect(delays).toEqual([2000, 100]); // Retry-After 2 s, then 0.5 × min(5000, 100 × 2^1)
    expect(new Set(s.seen.map((x) => x.headers['x-request-id'])).size).toBe(1);
  });

  it('gives writes an idempotency key, the same on every attempt', async () => {
    const s = await serve({
      '/submit': (_q, res, n) => (n < 3 ? json(res, 500, {}) : json(res, 201, { id: 'R1' })),
    });
    const c = createHttpClient({ baseUrl: s.url, ...noSleep });
    const r = await c.post<{ id: string }>('submit', { json: { type: 'birth' } });
    expect(r.status).toBe(201);
    const keys = s.seen.map((x) => x.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(s.seen[0]!.body)).toEqual({ type: 'birth' });
  });

  it('does not retry 4xx; the error never carries the body or personal data', async () => {
    const s = await serve({
      '/verify': (_q, res) => json(res, 400, { message: 'ID 001090000123 of Nguyễn Văn A not found' }),
    });
    const c = createHttpClient({ baseUrl: s.url, ...noSleep });
    const e = await c.post('verify', { json: { personalId: '001090000123' } }).catch((x) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ code: 'http.status_400', status: 400, retryable: false });
    expect(String(e.message)).not.toContain('001090000123');
    expect(String(e.message)).not.toContain('Nguyễn');
    expect(s.seen).toHaveLength(1);
  });

  it('times out an attempt, retries, then gives up with http.timeout', async () => {
    const s = await serve({ '/slow': (_q, res) => void setTimeout(() => json(res, 200, {}), 2000) });
    let attempts = 0;
    const c = createHttpClient({
      baseUrl: s.url,
      timeoutMs: 100,
      retry: { limit: 1 },
      hooks: { beforeSend: () => void attempts++ },
      ...noSleep,
    });
    await expect(c.get('slow')).rejects.toMatchObject({ code: 'http.timeout', retryable: true });
    // Counted where the client sends, not where the server receives: a loaded machine may time out first.
    expect(attempts).toBe(2);
  });

  it('stops at the overall deadline', async () => {
    const s = await serve({ '/down': (_q, res) => json(res, 503, {}) });
    const c = createHttpClient({
      baseUrl: s.url,
      deadlineMs: 120,
      retry: { limit: 50, baseDelayMs: 40, maxDelayMs: 40 },
      random: () => 1,
      circuit: false,
    });
    const e = await c.get('down').catch((x) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect(s.seen.length).toBeLessThan(6);
  });

  it('opens the circuit after repeated failures, then probes once', async () => {
    let up = false;
    const s = await serve({ '/x': (_q, res) => (up ? json(res, 200, { ok: 1 }) : json(res, 500, {})) });
    const c = createHttpClient({ baseUrl: s.url, retry: false, circuit: { failures: 2, resetMs: 80 } });
    await expect(c.get('x')).rejects.toMatchObject({ code: 'http.status_500' });
    await expect(c.get('x')).rejects.toMatchObject({ code: 'http.status_500' });
    await expect(c.get('x')).rejects.toMatchObject({ code: 'http.circuit_open' });
    expect(s.seen).toHaveLength(2);
    up = true;
    await new Promise((r) => setTimeout(r, 100));
    expect(c.circuit?.state(new URL(s.url).host)).toBe('halfOpen');
    expect((await c.get('x')).status).toBe(200);
    expect(c.circuit?.state(new URL(s.url).host)).toBe('closed');
  });

  it('OAuth2 client credentials: one token fetch for many waiting requests; a 401 refreshes once', async () => {
    let issued = 0;
    const s = await serve({
      '/token': async (q, res) => {
        issued++;
        expect(q.headers.authorization).toBe(`Basic ${btoa('id:secret')}`);
        await new Promise((r) => setTimeout(r, 30));
        json(res, 200, { access_token: `t${issued}`, expires_in: 3600 });
      },
      '/data': (q, res) =>
        q.headers.authorization === 'Bearer t1' && issued > 1
          ? json(res, 401, {})
          : json(res, 200, { token: q.headers.authorization }),
    });
    const c = createHttpClient({
      baseUrl: s.url,
      auth: { type: 'oauth2', tokenUrl: `${s.url}token`, clientId: 'id', clientSecret: 'secret' },
      ...noSleep,
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => c.get<{ token: string }>('data')));
    expect(issued).toBe(1);
    expect(results.every((r) => r.data.token === 'Bearer t1')).toBe(true);
    c.tokens?.invalidate();
    await c.get('data');
    expect(issued).toBe(2);
  });

  it('lets a province replace a step or add one', async () => {
    const s = await serve({
      '/g': (q, res) =>
        json(res, 200, { token: q.headers['x-lgsp-token'], signed: q.headers['x-signature'] }),
    });
    const c = createHttpClient({ baseUrl: s.url });
    c.pipeline.replace('auth', async (ctx, next) => {
      ctx.headers.set('x-lgsp-token', 'lgsp-123');
      return next(ctx);
    });
    c.pipeline.addAfter('auth', 'sign', async (ctx, next) => {
      ctx.headers.set('x-signature', `sig:${ctx.method}`);
      return next(ctx);
    });
    expect(c.pipeline.names()).toEqual(['build', 'auth', 'sign', 'retry', 'audit', 'send']);
    expect((await c.get<{ token: string; signed: string }>('g')).data).toEqual({
      token: 'lgsp-123',
      signed: 'sig:GET',
    });
  });

  it('logs with personal data masked', async () => {
    const s = await serve({ '/verify': (_q, res) => json(res, 200, {}) });
    const lines: string[] = [];
    const logger = {
      info: (m: string, d?: unknown) => lines.push(`${m} ${JSON.stringify(d)}`),
      warn: () => {},
      error: () => {},
    };
    const c = createHttpClient({ baseUrl: s.url, logger });
    await c.post('verify', {
      json: {
        personalId: '001090000123',
        fullName: 'Nguyễn Văn An',
        phone: '0912345678',
        purpose: 'khai sinh',
      },
    });
    const text = lines.join('\n');
    expect(text).toContain('001******123');
    expect(text).not.toContain('001090000123');
    expect(text).not.toContain('Nguyễn Văn An');
    expect(text).not.toContain('0912345678');
  });
});

describe('masking', () => {
  it('masks ID numbers and phones in text, and sensitive fields whatever they hold', () => {
    expect(maskText('cccd 001090000123, sđt 0912345678')).toBe('cccd 001******123, sđt 091*****678');
    expect(maskForLog({ fullName: 'Nguyễn Văn An', nested: [{ address: 'Thôn 1, Xã Vân Sơn' }] })).toEqual({
      fullName: 'N. V. A.',
      nested: [{ address: 'Thô************Sơn' }],
    });
  });
});

describe('webhooks', () => {
  it('verifies a signed callback; rejects a bad signature, an old one and a replay', async () => {
    const body = JSON.stringify({ event: 'payment.succeeded', reference: '00000192507010001' });
    const header = await signTestPayload(body, 'whsec_test', 1_800_000_000);
    const seen = new Set<string>();
    await expect(
      verifyWebhook({ payload: body, header, secret: 'whsec_test', now: 1_800_000_100, seen }),
    ).resolves.toEqual({ timestamp: 1_800_000_000 });
    await expect(
      verifyWebhook({ payload: body, header, secret: 'whsec_test', now: 1_800_000_100, seen }),
    ).rejects.toMatchObject({ code: 'webhook.replay' });
    await expect(
      verifyWebhook({ payload: `${body} `, header, secret: 'whsec_test', now: 1_800_000_100 }),
    ).rejects.toMatchObject({ code: 'webhook.signature' });
    await expect(
      verifyWebhook({ payload: body, header, secret: 'whsec_test', now: 1_800_001_000 }),
    ).rejects.toMatchObject({ code: 'webhook.timestamp' });
    await expect(
      verifyWebhook({ payload: body, header: undefined, secret: 'whsec_test' }),
    ).rejects.toMatchObject({ code: 'webhook.header' });
  });

  it('retries the OAuth2 token call after a dropped line or a 5xx', async () => {
    const s = await serve({
      '/token': (_q, res, n) => {
        if (n === 1) return void res.destroy();
        if (n === 2) return json(res, 503, {});
        json(res, 200, { access_token: 'tok', expires_in: 300 });
      },
      '/data': (q, res) => json(res, 200, { auth: q.headers.authorization }),
    });
    const c = createHttpClient({
      baseUrl: s.url,
      auth: { type: 'oauth2', tokenUrl: `${s.url}token`, clientId: 'a', clientSecret: 'b' },
    });
    expect((await c.get<{ auth: string }>('data')).data.auth).toBe('Bearer tok');
    expect(c.tokens?.fetches).toBe(3);
  });
});

describe('retryableStatus', () => {
  it('retries timeouts, rate limits and transient server errors, not 501/505 or client errors', () => {
    const retried = [400, 401, 404, 408, 409, 422, 425, 429, 500, 501, 502, 503, 504, 505].filter(
      retryableStatus,
    );
    expect(retried).toEqual([408, 425, 429, 500, 502, 503, 504]);
  });
});
