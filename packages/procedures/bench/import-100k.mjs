// Validate and import a 100,000-row catalogue as CSV and as XLSX: rows per second and peak memory.
// Run after the build (`npm run bench`).
import { defineCatalogue, exportCatalogue, importCatalogue } from '../dist/index.js';

const N = Number(process.env.MOTCUA_BENCH_ROWS ?? 100_000);
const limits = [
  { unit: 'workingDays', value: 3 },
  { unit: 'sameDay', cutoff: '15:00' },
  { unit: 'calendarDays', value: 10 },
];
const procedures = Array.from({ length: N }, (_, i) => ({
  code: `P.${String(i).padStart(6, '0')}`,
  name: { vi: `Thủ tục thử nghiệm số ${i}` },
  field: { code: 'X', name: { vi: 'Khác' } },
  limit: limits[i % 3],
  documents: [{ name: 'Tờ khai', form: 'original' }],
  legalBasis: ['Quyết định 1/2026/QĐ-UBND'],
  validFrom: '2026-01-01',
  sources: ['synthetic'],
}));
const catalogue = defineCatalogue(procedures);
let peak = 0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
for (const format of (process.env.MOTCUA_BENCH_FORMATS ?? 'csv,xlsx').split(',')) {
  const file = await exportCatalogue(catalogue, format);
  const bytes = typeof file === 'string' ? new TextEncoder().encode(file) : file;
  global.gc?.();
  peak = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await importCatalogue(bytes);
  const secs = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    `import ${format}: ${r.procedures.length.toLocaleString('en')} rows (${(bytes.length / 1_048_576).toFixed(1)} MiB) in ${secs.toFixed(1)} s = ${Math.round(r.procedures.length / secs).toLocaleString('en')} rows/s; peak RSS ${Math.round(peak / 1_048_576)} MiB`,
  );
}
clearInterval(timer);
