import {
  convertAddress,
  formatAddress,
  getUnit,
  predecessorsOf,
  requireUnit,
  searchUnits,
  successorsOf,
} from '@motcua/units';
import type { Argv } from 'yargs';
import { csvBatches, csvLine } from '../csv.js';
import { atomicOutput, requireFile, sniffDelimiter } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';
import { progressFor } from '../progress.js';

const ADDED_COLUMNS = [
  'new_address',
  'commune_code',
  'province_code',
  'confidence',
  'needs_review',
  'reason',
];

export function unitsCommands(yargs: Argv<GlobalOptions & { lang: 'vi' | 'en' }>) {
  return yargs.command(
    'units <action>',
    'Administrative units: get, lineage, search, convert (old addresses to the two-level form).',
    (y) =>
      y
        .command(
          'get <code>',
          'The unit a code means at a date (codes were reused in 2025: give --at).',
          (z) =>
            z
              .positional('code', { type: 'string', demandOption: true })
              .option('at', { type: 'string', describe: 'YYYY-MM-DD (default today)' })
              .example('$0 units get 05152 --at 2025-06-30', 'Xã Quyết Chiến (before the reform)'),
          (argv) => {
            const u = requireUnit(argv.code, argv.at ? { at: argv.at } : {});
            print(
              argv,
              u,
              () =>
                `${style.bold(u.fullName)} (${u.code})${u.districtName ? `, ${u.districtName}` : ''}, ${u.provinceName}  ${style.dim(`${u.validFrom ?? '…'} → ${u.validTo ?? 'now'}`)}`,
            );
          },
        )
        .command(
          'lineage <code>',
          'For an old commune code: the new units it went into; for a new one: the old units it was formed from.',
          (z) => z.positional('code', { type: 'string', demandOption: true }),
          (argv) => {
            const successors = successorsOf(argv.code);
            const predecessors = getUnit(argv.code, { at: '2025-07-01' }) ? predecessorsOf(argv.code) : [];
            if (successors.length === 0 && predecessors.length === 0)
              throw new CliError(
                `${argv.code}: no lineage (not an old or new commune code)`,
                EXIT.findings,
                'units.no_lineage',
              );
            print(argv, { code: argv.code, successors, predecessors }, () =>
              [
                ...(successors.length
                  ? [
                      style.bold('→ since 2025-07-01'),
                      ...successors.map((s) => `  ${s.code} ${s.fullName} (${s.kind})`),
                    ]
                  : []),
                ...(predecessors.length
                  ? [
                      style.bold('← formed from'),
                      ...predecessors.map(
                        (p) =>
                          `  ${p.code || '-'} ${p.fullName}, ${p.districtName}, ${p.provinceName} (${p.kind})`,
                      ),
                    ]
                  : []),
              ].join('\n'),
            );
          },
        )
        .command(
          'search <text>',
          'Find units by name (diacritics and type words optional).',
          (z) =>
            z
              .positional('text', { type: 'string', demandOption: true })
              .option('at', { type: 'string' })
              .option('province', { type: 'string' })
              .option('limit', { type: 'number', default: 10 }),
          (argv) => {
            const hits = searchUnits(argv.text, {
              ...(argv.at ? { at: argv.at } : {}),
              ...(argv.province ? { provinceCode: argv.province } : {}),
              limit: argv.limit,
            });
            print(argv, hits, () =>
              hits.length
                ? hits
                    .map(
                      (h) =>
                        `${h.score.toFixed(2)}  ${h.unit.code}  ${h.unit.fullName}, ${h.unit.provinceName}`,
                    )
                    .join('\n')
                : 'no match',
            );
          },
        )
        .command(
          'convert <file>',
          "Convert the old addresses of a CSV column: adds new_address, commune_code, province_code, confidence and needs_review (ambiguous or unsure rows). Reads comma or semicolon CSV (UTF-8, BOM or not); writes UTF-8 with a BOM and the input's delimiter, for Excel. Streams: a million rows in constant memory; an interrupted run leaves no output file.",
          (z) =>
            z
              .positional('file', { type: 'string', demandOption: true })
              .option('column', { type: 'string', demandOption: true, describe: 'the address column' })
              .option('out', { type: 'string', demandOption: true })
              .option('at', { type: 'string' })
              .option('delimiter', {
                choices: [',', ';'] as const,
                describe: "output delimiter (default: the input's; Excel in a Vietnamese locale expects ;)",
              })
              .example('$0 units convert households.csv --column "Địa chỉ" --out households-2025.csv', ''),
          async (argv) => {
            requireFile(argv.file);
            const inputDelimiter = sniffDelimiter(argv.file);
            const delimiter = argv.delimiter ?? inputDelimiter;
            const at = argv.at ? { at: argv.at } : {};
            let rows = 0;
            let review = 0;
            const progress = progressFor(argv.file, argv.json === true);
            const read = { bytes: 0 };
            let out: ReturnType<typeof atomicOutput> | undefined;
            try {
              let header: string[] | undefined;
              let column = -1;
              for await (const batch of csvBatches(argv.file, inputDelimiter, read)) {
                let chunk = '';
                for (const cells of batch) {
                  if (!header) {
                    header = cells;
                    column = header.indexOf(argv.column);
                    if (column < 0)
                      throw new CliError(
                        `${argv.file}: no column "${argv.column}" (columns: ${header.join(', ')})`,
                        EXIT.usage,
                        'usage.column',
                      );
                    out = atomicOutput(argv.out);
                    chunk += `\uFEFF${csvLine([...header, ...ADDED_COLUMNS], delimiter)}`;
                    continue;
                  }
                  rows++;
                  const text = cells[column] ?? '';
                  let added: (string | number)[];
                  try {
                    const r = convertAddress(text, at);
                    const best = r.candidates[0];
                    const needs = !best || r.ambiguous || best.confidence < 0.8;
                    if (needs) review++;
                    added = [
                      best ? formatAddress({ rest: r.rest, communeCode: best.code }) : '',
                      best?.code ?? '',
                      best?.provinceCode ?? '',
                      best?.confidence ?? 0,
                      needs ? 'yes' : 'no',
                      best
                        ? r.ambiguous
                          ? r.candidates.map((c) => c.name).join(' | ')
                          : best.reason
                        : (r.reason ?? ''),
                    ];
                  } catch (e) {
                    review++;
                    added = ['', '', '', 0, 'yes', (e as Error).message];
                  }
                  // Rows shorter than the header are padded, so every output row has every column.
                  while (cells.length < header.length) cells.push('');
                  if (cells.length > header.length) cells.length = header.length;
                  chunk += csvLine([...cells, ...added], delimiter);
                }
                if (out && chunk && !out.write(chunk)) await out.drain();
                progress?.tick(rows, read.bytes);
              }
              if (!out) throw new CliError(`${argv.file}: empty (no header row)`, EXIT.usage, 'input.empty');
              progress?.stop(rows);
              await out.commit();
            } catch (e) {
              out?.abort();
              throw e;
            }
            print(
              argv,
              { rows, needsReview: review, out: argv.out },
              () => `${rows} rows converted, ${review} need review → ${argv.out}`,
            );
          },
        )
        .demandCommand(1),
    () => {},
  );
}
