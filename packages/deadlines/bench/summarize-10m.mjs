// `summarize` over 10,000,000 generated DossierRecords (streamed, never held in memory).
// Prints the time, the rate and the heap as it goes, to show memory stays flat. Run after the build.
import { summarize } from '../dist/index.js';

const COUNT = Number(process.env.MOTCUA_BENCH_RECORDS ?? 10_000_000);
const start = Date.parse('2026-03-01T00:00:00+07:00');
const pad = (n) => String(n).padStart(2, '0');
const iso = (ms) => {
  const d = new Date(ms + 7 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00+07:00`;
};
// A pool of distinct timestamps so the generator costs little next to summarize itself.
const POOL = 4096;
const times = Array.from({ length: POOL }, (_, i) => start + ((i * 7919) % (28 * 1440)) * 60_000);
const texts = times.map(iso);
const plus = (k, days) => texts[(k + days * 97) % POOL];

function* records() {
  for (let i = 0; i < COUNT; i++) {
    const k = i % POOL;
    const kind = i % 7;
    yield {
      dossierCode: 'X',
      procedureCode: kind < 3 ? '2.000815' : '1.001193',
      unitCode: String(26734 + (i % 50)),
      channel: kind % 3 === 0 ? 'online' : 'direct',
      receivedAt: texts[k],
      appointmentAt: plus(k, 3),
      resolvedAt: kind < 5 ? plus(k, kind) : undefined,
      supplementRequestedAt: kind === 6 ? plus(k, 1) : undefined,
      supplementRequests: kind === 6 ? 1 : 0,
      status: kind < 5 ? 'resolved' : kind === 6 ? 'waitingSupplement' : 'inProgress',
      paid: kind < 2,
      paidOnline: kind === 0,
    };
  }
}

let seen = 0;
const heaps = [];
function* counted() {
  for (const r of records()) {
    if (++seen % 1_000_000 === 0) heaps.push(Math.round(process.memoryUsage().heapUsed / 1_048_576));
    yield r;
  }
}

const t0 = performance.now();
const s = await summarize(counted(), { from: '2026-03-01', to: '2026-03-31', groupBy: 'unit' });
const secs = (performance.now() - t0) / 1000;
console.log(
  `summarize: ${COUNT.toLocaleString('en')} records in ${secs.toFixed(1)} s (${Math.round(COUNT / secs).toLocaleString('en')} records/s), grouped by unit (${Object.keys(s.groups).length} groups)`,
);
console.log(`heap used every 1,000,000 records (MiB): ${heaps.join(', ')}`);
console.log(
  `on-time rate 2.1: ${(s.total.indicators.onTimeRate.rate * 100).toFixed(2)}% of ${s.total.handled.toLocaleString('en')}`,
);
