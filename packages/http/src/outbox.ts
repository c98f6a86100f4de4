import { MotcuaError } from '@motcua/core';

/** A message waiting to go out (a registration, a status to the Portal, a notice…). */
export interface OutboxMessage {
  id: string;
  /** Idempotency key sent with every delivery attempt: a receiver that honours it applies it once. */
  key: string;
  topic: string;
  /** Messages with the same ordering key (a dossier code) are delivered one at a time, in order. */
  orderingKey?: string;
  payload: unknown;
  createdAt: number;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  deliveredAt?: number;
}

/**
 * Where the outbox keeps its messages. Implementations: {@link MemoryOutboxStore} here,
 * `FileOutboxStore` in `@motcua/http/node`, the database store in `@motcua/store`; all pass the suite
 * exported from `@motcua/http/testing`.
 */
export interface OutboxStore {
  append(message: OutboxMessage): Promise<void>;
  update(id: string, patch: Partial<OutboxMessage>): Promise<void>;
  get(id: string): Promise<OutboxMessage | undefined>;
  /** Every message, oldest first. */
  list(): Promise<OutboxMessage[]>;
  /**
   * Optional, for stores shared by several workers (a database): claims up to `limit` due messages for
   * `leaseMs`, only the oldest pending of each ordering key. When present, the outbox uses it instead of
   * `list`.
   */
  claimDue?(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
}

/**
 * Messages in memory (tests, and apps that accept losing them on restart).
 *
 * @example
 * ```ts
 * import { MemoryOutboxStore, Outbox } from '@motcua/http';
 * const store = new MemoryOutboxStore();
 * const outbox = new Outbox({ store, deliver: async (m) => send(m.payload) });
 * await outbox.enqueue({ topic: 'portal.status', orderingKey: 'D1', payload: { dossierCode: 'D1', status: 'resolved' } });
 * await outbox.runOnce(); // { delivered: 1, failed: 0, dead: 0 }
 * (await store.list()).map((m) => m.status); // ['delivered']
 * ```
 */
export class MemoryOutboxStore implements OutboxStore {
  readonly #messages = new Map<string, OutboxMessage>();
  async append(message: OutboxMessage): Promise<void> {
    if (this.#messages.has(message.id))
      throw new MotcuaError('outbox.duplicate', `message ${message.id} already exists`, {
        vi: `tin ${message.id} đã tồn tại`,
      });
    this.#messages.set(message.id, structuredClone(message));
  }
  async update(id: string, patch: Partial<OutboxMessage>): Promise<void> {
    const m = this.#messages.get(id);
    if (!m) throw new MotcuaError('outbox.not_found', `no message ${id}`, { vi: `không có tin ${id}` });
    this.#messages.set(id, { ...m, ...structuredClone(patch) });
  }
  async get(id: string): Promise<OutboxMessage | undefined> {
    const m = this.#messages.get(id);
    return m ? structuredClone(m) : undefined;
  }
  async list(): Promise<OutboxMessage[]> {
    return [...this.#messages.values()]
      .map((m) => structuredClone(m))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }
}

let sequence = 0;

/** Whether a failure is an open circuit breaker, also when a client wrapped it (its `cause`). */
function circuitOpen(e: unknown): boolean {
  for (let x = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++)
    if ((x as { code?: unknown }).code === 'http.circuit_open') return true;
  return false;
}

/** What a caller puts in the outbox. */
export interface OutboxInput {
  topic: string;
  payload: unknown;
  /** Messages with the same ordering key (a dossier) are delivered one at a time, in order. */
  orderingKey?: string;
  /** The idempotency key the receiver sees. Default: the message ID. */
  key?: string;
}

/**
 * A new pending message with a sortable ID (time, then a per-process sequence: messages of the same
 * millisecond keep their order), for stores that write messages themselves inside a transaction.
 *
 * @example
 * ```ts
 * const m = newOutboxMessage({ topic: 'portal.status', orderingKey: code, payload }, Date.now());
 * await DatabaseOutboxStore.appendIn(tx, m);
 * ```
 */
export function newOutboxMessage(input: OutboxInput, now: number): OutboxMessage {
  const id = `${now.toString(16).padStart(12, '0')}-${(sequence++).toString(16).padStart(8, '0')}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
  return {
    id,
    key: input.key ?? id,
    topic: input.topic,
    payload: input.payload,
    createdAt: now,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    ...(input.orderingKey !== undefined ? { orderingKey: input.orderingKey } : {}),
  };
}

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  store: OutboxStore;
  /** Delivers one message; throws to have it retried. Receives the idempotency key in `message.key`. */
  deliver: (message: OutboxMessage) => Promise<void>;
  /** Attempts before a message is dead-lettered. Default 8. */
  maxAttempts?: number;
  /** First backoff, ms. Default 1,000. */
  baseDelayMs?: number;
  /** Backoff cap, ms. Default 15 minutes (an uncapped delay reaches hours). */
  maxDelayMs?: number;
  /**
   * Whether a failure is final, so the message is dead-lettered at once instead of retried (a refusal for a
   * rule will not change). Default: errors with `retryable === false` (`HttpError`, the clients' errors).
   */
  isPermanent?: (error: unknown) => boolean;
  /** Messages delivered at once (of different ordering keys). Default 1. */
  concurrency?: number;
  /** With a store that claims (`claimDue`): messages claimed per run, and the lease. Defaults 100, 60 s. */
  batchSize?: number;
  leaseMs?: number;
  now?: () => number;
  random?: () => number;
}

/**
 * The durable outbox: enqueue in the same step as the change that caused it, deliver at least once with an
 * idempotency key per message, in order per ordering key, with capped exponential backoff (full jitter),
 * dead-letter after the last attempt with its reason, resend by hand.
 *
 * @example
 * ```ts
 * const outbox = new Outbox({ store: new MemoryOutboxStore(), deliver: (m) => portal.pushStatus(m.payload, { idempotencyKey: m.key }) });
 * await outbox.enqueue({ topic: 'portal.status', orderingKey: dossierCode, payload: { dossierCode, status: 'resolved' } });
 * await outbox.runOnce(); // in a loop or a timer
 * ```
 */
export class Outbox {
  readonly #o: Required<Omit<OutboxOptions, 'store' | 'deliver'>> & Pick<OutboxOptions, 'store' | 'deliver'>;
  #running = false;

  constructor(options: OutboxOptions) {
    this.#o = {
      maxAttempts: 8,
      baseDelayMs: 1000,
      maxDelayMs: 15 * 60_000,
      concurrency: 1,
      batchSize: 100,
      leaseMs: 60_000,
      isPermanent: (e: unknown) => (e as { retryable?: unknown } | null)?.retryable === false,
      now: Date.now,
      random: Math.random,
      ...options,
    };
  }

  async enqueue(input: OutboxInput): Promise<OutboxMessage> {
    const m = newOutboxMessage(input, this.#o.now());
    await this.#o.store.append(m);
    return m;
  }

  /**
   * Delivers every message due now: oldest first, one at a time per ordering key (a later message of a key
   * waits until the earlier one is delivered or dead), up to `concurrency` keys at once.
   */
  async runOnce(): Promise<{ delivered: number; failed: number; dead: number }> {
    if (this.#running) return { delivered: 0, failed: 0, dead: 0 };
    this.#running = true;
    try {
      const now = this.#o.now();
      const claim = this.#o.store.claimDue?.bind(this.#o.store);
      const pending = claim
        ? await claim(now, this.#o.batchSize, this.#o.leaseMs)
        : (await this.#o.store.list()).filter((m) => m.status === 'pending');
      // Per ordering key, the messages in order; a message without a key is its own lane.
      const lanes = new Map<string, OutboxMessage[]>();
      for (const m of pending) {
        const lane = m.orderingKey !== undefined ? `k:${m.orderingKey}` : `m:${m.id}`;
        const list = lanes.get(lane);
        if (list) list.push(m);
        else lanes.set(lane, [m]);
      }
      const out = { delivered: 0, failed: 0, dead: 0 };
      const queue = [...lanes.values()];
      const work = async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (const m of lane) {
            if (m.nextAttemptAt > now) break; // the head of the lane waits: so do the ones after it
            const result = await this.#attempt(m);
            out[result]++;
            if (result === 'failed') break;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, this.#o.concurrency) }, work));
      return out;
    } finally {
      this.#running = false;
    }
  }

  async #attempt(m: OutboxMessage): Promise<'delivered' | 'failed' | 'dead'> {
    const attempts = m.attempts + 1;
    try {
      await this.#o.deliver(m);
    } catch (e) {
      const reason =
        e instanceof Error
          ? `${(e as { code?: string }).code ?? e.name}: ${e.message}`.slice(0, 300)
          : String(e).slice(0, 300);
      if (circuitOpen(e)) {
        // The line is known to be down (the breaker is open): wait without using up an attempt.
        await this.#o.store.update(m.id, {
          lastError: reason,
          nextAttemptAt: Math.round(this.#o.now() + Math.min(this.#o.maxDelayMs, 5000)),
        });
        return 'failed';
      }
      if (attempts >= this.#o.maxAttempts || this.#o.isPermanent(e)) {
        // A dead message does not block the next one of its key forever: the officer sees it in `stats`.
        await this.#o.store.update(m.id, { status: 'dead', attempts, lastError: reason });
        return 'dead';
      }
      const delay =
        this.#o.random() * Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** (attempts - 1));
      await this.#o.store.update(m.id, {
        attempts,
        lastError: reason,
        nextAttemptAt: Math.round(this.#o.now() + delay),
      });
      return 'failed';
    }
    await this.#o.store.update(m.id, { status: 'delivered', attempts, deliveredAt: this.#o.now() });
    return 'delivered';
  }

  /** Puts a dead message back in the queue (by hand, after fixing the cause). */
  async resend(id: string): Promise<void> {
    const m = await this.#o.store.get(id);
    if (m?.status !== 'dead')
      throw new MotcuaError('outbox.not_dead', `message ${id} is not dead-lettered`, {
        vi: `tin ${id} không nằm trong hàng lỗi`,
      });
    await this.#o.store.update(id, { status: 'pending', attempts: 0, nextAttemptAt: this.#o.now() });
  }

  /** Figures for a dashboard: pending, age of the oldest pending, delivered, dead. */
  async stats(): Promise<{ pending: number; oldestPendingAgeMs: number; delivered: number; dead: number }> {
    const all = await this.#o.store.list();
    const pending = all.filter((m) => m.status === 'pending');
    return {
      pending: pending.length,
      oldestPendingAgeMs: pending.length ? this.#o.now() - Math.min(...pending.map((m) => m.createdAt)) : 0,
      delivered: all.filter((m) => m.status === 'delivered').length,
      dead: all.filter((m) => m.status === 'dead').length,
    };
  }
}
