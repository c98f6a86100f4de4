import { ValidationError } from '@motcua/core';
import { editDistance, fold, stripQueryType } from './fold.js';
import { atDate, keyOf, REFORM_DATE, type Unit, unitsAt } from './units.js';

/** A search hit. */
export interface UnitMatch {
  unit: Unit;
  /** 0-1: 1 exact name, lower for prefixes, contained words and typos. */
  score: number;
  reason: 'exact' | 'prefix' | 'words' | 'typo';
}

/** Options of {@link searchUnits}. */
export interface SearchOptions {
  at?: string;
  provinceCode?: string;
  type?: Unit['type'];
  limit?: number;
}

interface Entry {
  key: string;
  unit: Unit;
}
interface SearchIndex {
  list: Entry[];
  exact: Map<string, Entry[]>;
  /** Entries sorted by key, for prefix ranges. */
  sorted: Entry[];
  /** token → entries whose key has it. */
  tokens: Map<string, Entry[]>;
}
const entriesAt = new Map<string, SearchIndex>();

function entries(era: string): SearchIndex {
  let e = entriesAt.get(era);
  if (e) return e;
  const list: Entry[] = [];
  const at = era === 'old' ? '2025-06-30' : era === 'new1' ? REFORM_DATE : '2026-04-30';
  for (const u of unitsAt(at)) list.push({ key: keyOf(u), unit: u });
  const exact = new Map<string, Entry[]>();
  const tokens = new Map<string, Entry[]>();
  const push = (m: Map<string, Entry[]>, k: string, x: Entry) => {
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  };
  for (const x of list) {
    push(exact, x.key, x);
    for (const t of new Set(x.key.split(' '))) push(tokens, t, x);
  }
  const sorted = list.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  e = { list, exact, sorted, tokens };
  entriesAt.set(era, e);
  return e;
}

/** Index of the first entry whose key is ≥ `key`. */
function lowerBound(sorted: Entry[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const LEVEL_RANK = { province: 0, district: 1, commune: 2 } as const;

/**
 * Finds units by name at a date: diacritics optional, tone placement ignored ("Hoà"/"Hòa"), type words and
 * abbreviations (X., P., TT., TP., T., H., Q.) optional, small typos tolerated. Ranked by score.
 *
 * @example
 * ```ts
 * import { searchUnits } from '@motcua/units';
 * searchUnits('x. van son', { provinceCode: '25' })[0]?.unit.code; // '05152'
 * ```
 */
export function searchUnits(query: string, options: SearchOptions = {}): UnitMatch[] {
  if (typeof query !== 'string' || fold(query) === '') {
    throw ValidationError.of('units.query', ['query'], {
      en: 'The search text is empty',
      vi: 'Nội dung tìm kiếm trống',
    });
  }
  const at = atDate(options.at);
  const era = at < REFORM_DATE ? 'old' : at < '2026-04-30' ? 'new1' : 'new2';
  const { list, exact, sorted, tokens } = entries(era);
  const { key, level } = stripQueryType(fold(query));
  const limit = options.limit ?? 10;
  const keep = (u: Unit) =>
    (options.provinceCode === undefined || u.provinceCode === options.provinceCode) &&
    (options.type === undefined || u.type === options.type) &&
    (level === undefined || level === 'any' || u.level === level);
  const out: UnitMatch[] = [];
  const seen = new Set<Unit>();
  const add = (unit: Unit, score: number, reason: UnitMatch['reason']) => {
    if (seen.has(unit) || !keep(unit)) return;
    seen.add(unit);
    out.push({ unit, score, reason });
  };
  for (const e of exact.get(key) ?? []) add(e.unit, 1, 'exact');
  // Names that start with the query (a binary search over the sorted keys).
  for (let i = lowerBound(sorted, key); i < sorted.length && sorted[i]!.key.startsWith(key); i++) {
    const e = sorted[i]!;
    if (e.key !== key) add(e.unit, 0.6 + 0.3 * (key.length / e.key.length), 'prefix');
  }
  // Every word of the query in the name, in any order.
  const words = key.split(' ');
  if (words.length > 1) {
    const first = tokens.get(words[0]!) ?? [];
    for (const e of first) if (words.every((w) => ` ${e.key} `.includes(` ${w} `))) add(e.unit, 0.6, 'words');
  }
  // Small typos, only when nothing better was found.
  if (out.length === 0) {
    const maxTypo = key.length >= 8 ? 2 : key.length >= 4 ? 1 : 0;
    if (maxTypo > 0) {
      for (const e of list) {
        if (Math.abs(e.key.length - key.length) > maxTypo) continue;
        const d = editDistance(e.key, key, maxTypo);
        if (d <= maxTypo) add(e.unit, 0.75 - 0.1 * d, 'typo');
      }
    }
  }
  out.sort(
    (a, b) =>
      b.score - a.score ||
      LEVEL_RANK[a.unit.level] - LEVEL_RANK[b.unit.level] ||
      (a.unit.code < b.unit.code ? -1 : 1),
  );
  return out.slice(0, limit);
}
