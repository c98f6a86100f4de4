import { existsSync, readFileSync } from 'node:fs';
import {
  DossierRecordSchema,
  dossierRecordFromCsv,
  MotcuaError,
  type SafeParseResult,
  safeParseCccdQr,
  safeParsePersonalId,
  safeParseTaxCode,
  ValidationError,
} from '@motcua/core';
import type { Argv } from 'yargs';
import { csvRows, readText, requireFile } from '../io.js';
import { EXIT, type GlobalOptions, print, style } from '../output.js';
import { progressFor } from '../progress.js';

export interface Finding {
  row: number;
  field: string;
  rule: string;
  message: { vi: string; en: string };
}

const VALUE_PARSERS: Record<string, (s: string) => SafeParseResult<unknown>> = {
  id: (s) => safeParsePersonalId(s),
  'tax-code': (s) => safeParseTaxCode(s),
  'cccd-qr': (s) => safeParseCccdQr(s),
};

function findingsOf(error: ValidationError, row: number): Finding[] {
  return error.issues.map((i) => ({
    row,
    field: i.path.join('.') || '(value)',
    rule: i.code,
    message: i.message,
  }));
}

async function validateDossiers(path: string, json: boolean): Promise<{ rows: number; findings: Finding[] }> {
  const findings: Finding[] = [];
  let rows = 0;
  if (path.endsWith('.json')) {
    const data = JSON.parse(readText(path)) as unknown;
    const list = Array.isArray(data) ? data : [data];
    for (const [i, item] of list.entries()) {
      rows++;
      const r = DossierRecordSchema.safeParse(item);
      if (!r.success) findings.push(...findingsOf(ValidationError.fromZod(r.error), i + 1));
    }
    return { rows, findings };
  }
  return streamCsvDossiers(path, json);
}

/** Writes to stdout, waiting when the pipe is full (so a reader that is slow never grows our memory). */
async function out(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
}

const findingLine = (f: Finding) =>
  `${style.red('✗')} row ${f.row}, ${f.field}: ${f.rule}: ${f.message.vi} / ${f.message.en}`;

/**
 * A CSV export, streamed: each finding is printed as soon as it is found (inside the JSON document with
 * --json), so memory stays flat however many rows, and bad rows, the file has.
 */
async function streamCsvDossiers(
  path: string,
  json: boolean,
): Promise<{ rows: number; findings: Finding[] }> {
  const progress = progressFor(path, json);
  const parser = csvRows(path);
  let rows = 0;
  let count = 0;
  let opened = false;
  const open = async () => {
    if (opened) return;
    opened = true;
    if (json) await out(`{\n  "kind": "dossiers",\n  "input": ${JSON.stringify(path)},\n  "findings": [`);
  };
  for await (const row of parser) {
    rows++;
    progress?.tick(rows, parser.info.bytes);
    try {
      dossierRecordFromCsv(row);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      await open();
      progress?.clear();
      for (const f of findingsOf(e, rows + 1)) {
        await out(json ? `${count ? ',' : ''}\n    ${JSON.stringify(f)}` : `${findingLine(f)}\n`);
        count++;
      }
    }
  }
  progress?.stop(rows);
  if (opened) {
    await out(
      json ? `\n  ],\n  "rows": ${rows},\n  "valid": false\n}\n` : `${count} finding(s) in ${rows} row(s)\n`,
    );
    process.exitCode = EXIT.findings;
    return { rows, findings: STREAMED };
  }
  return { rows, findings: [] };
}

/** Marks findings already written out by {@link streamCsvDossiers}. */
const STREAMED: Finding[] = [];

export function validateCommand(yargs: Argv<GlobalOptions>) {
  return yargs.command(
    'validate <kind> <input>',
    'Validate a value or every line/row of a file: id, tax-code, cccd-qr (a value, or a file with one per line), dossiers (CSV or JSON of DossierRecords), procedures (a catalogue spreadsheet, CSV or XLSX). Every bad row is reported with row, field and rule; exit 1 if any.',
    (y) =>
      y
        .positional('kind', {
          choices: ['id', 'tax-code', 'cccd-qr', 'dossiers', 'procedures'] as const,
          demandOption: true,
        })
        .positional('input', { type: 'string', demandOption: true, describe: 'a value, or a file path' })
        .example('$0 validate id 001090000001', 'check one personal ID number')
        .example('$0 validate tax-code codes.txt --json', 'check a file of tax codes, one per line')
        .example(
          '$0 validate dossiers export.csv',
          'check a dossier export (comma or semicolon CSV, UTF-8 with or without BOM)',
        ),
    async (argv) => {
      const { kind, input } = argv;
      let rows = 0;
      let findings: Finding[] = [];
      let value: unknown;
      if (kind === 'dossiers') {
        ({ rows, findings } = await validateDossiers(input, argv.json === true));
        if (findings === STREAMED) return; // printed as found
      } else if (kind === 'procedures') {
        const { CatalogueImportError, importCatalogue } = await import('@motcua/procedures');
        requireFile(input);
        try {
          rows = (await importCatalogue(new Uint8Array(readFileSync(input)))).rows;
        } catch (e) {
          // A file that is not a catalogue at all (no header, not CSV/XLSX): one error naming the file.
          if (e instanceof MotcuaError && !(e instanceof CatalogueImportError))
            e.message = `${input}: ${e.message}`;
          if (!(e instanceof CatalogueImportError)) throw e;
          rows = e.rows;
          findings = e.errors.map((x) => ({ row: x.row, field: x.column, rule: x.rule, message: x.message }));
        }
      } else {
        const parse = VALUE_PARSERS[kind]!;
        const lines = existsSync(input) ? readText(input).split(/\r?\n/) : [input];
        for (const [i, line] of lines.entries()) {
          if (line.trim() === '' && lines.length > 1) continue;
          rows++;
          const r = parse(line);
          if (r.ok) value = r.value;
          else findings.push(...findingsOf(r.error, i + 1));
        }
      }
      const ok = findings.length === 0;
      print(
        argv,
        {
          kind,
          input,
          rows,
          valid: ok,
          findings,
          ...(rows === 1 && ok && value !== undefined ? { value } : {}),
        },
        () => {
          if (ok)
            return `${style.green('✓')} ${rows} ${rows !== 1 ? 'rows' : kind === 'dossiers' || kind === 'procedures' ? 'row' : 'value'} valid${rows === 1 && value !== undefined ? `: ${JSON.stringify(value)}` : ''}`;
          return [...findings.map(findingLine), `${findings.length} finding(s) in ${rows} row(s)`].join('\n');
        },
      );
      process.exitCode = ok ? EXIT.ok : EXIT.findings;
    },
  );
}
