// Runs a TypeScript file (benchmarks, scripts) with Node: bundled by esbuild next to the file (dependencies
// stay external and resolve from the workspace), then executed with the remaining arguments.
// Usage: node scripts/run-ts.mjs <file.ts> [args...]
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
const src = resolve(file);
const out = join(dirname(src), `.${process.pid}.run.mjs`);
try {
  await build({
    entryPoints: [src],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    packages: 'external',
    logLevel: 'error',
  });
  const r = spawnSync(process.execPath, [out, ...args], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { force: true });
}
