// units convert on a CSV of real addresses built from shared/data/admin-units: each row's added cells are
// checked against the data (the lineage's successor, the new commune's and province's names), so a faster
// pipeline is held to the same output. Expectations come from the CSV files, not from the code under test.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sharedCsv } from '../../../test-utils/shared.js';
import { motcua, tempDir } from './run.js';

const lineage = sharedCsv('admin-units/lineage-old-to-new.csv');
const communes = new Map(sharedCsv('admin-units/communes.csv').map((c) => [c.code!, c]));
const provinces = new Map(sharedCsv('admin-units/provinces.csv').map((p) => [p.code!, p.full_name!]));
// Old communes that went whole into one new commune, named once in the table, and whose name no other
// commune of their district shares: one right answer each.
const byOld = new Map<string, Record<string, string>[]>();
for (const r of lineage) if (r.old_code) byOld.set(r.old_code, [...(byOld.get(r.old_code) ?? []), r]);
const plain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/^(thi tran|xa|phuong) /i, '')
    .toLowerCase();
const perDistrict = new Map<string, number>();
for (const rows of byOld.values()) {
  const k = `${rows[0]!.old_district_code}|${plain(rows[0]!.old_name!)}`;
  perDistrict.set(k, (perDistrict.get(k) ?? 0) + 1);
}
const sample = [...byOld.values()]
  .filter((rows) => rows.length === 1)
  .filter((rows) => perDistrict.get(`${rows[0]!.old_district_code}|${plain(rows[0]!.old_name!)}`) === 1)
  .filter((_, i) => i % 41 === 0)
  .map((rows) => rows[0]!);

describe('units convert on a sample of real old addresses (expectations from shared/data)', () => {
  it('adds the new two-level address, the codes and needs_review=no to every row, keeping the columns', () => {
    expect(sample.length).toBeGreaterThan(150);
    const dir = tempDir();
    const input = join(dir, 'households.csv');
    const rows = sample.map((r, i) => [
      String(i + 1),
      `Người Thử ${i}`,
      `Thôn ${(i % 9) + 1}, ${r.old_name}, ${r.old_district_name}, ${r.old_province_name}`,
    ]);
    writeFileSync(
      input,
      `\uFEFFid;Họ tên;Địa chỉ\r\n${rows.map((r) => `${r[0]};${r[1]};"${r[2]}"`).join('\r\n')}\r\n`,
    );
    const out = join(dir, 'converted.csv');
    // communes.csv is the list of 2025-07-01: a date before the changes of 2026-04-30 (Đồng Nai).
    const r = motcua(
      'units',
      'convert',
      input,
      '--column',
      'Địa chỉ',
      '--out',
      out,
      '--at',
      '2026-01-01',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ rows: sample.length, needsReview: 0, out });
    const got = parse(readFileSync(out, 'utf8'), { bom: true, delimiter: ';' }) as string[][];
    expect(got[0]).toEqual([
      'id',
      'Họ tên',
      'Địa chỉ',
      'new_address',
      'commune_code',
      'province_code',
      'confidence',
      'needs_review',
      'reason',
    ]);
    const wrong: string[] = [];
    sample.forEach((old, i) => {
      const c = communes.get(old.new_code!)!;
      const want = [
        ...rows[i]!,
        `Thôn ${(i % 9) + 1}, ${c.full_name}, ${provinces.get(c.province_code!)}`,
        c.code,
        c.province_code,
        'no',
      ];
      const row = got[i + 1]!;
      const have = [...row.slice(0, 6), row[7]];
      if (JSON.stringify(have) !== JSON.stringify(want))
        wrong.push(`${JSON.stringify(have)} ≠ ${JSON.stringify(want)}`);
    });
    expect(wrong).toEqual([]);
  });
});
