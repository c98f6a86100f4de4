import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect for PGlite (PostgreSQL compiled to WebAssembly, embedded). PGlite is one session, so the
 * driver hands it to one Kysely connection at a time: a transaction holds it until it commits, and other
 * queries wait their turn (the embedded store is for one process; production runs on PostgreSQL).
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { Kysely, sql } from 'kysely';
 * import { PGliteDialect } from '@motcua/store';
 * const db = new Kysely<unknown>({ dialect: new PGliteDialect(new PGlite()) }); // in memory; new PGlite(dir) on disk
 * (await sql<{ n: number }>`select 1 + 1 as n`.execute(db)).rows; // [{ n: 2 }]
 * await db.destroy();
 * ```
 */
export class PGliteDialect implements Dialect {
  readonly #db: PGlite;
  constructor(db: PGlite) {
    this.#db = db;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#db);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

const WRITE = /^\s*(insert|update|delete|merge)\b/i;

class PGliteConnection implements DatabaseConnection {
  readonly #db: PGlite;
  constructor(db: PGlite) {
    this.#db = db;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (query.parameters.length === 0) {
      // Without parameters, a script of several statements (migrations) runs in the simple protocol.
      const all = await this.#db.exec(query.sql);
      const last = all.at(-1);
      return {
        rows: (last?.rows ?? []) as R[],
        ...(WRITE.test(query.sql) && last?.affectedRows !== undefined
          ? { numAffectedRows: BigInt(last.affectedRows) }
          : {}),
      };
    }
    const r = await this.#db.query<R>(query.sql, [...query.parameters]);
    return {
      rows: r.rows,
      ...(WRITE.test(query.sql) && r.affectedRows !== undefined
        ? { numAffectedRows: BigInt(r.affectedRows) }
        : {}),
    };
  }
  // biome-ignore lint/correctness/useYield: streaming is not offered by the embedded store
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect: streaming queries are not supported');
  }
}

class PGliteDriver implements Driver {
  readonly #db: PGlite;
  #queue: Promise<void> = Promise.resolve();
  readonly #releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(db: PGlite) {
    this.#db = db;
  }
  async init() {
    await this.#db.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const before = this.#queue;
    this.#queue = before.then(() => mine);
    await before;
    // One session, handed to one holder at a time.
    const holder = new PGliteConnection(this.#db);
    this.#releases.set(holder, release);
    return holder;
  }
  async beginTransaction(conn: DatabaseConnection) {
    await conn.executeQuery({ sql: 'begin', parameters: [], query: { kind: 'RawNode' } } as never);
  }
  async commitTransaction(conn: DatabaseConnection) {
    await conn.executeQuery({ sql: 'commit', parameters: [], query: { kind: 'RawNode' } } as never);
  }
  async rollbackTransaction(conn: DatabaseConnection) {
    await conn.executeQuery({ sql: 'rollback', parameters: [], query: { kind: 'RawNode' } } as never);
  }
  async releaseConnection(conn: DatabaseConnection) {
    this.#releases.get(conn)?.();
  }
  async destroy() {
    await this.#db.close();
  }
}
