import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const base = new URL('../../shared/data/', import.meta.url);

/** Rows of a shared/data CSV (tests only: packages never read shared/ at run time). */
export function sharedCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(new URL(path, base), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  });
}
