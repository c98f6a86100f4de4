import { parseInstant, toInstant } from '@motcua/calendar';
import type { Channel, DossierEvent, OfficerRef, ProcedureLimit } from '@motcua/core';
import { type AppointmentMs, appointmentMs } from './appointment.js';
import { defaultCalendar, type WorkingCalendar } from './calendar-port.js';
import { LifecycleError } from './errors.js';
import { type DeadlinePolicy, type DeadlinePolicyInput, resolvePolicy } from './policy.js';
import type { RuleSet } from './rulesets.js';
import { DAY, localMidnight } from './time.js';
import type { DeadlineWarning } from './warnings.js';

/** Options of {@link replay} and {@link DossierReplay}. */
export interface ReplayOptions {
  /** The procedure's limit (core's `ProcedureLimit`). */
  limit: ProcedureLimit;
  /** The unit's work calendar; default the national calendar. */
  calendar?: WorkingCalendar;
  policy?: DeadlinePolicyInput;
}

/** Where a dossier is in its life. `received`: an online dossier awaiting official receipt. */
export type Phase =
  | 'received'
  | 'inProgress'
  | 'waitingSupplement'
  | 'paused'
  | 'resolved'
  | 'returned'
  | 'refused'
  | 'stopped'
  | 'closed';

/** `early` (before 00:00 of the appointment's date), `onTime` (that date, by the appointment), `late`. */
export type Classification = 'early' | 'onTime' | 'late';

/** A step of the internal procedure (transferred to a step or officer with its share of the limit). */
export interface StepStatus {
  step: string;
  to?: OfficerRef;
  startedAt: string;
  /** The step's own deadline, when it has a share of the limit. */
  deadline?: string;
  endedAt?: string;
  late: boolean;
}

/** The status of a dossier at an instant: the result of {@link replay}. */
export interface DossierStatusReport {
  /** The instant of the status. */
  at: string;
  phase: Phase;
  ruleSet: RuleSet['id'];
  channel: Channel;
  receivedAt: string;
  acceptedAt?: string;
  /** When the limit started (or restarted, after a supplement). Absent while waiting for official receipt under `onlineClockStart=accepted`. */
  countedFrom?: string;
  appointment: {
    /** The first appointment (on the receipt slip). */
    original?: string;
    /** The appointment in force now (after a supplement restart, pauses, an extension). */
    current?: string;
    /** The appointment the dossier is judged against (policy `extensionClassification`). */
    judgedAgainst?: string;
    /** The new date of an extension with apology, when there was one. */
    extended?: string;
  };
  /** Working minutes left until the current appointment (negative when overdue; frozen while paused). */
  remainingMinutes?: number;
  /** Past the current appointment and not finished. */
  overdue: boolean;
  steps: StepStatus[];
  /** The current step when it is late (a step may be late while the dossier is not). */
  lateStep?: string;
  warnings: DeadlineWarning[];
  /** For resolved (and returned) dossiers. */
  classification?: Classification;
  /** More than one supplement request: counted late by indicator 2.1 whatever the classification. */
  lateInIndex: boolean;
  resolvedAt?: string;
  returnedAt?: string;
  /** Refused, stopped or closed at. */
  endedAt?: string;
  supplement: { requests: number; requestedAt?: string; receivedAt?: string; closeDeadline?: string };
  /** Working minutes spent paused. */
  pausedMinutes: number;
  paid: boolean;
  paidOnline: boolean;
}

interface StepState {
  step: string;
  to: OfficerRef | undefined;
  startedMs: number;
  deadlineMs: number | undefined;
  endedMs: number | undefined;
}

const PASSIVE = new Set(['signed', 'paid', 'registered', 'notified']);
const TERMINAL = new Set<Phase>(['returned', 'refused', 'stopped', 'closed']);

function classify(endMs: number, appointmentMs: number): Classification {
  if (endMs < localMidnight(appointmentMs)) return 'early';
  return endMs <= appointmentMs ? 'onTime' : 'late';
}

/**
 * The incremental form of {@link replay}: push events one at a time (each checked against the rules),
 * ask for the status at any instant not before the last event. Deterministic.
 *
 * @example
 * ```ts
 * import { DossierReplay } from '@motcua/deadlines';
 * const r = new DossierReplay({ limit: { unit: 'workingDays', value: 3 } });
 * r.push({ type: 'received', at: '2026-03-02T08:00:00+07:00', channel: 'direct' });
 * r.status('2026-03-04T09:00:00+07:00').remainingMinutes; // 900 working minutes left
 * r.push({ type: 'resolved', at: '2026-03-04T10:00:00+07:00' });
 * ```
 */
export class DossierReplay {
  private readonly limit: ProcedureLimit;
  private readonly cal: WorkingCalendar;
  private readonly policy: DeadlinePolicy;
  private count = 0;
  private lastMs = Number.NEGATIVE_INFINITY;
  private phase: Phase | undefined;
  private channel: Channel = 'direct';
  private verification = false;
  private ruleSet: RuleSet | undefined;
  private receivedMs = 0;
  private acceptedMs: number | undefined;
  private countedFromMs: number | undefined;
  private originalMs: number | undefined;
  private baseMs: number | undefined;
  private extendedMs: number | undefined;
  private extensions = 0;
  private pausedAtMs: number | undefined;
  private pausedMinutes = 0;
  private requests = 0;
  private requestedMs: number | undefined;
  private suppReceivedMs: number | undefined;
  private steps: StepState[] = [];
  private resolvedMs: number | undefined;
  private returnedMs: number | undefined;
  private endedMs: number | undefined;
  private paid = false;
  private paidOnline = false;
  private readonly eventWarnings: DeadlineWarning[] = [];

  constructor(options: ReplayOptions) {
    this.limit = options.limit;
    this.policy = resolvePolicy(options.policy);
    this.cal = options.calendar ?? defaultCalendar(this.policy);
  }

  /** Number of events folded in. */
  get size(): number {
    return this.count;
  }

  /** Folds in several events. */
  pushAll(events: Iterable<DossierEvent>): this {
    for (const e of events) this.push(e);
    return this;
  }

  private fail(code: string, rule: string, en: string, vi: string): never {
    throw new LifecycleError(code, this.count, rule, en, vi);
  }

  private compute(fromMs: number): AppointmentMs {
    return appointmentMs(fromMs, this.limit, this.channel, this.cal, this.policy, this.verification);
  }

  private startClock(fromMs: number, slip: string | undefined): void {
    const a = this.compute(fromMs);
    this.countedFromMs = a.countedFromMs;
    const due = slip !== undefined ? parseInstant(slip) : a.appointmentMs;
    this.baseMs = due;
    this.originalMs ??= due;
  }

  /**
   * Folds one event in. Throws a {@link LifecycleError} naming the event's index and the rule for an
   * illegal sequence; the replay is unchanged then.
   */
  push(event: DossierEvent): this {
    const at = parseInstant(event.at);
    if (at < this.lastMs) {
      this.fail(
        'lifecycle.order',
        'events in time order',
        'is earlier than the event before it',
        'xảy ra trước sự kiện liền trước',
      );
    }
    const phase = this.phase;
    const rs = this.ruleSet;
    if (phase === undefined || rs === undefined) {
      if (event.type !== 'received') {
        this.fail(
          event.type === 'resolved' ? 'lifecycle.resolved_before_received' : 'lifecycle.first_not_received',
          'a dossier starts with its receipt',
          `'${event.type}' before the dossier was received`,
          `'${event.type}' trước khi hồ sơ được tiếp nhận`,
        );
      }
      this.channel = event.channel;
      this.verification = event.verification === true;
      this.receivedMs = at;
      const probe = this.compute(at);
      this.ruleSet = probe.ruleSet;
      if (event.channel === 'online' && this.policy.onlineClockStart === 'accepted') {
        this.phase = 'received';
      } else {
        this.countedFromMs = probe.countedFromMs;
        this.baseMs = event.appointment !== undefined ? parseInstant(event.appointment) : probe.appointmentMs;
        this.originalMs = this.baseMs;
        this.phase = event.channel === 'online' ? 'received' : 'inProgress';
      }
      this.lastMs = at;
      this.count++;
      return this;
    }
    if (PASSIVE.has(event.type)) {
      if (event.type === 'paid') {
        this.paid = true;
        if (event.method !== 'counter') this.paidOnline = true;
      }
      this.lastMs = at;
      this.count++;
      return this;
    }
    if (TERMINAL.has(phase) && !(phase === 'refused' && event.type === 'returned')) {
      this.fail(
        'lifecycle.after_end',
        'nothing moves after the end',
        `'${event.type}' after the dossier ended (${phase})`,
        `'${event.type}' sau khi hồ sơ đã kết thúc (${phase})`,
      );
    }
    const open = phase === 'received' || phase === 'inProgress';
    switch (event.type) {
      case 'received':
        this.fail(
          'lifecycle.duplicate_received',
          rs.cite.clockStart,
          'the dossier was already received',
          'hồ sơ đã được tiếp nhận',
        );
        break;
      case 'accepted': {
        if (this.acceptedMs !== undefined || !open) {
          this.fail(
            'lifecycle.not_awaiting_acceptance',
            rs.cite.onlineAck,
            'the dossier is not awaiting official receipt',
            'hồ sơ không ở trạng thái chờ tiếp nhận chính thức',
          );
        }
        this.acceptedMs = at;
        if (this.channel === 'online' && rs.onlineAckWorkingHours !== undefined) {
          const wm = this.cal.workingMinutesBetweenMs(this.receivedMs, at);
          if (wm > rs.onlineAckWorkingHours * 60) {
            this.eventWarnings.push({
              code: 'onlineAckLate',
              message: {
                vi: `Hồ sơ trực tuyến được tiếp nhận chính thức sau ${Math.round(wm / 6) / 10} giờ làm việc (quá ${rs.onlineAckWorkingHours} giờ)`,
                en: `Online dossier officially received after ${Math.round(wm / 6) / 10} working hours (more than ${rs.onlineAckWorkingHours})`,
              },
              source: rs.cite.onlineAck,
              at: event.at,
            });
          }
        }
        if (this.countedFromMs === undefined) this.startClock(at, event.appointment);
        else if (event.appointment !== undefined && this.originalMs === this.baseMs) {
          this.baseMs = parseInstant(event.appointment);
          this.originalMs = this.baseMs;
        }
        this.phase = 'inProgress';
        break;
      }
      case 'transferred': {
        if (!open)
          this.fail(
            'lifecycle.not_in_progress',
            'transfer while in progress',
            'transfer while the dossier is not in progress',
            'chuyển xử lý khi hồ sơ không đang giải quyết',
          );
        const prev = this.steps[this.steps.length - 1];
        if (prev && prev.endedMs === undefined) prev.endedMs = at;
        const deadline = event.stepLimit
          ? appointmentMs(at, event.stepLimit, 'direct', this.cal, this.policy).appointmentMs
          : undefined;
        this.steps.push({
          step: event.step,
          to: event.to,
          startedMs: at,
          deadlineMs: deadline,
          endedMs: undefined,
        });
        break;
      }
      case 'supplementRequested': {
        if (!open)
          this.fail(
            'lifecycle.not_in_progress',
            rs.cite.supplement,
            'supplement request while the dossier is not in progress',
            'yêu cầu bổ sung khi hồ sơ không đang giải quyết',
          );
        this.requests++;
        if (this.requests > rs.maxSupplementRequests) {
          this.eventWarnings.push({
            code: 'multipleSupplementRequests',
            message: {
              vi: `Yêu cầu bổ sung lần ${this.requests}: chỉ được yêu cầu bổ sung một lần; hồ sơ bị tính là trễ hạn trong chỉ số`,
              en: `Supplement request #${this.requests}: only one is allowed; the dossier counts as late in the index`,
            },
            source: rs.cite.supplement,
            at: event.at,
          });
        } else if (
          phase === 'inProgress' &&
          rs.supplementRequestWorkingDays !== undefined &&
          this.countedFromMs !== undefined
        ) {
          const wm = this.cal.workingMinutesBetweenMs(this.countedFromMs, at);
          if (wm > rs.supplementRequestWorkingDays * this.cal.nominalDayMinutes) {
            this.eventWarnings.push({
              code: 'supplementRequestLate',
              message: {
                vi: `Yêu cầu bổ sung gửi sau ${rs.supplementRequestWorkingDays} ngày làm việc kể từ khi tiếp nhận`,
                en: `Supplement request sent more than ${rs.supplementRequestWorkingDays} working days after receipt`,
              },
              source: rs.cite.supplement,
              at: event.at,
            });
          }
        }
        this.requestedMs = at;
        this.suppReceivedMs = undefined;
        this.phase = 'waitingSupplement';
        break;
      }
      case 'supplementReceived': {
        if (phase !== 'waitingSupplement') {
          this.fail(
            this.requests === 0 ? 'lifecycle.supplement_not_requested' : 'lifecycle.not_waiting_supplement',
            rs.cite.supplement,
            'supplement received but none was requested',
            'nhận bổ sung khi không có yêu cầu bổ sung',
          );
        }
        this.suppReceivedMs = at;
        // The limit restarts from zero when the complete dossier arrives (Art. 19.5).
        if (this.channel === 'online' && this.acceptedMs === undefined) {
          if (this.policy.onlineClockStart === 'received') this.startClock(at, undefined);
          this.phase = 'received';
        } else {
          this.startClock(at, undefined);
          this.phase = 'inProgress';
        }
        this.extendedMs = undefined;
        break;
      }
      case 'paused':
        if (phase !== 'inProgress')
          this.fail(
            'lifecycle.not_in_progress',
            'pause while in progress',
            'pause while the dossier is not in progress',
            'tạm dừng khi hồ sơ không đang giải quyết',
          );
        this.pausedAtMs = at;
        this.phase = 'paused';
        break;
      case 'resumed': {
        if (phase !== 'paused' || this.pausedAtMs === undefined)
          this.fail(
            'lifecycle.not_paused',
            'resume after pause',
            'resume without a pause',
            'tiếp tục khi không tạm dừng',
          );
        const wm = this.cal.workingMinutesBetweenMs(this.pausedAtMs, at);
        this.pausedMinutes += wm;
        if (wm > 0) {
          if (this.baseMs !== undefined) this.baseMs = this.cal.addWorkingMinutesMs(this.baseMs, wm);
          if (this.extendedMs !== undefined)
            this.extendedMs = this.cal.addWorkingMinutesMs(this.extendedMs, wm);
        }
        this.pausedAtMs = undefined;
        this.phase = 'inProgress';
        break;
      }
      case 'extended': {
        if (phase === 'waitingSupplement' || phase === 'resolved') {
          this.fail(
            'lifecycle.not_in_progress',
            rs.cite.extension,
            'extension of a dossier not in progress',
            'gia hạn hồ sơ không đang giải quyết',
          );
        }
        if (this.extensions >= rs.maxExtensions) {
          this.fail(
            'lifecycle.second_extension',
            rs.cite.extension,
            'the appointment may be reset only once',
            'chỉ được hẹn lại ngày trả kết quả một lần',
          );
        }
        const newMs = parseInstant(event.newAppointment);
        if (newMs <= at || (this.baseMs !== undefined && newMs <= this.baseMs)) {
          this.fail(
            'lifecycle.extension_not_later',
            rs.cite.extension,
            'the new appointment must be later than the current one',
            'ngày hẹn mới phải sau ngày hẹn hiện tại',
          );
        }
        const issued = parseInstant(event.apologyLetter.issuedAt);
        if (this.baseMs !== undefined) {
          const lead = this.cal.workingMinutesBetweenMs(issued, this.baseMs);
          if (lead < rs.apologyLeadWorkingDays * this.cal.nominalDayMinutes) {
            this.eventWarnings.push({
              code: 'apologyLate',
              message: {
                vi: `Phiếu xin lỗi phát hành muộn: phải trước ngày hẹn ít nhất ${rs.apologyLeadWorkingDays} ngày`,
                en: `Apology letter issued late: it must go out at least ${rs.apologyLeadWorkingDays} day before the appointment`,
              },
              source: rs.cite.extension,
              at: event.apologyLetter.issuedAt,
            });
          }
        }
        this.extensions++;
        this.extendedMs = newMs;
        break;
      }
      case 'resolved':
        if (!open)
          this.fail(
            'lifecycle.not_in_progress',
            rs.cite.clockStart,
            `resolution while the dossier is ${phase}`,
            `có kết quả khi hồ sơ đang ở trạng thái ${phase}`,
          );
        this.closeStep(at);
        this.resolvedMs = at;
        this.phase = 'resolved';
        break;
      case 'returned':
        if (phase !== 'resolved' && phase !== 'refused')
          this.fail(
            'lifecycle.not_resolved',
            'return after resolution',
            'result returned before it was resolved',
            'trả kết quả khi chưa có kết quả',
          );
        this.returnedMs = at;
        if (phase === 'resolved') this.phase = 'returned';
        break;
      case 'refused': {
        if (phase === 'resolved')
          this.fail(
            'lifecycle.after_end',
            rs.cite.refusal,
            'refusal after resolution',
            'từ chối sau khi đã có kết quả',
          );
        const due = this.extendedMs ?? this.baseMs;
        if (due !== undefined && at > due) {
          this.eventWarnings.push({
            code: 'refusalLate',
            message: {
              vi: 'Văn bản từ chối ban hành sau thời hạn giải quyết',
              en: 'Refusal issued after the time limit',
            },
            source: rs.cite.refusal,
            at: event.at,
          });
        }
        this.end(at, 'refused');
        break;
      }
      case 'stopped':
        if (phase === 'resolved')
          this.fail(
            'lifecycle.after_end',
            rs.cite.stop,
            'withdrawal after the decision',
            'rút hồ sơ sau khi đã có kết quả',
          );
        this.end(at, 'stopped');
        break;
      case 'closed':
        if (phase !== 'waitingSupplement')
          this.fail(
            'lifecycle.not_waiting_supplement',
            rs.cite.supplementClose,
            'closing for lack of supplement while none is awaited',
            'đóng hồ sơ do không bổ sung khi không chờ bổ sung',
          );
        this.end(at, 'closed');
        break;
    }
    this.lastMs = at;
    this.count++;
    return this;
  }

  private closeStep(at: number): void {
    const s = this.steps[this.steps.length - 1];
    if (s && s.endedMs === undefined) s.endedMs = at;
  }

  private end(at: number, phase: Phase): void {
    if (this.phase === 'paused' && this.pausedAtMs !== undefined)
      this.pausedMinutes += this.cal.workingMinutesBetweenMs(this.pausedAtMs, at);
    this.closeStep(at);
    this.endedMs = at;
    this.phase = phase;
  }

  private supplementCloseDeadline(): number | undefined {
    if (this.requestedMs === undefined) return undefined;
    const { value, unit } = this.policy.supplementCloseAfter;
    if (unit === 'workingDays')
      return this.cal.addWorkingMinutesMs(this.requestedMs, value * this.cal.nominalDayMinutes);
    return this.requestedMs + value * DAY;
  }

  /**
   * The status at `at` (default: the last event's instant). `at` must not be before the last event.
   */
  status(at?: string | number): DossierStatusReport {
    if (this.phase === undefined || this.ruleSet === undefined) {
      throw new LifecycleError(
        'lifecycle.empty',
        0,
        'a dossier starts with its receipt',
        'no event yet',
        'chưa có sự kiện nào',
      );
    }
    const atMs = at === undefined ? this.lastMs : parseInstant(at);
    if (atMs < this.lastMs) {
      throw new LifecycleError(
        'lifecycle.status_before_events',
        this.count - 1,
        'status at or after the last event',
        'status asked before the last event folded in: use replay() to look back',
        'hỏi trạng thái trước sự kiện cuối: dùng replay() để xem lại',
      );
    }
    const cal = this.cal;
    const rs = this.ruleSet;
    const phase = this.phase;
    const current = this.extendedMs ?? this.baseMs;
    const judged = this.policy.extensionClassification === 'extended' ? current : this.baseMs;
    const warnings = this.eventWarnings.slice();
    const unfinished =
      phase === 'received' || phase === 'inProgress' || phase === 'paused' || phase === 'waitingSupplement';
    let remaining: number | undefined;
    let overdue = false;
    if (current !== undefined && (phase === 'received' || phase === 'inProgress')) {
      remaining = cal.workingMinutesBetweenMs(atMs, current);
      overdue = atMs > current;
    } else if (current !== undefined && phase === 'paused' && this.pausedAtMs !== undefined) {
      remaining = cal.workingMinutesBetweenMs(this.pausedAtMs, current);
      overdue = this.pausedAtMs > current;
    }
    if (
      phase === 'received' &&
      this.channel === 'online' &&
      this.acceptedMs === undefined &&
      rs.onlineAckWorkingHours !== undefined
    ) {
      const deadline = cal.addWorkingMinutesMs(
        cal.isWorkingTimeMs(this.receivedMs) ? this.receivedMs : cal.nextWorkingStartMs(this.receivedMs),
        rs.onlineAckWorkingHours * 60,
      );
      if (atMs > deadline) {
        warnings.push({
          code: 'onlineAckOverdue',
          message: {
            vi: `Hồ sơ trực tuyến chưa được tiếp nhận chính thức sau ${rs.onlineAckWorkingHours} giờ làm việc`,
            en: `Online dossier not officially received within ${rs.onlineAckWorkingHours} working hours`,
          },
          source: rs.cite.onlineAck,
          at: toInstant(deadline),
        });
      }
    }
    if (
      (phase === 'received' || phase === 'inProgress') &&
      this.extensions === 0 &&
      remaining !== undefined &&
      current !== undefined
    ) {
      const lead = rs.apologyLeadWorkingDays * cal.nominalDayMinutes;
      if (remaining <= 0) {
        warnings.push({
          code: 'apologyMissed',
          message: {
            vi: 'Hồ sơ quá hạn mà chưa có phiếu xin lỗi và hẹn lại',
            en: 'Overdue with no apology letter and new appointment',
          },
          source: rs.cite.extension,
          at: toInstant(current),
        });
      } else if (remaining <= lead) {
        warnings.push({
          code: 'apologyDue',
          message: {
            vi: `Còn ${Math.round(remaining / 6) / 10} giờ làm việc: nếu sẽ trễ hạn, phải gửi phiếu xin lỗi và hẹn lại trước ngày hẹn ít nhất ${rs.apologyLeadWorkingDays} ngày`,
            en: `${Math.round(remaining / 6) / 10} working hours left: if the result will be late, the apology letter must go out at least ${rs.apologyLeadWorkingDays} day before the appointment`,
          },
          source: rs.cite.extension,
          at: toInstant(current),
        });
      }
    }
    const closeDeadline = phase === 'waitingSupplement' ? this.supplementCloseDeadline() : undefined;
    if (closeDeadline !== undefined && atMs >= closeDeadline) {
      warnings.push({
        code: 'supplementOverdue',
        message: {
          vi: 'Quá hạn bổ sung hồ sơ: hồ sơ có thể bị đóng (cần ghi sự kiện closed)',
          en: 'Supplement deadline passed: the dossier may be closed (record a closed event)',
        },
        source: rs.cite.supplementClose,
        at: toInstant(closeDeadline),
      });
    }
    const finishMs = this.resolvedMs ?? this.endedMs;
    let lateStep: string | undefined;
    const steps: StepSnapshot[] = this.steps.map((s, idx) => {
      const end = s.endedMs ?? finishMs ?? atMs;
      const late = s.deadlineMs !== undefined && end > s.deadlineMs;
      if (late && idx === this.steps.length - 1 && s.endedMs === undefined && unfinished) {
        lateStep = s.step;
        warnings.push({
          code: 'stepLate',
          message: {
            vi: `Bước "${s.step}" đã quá thời hạn của bước`,
            en: `Step "${s.step}" is past its own deadline`,
          },
          source: 'quy trình nội bộ',
          at: toInstant(s.deadlineMs!),
        });
      }
      return {
        step: s.step,
        to: s.to,
        startedMs: s.startedMs,
        deadlineMs: s.deadlineMs,
        endedMs: s.endedMs,
        late,
      };
    });
    return new StatusReport({
      atMs,
      phase,
      ruleSet: rs.id,
      channel: this.channel,
      receivedMs: this.receivedMs,
      acceptedMs: this.acceptedMs,
      countedFromMs: this.countedFromMs,
      originalMs: this.originalMs,
      currentMs: current,
      judgedMs: judged,
      extendedMs: this.extendedMs,
      remaining,
      overdue,
      steps,
      lateStep,
      warnings,
      classification:
        this.resolvedMs !== undefined && judged !== undefined ? classify(this.resolvedMs, judged) : undefined,
      lateInIndex: this.requests > rs.maxSupplementRequests,
      resolvedMs: this.resolvedMs,
      returnedMs: this.returnedMs,
      endedMs: this.endedMs,
      requests: this.requests,
      requestedMs: this.requestedMs,
      suppReceivedMs: this.suppReceivedMs,
      closeDeadlineMs: closeDeadline,
      pausedMinutes: this.pausedMinutes,
      paid: this.paid,
      paidOnline: this.paidOnline,
    });
  }
}

interface StepSnapshot {
  step: string;
  to: OfficerRef | undefined;
  startedMs: number;
  deadlineMs: number | undefined;
  endedMs: number | undefined;
  late: boolean;
}

interface StatusData {
  atMs: number;
  phase: Phase;
  ruleSet: RuleSet['id'];
  channel: Channel;
  receivedMs: number;
  acceptedMs: number | undefined;
  countedFromMs: number | undefined;
  originalMs: number | undefined;
  currentMs: number | undefined;
  judgedMs: number | undefined;
  extendedMs: number | undefined;
  remaining: number | undefined;
  overdue: boolean;
  steps: StepSnapshot[];
  lateStep: string | undefined;
  warnings: DeadlineWarning[];
  classification: Classification | undefined;
  lateInIndex: boolean;
  resolvedMs: number | undefined;
  returnedMs: number | undefined;
  endedMs: number | undefined;
  requests: number;
  requestedMs: number | undefined;
  suppReceivedMs: number | undefined;
  closeDeadlineMs: number | undefined;
  pausedMinutes: number;
  paid: boolean;
  paidOnline: boolean;
}

const opt = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : toInstant(ms));

/**
 * The status report. Every figure is computed when it is made; its instants are formatted as ISO strings
 * on first read (a dashboard that only counts phases never pays for them). `JSON.stringify` gives the
 * full plain form (see {@link StatusReport.toJSON}).
 */
class StatusReport implements DossierStatusReport {
  readonly phase: Phase;
  readonly ruleSet: RuleSet['id'];
  readonly channel: Channel;
  readonly overdue: boolean;
  readonly warnings: DeadlineWarning[];
  readonly lateInIndex: boolean;
  readonly pausedMinutes: number;
  readonly paid: boolean;
  readonly paidOnline: boolean;
  readonly remainingMinutes?: number;
  readonly lateStep?: string;
  readonly classification?: Classification;
  readonly #d: StatusData;
  #appointment: DossierStatusReport['appointment'] | undefined;
  #supplement: DossierStatusReport['supplement'] | undefined;
  #steps: StepStatus[] | undefined;

  constructor(d: StatusData) {
    this.#d = d;
    this.phase = d.phase;
    this.ruleSet = d.ruleSet;
    this.channel = d.channel;
    this.overdue = d.overdue;
    this.warnings = d.warnings;
    this.lateInIndex = d.lateInIndex;
    this.pausedMinutes = d.pausedMinutes;
    this.paid = d.paid;
    this.paidOnline = d.paidOnline;
    if (d.remaining !== undefined) this.remainingMinutes = d.remaining;
    if (d.lateStep !== undefined) this.lateStep = d.lateStep;
    if (d.classification !== undefined) this.classification = d.classification;
  }

  get at(): string {
    return toInstant(this.#d.atMs);
  }
  get receivedAt(): string {
    return toInstant(this.#d.receivedMs);
  }
  get acceptedAt(): string | undefined {
    return opt(this.#d.acceptedMs);
  }
  get countedFrom(): string | undefined {
    return opt(this.#d.countedFromMs);
  }
  get resolvedAt(): string | undefined {
    return opt(this.#d.resolvedMs);
  }
  get returnedAt(): string | undefined {
    return opt(this.#d.returnedMs);
  }
  get endedAt(): string | undefined {
    return opt(this.#d.endedMs);
  }

  get appointment(): DossierStatusReport['appointment'] {
    if (this.#appointment === undefined) {
      const d = this.#d;
      const a: DossierStatusReport['appointment'] = {};
      if (d.originalMs !== undefined) a.original = toInstant(d.originalMs);
      if (d.currentMs !== undefined) a.current = toInstant(d.currentMs);
      if (d.judgedMs !== undefined) a.judgedAgainst = toInstant(d.judgedMs);
      if (d.extendedMs !== undefined) a.extended = toInstant(d.extendedMs);
      this.#appointment = a;
    }
    return this.#appointment;
  }

  get supplement(): DossierStatusReport['supplement'] {
    if (this.#supplement === undefined) {
      const d = this.#d;
      const s: DossierStatusReport['supplement'] = { requests: d.requests };
      if (d.requestedMs !== undefined) s.requestedAt = toInstant(d.requestedMs);
      if (d.suppReceivedMs !== undefined) s.receivedAt = toInstant(d.suppReceivedMs);
      if (d.closeDeadlineMs !== undefined) s.closeDeadline = toInstant(d.closeDeadlineMs);
      this.#supplement = s;
    }
    return this.#supplement;
  }

  get steps(): StepStatus[] {
    this.#steps ??= this.#d.steps.map((s) => {
      const out: StepStatus = { step: s.step, startedAt: toInstant(s.startedMs), late: s.late };
      if (s.to) out.to = s.to;
      if (s.deadlineMs !== undefined) out.deadline = toInstant(s.deadlineMs);
      if (s.endedMs !== undefined) out.endedAt = toInstant(s.endedMs);
      return out;
    });
    return this.#steps;
  }

  /** The plain form, every instant formatted, absent values left out. */
  toJSON(): DossierStatusReport {
    const out: DossierStatusReport = {
      at: this.at,
      phase: this.phase,
      ruleSet: this.ruleSet,
      channel: this.channel,
      receivedAt: this.receivedAt,
      appointment: this.appointment,
      overdue: this.overdue,
      steps: this.steps,
      warnings: this.warnings,
      lateInIndex: this.lateInIndex,
      supplement: this.supplement,
      pausedMinutes: this.pausedMinutes,
      paid: this.paid,
      paidOnline: this.paidOnline,
    };
    for (const key of [
      'acceptedAt',
      'countedFrom',
      'remainingMinutes',
      'lateStep',
      'classification',
      'resolvedAt',
      'returnedAt',
      'endedAt',
    ] as const) {
      const v = this[key];
      if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
    }
    return out;
  }
}

/**
 * Replays a dossier's events into its status at instant `at`: phase, the appointments (original,
 * current, judged), remaining or overdue working time, per-step deadlines, the warnings the rules require,
 * and the classification of a finished dossier. Events after `at` are ignored, so the status at `at` never
 * depends on them. Illegal sequences throw a {@link LifecycleError} naming the event and the rule.
 *
 * @example
 * ```ts
 * import { replay } from '@motcua/deadlines';
 * const status = replay(
 *   [
 *     { type: 'received', at: '2026-03-02T08:00:00+07:00', channel: 'direct' },
 *     { type: 'resolved', at: '2026-03-04T10:00:00+07:00' },
 *   ],
 *   { at: '2026-03-05T09:00:00+07:00', limit: { unit: 'workingDays', value: 3 } },
 * );
 * status.classification; // 'early': the appointment is Thu 5 Mar 08:00 and it was resolved the day before
 * ```
 */
export function replay(
  events: readonly DossierEvent[],
  options: ReplayOptions & { at?: string | number },
): DossierStatusReport {
  const r = new DossierReplay(options);
  const atMs = options.at === undefined ? undefined : parseInstant(options.at);
  for (const e of events) {
    if (atMs !== undefined && parseInstant(e.at) > atMs) continue;
    r.push(e);
  }
  return r.status(atMs ?? undefined);
}
