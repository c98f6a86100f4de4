// Generates compact data modules from shared/data/admin-units (build time only):
//   src/generated/new-units.ts  the 34 provinces and 3,321 communes since 2025-07-01, and the 2026-04-30 changes
//   src/generated/old-units.ts  the old provinces, districts and communes (as they stood on 2025-06-30) and the lineage
// Kept in two modules so that an app importing only the new units can drop the lineage when it bundles.
import { fileURLToPath } from 'node:url';
import { readSharedCsv, writeGenerated } from '../../../scripts/shared-data.mjs';

const out = (name) => fileURLToPath(new URL(`../src/generated/${name}`, import.meta.url));
const nfc = (s) => (s ?? '').normalize('NFC').trim();

const provinces = readSharedCsv('admin-units/provinces.csv');
const communes = readSharedCsv('admin-units/communes.csv');
const changes = readSharedCsv('admin-units/changes-2026-04-30.csv');
if (provinces.length !== 34 || communes.length !== 3321)
  throw new Error(`unexpected counts ${provinces.length}/${communes.length}`);

const TYPES = ['municipality', 'province', 'commune', 'ward', 'special_zone'];
const t = (type) => {
  const i = TYPES.indexOf(type);
  if (i < 0) throw new Error(`unknown type ${type}`);
  return i;
};
const P = provinces.map((p) => [
  p.code,
  nfc(p.name),
  nfc(p.full_name),
  t(p.type),
  nfc(p.name_en),
  nfc(p.full_name_en),
]);
const C = communes.map((c) => [
  c.code,
  nfc(c.name),
  nfc(c.full_name),
  t(c.type),
  c.province_code,
  nfc(c.name_en),
  nfc(c.full_name_en),
]);
const CH = changes.map((c) => [
  c.level,
  c.code,
  nfc(c.full_name_after),
  t(c.type_after),
  c.effective_date,
  nfc(c.legal_basis),
]);

// Old units.
const oldProvinces = readSharedCsv('admin-units/provinces-old-to-new.csv');
// Old province names: the lineage's (majority per code) where provinces-old-to-new.csv disagrees; it has
// 44 as "Quảng Trị" where the lineage (and the GSO list) has Tỉnh Quảng Bình.
const lineageRows = readSharedCsv('admin-units/lineage-old-to-new.csv');
const provinceVotes = new Map();
for (const r of lineageRows) {
  if (!r.old_province_code) continue;
  const m = provinceVotes.get(r.old_province_code) ?? new Map();
  m.set(nfc(r.old_province_name), (m.get(nfc(r.old_province_name)) ?? 0) + 1);
  provinceVotes.set(r.old_province_code, m);
}
const lineage = lineageRows;
const OP = oldProvinces.map((p) => {
  const votes = [...(provinceVotes.get(p.old_province_code) ?? new Map()).entries()].sort(
    (a, b) => b[1] - a[1],
  );
  const name = votes[0]?.[0] ?? nfc(p.old_province_name);
  if (name !== nfc(p.old_province_name))
    console.warn(
      `units: old province ${p.old_province_code}: "${p.old_province_name}" in provinces-old-to-new.csv, "${name}" in the lineage: using the lineage`,
    );
  return [p.old_province_code, name, p.new_province_code];
});
const districts = new Map();
const olds = new Map();
const KINDS = ['full', 'partial', 'unchanged', 'renamed_or_retyped', 'whole_district', 'other'];
const L = [];
for (const r of lineage) {
  const kind = KINDS.indexOf(r.kind);
  if (kind < 0) throw new Error(`unknown kind ${r.kind}`);
  if (r.old_district_code)
    districts.set(r.old_district_code, [r.old_district_code, nfc(r.old_district_name), r.old_province_code]);
  if (r.old_code) {
    const row = [r.old_code, nfc(r.old_name), r.old_district_code, r.old_province_code];
    const list = olds.get(r.old_code) ?? [];
    list.push(row);
    olds.set(r.old_code, list);
  }
  L.push([
    r.old_code || '',
    nfc(r.old_name) || nfc(r.old_district_name),
    r.old_district_code,
    r.new_code,
    kind,
  ]);
}
// An old code written with two names in the table (a data error): keep the majority name, report it.
const conflicts = [];
for (const [code, rows] of olds) {
  const count = new Map();
  for (const r of rows) count.set(`${r[1]}|${r[2]}`, (count.get(`${r[1]}|${r[2]}`) ?? 0) + 1);
  const best = [...count.entries()].sort((a, b) => b[1] - a[1])[0][0];
  if (count.size > 1) conflicts.push(`${code}: ${[...count.keys()].join(' / ')} -> ${best.split('|')[0]}`);
  olds.set(
    code,
    rows.find((r) => `${r[1]}|${r[2]}` === best),
  );
}
// Lineage rows keep their own old name only where it differs from the chosen one (an alias).
for (const row of L) if (row[0] && olds.get(row[0])[1] === row[1]) row[1] = '';
for (const c of conflicts) console.warn(`units: old code written with two names in the lineage table: ${c}`);

writeGenerated(
  out('new-units.ts'),
  `/** Types, by index. */
export const TYPES = ${JSON.stringify(TYPES)} as const;
/** [code, name, fullName, type, nameEn, fullNameEn] */
export const PROVINCES: readonly (readonly [string, string, string, number, string, string])[] = ${JSON.stringify(P)};
/** [code, name, fullName, type, provinceCode, nameEn, fullNameEn] */
export const COMMUNES: readonly (readonly [string, string, string, number, string, string, string])[] = ${JSON.stringify(C)};
/** [level, code, fullNameAfter, typeAfter, effectiveDate, legalBasis] */
export const CHANGES: readonly (readonly [string, string, string, number, string, string])[] = ${JSON.stringify(CH)};
/** [code, fullName, newProvinceCode]: the 63 provinces before 2025-07-01 (small: kept here so that listing provinces never loads the lineage). */
export const OLD_PROVINCES: readonly (readonly [string, string, string])[] = ${JSON.stringify(OP)};
`,
  'admin-units/provinces.csv, communes.csv, changes-2026-04-30.csv, provinces-old-to-new.csv',
);

writeGenerated(
  out('old-units.ts'),
  `/** Lineage kinds, by index (the NSO conversion table's "Ghi chú"). */
export const KINDS = ${JSON.stringify(KINDS)} as const;
/** [code, fullName, provinceCode]: the old districts. */
export const OLD_DISTRICTS: readonly (readonly [string, string, string])[] = ${JSON.stringify([...districts.values()])};
/** [code, fullName, districtCode, provinceCode]: the old communes as they stood on 2025-06-30. */
export const OLD_COMMUNES: readonly (readonly [string, string, string, string])[] = ${JSON.stringify([...olds.values()])};
/** [oldCode or '', the row's old name when it has no code or differs from OLD_COMMUNES (an alias), oldDistrictCode, newCode, kind] */
export const LINEAGE: readonly (readonly [string, string, string, string, number])[] = ${JSON.stringify(L)};
`,
  'admin-units/provinces-old-to-new.csv, lineage-old-to-new.csv',
);
console.log(
  `units: ${P.length} provinces, ${C.length} communes, ${CH.length} changes; ${OP.length} old provinces, ${districts.size} old districts, ${olds.size} old communes, ${L.length} lineage rows`,
);
