import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Parsed JSON output; tests index into it freely. */
// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON fields
type Json = any;

/** The built binary the tests run. */
export const BIN = new URL('../dist/bin.js', import.meta.url).pathname;

/** Runs the built `motcua` binary as a subprocess. */
export function motcua(...args: string[]): Result {
  return motcuaWith({}, ...args);
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
  json: () => Json;
}

/** Runs the built binary with the given standard input. */
export function motcuaWith(
  options: { input?: string; env?: Record<string, string> },
  ...args: string[]
): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'motcua-cli-'));
}
