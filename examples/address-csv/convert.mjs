// Converts a CSV of old (pre-2025) addresses to the two-level addresses in force since 2025-07-01:
//   node convert.mjs old-addresses.csv > new-addresses.csv
// Keeps every column and adds new_address, commune_code, confidence and needs_review (an officer must look
// at a split commune, a low-confidence match or an address that matched nothing: never a silent guess).
import { createReadStream } from 'node:fs';
import { convertAddress, formatAddress } from '@motcua/units';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';

const input = process.argv[2] ?? new URL('old-addresses.csv', import.meta.url).pathname;
const counts = { rows: 0, review: 0 };
let header = true;
for await (const row of createReadStream(input).pipe(parse({ columns: true, bom: true }))) {
  if (header) {
    process.stdout.write(
      stringify([[...Object.keys(row), 'new_address', 'commune_code', 'confidence', 'needs_review']]),
    );
    header = false;
  }
  const r = convertAddress(row.address);
  const best = r.candidates[0];
  const review = r.ambiguous || !best || best.confidence < 0.8;
  counts.rows++;
  if (review) counts.review++;
  process.stdout.write(
    stringify([
      [
        ...Object.values(row),
        best ? formatAddress({ rest: r.rest, communeCode: best.code }) : '',
        best?.code ?? '',
        best?.confidence ?? 0,
        review ? 'yes' : 'no',
      ],
    ]),
  );
}
process.stderr.write(`${counts.rows} rows, ${counts.review} to review\n`);
