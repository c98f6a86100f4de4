import { ValidationError } from '@motcua/core';
import { OLD_PROVINCES } from './generated/new-units.js';
import { KINDS, LINEAGE, OLD_COMMUNES, OLD_DISTRICTS } from './generated/old-units.js';
import { getUnit, REFORM_DATE } from './units.js';

/** How an old unit went into a new one (the NSO conversion table's note). */
export type LineageKind =
  | 'full'
  | 'partial'
  | 'unchanged'
  | 'renamed_or_retyped'
  | 'whole_district'
  | 'other';

/** A new unit an old commune went into. */
export interface Successor {
  code: string;
  name: string;
  fullName: string;
  provinceCode: string;
  kind: LineageKind;
}

/** An old unit a new commune was formed from. */
export interface Predecessor {
  /** Old commune code (empty for a whole island district or an area without a code). */
  code: string;
  fullName: string;
  districtCode: string;
  districtName: string;
  provinceCode: string;
  provinceName: string;
  kind: LineageKind;
}

interface LineageIndex {
  forward: Map<string, Successor[]>;
  backward: Map<string, Predecessor[]>;
}
let lineage: LineageIndex | undefined;

function build(): LineageIndex {
  const oldName = new Map(OLD_COMMUNES.map((c) => [c[0], c]));
  const district = new Map(OLD_DISTRICTS.map((d) => [d[0], d]));
  const province = new Map(OLD_PROVINCES.map((p) => [p[0], p]));
  const forward = new Map<string, Successor[]>();
  const backward = new Map<string, Predecessor[]>();
  for (const [oldCode, alias, districtCode, newCode, kind] of LINEAGE) {
    const nu = getUnit(newCode, { at: REFORM_DATE })!;
    const k = KINDS[kind] as LineageKind;
    if (oldCode) {
      const list = forward.get(oldCode) ?? [];
      if (!list.some((s) => s.code === newCode))
        list.push({
          code: newCode,
          name: nu.name,
          fullName: nu.fullName,
          provinceCode: nu.provinceCode,
          kind: k,
        });
      forward.set(oldCode, list);
    }
    const o = oldName.get(oldCode);
    const d = district.get(districtCode);
    const provinceCode = o?.[3] ?? d?.[2] ?? '';
    const p: Predecessor = {
      code: oldCode,
      fullName: alias || o?.[1] || '',
      districtCode,
      districtName: d?.[1] ?? '',
      provinceCode,
      provinceName: province.get(provinceCode)?.[1] ?? '',
      kind: k,
    };
    const back = backward.get(newCode) ?? [];
    back.push(p);
    backward.set(newCode, back);
  }
  return { forward, backward };
}

function index(): LineageIndex {
  lineage ??= build();
  return lineage;
}

/** The successors of an old commune code, shared (not copied): for the package's own hot paths. @internal */
export function successorList(oldCode: string): readonly Readonly<Successor>[] {
  return index().forward.get(oldCode) ?? [];
}

/**
 * The new units an old commune (5-digit code as of 2025-06-30) went into. 441 old communes were split and
 * have two or more successors (`kind: 'partial'`): then the village decides, and an officer must pick.
 *
 * @example
 * ```ts
 * import { successorsOf } from '@motcua/units';
 * successorsOf('05152'); // [{ code: '05152', fullName: 'Xã Vân Sơn', provinceCode: '25', kind: 'full' }]
 * ```
 */
export function successorsOf(oldCode: string): Successor[] {
  if (typeof oldCode !== 'string' || !/^\d{5}$/.test(oldCode)) {
    throw ValidationError.of('units.code', ['oldCode'], {
      en: 'An old commune code has 5 digits',
      vi: 'Mã xã cũ gồm 5 chữ số',
    });
  }
  return (index().forward.get(oldCode) ?? []).map((s) => ({ ...s }));
}

/**
 * The old units a new commune (5-digit code since 2025-07-01) was formed from.
 *
 * @example
 * ```ts
 * predecessorsOf('05152').map((p) => p.fullName); // ['Xã Quyết Chiến', 'Xã Vân Sơn', 'Xã Ngổ Luông'] (order of the table)
 * ```
 */
export function predecessorsOf(newCode: string): Predecessor[] {
  if (typeof newCode !== 'string' || !/^\d{5}$/.test(newCode)) {
    throw ValidationError.of('units.code', ['newCode'], {
      en: 'A commune code has 5 digits',
      vi: 'Mã xã gồm 5 chữ số',
    });
  }
  return (index().backward.get(newCode) ?? []).map((p) => ({ ...p }));
}
