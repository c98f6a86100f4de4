// `npm run bench` in packages/store: the database outbox's enqueue rate (16 writers, one message per
// transaction, as the app writes them) and drain rate (a no-op delivery, concurrency 16), on PGlite and on
// PostgreSQL (a throwaway cluster; fsync off there, so the PostgreSQL figure is an upper bound).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '@motcua/http';
import { startTestPostgres } from '../../../test-utils/postgres.js';
import { openStore } from '../src/store.js';

const N = Number(process.env.OUTBOX_MESSAGES ?? 20_000);

async function run(label: string, databaseUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-outbox-bench-'));
  const store = await openStore({ dataDir: dir, ...(databaseUrl ? { databaseUrl, poolSize: 16 } : {}) });
  let delivered = 0;
  const outbox = new Outbox({
    store: store.outbox,
    concurrency: 16,
    batchSize: 500,
    deliver: async () => void delivered++,
  });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < N; i = next++)
        await outbox.enqueue({ topic: 'bench', orderingKey: `D${i % 1000}`, payload: { i } });
    }),
  );
  const enqueued = performance.now() - t0;
  const t1 = performance.now();
  while (delivered < N) await outbox.runOnce();
  const drained = performance.now() - t1;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `${label.padEnd(10)} ${N} messages: enqueue ${Math.round(N / (enqueued / 1000))}/s, drain ${Math.round(N / (drained / 1000))}/s`,
  );
}

await run('PGlite');
const pg = await startTestPostgres();
if (pg) {
  try {
    await run('PostgreSQL', await pg.createDatabase('motcua_outbox_bench'));
  } finally {
    await pg.stop();
  }
}
