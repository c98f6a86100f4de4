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
export function convertCells(text: string, at: { at?: string }): (string | number)[] {
  try {
    const r = convertAddress(text, at);
    const best = r.candidates[0];
    const needs = !best || r.ambiguous || best.confidence < 0.8;
    return [
      best ? formatAddress({ rest: r.rest, communeCode: best.code }) : '',
      best?.code ?? '',
      best?.provinceCode ?? '',
      best?.confidence ?? 0,
      needs ? 'yes' : 'no',
      best ? (r.ambiguous ? r.candidates.map((c) => c.name).join(' | ') : best.reason) : (r.reason ?? ''),
    ];
  } catch (e) {
    return ['', '', '', 0, 'yes', (e as Error).message];
  }
}

/**
 * Converts a batch of addresses, remembering the answers for texts seen before (households share an
 * address): at most `limit` entries, forgotten all at once when full so memory stays bounded.
 */
export function converter(
  at: { at?: string },
  limit = 20_000,
): (texts: readonly string[]) => (string | number)[][] {
  let cache = new Map<string, (string | number)[]>();
  return (texts) =>
    texts.map((t) => {
      let cells = cache.get(t);
      if (!cells) {
        cells = convertCells(t, at);
        if (cache.size >= limit) cache = new Map();
        cache.set(t, cells);
      }
      return cells;
    });
}
