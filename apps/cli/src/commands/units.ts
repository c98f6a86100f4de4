import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  convertAddress,
  formatAddress,
  getUnit,
  predecessorsOf,
  requireUnit,
  searchUnits,
  successorsOf,
} from '@motcua/units';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { Argv } from 'yargs';
import { sniffDelimiter } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';
import { progressFor } from '../progress.js';

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
          'Convert the old addresses of a CSV column: adds new_address, commune_code, province_code, confidence and needs_review (ambiguous or unsure rows). Writes UTF-8 with BOM for Excel.',
          (z) =>
            z
              .positional('file', { type: 'string', demandOption: true })
              .option('column', { type: 'string', demandOption: true, describe: 'the address column' })
              .option('out', { type: 'string', demandOption: true })
              .option('at', { type: 'string' })
              .example('$0 units convert households.csv --column "Địa chỉ" --out households-2025.csv', ''),
          async (argv) => {
            const tmp = join(dirname(argv.out), `.${basename(argv.out)}.${process.pid}.tmp`);
            const out = createWriteStream(tmp);
            const onSignal = () => {
              out.on('error', () => {}); // the half-written file is removed; its late errors are moot
              out.destroy();
              rmSync(tmp, { force: true });
              process.exit(130);
            };
            process.once('SIGINT', onSignal);
            let rows = 0;
            let review = 0;
            const progress = progressFor(argv.file, argv.json === true);
            try {
              const parser = createReadStream(argv.file).pipe(
                parse({
                  columns: true,
                  bom: true,
                  delimiter: sniffDelimiter(argv.file),
                  relax_column_count: true,
                }),
              );
              let header: string[] | undefined;
              out.write('\uFEFF');
              for await (const row of parser as AsyncIterable<Record<string, string>>) {
                if (!header) {
                  header = Object.keys(row);
                  if (!header.includes(argv.column))
                    throw new CliError(
                      `${argv.file}: no column "${argv.column}" (columns: ${header.join(', ')})`,
                      EXIT.usage,
                      'usage.column',
                    );
                  out.write(
                    stringify([
                      [
                        ...header,
                        'new_address',
                        'commune_code',
                        'province_code',
                        'confidence',
                        'needs_review',
                        'reason',
                      ],
                    ]),
                  );
                }
                rows++;
                const text = row[argv.column] ?? '';
                let cells: (string | number)[];
                try {
                  const r = convertAddress(text, argv.at ? { at: argv.at } : {});
                  const best = r.candidates[0];
                  const needs = !best || r.ambiguous || best.confidence < 0.8;
                  if (needs) review++;
                  cells = [
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
                  cells = ['', '', '', 0, 'yes', (e as Error).message];
                }
                out.write(stringify([[...header.map((h) => row[h] ?? ''), ...cells]]));
                progress?.tick(rows, (parser as unknown as { info: { bytes: number } }).info.bytes);
              }
              progress?.stop(rows);
              await new Promise<void>((resolve, reject) =>
                out.end((e?: Error | null) => (e ? reject(e) : resolve())),
              );
              renameSync(tmp, argv.out);
            } catch (e) {
              out.on('error', () => {}); // the half-written file is removed; its late errors are moot
              out.destroy();
              rmSync(tmp, { force: true });
              throw e;
            } finally {
              process.removeListener('SIGINT', onSignal);
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
