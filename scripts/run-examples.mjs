// Runs every project under examples/ the way its README says (`npm start` there, i.e. its `start` script,
// run with this Node against the workspace's built packages) and checks its output: every line of the
// example's expected.txt must appear, in order, in what it printed (stdout and stderr). Exit code 1 on any
// failure. Usage: node scripts/run-examples.mjs [examples/name ...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs =
  process.argv.length > 2
    ? process.argv.slice(2).map((d) => join(root, d))
    : readdirSync(join(root, 'examples'))
        .sort()
        .map((d) => join(root, 'examples', d))
        .filter((d) => existsSync(join(d, 'package.json')));
let failed = 0;
for (const dir of dirs) {
  const name = dir.slice(root.length);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const [cmd, ...args] = pkg.scripts.start.split(' ');
  if (cmd !== 'node') throw new Error(`${name}: the start script must be "node <file> ..."`);
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const printed = `${r.stdout}${r.stderr}`.split('\n');
  const expected = readFileSync(join(dir, 'expected.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const missing = [];
  let at = 0;
  for (const line of expected) {
    const i = printed.indexOf(line, at);
    if (i < 0) missing.push(line);
    else at = i + 1;
  }
  const ok = r.status === 0 && missing.length === 0 && existsSync(join(dir, 'README.md'));
  if (!ok) failed++;
  console.log(
    `${ok ? ' ok ' : 'FAIL'}  ${name.padEnd(30)} exit ${r.status}, ${expected.length - missing.length}/${expected.length} expected lines, ${Date.now() - started} ms`,
  );
  if (!ok) console.log(`        missing: ${JSON.stringify(missing)}\n${r.stdout}${r.stderr}`);
}
console.log(`run-examples: ${dirs.length} examples, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
