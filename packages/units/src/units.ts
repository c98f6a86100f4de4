import { parseYmd, todayInVietnam, ValidationError } from '@motcua/core';
import { UnitNotFoundError, type UnitSuggestion } from './errors.js';
import { fold } from './fold.js';
import { CHANGES, COMMUNES, OLD_PROVINCES, PROVINCES, TYPES } from './generated/new-units.js';
import { OLD_COMMUNES, OLD_DISTRICTS } from './generated/old-units.js';

/** The day the two-level government took effect (Decision 19/2025/QĐ-TTg baseline). */
export const REFORM_DATE = '2025-07-01';

/** Unit types: new `commune | ward | special_zone` (and `municipality | province`), old as the data says. */
export type UnitType =
  | 'municipality'
  | 'province'
  | 'commune'
  | 'ward'
  | 'special_zone'
  | 'district'
  | 'town'
  | 'city'
  | 'xa'
  | 'phuong'
  | 'thi_tran'
  | 'old_province'
  | 'old_municipality';

/** An administrative unit at a date. */
export interface Unit {
  code: string;
  /** The name without its type word, e.g. `Vân Sơn`. */
  name: string;
  /** With its type word, e.g. `Xã Vân Sơn`. */
  fullName: string;
  /** English forms (new units only). */
  nameEn?: string;
  fullNameEn?: string;
  type: UnitType;
  level: 'province' | 'district' | 'commune';
  /** The province it belongs to at that date (itself for a province). */
  provinceCode: string;
  provinceName: string;
  /** Old units: the district (before 2025-07-01). */
  districtCode?: string;
  districtName?: string;
  /** First day of this version (`null`: known only as it stood before the reform; earlier history not in the data). */
  validFrom: string | null;
  /** Last day of this version, or null while in force. */
  validTo: string | null;
}

const DAY_BEFORE_REFORM = '2025-06-30';

const OLD_TYPE_WORDS: [string, UnitType][] = [
  ['Thị trấn ', 'thi_tran'],
  ['Phường ', 'phuong'],
  ['Xã ', 'xa'],
  ['Thành phố ', 'city'],
  ['Thị xã ', 'town'],
  ['Quận ', 'district'],
  ['Huyện ', 'district'],
  ['Tỉnh ', 'old_province'],
];

function splitOld(fullName: string, fallback: UnitType): { name: string; type: UnitType } {
  for (const [w, type] of OLD_TYPE_WORDS)
    if (fullName.startsWith(w)) return { name: fullName.slice(w.length), type };
  return { name: fullName, type: fallback };
}

interface NewIndex {
  byCode: Map<string, Unit[]>;
  newProvinces: Unit[];
  newProvincesAfter: Unit[];
  communesByProvince: Map<string, { before: Unit[]; after: Unit[] }>;
}

interface OldIndex {
  byCode: Map<string, Unit>;
  communesByProvince: Map<string, Unit[]>;
}

const addTo = (m: Map<string, Unit[]>, u: Unit) => {
  const list = m.get(u.code);
  if (list) list.push(u);
  else m.set(u.code, [u]);
};

let oldProvinceList: Unit[] | undefined;

/** The 63 provinces as they stood on 2025-06-30 (small data: never loads the lineage). */
function oldProvinceUnits(): Unit[] {
  oldProvinceList ??= OLD_PROVINCES.map(([code, fullName]) => {
    const s = splitOld(fullName, 'old_province');
    return Object.freeze<Unit>({
      code,
      name: s.name,
      fullName,
      type: s.type === 'city' ? 'old_municipality' : 'old_province',
      level: 'province',
      provinceCode: code,
      provinceName: fullName,
      validFrom: null,
      validTo: DAY_BEFORE_REFORM,
    });
  });
  return oldProvinceList;
}

let oldIx: OldIndex | undefined;

/** The old districts and communes (built on first use; this is what loads the lineage module). */
function oldIndex(): OldIndex {
  if (oldIx) return oldIx;
  const byCode = new Map<string, Unit>();
  const communesByProvince = new Map<string, Unit[]>();
  for (const p of oldProvinceUnits()) byCode.set(p.code, p);
  const provinceName = new Map(OLD_PROVINCES.map((p) => [p[0], p[1]]));
  const districtName = new Map<string, string>();
  for (const [code, fullName, provinceCode] of OLD_DISTRICTS) {
    const s = splitOld(fullName, 'district');
    districtName.set(code, fullName);
    byCode.set(
      code,
      Object.freeze<Unit>({
        code,
        name: s.name,
        fullName,
        type: s.type === 'xa' ? 'district' : s.type,
        level: 'district',
        provinceCode,
        provinceName: provinceName.get(provinceCode) ?? '',
        validFrom: null,
        validTo: DAY_BEFORE_REFORM,
      }),
    );
  }
  for (const [code, fullName, districtCode, provinceCode] of OLD_COMMUNES) {
    const s = splitOld(fullName, 'xa');
    const u = Object.freeze<Unit>({
      code,
      name: s.name,
      fullName,
      type: s.type,
      level: 'commune',
      provinceCode,
      provinceName: provinceName.get(provinceCode) ?? '',
      districtCode,
      districtName: districtName.get(districtCode) ?? '',
      validFrom: null,
      validTo: DAY_BEFORE_REFORM,
    });
    byCode.set(code, u);
    const l = communesByProvince.get(provinceCode);
    if (l) l.push(u);
    else communesByProvince.set(provinceCode, [u]);
  }
  oldIx = { byCode, communesByProvince };
  return oldIx;
}

let newIx: NewIndex | undefined;

function newIndex(): NewIndex {
  if (newIx) return newIx;
  const byCode = new Map<string, Unit[]>();
  const add = (u: Unit) => addTo(byCode, u);
  const change = new Map(CHANGES.map((c) => [`${c[0]}:${c[1]}`, c]));
  const changeDay = CHANGES[0]?.[4] ?? '2026-04-30';
  const dayBefore = (d: string) => {
    const t = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) - 86_400_000;
    return new Date(t).toISOString().slice(0, 10);
  };
  // New units, with the 2026-04-30 versions.
  const newProvinces: Unit[] = [];
  const newProvincesAfter: Unit[] = [];
  const provinceNameAt = new Map<string, [string, string]>();
  for (const [code, name, fullName, type, nameEn, fullNameEn] of PROVINCES) {
    const base: Unit = {
      code,
      name,
      fullName,
      nameEn,
      fullNameEn,
      type: TYPES[type] as UnitType,
      level: 'province',
      provinceCode: code,
      provinceName: fullName,
      validFrom: REFORM_DATE,
      validTo: null,
    };
    const ch = change.get(`province:${code}`);
    if (ch) {
      const first = { ...base, validTo: dayBefore(ch[4]) };
      const after: Unit = {
        ...base,
        fullName: ch[2],
        provinceName: ch[2],
        type: TYPES[ch[3]] as UnitType,
        validFrom: ch[4],
        fullNameEn: type === 1 && TYPES[ch[3]] === 'municipality' ? `${nameEn} City` : fullNameEn,
      };
      add(first);
      add(after);
      newProvinces.push(first);
      newProvincesAfter.push(after);
      provinceNameAt.set(code, [fullName, ch[2]]);
    } else {
      add(base);
      newProvinces.push(base);
      newProvincesAfter.push(base);
      provinceNameAt.set(code, [fullName, fullName]);
    }
  }
  const communesByProvince = new Map<string, { before: Unit[]; after: Unit[] }>();
  for (const [code, name, fullName, type, provinceCode, nameEn, fullNameEn] of COMMUNES) {
    const [pBefore, pAfter] = provinceNameAt.get(provinceCode) ?? ['', ''];
    const base: Unit = {
      code,
      name,
      fullName,
      nameEn,
      fullNameEn,
      type: TYPES[type] as UnitType,
      level: 'commune',
      provinceCode,
      provinceName: pBefore,
      validFrom: REFORM_DATE,
      validTo: null,
    };
    const ch = change.get(`commune:${code}`);
    const provinceChanged = pBefore !== pAfter;
    let bucket = communesByProvince.get(provinceCode);
    if (!bucket) {
      bucket = { before: [], after: [] };
      communesByProvince.set(provinceCode, bucket);
    }
    if (ch || provinceChanged) {
      const first: Unit = { ...base, validTo: dayBefore(changeDay) };
      const after: Unit = ch
        ? {
            ...base,
            fullName: ch[2],
            type: TYPES[ch[3]] as UnitType,
            provinceName: pAfter,
            validFrom: ch[4],
            fullNameEn: fullNameEn.replace(/ Commune$/, ' Ward'),
          }
        : { ...base, provinceName: pAfter, validFrom: changeDay };
      add(first);
      add(after);
      bucket.before.push(first);
      bucket.after.push(after);
    } else {
      add(base);
      bucket.before.push(base);
      bucket.after.push(base);
    }
  }
  for (const list of byCode.values()) for (const u of list) Object.freeze(u);
  newIx = { byCode, newProvinces, newProvincesAfter, communesByProvince };
  return newIx;
}

/** Every version of a code, new and old (for suggestions). */
function versionsOf(code: string): Unit[] {
  const out = [...(newIndex().byCode.get(code) ?? [])];
  const old = oldIndex().byCode.get(code);
  if (old) out.unshift(old);
  return out;
}

/** Units at a date, for search: every province, district and commune in force that day. */
export function unitsAt(at: string): Unit[] {
  if (at < REFORM_DATE) return [...oldIndex().byCode.values()];
  const out: Unit[] = [];
  for (const versions of newIndex().byCode.values()) {
    for (const u of versions)
      if ((u.validFrom === null || u.validFrom <= at) && (u.validTo === null || at <= u.validTo)) out.push(u);
  }
  return out;
}

let todayCache = '';
let todayAt = 0;
function today(): string {
  const now = Date.now();
  if (now - todayAt > 60_000) {
    todayCache = todayInVietnam(now);
    todayAt = now;
  }
  return todayCache;
}

/** The `at` option, checked: a real `YYYY-MM-DD` date (default today at UTC+7). */
export function atDate(at: string | undefined): string {
  if (at === undefined) return today();
  if (typeof at !== 'string' || !parseYmd(at)) {
    throw ValidationError.of('units.at', ['at'], {
      en: 'at must be a real date YYYY-MM-DD',
      vi: 'at phải là ngày hợp lệ dạng YYYY-MM-DD',
    });
  }
  return at;
}

function checkCode(code: string): void {
  if (typeof code !== 'string' || !/^(\d{2}|\d{3}|\d{5})$/.test(code)) {
    throw ValidationError.of('units.code', ['code'], {
      en: 'A unit code has 2 (province), 3 (old district) or 5 (commune) digits',
      vi: 'Mã đơn vị hành chính gồm 2 (tỉnh), 3 (huyện cũ) hoặc 5 (xã) chữ số',
    });
  }
}

/**
 * The unit a code means at a date (default today, UTC+7): before 2025-07-01 the old unit with its district
 * and province; from then the new one (with the 2026-04-30 changes from that day). A code that did not
 * exist at that date gives `undefined`. Codes were reused, so always pass the date you mean.
 *
 * @example
 * ```ts
 * import { getUnit } from '@motcua/units';
 * getUnit('05152', { at: '2025-06-30' })?.fullName; // 'Xã Quyết Chiến' (Huyện Tân Lạc, Tỉnh Hòa Bình)
 * getUnit('05152', { at: '2025-07-01' })?.fullName; // 'Xã Vân Sơn' (Tỉnh Phú Thọ)
 * ```
 */
export function getUnit(code: string, options?: { at?: string }): Unit | undefined {
  const at = atDate(options?.at);
  if (at < REFORM_DATE) {
    const u = oldIndex().byCode.get(code);
    if (u === undefined) checkCode(code);
    return u;
  }
  const list = newIndex().byCode.get(code);
  if (list === undefined) {
    checkCode(code);
    return undefined;
  }
  for (let i = 0; i < list.length; i++) {
    const u = list[i]!;
    if (u.validFrom! <= at && (u.validTo === null || at <= u.validTo)) return u;
  }
  return undefined;
}

/**
 * Like {@link getUnit} but throws a {@link UnitNotFoundError} naming the code and the date, with what the
 * code means at other dates.
 *
 * @example
 * ```ts
 * requireUnit('26740', { at: '2026-01-01' }).fullName; // 'Phường Sài Gòn'
 * ```
 */
export function requireUnit(code: string, options?: { at?: string }): Unit {
  const u = getUnit(code, options);
  if (u) return u;
  const at = atDate(options?.at);
  const suggestions: UnitSuggestion[] = versionsOf(code)
    .slice(0, 5)
    .map((v) => ({ code: v.code, fullName: v.fullName, at: v.validFrom ?? v.validTo! }));
  throw new UnitNotFoundError(code, at, suggestions);
}

/**
 * The provinces at a date: 34 from 2025-07-01 (6 municipalities + 28 provinces; 7 + 27 from 2026-04-30),
 * the 63 old ones before.
 *
 * @example
 * ```ts
 * provinces({ at: '2026-05-01' }).filter((p) => p.type === 'municipality').length; // 7
 * ```
 */
export function provinces(options?: { at?: string }): Unit[] {
  const at = atDate(options?.at);
  if (at < REFORM_DATE) return oldProvinceUnits().slice();
  const ix = newIndex();
  return (at >= '2026-04-30' ? ix.newProvincesAfter : ix.newProvinces).slice();
}

/**
 * The communes, wards and special zones of a province at a date (from 2025-07-01), or the old communes
 * of an old province before it.
 *
 * @example
 * ```ts
 * communesOf('01', { at: '2025-07-01' }).length; // 126
 * ```
 */
export function communesOf(provinceCode: string, options?: { at?: string }): Unit[] {
  const at = atDate(options?.at);
  if (typeof provinceCode !== 'string' || !/^\d{2}$/.test(provinceCode)) {
    throw ValidationError.of('units.province_code', ['provinceCode'], {
      en: 'A province code has 2 digits',
      vi: 'Mã tỉnh gồm 2 chữ số',
    });
  }
  if (at < REFORM_DATE) return (oldIndex().communesByProvince.get(provinceCode) ?? []).slice();
  const b = newIndex().communesByProvince.get(provinceCode);
  if (!b) return [];
  return (at >= '2026-04-30' ? b.after : b.before).slice();
}

/** The folded key of a unit's name (without its type word), for matching. */
export function keyOf(u: Unit): string {
  return fold(u.name);
}
