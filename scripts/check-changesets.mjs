// Checks every changeset: a front matter of `"<workspace package>": patch|minor|major` lines between `---`
// fences, then a summary. (A formatter once turned the front matter into a heading; changesets then
// silently ignores the file.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const names = new Set();
for (const dir of ['packages', 'apps'])
  for (const d of readdirSync(join(root, dir), { withFileTypes: true }))
    if (d.isDirectory()) {
      try {
        names.add(JSON.parse(readFileSync(join(root, dir, d.name, 'package.json'), 'utf8')).name);
      } catch {}
    }
let bad = 0;
for (const f of readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
  const text = readFileSync(join(root, '.changeset', f), 'utf8');
  const m = /^---\n((?:"[^"]+": (?:patch|minor|major)\n)+)---\n\n\S/.exec(text);
  const problems = [];
  if (!m)
    problems.push(
      'front matter must be `---`, lines `"@motcua/x": minor`, `---`, a blank line, then the summary',
    );
  else
    for (const line of m[1].trim().split('\n')) {
      const name = /^"([^"]+)"/.exec(line)[1];
      if (!names.has(name)) problems.push(`unknown package ${name}`);
    }
  for (const p of problems) console.error(`.changeset/${f}: ${p}`);
  bad += problems.length;
}
if (bad) process.exit(1);
console.log(
  `changesets: ${readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md')).length} files OK`,
);
