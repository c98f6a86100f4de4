import { ValidationError } from '@motcua/core';
import { fold, foldCode } from './fold.js';
import { COMMUNES, OLD_PROVINCES, PROVINCES } from './generated/new-units.js';
import { OLD_COMMUNES, OLD_DISTRICTS } from './generated/old-units.js';
import { successorList } from './lineage.js';
import { atDate, getUnit, REFORM_DATE } from './units.js';

/** A unit an address may mean. */
export interface AddressCandidate {
  /** New commune code (5 digits). */
  code: string;
  /** New commune full name. */
  name: string;
  provinceCode: string;
  /** 0-1. Never 1: the reason says what was matched. */
  confidence: number;
  reason: string;
}

/** The result of {@link convertAddress}. */
export interface ConvertedAddress {
  candidates: AddressCandidate[];
  /** True when more than one unit is possible (an old commune that was split, or a name found in several districts). */
  ambiguous: boolean;
  /** The part before the unit names: house number, street, village. */
  rest: string;
  /** Why there are no candidates, when there are none. */
  reason?: string;
  /** What was recognised. */
  matched: { province?: string; district?: string; commune?: string; era?: 'old' | 'new' };
}

interface Named {
  key: string;
  code: string;
  /** For old communes: `xa`, `phuong` or `thi tran` (the folded type word of the full name). */
  kind?: string;
}

const OLD_KIND: [RegExp, string][] = [
  [/^Thị trấn /u, 'thi tran'],
  [/^Phường /u, 'phuong'],
  [/^Xã /u, 'xa'],
];
const kindOf = (fullName: string) => OLD_KIND.find(([re]) => re.test(fullName))?.[1];
const DISTRICT_KINDS: [RegExp, string][] = [
  [/^Thị xã /u, 'thi xa'],
  [/^Thành phố /u, 'thanh pho'],
  [/^Quận /u, 'quan'],
  [/^Huyện /u, 'huyen'],
];
const DISTRICT_KIND: Record<string, string> = {
  'thi xa': 'thi xa',
  tx: 'thi xa',
  'thanh pho': 'thanh pho',
  tp: 'thanh pho',
  quan: 'quan',
  q: 'quan',
  huyen: 'huyen',
  h: 'huyen',
};
/** The kind a written type word or abbreviation announces. */
const WRITTEN_KIND: Record<string, string> = {
  xa: 'xa',
  x: 'xa',
  phuong: 'phuong',
  p: 'phuong',
  'thi tran': 'thi tran',
  tt: 'thi tran',
};

type ProvinceName = Named & { era: 'old' | 'new'; oldCodes: string[]; newCodes: string[] };

/**
 * Names looked up by their folded key: the text's word spans are tried against it, instead of searching
 * the text for every name of a list.
 */
interface NameIndex<T extends Named> {
  byKey: Map<string, T[]>;
  /** The keys by their hash (see {@link hashOf}): a span is looked up by its hash, without a substring. */
  byHash: Map<number, string[]>;
  /** The hashes of the keys' last words: a span whose last word's hash is not here cannot be a key. */
  lastWords: Set<number>;
  /** The longest key's length: no span longer than it is tried. */
  maxLen: number;
}

// Polynomial hashes modulo 2^30 (small integers for V8): a span's hash comes from the text's prefix hashes.
const HASH_BASE = 131;
const HASH_MASK = 0x3fffffff;
const MAX_KEY = 256;
const POW = [1];
for (let i = 1; i <= MAX_KEY; i++) POW.push(Math.imul(POW[i - 1]!, HASH_BASE) & HASH_MASK);

function hashOf(text: string, from = 0, to = text.length): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, HASH_BASE) + text.charCodeAt(i)) & HASH_MASK;
  return h;
}

/** The hash of `f.slice(s, e)` from the prefix hashes of {@link prepare}. */
const spanHash = (p: Prepared, s: number, e: number) =>
  (p.hash[e]! - Math.imul(p.hash[s]!, POW[e - s]!)) & HASH_MASK;

const isBoundaryChar = (c: string | undefined) => c === ' ' || c === "'";

/** Where the last word of a folded text starts (after its last space or apostrophe, as {@link prepare} counts). */
function lastWordStart(key: string): number {
  let i = key.length - 1;
  while (i > 0 && !isBoundaryChar(key[i - 1])) i--;
  return i;
}

function nameIndex<T extends Named>(list: readonly T[]): NameIndex<T> {
  const byKey = new Map<string, T[]>();
  const byHash = new Map<number, string[]>();
  const lastWords = new Set<number>();
  let maxLen = 0;
  for (const n of list) {
    if (n.key === '' || n.key.length > MAX_KEY) continue;
    const l = byKey.get(n.key);
    if (l) {
      l.push(n);
      continue;
    }
    byKey.set(n.key, [n]);
    const h = hashOf(n.key);
    const same = byHash.get(h);
    if (same) same.push(n.key);
    else byHash.set(h, [n.key]);
    lastWords.add(hashOf(n.key, lastWordStart(n.key)));
    if (n.key.length > maxLen) maxLen = n.key.length;
  }
  return { byKey, byHash, lastWords, maxLen };
}

interface AddressIndex {
  provinces: NameIndex<ProvinceName>;
  districtsByProvince: Map<string, Named[]>;
  oldCommunesByDistrict: Map<string, Named[]>;
  oldCommunesByProvince: Map<string, (Named & { district: string })[]>;
  newCommunesByProvince: Map<string, Named[]>;
  /** Every old province's code, and every new one's (in the order of the lists' maps): for an address naming no province. */
  allOldProvinces: string[];
  allNewProvinces: string[];
  /** The name indexes of the lists searched together (the districts of a new province's old provinces…), built on first use. */
  unions: Map<string, NameIndex<Named>>;
  /** The same by the identity of the code arrays kept here (a province's old and new codes, all of them). */
  byArray: Map<readonly string[], Map<string, NameIndex<Named>>>;
  byDistrict: Map<string, NameIndex<Named>>;
}
let ix: AddressIndex | undefined;

/**
 * The name index of the lists of `codes` in `lists`, concatenated in that order (built on first use, kept).
 * The code arrays the address index keeps (a province's old and new codes) are looked up by identity.
 */
function unionIndex(kind: string, lists: Map<string, Named[]>, codes: readonly string[]): NameIndex<Named> {
  const kept = ix!.byArray.get(codes);
  let index = kept?.get(kind);
  if (index) return index;
  const id = `${kind}:${codes.join(',')}`;
  index = ix!.unions.get(id);
  if (!index) {
    index = nameIndex(codes.flatMap((c) => lists.get(c) ?? []));
    ix!.unions.set(id, index);
  }
  kept?.set(kind, index);
  return index;
}

const OLD_PREFIX = /^(Xã|Phường|Thị trấn|Huyện|Quận|Thị xã|Thành phố|Tỉnh) /u;
const keyOfFull = (fullName: string) => fold(fullName.replace(OLD_PREFIX, ''));

/** The name index of one old district's communes (built on first use, kept). */
function districtIndex(code: string): NameIndex<Named> {
  let index = ix!.byDistrict.get(code);
  if (!index) {
    index = nameIndex(ix!.oldCommunesByDistrict.get(code) ?? []);
    ix!.byDistrict.set(code, index);
  }
  return index;
}

function build(): AddressIndex {
  const oldToNew = new Map(OLD_PROVINCES.map((p) => [p[0], p[2]]));
  const provinces: ProvinceName[] = [];
  for (const [code, fullName, newCode] of OLD_PROVINCES)
    provinces.push({ key: keyOfFull(fullName), code, era: 'old', oldCodes: [code], newCodes: [newCode] });
  for (const [code, name] of PROVINCES) {
    provinces.push({
      key: fold(name),
      code,
      era: 'new',
      oldCodes: OLD_PROVINCES.filter((p) => p[2] === code).map((p) => p[0]),
      newCodes: [code],
    });
  }
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  const districtsByProvince = new Map<string, Named[]>();
  for (const [code, fullName, p] of OLD_DISTRICTS) {
    const kind = DISTRICT_KINDS.find(([re]) => re.test(fullName))?.[1];
    push(districtsByProvince, p, { key: keyOfFull(fullName), code, ...(kind ? { kind } : {}) });
  }
  const oldCommunesByDistrict = new Map<string, Named[]>();
  const oldCommunesByProvince = new Map<string, (Named & { district: string })[]>();
  for (const [code, fullName, d, p] of OLD_COMMUNES) {
    const key = keyOfFull(fullName);
    const kind = kindOf(fullName);
    push(oldCommunesByDistrict, d, { key, code, ...(kind ? { kind } : {}) });
    push(oldCommunesByProvince, p, { key, code, district: d, ...(kind ? { kind } : {}) });
  }
  const newCommunesByProvince = new Map<string, Named[]>();
  for (const [code, name, , , p] of COMMUNES) push(newCommunesByProvince, p, { key: fold(name), code });
  void oldToNew;
  const allOldProvinces = [...districtsByProvince.keys()];
  const allNewProvinces = [...newCommunesByProvince.keys()];
  return {
    provinces: nameIndex(provinces),
    unions: new Map(),
    byDistrict: new Map(),
    byArray: new Map(
      [...provinces.flatMap((p) => [p.oldCodes, p.newCodes]), allOldProvinces, allNewProvinces].map((a) => [
        a,
        new Map(),
      ]),
    ),
    allOldProvinces,
    allNewProvinces,
    districtsByProvince,
    oldCommunesByDistrict,
    oldCommunesByProvince,
    newCommunesByProvince,
  };
}

/** Lower case with the modern tone placement (hoà → hòa, thuỷ → thủy), spaces and dashes collapsed. */
function toned(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/o([àáảãạ])/g, (_, v: string) => `${'òóỏõọ'['àáảãạ'.indexOf(v)]}a`)
    .replace(/u([ỳýỷỹỵ])/g, (_, v: string) => `${'ùúủũụ'['ỳýỷỹỵ'.indexOf(v)]}y`)
    .replace(/[\s\-–]+/g, ' ')
    .trim();
}

let nameMaps:
  | { oldProvince: Map<string, string>; newProvince: Map<string, string>; district: Map<string, string> }
  | undefined;
const names = () => {
  nameMaps ??= {
    oldProvince: new Map(OLD_PROVINCES.map((p) => [p[0], p[1]])),
    newProvince: new Map(PROVINCES.map((p) => [p[0], p[2]])),
    district: new Map(OLD_DISTRICTS.map((d) => [d[0], d[1]])),
  };
  return nameMaps;
};

let oldNames: Map<string, string> | undefined;
const OLD_NAME = () => {
  oldNames ??= new Map(OLD_COMMUNES.map((c) => [c[0], c[1]]));
  return oldNames;
};

const isWordChar = (c: string | undefined) => c !== undefined && c !== ' ' && c !== "'";

const TYPE_BEFORE = [
  'thanh pho',
  'thi tran',
  'thi xa',
  'dac khu',
  'phuong',
  'huyen',
  'quan',
  'tinh',
  'xa',
  'tp',
  'tx',
  'tt',
  'p',
  'x',
  'h',
  'q',
  't',
];

/**
 * Words of a village or a street (thôn, xóm, ấp, tổ, khu phố, bản, khóm, buôn, làng, số, ngõ, hẻm, đường…):
 * a name written right after one is the village's or the street's ("Thôn 2", "đường Trần Phú"), not a
 * commune's or a district's, even where a ward or a district has that name ("Phường 2", "Quận 1").
 */
const VILLAGE_WORDS = new Set([
  'to dan pho',
  'khu pho',
  'thon',
  'xom',
  'ap',
  'ban',
  'khom',
  'khoi',
  'khu',
  'kp',
  'tdp',
  'to',
  'buon',
  'lang',
  'so',
  'doi',
  'ngo',
  'ngach',
  'hem',
  'kiet',
  'duong',
]);
/** Type words of a commune: a name written after one is not a district's ("Xã Mèo Vạc" is not Huyện Mèo Vạc). */
const COMMUNE_WORDS = new Set(['thi tran', 'dac khu', 'phuong', 'xa', 'tt', 'p', 'x']);
/** Longest first, so that "thị xã" is read before "xã" and "khu phố" before "khu". */
const WORDS_BEFORE = [...new Set([...TYPE_BEFORE, ...VILLAGE_WORDS])].sort((a, b) => b.length - a.length);

/**
 * The folded text with runs of spaces collapsed, where each of its characters came from, and where a name
 * may start and end in it (word boundaries: a space, an apostrophe or either end).
 */
interface Prepared {
  nfc: string;
  f: string;
  map: number[];
  /** Positions after a space or an apostrophe (or 0) that are not a space, ascending. */
  starts: number[];
  /** Positions before a space or an apostrophe (or the end) that follow a non-space, ascending. */
  ends: number[];
  /** Prefix hashes of `f`: `hash[i]` is the hash of `f.slice(0, i)` (see {@link spanHash}). */
  hash: number[];
}

const SPACE = 32;
const APOSTROPHE = 39;

function prepare(text: string): Prepared {
  const nfc = text.normalize('NFC');
  const codes: number[] = [];
  const map: number[] = [];
  let afterSpace = true;
  for (let i = 0; i < nfc.length; i++) {
    const c = foldCode(nfc.charCodeAt(i));
    if (c === SPACE) {
      if (afterSpace) continue;
      afterSpace = true;
    } else afterSpace = false;
    codes.push(c);
    map.push(i);
  }
  map.push(nfc.length);
  const n = codes.length;
  const starts: number[] = [];
  const ends: number[] = [];
  const hash = new Array<number>(n + 1);
  hash[0] = 0;
  for (let k = 0; k < n; k++) {
    const c = codes[k]!;
    hash[k + 1] = (Math.imul(hash[k]!, HASH_BASE) + c) & HASH_MASK;
    if (c === SPACE) continue;
    if (k === 0 || codes[k - 1] === SPACE || codes[k - 1] === APOSTROPHE) starts.push(k);
    if (k === n - 1 || codes[k + 1] === SPACE || codes[k + 1] === APOSTROPHE) ends.push(k + 1);
  }
  return { nfc, f: String.fromCharCode(...codes), map, starts, ends, hash };
}

/** Where the words glued before `start` begin: only across spaces and an abbreviation's dot, never a comma or a dash. */
function gluedBefore(p: Prepared, start: number): number {
  const { f, nfc, map } = p;
  let i = start;
  while (i > 0 && f[i - 1] === ' ') {
    const orig = nfc[map[i - 1]!];
    if (orig !== ' ' && orig !== '.' && orig !== '\t') return -1;
    i--;
  }
  return i;
}

/**
 * Moves a match start back over the type word (or abbreviation) written just before the name: only across
 * spaces and an abbreviation's dot, never across a comma or a dash, which end the previous part.
 */
function withTypeWord(p: Prepared, start: number): number {
  const { f } = p;
  const i = gluedBefore(p, start);
  if (i < 0) return start;
  for (const w of TYPE_BEFORE) {
    if (i >= w.length && f.startsWith(w, i - w.length) && !isWordChar(f[i - w.length - 1]))
      return i - w.length;
  }
  return start;
}

/** The type, village or street word written just before `start`, if any. */
function wordBefore(p: Prepared, start: number): string | undefined {
  const { f } = p;
  const i = gluedBefore(p, start);
  if (i <= 0 || i === start) return undefined;
  for (const w of WORDS_BEFORE)
    if (i >= w.length && f.startsWith(w, i - w.length) && !isWordChar(f[i - w.length - 1])) return w;
  return undefined;
}

/** A name at `start` that cannot be a unit of this level: a village's or a street's, or a commune's read as a district. */
function misplaced(p: Prepared, start: number, level: 'district' | 'commune'): boolean {
  const w = wordBefore(p, start);
  return w !== undefined && (VILLAGE_WORDS.has(w) || (level === 'district' && COMMUNE_WORDS.has(w)));
}

/**
 * The names of `index` written last in the text before `before`: the greatest end, then the longest name
 * (several when units share it). With `level`, a name in the wrong place (see {@link misplaced}) is passed
 * over, and so is every shorter name ending with it.
 */
function best<T extends Named>(
  p: Prepared,
  index: NameIndex<T>,
  before: number,
  level?: 'district' | 'commune',
): { hits: readonly T[]; pos: number } {
  const { starts, ends } = p;
  let k = starts.length - 1;
  for (let j = ends.length - 1; j >= 0; j--) {
    const e = ends[j]!;
    if (e > before) continue;
    while (k >= 0 && starts[k]! >= e) k--;
    const pos = longestAt(p, index, k, e);
    if (pos >= 0 && !(level && misplaced(p, pos, level)))
      return { hits: index.byKey.get(p.f.slice(pos, e))!, pos };
  }
  return { hits: [], pos: -1 };
}

/**
 * Where the longest name of `index` ending at `e` starts, or -1; `k` is the index in `p.starts` of the last
 * start before `e` (the start of the last word).
 */
function longestAt<T extends Named>(p: Prepared, index: NameIndex<T>, k: number, e: number): number {
  const { f, starts } = p;
  if (k < 0 || !index.lastWords.has(spanHash(p, starts[k]!, e))) return -1;
  let pos = -1;
  for (let m = k; m >= 0; m--) {
    const s = starts[m]!;
    if (e - s > index.maxLen) break;
    const keys = index.byHash.get(spanHash(p, s, e));
    if (keys === undefined) continue;
    for (const key of keys)
      if (key.length === e - s && f.startsWith(key, s)) {
        pos = s;
        break;
      }
  }
  return pos;
}

/** The names of `index` ending exactly at `e` (the longest), or none. */
function endingAt<T extends Named>(
  p: Prepared,
  index: NameIndex<T>,
  e: number,
): { hits: readonly T[]; pos: number } {
  let k = p.starts.length - 1;
  while (k >= 0 && p.starts[k]! >= e) k--;
  const pos = longestAt(p, index, k, e);
  return pos < 0 ? { hits: [], pos } : { hits: index.byKey.get(p.f.slice(pos, e))!, pos };
}

/**
 * Reads a free-text address, old or new ("Xóm Mới, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình", "xa ngo luong
 * huyen tan lac hoa binh", "Thôn 2, Xã Vân Sơn, Tỉnh Phú Thọ"), and returns the new communes it may mean,
 * best first, each with a confidence and a reason, and the rest of the address (house, street, village).
 * An old commune that was split gives every successor and `ambiguous: true`: the village decides, and an
 * officer must pick. Never a guess presented as certain.
 *
 * @example
 * ```ts
 * import { convertAddress, formatAddress } from '@motcua/units';
 * const r = convertAddress('Xóm Mới, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình');
 * r.candidates[0]; // { code: '05152', name: 'Xã Vân Sơn', provinceCode: '25', confidence: 0.97, reason: '…' }
 * formatAddress({ rest: r.rest, communeCode: r.candidates[0]!.code }); // 'Xóm Mới, Xã Vân Sơn, Tỉnh Phú Thọ'
 * ```
 */
export function convertAddress(text: string, options: { at?: string } = {}): ConvertedAddress {
  if (typeof text !== 'string' || text.trim() === '' || text.length > 500 || !/\p{L}/u.test(text)) {
    throw ValidationError.of('units.address', ['text'], {
      en: 'The address must be text of 1-500 characters with letters',
      vi: 'Địa chỉ phải là văn bản 1-500 ký tự có chữ cái',
    });
  }
  const at = atDate(options.at);
  ix ??= build();
  const prep = prepare(text);
  const { nfc, f } = prep;
  // 1. The province: the right-most name.
  const prov = best(prep, ix.provinces, f.length);
  if (prov.hits.length > 1)
    prov.hits = [...prov.hits].sort((a, b) => (a.era === 'new' ? -1 : 1) - (b.era === 'new' ? -1 : 1));
  const province = prov.hits[0];
  const limit = province ? withTypeWord(prep, prov.pos) : f.length;
  const oldCodes = !province
    ? ix.allOldProvinces
    : prov.hits.length === 1
      ? province.oldCodes
      : [...new Set(prov.hits.flatMap((h) => h.oldCodes))];
  const newCodes = !province
    ? ix.allNewProvinces
    : prov.hits.length === 1
      ? province.newCodes
      : [...new Set(prov.hits.flatMap((h) => h.newCodes))];
  // 2. An old district before it.
  const newIndex = unionIndex('n', ix.newCommunesByProvince, newCodes);
  let dist = best(prep, unionIndex('d', ix.districtsByProvince, oldCodes), limit, 'district');
  if (dist.hits.length > 0) {
    // A new commune whose name ends with an old district's (Xã Bắc Thanh Miện, Phường Cam Ly - Đà Lạt),
    // written in one part (no comma between): the district is part of the commune's name, not a district.
    const longer = endingAt(prep, newIndex, dist.pos + dist.hits[0]!.key.length);
    if (
      longer.pos >= 0 &&
      longer.pos < dist.pos &&
      !misplaced(prep, longer.pos, 'commune') &&
      !/[,;]/.test(nfc.slice(prep.map[longer.pos], prep.map[dist.pos]))
    )
      dist = { hits: [], pos: -1 };
  }
  if (dist.hits.length > 1) {
    // A town and a rural district of the same name (Thị xã / Huyện Kỳ Anh): the written type word decides.
    const written = f.slice(withTypeWord(prep, dist.pos), dist.pos).trim();
    const same = dist.hits.filter((h) => h.kind === DISTRICT_KIND[written]);
    if (same.length > 0) dist.hits = same;
  }
  const district = dist.hits[0];
  const limit2 = district ? withTypeWord(prep, dist.pos) : limit;
  // 3. The commune: old (within the district(s), or the province) and new (within the new province).
  const oldList = !district
    ? unionIndex('pc', ix.oldCommunesByProvince, oldCodes)
    : dist.hits.length === 1
      ? districtIndex(district.code)
      : unionIndex(
          'c',
          ix.oldCommunesByDistrict,
          dist.hits.map((d) => d.code),
        );
  const oldHit = best(prep, oldList, limit2, 'commune');
  if (oldHit.hits.length > 1) {
    // Names that differ only in diacritics (Minh Quân / Minh Quán): the text's own spelling decides.
    const written = toned(
      prep.nfc.slice(prep.map[oldHit.pos], prep.map[oldHit.pos + oldHit.hits[0]!.key.length - 1]! + 1),
    );
    // Only when the text has diacritics: written without them, both names stay possible.
    const exact = /[^\x00-\x7f]/.test(written)
      ? oldHit.hits.filter((h) => toned(OLD_NAME().get(h.code)!.replace(OLD_PREFIX, '')) === written)
      : [];
    if (exact.length > 0) oldHit.hits = exact;
  }
  if (oldHit.hits.length > 1) {
    // Two old units with the same name (a xã and a thị trấn, often): the type word written decides.
    const start = withTypeWord(prep, oldHit.pos);
    const written = WRITTEN_KIND[f.slice(start, oldHit.pos).trim()];
    const same = written ? oldHit.hits.filter((h) => h.kind === written) : [];
    if (same.length > 0) oldHit.hits = same;
  }
  const newHit = district ? { hits: [] as Named[], pos: -1 } : best(prep, newIndex, limit, 'commune');
  const matched: ConvertedAddress['matched'] = {};
  if (province)
    matched.province = (province.era === 'old' ? names().oldProvince : names().newProvince).get(
      province.code,
    )!;
  if (district) matched.district = names().district.get(district.code)!;
  const restOf = (pos: number) =>
    nfc
      .slice(0, prep.map[withTypeWord(prep, pos)])
      .replace(/[\s,;.\-–]+$/u, '')
      .trim();
  const useNew =
    newHit.hits.length > 0 &&
    (oldHit.hits.length === 0 ||
      (province?.era === 'new' &&
        newHit.pos + newHit.hits[0]!.key.length >= oldHit.pos + oldHit.hits[0]!.key.length));
  if (useNew) {
    const list = newHit.hits.map((h) => getUnit(h.code, { at: at < REFORM_DATE ? REFORM_DATE : at })!);
    matched.commune = list[0]!.fullName;
    matched.era = 'new';
    return {
      candidates: list.map((u) => ({
        code: u.code,
        name: u.fullName,
        provinceCode: u.provinceCode,
        confidence: list.length === 1 ? (province ? 0.9 : 0.75) : 0.5 / list.length,
        reason: `a commune of the 2025 list named in the address${province ? '' : ' (no province given)'}`,
      })),
      ambiguous: list.length > 1,
      rest: restOf(newHit.pos),
      matched,
    };
  }
  if (oldHit.hits.length === 0) {
    return {
      candidates: [],
      ambiguous: false,
      rest: nfc.trim(),
      reason: province
        ? `no commune of ${matched.province} is named in the address`
        : 'no province and no commune name recognised',
      matched,
    };
  }
  matched.commune = OLD_NAME().get(oldHit.hits[0]!.code)!;
  matched.era = 'old';
  const base = district ? 0.97 : oldHit.hits.length === 1 ? (province ? 0.85 : 0.7) : 0.5;
  const candidates: AddressCandidate[] = [];
  for (const h of oldHit.hits) {
    const succ = successorList(h.code);
    const old = [h.code, OLD_NAME().get(h.code)!] as const;
    for (const s of succ) {
      if (candidates.some((c) => c.code === s.code)) continue;
      candidates.push({
        code: s.code,
        name: s.fullName,
        provinceCode: s.provinceCode,
        confidence: Math.round((base / (succ.length * oldHit.hits.length)) * 1000) / 1000,
        reason: `old ${old[1]} (${old[0]}${district ? `, ${matched.district}` : ''}) → ${s.fullName}: ${s.kind === 'partial' ? 'part of it (the old commune was split; the village decides)' : s.kind}`,
      });
    }
  }
  candidates.sort((a, b) => b.confidence - a.confidence);
  return { candidates, ambiguous: candidates.length > 1, rest: restOf(oldHit.pos), matched };
}

/**
 * The two-level address: the rest (house, street, village), the commune and the province, as in force at
 * `at` (default today).
 *
 * @example
 * ```ts
 * formatAddress({ rest: 'Xóm Mới', communeCode: '05152' }, { at: '2025-07-01' }); // 'Xóm Mới, Xã Vân Sơn, Tỉnh Phú Thọ'
 * ```
 */
export function formatAddress(
  address: { rest?: string; communeCode: string },
  options: { at?: string } = {},
): string {
  const at = atDate(options.at);
  const u = getUnit(address.communeCode, { at: at < REFORM_DATE ? REFORM_DATE : at });
  if (u?.level !== 'commune') {
    throw ValidationError.of('units.commune_code', ['communeCode'], {
      en: `No commune has code ${address.communeCode} on ${at}`,
      vi: `Không có xã nào mã ${address.communeCode} vào ngày ${at}`,
    });
  }
  return [address.rest?.trim(), u.fullName, u.provinceName].filter((x) => x).join(', ');
}
