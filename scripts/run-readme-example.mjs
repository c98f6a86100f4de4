// Runs the first ```ts block of a package README (the "try it" example) as a program: bundled with
// esbuild (dependencies stay external and resolve from the workspace), executed with Node, timed out
// after 60 s. Exit code 0 when it ran to the end. Usage: node scripts/run-readme-example.mjs packages/<name>
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const dir = resolve(process.argv[2] ?? '.');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
if (!block) {
  console.error(`no \`\`\`ts block in ${dir}/README.md`);
  process.exit(2);
}
const work = join(dir, 'test', '.build');
mkdirSync(work, { recursive: true });
const src = join(work, 'readme-example.ts');
const out = join(work, `readme-example-${process.pid}.mjs`);
writeFileSync(src, `${block}\nconsole.log('README example: ran to the end');\n`);
try {
  await build({ entryPoints: [src], bundle: true, platform: 'node', format: 'esm', outfile: out, packages: 'external', logLevel: 'error' });
  const r = spawnSync(process.execPath, [out], { encoding: 'utf8', timeout: 60_000 });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
} finally {
  rmSync(src, { force: true });
  rmSync(out, { force: true });
}
