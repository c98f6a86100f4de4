// Client overhead per call against a loopback server versus raw fetch, and the outbox's durable enqueue
// rate with the file store. Run after the build (`npm run bench`).

import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient, Outbox } from '../dist/index.js';
import { FileOutboxStore } from '../dist/node.js';

const N = Number(process.env.MOTCUA_BENCH_CALLS ?? 3000);
// The same comparison twice: a server that answers at once (the client's own cost, against the fastest
// possible answer) and one that answers after 2 ms (still faster than any government gateway).
for (const delayMs of [0, 2]) await overhead(delayMs, delayMs === 0 ? N : Math.round(N / 4));

async function overhead(delayMs, n) {
  const server = createServer((req, res) => {
    req.resume();
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    req.on('end', () => (delayMs === 0 ? answer() : setTimeout(answer, delayMs)));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/ping`;
  const client = createHttpClient({ baseUrl: url, retry: false });

  const rawCall = async () => {
    const r = await fetch(url, { headers: { accept: 'application/json' } });
    await r.json();
  };
  const ourCall = () => client.get(url);
  async function round(fn, n) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return ((performance.now() - t0) * 1000) / n;
  }
  // Warm both, then alternate rounds (raw first, then ours first) so drift in the machine's load hits both
  // sides alike; the overhead is the median of the rounds' ratios.
  await round(rawCall, 300);
  await round(ourCall, 300);
  const ROUNDS = 12;
  const per = Math.max(25, Math.round(n / ROUNDS));
  const raws = [];
  const ours = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      raws.push(await round(rawCall, per));
      ours.push(await round(ourCall, per));
    } else {
      ours.push(await round(ourCall, per));
      raws.push(await round(rawCall, per));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [label, xs] of [
    ['raw fetch', raws],
    ['createHttpClient().get', ours],
  ]) {
    const us = median(xs);
    console.log(
      `server answering in ${delayMs} ms, ${label}: ${us.toFixed(0)} µs per call (${Math.round(1e6 / us).toLocaleString('en')} calls/s)`,
    );
  }
  const ratios = raws.map((r, i) => (ours[i] - r) / r);
  console.log(
    `client overhead, server answering in ${delayMs} ms: ${(median(ratios) * 100).toFixed(1)}% over raw fetch (${(median(ours) - median(raws)).toFixed(0)} µs), median of ${ROUNDS} alternating rounds of ${per} calls (range ${(Math.min(...ratios) * 100).toFixed(0)}% to ${(Math.max(...ratios) * 100).toFixed(0)}%; goal ≤ 10%)`,
  );
  server.close();
  server.closeAllConnections();
}

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
