import { MotcuaError } from '@motcua/core';
import type { OutboxMessage, OutboxStore } from '@motcua/http';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, OutboxTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;
type Row = { [K in keyof OutboxTable]: unknown };

const toRow = (m: OutboxMessage) => ({
  id: m.id,
  key: m.key,
  topic: m.topic,
  ordering_key: m.orderingKey ?? null,
  payload: JSON.stringify(m.payload ?? null),
  created_at: Math.round(m.createdAt),
  status: m.status,
  attempts: m.attempts,
  next_attempt_at: Math.round(m.nextAttemptAt),
  last_error: m.lastError ?? null,
  delivered_at: m.deliveredAt ?? null,
  locked_until: null,
});

const fromRow = (r: Row): OutboxMessage => ({
  id: r.id as string,
  key: r.key as string,
  topic: r.topic as string,
  ...(r.ordering_key !== null ? { orderingKey: r.ordering_key as string } : {}),
  payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
  createdAt: Number(r.created_at),
  status: r.status as OutboxMessage['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  ...(r.last_error !== null ? { lastError: r.last_error as string } : {}),
  ...(r.delivered_at !== null ? { deliveredAt: Number(r.delivered_at) } : {}),
});

const PATCH_COLUMNS: Record<string, keyof OutboxTable> = {
  key: 'key',
  topic: 'topic',
  orderingKey: 'ordering_key',
  payload: 'payload',
  createdAt: 'created_at',
  status: 'status',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
  deliveredAt: 'delivered_at',
};

/**
 * The outbox in the database (the transactional outbox): a message is written with {@link appendIn} in the
 * same transaction as the dossier change that caused it, so the change and its message commit or vanish
 * together. Workers claim due messages with `FOR UPDATE SKIP LOCKED` and a lease, only the head of each
 * ordering key (a dossier's messages stay in order however many processes share the work). Passes the
 * conformance suite of `@motcua/http/testing`.
 *
 * @example
 * ```ts
 * import { Outbox } from '@motcua/http';
 * const outbox = new Outbox({ store: new DatabaseOutboxStore(store.db), deliver, concurrency: 8 });
 * ```
 */
export class DatabaseOutboxStore implements OutboxStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Writes a message inside the caller's transaction. */
  static async appendIn(db: Db, message: OutboxMessage): Promise<void> {
    await db.insertInto('outbox').values(toRow(message)).execute();
  }

  /** Several messages in one statement (none: nothing is sent to the database). */
  static async appendManyIn(db: Db, messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length > 0) await db.insertInto('outbox').values(messages.map(toRow)).execute();
  }

  async append(message: OutboxMessage): Promise<void> {
    try {
      await DatabaseOutboxStore.appendIn(this.#db, message);
    } catch (e) {
      if (await this.get(message.id))
        throw new MotcuaError('outbox.duplicate', `message ${message.id} already exists`, {
          vi: `tin ${message.id} đã tồn tại`,
        });
      throw e;
    }
  }

  async update(id: string, patch: Partial<OutboxMessage>): Promise<void> {
    const set: Record<string, unknown> = { locked_until: null };
    for (const [k, v] of Object.entries(patch)) {
      const col = PATCH_COLUMNS[k];
      if (col)
        set[col] =
          k === 'payload' ? JSON.stringify(v ?? null) : typeof v === 'number' ? Math.round(v) : (v ?? null);
    }
    const r = await this.#db.updateTable('outbox').set(set).where('id', '=', id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new MotcuaError('outbox.not_found', `no message ${id}`, { vi: `không có tin ${id}` });
  }

  async get(id: string): Promise<OutboxMessage | undefined> {
    const r = await this.#db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? fromRow(r) : undefined;
  }

  async list(): Promise<OutboxMessage[]> {
    const rows = await this.#db
      .selectFrom('outbox')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Claims up to `limit` due messages for this worker for `leaseMs`: pending, due, not leased by another
   * worker, and the oldest pending of their ordering key. A crashed worker's lease expires and another
   * takes the message over (delivery is at least once; the idempotency key makes it once at the receiver).
   */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const rows = await sql<Row>`
      update outbox set locked_until = ${now + leaseMs}
      where id in (
        select o.id from outbox o
        where o.status = 'pending' and o.next_attempt_at <= ${now}
          and (o.locked_until is null or o.locked_until < ${now})
          and (o.ordering_key is null or not exists (
            select 1 from outbox p
            where p.ordering_key = o.ordering_key and p.status = 'pending'
              and (p.created_at < o.created_at or (p.created_at = o.created_at and p.id < o.id))
          ))
        order by o.created_at, o.id
        limit ${limit}
        for update skip locked
      )
      returning *`.execute(this.#db);
    return rows.rows.map(fromRow).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /** Figures per topic for the integration-health panel. */
  async health(now: number) {
    const rows = await this.#db
      .selectFrom('outbox')
      .select([
        'topic',
        sql<number>`count(*) filter (where status = 'pending')::int`.as('pending'),
        sql<number>`count(*) filter (where status = 'dead')::int`.as('dead'),
        sql<number>`count(*) filter (where status = 'delivered')::int`.as('delivered'),
        sql<string | null>`min(created_at) filter (where status = 'pending')`.as('oldest'),
        sql<string | null>`max(delivered_at)`.as('last_success'),
      ])
      .groupBy('topic')
      .orderBy('topic')
      .execute();
    return rows.map((r) => ({
      topic: r.topic,
      pending: Number(r.pending),
      dead: Number(r.dead),
      delivered: Number(r.delivered),
      oldestPendingAgeMs: r.oldest === null ? 0 : now - Number(r.oldest),
      lastSuccessAt: r.last_success === null ? null : new Date(Number(r.last_success)).toISOString(),
    }));
  }

  /** Dead letters with their reasons, newest first. */
  async deadLetters(limit = 100): Promise<OutboxMessage[]> {
    const rows = await this.#db
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'dead')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }
}
