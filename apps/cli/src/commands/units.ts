import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { getUnit, predecessorsOf, requireUnit, searchUnits, successorsOf } from '@motcua/units';
import type { Argv } from 'yargs';
import { ADDED_COLUMNS, type AddedCells, converter } from '../convert-row.js';
import { csvBatches, csvCell, csvLine } from '../csv.js';
import { atomicOutput, requireFile, sniffDelimiter } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';
import { progressFor } from '../progress.js';

const BATCH = 1000;

/** Worker threads converting batches of addresses; answers come back in the order asked. */
class ConvertPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve(c: AddedCells[]): void; reject(e: unknown): void }>();
  private next = 0;

  constructor(size: number, at: { at?: string }) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./convert-worker.js', import.meta.url), { workerData: at });
      w.on('message', (m: { id: number; cells: AddedCells[] }) => {
        this.waiting.get(m.id)?.resolve(m.cells);
        this.waiting.delete(m.id);
      });
      w.on('error', (e) => {
        for (const p of this.waiting.values()) p.reject(e);
        this.waiting.clear();
      });
      return w;
    });
  }

  run(texts: string[]): Promise<AddedCells[]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

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
                `${style.bold(u.fullName)} (${u.code})${u.districtName ? `, ${u.districtName}` : ''}, ${u.provinceName}  ${style.dim(`${u.validFrom ?? '…'} → ${u.validTo ?? (argv.lang === 'vi' ? 'nay' : 'now')}`)}`,
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
            const vi = argv.lang === 'vi';
            print(argv, { code: argv.code, successors, predecessors }, () =>
              [
                ...(successors.length
                  ? [
                      style.bold(vi ? '→ từ 2025-07-01 thuộc' : '→ since 2025-07-01'),
                      ...successors.map((s) => `  ${s.code} ${s.fullName} (${s.kind})`),
                    ]
                  : []),
                ...(predecessors.length
                  ? [
                      style.bold(vi ? '← hình thành từ' : '← formed from'),
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
                : argv.lang === 'vi'
                  ? 'không tìm thấy'
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
              .option('jobs', {
                type: 'number',
                describe:
                  'worker threads converting addresses (default 1: in the main thread); more helps only on idle CPUs',
              })
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
            const jobs = Math.max(1, Math.min(availableParallelism() * 2, Math.floor(argv.jobs ?? 1)));
            let rows = 0;
            let review = 0;
            const progress = progressFor(argv.file, argv.json === true);
            const read = { bytes: 0 };
            let out: ReturnType<typeof atomicOutput> | undefined;
            const pool = jobs > 1 ? new ConvertPool(jobs, at) : undefined;
            const local = pool ? undefined : converter(at);
            type Done = { batch: string[][]; cells: AddedCells[] };
            const pending: Promise<Done>[] = [];
            let width = 0;
            const flush = async ({ batch, cells }: Done) => {
              let chunk = '';
              for (let k = 0; k < batch.length; k++) {
                const row = batch[k]!;
                const added = cells[k]!;
                if (added[4] === 'yes') review++;
                // Every output row has the header's columns: shorter rows padded, longer ones cut.
                let line = csvCell(row[0] ?? '', delimiter);
                for (let c = 1; c < width; c++) line += delimiter + csvCell(row[c] ?? '', delimiter);
                for (let c = 0; c < added.length; c++) line += delimiter + csvCell(added[c]!, delimiter);
                chunk += `${line}\r\n`;
              }
              rows += batch.length;
              if (!out!.write(chunk)) await out!.drain();
              progress?.tick(rows, read.bytes);
            };
            try {
              let column = -1;
              for await (let batch of csvBatches(argv.file, inputDelimiter, read)) {
                if (!out) {
                  const header = batch[0]!;
                  column = header.indexOf(argv.column);
                  if (column < 0)
                    throw new CliError(
                      `${argv.file}: no column "${argv.column}" (columns: ${header.join(', ')})`,
                      EXIT.usage,
                      'usage.column',
                    );
                  width = header.length;
                  out = atomicOutput(argv.out);
                  out.write(`\uFEFF${csvLine([...header, ...ADDED_COLUMNS], delimiter)}`);
                  batch = batch.slice(1);
                }
                for (let from = 0; from < batch.length; from += BATCH) {
                  const part = batch.slice(from, from + BATCH);
                  const texts = part.map((r) => r[column] ?? '');
                  pending.push(
                    pool
                      ? pool.run(texts).then((cells) => ({ batch: part, cells }))
                      : Promise.resolve({ batch: part, cells: local!(texts) }),
                  );
                  while (pending.length > jobs * 2) await flush(await pending.shift()!);
                }
              }
              while (pending.length) await flush(await pending.shift()!);
              if (!out) throw new CliError(`${argv.file}: empty (no header row)`, EXIT.usage, 'input.empty');
              progress?.stop(rows);
              await out.commit();
            } catch (e) {
              out?.abort();
              throw e;
            } finally {
              await pool?.close();
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
