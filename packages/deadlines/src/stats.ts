import { parseInstant, toInstant } from '@motcua/calendar';
import type { Channel, DossierRecord } from '@motcua/core';
import { appointmentMs } from './appointment.js';
import { defaultCalendar, type WorkingCalendar } from './calendar-port.js';
import { DeadlineError } from './errors.js';
import { type DeadlinePolicy, type DeadlinePolicyInput, resolvePolicy } from './policy.js';
import { type DossierHistory, recordFromHistory } from './record.js';
import { DAY, OFFSET } from './time.js';

/** What to group the figures by. */
export type GroupBy = 'unit' | 'procedure' | 'field' | 'channel' | 'officer';

/** Options of {@link summarize}. */
export interface SummarizeOptions {
  /** First day (`YYYY-MM-DD`, from 00:00 UTC+7) or instant of the period. */
  from: string;
  /** Last day (`YYYY-MM-DD`, inclusive) or instant (exclusive) of the period. */
  to: string;
  /** When the figures are taken (default: the end of the period); unfinished dossiers are judged then. */
  at?: string;
  groupBy?: GroupBy;
  calendar?: WorkingCalendar;
  policy?: DeadlinePolicyInput;
}

/** A ratio with its parts. `rate` is null when the denominator is 0. */
export interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}

/** The figures of a period, as the monthly report and the service-quality index need them. */
export interface Figures {
  /** Dossiers handled in the period: carried over + received. */
  handled: number;
  /** Received before the period and not finished when it started (từ kỳ trước chuyển qua). */
  carriedOver: number;
  received: { total: number; direct: number; online: number; postal: number };
  /** Resolved in the period, judged against `dueAt` (the engine's appointment). */
  resolved: { total: number; early: number; onTime: number; late: number };
  /** Not finished at the end of the period. */
  inProgress: { total: number; withinLimit: number; overdue: number };
  waitingSupplement: number;
  returned: number;
  refused: number;
  stopped: number;
  closed: number;
  indicators: {
    /** 2.1: early/on-time rate as the Portal computes it (slip appointment, supplement time subtracted). */
    onTimeRate: Ratio;
    /** 2.2: average resolution time of resolved dossiers, supplement time subtracted. */
    averageResolution: { count: number; workingDays: number | null; hours: number | null };
    /** 3.3: share of dossiers received online. */
    onlineShare: Ratio;
    /** 3.6: share of paid dossiers paid online. */
    onlinePaymentShare: Ratio;
  };
}

/** The result of {@link summarize}. */
export interface Summary {
  period: { from: string; to: string; at: string };
  groupBy?: GroupBy;
  total: Figures;
  /** Figures per group key, when `groupBy` was given. */
  groups: Record<string, Figures>;
  /** Records skipped because they were received after the period. */
  notYetReceived: number;
  /** Records with neither an appointment nor a limit: not judged by indicator 2.1. */
  unjudged: number;
}

interface Acc {
  handled: number;
  carriedOver: number;
  rDirect: number;
  rOnline: number;
  rPostal: number;
  early: number;
  onTime: number;
  late: number;
  within: number;
  overdue: number;
  waiting: number;
  returned: number;
  refused: number;
  stopped: number;
  closed: number;
  idxOk: number;
  idxAll: number;
  resCount: number;
  resWorkMin: number;
  resMs: number;
  paid: number;
  paidOnline: number;
}

const newAcc = (): Acc => ({
  handled: 0,
  carriedOver: 0,
  rDirect: 0,
  rOnline: 0,
  rPostal: 0,
  early: 0,
  onTime: 0,
  late: 0,
  within: 0,
  overdue: 0,
  waiting: 0,
  returned: 0,
  refused: 0,
  stopped: 0,
  closed: 0,
  idxOk: 0,
  idxAll: 0,
  resCount: 0,
  resWorkMin: 0,
  resMs: 0,
  paid: 0,
  paidOnline: 0,
});

const ratio = (n: number, d: number): Ratio => ({
  numerator: n,
  denominator: d,
  rate: d === 0 ? null : n / d,
});

function figures(a: Acc, nominal: number): Figures {
  const received = a.rDirect + a.rOnline + a.rPostal;
  return {
    handled: a.handled,
    carriedOver: a.carriedOver,
    received: { total: received, direct: a.rDirect, online: a.rOnline, postal: a.rPostal },
    resolved: { total: a.early + a.onTime + a.late, early: a.early, onTime: a.onTime, late: a.late },
    inProgress: { total: a.within + a.overdue, withinLimit: a.within, overdue: a.overdue },
    waitingSupplement: a.waiting,
    returned: a.returned,
    refused: a.refused,
    stopped: a.stopped,
    closed: a.closed,
    indicators: {
      onTimeRate: ratio(a.idxOk, a.idxAll),
      averageResolution: {
        count: a.resCount,
        workingDays: a.resCount === 0 ? null : a.resWorkMin / nominal / a.resCount,
        hours: a.resCount === 0 ? null : a.resMs / 3_600_000 / a.resCount,
      },
      onlineShare: ratio(a.rOnline, received),
      onlinePaymentShare: ratio(a.paidOnline, a.paid),
    },
  };
}

function periodBound(s: string, end: boolean, field: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const ms = Date.UTC(y, m - 1, d) - OFFSET;
    if (Number.isNaN(ms))
      throw new DeadlineError(
        'deadlines.input_invalid',
        `${field} is not a real date`,
        `${field} không phải ngày hợp lệ`,
        { details: { field } },
      );
    return end ? ms + DAY : ms;
  }
  return parseInstant(s);
}

const opt = (s: string | undefined): number | undefined =>
  s === undefined || s === '' ? undefined : parseInstant(s);

/**
 * The accumulator of a summary: feed records one at a time, read the figures at the end.
 *
 * @example
 * ```ts
 * import { Summarizer } from '@motcua/deadlines';
 * const s = new Summarizer({ from: '2026-03-01', to: '2026-03-31' });
 * // for each record of a file too big to hold, one at a time:
 * s.add({ dossierCode: 'D1', procedureCode: '1.001193', unitCode: '05152', channel: 'direct', status: 'resolved',
 *   receivedAt: '2026-03-02T09:00:00+07:00', appointmentAt: '2026-03-05T09:00:00+07:00',
 *   resolvedAt: '2026-03-06T10:00:00+07:00', supplementRequests: 0, paid: false, paidOnline: false });
 * s.result().total.resolved; // { total: 1, early: 0, onTime: 0, late: 1 }
 * ```
 */
export class Summarizer {
  private readonly fromMs: number;
  private readonly endMs: number;
  private readonly atMs: number;
  private readonly cal: WorkingCalendar;
  private readonly policy: DeadlinePolicy;
  private readonly total = newAcc();
  private readonly groups = new Map<string, Acc>();
  private notYet = 0;
  private unjudged = 0;
  private readonly options: SummarizeOptions;

  constructor(options: SummarizeOptions) {
    this.options = options;
    this.fromMs = periodBound(options.from, false, 'from');
    const toMs = periodBound(options.to, true, 'to');
    if (toMs <= this.fromMs) {
      throw new DeadlineError('deadlines.input_invalid', 'to must be after from', 'to phải sau from', {
        details: { field: 'to' },
      });
    }
    this.atMs = options.at === undefined ? toMs : parseInstant(options.at);
    this.endMs = Math.min(toMs, this.atMs);
    this.policy = resolvePolicy(options.policy);
    this.cal = options.calendar ?? defaultCalendar(this.policy);
  }

  private groupKey(r: DossierRecord): string {
    switch (this.options.groupBy) {
      case 'unit':
        return r.unitCode;
      case 'procedure':
        return r.procedureCode;
      case 'field':
        return r.fieldCode ?? '';
      case 'channel':
        return r.channel;
      case 'officer':
        return r.officerId ?? '';
      default:
        return '';
    }
  }

  /** Folds one record (or one dossier's events, replayed at the period's instant) in. */
  add(item: DossierRecord | DossierHistory): void {
    if ('events' in item) {
      const first = item.events[0];
      if (first === undefined || parseInstant(first.at) >= this.endMs) {
        this.notYet++;
        return;
      }
    }
    const r: DossierRecord =
      'events' in item
        ? recordFromHistory(item, { at: this.endMs, calendar: this.cal, policy: this.policy })
        : item;
    const start = this.fromMs;
    const end = this.endMs;
    const rcv = parseInstant(r.receivedAt);
    if (rcv >= end) {
      this.notYet++;
      return;
    }
    const resolved = opt(r.resolvedAt);
    const returned = opt(r.returnedAt);
    const ended =
      r.status === 'refused' || r.status === 'stopped' || r.status === 'closed' ? opt(r.endedAt) : undefined;
    // End of processing, by status priority: resolved > returned > stopped/refused/closed.
    const finish = resolved ?? returned ?? ended;
    if (finish !== undefined && finish < start) return;
    const accs: Acc[] = [this.total];
    if (this.options.groupBy !== undefined) {
      const key = this.groupKey(r);
      let g = this.groups.get(key);
      if (g === undefined) {
        g = newAcc();
        this.groups.set(key, g);
      }
      accs.push(g);
    }
    const carried = rcv < start;
    const finishedInPeriod = finish !== undefined && finish < end;
    const suppReq = opt(r.supplementRequestedAt);
    const suppRcvRaw = opt(r.supplementReceivedAt);
    const suppRcv = suppRcvRaw !== undefined && suppRcvRaw < end ? suppRcvRaw : undefined;
    const waiting = !finishedInPeriod && suppReq !== undefined && suppReq < end && suppRcv === undefined;
    const slip = opt(r.appointmentAt);
    const due =
      opt(r.dueAt) ??
      (this.policy.extensionClassification === 'extended' ? opt(r.extendedAppointmentAt) : undefined) ??
      slip;

    // Indicator 2.1 (Decision 766/QĐ-TTg, as the Portal computes it).
    let appt = slip;
    if (appt === undefined && r.limit !== undefined)
      appt = appointmentMs(rcv, r.limit, r.channel, this.cal, this.policy).appointmentMs;
    let idxJudged = appt !== undefined;
    let idxOk = false;
    if (appt !== undefined) {
      const endOfProcessing = finishedInPeriod ? finish! : waiting ? suppReq! : end;
      const suppTime =
        suppReq !== undefined && suppRcv !== undefined && suppRcv <= endOfProcessing ? suppRcv - suppReq : 0;
      idxOk = (r.supplementRequests ?? 0) <= 1 && endOfProcessing - suppTime <= appt;
    } else {
      this.unjudged++;
      idxJudged = false;
    }

    let resolvedClass = -1; // 0 early, 1 on time, 2 late
    let resWork = 0;
    let resMs = 0;
    const isResolved = resolved !== undefined && resolved < end && resolved >= start;
    if (isResolved && due !== undefined) {
      const midnight = Math.floor((due + OFFSET) / DAY) * DAY - OFFSET;
      resolvedClass = resolved! < midnight ? 0 : resolved! <= due ? 1 : 2;
      const supp =
        suppReq !== undefined && suppRcv !== undefined && suppRcv <= resolved!
          ? [suppReq, suppRcv]
          : undefined;
      resWork =
        this.cal.workingMinutesBetweenMs(rcv, resolved!) -
        (supp ? this.cal.workingMinutesBetweenMs(supp[0]!, supp[1]!) : 0);
      resMs = resolved! - rcv - (supp ? supp[1]! - supp[0]! : 0);
    }
    const ch: Channel = r.channel;
    for (const a of accs) {
      a.handled++;
      if (carried) a.carriedOver++;
      else if (ch === 'direct') a.rDirect++;
      else if (ch === 'online') a.rOnline++;
      else a.rPostal++;
      if (idxJudged) {
        a.idxAll++;
        if (idxOk) a.idxOk++;
      }
      if (finishedInPeriod) {
        if (isResolved) {
          if (resolvedClass === 0) a.early++;
          else if (resolvedClass === 1) a.onTime++;
          else if (resolvedClass === 2) a.late++;
          a.resCount++;
          a.resWorkMin += resWork;
          a.resMs += resMs;
        }
        if (ended !== undefined && resolved === undefined) {
          if (r.status === 'refused') a.refused++;
          else if (r.status === 'stopped') a.stopped++;
          else a.closed++;
        }
      } else if (waiting) a.waiting++;
      else if (due !== undefined && due < end) a.overdue++;
      else a.within++;
      if (returned !== undefined && returned >= start && returned < end) a.returned++;
      if (r.paid || r.paidOnline) {
        a.paid++;
        if (r.paidOnline) a.paidOnline++;
      }
    }
  }

  /** The figures so far. */
  result(): Summary {
    const nominal = this.cal.nominalDayMinutes;
    const groups: Record<string, Figures> = {};
    for (const [k, a] of [...this.groups.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)))
      groups[k] = figures(a, nominal);
    const out: Summary = {
      period: {
        from: toInstant(this.fromMs),
        to: toInstant(periodBound(this.options.to, true, 'to')),
        at: toInstant(this.atMs),
      },
      total: figures(this.total, nominal),
      groups,
      notYetReceived: this.notYet,
      unjudged: this.unjudged,
    };
    if (this.options.groupBy !== undefined) out.groupBy = this.options.groupBy;
    return out;
  }
}

/**
 * The statistics of a period over a stream of dossier records, in constant memory: carried over,
 * received by channel, resolved early / on time / late, in progress within limit / overdue, waiting for
 * supplement, returned, refused, stopped, closed; and the service-quality indicators 2.1 (early/on-time
 * rate exactly as the Portal computes it: end of processing by status priority, the applicant's supplement
 * time subtracted, more than one supplement request = late, unfinished dossiers judged at the period end),
 * 2.2 (average resolution time), 3.3 (online share) and 3.6 (online-payment share). Groups by unit,
 * procedure, field, channel or officer.
 *
 * Records are trusted (validate them at import with `DossierRecordSchema`).
 *
 * @example
 * ```ts
 * import { summarize } from '@motcua/deadlines';
 * const s = await summarize(records, { from: '2026-03-01', to: '2026-03-31', groupBy: 'procedure' });
 * s.total.indicators.onTimeRate.rate; // e.g. 0.97
 * ```
 */
export async function summarize(
  records: Iterable<DossierRecord | DossierHistory> | AsyncIterable<DossierRecord | DossierHistory>,
  options: SummarizeOptions,
): Promise<Summary> {
  const s = new Summarizer(options);
  if (Symbol.asyncIterator in records)
    for await (const r of records as AsyncIterable<DossierRecord | DossierHistory>) s.add(r);
  else for (const r of records as Iterable<DossierRecord | DossierHistory>) s.add(r);
  return s.result();
}

/**
 * The synchronous form of {@link summarize}, for arrays and other iterables.
 *
 * @example
 * ```ts
 * const s = summarizeSync(records, { from: '2026-03-01', to: '2026-03-31' });
 * ```
 */
export function summarizeSync(
  records: Iterable<DossierRecord | DossierHistory>,
  options: SummarizeOptions,
): Summary {
  const s = new Summarizer(options);
  for (const r of records) s.add(r);
  return s.result();
}
