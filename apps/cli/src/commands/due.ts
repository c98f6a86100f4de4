import { readFileSync } from 'node:fs';
import { dateOf, parseInstant } from '@motcua/calendar';
import { MotcuaError, type ProcedureLimit, ProcedureLimitSchema, parseWith } from '@motcua/core';
import { computeAppointment, parseLimitShorthand, policyFromPairs } from '@motcua/deadlines';
import type { CatalogueProcedure } from '@motcua/procedures';
import type { Argv } from 'yargs';
import { calendarFrom } from '../calendar-option.js';
import { naming, requireFile } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';

export function limitFrom(argv: {
  limit?: string | undefined;
  'limit-json'?: string | undefined;
}): ProcedureLimit {
  if (argv['limit-json'] !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(argv['limit-json']);
    } catch {
      throw new CliError('--limit-json: not valid JSON', EXIT.usage, 'usage.limit_json');
    }
    return naming('--limit-json', () => parseWith(ProcedureLimitSchema, json));
  }
  if (argv.limit === undefined)
    throw new CliError(
      'give --limit (3d, 4h, 10cd, same-day@15:00, …) or --limit-json',
      EXIT.usage,
      'usage.limit',
    );
  return parseLimitShorthand(argv.limit);
}

/** The procedure a `--procedure` code names: in `--catalogue` (over the seed catalogue) at the given date. */
async function procedureFrom(
  code: string,
  cataloguePath: string | undefined,
  at: string,
): Promise<CatalogueProcedure> {
  // @motcua/procedures (and exceljs behind it) is loaded only when a procedure is asked for.
  const { defineCatalogue, importCatalogue, layerCatalogues, seedCatalogue, CatalogueImportError } =
    await import('@motcua/procedures');
  let catalogue = seedCatalogue();
  if (cataloguePath !== undefined) {
    requireFile(cataloguePath, '--catalogue');
    try {
      const { procedures } = await importCatalogue(new Uint8Array(readFileSync(cataloguePath)));
      catalogue = layerCatalogues(catalogue, defineCatalogue(procedures));
    } catch (e) {
      if (e instanceof CatalogueImportError)
        throw new CliError(
          `--catalogue ${cataloguePath}: ${e.errors.length} problem(s), the first: row ${e.errors[0]?.row}, ${e.errors[0]?.column}: ${e.errors[0]?.message.en} [${e.errors[0]?.rule}] (motcua validate procedures lists them all)`,
          EXIT.usage,
          'catalogue.invalid',
        );
      if (e instanceof MotcuaError) e.message = `--catalogue ${cataloguePath}: ${e.message}`;
      throw e;
    }
  }
  const p = catalogue.get(code, { at });
  if (!p)
    throw new CliError(
      `--procedure ${code}: no procedure with this code in force on ${at} in ${cataloguePath ?? 'the seed catalogue'} (motcua validate procedures; --catalogue <file> for the province's list)`,
      EXIT.usage,
      'usage.procedure',
    );
  return p;
}

export function dueCommand(yargs: Argv<GlobalOptions & { lang: 'vi' | 'en' }>) {
  return yargs.command(
    'due',
    'When a dossier received at an instant is due, and why (each holiday or weekend skipped). Instants are ISO 8601 with an offset; results at +07:00.',
    (y) =>
      y
        .option('received', {
          type: 'string',
          demandOption: true,
          describe: 'when the complete dossier was received, e.g. 2026-02-13T10:00:00+07:00',
        })
        .option('limit', {
          type: 'string',
          describe:
            'the limit: 3d (working days), 4h (working hours), 10cd (calendar days), 2m (months), same-day, same-day@15:00, 3d@15:00, immediate',
        })
        .option('limit-json', { type: 'string', describe: "the limit as core's ProcedureLimit JSON" })
        .option('procedure', {
          type: 'string',
          describe:
            'a procedure code (e.g. 2.000815): its limit from the catalogue, the version in force on the day received',
        })
        .option('catalogue', {
          type: 'string',
          describe:
            "with --procedure: the province's procedure catalogue (CSV or XLSX, as `validate procedures` reads), over the seed catalogue",
        })
        .conflicts('procedure', ['limit', 'limit-json'])
        .option('channel', { choices: ['direct', 'online', 'postal'] as const, default: 'direct' as const })
        .option('calendar', {
          type: 'string',
          describe: "a unit's calendar as JSON (default: the national calendar with default hours)",
        })
        .option('policy', {
          type: 'string',
          array: true,
          describe: 'policy options name=value, e.g. counting=endOfNthDay',
        })
        .option('verification', {
          type: 'boolean',
          default: false,
          describe: "verification needed: apply the limit's onVerification",
        })
        .example('$0 due --received 2026-02-13T10:00:00+07:00 --limit 3d', 'Friday before Tết 2026')
        .example(
          '$0 due --received 2026-03-02T15:30:00+07:00 --limit same-day@15:00 --json',
          'a certified copy after 15:00',
        )
        .example(
          '$0 due --received 2026-03-02T15:30:00+07:00 --procedure 2.000815',
          "the same, with the procedure's limit from the catalogue",
        ),
    async (argv) => {
      const receivedMs = parseInstant(argv.received);
      const procedure =
        argv.procedure !== undefined
          ? await procedureFrom(argv.procedure, argv.catalogue, dateOf(receivedMs))
          : undefined;
      if (argv.catalogue !== undefined && procedure === undefined)
        throw new CliError('--catalogue goes with --procedure <code>', EXIT.usage, 'usage.catalogue');
      if (!procedure && argv.limit === undefined && argv['limit-json'] === undefined)
        throw new CliError(
          'give --limit (3d, 4h, 10cd, same-day@15:00, …), --limit-json or --procedure <code>',
          EXIT.usage,
          'usage.limit',
        );
      const limit = procedure ? procedure.limit : limitFrom(argv);
      const policy = argv.policy ? policyFromPairs(argv.policy) : undefined;
      const r = computeAppointment({
        receivedAt: argv.received,
        limit,
        channel: argv.channel,
        calendar: calendarFrom(argv.calendar),
        ...(policy ? { policy } : {}),
        verification: argv.verification,
      });
      const lang = argv.lang;
      print(
        argv,
        {
          ...(procedure
            ? {
                procedure: {
                  code: procedure.code,
                  name: procedure.name,
                  limit: procedure.limit,
                  validFrom: procedure.validFrom,
                  confidence: procedure.confidence,
                },
              }
            : {}),
          receivedAt: r.receivedAt,
          countedFrom: r.countedFrom,
          appointment: r.appointment,
          ruleSet: r.ruleSet,
          provisional: r.provisional,
          explanation: r.explanation,
        },
        () =>
          [
            ...(procedure
              ? [
                  `${lang === 'vi' ? 'Thủ tục' : 'Procedure'}: ${procedure.code} ${procedure.name[lang] ?? procedure.name.vi}${procedure.confidence === 'unverified' ? style.yellow(lang === 'vi' ? ' (thời hạn chưa được xác nhận: đối chiếu quyết định công bố của tỉnh)' : " (limit not confirmed: check the province's published decision)") : ''}`,
                ]
              : []),
            `${style.bold(lang === 'vi' ? 'Hẹn trả kết quả' : 'Appointment')}: ${r.appointment}`,
            `${lang === 'vi' ? 'Bắt đầu tính' : 'Counted from'}: ${r.countedFrom}`,
            ...r.explanation.map(
              (s) => `  - ${s.message[lang]}${s.source ? style.dim(` [${s.source}]`) : ''}`,
            ),
          ].join('\n'),
      );
    },
  );
}
