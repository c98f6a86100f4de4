// Release dry run: `changeset version` on a temporary copy of the repository (the root and every workspace
// package.json, their CHANGELOGs, and .changeset/), then checks what a release would publish:
//   - every package named in a changeset gets exactly the bump its changesets ask for (the highest one);
//   - every package whose version moved has a CHANGELOG.md with a heading for the new version, and a named
//     package's CHANGELOG carries the first line of each of its changesets' summaries;
//   - every internal dependency points at the new version of the package it names;
//   - the changesets are consumed.
// The repository itself is not touched. Exit code 1 on any failure. Usage: node scripts/check-release.mjs
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ORDER = ['patch', 'minor', 'major'];

function bump(version, type) {
  const [major, minor, patch] = version.split('-')[0].split('.').map(Number);
  if (type === 'major') return `${major + 1}.0.0`;
  if (type === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

function workspacePackages(base) {
  const found = new Map();
  for (const group of ['packages', 'apps']) {
    if (!existsSync(join(base, group))) continue;
    for (const name of readdirSync(join(base, group))) {
      const file = join(base, group, name, 'package.json');
      if (existsSync(file))
        found.set(JSON.parse(readFileSync(file, 'utf8')).name, { rel: `${group}/${name}`, file });
    }
  }
  return found;
}

const before = workspacePackages(root);
const changesets = readdirSync(join(root, '.changeset')).filter(
  (f) => f.endsWith('.md') && f !== 'README.md',
);
const asked = new Map(); // package -> { type, summaries }
for (const f of changesets) {
  const text = readFileSync(join(root, '.changeset', f), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`.changeset/${f}: no front matter (npm run lint says more)`);
  for (const line of m[1].split('\n')) {
    const [, name, type] = /^"([^"]+)": (patch|minor|major)$/.exec(line) ?? [];
    if (!name) continue;
    const entry = asked.get(name) ?? { type: 'patch', summaries: [] };
    if (ORDER.indexOf(type) > ORDER.indexOf(entry.type)) entry.type = type;
    entry.summaries.push(m[2].split('\n')[0].trim());
    asked.set(name, entry);
  }
}

const copy = mkdtempSync(join(tmpdir(), 'motcua-release-'));
const problems = [];
try {
  const files = ['package.json', '.changeset'];
  for (const { rel } of before.values()) {
    files.push(`${rel}/package.json`);
    if (existsSync(join(root, rel, 'CHANGELOG.md'))) files.push(`${rel}/CHANGELOG.md`);
  }
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(root, f), join(copy, f), { recursive: true });
  }
  // changesets loads its changelog generator from the copy's node_modules.
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: copy,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const after = workspacePackages(copy);
  const versions = new Map();
  for (const [name, { file, rel }] of after) {
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const old = JSON.parse(readFileSync(before.get(name).file, 'utf8'));
    versions.set(name, pkg.version);
    const want = asked.get(name);
    if (want && pkg.version !== bump(old.version, want.type))
      problems.push(`${name}: ${old.version} -> ${pkg.version}, the changesets ask for a ${want.type} bump`);
    if (pkg.version !== old.version) {
      const changelog = join(copy, rel, 'CHANGELOG.md');
      const text = existsSync(changelog) ? readFileSync(changelog, 'utf8') : '';
      if (!text.includes(`## ${pkg.version}\n`))
        problems.push(`${name}: CHANGELOG.md has no "## ${pkg.version}"`);
      for (const line of want?.summaries ?? [])
        if (!text.includes(line)) problems.push(`${name}: CHANGELOG.md lacks "${line.slice(0, 60)}…"`);
    }
  }
  for (const [name, { file }] of after) {
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies'])
      for (const [dep, range] of Object.entries(pkg[field] ?? {}))
        if (versions.has(dep) && !range.includes(versions.get(dep)))
          problems.push(`${name}: ${field}.${dep} is ${range}, not the new ${versions.get(dep)}`);
  }
  const left = readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (left.length > 0) problems.push(`changesets not consumed: ${left.join(', ')}`);

  const moved = [...versions].filter(
    ([name, v]) => v !== JSON.parse(readFileSync(before.get(name).file, 'utf8')).version,
  );
  for (const [name, v] of moved)
    console.log(
      `  ${name.padEnd(22)} -> ${v}${asked.has(name) ? ` (${asked.get(name).type})` : ' (dependent)'}`,
    );
  if (changesets.length > 0 && moved.length === 0) problems.push('changesets exist but no version moved');
  console.log(
    `check-release: changeset version on a copy: ${changesets.length} changesets, ${moved.length} packages bumped, ${problems.length} problem(s)`,
  );
} finally {
  rmSync(copy, { recursive: true, force: true });
}
for (const p of problems) console.log(`FAIL  ${p}`);
process.exitCode = problems.length > 0 ? 1 : 0;
