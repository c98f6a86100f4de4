// Client overhead per call against a loopback server versus raw fetch, and the outbox's durable enqueue
// rate with the file store. Run after the build (`npm run bench`).

import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient, Outbox } from '../dist/index.js';
import { FileOutboxStore } from '../dist/node.js';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/ping`;
const N = Number(process.env.MOTCUA_BENCH_CALLS ?? 3000);
const client = createHttpClient({ baseUrl: url, retry: false });

async function time(label, fn) {
  for (let i = 0; i < 200; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const us = ((performance.now() - t0) * 1000) / N;
  console.log(
    `${label}: ${us.toFixed(0)} µs per call (${Math.round(1e6 / us).toLocaleString('en')} calls/s)`,
  );
  return us;
}
const raw = await time('raw fetch', async () => {
  const r = await fetch(url, { headers: { accept: 'application/json' } });
  await r.json();
});
const ours = await time('createHttpClient().get', () => client.get(url));
console.log(`client overhead: ${(((ours - raw) / raw) * 100).toFixed(1)}% over raw fetch (goal ≤ 10%)`);
server.close();
server.closeAllConnections();

const M = Number(process.env.MOTCUA_BENCH_MESSAGES ?? 5000);
// One producer waiting for each message (a script), then 16 at once (a server taking many requests): the
// file store flushes the writes that arrive together once (group commit).
for (const producers of [1, 16]) {
  const store = new FileOutboxStore(join(mkdtempSync(join(tmpdir(), 'motcua-bench-')), 'outbox.jsonl'));
  const outbox = new Outbox({ store, deliver: async () => {} });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      for (let i = next++; i < M; i = next++)
        await outbox.enqueue({ topic: 'civil-status.birth', orderingKey: `D${i % 100}`, payload: { i } });
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `outbox enqueue (file store, durable), ${producers} producer${producers > 1 ? 's' : ''}: ${Math.round(M / secs).toLocaleString('en')} messages/s, ${store.flushes.toLocaleString('en')} flushes (goal ≥ 5,000/s)`,
  );
  store.close();
}
