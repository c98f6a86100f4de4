import { addDays, dateOf, toInstant, weekdayOf } from '@motcua/calendar';
import type { Channel, LocalizedMessage } from '@motcua/core';
import type { AppointmentMs } from './appointment.js';
import type { WorkingCalendar } from './calendar-port.js';
import type { DeadlinePolicy } from './policy.js';
import { describeDate, describeInstant } from './time.js';

/** One step of an explanation, readable to a citizen. */
export interface ExplanationStep {
  /** `received`, `moved`, `counted`, `skipped`, `workedWeekend`, `appointment`, `provisional`. */
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
  steps.push({
    code: 'counted',
    message: {
      vi: `Thời hạn giải quyết: ${lt.vi}, tính từ ${from.vi}`,
      en: `Time limit: ${lt.en}, counted from ${from.en}`,
    },
    from: dateOf(core.countedFromMs),
    source: `${cite.clockStart}; counting=${policy.counting}`,
  });

  // Days skipped (and Saturdays worked) between the start and the appointment, grouped by reason.
  let provisional = false;
  const firstDay = dateOf(Math.min(core.countedFromMs, core.receivedMs));
  const lastDay = dateOf(core.appointmentMs);
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
  for (const info of cal.nonWorkingDaysBetween(firstDay, lastDay)) {
    const reason = (info.reasons.find((r) => r.kind !== 'weekend') ??
      info.reasons[0] ?? { kind: 'weekend' }) as Reason;
    if (reason.provisional) provisional = true;
    const key = `${reason.kind}|${reason.name?.vi ?? ''}`;
    if (run && run.key === key && addDays(run.to, 1) === info.date) run.to = info.date;
    else {
      flush();
      run = { key, from: info.date, to: info.date, reason };
    }
  }
  flush();
  for (let d = firstDay; d <= lastDay; d = addDays(d, 1)) {
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
