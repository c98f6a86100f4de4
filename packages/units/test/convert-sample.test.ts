// A fixed sample of real addresses built from shared/data/admin-units, converted and checked against what
// the data says (the lineage's successors, the communes' codes and names), so that a faster convertAddress
// is held to the same answers. Expectations come from the CSV files, never from the code under test.
import { describe, expect, it } from 'vitest';
import { sharedCsv } from '../../../test-utils/shared.js';
import { convertAddress } from '../src/address.js';

/** The test's own folding (independent of the package's): no diacritics, đ → d, lower case. */
const plain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
const bare = (s: string) => s.replace(/^(Thị trấn|Thị xã|Thành phố|Xã|Phường|Huyện|Quận|Tỉnh) /u, '');

interface Old {
  name: string;
  names: Set<string>;
  district: string;
  districtCode: string;
  province: string;
  successors: Set<string>;
}

const olds = new Map<string, Old>();
for (const r of sharedCsv('admin-units/lineage-old-to-new.csv')) {
  if (!r.old_code) continue;
  const o = olds.get(r.old_code);
  if (o) {
    o.successors.add(r.new_code!);
    o.names.add(r.old_name!);
  } else
    olds.set(r.old_code, {
      name: r.old_name!,
      names: new Set([r.old_name!]),
      district: r.old_district_name!,
      districtCode: r.old_district_code!,
      province: r.old_province_name!,
      successors: new Set([r.new_code!]),
    });
}
// Names that two old communes of one district share once folded (a xã and a thị trấn, Minh Quân / Minh
// Quán) are ambiguous by nature in some spellings: left out of the sample.
const perDistrict = new Map<string, number>();
for (const o of olds.values())
  for (const n of o.names) {
    const k = `${o.districtCode}|${plain(bare(n))}`;
    perDistrict.set(k, (perDistrict.get(k) ?? 0) + 1);
  }
const sample = [...olds]
  .filter(([, o]) => o.names.size === 1 && perDistrict.get(`${o.districtCode}|${plain(bare(o.name))}`) === 1)
  .filter((_, i) => i % 23 === 0);

const provinces = new Map(sharedCsv('admin-units/provinces.csv').map((p) => [p.code!, p.full_name!]));
const communes = sharedCsv('admin-units/communes.csv');
const perNewProvince = new Map<string, number>();
for (const c of communes) {
  const k = `${c.province_code}|${plain(c.name!)}`;
  perNewProvince.set(k, (perNewProvince.get(k) ?? 0) + 1);
}
const newSample = communes
  .filter((c) => perNewProvince.get(`${c.province_code}|${plain(c.name!)}`) === 1)
  .filter((_, i) => i % 7 === 0);

describe('convertAddress on a fixed sample of real addresses (expectations from shared/data)', () => {
  it('has a sample of a few hundred old and new communes', () => {
    expect(sample.length).toBeGreaterThan(350);
    expect(newSample.length).toBeGreaterThan(400);
  });

  it('old addresses, full names with commas: every successor of the lineage, the names, the rest', () => {
    const wrong: string[] = [];
    for (const [code, o] of sample) {
      const text = `Thôn 1, ${o.name}, ${o.district}, ${o.province}`;
      const r = convertAddress(text, { at: '2026-01-01' });
      const got = {
        codes: r.candidates.map((c) => c.code).sort(),
        ambiguous: r.ambiguous,
        // The lineage writes some type words in capitals ("Thị Xã"): names compared in lower case.
        commune: r.matched.commune?.toLowerCase(),
        district: r.matched.district?.toLowerCase(),
        province: r.matched.province?.toLowerCase(),
        era: r.matched.era,
        rest: r.rest,
      };
      const want = {
        codes: [...o.successors].sort(),
        ambiguous: o.successors.size > 1,
        commune: o.name.toLowerCase(),
        district: o.district.toLowerCase(),
        province: o.province.toLowerCase(),
        era: 'old',
        rest: 'Thôn 1',
      };
      if (JSON.stringify(got) !== JSON.stringify(want))
        wrong.push(`${code} ${text}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('old addresses folded, without commas or diacritics: the same successors', () => {
    const wrong: string[] = [];
    for (const [code, o] of sample) {
      const text = plain(`so 5 ${o.name} ${o.district} ${o.province}`);
      const r = convertAddress(text, { at: '2026-01-01' });
      const got = r.candidates.map((c) => c.code).sort();
      if (JSON.stringify(got) !== JSON.stringify([...o.successors].sort()) || r.rest !== 'so 5')
        wrong.push(`${code} ${text}: ${got.join('/')} rest "${r.rest}"`);
    }
    expect(wrong).toEqual([]);
  });

  it('new two-level addresses: the commune itself, named as in communes.csv', () => {
    const wrong: string[] = [];
    for (const c of newSample) {
      const text = `Thôn 1, ${c.full_name}, ${provinces.get(c.province_code!)}`;
      const r = convertAddress(text, { at: '2026-01-01' });
      const got = [r.candidates.map((x) => `${x.code} ${x.name}`).join('/'), r.matched.era, r.rest];
      const want = [`${c.code} ${c.full_name}`, 'new', 'Thôn 1'];
      if (JSON.stringify(got) !== JSON.stringify(want))
        wrong.push(`${text}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    }
    expect(wrong).toEqual([]);
  });
});

/** The new codes the lineage gives an old commune, found by its names (the expectation, from the CSV). */
const successorsByName = (commune: string, district: string) =>
  [...olds.values()]
    .filter((o) => o.names.has(commune) && o.district === district)
    .flatMap((o) => [...o.successors])
    .sort();

describe('a village or street number is not a ward or a district (Thôn 2 is not Phường 2)', () => {
  it('"Thôn 2" with only a province: no commune named, no guess', () => {
    for (const text of [
      'Thôn 2, Tỉnh Sóc Trăng',
      'Xóm 2, Thành phố Hồ Chí Minh',
      'Số 12 đường Trần Phú, Tỉnh Khánh Hòa',
    ]) {
      const r = convertAddress(text, { at: '2026-01-01' });
      expect([text, r.candidates, r.matched.commune, r.matched.district]).toEqual([
        text,
        [],
        undefined,
        undefined,
      ]);
    }
  });

  it('"Thôn 1" is not Quận 1, and "Thôn 3, Quận 3" names a district but no ward', () => {
    expect(convertAddress('Thôn 1, Thành phố Hồ Chí Minh', { at: '2026-01-01' }).matched).toEqual({
      province: 'Thành phố Hồ Chí Minh',
    });
    const r = convertAddress('Thôn 3, Quận 3, Thành phố Hồ Chí Minh', { at: '2026-01-01' });
    expect([r.candidates, r.matched.district, r.matched.commune]).toEqual([[], 'Quận 3', undefined]);
  });

  it('a numbered ward is still read with its type word, or alone between commas', () => {
    const p2 = convertAddress('Thôn 2, Phường 2, Quận 3, Thành phố Hồ Chí Minh', { at: '2026-01-01' });
    expect([p2.candidates.map((c) => c.code).sort(), p2.rest]).toEqual([
      successorsByName('Phường 2', 'Quận 3'),
      'Thôn 2',
    ]);
    const p7 = convertAddress('Xóm 5, 7, Quận 5, Thành phố Hồ Chí Minh', { at: '2026-01-01' });
    expect([p7.candidates.map((c) => c.code).sort(), p7.rest]).toEqual([
      successorsByName('Phường 7', 'Quận 5'),
      'Xóm 5',
    ]);
  });

  it('a new commune named after an old district is the commune (Xã Mèo Vạc, Xã Bắc Thanh Miện)', () => {
    for (const name of ['Xã Mèo Vạc', 'Xã Bắc Thanh Miện', 'Phường Cam Ly - Đà Lạt']) {
      const c = communes.find((x) => x.full_name === name)!;
      const text = `Thôn 1, ${name}, ${provinces.get(c.province_code!)}`;
      const r = convertAddress(text, { at: '2026-01-01' });
      expect([text, r.candidates.map((x) => x.code), r.matched.district]).toEqual([
        text,
        [c.code],
        undefined,
      ]);
    }
  });
});
