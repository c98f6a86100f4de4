// Runs the first ```ts block of a package README (the "try it" example) as a program: bundled with
// esbuild (dependencies stay external and resolve from the workspace), executed with Node, timed out
// after 60 s. Exit code 0 when it ran to the end. Usage: node scripts/run-readme-example.mjs packages/<name>
// scripts/check-packages.mjs imports the two helpers below to run the same example from installed tarballs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The line every example prints last, so a caller can tell "ran to the end" from an early exit 0. */
export const END_MARKER = 'README example: ran to the end';

/** The first ```ts block of a markdown text, or undefined. */
export function firstTsBlock(markdown) {
  return /```ts\n([\s\S]*?)```/.exec(markdown)?.[1];
}

/**
 * Writes `block` (plus the end marker) as `<work>/readme-example.ts`, bundles it to `outfile` as ESM for
 * Node with every package left external (they resolve from wherever `outfile` is run), and removes the .ts.
 */
export async function bundleExample(block, work, outfile) {
  mkdirSync(work, { recursive: true });
  const src = join(work, 'readme-example.ts');
  writeFileSync(src, `${block}\nconsole.log('${END_MARKER}');\n`);
  try {
    await build({
      entryPoints: [src],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      packages: 'external',
      logLevel: 'error',
    });
  } finally {
    rmSync(src, { force: true });
  }
}

async function main() {
  const dir = resolve(process.argv[2] ?? '.');
  const block = firstTsBlock(readFileSync(join(dir, 'README.md'), 'utf8'));
  if (!block) {
    console.error(`no \`\`\`ts block in ${dir}/README.md`);
    process.exit(2);
  }
  const work = join(dir, 'test', '.build');
  const out = join(work, `readme-example-${process.pid}.mjs`);
  try {
    await bundleExample(block, work, out);
    const r = spawnSync(process.execPath, [out], { encoding: 'utf8', timeout: 60_000 });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exitCode = r.status ?? 1;
  } finally {
    rmSync(out, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
