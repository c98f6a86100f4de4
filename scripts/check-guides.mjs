// Checks that every guide's code is true. In docs/guides/*.md every fenced block (but ```text, which shows
// output) must be preceded by one of these markers (an HTML comment, invisible on the site):
//   <!-- runnable -->              run here. ```ts / ```js: the guide's runnable blocks, in order, make one
//                                  program (each block's imports are hoisted, the rest runs in its own scope),
//                                  bundled with esbuild against the built workspace packages and run with Node.
//                                  A line `console.log(expr); // text` is an assertion: the printed value
//                                  (strings as they are, other values as JSON) must equal `text`.
//                                  ```sh: each line is an `npx motcua …` command, run with the built CLI in a
//                                  scratch directory (where `examples/` is the repository's); it must exit 0, and a trailing `# … prints: text` asserts
//                                  that its output contains `text`. ```json: the block must parse.
//   <!-- from examples/x/y.ts -->  the block is copied from that file, which the examples test runs: it must
//                                  appear there verbatim (indentation and blank lines aside).
//   <!-- not run: reason -->      shown, not run (say why: it needs a real gateway, a secret...).
// Every guide must open with a `title:` front matter or a `# ` heading. Needs the packages built.
// Usage: node scripts/check-guides.mjs [docs/guides/x.md ...]
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const guidesDir = join(root, 'docs/guides');
// Inside the repository so that the bundle's imports resolve from the workspace's node_modules.
const work = join(root, 'node_modules/.cache/motcua-guides');
const files =
  process.argv.length > 2
    ? process.argv.slice(2).map((f) => join(root, f))
    : readdirSync(guidesDir)
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => join(guidesDir, f));

/** The fenced blocks of a markdown text with their language, first line number and the marker above. */
export function blocksOf(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('```')) j++;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    const marker = /^<!--\s*(runnable|from\s+(\S+)|not run:\s*(.+?))\s*-->$/.exec(lines[k]?.trim() ?? '');
    blocks.push({
      lang: open[1],
      line: i + 1,
      code: lines.slice(i + 1, j).join('\n'),
      marker: marker ? (marker[2] ? 'from' : marker[3] ? 'not run' : 'runnable') : undefined,
      from: marker?.[2],
      reason: marker?.[3],
    });
    i = j;
  }
  return blocks;
}

/** One program from a guide's runnable blocks: imports hoisted, each block in its own scope, assertions. */
export function programOf(blocks) {
  const imports = [];
  const bodies = [];
  for (const b of blocks) {
    let body = b.code.replace(
      /^import\s[\s\S]*?from\s+['"][^'"]+['"];?[ \t]*$|^import\s+['"][^'"]+['"];?[ \t]*$/gm,
      (m) => {
        imports.push(m);
        return '';
      },
    );
    body = body.replace(
      /^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+?)\s*$/gm,
      (_, indent, expr, expected) =>
        `${indent}__expect((${expr}), ${JSON.stringify(expected)}, ${JSON.stringify(`line ${b.line}`)});`,
    );
    bodies.push(`// block at line ${b.line}\n{\n${body}\n}`);
  }
  const helper = `function __expect(value, expected, where) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  console.log(text);
  if (text !== expected) {
    console.error('guide ' + where + ': printed ' + text + ', the guide says ' + expected);
    process.exitCode = 1;
  }
}`;
  return `${[...new Set(imports)].join('\n')}\n${helper}\n${bodies.join('\n')}\nconsole.log('guide: ran to the end');\n`;
}

const normalise = (s) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');

const SCRIPT_LANGS = ['ts', 'js', 'typescript', 'javascript', 'tsx'];
const cli = join(root, 'apps/cli/dist/bin.js');

/** The commands of a shell block: continuation lines joined, comments and blank lines left out. */
export function commandsOf(code) {
  const commands = [];
  for (const raw of code.replace(/\\\n\s*/g, ' ').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const comment = /\s#\s(.*)$/.exec(line);
    commands.push({
      command: comment ? line.slice(0, comment.index).trim() : line,
      prints: comment ? /prints:\s*(.+?)\s*$/.exec(comment[1])?.[1] : undefined,
    });
  }
  return commands;
}

/** Runs a runnable block that is not a program (```sh, ```json); answers a problem, or undefined. */
function checkOther(b) {
  if (b.lang === 'json') {
    try {
      JSON.parse(b.code);
      return undefined;
    } catch (e) {
      return `the JSON does not parse: ${e.message}`;
    }
  }
  if (b.lang !== 'sh' && b.lang !== 'bash')
    return `a runnable \`${b.lang}\` block: only ts, js, sh and json run`;
  // A scratch directory holding `examples/` (a link), so that a command may read an example's files.
  const scratch = join(work, `sh-${b.line}`);
  mkdirSync(scratch, { recursive: true });
  if (!existsSync(join(scratch, 'examples'))) symlinkSync(join(root, 'examples'), join(scratch, 'examples'));
  for (const { command, prints } of commandsOf(b.code)) {
    if (!command.startsWith('npx motcua '))
      return `\`${command}\`: a runnable sh block runs \`npx motcua …\` commands only (mark the block not run)`;
    const line = `"${process.execPath}" "${cli}" ${command.slice('npx motcua '.length)}`;
    const r = spawnSync('sh', ['-c', line], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
    const output = `${r.stdout}${r.stderr}`;
    if (r.status !== 0) return `\`${command}\` exited ${r.status}:\n${output}`;
    if (prints && !output.includes(prints))
      return `\`${command}\` did not print ${JSON.stringify(prints)}; it printed:\n${output}`;
  }
  return undefined;
}

let failures = 0;
const notRun = [];
let ran = 0;
let copied = 0;
mkdirSync(work, { recursive: true });
try {
  for (const file of files) {
    const name = relative(root, file);
    const text = readFileSync(file, 'utf8');
    const problems = [];
    if (!/^---\ntitle: .+\n---\n/.test(text) && !/^# /.test(text))
      problems.push('opens with neither a `title:` front matter nor a `# ` heading');
    const blocks = blocksOf(text).filter((b) => b.lang !== 'text');
    for (const b of blocks) {
      if (!b.marker)
        problems.push(`line ${b.line}: a code block with no <!-- runnable / from / not run --> marker`);
      if (b.marker === 'runnable' && !SCRIPT_LANGS.includes(b.lang)) {
        const problem = checkOther(b);
        if (problem) problems.push(`line ${b.line}: ${problem}`);
        else ran++;
      }
      if (b.marker === 'not run') notRun.push(`${name}:${b.line} (${b.reason})`);
      if (b.marker === 'from') {
        const source = join(root, b.from);
        if (!b.from.startsWith('examples/'))
          problems.push(`line ${b.line}: "from" must name a file under examples/`);
        else if (!existsSync(source)) problems.push(`line ${b.line}: ${b.from} does not exist`);
        else if (!normalise(readFileSync(source, 'utf8')).includes(normalise(b.code)))
          problems.push(`line ${b.line}: the block is not (any more) in ${b.from}`);
        else copied++;
      }
    }
    const runnable = blocks.filter((b) => b.marker === 'runnable' && SCRIPT_LANGS.includes(b.lang));
    if (runnable.length > 0 && problems.length === 0) {
      const src = join(work, `${name.replace(/\W/g, '_')}.ts`);
      const out = src.replace(/\.ts$/, '.mjs');
      writeFileSync(src, programOf(runnable));
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
        const r = spawnSync(process.execPath, [out], { cwd: work, encoding: 'utf8', timeout: 120_000 });
        if (r.status !== 0 || !r.stdout.includes('guide: ran to the end'))
          problems.push(`its runnable blocks failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
        else ran += runnable.length;
      } catch (e) {
        problems.push(`its runnable blocks do not build: ${e.message}`);
      }
    }
    console.log(
      `${problems.length === 0 ? ' ok ' : 'FAIL'}  ${name.padEnd(32)} ${blocks.filter((b) => b.marker === 'runnable').length} run, ${blocks.filter((b) => b.marker === 'from').length} from examples, ${blocks.filter((b) => b.marker === 'not run').length} not run`,
    );
    for (const p of problems) console.log(`        ${p}`);
    failures += problems.length > 0 ? 1 : 0;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const n of notRun) console.log(`  not run: ${n}`);
console.log(
  `check-guides: ${files.length} guides, ${ran} blocks run, ${copied} taken from examples, ${notRun.length} not run, ${failures} failing`,
);
process.exitCode = failures > 0 ? 1 : 0;
