import { DateSchema, parseWith, todayInVietnam, ValidationError } from '@motcua/core';
import { z } from 'zod';
import { fold } from './fold.js';

const VILLAGE_TYPES = [
  'thon',
  'xom',
  'to_dan_pho',
  'ap',
  'ban',
  'khom',
  'khu_pho',
  'buon',
  'lang',
  'other',
] as const;

/**
 * A village or residential group (thôn, xóm, tổ dân phố, ấp, bản, khóm, khu phố, buôn, làng) of a commune,
 * with its names over time and, when it ended, what it went into.
 */
export const VillageSchema = z.object({
  /** Stable identifier in the commune's registry (never reused). */
  id: z.string().min(1),
  type: z.enum(VILLAGE_TYPES),
  /** Names in force, oldest first; each from its date (the first may have none: known before records). */
  names: z.array(z.object({ name: z.string().trim().min(1), from: DateSchema.optional() })).min(1),
  createdOn: DateSchema.optional(),
  /** When and how it ended: merged into one village, split into several, or dissolved. */
  ended: z
    .object({
      on: DateSchema,
      kind: z.enum(['merged', 'split', 'dissolved']),
      into: z.array(z.string().min(1)),
      source: z.string().optional(),
    })
    .optional(),
});
export type Village = z.infer<typeof VillageSchema>;

/**
 * A commune's own list of villages with their dated changes, as JSON. No national list exists: each
 * commune keeps its registry and updates it when it renames, merges or splits villages.
 *
 * @example
 * ```ts
 * const registry = VillageRegistrySchema.parse({
 *   communeCode: '05152',
 *   villages: [
 *     { id: 'v1', type: 'xom', names: [{ name: 'Xóm Mới' }], ended: { on: '2025-09-01', kind: 'merged', into: ['v3'] } },
 *     { id: 'v2', type: 'xom', names: [{ name: 'Xóm Cũ' }], ended: { on: '2025-09-01', kind: 'merged', into: ['v3'] } },
 *     { id: 'v3', type: 'thon', names: [{ name: 'Thôn Tân Tiến', from: '2025-09-01' }], createdOn: '2025-09-01' },
 *   ],
 * });
 * ```
 */
export const VillageRegistrySchema = z
  .object({
    communeCode: z.string().regex(/^\d{5}$/, 'A commune code has 5 digits'),
    villages: z.array(VillageSchema),
  })
  .superRefine((r, ctx) => {
    const ids = new Set<string>();
    r.villages.forEach((v, i) => {
      if (ids.has(v.id))
        ctx.addIssue({
          code: 'custom',
          path: ['villages', i, 'id'],
          message: `id ${v.id} is used twice`,
          params: { code: 'village.duplicate_id', vi: `mã ${v.id} bị trùng` },
        });
      ids.add(v.id);
    });
    r.villages.forEach((v, i) => {
      v.ended?.into.forEach((target, j) => {
        if (!ids.has(target))
          ctx.addIssue({
            code: 'custom',
            path: ['villages', i, 'ended', 'into', j],
            message: `unknown village ${target}`,
            params: { code: 'village.unknown_target', vi: `không có thôn ${target}` },
          });
      });
      if (v.ended?.kind === 'merged' && v.ended.into.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['villages', i, 'ended', 'into'],
          message: 'a merge goes into exactly one village',
          params: { code: 'village.merge_target', vi: 'sáp nhập vào đúng một thôn' },
        });
      }
    });
  });
export type VillageRegistry = z.infer<typeof VillageRegistrySchema>;

const TYPE_WORDS = /^(thon|xom|to dan pho|to|ap|ban|khom|khoi|khu pho|khu|buon|lang)\s+/;
const key = (name: string) => fold(name).replace(TYPE_WORDS, '');

/** The village's name in force at a date. */
function nameAt(v: Village, at: string): string {
  let current = v.names[0]!.name;
  for (const n of v.names) if (n.from === undefined || n.from <= at) current = n.name;
  return current;
}

const alive = (v: Village, at: string) =>
  (v.createdOn === undefined || v.createdOn <= at) && (v.ended === undefined || at < v.ended.on);

/** Where a name may lead. */
export interface VillageResolution {
  /** Villages in force at `at` the name leads to (several when a village was split). */
  candidates: { id: string; name: string; confidence: number; path: string[] }[];
  ambiguous: boolean;
  /** Why there is no candidate. */
  reason?: string;
}

/**
 * The village a name means at a date, following renames, merges and splits in the commune's registry. Old
 * names are understood; type words (Thôn, Xóm, Tổ dân phố, Ấp, Bản…), diacritics and tone placement are
 * optional.
 *
 * @example
 * ```ts
 * resolveVillage('xom moi', { registry, at: '2026-01-01' }).candidates[0]?.name; // 'Thôn Tân Tiến'
 * ```
 */
export function resolveVillage(
  name: string,
  options: { registry: VillageRegistry; communeCode?: string; at?: string },
): VillageResolution {
  const registry = parseWith(VillageRegistrySchema, options.registry);
  if (options.communeCode !== undefined && options.communeCode !== registry.communeCode) {
    throw ValidationError.of('village.commune_mismatch', ['communeCode'], {
      en: `The registry is commune ${registry.communeCode}'s, not ${options.communeCode}'s`,
      vi: `Danh mục thôn là của xã ${registry.communeCode}, không phải ${options.communeCode}`,
    });
  }
  if (typeof name !== 'string' || key(name) === '') {
    throw ValidationError.of('village.name', ['name'], {
      en: 'The village name is empty',
      vi: 'Tên thôn trống',
    });
  }
  const at = options.at ?? todayInVietnam();
  const byId = new Map(registry.villages.map((v) => [v.id, v]));
  const k = key(name);
  const start = registry.villages.filter((v) => v.names.some((n) => key(n.name) === k));
  if (start.length === 0)
    return {
      candidates: [],
      ambiguous: false,
      reason: `no village of commune ${registry.communeCode} has ever been called "${name.trim()}"`,
    };
  const out = new Map<string, { id: string; name: string; confidence: number; path: string[] }>();
  const walk = (v: Village, share: number, path: string[]) => {
    if (path.length > registry.villages.length) return;
    if (alive(v, at)) {
      const prev = out.get(v.id);
      if (!prev || prev.confidence < share)
        out.set(v.id, { id: v.id, name: nameAt(v, at), confidence: share, path: [...path, nameAt(v, at)] });
      return;
    }
    if (v.ended && v.ended.on <= at) {
      for (const id of v.ended.into) {
        const next = byId.get(id);
        if (next)
          walk(next, share / v.ended.into.length, [
            ...path,
            `${nameAt(v, v.ended.on)} (${v.ended.kind} ${v.ended.on})`,
          ]);
      }
    }
  };
  for (const v of start) walk(v, 1 / start.length, []);
  const candidates = [...out.values()]
    .sort((a, b) => b.confidence - a.confidence)
    .map((c) => ({ ...c, confidence: Math.round(c.confidence * 0.95 * 1000) / 1000 }));
  if (candidates.length === 0)
    return {
      candidates,
      ambiguous: false,
      reason: `"${name.trim()}" was dissolved or is not yet created at ${at}`,
    };
  return { candidates, ambiguous: candidates.length > 1 };
}

/** An address to migrate: the part before the commune, and the commune. */
export interface AddressRecord {
  rest: string;
  communeCode: string;
}

/** The result of {@link migrateAddresses}. */
export interface MigrationReport<T extends AddressRecord> {
  records: T[];
  changes: { index: number; from: string; to: string; path: string[] }[];
  unplaced: { index: number; rest: string; reason: string }[];
}

/**
 * Rewrites the village part of a batch of addresses of one commune to the names in force at `at` (default
 * today), and reports each change and each record it could not place (an unknown village, or a split
 * village: an officer must pick). Records of other communes are left untouched. The input is not modified.
 *
 * @example
 * ```ts
 * const r = migrateAddresses([{ rest: 'Số 3, Xóm Mới', communeCode: '05152' }], registry);
 * r.records[0]?.rest; // 'Số 3, Thôn Tân Tiến'
 * ```
 */
export function migrateAddresses<T extends AddressRecord>(
  records: readonly T[],
  registry: VillageRegistry,
  options: { at?: string } = {},
): MigrationReport<T> {
  const reg = parseWith(VillageRegistrySchema, registry);
  const at = options.at ?? todayInVietnam();
  const names = reg.villages.flatMap((v) => v.names.map((n) => n.name));
  const report: MigrationReport<T> = { records: [], changes: [], unplaced: [] };
  records.forEach((record, index) => {
    if (record.communeCode !== reg.communeCode) {
      report.records.push({ ...record });
      return;
    }
    // The village is the last comma-separated part of `rest` that names a village of the registry.
    const parts = record.rest.split(',').map((p) => p.trim());
    let found = -1;
    for (let i = parts.length - 1; i >= 0 && found < 0; i--)
      if (names.some((n) => key(n) === key(parts[i]!))) found = i;
    if (found < 0) {
      report.unplaced.push({
        index,
        rest: record.rest,
        reason: 'no village of the registry is named in the address',
      });
      report.records.push({ ...record });
      return;
    }
    const r = resolveVillage(parts[found]!, { registry: reg, at });
    if (r.candidates.length !== 1) {
      report.unplaced.push({
        index,
        rest: record.rest,
        reason: r.reason ?? `"${parts[found]}" was split: ${r.candidates.map((c) => c.name).join(' / ')}`,
      });
      report.records.push({ ...record });
      return;
    }
    const to = r.candidates[0]!.name;
    if (key(to) !== key(parts[found]!) || to !== parts[found]) {
      report.changes.push({ index, from: parts[found]!, to, path: r.candidates[0]!.path });
      parts[found] = to;
    }
    report.records.push({ ...record, rest: parts.join(', ') });
  });
  return report;
}
