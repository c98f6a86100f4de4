import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FileOutboxStore } from './node/file-store.js';
import { MemoryOutboxStore } from './outbox.js';
import { outboxStoreSuite } from './testing/outbox-suite.js';

const dir = () => mkdtempSync(join(tmpdir(), 'motcua-outbox-'));

outboxStoreSuite('memory', async () => new MemoryOutboxStore(), { describe, it, expect } as never);
outboxStoreSuite('file', async () => new FileOutboxStore(join(dir(), 'outbox.jsonl')), {
  describe,
  it,
  expect,
} as never);

describe('Outbox concurrency', () => {
  it('delivers several keys at once, each key still in order', async () => {
    const { Outbox } = await import('./outbox.js');
    const seen: string[] = [];
    let inFlight = 0;
    let most = 0;
    const outbox = new Outbox({
      store: new MemoryOutboxStore(),
      concurrency: 3,
      deliver: async (m) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 1 + ((m.payload as { n: number }).n % 3)));
        seen.push(`${m.orderingKey}:${(m.payload as { n: number }).n}`);
        inFlight--;
      },
    });
    let t = 0;
    for (let n = 0; n < 5; n++)
      for (const k of ['A', 'B', 'C']) {
        await outbox.enqueue({ topic: 't', orderingKey: k, payload: { n } });
        t++;
      }
    expect(await outbox.runOnce()).toEqual({ delivered: t, failed: 0, dead: 0 });
    expect(most).toBe(3);
    for (const k of ['A', 'B', 'C'])
      expect(seen.filter((x) => x.startsWith(k))).toEqual([0, 1, 2, 3, 4].map((n) => `${k}:${n}`));
  });
});

describe('Outbox and the circuit breaker', () => {
  it('an open circuit does not use up attempts: the message waits for the line', async () => {
    const { Outbox } = await import('./outbox.js');
    const { HttpError } = await import('./errors.js');
    let now = 0;
    let open = true;
    const store = new MemoryOutboxStore();
    const outbox = new Outbox({
      store,
      maxAttempts: 2,
      now: () => now,
      deliver: async () => {
        if (open) throw new HttpError('http.circuit_open', 0, true, 'r', 'paused', 'tạm dừng');
      },
    });
    const m = await outbox.enqueue({ topic: 't', payload: {} });
    for (let i = 0; i < 5; i++) {
      await outbox.runOnce();
      now += 10_000;
    }
    expect((await store.get(m.id))?.attempts).toBe(0);
    expect((await store.get(m.id))?.status).toBe('pending');
    open = false;
    await outbox.runOnce();
    expect((await store.get(m.id))?.status).toBe('delivered');
  });

  it('also when a client wrapped the open-circuit error (its cause)', async () => {
    const { Outbox } = await import('./outbox.js');
    const { HttpError } = await import('./errors.js');
    let now = 0;
    const store = new MemoryOutboxStore();
    const outbox = new Outbox({
      store,
      maxAttempts: 2,
      now: () => now,
      deliver: async () => {
        throw Object.assign(new Error('civil status unreachable'), {
          code: 'civil_status.unavailable',
          retryable: true,
          cause: new HttpError('http.circuit_open', 0, true, 'r', 'paused', 'tạm dừng'),
        });
      },
    });
    const m = await outbox.enqueue({ topic: 't', payload: {} });
    for (let i = 0; i < 5; i++) {
      await outbox.runOnce();
      now += 10_000;
    }
    expect((await store.get(m.id))?.attempts).toBe(0);
    expect((await store.get(m.id))?.status).toBe('pending');
  });
});

describe('FileOutboxStore durability', () => {
  it('reads its journal back, ignoring a torn last line', async () => {
    const path = join(dir(), 'outbox.jsonl');
    const a = new FileOutboxStore(path);
    await a.append({
      id: 'm1',
      key: 'k1',
      topic: 't',
      payload: { x: 1 },
      createdAt: 1,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 1,
    });
    await a.update('m1', { status: 'delivered', attempts: 1 });
    a.close();
    writeFileSync(path, '{"op":"append","id":"m2","mess', { flag: 'a' });
    const b = new FileOutboxStore(path);
    expect((await b.list()).map((m) => [m.id, m.status])).toEqual([['m1', 'delivered']]);
    // What is written after the torn line is not glued to it.
    await b.update('m1', { attempts: 2 });
    b.close();
    const c = new FileOutboxStore(path);
    expect((await c.get('m1'))?.attempts).toBe(2);
    c.close();
  });

  it('keeps every acknowledged message after kill -9', async () => {
    const work = dir();
    const path = join(work, 'outbox.jsonl');
    const child = join(work, 'writer.mjs');
    await build({
      stdin: {
        contents: `import { FileOutboxStore } from ${JSON.stringify(new URL('./node/file-store.ts', import.meta.url).pathname)};
const s = new FileOutboxStore(process.argv[2]);
// Eight writers at a time, so acknowledged messages also come from shared (group-committed) flushes.
for (let i = 0; ; i += 8) {
  await Promise.all(Array.from({ length: 8 }, async (_, j) => {
    const n = i + j;
    await s.append({ id: 'm' + n, key: 'k' + n, topic: 't', payload: { n, pad: 'x'.repeat(200) }, createdAt: n, status: 'pending', attempts: 0, nextAttemptAt: n });
    process.stdout.write('acked m' + n + '\\n');
  }));
}`,
        resolveDir: work,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: child,
      external: ['node:*'],
    });
    const acked = await new Promise<string[]>((resolve) => {
      const p = spawn(process.execPath, [child, path]);
      const seen: string[] = [];
      let buf = '';
      p.stdout.on('data', (d) => {
        buf += d;
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) seen.push(l.slice('acked '.length));
        if (seen.length >= 200) p.kill('SIGKILL');
      });
      p.on('exit', () => resolve(seen));
    });
    expect(acked.length).toBeGreaterThanOrEqual(200);
    const store = new FileOutboxStore(path);
    const ids = new Set((await store.list()).map((m) => m.id));
    expect(acked.every((id) => ids.has(id))).toBe(true);
    store.close();
  }, 30_000);

  it('flushes writes that arrive together once, and each caller waits for its flush', async () => {
    const path = join(dir(), 'outbox.jsonl');
    const a = new FileOutboxStore(path);
    const before = a.flushes;
    await Promise.all(Array.from({ length: 100 }, (_, i) => a.append(message(`g${i}`))));
    expect(a.flushes - before).toBe(1);
    await a.append(message('g100'));
    expect(a.flushes - before).toBe(2);
    a.close();
    const b = new FileOutboxStore(path);
    expect((await b.list()).length).toBe(101);
    b.close();
  });

  it('writes what was queued before closing, and refuses writes after, keeping nothing unwritten', async () => {
    const path = join(dir(), 'outbox.jsonl');
    const a = new FileOutboxStore(path);
    const queued = a.append(message('queued'));
    a.close();
    await queued;
    await expect(a.append(message('late'))).rejects.toMatchObject({ code: 'outbox.closed' });
    expect(await a.get('late')).toBeUndefined();
    a.close(); // twice is harmless
    const b = new FileOutboxStore(path);
    expect((await b.list()).map((m) => m.id)).toEqual(['queued']);
    b.close();
  });
});

function message(id: string) {
  return {
    id,
    key: `k-${id}`,
    topic: 't',
    payload: { id },
    createdAt: 1,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: 1,
  };
}
