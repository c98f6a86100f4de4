import { addDays, type DayInfo, dateOf, toInstant, weekdayOf } from '@motcua/calendar';
import type { Channel, LocalizedMessage } from '@motcua/core';
import type { AppointmentMs } from './appointment.js';
import type { WorkingCalendar } from './calendar-port.js';
import type { DeadlinePolicy } from './policy.js';
import { addMonths, describeDate, describeInstant } from './time.js';

/** One step of an explanation, readable to a citizen. */
export interface ExplanationStep {
  /** `received`, `moved`, `counted`, `skipped`, `lastDayMoved`, `workedWeekend`, `appointment`, `provisional`. */
  code: string;
  message: LocalizedMessage;
  /** Start of what the step is about (an instant or a date). */
  from?: string;
  /** End of it. */
  to?: string;
  /** The rule or the schedule's document. */
  source?: string;
}

const CHANNEL = {
  direct: { vi: 'trực tiếp', en: 'in person' },
  online: { vi: 'trực tuyến', en: 'online' },
  postal: { vi: 'qua bưu chính', en: 'by post' },
} as const;

function limitText(l: AppointmentMs['applied'], policy: DeadlinePolicy): LocalizedMessage {
  switch (l.unit) {
    case 'workingDays':
      return policy.counting === 'workingTime'
        ? {
            vi: `${l.value} ngày làm việc (mỗi ngày 8 giờ làm việc, tính từ thời điểm bắt đầu)`,
            en: `${l.value} working day(s) of working time`,
          }
        : {
            vi: `${l.value} ngày làm việc (đến hết ngày làm việc thứ ${Math.ceil(l.value)})`,
            en: `${l.value} working day(s), to the end of working day ${Math.ceil(l.value)}`,
          };
    case 'workingHours':
      return { vi: `${l.value} giờ làm việc`, en: `${l.value} working hour(s)` };
    case 'calendarDays':
      return {
        vi: `${l.value} ngày (theo lịch, Bộ luật Dân sự 2015 Điều 147-148)`,
        en: `${l.value} calendar day(s) (Civil Code 2015 Art. 147-148)`,
      };
    case 'months':
      return {
        vi: `${l.value} tháng (Bộ luật Dân sự 2015 Điều 147-148)`,
        en: `${l.value} month(s) (Civil Code 2015 Art. 147-148)`,
      };
    case 'sameDay':
      return { vi: 'trong ngày làm việc', en: 'the same working day' };
    case 'immediate':
      return { vi: 'giải quyết ngay', en: 'immediately' };
  }
}

interface Reason {
  kind: string;
  name?: LocalizedMessage | { vi: string; en: string };
  source?: string;
  provisional?: boolean;
}

function reasonText(r: Reason): LocalizedMessage {
  switch (r.kind) {
    case 'weekend':
      return { vi: 'nghỉ cuối tuần', en: 'weekend' };
    case 'closure':
      return {
        vi: `đơn vị nghỉ${r.name ? `: ${r.name.vi}` : ''}`,
        en: `unit closed${r.name ? `: ${r.name.en}` : ''}`,
      };
    default: {
      const name = r.name ?? { vi: 'ngày nghỉ', en: 'day off' };
      const prov = r.provisional
        ? { vi: ' (tạm tính: chưa có thông báo chính thức)', en: ' (provisional: no official notice yet)' }
        : { vi: '', en: '' };
      const kind =
        r.kind === 'compensatory'
          ? { vi: 'nghỉ bù ', en: 'make-up day for ' }
          : r.kind === 'swapped-off'
            ? { vi: 'nghỉ hoán đổi ', en: 'swapped day off for ' }
            : { vi: '', en: '' };
      return { vi: `${kind.vi}${name.vi}${prov.vi}`, en: `${kind.en}${name.en}${prov.en}` };
    }
  }
}

/** Builds the explanation of an appointment (called lazily: the hot path never pays for it). */
export function explainAppointment(
  core: AppointmentMs,
  cal: WorkingCalendar,
  channel: Channel,
  policy: DeadlinePolicy,
): { steps: ExplanationStep[]; provisional: boolean } {
  const steps: ExplanationStep[] = [];
  const rec = describeInstant(core.receivedMs);
  const cite = core.ruleSet.cite;
  steps.push({
    code: 'received',
    message: {
      vi: `Tiếp nhận ${CHANNEL[channel].vi} lúc ${rec.vi}`,
      en: `Received ${CHANNEL[channel].en} on ${rec.en}`,
    },
    from: toInstant(core.receivedMs),
    source: cite.clockStart,
  });
  const from = describeInstant(core.countedFromMs);
  if (core.move === 'afterCutoff') {
    steps.push({
      code: 'moved',
      message: {
        vi: `Tiếp nhận sau ${core.cutoff} nên thời hạn tính từ ngày làm việc tiếp theo: ${from.vi}`,
        en: `Received after ${core.cutoff}, so the limit counts from the next working day: ${from.en}`,
      },
      from: dateOf(core.receivedMs),
      to: dateOf(core.countedFromMs),
      source: `${cite.paperCutoff}; quy định của thủ tục`,
    });
  } else if (core.move === 'outsideHours') {
    const info = cal.dayInfo(dateOf(core.receivedMs));
    const why = info.working
      ? { vi: 'ngoài giờ làm việc', en: 'outside working hours' }
      : reasonText((info.reasons[0] ?? { kind: 'weekend' }) as Reason);
    steps.push({
      code: 'moved',
      message: {
        vi: `Tiếp nhận vào lúc ${why.vi} nên thời hạn tính từ thời điểm bắt đầu làm việc tiếp theo: ${from.vi}`,
        en: `Received ${info.working ? 'outside working hours' : `on a day off (${why.en})`}, so the limit counts from the next working start: ${from.en}`,
      },
      from: dateOf(core.receivedMs),
      to: dateOf(core.countedFromMs),
      source:
        channel === 'online'
          ? `${cite.clockStart}; chính sách onlineOutsideHours=${policy.onlineOutsideHours}`
          : cite.clockStart,
    });
  }
  const lt = limitText(core.applied, policy);
  const startDay = dateOf(core.countedFromMs);
  // Calendar days and months count every day, days off included (Civil Code 2015 Art. 147-148): the last day
  // is the start's date plus the limit; only when it is a day off does the end move (Art. 148.5).
  const lastDay =
    core.applied.unit === 'calendarDays'
      ? addDays(startDay, core.applied.value)
      : core.applied.unit === 'months'
        ? addMonths(startDay, core.applied.value)
        : undefined;
  if (lastDay === undefined) {
    steps.push({
      code: 'counted',
      message: {
        vi: `Thời hạn giải quyết: ${lt.vi}, tính từ ${from.vi}`,
        en: `Time limit: ${lt.en}, counted from ${from.en}`,
      },
      from: startDay,
      source: `${cite.clockStart}; counting=${policy.counting}`,
    });
  } else {
    const last = describeDate(lastDay);
    steps.push({
      code: 'counted',
      message: {
        vi: `Thời hạn giải quyết: ${lt.vi}, tính từ ${from.vi}, kể cả ngày nghỉ; ngày cuối cùng của thời hạn: ${last.vi}`,
        en: `Time limit: ${lt.en}, counted from ${from.en}, days off included; last day of the limit: ${last.en}`,
      },
      from: startDay,
      to: lastDay,
      source: `${cite.clockStart}; Bộ luật Dân sự 2015 Điều 147-148`,
    });
  }

  // Days skipped (and Saturdays worked) between the start and the appointment, grouped by reason. For calendar
  // days and months, only the days off before the start are skipped; those from the last day of the limit to
  // the appointment's day are the move of a last day off to the next working day.
  let provisional = false;
  const firstDay = dateOf(Math.min(core.countedFromMs, core.receivedMs));
  const dueDay = dateOf(core.appointmentMs);
  const skipUntil = lastDay === undefined ? dueDay : addDays(startDay, -1);
  let run: { key: string; from: string; to: string; reason: Reason } | undefined;
  const flush = () => {
    if (!run) return;
    const t = reasonText(run.reason);
    const span =
      run.from === run.to
        ? describeDate(run.from)
        : {
            vi: `${describeDate(run.from).vi} – ${describeDate(run.to).vi}`,
            en: `${describeDate(run.from).en} – ${describeDate(run.to).en}`,
          };
    steps.push({
      code: 'skipped',
      message: { vi: `Không tính ${span.vi}: ${t.vi}`, en: `Skipped ${span.en}: ${t.en}` },
      from: run.from,
      to: run.to,
      ...(run.reason.source ? { source: run.reason.source } : {}),
    });
    run = undefined;
  };
  const mainReason = (info: DayInfo): Reason =>
    (info.reasons.find((r) => r.kind !== 'weekend') ?? info.reasons[0] ?? { kind: 'weekend' }) as Reason;
  for (const info of firstDay <= skipUntil ? cal.nonWorkingDaysBetween(firstDay, skipUntil) : []) {
    const reason = mainReason(info);
    if (reason.provisional) provisional = true;
    const key = `${reason.kind}|${reason.name?.vi ?? ''}`;
    if (run && run.key === key && addDays(run.to, 1) === info.date) run.to = info.date;
    else {
      flush();
      run = { key, from: info.date, to: info.date, reason };
    }
  }
  flush();
  if (lastDay !== undefined && lastDay < dueDay) {
    const offDays = cal.nonWorkingDaysBetween(lastDay, addDays(dueDay, -1));
    const reasons = offDays.map(mainReason);
    if (reasons.some((r) => r.provisional)) provisional = true;
    const why = reasonText(reasons[0] ?? { kind: 'weekend' });
    const sources = [...new Set(reasons.map((r) => r.source).filter((x): x is string => !!x))];
    const last = describeDate(lastDay);
    const due = describeDate(dueDay);
    steps.push({
      code: 'lastDayMoved',
      message: {
        vi: `Ngày cuối cùng của thời hạn, ${last.vi}, là ngày nghỉ (${why.vi}) nên thời hạn kết thúc vào cuối ngày làm việc tiếp theo: ${due.vi}`,
        en: `The last day of the limit, ${last.en}, is a day off (${why.en}), so the limit ends at the close of the next working day: ${due.en}`,
      },
      from: lastDay,
      to: dueDay,
      source: ['Bộ luật Dân sự 2015 Điều 148.5', ...sources].join('; '),
    });
  }
  for (let d = firstDay; d <= dueDay; d = addDays(d, 1)) {
    // A Saturday worked matters to calendar days only before the start or as the appointment's day.
    if (lastDay !== undefined && d > skipUntil && d !== dueDay) continue;
    const wd = weekdayOf(d);
    if ((wd !== 0 && wd !== 6) || !cal.isWorkingDay(d)) continue;
    const info = cal.dayInfo(d);
    const r = info.reasons.find((x) => x.kind === 'workingWeekend' || x.kind === 'extraWorkingDay');
    if (r?.provisional) provisional = true;
    steps.push({
      code: 'workedWeekend',
      message: {
        vi: `${describeDate(info.date).vi} là ngày làm việc (làm bù)`,
        en: `${describeDate(info.date).en} is a working day (worked in exchange)`,
      },
      from: info.date,
      to: info.date,
      ...(r?.source ? { source: r.source } : {}),
    });
  }
  const appt = describeInstant(core.appointmentMs);
  steps.push({
    code: 'appointment',
    message: { vi: `Hẹn trả kết quả: ${appt.vi}`, en: `Appointment: ${appt.en}` },
    to: toInstant(core.appointmentMs),
    source: cite.clockStart,
  });
  if (provisional) {
    steps.push({
      code: 'provisional',
      message: {
        vi: 'Ngày hẹn phụ thuộc lịch nghỉ tạm tính (chưa có thông báo chính thức của năm đó); có thể thay đổi',
        en: 'The appointment depends on a provisional holiday schedule (no official notice for that year yet); it may change',
      },
    });
  }
  return { steps, provisional };
}
