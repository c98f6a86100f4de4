import { convertAddress, formatAddress } from '@motcua/units';

/** The columns `units convert` adds to each row. */
export const ADDED_COLUMNS = [
  'new_address',
  'commune_code',
  'province_code',
  'confidence',
  'needs_review',
  'reason',
];

/** The cells `units convert` adds for one address (a row needing review has `yes` in needs_review). */
export type AddedCells = [string, string, string, number, 'yes' | 'no', string];

/**
 * The cells `units convert` adds for one address. `places` remembers each commune's "commune, province"
 * (what {@link formatAddress} puts after the rest), so that a row costs one conversion and no look-up.
 */
export function convertCells(
  text: string,
  at: { at?: string },
  places: Map<string, string> = new Map(),
): AddedCells {
  try {
    const r = convertAddress(text, at);
    const best = r.candidates[0];
    if (!best) return ['', '', '', 0, 'yes', r.reason ?? ''];
    let place = places.get(best.code);
    if (place === undefined) {
      place = formatAddress({ communeCode: best.code }, at);
      places.set(best.code, place);
    }
    // The same as formatAddress({ rest, communeCode }): the non-empty parts joined by ", ".
    const rest = r.rest.trim();
    const needs = r.ambiguous || best.confidence < 0.8;
    return [
      rest && place ? `${rest}, ${place}` : rest || place,
      best.code,
      best.provinceCode,
      best.confidence,
      needs ? 'yes' : 'no',
      r.ambiguous ? r.candidates.map((c) => c.name).join(' | ') : best.reason,
    ];
  } catch (e) {
    return ['', '', '', 0, 'yes', (e as Error).message];
  }
}

/**
 * Converts a batch of addresses, remembering the answers for texts seen lately (households share an
 * address, on neighbouring rows): at most `limit` entries, forgotten all at once when full so memory stays
 * bounded and the memo stays young (cheap to collect).
 */
export function converter(at: { at?: string }, limit = 2_000): (texts: readonly string[]) => AddedCells[] {
  let cache = new Map<string, AddedCells>();
  const places = new Map<string, string>();
  return (texts) => {
    const out = new Array<AddedCells>(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i]!;
      let cells = cache.get(t);
      if (!cells) {
        cells = convertCells(t, at, places);
        if (cache.size >= limit) cache = new Map();
        cache.set(t, cells);
      }
      out[i] = cells;
    }
    return out;
  };
}
