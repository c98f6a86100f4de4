import { DossierEventSchema, parseWith } from '@motcua/core';
import { replay } from '@motcua/deadlines';
import type { Argv } from 'yargs';
import { z } from 'zod';
import { calendarFrom } from '../calendar-option.js';
import { readJson } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';
import { limitFrom } from './due.js';

const FileSchema = z.union([
  z.array(DossierEventSchema),
  z.object({ limit: z.unknown().optional(), events: z.array(DossierEventSchema) }),
]);

export function statusCommand(yargs: Argv<GlobalOptions & { lang: 'vi' | 'en' }>) {
  return yargs.command(
    'status <events>',
    "Replay a dossier's events (a JSON array, or { limit, events }) and show its status at an instant.",
    (y) =>
      y
        .positional('events', { type: 'string', demandOption: true })
        .option('at', { type: 'string', describe: 'the instant (default: the last event)' })
        .option('limit', {
          type: 'string',
          describe: 'the limit when the file has none (3d, same-day@15:00, …)',
        })
        .option('limit-json', { type: 'string' })
        .option('calendar', { type: 'string' })
        .option('fail-if-overdue', {
          type: 'boolean',
          default: false,
          describe: 'exit 1 when the dossier is overdue (for scripts)',
        })
        .example('$0 status dossier.json --at 2026-03-04T09:00:00+07:00', ''),
    (argv) => {
      const data = parseWith(FileSchema, readJson(argv.events));
      const events = Array.isArray(data) ? data : data.events;
      const fileLimit = Array.isArray(data) ? undefined : data.limit;
      if (fileLimit === undefined && argv.limit === undefined && argv['limit-json'] === undefined) {
        throw new CliError(`${argv.events}: no limit in the file; give --limit`, EXIT.usage, 'usage.limit');
      }
      const limit =
        fileLimit !== undefined ? limitFrom({ 'limit-json': JSON.stringify(fileLimit) }) : limitFrom(argv);
      const s = replay(events, {
        limit,
        calendar: calendarFrom(argv.calendar),
        ...(argv.at ? { at: argv.at } : {}),
      });
      const lang = argv.lang;
      print(argv, s, () =>
        [
          `${style.bold(lang === 'vi' ? 'Trạng thái' : 'Phase')}: ${s.phase}${s.overdue ? style.red(lang === 'vi' ? ' (quá hạn)' : ' (overdue)') : ''}${s.classification ? ` — ${s.classification}` : ''}`,
          `${lang === 'vi' ? 'Hẹn trả' : 'Appointment'}: ${s.appointment.current ?? '-'}${s.appointment.original && s.appointment.original !== s.appointment.current ? ` (${lang === 'vi' ? 'ban đầu' : 'original'} ${s.appointment.original})` : ''}`,
          ...(s.remainingMinutes !== undefined
            ? [`${lang === 'vi' ? 'Còn lại' : 'Remaining'}: ${(s.remainingMinutes / 60).toFixed(1)} h`]
            : []),
          ...s.warnings.map((w) => `${style.yellow('!')} ${w.message[lang]} ${style.dim(`[${w.source}]`)}`),
        ].join('\n'),
      );
      if (argv['fail-if-overdue'] && s.overdue) process.exitCode = EXIT.findings;
    },
  );
}
