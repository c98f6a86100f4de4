import { describe, expect, it } from 'vitest';
import { json, noSleep, serverPerTest } from '../test/server.js';
import { createHttpClient } from './client.js';
import { HttpError } from './errors.js';
import { MemoryOutboxStore, Outbox } from './outbox.js';

const serve = serverPerTest();

describe('OAuth2 tokens that live less than the refresh skew', () => {
  it('a 1-second token is reused, then refreshed before it expires (not fetched for every call)', async () => {
    const issued = new Map<string, number>();
    const s = await serve({
      '/token': (_q, res) => {
        const token = `t${issued.size + 1}`;
        issued.set(token, Date.now());
        json(res, 200, { access_token: token, expires_in: 1 });
      },
      '/data': (q, res) => {
        const at = issued.get(String(q.headers.authorization).replace('Bearer ', ''));
        // The gateway refuses an expired token: the client must never send one.
        if (at === undefined || Date.now() - at >= 1000) return json(res, 401, { code: 'token.expired' });
        json(res, 200, {});
      },
    });
    const c = createHttpClient({
      baseUrl: s.url,
      auth: { type: 'oauth2', tokenUrl: `${s.url}token`, clientId: 'a', clientSecret: 'b' },
      retry: false,
    });
    await c.get('data');
    await c.get('data');
    expect(c.tokens?.fetches).toBe(1); // the default 60 s skew would have made each call fetch one
    await new Promise((r) => setTimeout(r, 600)); // past half the lifetime, before the end
    await c.get('data');
    expect(c.tokens?.fetches).toBe(2);
    expect(s.seen.filter((x) => x.url === '/data').length).toBe(3); // no 401, no second try
  });
});

describe('retries only for idempotent methods or calls with a key', () => {
  it('a POST without an idempotency key is sent once; a PUT is retried', async () => {
    const s = await serve({ '/w': (_q, res) => json(res, 503, {}) });
    const c = createHttpClient({ baseUrl: s.url, retry: { limit: 3 }, circuit: false, ...noSleep });
    // A province's own build step that adds no key (the default one keys every write).
    c.pipeline.replace('build', (ctx, next) => {
      ctx.headers.set('x-request-id', ctx.requestId);
      if (ctx.json !== undefined) ctx.headers.set('content-type', 'application/json');
      return next(ctx);
    });
    const e = await c.post('w', { json: { a: 1 } }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'http.status_503', retryable: true });
    expect(s.seen).toHaveLength(1);
    expect(s.seen[0]?.headers['idempotency-key']).toBeUndefined();
    await c.put('w', { json: { a: 1 } }).catch(() => undefined);
    expect(s.seen).toHaveLength(1 + 4);
    await c.post('w', { json: { a: 1 }, idempotencyKey: 'k-1' }).catch(() => undefined);
    expect(s.seen).toHaveLength(1 + 4 + 4);
  });
});

describe('the overall deadline', () => {
  it('cuts an attempt whose own timeout is longer than the time left', async () => {
    const s = await serve({ '/hang': (_q, res) => void setTimeout(() => json(res, 200, {}), 3000) });
    const c = createHttpClient({ baseUrl: s.url, timeoutMs: 10_000, deadlineMs: 200, ...noSleep });
    const started = Date.now();
    const e = await c.get('hang').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the circuit breaker in half-open', () => {
  it('lets exactly one probe through while others fail fast, then closes', async () => {
    let up = false;
    const s = await serve({
      '/x': (_q, res) => (up ? void setTimeout(() => json(res, 200, { ok: 1 }), 150) : json(res, 500, {})),
    });
    const c = createHttpClient({ baseUrl: s.url, retry: false, circuit: { failures: 1, resetMs: 50 } });
    await expect(c.get('x')).rejects.toMatchObject({ code: 'http.status_500' });
    await expect(c.get('x')).rejects.toMatchObject({ code: 'http.circuit_open' });
    up = true;
    await new Promise((r) => setTimeout(r, 70));
    const results = await Promise.allSettled([c.get('x'), c.get('x'), c.get('x')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'rejected' && (r.reason as HttpError).code === 'http.circuit_open'),
    ).toHaveLength(2);
    expect(s.seen).toHaveLength(2); // the first failure and the one probe
    expect(c.circuit?.state(new URL(s.url).host)).toBe('closed');
  });
});

describe('Outbox backoff and figures', () => {
  it('doubles the delay up to the cap, reports the oldest pending age, dead-letters after the last attempt', async () => {
    let now = 0;
    const store = new MemoryOutboxStore();
    const outbox = new Outbox({
      store,
      now: () => now,
      random: () => 1,
      baseDelayMs: 1000,
      maxDelayMs: 5000,
      maxAttempts: 7,
      deliver: async () => {
        throw new HttpError('http.status_503', 503, true, 'r', 'down', 'lỗi');
      },
    });
    const m = await outbox.enqueue({ topic: 't', orderingKey: 'HS-1', payload: {} });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await outbox.runOnce();
      const after = (await store.get(m.id))!;
      delays.push(after.nextAttemptAt - now);
      now = after.nextAttemptAt;
    }
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
    expect(await outbox.stats()).toEqual({ pending: 1, oldestPendingAgeMs: 22_000, delivered: 0, dead: 0 });
    await outbox.runOnce();
    const dead = (await store.get(m.id))!;
    expect(dead).toMatchObject({ status: 'dead', attempts: 7 });
    expect(dead.lastError).toContain('http.status_503');
    expect(await outbox.stats()).toEqual({ pending: 0, oldestPendingAgeMs: 0, delivered: 0, dead: 1 });
  });
});
