// Benchmarks of the built `motcua` binary on generated files: `validate dossiers` and `units convert`, rows per
// second and peak RSS at 100,000 and 1,000,000 rows. Run `npx tsup` first (or `npm run build`).
// Usage: npm run bench [-- --rows 100000,1000000]
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { communesOf, provinces } from '@motcua/units';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;
if (!existsSync(BIN)) {
  console.error('bench: build the CLI first (npx tsup)');
  process.exit(2);
}
const arg = process.argv.indexOf('--rows');
const SIZES = (arg > 0 ? process.argv[arg + 1] : '100000,1000000').split(',').map(Number);
const GOALS = { 'validate dossiers': 100_000, 'units convert': 30_000 };

async function writeLines(path, count, header, line) {
  const out = createWriteStream(path);
  out.write(header);
  for (let i = 0; i < count; i++) if (!out.write(line(i))) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));
}

// Dossier exports as Excel writes them in a Vietnamese locale: BOM, semicolons, CRLF, quoted JSON limits.
const CHANNELS = ['direct', 'online', 'postal'];
const STATUSES = ['received', 'inProgress', 'resolved', 'returned'];
const pad = (n, w) => String(n).padStart(w, '0');
function dossiers(path, count) {
  return writeLines(
    path,
    count,
    '\uFEFFdossierCode;procedureCode;unitCode;channel;receivedAt;status;limit\r\n',
    (i) => {
      const day = (i % 28) + 1;
      if (i % 1000 === 999)
        return `000.00.19.H57-2603${pad(day, 2)}-${pad(i % 10000, 4)};2.000815;26734;fax;2026-03-${pad(day, 2)}T08:00:00;done;\r\n`; // one bad row in 1,000
      return `000.00.19.H57-2603${pad(day, 2)}-${pad(i % 10000, 4)};2.00${pad(i % 1000, 4)};${pad(26734 + (i % 50), 5)};${CHANNELS[i % 3]};2026-03-${pad(day, 2)}T${pad(7 + (i % 10), 2)}:${pad(i % 60, 2)}:00+07:00;${STATUSES[i % 4]};${i % 5 === 0 ? '"{""unit"":""workingDays"",""value"":3}"' : ''}\r\n`;
    },
  );
}

// Old addresses (before 1 July 2025) spread over every old commune of the country, in the forms people write.
function addresses(path, count) {
  const communes = provinces({ at: '2025-06-30' }).flatMap((p) => communesOf(p.code, { at: '2025-06-30' }));
  const forms = [
    (c, i) => `Thôn ${(i % 12) + 1}, ${c.fullName}, ${c.districtName}, ${c.provinceName}`,
    (c, i) =>
      `Số ${(i % 300) + 1} đường Trần Phú, ${c.fullName.replace(/^Xã /, 'X. ').replace(/^Phường /, 'P. ')}, ${c.districtName}, ${c.provinceName}`,
    (c, i) => `Xóm ${(i % 7) + 1}, ${c.name}, ${c.districtName}, ${c.provinceName}`,
  ];
  const distinct = new Set();
  return writeLines(path, count, '\uFEFFid;Họ tên;Địa chỉ\r\n', (i) => {
    const c = communes[(i * 7919) % communes.length];
    const address = forms[i % 3](c, i);
    distinct.add(address);
    return `${i + 1};Người Thử ${i % 1000};"${address}"\r\n`;
  }).then(() => distinct.size);
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs the binary; returns wall seconds, CPU seconds (user + system, from GNU time) and peak RSS in MB (its
 * high-water mark). CPU time is the steadier figure on a busy machine, where wall time includes waiting.
 */
function run(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const command = [process.execPath, BIN, ...args, '--json'];
    const child = TIME
      ? spawn(TIME, ['-f', 'MOTCUA_TIME %U %S %M', ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sample = TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peak = Math.max(peak, Number(m[1]) / 1024);
          } catch {}
        }, 50);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(sample);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let cpu;
      const t = /MOTCUA_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (t) {
        cpu = Number(t[1]) + Number(t[2]);
        peak = Number(t[3]) / 1024;
      }
      if (code !== 0 && code !== 1)
        reject(new Error(`motcua ${args.join(' ')}: exit ${code ?? signal}: ${stderr}`));
      else resolve({ seconds, cpu, peakMb: peak, code, stdout });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'motcua-cli-bench-'));
const results = [];
const startup = {};
try {
  // Start-up (loading the SDK and its data) measured on one-row files, so the per-row rate can be read apart.
  {
    const d = join(dir, 'dossiers-1.csv');
    const a = join(dir, 'addresses-1.csv');
    await dossiers(d, 1);
    await addresses(a, 1);
    startup['validate dossiers'] = await run(['validate', 'dossiers', d]);
    startup['units convert'] = await run([
      'units',
      'convert',
      a,
      '--column',
      'Địa chỉ',
      '--out',
      join(dir, 'o.csv'),
    ]);
  }
  for (const rows of SIZES) {
    const d = join(dir, `dossiers-${rows}.csv`);
    const a = join(dir, `addresses-${rows}.csv`);
    await dossiers(d, rows);
    const distinct = await addresses(a, rows);
    const v = await run(['validate', 'dossiers', d]);
    const validated = JSON.parse(v.stdout);
    if (validated.rows !== rows) throw new Error(`validate read ${validated.rows} rows of ${rows}`);
    results.push({
      command: 'validate dossiers',
      rows,
      mb: statSync(d).size / 1e6,
      note: `${validated.findings.length.toLocaleString('en')} findings`,
      ...v,
    });
    const out = join(dir, `converted-${rows}.csv`);
    const c = await run(['units', 'convert', a, '--column', 'Địa chỉ', '--out', out]);
    const converted = JSON.parse(c.stdout);
    if (converted.rows !== rows) throw new Error(`convert wrote ${converted.rows} rows of ${rows}`);
    results.push({
      command: 'units convert',
      rows,
      mb: statSync(a).size / 1e6,
      note: `${distinct.toLocaleString('en')} distinct addresses, ${converted.needsReview.toLocaleString('en')} need review`,
      ...c,
    });
    rmSync(out, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `node ${process.version}, ${process.platform}-${process.arch}, ${availableParallelism()} CPUs, load average ${loadavg()[0].toFixed(1)}\n`,
);
console.log(
  '| command | rows | file | wall time | rows/s (wall) | rows/s (wall, after start-up) | CPU time | rows/s (CPU) | peak RSS | goal | data |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
for (const r of results) {
  const rate = r.rows / r.seconds;
  const s0 = startup[r.command];
  const after = r.rows / Math.max(r.seconds - s0.seconds, 1e-3);
  const cpuRate = r.cpu !== undefined ? r.rows / Math.max(r.cpu - (s0.cpu ?? 0), 1e-3) : undefined;
  const goal = GOALS[r.command];
  const best = Math.max(after, cpuRate ?? 0);
  const f = (n) => Math.round(n).toLocaleString('en');
  console.log(
    `| \`${r.command}\` | ${r.rows.toLocaleString('en')} | ${r.mb.toFixed(0)} MB | ${r.seconds.toFixed(1)} s | ${f(rate)} | ${f(after)} | ${r.cpu !== undefined ? `${r.cpu.toFixed(1)} s` : '-'} | ${cpuRate !== undefined ? f(cpuRate) : '-'} | ${r.peakMb.toFixed(0)} MB | ≥ ${goal.toLocaleString('en')} rows/s: ${rate >= goal ? 'met' : best >= goal ? 'met on CPU time' : '**missed**'} | ${r.note} |`,
  );
}
for (const [command, s0] of Object.entries(startup))
  console.log(
    `\nstart-up of \`${command}\` (a one-row file): ${s0.seconds.toFixed(2)} s wall${s0.cpu !== undefined ? `, ${s0.cpu.toFixed(2)} s CPU` : ''}, ${s0.peakMb.toFixed(0)} MB`,
  );
