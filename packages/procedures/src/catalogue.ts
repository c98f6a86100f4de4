import { parseWith, todayInVietnam, ValidationError } from '@motcua/core';
import { foldName } from '@motcua/units';
import { type CatalogueProcedure, type CatalogueProcedureInput, CatalogueProcedureSchema } from './schema.js';
import { SEED_PROCEDURES } from './seed.js';

/**
 * A procedure as reviewed configuration, fully typed and validated (throws a ValidationError naming the
 * field).
 *
 * @example
 * ```ts
 * export const own = defineProcedure({ code: 'HN.01', name: { vi: 'Thủ tục riêng của tỉnh' }, field: { code: 'X', name: { vi: 'Khác' } },
 *   limit: { unit: 'workingDays', value: 3 }, legalBasis: ['Quyết định …/QĐ-UBND'], validFrom: '2026-01-01', province: '01' });
 * ```
 */
export function defineProcedure(input: CatalogueProcedureInput): CatalogueProcedure {
  return parseWith(CatalogueProcedureSchema, input);
}

/**
 * A catalogue: procedures by code, each with its dated versions.
 *
 * @example
 * ```ts
 * import { Catalogue } from '@motcua/procedures';
 * const catalogue = new Catalogue([own]); // `own` from defineProcedure, valid from 2026-01-01
 * catalogue.get('HN.01', { at: '2026-03-02' })?.limit; // { unit: 'workingDays', value: 3 }
 * catalogue.get('HN.01', { at: '2025-12-31' }); // undefined: not yet in force
 * new Catalogue([own, own]); // throws a ValidationError `catalogue.overlap`: two versions overlap
 * ```
 */
export class Catalogue {
  readonly #byCode = new Map<string, CatalogueProcedure[]>();

  constructor(procedures: readonly CatalogueProcedure[]) {
    for (const p of procedures) {
      const list = this.#byCode.get(p.code) ?? [];
      list.push(p);
      this.#byCode.set(p.code, list);
    }
    for (const [code, list] of this.#byCode) {
      list.sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        if (prev.validTo === undefined || prev.validTo >= list[i]!.validFrom) {
          throw ValidationError.of('catalogue.overlap', [code], {
            en: `Procedure ${code}: two versions overlap (${prev.validFrom} and ${list[i]!.validFrom})`,
            vi: `Thủ tục ${code}: hai phiên bản chồng lấn (${prev.validFrom} và ${list[i]!.validFrom})`,
          });
        }
      }
    }
  }

  /** Number of distinct procedure codes. */
  get size(): number {
    return this.#byCode.size;
  }

  /** Every version of every procedure. */
  all(): CatalogueProcedure[] {
    return [...this.#byCode.values()].flat();
  }

  /**
   * The version of a procedure in force at a date (default today).
   *
   * @example
   * ```ts
   * seedCatalogue().get('2.000815')?.limit; // { unit: 'sameDay', cutoff: '15:00', onVerification: … }
   * ```
   */
  get(code: string, options: { at?: string } = {}): CatalogueProcedure | undefined {
    const at = options.at ?? todayInVietnam();
    return this.#byCode
      .get(code)
      ?.find((p) => p.validFrom <= at && (p.validTo === undefined || at <= p.validTo));
  }

  /** The procedures in force at a date. */
  at(date?: string): CatalogueProcedure[] {
    const at = date ?? todayInVietnam();
    return [...this.#byCode.keys()]
      .map((c) => this.get(c, { at }))
      .filter((p): p is CatalogueProcedure => p !== undefined);
  }

  /**
   * Procedures whose name contains every word of the query, diacritics optional, at a date.
   *
   * @example
   * ```ts
   * seedCatalogue().search('chung thuc ban sao')[0]?.code; // '2.000815'
   * ```
   */
  search(query: string, options: { at?: string; limit?: number } = {}): CatalogueProcedure[] {
    const words = foldName(query).split(' ').filter(Boolean);
    if (words.length === 0) return [];
    const scored = this.at(options.at)
      .map((p) => {
        const name = ` ${foldName(p.name.vi)} ${p.name.en ? foldName(p.name.en) : ''} `;
        const hits = words.filter((w) => name.includes(` ${w}`)).length;
        return { p, score: hits / words.length + (name.startsWith(` ${words.join(' ')}`) ? 0.5 : 0) };
      })
      .filter((x) => x.score >= 1)
      .sort((a, b) => b.score - a.score);
    return scored.slice(0, options.limit ?? 20).map((x) => x.p);
  }
}

/**
 * A catalogue from reviewed configuration (validated; every bad entry reported). Versions of one code must
 * not overlap in time.
 *
 * @example
 * ```ts
 * export default defineCatalogue([own, otherProcedure]);
 * ```
 */
export function defineCatalogue(procedures: readonly CatalogueProcedureInput[]): Catalogue {
  const issues: ValidationError['issues'] = [];
  const parsed: CatalogueProcedure[] = [];
  procedures.forEach((p, i) => {
    const r = CatalogueProcedureSchema.safeParse(p);
    if (r.success) parsed.push(r.data);
    else issues.push(...ValidationError.fromZod(r.error, [i]).issues);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return new Catalogue(parsed);
}

let seed: Catalogue | undefined;

/**
 * The seed catalogue shipped with the package: the commonest commune procedures, each citing its source;
 * entries not confirmed are `confidence: 'unverified'`.
 *
 * @example
 * ```ts
 * seedCatalogue().all().filter((p) => p.confidence === 'unverified').map((p) => p.code);
 * ```
 */
export function seedCatalogue(): Catalogue {
  seed ??= defineCatalogue(SEED_PROCEDURES);
  return seed;
}

/**
 * A unit's catalogue: the national base, then the province's additions and overrides (same code: the
 * province's versions replace the base's), then the unit's own settings.
 *
 * @example
 * ```ts
 * const hanoi = layerCatalogues(seedCatalogue(), defineCatalogue(hanoiOverrides));
 * ```
 */
export function layerCatalogues(...layers: Catalogue[]): Catalogue {
  const byCode = new Map<string, CatalogueProcedure[]>();
  for (const layer of layers) {
    const codes = new Map<string, CatalogueProcedure[]>();
    for (const p of layer.all()) codes.set(p.code, [...(codes.get(p.code) ?? []), p]);
    for (const [code, versions] of codes) byCode.set(code, versions);
  }
  return new Catalogue([...byCode.values()].flat());
}

/** One change between two catalogues. */
export interface CatalogueChange {
  code: string;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: each field that differs, with both values. */
  fields?: { field: string; before: unknown; after: unknown }[];
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/**
 * What changes between two catalogues at a date, procedure by procedure and field by field (province IT
 * reviews a new list before adopting it).
 *
 * @example
 * ```ts
 * diffCatalogues(current, proposed); // [{ code: '2.000815', change: 'changed', fields: [{ field: 'limit', before: …, after: … }] }]
 * ```
 */
export function diffCatalogues(a: Catalogue, b: Catalogue, options: { at?: string } = {}): CatalogueChange[] {
  const at = options.at ?? todayInVietnam();
  const left = new Map(a.at(at).map((p) => [p.code, p]));
  const right = new Map(b.at(at).map((p) => [p.code, p]));
  const out: CatalogueChange[] = [];
  for (const code of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const x = left.get(code) as Record<string, unknown> | undefined;
    const y = right.get(code) as Record<string, unknown> | undefined;
    if (!x) out.push({ code, change: 'added' });
    else if (!y) out.push({ code, change: 'removed' });
    else {
      const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])]
        .sort()
        .filter((f) => stable(x[f]) !== stable(y[f]))
        .map((f) => ({ field: f, before: x[f], after: y[f] }));
      if (fields.length > 0) out.push({ code, change: 'changed', fields });
    }
  }
  return out;
}
