import { ValidationError } from '@motcua/core';
import { describe, expect, it } from 'vitest';
import { sharedCsv } from '../../../test-utils/shared.js';
import { UnitNotFoundError } from './errors.js';
import { predecessorsOf, successorsOf } from './lineage.js';
import { searchUnits } from './search.js';
import { communesOf, getUnit, provinces, requireUnit } from './units.js';

const count = (list: { type: string }[]) => {
  const out: Record<string, number> = {};
  for (const u of list) out[u.type] = (out[u.type] ?? 0) + 1;
  return out;
};

describe('the units and their counts (shared/data/admin-units README)', () => {
  it('34 provinces: 6 municipalities + 28 provinces on 2025-07-01, 7 + 27 from 2026-04-30', () => {
    expect(count(provinces({ at: '2025-07-01' }))).toEqual({ municipality: 6, province: 28 });
    expect(count(provinces({ at: '2026-04-30' }))).toEqual({ municipality: 7, province: 27 });
    expect(provinces({ at: '2025-06-30' })).toHaveLength(63);
  });

  it('3,321 communes: 2,621 + 687 + 13 on 2025-07-01; 2,611 + 697 + 13 after 2026-04-30', () => {
    const all = (at: string) => provinces({ at }).flatMap((p) => communesOf(p.code, { at }));
    expect(count(all('2025-07-01'))).toEqual({ commune: 2621, ward: 687, special_zone: 13 });
    expect(count(all('2026-04-30'))).toEqual({ commune: 2611, ward: 697, special_zone: 13 });
  });

  it('per-province counts (Hà Nội 126, TP.HCM 168, Lai Châu 38)', () => {
    expect(communesOf('01', { at: '2025-07-01' })).toHaveLength(126);
    expect(communesOf('79', { at: '2025-07-01' })).toHaveLength(168);
    expect(communesOf('12', { at: '2025-07-01' })).toHaveLength(38);
  });

  it('every commune of communes.csv, with its type and province', () => {
    for (const c of sharedCsv('admin-units/communes.csv')) {
      const u = getUnit(c.code!, { at: '2025-07-01' });
      expect([c.code, u?.fullName, u?.type, u?.provinceCode]).toEqual([
        c.code,
        c.full_name,
        c.type,
        c.province_code,
      ]);
    }
  });

  it('applies the 2026-04-30 changes from that day', () => {
    for (const ch of sharedCsv('admin-units/changes-2026-04-30.csv')) {
      expect(getUnit(ch.code!, { at: '2026-04-29' })).toMatchObject({
        fullName: ch.full_name_before,
        type: ch.type_before,
      });
      expect(getUnit(ch.code!, { at: '2026-04-30' })).toMatchObject({
        fullName: ch.full_name_after,
        type: ch.type_after,
        validFrom: '2026-04-30',
      });
    }
  });
});

describe('codes were reused: a unit is (code, date)', () => {
  it('05152: Xã Quyết Chiến (Tân Lạc, Hoà Bình) until 2025-06-30, Xã Vân Sơn (Phú Thọ) from 2025-07-01', () => {
    expect(getUnit('05152', { at: '2025-06-30' })).toMatchObject({
      fullName: 'Xã Quyết Chiến',
      districtName: 'Huyện Tân Lạc',
      provinceCode: '17',
      validFrom: null,
      validTo: '2025-06-30',
    });
    expect(getUnit('05152', { at: '2025-07-01' })).toMatchObject({
      fullName: 'Xã Vân Sơn',
      provinceCode: '25',
      provinceName: 'Tỉnh Phú Thọ',
      validFrom: '2025-07-01',
    });
    expect(
      predecessorsOf('05152')
        .map((p) => p.fullName)
        .sort(),
    ).toEqual(['Xã Ngổ Luông', 'Xã Quyết Chiến', 'Xã Vân Sơn'].sort());
  });

  it('26740: Phường Bến Nghé, then Phường Sài Gòn', () => {
    expect(getUnit('26740', { at: '2025-06-30' })?.fullName).toBe('Phường Bến Nghé');
    expect(getUnit('26740', { at: '2025-07-01' })?.fullName).toBe('Phường Sài Gòn');
  });

  it('a code that did not exist at that date gives undefined; requireUnit says what it meant', () => {
    expect(getUnit('00001', { at: '2025-07-01' })).toBeUndefined();
    expect(getUnit('001', { at: '2025-07-01' })).toBeUndefined();
    expect(getUnit('001', { at: '2025-06-30' })?.fullName).toBe('Quận Ba Đình');
    expect(getUnit('02', { at: '2025-07-01' })).toBeUndefined();
    try {
      requireUnit('00001', { at: '2025-07-01' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnitNotFoundError);
      expect((e as UnitNotFoundError).suggestions[0]).toMatchObject({
        fullName: 'Phường Phúc Xá',
        at: '2025-06-30',
      });
      expect((e as UnitNotFoundError).message).toContain('00001');
    }
  });
});

describe('lineage: every row of lineage-old-to-new.csv', () => {
  it('successorsOf and predecessorsOf agree with the table, both ways', () => {
    const rows = sharedCsv('admin-units/lineage-old-to-new.csv');
    expect(rows).toHaveLength(10_571);
    for (const r of rows) {
      expect(predecessorsOf(r.new_code!).some((p) => p.code === r.old_code && p.kind === r.kind)).toBe(true);
      if (r.old_code) expect(successorsOf(r.old_code).some((s) => s.code === r.new_code)).toBe(true);
    }
    const split = new Set(rows.filter((r) => r.old_code).map((r) => r.old_code!)).size;
    expect(split).toBe(10_033);
    const multi = [...new Set(rows.map((r) => r.old_code!).filter(Boolean))].filter(
      (c) => successorsOf(c).length > 1,
    );
    expect(multi).toHaveLength(441);
  });
});

describe('search', () => {
  it('is diacritic- and tone-placement-insensitive, accepts abbreviations and small typos', () => {
    const first = (q: string, o = {}) => searchUnits(q, { at: '2026-01-01', ...o })[0]?.unit.code;
    expect(first('Vân Sơn', { provinceCode: '25' })).toBe('05152');
    expect(first('x. van son', { provinceCode: '25' })).toBe('05152');
    expect(first('Xa Van Sonn', { provinceCode: '25' })).toBe('05152');
    expect(first('P. Sài Gòn')).toBe('26740');
    expect(searchUnits('Thanh Hoá', { at: '2026-01-01' })[0]?.unit.fullName).toBe('Tỉnh Thanh Hóa');
    expect(searchUnits('Ngổ Luông', { at: '2025-06-30' })[0]?.unit.code).toBe('05194');
  });
});

describe('bad input names the field', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (e instanceof ValidationError) return [e.issues[0]?.path[0], e.issues[0]?.code];
      throw e;
    }
  };
  it('codes, dates, queries', () => {
    expect(code(() => getUnit('5152', { at: '2025-07-01' }))).toEqual(['code', 'units.code']);
    expect(code(() => getUnit('05152', { at: '2025-02-30' }))).toEqual(['at', 'units.at']);
    expect(code(() => searchUnits('  ,, '))).toEqual(['query', 'units.query']);
    expect(code(() => successorsOf('abc'))).toEqual(['oldCode', 'units.code']);
    expect(code(() => communesOf('1'))).toEqual(['provinceCode', 'units.province_code']);
  });
});
