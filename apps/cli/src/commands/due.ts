import { type ProcedureLimit, ProcedureLimitSchema, parseWith } from '@motcua/core';
import { computeAppointment, parseLimitShorthand, policyFromPairs } from '@motcua/deadlines';
import type { Argv } from 'yargs';
import { calendarFrom } from '../calendar-option.js';
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
    return parseWith(ProcedureLimitSchema, json);
  }
  if (argv.limit === undefined)
    throw new CliError(
      'give --limit (3d, 4h, 10cd, same-day@15:00, …) or --limit-json',
      EXIT.usage,
      'usage.limit',
    );
  return parseLimitShorthand(argv.limit);
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
        ),
    (argv) => {
      const limit = limitFrom(argv);
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
          receivedAt: r.receivedAt,
          countedFrom: r.countedFrom,
          appointment: r.appointment,
          ruleSet: r.ruleSet,
          provisional: r.provisional,
          explanation: r.explanation,
        },
        () =>
          [
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
