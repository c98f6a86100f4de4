// Generates src/generated/budget.ts from shared/data/tax (the budget chapter ranges, dated).
import { fileURLToPath } from 'node:url';
import { readSharedCsv, writeGenerated } from '../../../scripts/shared-data.mjs';

const rows = readSharedCsv('tax/budget-chapter-ranges.csv');
const ranges = rows.map((r) => {
  if (!/^\d{3}$/.test(r.range_from) || !/^\d{3}$/.test(r.range_to))
    throw new Error(`bad range ${r.range_from}`);
  const level = r.level.split(' ')[0];
  return {
    from: r.range_from,
    to: r.range_to,
    level,
    ...(r.valid_until ? { validUntil: r.valid_until } : {}),
  };
});
if (!ranges.some((r) => r.level === 'commune'))
  throw new Error('no commune range in budget-chapter-ranges.csv');
const source = `/** Budget chapter ranges (Chương) by level, with the last day a range is valid. */
export const BUDGET_CHAPTER_RANGES: ReadonlyArray<{ from: string; to: string; level: string; validUntil?: string }> = ${JSON.stringify(ranges)};
`;
writeGenerated(
  fileURLToPath(new URL('../src/generated/budget.ts', import.meta.url)),
  source,
  'tax/budget-chapter-ranges.csv',
);
console.log(`treasury: ${ranges.length} budget chapter ranges generated`);
