import { MotcuaError } from '@motcua/core';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The shape `@motcua/signature`'s `PendingSignatureStore` keeps (an operation ID and a status, and more). */
export interface PendingRecord {
  operationId: string;
  status: string;
  [field: string]: unknown;
}

const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * Pending remote signatures in the database (`PendingSignatureStore` of `@motcua/signature`): a signature that
 * the officer confirms on the phone after a restart, or on another process, is still embedded.
 *
 * @example
 * ```ts
 * import { DatabasePendingSignatureStore } from '@motcua/store';
 * const pending = new DatabasePendingSignatureStore(store.db);
 * ```
 */
export class DatabasePendingSignatureStore<R extends PendingRecord = PendingRecord> {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  async put(record: R): Promise<void> {
    const row = {
      operation_id: record.operationId,
      status: record.status,
      record: JSON.stringify(record),
      updated_at: new Date(),
    };
    await this.#db
      .insertInto('pending_signatures')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('operation_id')
          .doUpdateSet({ status: row.status, record: row.record, updated_at: row.updated_at }),
      )
      .execute();
  }
  async get(operationId: string): Promise<R | undefined> {
    const r = await this.#db
      .selectFrom('pending_signatures')
      .select('record')
      .where('operation_id', '=', operationId)
      .executeTakeFirst();
    return r ? parse<R>(r.record) : undefined;
  }
  async update(operationId: string, patch: Partial<R>): Promise<R> {
    return this.#db.transaction().execute(async (tx) => {
      const r = await tx
        .selectFrom('pending_signatures')
        .select('record')
        .where('operation_id', '=', operationId)
        .forUpdate()
        .executeTakeFirst();
      if (!r)
        throw new MotcuaError('signature.operation_unknown', 'No pending signature with this operation ID.', {
          vi: 'Không có yêu cầu ký đang chờ với mã này.',
        });
      const next = { ...parse<R>(r.record), ...patch };
      await tx
        .updateTable('pending_signatures')
        .set({ status: next.status, record: JSON.stringify(next), updated_at: new Date() })
        .where('operation_id', '=', operationId)
        .execute();
      return next;
    });
  }
  async list(status?: string): Promise<R[]> {
    let q = this.#db.selectFrom('pending_signatures').select('record');
    if (status) q = q.where('status', '=', status);
    return (await q.orderBy('updated_at').execute()).map((r) => parse<R>(r.record));
  }
}
