import { ValidationError } from '@motcua/core';
import { describe, expect, it } from 'vitest';
import { migrateAddresses, resolveVillage, type VillageRegistry, VillageRegistrySchema } from './villages.js';

// A synthetic registry: two hamlets merged into a new village; one village split; one renamed.
const registry: VillageRegistry = VillageRegistrySchema.parse({
  communeCode: '05152',
  villages: [
    {
      id: 'v1',
      type: 'xom',
      names: [{ name: 'Xóm Mới' }],
      ended: { on: '2025-09-01', kind: 'merged', into: ['v3'], source: 'NQ HĐND xã (giả định)' },
    },
    {
      id: 'v2',
      type: 'xom',
      names: [{ name: 'Xóm Cũ' }],
      ended: { on: '2025-09-01', kind: 'merged', into: ['v3'] },
    },
    {
      id: 'v3',
      type: 'thon',
      names: [{ name: 'Thôn Tân Tiến', from: '2025-09-01' }],
      createdOn: '2025-09-01',
    },
    {
      id: 'v4',
      type: 'thon',
      names: [{ name: 'Thôn Đồng Bãi' }],
      ended: { on: '2026-01-01', kind: 'split', into: ['v5', 'v6'] },
    },
    {
      id: 'v5',
      type: 'thon',
      names: [{ name: 'Thôn Đồng Bãi 1', from: '2026-01-01' }],
      createdOn: '2026-01-01',
    },
    {
      id: 'v6',
      type: 'thon',
      names: [{ name: 'Thôn Đồng Bãi 2', from: '2026-01-01' }],
      createdOn: '2026-01-01',
    },
    {
      id: 'v7',
      type: 'thon',
      names: [{ name: 'Thôn Hoà Bình' }, { name: 'Thôn Hòa Bình Mới', from: '2026-03-01' }],
    },
  ],
});

describe('villages', () => {
  it('follows merges, renames and splits, understanding old names', () => {
    expect(resolveVillage('xom moi', { registry, at: '2025-08-31' }).candidates.map((c) => c.name)).toEqual([
      'Xóm Mới',
    ]);
    const merged = resolveVillage('Xóm Mới', { registry, at: '2026-01-01' });
    expect(merged.candidates.map((c) => c.name)).toEqual(['Thôn Tân Tiến']);
    expect(merged.candidates[0]?.path).toEqual(['Xóm Mới (merged 2025-09-01)', 'Thôn Tân Tiến']);
    expect(resolveVillage('Hoà Bình', { registry, at: '2026-04-01' }).candidates[0]?.name).toBe(
      'Thôn Hòa Bình Mới',
    );
    const split = resolveVillage('Đồng Bãi', { registry, at: '2026-02-01' });
    expect(split.ambiguous).toBe(true);
    expect(split.candidates.map((c) => c.name).sort()).toEqual(['Thôn Đồng Bãi 1', 'Thôn Đồng Bãi 2']);
    expect(resolveVillage('Xóm Núi', { registry, at: '2026-02-01' })).toMatchObject({
      candidates: [],
      reason: expect.stringContaining('Xóm Núi'),
    });
  });

  it('migrates a batch of addresses and reports every change and every record it could not place', () => {
    const input = [
      { rest: 'Số 3, Xóm Mới', communeCode: '05152' },
      { rest: 'Thôn Đồng Bãi', communeCode: '05152' },
      { rest: 'Số 9, Thôn Hoà Bình', communeCode: '05152' },
      { rest: 'Số 1, Xóm Mới', communeCode: '00004' },
      { rest: 'Đường Lạ', communeCode: '05152' },
    ];
    const r = migrateAddresses(input, registry, { at: '2026-04-01' });
    expect(r.records.map((x) => x.rest)).toEqual([
      'Số 3, Thôn Tân Tiến',
      'Thôn Đồng Bãi',
      'Số 9, Thôn Hòa Bình Mới',
      'Số 1, Xóm Mới',
      'Đường Lạ',
    ]);
    expect(r.changes.map((c) => [c.index, c.from, c.to])).toEqual([
      [0, 'Xóm Mới', 'Thôn Tân Tiến'],
      [2, 'Thôn Hoà Bình', 'Thôn Hòa Bình Mới'],
    ]);
    expect(r.unplaced.map((u) => u.index)).toEqual([1, 4]);
    expect(input[0]!.rest).toBe('Số 3, Xóm Mới');
  });

  it('rejects a bad registry naming the field', () => {
    const bad = VillageRegistrySchema.safeParse({
      communeCode: '05152',
      villages: [
        {
          id: 'a',
          type: 'thon',
          names: [{ name: 'A' }],
          ended: { on: '2026-01-01', kind: 'merged', into: ['zz'] },
        },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['villages', 0, 'ended', 'into', 0]);
    expect(() => resolveVillage('', { registry })).toThrow(ValidationError);
    expect(() => resolveVillage('Xóm Mới', { registry, communeCode: '00004' })).toThrow(/05152/);
  });
});
