import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { admission } from './admission.js';

/** An app whose guarded route holds its turn until told to finish, counting how many run at once. */
function harness(concurrency: number, maxWaitMs: number) {
  const app = new Hono();
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const finishers = new Map<number, (fail?: boolean) => void>();
  app.use('/w/*', async (c, next) => {
    c.header('x-request-id', `r-${c.req.param('n' as never) ?? ''}`);
    await next();
  });
  app.post('/w/:n', admission({ concurrency, maxWaitMs }), async (c) => {
    const n = Number(c.req.param('n'));
    running++;
    most = Math.max(most, running);
    started.push(n);
    try {
      await new Promise<void>((resolve, reject) =>
        finishers.set(n, (fail) => (fail ? reject(new Error('boom')) : resolve())),
      );
    } finally {
      running--;
    }
    return c.json({ n });
  });
  app.onError((e, c) => c.json({ error: e.message }, 500));
  const send = (n: number) => app.request(`/w/${n}`, { method: 'POST' });
  const until = async (f: () => boolean) => {
    for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(f()).toBe(true);
  };
  return { send, finishers, started, until, most: () => most, running: () => running };
}

describe('admission of the heavy writes', () => {
  it('runs at most `concurrency` at once, admits the others in arrival order, and passes a failed one’s turn on', async () => {
    const h = harness(2, 5_000);
    const answers = [1, 2, 3, 4, 5].map((n) => h.send(n));
    await h.until(() => h.started.length === 2);
    expect(h.started).toEqual([1, 2]);
    h.finishers.get(2)!(true); // a write that fails still gives its turn back
    await h.until(() => h.started.length === 3);
    h.finishers.get(1)!();
    await h.until(() => h.started.length === 4);
    h.finishers.get(3)!();
    await h.until(() => h.started.length === 5);
    h.finishers.get(4)!();
    h.finishers.get(5)!();
    const statuses = await Promise.all(answers.map(async (r) => (await r).status));
    expect(statuses).toEqual([200, 500, 200, 200, 200]);
    expect(h.started).toEqual([1, 2, 3, 4, 5]);
    expect(h.most()).toBe(2);
    // All turns given back: two run at once again.
    const again = [6, 7].map((n) => h.send(n));
    await h.until(() => h.running() === 2);
    h.finishers.get(6)!();
    h.finishers.get(7)!();
    expect((await Promise.all(again)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('a write that waited too long is answered 503 busy with Retry-After, in both languages, and leaves the queue', async () => {
    const h = harness(1, 50);
    const first = h.send(1);
    await h.until(() => h.started.length === 1);
    const late = await h.send(2);
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('1');
    expect(late.headers.get('x-request-id')).toBe('r-');
    const body = (await late.json()) as { code: string; detail: { en: string; vi: string } };
    expect(body.code).toBe('busy');
    expect(body.detail.en).toMatch(/nothing was saved/);
    expect(body.detail.vi).toMatch(/chưa có gì được lưu/);
    expect(h.started).toEqual([1]); // never ran
    h.finishers.get(1)!();
    expect((await first).status).toBe(200);
    // The timed-out one did not keep a place: the next write runs at once.
    const next = h.send(3);
    await h.until(() => h.started.length === 2);
    h.finishers.get(3)!();
    expect((await next).status).toBe(200);
  });

  it('0 lets every write in', async () => {
    const h = harness(0, 50);
    const answers = [1, 2, 3, 4].map((n) => h.send(n));
    await h.until(() => h.running() === 4);
    for (const n of [1, 2, 3, 4]) h.finishers.get(n)!();
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});
