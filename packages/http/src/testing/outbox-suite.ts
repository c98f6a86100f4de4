import type { OutboxMessage, OutboxStore } from '../outbox.js';
import { Outbox } from '../outbox.js';

/** The test functions of the runner (vitest or jest), passed in so the suite depends on neither. */
export interface SuiteApi {
  describe: (name: string, fn: () => void) => void;
  it: (name: string, fn: () => Promise<void>) => void;
  expect: (value: unknown) => {
    toBe(v: unknown): void;
    toEqual(v: unknown): void;
    toHaveLength(n: number): void;
  };
}

const msg = (id: string, createdAt: number, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  id,
  key: `k-${id}`,
  topic: 't',
  payload: { id },
  createdAt,
  status: 'pending',
  attempts: 0,
  nextAttemptAt: createdAt,
  ...extra,
});

/**
 * The suite every {@link OutboxStore} must pass (the memory, file and database stores share it).
 *
 * @example
 * ```ts
 * import { describe, it, expect } from 'vitest';
 * import { outboxStoreSuite } from '@motcua/http/testing';
 * outboxStoreSuite('my store', async () => new MyStore(), { describe, it, expect });
 * ```
 */
export function outboxStoreSuite(
  name: string,
  makeStore: () => Promise<OutboxStore>,
  { describe, it, expect }: SuiteApi,
): void {
  describe(`OutboxStore conformance: ${name}`, () => {
    it('appends, gets, updates and lists oldest first', async () => {
      const s = await makeStore();
      await s.append(msg('b', 2));
      await s.append(msg('a', 1));
      await s.update('a', { status: 'delivered', attempts: 1 });
      expect((await s.get('a'))?.status).toBe('delivered');
      expect((await s.list()).map((m) => m.id)).toEqual(['a', 'b']);
      expect(await s.get('zzz')).toBe(undefined);
    });
    it('refuses a duplicate id and an update of an unknown one', async () => {
      const s = await makeStore();
      await s.append(msg('a', 1));
      let dup = false;
      await s.append(msg('a', 1)).catch(() => {
        dup = true;
      });
      expect(dup).toBe(true);
      let missing = false;
      await s.update('nope', { attempts: 1 }).catch(() => {
        missing = true;
      });
      expect(missing).toBe(true);
    });
    it('returns copies: changing a result changes nothing stored', async () => {
      const s = await makeStore();
      await s.append(msg('a', 1));
      const got = (await s.get('a'))!;
      got.status = 'dead';
      expect((await s.get('a'))?.status).toBe('pending');
    });
    it('delivers at least once, in order per ordering key, and dead-letters after the last attempt', async () => {
      const s = await makeStore();
      let now = 1000;
      const seen: string[] = [];
      let failFirst = true;
      const outbox = new Outbox({
        store: s,
        now: () => now,
        random: () => 1,
        maxAttempts: 3,
        baseDelayMs: 10,
        deliver: async (m) => {
          if ((m.payload as { n: number }).n === 1 && failFirst) {
            failFirst = false;
            throw new Error('line down');
          }
          if ((m.payload as { n: number }).n === 9) throw new Error('always fails');
          seen.push(`${m.orderingKey}:${(m.payload as { n: number }).n}`);
        },
      });
      await outbox.enqueue({ topic: 't', orderingKey: 'D1', payload: { n: 1 } });
      now += 1;
      await outbox.enqueue({ topic: 't', orderingKey: 'D1', payload: { n: 2 } });
      now += 1;
      await outbox.enqueue({ topic: 't', orderingKey: 'D2', payload: { n: 9 } });
      for (let i = 0; i < 6; i++) {
        await outbox.runOnce();
        now += 100;
      }
      expect(seen).toEqual(['D1:1', 'D1:2']);
      const stats = await outbox.stats();
      expect([stats.pending, stats.delivered, stats.dead]).toEqual([0, 2, 1]);
      const dead = (await s.list()).find((m) => m.status === 'dead')!;
      expect(dead.lastError).toBe('Error: always fails');
      await outbox.resend(dead.id);
      expect((await outbox.stats()).pending).toBe(1);
    });
  });
}
