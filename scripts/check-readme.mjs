// Checks the root README's tour: the block after `<!-- tour output ... -->` must be what `npm run tour`
// (scripts/tour.mjs) prints now, from its first package section on. Exit code 1 when it is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const shown = /<!-- tour output[^>]*-->\s*```text\n([\s\S]*?)\n```/.exec(readme)?.[1];
if (!shown) {
  console.log('check-readme: no tour output block in README.md');
  process.exit(1);
}
const printed = execFileSync(process.execPath, [join(root, 'scripts/tour.mjs')], { encoding: 'utf8' });
const lines = printed.split('\n');
const from = lines.indexOf(shown.split('\n')[0]);
const actual = from < 0 ? '' : lines.slice(from, from + shown.split('\n').length).join('\n');
if (actual !== shown) {
  console.log('check-readme: the tour in README.md is not what `npm run tour` prints now; paste its output');
  console.log(printed);
  process.exitCode = 1;
} else
  console.log(`check-readme: the README's tour matches \`npm run tour\` (${shown.split('\n').length} lines)`);
