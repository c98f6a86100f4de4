import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { prepareStatements } from './prepared.js';
import { openStore } from './store.js';

let server: TestPostgres | undefined;
let url = '';
beforeAll(async () => {
  server = await startTestPostgres();
  if (server) url = await server.createDatabase('motcua_store_prepared_test');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});
const skipped = () => {
  if (!server) console.warn('*** PostgreSQL not available: prepared-statement tests skipped ***');
  return !server;
};

/** The statements this connection holds prepared (the view is per session). */
const preparedOn = async (client: pg.Client) =>
  (await client.query('select name from pg_prepared_statements order by name')).rows.map(
    (r: { name: string }) => r.name,
  );

describe('prepared statements on PostgreSQL', () => {
  it('a store prepares each parameterised statement once per connection, or none when told not to', async () => {
    if (skipped()) return;
    for (const preparedStatements of [true, false]) {
      const store = await openStore({ databaseUrl: url, poolSize: 1, preparedStatements });
      try {
        for (let i = 0; i < 3; i++) await store.getDossier('000.00.00.H00-260101-0001');
        await store.getUnit('05152');
        const statements = (
          await sql<{
            name: string;
            statement: string;
          }>`select name, statement from pg_prepared_statements`.execute(store.db)
        ).rows;
        const reads = statements.filter((r) => r.statement.includes('from "dossiers" where "code" = $1'));
        if (preparedStatements) {
          // The dossier read three times: prepared once, named after its text.
          expect(reads).toHaveLength(1);
          expect(reads[0]!.name).toMatch(/^motcua_0_[0-9a-f]{24}$/);
          expect(statements.some((r) => r.statement.includes('from "units"'))).toBe(true);
        } else expect(statements).toEqual([]);
      } finally {
        await store.close();
      }
    }
  });

  it('at most `max` statements per connection; later ones and ones without parameters run unnamed', async () => {
    if (skipped()) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      prepareStatements(client, 2);
      for (const n of [1, 2, 3, 1, 2, 3])
        expect((await client.query(`select $1::int + ${n} as v`, [1])).rows[0].v).toBe(1 + n);
      await client.query('select 1');
      expect(await preparedOn(client)).toHaveLength(2);
    } finally {
      await client.end();
    }
  });

  it('a schema change that PostgreSQL refuses a prepared statement for fails one call, then it is prepared again', async () => {
    if (skipped()) return;
    const client = new pg.Client({ connectionString: url });
    const admin = new pg.Client({ connectionString: url });
    await Promise.all([client.connect(), admin.connect()]);
    try {
      await admin.query('create table prepared_probe (id int primary key, a text)');
      await admin.query(`insert into prepared_probe values (1, 'một')`);
      prepareStatements(client);
      const read = () => client.query('select * from prepared_probe where id = $1', [1]);
      expect((await read()).rows).toEqual([{ id: 1, a: 'một' }]);
      await admin.query(`alter table prepared_probe add column b text default 'hai'`);
      await expect(read()).rejects.toMatchObject({ code: '0A000' });
      expect((await read()).rows).toEqual([{ id: 1, a: 'một', b: 'hai' }]);
      expect((await preparedOn(client)).filter((n) => n.startsWith('motcua_1_'))).toHaveLength(1);
    } finally {
      await Promise.all([client.end(), admin.end()]);
    }
  });
});
