// Text folding for matching Vietnamese unit names: one output character per input UTF-16 unit (so positions
// map back to the original NFC text), diacritics removed (so "Hoà"/"Hòa" and "Thuỷ"/"Thủy" agree), đ → d,
// lower case, curly apostrophes straightened, every other non-letter, non-digit character a space.

const cache = new Map<number, string>();

function foldChar(code: number): string {
  let c = cache.get(code);
  if (c !== undefined) return c;
  const ch = String.fromCharCode(code);
  if (code === 0x111 || code === 0x110) c = 'd';
  else if (code === 0x2019 || code === 0x2018 || code === 0x27) c = "'";
  else {
    const base = ch.normalize('NFD').charAt(0).toLowerCase();
    c = /[a-z0-9]/.test(base) ? base : ' ';
  }
  cache.set(code, c);
  return c;
}

const codes = new Uint16Array(0x10000); // 0: not folded yet

/**
 * The folded character code of one UTF-16 unit (as {@link foldAligned} folds it): a-z, 0-9, an apostrophe
 * or a space.
 */
export function foldCode(code: number): number {
  if (code < 128) {
    if (code >= 65 && code <= 90) return code + 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return code;
    return code === 39 ? 39 : 32;
  }
  let c = codes[code]!;
  if (c === 0) {
    c = foldChar(code).charCodeAt(0);
    codes[code] = c;
  }
  return c;
}

/** Folds text for matching; the result has exactly the length of `text.normalize('NFC')`. */
export function foldAligned(nfcText: string): string {
  let out = '';
  for (let i = 0; i < nfcText.length; i++) {
    const code = nfcText.charCodeAt(i);
    out +=
      code < 128
        ? code >= 65 && code <= 90
          ? String.fromCharCode(code + 32)
          : (code >= 97 && code <= 122) || (code >= 48 && code <= 57)
            ? nfcText[i]
            : code === 39
              ? "'"
              : ' '
        : foldChar(code);
  }
  return out;
}

/**
 * Folds and collapses spaces: the key form of a name.
 *
 * @example
 * ```ts
 * import { foldName } from '@motcua/units';
 * foldName('Xã  Vân Sơn'); // 'xa van son'
 * foldName('Thuỷ Nguyên') === foldName('Thủy Nguyên'); // true
 * foldName('Đắk Lắk'); // 'dak lak'
 * ```
 */
export function fold(text: string): string {
  return foldAligned(text.normalize('NFC')).replace(/\s+/g, ' ').trim();
}

/** Type words and abbreviations that may precede a unit name, folded, longest first. */
export const TYPE_WORDS: readonly (readonly [string, 'province' | 'district' | 'commune' | 'any'])[] = [
  ['thanh pho', 'any'],
  ['dac khu', 'commune'],
  ['thi tran', 'commune'],
  ['thi xa', 'district'],
  ['phuong', 'commune'],
  ['huyen', 'district'],
  ['quan', 'district'],
  ['tinh', 'province'],
  ['xa', 'commune'],
  ['tp', 'any'],
  ['tx', 'district'],
  ['tt', 'commune'],
  ['p', 'commune'],
  ['x', 'commune'],
  ['h', 'district'],
  ['q', 'district'],
  ['t', 'province'],
];

/** A name without its leading type word (`xa ngo luong` → `ngo luong`), folded. */
export function stripType(folded: string): string {
  for (const [w] of TYPE_WORDS) {
    if (w.length <= 2) continue; // abbreviations are stripped only from queries (stripQueryType)
    if (folded.startsWith(`${w} `)) return folded.slice(w.length + 1);
  }
  return folded;
}

/** A query without leading type words or abbreviations, with the level they announce. */
export function stripQueryType(folded: string): {
  key: string;
  level?: 'province' | 'district' | 'commune' | 'any';
} {
  for (const [w, level] of TYPE_WORDS) {
    if (folded.startsWith(`${w} `) && folded.length > w.length + 1)
      return { key: folded.slice(w.length + 1), level };
  }
  return { key: folded };
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
