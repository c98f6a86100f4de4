import { createHash } from 'node:crypto';

/** How many distinct statements one connection keeps prepared (PostgreSQL holds each in its memory). */
export const PREPARED_STATEMENTS_PER_CONNECTION = 500;

/** The part of a node-postgres client this module uses. */
export interface PgClient {
  query(...args: unknown[]): unknown;
}

/**
 * Makes a node-postgres connection prepare each parameterised statement once and then only bind and execute
 * it: PostgreSQL skips parsing (and, once it settles on a generic plan, planning) every later time. In the
 * load bench this cut PostgreSQL's CPU per request by about a quarter. A statement is named after the hash
 * of its text; at most `max` per connection are kept, later ones run unnamed. Statements without parameters
 * (BEGIN, COMMIT, migrations with several commands) always run unnamed.
 *
 * A schema change made while the connection lives can make PostgreSQL refuse a prepared statement ("cached
 * plan must not change result type", SQLSTATE 0A000): that call fails, and the connection prepares its
 * statements again under new names.
 *
 * Turn it off (`preparedStatements: false` in {@link openStore}, `MOTCUA_PG_PREPARED=0` for the app) behind a
 * connection pooler that does not carry prepared statements across transactions (PgBouncer in transaction
 * mode before 1.21).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * pool.on('connect', (client) => prepareStatements(client));
 * ```
 */
export function prepareStatements(client: PgClient, max = PREPARED_STATEMENTS_PER_CONNECTION): void {
  const query = client.query.bind(client);
  const names = new Map<string, string>();
  // After a refusal the statements are prepared again under new names (the server still holds the old ones
  // until the connection closes; schema changes are rare).
  let generation = 0;
  const forget = () => {
    names.clear();
    generation++;
  };
  client.query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined)
      return query(text, values, callback);
    let name = names.get(text);
    if (!name && names.size < max) {
      name = `motcua_${generation}_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    if (!name) return query(text, values);
    return (query({ name, text, values }) as Promise<unknown>).catch((e: { code?: string }) => {
      if (e?.code === '0A000') forget();
      throw e;
    });
  };
}
