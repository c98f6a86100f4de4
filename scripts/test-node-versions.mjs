// Runs the test suites of the pure packages (no I/O, meant for every runtime) under other Node.js majors than
// the one running `npm test`: the binaries come from the `node` package on the npm registry (`npx -y node@22`),
// so nothing but npm is needed. Each suite runs with the same vitest, started by that binary (vitest's workers
// are forks of process.execPath, so the tests run on it too); the binary's version is checked, not assumed. Needs the packages built. Exit code 1 when a suite fails.
// Usage: node scripts/test-node-versions.mjs [22 24 ...]   (default: 22 and 24)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** The packages that do no I/O and promise to run on every supported runtime (DESIGN.md, "Pure core"). */
export const PURE_PACKAGES = ['core', 'calendar', 'deadlines', 'units', 'procedures'];
const majors = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['22', '24'];
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const work = mkdtempSync(join(tmpdir(), 'motcua-node-versions-'));
const started = Date.now();
const failures = [];
let passed = 0;

try {
  for (const major of majors) {
    // npx keeps the binary in its cache: the first run downloads it (about 30 MB), later runs reuse it.
    const binary = execFileSync('npx', ['-y', `node@${major}`, '-p', 'process.execPath'], {
      cwd: work,
      encoding: 'utf8',
    }).trim();
    const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    if (!version.startsWith(`v${major}.`)) throw new Error(`node@${major} from npm is ${version}`);
    for (const name of PURE_PACKAGES) {
      const report = join(work, `${name}-${major}.json`);
      // The package's own vitest config, with the reporters changed so the run leaves the package's
      // .vitest-report.json (turbo's output, read by the summary line of npm test) alone.
      const config = join(work, `vitest-${name}.config.mjs`);
      const pkgDir = join(root, 'packages', name);
      writeFileSync(
        config,
        `import base from ${JSON.stringify(join(pkgDir, 'vitest.config.ts'))};
export default { ...base, root: ${JSON.stringify(pkgDir)}, test: { ...base.test, reporters: ['dot', ['json', { outputFile: ${JSON.stringify(report)} }]] } };
`,
      );
      const r = spawnSync(binary, [vitest, 'run', '--config', config], { cwd: pkgDir, encoding: 'utf8' });
      let summary;
      try {
        const json = JSON.parse(readFileSync(report, 'utf8'));
        summary = `${json.numPassedTests} passed, ${json.numFailedTests} failed`;
        passed += json.numPassedTests;
        if (json.numFailedTests > 0 || json.numTotalTests === 0) failures.push(`${name} on ${version}`);
      } catch {
        summary = 'no report';
        failures.push(`${name} on ${version}`);
      }
      if (r.status !== 0 && !failures.includes(`${name} on ${version}`))
        failures.push(`${name} on ${version}`);
      console.log(
        `${r.status === 0 ? ' ok ' : 'FAIL'}  node ${version.padEnd(9)} @motcua/${name.padEnd(11)} ${summary}`,
      );
      if (r.status !== 0) console.log(`${r.stdout}\n${r.stderr}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `test-node-versions: ${PURE_PACKAGES.length} packages on node ${majors.join(', ')}: ${passed} tests passed, ${failures.length} suite(s) failed, ${Math.round((Date.now() - started) / 1000)} s`,
);
if (failures.length > 0) {
  console.log(`failed: ${failures.join('; ')}`);
  process.exitCode = 1;
}
