import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-utils/runs.js';
import { amountInWords, formatVnd } from './words.js';

describe('amountInWords', () => {
  it('reads amounts as receipts write them', () => {
    const cases: [number, string][] = [
      [0, 'Không đồng'],
      [5, 'Năm đồng'],
      [10, 'Mười đồng'],
      [15, 'Mười lăm đồng'],
      [21, 'Hai mươi mốt đồng'],
      [24, 'Hai mươi tư đồng'],
      [105, 'Một trăm linh năm đồng'],
      [2_000, 'Hai nghìn đồng'],
      [14_000, 'Mười bốn nghìn đồng'],
      [50_000, 'Năm mươi nghìn đồng'],
      [200_000, 'Hai trăm nghìn đồng'],
      [1_050_000, 'Một triệu không trăm năm mươi nghìn đồng'],
      [1_000_005, 'Một triệu không trăm linh năm đồng'],
      [2_000_000_000, 'Hai tỷ đồng'],
      [1_000_000_000_000, 'Một nghìn tỷ đồng'],
      [
        12_345_678_901,
        'Mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm linh một đồng',
      ],
    ];
    for (const [n, w] of cases) expect(amountInWords(n)).toBe(w);
    expect(amountInWords(105, { zeroTens: 'lẻ' })).toBe('Một trăm lẻ năm đồng');
    expect(amountInWords(34, { four: 'bốn', currency: '' })).toBe('Ba mươi bốn');
    expect(() => amountInWords(1.5)).toThrow(RangeError);
    expect(() => amountInWords(-1)).toThrow(RangeError);
  });

  it('distinct amounts never read the same, and the text only uses Vietnamese number words', () => {
    const vocabulary = new Set(
      'không một mốt hai ba bốn tư năm lăm sáu bảy tám chín mười mươi trăm linh nghìn triệu tỷ đồng'.split(
        ' ',
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999_999 }),
        fc.integer({ min: 0, max: 999_999_999_999 }),
        (a, b) => {
          const wa = amountInWords(a);
          for (const w of wa.toLowerCase().split(' ')) expect(vocabulary.has(w)).toBe(true);
          if (a !== b) expect(wa).not.toBe(amountInWords(b));
        },
      ),
      { numRuns: propertyRuns(500) },
    );
  });

  it('formats figures with Vietnamese grouping', () => {
    expect(formatVnd(1_234_000)).toBe('1.234.000 đ');
    expect(formatVnd(500, { symbol: 'VND' })).toBe('500 VND');
    expect(formatVnd(-14_000)).toBe('-14.000 đ');
  });
});
