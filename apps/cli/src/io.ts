import {
  closeSync,
  createWriteStream,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MotcuaError } from '@motcua/core';
import { csvBatches } from './csv.js';
import { CliError, EXIT } from './output.js';

/** Reads a UTF-8 text file, with or without a byte-order mark. */
export function readText(path: string): string {
  requireFile(path);
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
}

/** Reads and parses a JSON file, naming the file in the error. */
export function readJson(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path}: not valid JSON (${(e as Error).message})`, EXIT.usage, 'input.json');
  }
}

/**
 * Runs a parse of an input's content and names that input in the error it throws (`commune.json:
 * config.seasons: …`), keeping the error's code, details and issues.
 */
export function naming<T>(input: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof MotcuaError && !e.message.startsWith(`${input}: `)) e.message = `${input}: ${e.message}`;
    throw e;
  }
}

/** Guesses the delimiter of a CSV exported from Excel (semicolon in Vietnamese locales) from its first line. */
export function sniffDelimiter(path: string): ',' | ';' {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(4096);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const first = head.subarray(0, n).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  return (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Fails with exit 3 naming the file when it is missing or not a regular file. */
export function requireFile(path: string, what = ''): void {
  const label = what ? `${what} ${path}` : path;
  if (!existsSync(path)) throw new CliError(`${label}: no such file`, EXIT.io, 'io.ENOENT');
  if (!statSync(path).isFile()) throw new CliError(`${label}: not a file`, EXIT.io, 'io.EISDIR');
}

/**
 * Streams the rows of a CSV file as objects keyed by the header (UTF-8, BOM tolerated, comma or semicolon,
 * quoted fields); `info.bytes` is how far the file has been read (for progress).
 */
export function csvRows(path: string): AsyncIterable<Record<string, string>> & { info: { bytes: number } } {
  requireFile(path);
  const info = { bytes: 0 };
  const delimiter = sniffDelimiter(path);
  async function* rows(): AsyncGenerator<Record<string, string>> {
    let header: string[] | undefined;
    for await (const batch of csvBatches(path, delimiter, info)) {
      for (const cells of batch) {
        if (!header) {
          header = cells;
          continue;
        }
        const o: Record<string, string> = {};
        const n = Math.min(header.length, cells.length);
        for (let k = 0; k < n; k++) o[header[k]!] = cells[k]!;
        yield o;
      }
    }
  }
  return Object.assign(rows(), { info });
}

/** File size in bytes (for progress). */
export function sizeOf(path: string): number {
  return statSync(path).size;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const EXIT_ON = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** The temporary file an output is written to before it is renamed into place (hidden, beside it). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Names the output file (not its temporary) in an I/O error. */
function outputError(path: string, e: unknown): CliError {
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : 'EIO';
  return new CliError(
    `${path}: cannot write (${(err?.message ?? code).replace(/, \w+ '[^']*'$/, '')})`,
    EXIT.io,
    `io.${code}`,
  );
}

/**
 * An output file written through a stream into a temporary file beside it and renamed into place by
 * `commit()`; `abort()` (and SIGINT, SIGTERM, SIGHUP) removes the temporary, so no half-written output is
 * ever left where the user asked for it.
 */
export function atomicOutput(path: string): {
  write(chunk: string): boolean;
  drain(): Promise<void>;
  commit(): Promise<void>;
  abort(): void;
} {
  const dir = dirname(path);
  if (!existsSync(dir))
    throw outputError(path, Object.assign(new Error('no such directory'), { code: 'ENOENT' }));
  const tmp = tempPathFor(path);
  const out = createWriteStream(tmp);
  let failure: unknown;
  out.on('error', (e) => {
    failure = e;
  });
  const abort = () => {
    out.on('error', () => {}); // the half-written file is removed; its late errors are moot
    out.destroy();
    rmSync(tmp, { force: true });
    for (const s of SIGNALS) process.removeListener(s, handlers[s]);
  };
  const handlers = Object.fromEntries(
    SIGNALS.map((s) => [
      s,
      () => {
        abort();
        process.exit(EXIT_ON[s]);
      },
    ]),
  ) as unknown as Record<(typeof SIGNALS)[number], () => void>;
  for (const s of SIGNALS) process.once(s, handlers[s]);
  return {
    write(chunk) {
      if (failure) throw outputError(path, failure);
      return out.write(chunk);
    },
    drain() {
      if (failure) return Promise.reject(outputError(path, failure));
      return new Promise<void>((resolve, reject) => {
        const onError = (e: unknown) => reject(outputError(path, e));
        out.once('error', onError);
        out.once('drain', () => {
          out.removeListener('error', onError);
          resolve();
        });
      });
    },
    async commit() {
      try {
        if (failure) throw failure;
        await new Promise<void>((resolve, reject) =>
          out.end((e?: Error | null) => (e ? reject(e) : resolve())),
        );
        renameSync(tmp, path);
        for (const s of SIGNALS) process.removeListener(s, handlers[s]);
      } catch (e) {
        abort();
        throw outputError(path, e);
      }
    },
    abort,
  };
}

/**
 * Writes a file atomically: to a temporary file beside it, renamed into place when complete, removed if the
 * process is interrupted, so no half-written output is ever left.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  const cleanup = () => rmSync(tmp, { force: true });
  const handlers = SIGNALS.map((s) => {
    const h = () => {
      cleanup();
      process.exit(EXIT_ON[s]);
    };
    process.once(s, h);
    return [s, h] as const;
  });
  try {
    await writeFile(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    cleanup();
    throw outputError(path, e);
  } finally {
    for (const [s, h] of handlers) process.removeListener(s, h);
  }
}
