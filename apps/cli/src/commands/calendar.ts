import {
  type DayReason,
  dateOf,
  holidaysOf,
  lunarToSolar,
  parseInstant,
  solarToLunar,
  toInstant,
  workingWeekendsOf,
} from '@motcua/calendar';
import type { Argv } from 'yargs';
import { calendarFrom } from '../calendar-option.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';

/** Words for the kinds of reasons that carry no name (a weekend, a Saturday worked…). */
const REASON: Record<DayReason['kind'], { vi: string; en: string }> = {
  weekend: { vi: 'nghỉ cuối tuần', en: 'weekend' },
  holiday: { vi: 'ngày lễ', en: 'public holiday' },
  compensatory: { vi: 'nghỉ bù', en: 'make-up day off' },
  'swapped-off': { vi: 'nghỉ hoán đổi', en: 'day off swapped' },
  closure: { vi: 'nghỉ đột xuất', en: 'closure' },
  workingWeekend: { vi: 'làm bù', en: 'weekend day worked' },
  extraWorkingDay: { vi: 'ngày làm việc thêm', en: 'extra working day' },
};

export function calendarCommands(yargs: Argv<GlobalOptions & { lang: 'vi' | 'en' }>) {
  return yargs
    .command(
      'lunar <date>',
      'Convert a solar date to the Vietnamese lunar calendar (UTC+7), or back with --to-solar.',
      (y) =>
        y
          .positional('date', {
            type: 'string',
            demandOption: true,
            describe: 'YYYY-MM-DD (solar, or lunar with --to-solar)',
          })
          .option('to-solar', { type: 'boolean', default: false })
          .option('leap', { type: 'boolean', default: false, describe: 'with --to-solar: the leap month' })
          .example('$0 lunar 2026-02-17', 'Tết Bính Ngọ')
          .example('$0 lunar --to-solar 2026-03-10', 'the Hùng Kings day of 2026'),
      (argv) => {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(argv.date);
        if (!m) throw new CliError(`${argv.date}: expected YYYY-MM-DD`, EXIT.usage, 'usage.date');
        if (argv['to-solar']) {
          const solar = lunarToSolar({
            year: Number(m[1]),
            month: Number(m[2]),
            day: Number(m[3]),
            leap: argv.leap,
          });
          print(
            argv,
            { lunar: { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), leap: argv.leap }, solar },
            () => solar,
          );
        } else {
          const l = solarToLunar(argv.date);
          print(
            argv,
            { solar: argv.date, lunar: l },
            () => `${l.day}/${l.month}${l.leap ? ' (nhuận)' : ''}/${l.year}`,
          );
        }
      },
    )
    .command(
      'calendar <year|action> [value]',
      'The days off for civil servants in a year (statutory, official schedule, make-up) and the Saturdays worked, with their sources; or `calendar is-working <date|instant>`.',
      (y) =>
        y
          .positional('year', { type: 'string', demandOption: true })
          .positional('value', { type: 'string' })
          .option('calendar', { type: 'string', describe: "a unit's calendar as JSON" })
          .example('$0 calendar 2026', '')
          .example('$0 calendar is-working 2026-01-10', 'a Saturday worked in exchange'),
      (argv) => {
        const lang = argv.lang;
        if (argv.year === 'is-working') {
          if (!argv.value)
            throw new CliError('calendar is-working needs a date or an instant', EXIT.usage, 'usage.value');
          const cal = calendarFrom(argv.calendar);
          const isDate = /^\d{4}-\d{2}-\d{2}$/.test(argv.value);
          const ms = isDate ? undefined : parseInstant(argv.value);
          const working = ms === undefined ? cal.isWorkingDay(argv.value) : cal.isWorkingTimeMs(ms);
          // The day of an instant is its date at +07:00 (2026-03-01T20:00:00Z is 2 March in Vietnam).
          const info = cal.dayInfo(ms === undefined ? argv.value : dateOf(ms));
          const reasons = info.reasons.map((r) => r.name?.[lang] ?? REASON[r.kind][lang]);
          // A working day, but an instant outside its sessions (before 07:30, the lunch break, after 17:00).
          if (!working && info.working)
            reasons.push(lang === 'vi' ? 'ngoài giờ làm việc' : 'outside working hours');
          print(
            argv,
            { input: argv.value, ...(ms === undefined ? {} : { at: toInstant(ms) }), working, day: info },
            () =>
              `${working ? style.green(lang === 'vi' ? 'làm việc' : 'working') : style.yellow(lang === 'vi' ? 'không làm việc' : 'not working')}${reasons.length ? `: ${reasons.join(', ')}` : ''}${info.sessions.length ? style.dim(` (${info.sessions.map((x) => `${x.start}–${x.end}`).join(', ')})`) : ''}`,
          );
          return;
        }
        const year = Number(argv.year);
        if (!Number.isInteger(year))
          throw new CliError(`${argv.year}: expected a year or is-working`, EXIT.usage, 'usage.year');
        const days = holidaysOf(year, { scope: 'civil-service' });
        const worked = workingWeekendsOf(year);
        print(argv, { year, daysOff: days, workingWeekends: worked }, () =>
          [
            style.bold(lang === 'vi' ? `Ngày nghỉ ${year} (công chức)` : `Days off ${year} (civil service)`),
            ...days.map(
              (d) =>
                `  ${d.date}  ${d.kind.padEnd(12)} ${d.name[lang]}${d.provisional ? style.yellow(' (provisional)') : ''} ${style.dim(`[${d.source}]`)}`,
            ),
            style.bold(lang === 'vi' ? 'Thứ Bảy làm bù' : 'Saturdays worked'),
            ...(worked.length
              ? worked.map(
                  (d) =>
                    `  ${d.date}  ${d.name?.[lang] ?? (lang === 'vi' ? `làm bù cho ngày ${d.swappedWith ?? '?'}` : `worked in exchange for ${d.swappedWith ?? '?'}`)} ${style.dim(`[${d.source}]`)}`,
                )
              : ['  -']),
          ].join('\n'),
        );
      },
    );
}
