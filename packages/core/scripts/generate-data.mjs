// Generates src/generated/identity.ts from shared/data/identity (province codes of the personal ID).
import { fileURLToPath } from 'node:url';
import { readSharedCsv, writeGenerated } from '../../../scripts/shared-data.mjs';

const rows = readSharedCsv('identity/province-codes.csv');
if (rows.length !== 63) throw new Error(`expected 63 province codes, got ${rows.length}`);
const entries = rows.map((r) => {
  if (!/^0\d{2}$/.test(r.id_code)) throw new Error(`bad id_code ${r.id_code}`);
  return [
    Number(r.id_code),
    r.province_name,
    r.merged_into_province_code_2025,
    r.merged_into_province_name_2025,
  ];
});
const source = `/** [id code as number, province name (pre-2025), 2025 province code, 2025 province name] */
export const PERSONAL_ID_PROVINCES: ReadonlyArray<readonly [number, string, string, string]> = ${JSON.stringify(entries)};
`;
writeGenerated(
  fileURLToPath(new URL('../src/generated/identity.ts', import.meta.url)),
  source,
  'identity/province-codes.csv',
);
console.log(`core: ${entries.length} personal-ID province codes generated`);
