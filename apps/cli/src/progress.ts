import { SingleBar } from 'cli-progress';
import { sizeOf } from './io.js';

/**
 * A progress bar with rate and ETA for long files, shown only on a terminal (stderr) and never with --json.
 * Progress is the bytes read out of the file's size.
 */
export function progressFor(
  path: string,
  json: boolean,
): { tick(rows: number, bytes: number): void; clear(): void; stop(rows: number): void } | undefined {
  if (json || !process.stderr.isTTY) return undefined;
  const total = sizeOf(path);
  if (total < 1_000_000) return undefined;
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
    stream: process.stderr,
    hideCursor: true,
    etaBuffer: 50,
  });
  const started = Date.now();
  let last = 0;
  bar.start(total, 0, { rows: 0, rate: 0 });
  const rate = (rows: number) =>
    Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)).toLocaleString('en');
  return {
    tick(rows, bytes) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      bar.update(bytes, { rows: rows.toLocaleString('en'), rate: rate(rows) });
    },
    /** Wipes the bar's line before other output; the next tick draws it again. */
    clear() {
      process.stderr.write('\r\x1b[2K');
      last = 0;
    },
    stop(rows) {
      bar.update(total, { rows: rows.toLocaleString('en'), rate: rate(rows) });
      bar.stop();
    },
  };
}
