import { createReadStream, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse';
import { CliError, EXIT } from './output.js';

/** Reads a UTF-8 text file, with or without a byte-order mark. */
export function readText(path: string): string {
  if (!existsSync(path)) throw new CliError(`${path}: no such file`, EXIT.io, 'io.ENOENT');
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

/** Guesses the delimiter of a CSV exported from Excel (semicolon in Vietnamese locales) from its first line. */
export function sniffDelimiter(path: string): ',' | ';' {
  const fd = readFileSync(path, { encoding: 'utf8', flag: 'r' }).slice(0, 4096);
  const first = fd.split(/\r?\n/, 1)[0] ?? '';
  return (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Streams the rows of a CSV file as objects keyed by the header (UTF-8, BOM tolerated, quoted fields). */
export function csvRows(path: string): AsyncIterable<Record<string, string>> & { info: { bytes: number } } {
  if (!existsSync(path)) throw new CliError(`${path}: no such file`, EXIT.io, 'io.ENOENT');
  return createReadStream(path).pipe(
    parse({
      columns: true,
      bom: true,
      delimiter: sniffDelimiter(path),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }),
  );
}

/** File size in bytes (for progress). */
export function sizeOf(path: string): number {
  return statSync(path).size;
}

/**
 * Writes a file atomically: to a temporary file beside it, renamed into place when complete, removed if the
 * process is interrupted, so no half-written output is ever left.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const cleanup = () => rmSync(tmp, { force: true });
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    await writeFile(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    cleanup();
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
