import { bench, describe } from 'vitest';
import { COMMUNES, OLD_PROVINCES } from '../src/generated/new-units.js';
import { OLD_COMMUNES, OLD_DISTRICTS } from '../src/generated/old-units.js';
import { convertAddress, getUnit, searchUnits } from '../src/index.js';

const codes = COMMUNES.map((c) => c[0]);
const names = COMMUNES.map((c) => c[1]);
const district = new Map(OLD_DISTRICTS.map((d) => [d[0], d[1]]));
const province = new Map(OLD_PROVINCES.map((p) => [p[0], p[1]]));
const addresses = OLD_COMMUNES.slice(0, 4096).map(
  (c, i) => `Thôn ${i % 9}, ${c[1]}, ${district.get(c[2])}, ${province.get(c[3])}`,
);
let i = 0;
getUnit('05152', { at: '2026-01-01' });
convertAddress(addresses[0]!, { at: '2026-01-01' });
searchUnits('Vân Sơn', { at: '2026-01-01' });

describe('units', () => {
  bench('getUnit (code, at)', () => {
    getUnit(codes[i++ % codes.length]!, { at: '2026-01-01' });
  });
  bench('searchUnits (a commune name)', () => {
    searchUnits(names[i++ % names.length]!, { at: '2026-01-01' });
  });
  bench('convertAddress (old address, four parts)', () => {
    convertAddress(addresses[i++ & 4095]!, { at: '2026-01-01' });
  });
});
