// Publishing checks for every non-private workspace package, as a user would meet the package:
//   1. `npm pack` of all of them (one call; the tarballs are what the checks below look at);
//   2. publint (strict: warnings fail; suggestions are printed) on each tarball;
//   3. @arethetypeswrong/cli on each tarball, profile node16 (ESM + CJS through `exports`; node10 ignored);
//   4. each tarball, with the tarballs of the workspace packages it depends on, installed into a fresh temporary
//      project (no workspace, no hoisting from the repository); there every entry point of `exports` is
//      `require`d and `import`ed, the `bin` answers `--help`, and the first ```ts block (else ```js) of the README runs to
//      its end (the same bundling as scripts/run-readme-example.mjs), unless the example needs a server it
//      cannot start (README_SKIPS below says which and why).
// Needs the packages built (`npm run build`); run by the root `npm test` after turbo. Exit code 1 on any failure.
// Usage: node scripts/check-packages.mjs [@motcua/name ...]   (default: every non-private package)
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { bundleExample, END_MARKER, firstTsBlock } from './run-readme-example.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

/** README examples that cannot run in a bare temporary project, and why. Everything else must run. */
const README_SKIPS = {
  '@motcua/cli': 'a command, not a library: its `motcua --help` is run instead',
};

/** Files an example reads from its working directory, copied from the installed package. */
const README_FIXTURES = {
  // The example imports the province's catalogue; the package's own blank template stands in for it.
  '@motcua/procedures': { 'danh-muc-thu-tuc-cap-xa.xlsx': 'templates/mau-danh-muc-thu-tuc.xlsx' },
};

function workspaces() {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      if (!existsSync(join(dir, 'package.json'))) continue;
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      found.push({ dir, rel: `${group}/${name}`, pkg });
    }
  }
  return found;
}

/** Runs `tasks` (functions returning promises) two at a time: the CI machine has two cores. */
async function pool(tasks, width = 2) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

async function sh(cmd, args, options = {}) {
  try {
    const r = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 180_000, ...options });
    return { ok: true, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    return {
      ok: false,
      out: `${e.stdout ?? ''}${e.stderr ?? ''}${e.killed ? '\n(timed out)' : ''}` || String(e),
    };
  }
}

const all = workspaces();
const byName = new Map(all.map((w) => [w.pkg.name, w]));
const wanted = process.argv.slice(2);
const targets = all.filter((w) => !w.pkg.private && (wanted.length === 0 || wanted.includes(w.pkg.name)));
for (const name of wanted)
  if (!targets.some((t) => t.pkg.name === name)) throw new Error(`no package ${name}`);

/** The package and every workspace package it depends on, transitively (what must be installed from tarballs). */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(byName.get(name).pkg.dependencies ?? {}))
    if (byName.has(dep)) closure(dep, seen);
  return seen;
}

const work = mkdtempSync(join(tmpdir(), 'motcua-packages-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
const started = Date.now();
const failures = [];
const lines = [];
function report(name, check, ok, detail = '') {
  lines.push([
    name,
    `${ok === null ? 'skip' : ok ? ' ok ' : 'FAIL'}  ${name.padEnd(22)} ${check}${detail ? `: ${detail}` : ''}`,
  ]);
  if (ok === false) failures.push(`${name} ${check}`);
}

try {
  // 1. Pack every package the targets need (the targets and their workspace dependencies), in one npm call.
  const toPack = [...new Set(targets.flatMap((t) => [...closure(t.pkg.name)]))];
  const packed = await sh(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', tarballs, ...toPack.map((n) => `-w=${n}`)],
    { cwd: root },
  );
  if (!packed.ok) throw new Error(`npm pack failed:\n${packed.out}`);
  const tarballOf = new Map();
  for (const entry of JSON.parse(packed.out.slice(packed.out.indexOf('[')))) {
    tarballOf.set(entry.name, join(tarballs, entry.filename));
  }

  // 0. The metadata a registry page and a bundler read: the same licence, repository and engines as the root.
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const t of targets) {
    const p = t.pkg;
    const problems = [];
    if (p.license !== rootPkg.license) problems.push(`license is ${p.license}, not ${rootPkg.license}`);
    if (p.repository?.url !== rootPkg.repository.url)
      problems.push(`repository.url is not ${rootPkg.repository.url}`);
    if (p.repository?.directory !== t.rel) problems.push(`repository.directory is not ${t.rel}`);
    if (p.engines?.node !== rootPkg.engines.node)
      problems.push(`engines.node is not ${rootPkg.engines.node}`);
    if (!Array.isArray(p.files) || !p.files.includes('dist')) problems.push('files does not list dist');
    if (!p.description) problems.push('no description');
    if (p.exports && p.sideEffects === undefined) problems.push('a library without sideEffects');
    if (p.exports && !p.types) problems.push('a library without types');
    report(p.name, 'package.json metadata', problems.length === 0, problems.join('; '));
  }

  // 2 + 3. publint and attw on the tarballs.
  await pool(
    targets.map((t) => async () => {
      const name = t.pkg.name;
      const tarball = readFileSync(tarballOf.get(name));
      const { messages, pkg } = await publint({
        strict: true,
        pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      });
      // strict: warnings fail like errors; suggestions are shown, not failed (as the publint command does).
      const failing = messages.filter((m) => m.type !== 'suggestion');
      report(
        name,
        'publint',
        failing.length === 0,
        messages.map((m) => `\n        ${m.type}: ${formatMessage(m, pkg)}`).join(''),
      );
      if (!t.pkg.exports && !t.pkg.types) {
        report(name, 'attw', null, 'no types to check (a command only)');
        return;
      }
      const attw = await sh(
        join(root, 'node_modules/.bin/attw'),
        [
          tarballOf.get(name),
          '--profile',
          'node16',
          '--no-definitely-typed',
          '--format',
          'ascii',
          '--no-color',
        ],
        { cwd: work },
      );
      report(name, 'attw --profile node16', attw.ok, attw.ok ? '' : `\n${attw.out}`);
    }),
  );

  // 4. Install into fresh projects, load every entry point, run the README example.
  await pool(
    targets.map((t) => async () => {
      const name = t.pkg.name;
      const project = join(work, 'projects', name.replace('/', '__'));
      mkdirSync(project, { recursive: true });
      const deps = Object.fromEntries([...closure(name)].map((n) => [n, `file:${tarballOf.get(n)}`]));
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify(
          { name: 'motcua-pack-check', private: true, type: 'module', dependencies: deps },
          null,
          2,
        ),
      );
      const install = await sh(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--loglevel=error'],
        { cwd: project, timeout: 600_000 },
      );
      report(name, 'installs from its tarball', install.ok, install.ok ? '' : `\n${install.out}`);
      if (!install.ok) return;

      const subpaths = Object.keys(t.pkg.exports ?? {}).filter((s) => !s.endsWith('.json'));
      if (subpaths.length > 0) {
        const specs = subpaths.map((s) => (s === '.' ? name : `${name}/${s.slice(2)}`));
        const load = [
          "import { createRequire } from 'node:module';",
          'const require = createRequire(import.meta.url);',
          `for (const spec of ${JSON.stringify(specs)}) {`,
          '  const cjs = require(spec);',
          '  const esm = await import(spec);',
          "  if (Object.keys(cjs).length === 0) throw new Error(spec + ': require() gave no exports');",
          "  for (const key of Object.keys(cjs)) if (!(key in esm)) throw new Error(spec + ': ' + key + ' is in the CJS build only');",
          "  for (const key of Object.keys(esm)) if (key !== 'default' && !(key in cjs)) throw new Error(spec + ': ' + key + ' is in the ESM build only');",
          '}',
        ].join('\n');
        writeFileSync(join(project, 'load.mjs'), load);
        const loaded = await sh(process.execPath, ['load.mjs'], { cwd: project, timeout: 60_000 });
        report(
          name,
          `require and import ${specs.length} entry point(s)`,
          loaded.ok,
          loaded.ok ? '' : `\n${loaded.out}`,
        );
      }
      for (const bin of Object.keys(t.pkg.bin ?? {})) {
        const help = await sh(join(project, 'node_modules/.bin', bin), ['--help'], {
          cwd: project,
          timeout: 60_000,
        });
        report(name, `${bin} --help`, help.ok && help.out.includes(bin), help.ok ? '' : `\n${help.out}`);
      }

      if (README_SKIPS[name]) {
        report(name, 'README example', null, README_SKIPS[name]);
        return;
      }
      const readme = readFileSync(join(t.dir, 'README.md'), 'utf8');
      const block = firstTsBlock(readme) ?? /```js\n([\s\S]*?)```/.exec(readme)?.[1];
      if (!block) {
        report(name, 'README example', false, 'no ```ts or ```js block in the README');
        return;
      }
      for (const [file, from] of Object.entries(README_FIXTURES[name] ?? {})) {
        writeFileSync(join(project, file), readFileSync(join(project, 'node_modules', name, from)));
      }
      await bundleExample(block, project, join(project, 'readme-example.mjs'));
      const ex = await sh(process.execPath, ['readme-example.mjs'], { cwd: project, timeout: 120_000 });
      const ranToEnd = ex.ok && ex.out.includes(END_MARKER);
      report(
        name,
        'README example runs from the installed tarballs',
        ranToEnd,
        ranToEnd ? '' : `\n${ex.out}`,
      );
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(
  lines
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((l) => l[1])
    .join('\n'),
);
console.log(
  `check-packages: ${targets.length} packages, ${failures.length} failed check(s), ${Math.round((Date.now() - started) / 1000)} s`,
);
if (failures.length > 0) {
  console.log(`failed: ${failures.join('; ')}`);
  process.exitCode = 1;
}
