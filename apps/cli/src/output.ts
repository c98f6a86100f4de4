import { MotcuaError } from '@motcua/core';

/** Exit codes: 0 fine, 1 findings, 2 usage errors, 3 I/O errors. */
export const EXIT = { ok: 0, findings: 1, usage: 2, io: 3 } as const;

/** An error that ends the command with a given exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code = 'cli.error',
    /** Structured details for the JSON error (never personal data). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  json?: boolean;
}

/** Prints a value: JSON with --json, else the human text. */
export function print(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Reports an error on stderr (one line; JSON with --json) and returns its exit code. */
export function reportError(opts: GlobalOptions, error: unknown): number {
  let code = 'cli.error';
  let message: string;
  let exit: number = EXIT.usage;
  let issues: unknown;
  let details: Record<string, unknown> | undefined;
  if (error instanceof CliError) {
    code = error.code;
    message = error.message;
    exit = error.exitCode;
    details = error.details;
  } else if (error instanceof MotcuaError) {
    code = error.code;
    message = error.message;
    exit = EXIT.usage;
    issues = (error as { issues?: unknown }).issues;
    if (Object.keys(error.details).length) details = error.details;
  } else if (
    error instanceof Error &&
    'code' in error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!)
  ) {
    code = `io.${(error as NodeJS.ErrnoException).code}`;
    message = error.message;
    exit = EXIT.io;
  } else {
    message = error instanceof Error ? error.message : String(error);
  }
  if (opts.json)
    process.stderr.write(
      `${JSON.stringify({ error: { code, message, ...(details ? { details } : {}), ...(issues ? { issues } : {}) } })}\n`,
    );
  else
    process.stderr.write(
      `motcua: ${message.replace(/\s*\n\s*/g, ' ')}${code !== 'cli.error' && !message.includes(code) ? ` [${code}]` : ''}\n`,
    );
  return exit;
}

/** Terminal styling, only on a TTY and without NO_COLOR. */
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
export const style = {
  bold: (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s),
  dim: (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s),
  red: (s: string) => (tty ? `\x1b[31m${s}\x1b[0m` : s),
  green: (s: string) => (tty ? `\x1b[32m${s}\x1b[0m` : s),
  yellow: (s: string) => (tty ? `\x1b[33m${s}\x1b[0m` : s),
};
