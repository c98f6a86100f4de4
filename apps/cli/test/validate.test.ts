import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { motcua, tempDir } from './run.js';

describe('motcua validate', () => {
  it('validates one personal ID and prints its parts as JSON', () => {
    const r = motcua('validate', 'id', '001090000001', '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      kind: 'id',
      rows: 1,
      valid: true,
      value: { provinceCode: '001', sex: 'male', birthYear: 1990 },
    });
  });

  it('reports every bad line of a file with row, field and rule, exit 1', () => {
    const dir = tempDir();
    const file = join(dir, 'codes.txt');
    writeFileSync(file, '\uFEFF0100233488\r\n0100233480\r\n0314409058-000\r\n0314409058-002\r\n');
    const r = motcua('validate', 'tax-code', file, '--json');
    expect(r.code).toBe(1);
    const out = r.json();
    expect(out.rows).toBe(4);
    expect(out.findings.map((f: { row: number; rule: string }) => [f.row, f.rule])).toEqual([
      [2, 'tax_code.checksum'],
      [3, 'tax_code.branch_zero'],
    ]);
    const human = motcua('validate', 'tax-code', file);
    expect(human.stdout).toContain('row 2, (value): tax_code.checksum');
  });

  it('validates a dossier export from Excel (semicolons, BOM, quoted fields)', () => {
    const dir = tempDir();
    const file = join(dir, 'dossiers.csv');
    writeFileSync(
      file,
      '\uFEFFdossierCode;procedureCode;unitCode;channel;receivedAt;status;limit\r\n' +
        '000.00.19.H57-260302-0001;2.000815;26734;direct;2026-03-02T08:00:00+07:00;inProgress;"{""unit"":""sameDay"",""cutoff"":""15:00""}"\r\n' +
        '000.00.19.H57-260302-0002;2.000815;26734;fax;2026-03-02T08:00:00+07:00;inProgress;\r\n' +
        '000.00.19.H57-260302-0003;2.000815;26734;direct;2026-03-02T08:00:00;done;\r\n',
    );
    const r = motcua('validate', 'dossiers', file, '--json');
    expect(r.code).toBe(1);
    expect(r.json().findings.map((f: { row: number; field: string }) => [f.row, f.field])).toEqual([
      [3, 'channel'],
      [4, 'receivedAt'],
      [4, 'status'],
    ]);
    const doc = r.json();
    expect(doc).toMatchObject({ kind: 'dossiers', input: file, rows: 3, valid: false });
    expect(doc.findings[0]).toMatchObject({ row: 3, field: 'channel', rule: 'invalid_value' });
    expect(doc.findings[0].message.en).toContain('"direct"|"online"|"postal"');
    // Human output: one line per finding as it is found, then the count.
    const human = motcua('validate', 'dossiers', file, '--lang', 'en');
    expect(human.code).toBe(1);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^✗ row 3, channel: invalid_value: /);
    expect(lines[3]).toBe('3 finding(s) in 3 row(s)');
  });

  it('bad flags and missing files give the right exit code and message', () => {
    const a = motcua('validate', 'passport', 'x');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/Invalid values|Choices/);
    const b = motcua('validate', 'dossiers', '/nonexistent/file.csv');
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('/nonexistent/file.csv');
    const c = motcua('validate', 'dossiers', '/nonexistent/file.csv', '--json');
    expect(JSON.parse(c.stderr).error.code).toBe('io.ENOENT');
    expect(motcua().code).toBe(2);
  });
});

describe('motcua validate procedures and units', () => {
  it('reports every bad row of a catalogue spreadsheet', () => {
    const dir = tempDir();
    const file = join(dir, 'catalogue.csv');
    writeFileSync(
      file,
      'Mã thủ tục;Tên thủ tục;Mã lĩnh vực;Lĩnh vực;Thời hạn giải quyết;Căn cứ pháp lý;Hiệu lực từ\n' +
        'HN.001;Thủ tục A;CT;Chứng thực;3 ngày làm việc;NĐ 23/2015;01/07/2025\n' +
        'HN.002;Thủ tục B;CT;Chứng thực;sớm nhất có thể;NĐ 23/2015;01/07/2025\n',
    );
    const r = motcua('validate', 'procedures', file, '--json');
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({
      rows: 2,
      valid: false,
      findings: [{ row: 3, field: 'Thời hạn giải quyết', rule: 'catalogue.limit_text' }],
    });
  });

  it('units get, lineage, search and convert', () => {
    expect(motcua('units', 'get', '05152', '--at', '2025-06-30', '--json').json()).toMatchObject({
      fullName: 'Xã Quyết Chiến',
    });
    expect(motcua('units', 'get', '05152', '--at', '2025-07-01', '--json').json()).toMatchObject({
      fullName: 'Xã Vân Sơn',
      provinceCode: '25',
    });
    expect(motcua('units', 'get', '00001', '--at', '2025-07-01').stderr).toContain('Phường Phúc Xá');
    expect(motcua('units', 'lineage', '05152', '--json').json().predecessors).toHaveLength(3);
    expect(motcua('units', 'search', 'ngo luong', '--at', '2025-06-30', '--json').json()[0].unit.code).toBe(
      '05194',
    );
    const dir = tempDir();
    const file = join(dir, 'old.csv');
    writeFileSync(
      file,
      'id;Địa chỉ\n1;"Xóm Mới, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình"\n2;"Thôn 3, Xã Cổ Bi, Huyện Gia Lâm, Hà Nội"\n',
    );
    const out = join(dir, 'new.csv');
    const r = motcua('units', 'convert', file, '--column', 'Địa chỉ', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ rows: 2, needsReview: 1 });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    // The input's semicolons are kept (Excel in a Vietnamese locale), with a BOM and CRLF line ends.
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFFid;Địa chỉ;new_address;commune_code;province_code;confidence;needs_review;reason',
    );
    expect(text).toContain('Xóm Mới, Xã Vân Sơn, Tỉnh Phú Thọ;05152;25;');
    const comma = motcua('units', 'convert', file, '--column', 'Địa chỉ', '--out', out, '--delimiter', ',');
    expect(comma.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"Xóm Mới, Xã Vân Sơn, Tỉnh Phú Thọ",05152,25,');
    expect(motcua('units', 'convert', file, '--column', 'Address', '--out', out).code).toBe(2);
  });
});
