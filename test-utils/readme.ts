import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs the first ```ts block of a package's README as a program (see scripts/run-readme-example.mjs) and
 * returns its exit status and output, so a test can assert the documented example really works.
 */
export function runReadmeExample(packageDir: string): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const script = fileURLToPath(new URL('../scripts/run-readme-example.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, packageDir], { encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
