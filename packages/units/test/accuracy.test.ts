// The accuracy harness: old addresses generated from the lineage file in many spellings, converted, and
// scored. Prints the figures; fails under the goals (≥ 99% first candidate right for unambiguous addresses,
// 100% of successors among the candidates for split communes).
import { describe, expect, it } from 'vitest';
import { sharedCsv } from '../../../test-utils/shared.js';
import { convertAddress } from '../src/address.js';
import { fold } from '../src/fold.js';
import { successorsOf } from '../src/lineage.js';

const ABBR: [RegExp, string][] = [
  [/^Thị trấn /u, 'TT. '],
  [/^Thị xã /u, 'TX. '],
  [/^Thành phố /u, 'TP. '],
  [/^Xã /u, 'X. '],
  [/^Phường /u, 'P. '],
  [/^Huyện /u, 'H. '],
  [/^Quận /u, 'Q. '],
  [/^Tỉnh /u, 'T. '],
];
const abbr = (s: string) => ABBR.reduce((x, [re, to]) => x.replace(re, to), s);
const bare = (s: string) => s.replace(/^(Thị trấn|Thị xã|Thành phố|Xã|Phường|Huyện|Quận|Tỉnh) /u, '');
// The old tone placement (hoà, thuỷ, uý) where the data has the new one, and the reverse.
const oldTones = (s: string) =>
  s.replace(/òa/g, 'oà').replace(/óa/g, 'oá').replace(/ủy/g, 'uỷ').replace(/úy/g, 'uý');

describe('convertAddress accuracy on the whole lineage', () => {
  it('meets the goals over every old commune in five spellings', () => {
    const olds = new Map<string, { name: string; district: string; province: string }>();
    for (const r of sharedCsv('admin-units/lineage-old-to-new.csv')) {
      if (r.old_code && !olds.has(r.old_code))
        olds.set(r.old_code, {
          name: r.old_name!,
          district: r.old_district_name!,
          province: r.old_province_name!,
        });
    }
    // Some spellings are ambiguous by nature, and count with the split communes' rule (every meaning among
    // the candidates): without type words where a district has a xã and a thị trấn of one name; without
    // diacritics where two names differ only in them (Minh Quân / Minh Quán).
    const tally = (key: string, m: Map<string, number>) => m.set(key, (m.get(key) ?? 0) + 1);
    const byBare = new Map<string, number>();
    const byFolded = new Map<string, number>();
    for (const [, o] of olds) {
      tally(`${fold(o.district)}|${bare(o.name).toLowerCase()}`, byBare);
      tally(`${fold(o.district)}|${fold(o.name)}`, byFolded);
    }
    let unambiguous = 0;
    let unambiguousRight = 0;
    let split = 0;
    let splitComplete = 0;
    const misses: string[] = [];
    for (const [code, o] of olds) {
      const expected = successorsOf(code).map((s) => s.code);
      const spellings = [
        `Thôn 1, ${o.name}, ${o.district}, ${o.province}`,
        fold(`thon 1 ${o.name} ${o.district} ${o.province}`),
        `Xóm Mới, ${abbr(o.name)}, ${abbr(o.district)}, ${abbr(o.province)}`,
        `Số 12 đường Trần Phú, ${bare(o.name)}, ${bare(o.district)}, ${bare(o.province)}`,
        oldTones(`${o.name} - ${o.district} - ${o.province}`),
      ];
      const homonym = [
        false,
        (byFolded.get(`${fold(o.district)}|${fold(o.name)}`) ?? 0) > 1,
        false,
        (byBare.get(`${fold(o.district)}|${bare(o.name).toLowerCase()}`) ?? 0) > 1 ||
          (byFolded.get(`${fold(o.district)}|${fold(o.name)}`) ?? 0) > 1,
        false,
      ];
      for (const [i, text] of spellings.entries()) {
        const r = convertAddress(text, { at: '2026-01-01' });
        const got = r.candidates.map((c) => c.code);
        if (homonym[i]) {
          split++;
          if (expected.every((c) => got.includes(c)) && r.ambiguous === got.length > 1) splitComplete++;
          else if (misses.length < 15)
            misses.push(`${text} → ${got.join('/')} (want all of ${expected.join('/')})`);
        } else if (expected.length === 1) {
          unambiguous++;
          if (got[0] === expected[0]) unambiguousRight++;
          else if (misses.length < 15)
            misses.push(`${text} → ${got.join('/') || '(none)'} (want ${expected[0]})`);
        } else {
          split++;
          if (expected.every((c) => got.includes(c)) && r.ambiguous) splitComplete++;
          else if (misses.length < 15)
            misses.push(`${text} → ${got.join('/')} (want all of ${expected.join('/')})`);
        }
      }
    }
    const a = unambiguousRight / unambiguous;
    const b = splitComplete / split;
    console.log(
      `accuracy: unambiguous first candidate right ${(a * 100).toFixed(2)}% of ${unambiguous}; split communes with every successor ${(b * 100).toFixed(2)}% of ${split}`,
    );
    if (misses.length) console.log(`first misses:\n${misses.join('\n')}`);
    expect(a).toBeGreaterThanOrEqual(0.99);
    expect(b).toBe(1);
  });
});
