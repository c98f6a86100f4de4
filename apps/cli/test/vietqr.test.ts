import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { motcua, motcuaWith, tempDir } from './run.js';

// The static-account example of the NAPAS QR Format document (v1.5.2), as in /work/shared/data/vietqr.
const NAPAS_STATIC =
  '00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F';

/** Reads the QR code drawn in a PNG file back into its text. */
function scanPng(path: string): string | undefined {
  const png = PNG.sync.read(readFileSync(path));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('motcua vietqr', () => {
  it('decodes the NAPAS example field by field', () => {
    const r = motcua('vietqr', 'decode', NAPAS_STATIC, '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.payload).toBe(NAPAS_STATIC);
    expect(out.initiation).toBe('static');
    expect(out.bankBin).toBe('970403');
    expect(out.accountNumber).toBe('0011012345678');
    expect(out.service).toBe('QRIBFTTA');
    expect(out.currency).toBe('704');
    expect(out.country).toBe('VN');
    expect(out.crc).toBe('9E6F');
    expect(out.amount).toBeUndefined();
    expect(out.warnings).toEqual([]);
    expect(out.files).toEqual({});
    const human = motcua('vietqr', 'decode', NAPAS_STATIC, '--lang', 'en');
    expect(human.stdout).toContain('Bank BIN        970403');
    expect(human.stdout).toContain('Account/card    0011012345678');
    // From standard input, as scanned (BOM and a trailing newline tolerated).
    const piped = motcuaWith({ input: `\uFEFF${NAPAS_STATIC}\r\n` }, 'vietqr', 'decode', '-', '--json');
    expect(piped.code).toBe(0);
    expect(piped.json().accountNumber).toBe('0011012345678');
  });

  it('encodes a fee with the payment reference of a dossier, round-trips and draws a scannable PNG and an SVG', () => {
    const dir = tempDir();
    const png = join(dir, 'fee.png');
    const svg = join(dir, 'fee.svg');
    const r = motcua(
      'vietqr',
      'encode',
      '--bank',
      '970403',
      '--account',
      '0011012345678',
      '--amount',
      '14.000',
      '--dossier',
      '000.00.19.H57-260302-0001',
      '--png',
      png,
      '--svg',
      svg,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.json();
    expect(out.initiation).toBe('dynamic');
    expect(out.amount).toBe(14000);
    expect(out.purpose).toBe('00000192603020001');
    expect(out.bankBin).toBe('970403');
    expect(out.files).toEqual({ png, svg });
    expect(out.payload).toBe(
      '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704540514000' +
        '5802VN62210817000001926030200016304B302',
    );
    const back = motcua('vietqr', 'decode', out.payload, '--json').json();
    expect(back.amount).toBe(14000);
    expect(back.purpose).toBe('00000192603020001');
    expect(scanPng(png)).toBe(out.payload);
    const svgText = readFileSync(svg, 'utf8');
    expect(svgText).toMatch(/^<svg[^>]*viewBox/);
    // The human form prints the payload alone on its first line, for scripts that do not parse JSON.
    const human = motcua('vietqr', 'encode', '--bank', '970403', '--account', '0011012345678');
    expect(human.code).toBe(0);
    expect(human.stdout.trim()).toBe(NAPAS_STATIC);
  });

  it('warns (stderr, exit 0) about a purpose with diacritics or longer than 25 characters', () => {
    const r = motcua(
      'vietqr',
      'encode',
      '--bank',
      '970436',
      '--account',
      '1234567890',
      '--purpose',
      'Lệ phí chứng thực bản sao hồ sơ số 1',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('vietqr.purpose_diacritics');
    expect(r.stderr).toContain('vietqr.purpose_long');
    const j = motcua(
      'vietqr',
      'encode',
      '--bank',
      '970436',
      '--account',
      '1234567890',
      '--purpose',
      'Lệ phí chứng thực bản sao hồ sơ số 1',
      '--json',
    );
    expect(j.stderr).toBe('');
    expect(j.json().warnings.map((w: { code: string }) => w.code)).toEqual([
      'vietqr.purpose_diacritics',
      'vietqr.purpose_long',
    ]);
  });

  it('bad payloads exit 1 with the TreasuryError code, naming the field, without echoing the payload', () => {
    const badCrc = `${NAPAS_STATIC.slice(0, -1)}E`;
    const a = motcua('vietqr', 'decode', badCrc);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe('');
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.stderr).toContain('vietqr.crc at field 63');
    expect(a.stderr).toContain('expected 9E6F, found 9E6E');
    expect(a.stderr).not.toContain('0011012345678');
    const b = motcua('vietqr', 'decode', badCrc, '--json');
    expect(b.code).toBe(1);
    const err = JSON.parse(b.stderr).error;
    expect(err.code).toBe('vietqr.crc');
    expect(err.details).toEqual({ expected: '9E6F', found: '9E6E', field: '63', length: 94 });
    // A length that runs past the end of template 38.
    const c = motcua('vietqr', 'decode', `00020101021138990010A000000727`, '--json');
    expect(c.code).toBe(1);
    expect(JSON.parse(c.stderr).error.code).toBe('vietqr.length');
    // Nothing is drawn for a bad payload.
    const dir = tempDir();
    const png = join(dir, 'bad.png');
    expect(motcua('vietqr', 'decode', badCrc, '--png', png).code).toBe(1);
    expect(() => readFileSync(png)).toThrow();
  });

  it('bad encode flags exit 2 naming the flag or the field; an unwritable image exits 3', () => {
    const a = motcua('vietqr', 'encode', '--bank', '97040', '--account', '1', '--json');
    expect(a.code).toBe(2);
    expect(JSON.parse(a.stderr).error).toMatchObject({
      code: 'vietqr.bank_bin',
      details: { field: '38.01.00' },
    });
    const b = motcua('vietqr', 'encode', '--bank', '970403', '--account', '1', '--amount', '12.5');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--amount 12.5');
    const size = motcua(
      'vietqr',
      'encode',
      '--bank',
      '970403',
      '--account',
      '1',
      '--png',
      '/tmp/x.png',
      '--size',
      '-5',
      '--json',
    );
    expect(size.code).toBe(2);
    expect(JSON.parse(size.stderr).error.code).toBe('usage.size');
    const c = motcua('vietqr', 'encode', '--bank', '970403');
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('account');
    const d = motcua(
      'vietqr',
      'encode',
      '--bank',
      '970403',
      '--account',
      '1',
      '--png',
      '/nonexistent/dir/q.png',
      '--json',
    );
    expect(d.code).toBe(3);
    const err = JSON.parse(d.stderr).error;
    expect(err.code).toBe('io.ENOENT');
    expect(err.message).toContain('/nonexistent/dir/q.png');
    expect(err.message).not.toContain('.tmp');
  });
});
