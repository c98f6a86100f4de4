import { type DossierRecord, DossierRecordSchema, dossierRecordFromCsv, ValidationError } from '@motcua/core';
import { type GroupBy, reportCsv, reportTable, Summarizer, type Summary } from '@motcua/deadlines';
import type { Argv } from 'yargs';
import { calendarFrom } from '../calendar-option.js';
import { csvRows, readText, writeAtomic } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print } from '../output.js';
import { progressFor } from '../progress.js';

async function* xlsxRows(path: string): AsyncIterable<Record<string, string>> {
  // exceljs is loaded only when an XLSX file is read or written: it is slow to import.
  const ExcelJS = (await import('exceljs')).default;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', worksheets: 'emit' });
  for await (const sheet of reader) {
    let header: string[] | undefined;
    for await (const row of sheet) {
      const values = (row.values as unknown[])
        .slice(1)
        .map((v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v)));
      if (!header) header = values;
      else yield Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
    }
    return;
  }
}

async function feed(path: string, s: Summarizer, json: boolean): Promise<number> {
  let n = 0;
  const add = (r: DossierRecord) => {
    s.add(r);
    n++;
  };
  if (path.endsWith('.json')) {
    const data = JSON.parse(readText(path)) as unknown[];
    for (const [i, item] of (Array.isArray(data) ? data : [data]).entries()) {
      const r = DossierRecordSchema.safeParse(item);
      if (!r.success)
        throw new CliError(
          `${path}: record ${i + 1}: ${ValidationError.fromZod(r.error).message}`,
          EXIT.findings,
          'input.record',
        );
      add(r.data);
    }
    return n;
  }
  const rows = path.endsWith('.xlsx') ? xlsxRows(path) : csvRows(path);
  const progress = path.endsWith('.xlsx') ? undefined : progressFor(path, json);
  for await (const row of rows) {
    try {
      add(dossierRecordFromCsv(row));
    } catch (e) {
      if (e instanceof ValidationError)
        throw new CliError(
          `${path}: row ${n + 2}: ${e.message} (motcua validate dossiers lists every bad row)`,
          EXIT.findings,
          'input.record',
        );
      throw e;
    }
    progress?.tick(n, (rows as { info?: { bytes: number } }).info?.bytes ?? 0);
  }
  progress?.stop(n);
  return n;
}

async function writeXlsx(path: string, summary: Summary, lang: 'vi' | 'en'): Promise<void> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(lang === 'vi' ? 'Báo cáo' : 'Report');
  const table = reportTable(summary, lang);
  ws.addRow([lang === 'vi' ? 'Nhóm' : 'Group', ...table.columns.map((c) => c[lang])]).font = { bold: true };
  for (const r of table.rows) ws.addRow([r.group, ...r.values]);
  ws.getColumn(1).width = 24;
  await writeAtomic(path, new Uint8Array(await wb.xlsx.writeBuffer()));
}

export function reportCommand(yargs: Argv<GlobalOptions & { lang: 'vi' | 'en' }>) {
  return yargs.command(
    'report <file>',
    'Statistics and quality indicators (2.1, 2.2, 3.3, 3.6) of a period from a dossier export (CSV, JSON or XLSX of DossierRecords). CSV output is UTF-8 with a BOM so Excel reads it.',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true })
        .option('from', { type: 'string', demandOption: true, describe: 'first day YYYY-MM-DD' })
        .option('to', { type: 'string', demandOption: true, describe: 'last day YYYY-MM-DD (inclusive)' })
        .option('at', {
          type: 'string',
          describe: 'judge unfinished dossiers at this instant (default: the end of the period)',
        })
        .option('group-by', { choices: ['unit', 'procedure', 'field', 'channel', 'officer'] as const })
        .option('calendar', { type: 'string' })
        .option('out', { type: 'string', describe: 'write report.xlsx, report.csv or report.json' })
        .example(
          '$0 report dossiers.csv --from 2026-03-01 --to 2026-03-31 --group-by procedure --out report.xlsx',
          '',
        ),
    async (argv) => {
      for (const flag of ['from', 'to'] as const) {
        const d = argv[flag];
        const ms = /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : Number.NaN;
        const real = !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d);
        if (!real)
          throw new CliError(`--${flag} ${d}: expected a real date YYYY-MM-DD`, EXIT.usage, 'usage.date');
      }
      if (argv.out && !/\.(xlsx|csv|json)$/.test(argv.out))
        throw new CliError(`--out ${argv.out}: use a .xlsx, .csv or .json file`, EXIT.usage, 'usage.out');
      const s = new Summarizer({
        from: argv.from,
        to: argv.to,
        ...(argv.at ? { at: argv.at } : {}),
        ...(argv['group-by'] ? { groupBy: argv['group-by'] as GroupBy } : {}),
        calendar: calendarFrom(argv.calendar),
      });
      await feed(argv.file, s, argv.json === true);
      const summary = s.result();
      const lang = argv.lang;
      if (argv.out) {
        if (argv.out.endsWith('.xlsx')) await writeXlsx(argv.out, summary, lang);
        else if (argv.out.endsWith('.csv'))
          await writeAtomic(argv.out, reportCsv(summary, { language: lang, bom: true }));
        else if (argv.out.endsWith('.json'))
          await writeAtomic(argv.out, `${JSON.stringify(summary, null, 2)}\n`);
        else
          throw new CliError(`--out ${argv.out}: use a .xlsx, .csv or .json file`, EXIT.usage, 'usage.out');
      }
      print(argv, summary, () => {
        const t = reportTable(summary, lang);
        const total = t.rows.at(-1)!;
        return (
          t.columns.map((c, i) => `${c[lang].padEnd(44)} ${total.values[i] ?? '-'}`).join('\n') +
          (argv.out ? `\n→ ${argv.out}` : '')
        );
      });
    },
  );
}
