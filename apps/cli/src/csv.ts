import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * A streaming CSV reader for the long files of province IT (a million rows and more): RFC 4180 quoting
 * (`""` inside quoted fields, delimiters and line breaks inside quotes), CRLF or LF, a UTF-8 BOM, comma or
 * semicolon; unquoted cells are trimmed, blank lines skipped. It hands out rows in batches (one per chunk
 * read) so the per-row cost is the parsing alone; memory is one chunk and one batch, whatever the file size.
 */
export async function* csvBatches(
  path: string,
  delimiter: ',' | ';',
  progress?: { bytes: number },
): AsyncGenerator<string[][]> {
  const decoder = new StringDecoder('utf8');
  const delim = delimiter.charCodeAt(0);
  let carry = '';
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (progress) progress.bytes += (chunk as Buffer).length;
    let text = carry + decoder.write(chunk as Buffer);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const rows: string[][] = [];
    carry = text.slice(parse(text, delim, rows, false));
    if (rows.length) yield rows;
  }
  const rest = carry + decoder.end();
  if (rest.length) {
    const rows: string[][] = [];
    parse(rest, delim, rows, true);
    if (rows.length) yield rows;
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

const trimmed = (s: string) => {
  const n = s.length;
  if (n === 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a === SPACE || a === TAB || b === SPACE || b === TAB ? s.trim() : s;
};

/**
 * Parses the complete rows of `text` into `rows`; returns where the first incomplete row starts (the text
 * length when all were complete). With `final`, the last row needs no line break.
 */
function parse(text: string, delim: number, rows: string[][], final: boolean): number {
  const n = text.length;
  let i = 0;
  let rowStart = 0;
  while (i < n) {
    rowStart = i;
    const row: string[] = [];
    // one row
    for (;;) {
      if (i < n && text.charCodeAt(i) === QUOTE) {
        // quoted field
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) {
            if (!final) return rowStart;
            value += text.slice(from); // an unterminated quote at the end of the file: the rest is that field
            i = n;
            break;
          }
          if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return rowStart; // the next chunk may start with the second quote
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        // skip anything up to the delimiter or the line end (spaces after the closing quote)
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === delim || c === CR || c === LF) break;
          i++;
        }
        row.push(value);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === delim || c === CR || c === LF) break;
          j++;
        }
        row.push(trimmed(text.slice(i, j)));
        i = j;
      }
      if (i >= n) {
        if (!final) return rowStart;
        pushRow(row, rows);
        return n;
      }
      const c = text.charCodeAt(i);
      if (c === delim) {
        i++;
        if (i >= n && !final) return rowStart;
        continue;
      }
      // line end: CRLF, LF or a lone CR
      if (c === CR) {
        if (i + 1 >= n && !final) return rowStart;
        i += i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++;
      pushRow(row, rows);
      break;
    }
  }
  return n;
}

function pushRow(row: string[], rows: string[][]): void {
  if (row.length === 1 && row[0] === '') return; // a blank line
  rows.push(row);
}

const NEEDS_QUOTES = { ',': /[",\r\n]/, ';': /[";\r\n]/ } as const;

/** One CSV cell: quoted when it holds the delimiter, a quote or a line break. */
export function csvCell(value: string | number, delimiter: ',' | ';'): string {
  const s = typeof value === 'number' ? String(value) : value;
  return NEEDS_QUOTES[delimiter].test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF, as Excel writes it). */
export function csvLine(cells: readonly (string | number)[], delimiter: ',' | ';'): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i ? delimiter : '') + csvCell(cells[i]!, delimiter);
  return `${out}\r\n`;
}
