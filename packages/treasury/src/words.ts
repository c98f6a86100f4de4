/** Options of {@link amountInWords}. */
export interface AmountInWordsOptions {
  /**
   * How a zero tens digit before a unit is read: `linh` (the usual written form, "một trăm linh năm") or
   * `lẻ` (southern usage, "một trăm lẻ năm"). Default `linh`.
   */
  zeroTens?: 'linh' | 'lẻ';
  /** How a 4 after a tens of 20 or more is read: `tư` ("hai mươi tư", default) or `bốn`. */
  four?: 'tư' | 'bốn';
  /** The currency word at the end. Default `đồng`; an empty string leaves it out. */
  currency?: string;
}

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

function hundreds(n: number, full: boolean, o: Required<AmountInWordsOptions>): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (full || h > 0) out.push(DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0) {
      if (full || h > 0) out.push(o.zeroTens);
      out.push(DIGITS[u]!);
    }
  } else if (t === 1) {
    out.push('mười');
    if (u === 5) out.push('lăm');
    else if (u > 0) out.push(DIGITS[u]!);
  } else {
    out.push(DIGITS[t]!, 'mươi');
    if (u === 1) out.push('mốt');
    else if (u === 4) out.push(o.four);
    else if (u === 5) out.push('lăm');
    else if (u > 0) out.push(DIGITS[u]!);
  }
  return out;
}

const SCALES = ['', 'nghìn', 'triệu'] as const;

/** Words of 0 < n < 10^9; `leading` says no higher group precedes it. */
function belowBillion(n: number, leading: boolean, o: Required<AmountInWordsOptions>): string[] {
  const groups = [Math.floor(n / 1_000_000), Math.floor(n / 1000) % 1000, n % 1000];
  const out: string[] = [];
  let started = !leading;
  for (let i = 0; i < 3; i++) {
    const g = groups[i]!;
    if (g === 0) continue;
    out.push(...hundreds(g, started, o));
    const scale = SCALES[2 - i]!;
    if (scale) out.push(scale);
    started = true;
  }
  return out;
}

function words(n: number, leading: boolean, o: Required<AmountInWordsOptions>): string[] {
  if (n < 1_000_000_000) return belowBillion(n, leading, o);
  const high = Math.floor(n / 1_000_000_000);
  const low = n % 1_000_000_000;
  const out = [...words(high, leading, o), 'tỷ'];
  if (low > 0) out.push(...belowBillion(low, false, o));
  return out;
}

/**
 * An amount of dong in Vietnamese words, as written on a receipt: "Năm mươi nghìn đồng". Groups of three
 * digits are read with nghìn, triệu, tỷ; a group after a higher one is read in full ("một triệu không
 * trăm năm mươi nghìn"); 1 after a tens of 20 or more is "mốt", 5 after a tens is "lăm".
 *
 * @throws RangeError when the amount is not a safe non-negative integer.
 * @example
 * ```ts
 * import { amountInWords } from '@motcua/treasury';
 * amountInWords(50_000); // 'Năm mươi nghìn đồng'
 * amountInWords(1_050_000); // 'Một triệu không trăm năm mươi nghìn đồng'
 * amountInWords(105, { zeroTens: 'lẻ' }); // 'Một trăm lẻ năm đồng'
 * ```
 */
export function amountInWords(amount: number, options: AmountInWordsOptions = {}): string {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError('amountInWords: the amount must be a non-negative safe integer number of dong');
  const o: Required<AmountInWordsOptions> = {
    zeroTens: options.zeroTens ?? 'linh',
    four: options.four ?? 'tư',
    currency: options.currency ?? 'đồng',
  };
  const w = amount === 0 ? ['không'] : words(amount, true, o);
  if (o.currency) w.push(o.currency);
  const s = w.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * An amount of dong in figures with Vietnamese grouping: `50.000 đ`.
 *
 * @example
 * ```ts
 * import { formatVnd } from '@motcua/treasury';
 * formatVnd(1_234_000); // '1.234.000 đ'
 * ```
 */
export function formatVnd(amount: number, options: { symbol?: string } = {}): string {
  if (!Number.isSafeInteger(amount))
    throw new RangeError('formatVnd: the amount must be an integer number of dong');
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const symbol = options.symbol ?? 'đ';
  return `${sign}${digits}${symbol ? ` ${symbol}` : ''}`;
}
