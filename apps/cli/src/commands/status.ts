import { DossierEventSchema, ProcedureLimitSchema, parseWith } from '@motcua/core';
import { type Classification, type Phase, replay } from '@motcua/deadlines';
import type { Argv } from 'yargs';
import { z } from 'zod';
import { calendarFrom } from '../calendar-option.js';
import { naming, readJson } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';
import { limitFrom } from './due.js';

const EventsSchema = z.array(DossierEventSchema);
const DossierSchema = z.object({ limit: z.unknown().optional(), events: EventsSchema });

/** Phases and classifications in the language of the human output (the JSON keeps the keys). */
const PHASE: Record<Phase | Classification, { vi: string; en: string }> = {
  received: { vi: 'chờ tiếp nhận chính thức', en: 'awaiting official receipt' },
  inProgress: { vi: 'đang giải quyết', en: 'in progress' },
  waitingSupplement: { vi: 'chờ bổ sung', en: 'waiting for a supplement' },
  paused: { vi: 'tạm dừng', en: 'paused' },
  resolved: { vi: 'đã giải quyết', en: 'resolved' },
  returned: { vi: 'đã trả kết quả', en: 'returned' },
  refused: { vi: 'từ chối', en: 'refused' },
  stopped: { vi: 'dừng / rút hồ sơ', en: 'stopped' },
  closed: { vi: 'đóng (không bổ sung)', en: 'closed (no supplement)' },
  early: { vi: 'trước hạn', en: 'early' },
  onTime: { vi: 'đúng hạn', en: 'on time' },
  late: { vi: 'quá hạn', en: 'late' },
};

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
      const raw = readJson(argv.events);
      // The file's form decides the schema, so an error names the event and field (not "Invalid input").
      const data = naming(argv.events, () =>
        Array.isArray(raw) ? parseWith(EventsSchema, raw) : parseWith(DossierSchema, raw),
      );
      const events = Array.isArray(data) ? data : data.events;
      const fileLimit = Array.isArray(data) ? undefined : data.limit;
      if (fileLimit === undefined && argv.limit === undefined && argv['limit-json'] === undefined) {
        throw new CliError(`${argv.events}: no limit in the file; give --limit`, EXIT.usage, 'usage.limit');
      }
      const limit =
        fileLimit !== undefined
          ? naming(`${argv.events}: limit`, () => parseWith(ProcedureLimitSchema, fileLimit))
          : limitFrom(argv);
      const calendar = calendarFrom(argv.calendar);
      const s = naming(argv.events, () =>
        replay(events, { limit, calendar, ...(argv.at ? { at: argv.at } : {}) }),
      );
      const lang = argv.lang;
      print(argv, s, () =>
        [
          `${style.bold(lang === 'vi' ? 'Trạng thái' : 'Phase')}: ${PHASE[s.phase][lang]}${s.overdue ? style.red(lang === 'vi' ? ' (quá hạn)' : ' (overdue)') : ''}${s.classification ? ` — ${PHASE[s.classification][lang]}` : ''}`,
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
