import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { motcua, tempDir } from './run.js';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;

/** A CSV of `rows` distinct old addresses (no two alike, so nothing is answered from memory). */
async function bigAddressFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('\uFEFFid;Địa chỉ\r\n');
  for (let i = 0; i < rows; i++) {
    const line = `${i};"Số ${i} ngõ ${i % 97}, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình"\r\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('interrupting a long run', () => {
  for (const [signal, exit] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} mid-way through units convert leaves neither a half-written output nor a temporary file, and keeps the previous output`, async () => {
      const dir = tempDir();
      const input = join(dir, 'households.csv');
      await bigAddressFile(input, 300_000);
      const out = join(dir, 'converted.csv');
      writeFileSync(out, 'the previous, complete output\n');
      const child = spawn(
        process.execPath,
        [BIN, 'units', 'convert', input, '--column', 'Địa chỉ', '--out', out],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const tmp = join(dir, `.converted.csv.${child.pid}.tmp`);
      // Wait until the run has written part of its output (no deadline of our own: vitest's timeout applies).
      while (!(existsSync(tmp) && statSync(tmp).size > 100_000)) {
        expect(child.exitCode).toBeNull(); // still running: the file is big enough not to finish first
        await sleep(20);
      }
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      expect(code).toBe(exit);
      expect(readdirSync(dir).sort()).toEqual(['converted.csv', 'households.csv']);
      expect(readFileSync(out, 'utf8')).toBe('the previous, complete output\n');
    }, 120_000);
  }
});

describe('progress bar', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)(
    'shows rate and ETA on a terminal, nothing when piped or with --json',
    async () => {
      const dir = tempDir();
      const input = join(dir, 'households.csv');
      await bigAddressFile(input, 40_000); // over 1 MB: long enough for a bar
      const out = join(dir, 'out.csv');
      const cmd = `${process.execPath} ${BIN} units convert ${input} --column 'Địa chỉ' --out ${out}`;
      // `script` gives the command a pseudo-terminal; its output is the terminal's.
      const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(tty.status).toBe(0);
      expect(tty.stdout).toMatch(/rows\/s \| ETA/);
      expect(tty.stdout).toContain('40,000 rows');
      const json = spawnSync('script', ['-qec', `${cmd} --json`, '/dev/null'], { encoding: 'utf8' });
      expect(json.status).toBe(0);
      expect(json.stdout).not.toMatch(/rows\/s/);
      expect(JSON.parse(json.stdout.replace(/\r\n/g, '\n'))).toEqual({ rows: 40_000, needsReview: 0, out });
      const piped = motcua('units', 'convert', input, '--column', 'Địa chỉ', '--out', out);
      expect(piped.code).toBe(0);
      expect(piped.stderr).toBe('');
    },
    120_000,
  );
});

describe('CSV from Excel and odd files', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, short rows and no final line break, as csv-parse does', () => {
    const dir = tempDir();
    const input = join(dir, 'odd.csv');
    const text =
      '\uFEFFid;note;Địa chỉ\r\n' +
      '1;"a; b";"Xóm Mới, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình"\r\n' +
      '2;"he said ""ok""\r\nnext line";"Thôn 3, Xã Cổ Bi, Huyện Gia Lâm, Hà Nội"\n' +
      '\r\n' +
      '3;  spaced  \r\n' +
      '4;;"Số 5, Phường Phúc Xá, Quận Ba Đình, Hà Nội"';
    writeFileSync(input, text);
    const out = join(dir, 'out.csv');
    const r = motcua('units', 'convert', input, '--column', 'Địa chỉ', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(r.json().rows).toBe(4);
    const expected = parse(text, {
      bom: true,
      delimiter: ';',
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
    const got = parse(readFileSync(out, 'utf8'), { bom: true, delimiter: ';' }) as string[][];
    expect(got.map((row) => row.slice(0, 3))).toEqual(expected.map((row) => [...row, '', ''].slice(0, 3)));
    expect(got[0]!.slice(3)).toEqual([
      'new_address',
      'commune_code',
      'province_code',
      'confidence',
      'needs_review',
      'reason',
    ]);
    expect(got[1]!.slice(3, 5)).toEqual(['Xóm Mới, Xã Vân Sơn, Tỉnh Phú Thọ', '05152']);
    expect(got[3]![7]).toBe('yes'); // no address: needs review
  });

  it('units convert --jobs 3 (worker threads) writes exactly what one thread writes, rows in order', async () => {
    const dir = tempDir();
    const input = join(dir, 'households.csv');
    await bigAddressFile(input, 5_500); // six batches of 1,000 and a short one
    const one = join(dir, 'one.csv');
    const three = join(dir, 'three.csv');
    expect(motcua('units', 'convert', input, '--column', 'Địa chỉ', '--out', one).code).toBe(0);
    const r = motcua(
      'units',
      'convert',
      input,
      '--column',
      'Địa chỉ',
      '--out',
      three,
      '--jobs',
      '3',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ rows: 5_500, needsReview: 0, out: three });
    const a = readFileSync(one, 'utf8');
    expect(readFileSync(three, 'utf8')).toBe(a);
    const ids = a
      .split('\r\n')
      .slice(1, -1)
      .map((line) => Number(line.split(';')[0]));
    expect(ids).toEqual(Array.from({ length: 5_500 }, (_, i) => i));
  });

  it('an empty file, a directory, an unwritable output: one line on stderr naming the file, right exit code', () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const a = motcua('units', 'convert', empty, '--column', 'x', '--out', join(dir, 'o.csv'), '--json');
    expect(a.code).toBe(2);
    expect(JSON.parse(a.stderr).error).toMatchObject({ code: 'input.empty' });
    const b = motcua('validate', 'dossiers', dir);
    expect(b.code).toBe(3);
    expect(b.stderr).toBe(`motcua: ${dir}: not a file [io.EISDIR]\n`);
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'a,b\n1,2\n');
    const c = motcua('units', 'convert', input, '--column', 'b', '--out', join(dir, 'no', 'such', 'dir.csv'));
    expect(c.code).toBe(3);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toContain(join(dir, 'no', 'such', 'dir.csv'));
    expect(readdirSync(dir).sort()).toEqual(['empty.csv', 'in.csv']);
  });

  it('usage errors are one JSON line with --json, for every command', () => {
    for (const args of [
      ['vietqr', 'encode', '--bank', '970403'],
      ['verify'],
      ['sign', 'x.pdf'],
      ['units', 'convert', 'x.csv'],
      ['due', '--limit', '3d'],
      ['nonsense'],
    ]) {
      const r = motcua(...args, '--json');
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(JSON.parse(lines[0]!).error.code, args.join(' ')).toBe('usage');
    }
  });
});
