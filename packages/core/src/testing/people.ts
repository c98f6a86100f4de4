import { PERSONAL_ID_PROVINCES } from '../generated/identity.js';
import { formatYmd } from '../identity/dates.js';

/** A synthetic person: every field agrees with the others, none belongs to anyone real. */
export interface SyntheticPerson {
  personalId: string;
  fullName: string;
  sex: 'male' | 'female';
  dateOfBirth: string;
  /** Three-digit code of the province of birth registration (the ID number's first digits). */
  birthProvinceCode: string;
  /** Two-digit code of the province it belongs to since 2025-07-01. */
  provinceCode: string;
  /** Mobile number on a test range (`09xx`), formatted `0xxxxxxxxx`. */
  phone: string;
}

/** A synthetic household: a head, maybe a spouse, children, relations to the head. */
export interface SyntheticHousehold {
  householdId: string;
  provinceCode: string;
  members: { person: SyntheticPerson; relation: 'head' | 'spouse' | 'child' | 'parent' }[];
}

/** Options of {@link syntheticPeople}. */
export interface SyntheticPeopleOptions {
  /** The same seed gives the same people. Default 1. */
  seed?: number;
  /** Restrict to these three-digit birth-province codes (e.g. `['025', '001']`). */
  provinces?: string[];
  /** Years of birth, inclusive. Default 1950-2024. */
  fromYear?: number;
  toYear?: number;
}

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = {
  male: ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thành'],
  female: ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Hồng'],
};
const GIVEN = {
  male: [
    'An',
    'Bình',
    'Cường',
    'Dũng',
    'Hải',
    'Hùng',
    'Khánh',
    'Long',
    'Nam',
    'Phúc',
    'Quân',
    'Sơn',
    'Tâm',
    'Thắng',
    'Tuấn',
    'Việt',
  ],
  female: [
    'Anh',
    'Châu',
    'Dung',
    'Giang',
    'Hà',
    'Hương',
    'Lan',
    'Linh',
    'Mai',
    'Ngân',
    'Nhung',
    'Phương',
    'Thảo',
    'Trang',
    'Vân',
    'Yến',
  ],
};

/**
 * An xorshift32 generator in [0, 1): the same seed gives the same sequence (synthetic data, simulators'
 * faults, demo data).
 *
 * @example
 * ```ts
 * import { seededRandom } from '@motcua/core/testing';
 * const random = seededRandom(7);
 * random(); // the same number on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

/**
 * An endless, deterministic stream of synthetic people for simulators, fixtures and benchmarks. Each
 * personal ID number agrees with the person's sex, year of birth and province of birth registration
 * (Circular 07/2016/TT-BCA: `PPP G YY RRRRRR`), so `parsePersonalId(id, { sex, dateOfBirth })` accepts it;
 * the six serial digits are drawn so two people of a run never share a number. Names are common Vietnamese
 * names put together at random.
 *
 * @example
 * ```ts
 * import { syntheticPeople } from '@motcua/core/testing';
 * const people = syntheticPeople({ seed: 7, provinces: ['025'] });
 * const first = people.next().value; // { personalId: '025…', fullName: 'Trần Thị Lan', sex: 'female', … }
 * ```
 */
export function* syntheticPeople(options: SyntheticPeopleOptions = {}): Generator<SyntheticPerson, never> {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const provinces = PERSONAL_ID_PROVINCES.filter(
    (p) => !options.provinces || options.provinces.includes(String(p[0]).padStart(3, '0')),
  );
  if (provinces.length === 0) throw new RangeError('syntheticPeople: no known province among `provinces`');
  const from = options.fromYear ?? 1950;
  const to = options.toYear ?? 2024;
  const used = new Set<string>();
  for (;;) {
    const [code, , current] = pick(provinces);
    const sex = random() < 0.5 ? 'male' : 'female';
    const year = from + Math.floor(random() * (to - from + 1));
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const century = Math.floor(year / 100) - 19; // 1900s → 0, 2000s → 1, …
    const g = century * 2 + (sex === 'female' ? 1 : 0);
    let id: string;
    do {
      const serial = String(Math.floor(random() * 1_000_000)).padStart(6, '0');
      id = `${String(code).padStart(3, '0')}${g}${String(year % 100).padStart(2, '0')}${serial}`;
    } while (used.has(id));
    used.add(id);
    yield {
      personalId: id,
      fullName: `${pick(FAMILY)} ${pick(MIDDLE[sex])} ${pick(GIVEN[sex])}`,
      sex,
      dateOfBirth: formatYmd(year, month, day),
      birthProvinceCode: String(code).padStart(3, '0'),
      provinceCode: current,
      phone: `09${String(Math.floor(random() * 100_000_000)).padStart(8, '0')}`,
    };
  }
}

/**
 * Deterministic synthetic households: a head (born 1950-1990), usually a spouse of the other sex, 0-3
 * children born after the head's 20th year, sometimes a parent; all of one birth province and sharing the
 * head's family name.
 *
 * @example
 * ```ts
 * import { syntheticHouseholds } from '@motcua/core/testing';
 * const [h] = syntheticHouseholds(1, { seed: 3, provinces: ['025'] });
 * h.members.map((m) => m.relation); // ['head', 'spouse', 'child']
 * ```
 */
export function syntheticHouseholds(
  count: number,
  options: SyntheticPeopleOptions = {},
): SyntheticHousehold[] {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed ^ 0x5bd1e995);
  const provinces = options.provinces ?? PERSONAL_ID_PROVINCES.map((p) => String(p[0]).padStart(3, '0'));
  const out: SyntheticHousehold[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const province = provinces[Math.floor(random() * provinces.length)]!;
    const born = (from: number, to: number) =>
      syntheticPeople({
        seed: seed * 7919 + i * 31 + Math.floor(random() * 1e6),
        provinces: [province],
        fromYear: from,
        toYear: to,
      });
    const fresh = (g: Generator<SyntheticPerson, never>, want?: 'male' | 'female'): SyntheticPerson => {
      for (;;) {
        const p = g.next().value;
        if ((want === undefined || p.sex === want) && !seen.has(p.personalId)) {
          seen.add(p.personalId);
          return p;
        }
      }
    };
    const head = fresh(born(1950, 1990));
    const family = head.fullName.split(' ')[0]!;
    const members: SyntheticHousehold['members'] = [{ person: head, relation: 'head' }];
    if (random() < 0.8)
      members.push({
        person: fresh(born(1950, 1995), head.sex === 'male' ? 'female' : 'male'),
        relation: 'spouse',
      });
    const headYear = Number(head.dateOfBirth.slice(0, 4));
    const children = Math.floor(random() * 4);
    for (let c = 0; c < children; c++) {
      const child = fresh(born(Math.min(headYear + 20, 2024), 2024));
      const rest = child.fullName.split(' ').slice(1).join(' ');
      members.push({ person: { ...child, fullName: `${family} ${rest}` }, relation: 'child' });
    }
    if (random() < 0.15 && headYear >= 1970)
      members.push({ person: fresh(born(1930, headYear - 20)), relation: 'parent' });
    out.push({
      householdId: `HK-${head.provinceCode}-${String(i + 1).padStart(6, '0')}`,
      provinceCode: head.provinceCode,
      members,
    });
  }
  return out;
}
