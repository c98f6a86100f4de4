import { addDays, dateOf, parseInstant, toInstant } from '@motcua/calendar';
import type { Channel, ProcedureLimit, SimpleProcedureLimit } from '@motcua/core';
import { defaultCalendar, type WorkingCalendar } from './calendar-port.js';
import { DeadlineError } from './errors.js';
import { type ExplanationStep, explainAppointment } from './explain.js';
import { type DeadlinePolicy, type DeadlinePolicyInput, resolvePolicy } from './policy.js';
import { type RuleSet, ruleSetAt } from './rulesets.js';
import { addMonths, hhmm, localMidnight, MINUTE } from './time.js';

/** Input of {@link computeAppointment}. */
export interface AppointmentInput {
  /** When the complete dossier was received (or filed online): ISO 8601 with offset, or epoch ms. */
  receivedAt: string | number;
  /** The procedure's limit (core's `ProcedureLimit`). */
  limit: ProcedureLimit;
  /** How it arrived. Default `direct`. */
  channel?: Channel;
  /** The unit's work calendar. Default: the national civil-service calendar with default hours. */
  calendar?: WorkingCalendar;
  /** Named policy options (see {@link DeadlinePolicySchema}). */
  policy?: DeadlinePolicyInput;
  /** Verification is needed: the limit's `onVerification` applies when it has one. */
  verification?: boolean;
}

/** Why the counting start differs from the receipt. */
export type StartMove = 'none' | 'outsideHours' | 'afterCutoff';

/** The result of {@link computeAppointment}. */
export interface Appointment {
  /** The receipt, normalised to +07:00. */
  receivedAt: string;
  /** When the limit starts counting. */
  countedFrom: string;
  /** The appointment (hẹn trả kết quả): the instant the result is due, at +07:00. */
  appointment: string;
  /** The limit actually applied (the verification alternative when it applied). */
  appliedLimit: SimpleProcedureLimit;
  /** The rule set in force at the receipt. */
  ruleSet: RuleSet['id'];
  /** Each step, so an officer can read it to a citizen. Computed on first access. */
  readonly explanation: ExplanationStep[];
  /** True when a day counted or skipped comes from a provisional schedule (no official notice yet). */
  readonly provisional: boolean;
}

/** The numeric core of an appointment, epoch milliseconds. */
export interface AppointmentMs {
  receivedMs: number;
  countedFromMs: number;
  appointmentMs: number;
  move: StartMove;
  /** The cut-off that moved the start, `HH:MM`. */
  cutoff: string | undefined;
  applied: SimpleProcedureLimit;
  ruleSet: RuleSet;
}

const UNITS = new Set(['workingDays', 'workingHours', 'calendarDays', 'months', 'sameDay', 'immediate']);
const checked = new WeakSet<object>();

function checkLimit(limit: ProcedureLimit | SimpleProcedureLimit, path = 'limit'): void {
  if (checked.has(limit)) return;
  if (limit === null || typeof limit !== 'object' || !UNITS.has((limit as { unit: string }).unit)) {
    throw new DeadlineError(
      'deadlines.limit_invalid',
      `${path}.unit must be one of workingDays, workingHours, calendarDays, months, sameDay, immediate`,
      `${path}.unit phải là một trong workingDays, workingHours, calendarDays, months, sameDay, immediate`,
      { details: { path: `${path}.unit` } },
    );
  }
  if ('value' in limit || (limit.unit !== 'sameDay' && limit.unit !== 'immediate')) {
    const v = (limit as { value?: unknown }).value;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new DeadlineError(
        'deadlines.limit_invalid',
        `${path}.value must be a number greater than 0`,
        `${path}.value phải là số lớn hơn 0`,
        {
          details: { path: `${path}.value` },
        },
      );
    }
  }
  if (limit.cutoff !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(limit.cutoff)) {
    throw new DeadlineError(
      'deadlines.limit_invalid',
      `${path}.cutoff must be HH:MM`,
      `${path}.cutoff phải có dạng HH:MM`,
      {
        details: { path: `${path}.cutoff` },
      },
    );
  }
  const ov = (limit as ProcedureLimit).onVerification;
  if (ov !== undefined) checkLimit(ov, `${path}.onVerification`);
  checked.add(limit);
}

/** The working day an instant belongs to for counting: its own date in working time, else the next working start's. */
function workingDayOf(cal: WorkingCalendar, ms: number): string {
  return cal.isWorkingTimeMs(ms) ? dateOf(ms) : dateOf(cal.nextWorkingStartMs(ms));
}

/** The working day on or after `date`. */
function onOrNextWorkingDay(cal: WorkingCalendar, date: string): string {
  return cal.isWorkingDay(date) ? date : cal.nextWorkingDay(date);
}

/**
 * The numeric core of {@link computeAppointment}, for hot loops (replay, statistics): epoch ms in and out,
 * no explanation.
 *
 * @example
 * ```ts
 * import { createWorkCalendar, toInstant } from '@motcua/calendar';
 * import { appointmentMs, resolvePolicy } from '@motcua/deadlines';
 * const calendar = createWorkCalendar();
 * const policy = resolvePolicy();
 * const r = appointmentMs(Date.parse('2026-02-13T10:00:00+07:00'), { unit: 'workingDays', value: 3 }, 'direct', calendar, policy);
 * toInstant(r.appointmentMs); // '2026-02-25T10:00:00+07:00', as computeAppointment gives
 * r.ruleSet.id; // 'decree-118-2025'
 * ```
 */
export function appointmentMs(
  receivedMs: number,
  limit: ProcedureLimit | SimpleProcedureLimit,
  channel: Channel,
  cal: WorkingCalendar,
  policy: DeadlinePolicy,
  verification = false,
): AppointmentMs {
  checkLimit(limit);
  const ruleSet = ruleSetAt(receivedMs);
  const ov = (limit as ProcedureLimit).onVerification;
  const applied: SimpleProcedureLimit =
    verification && ov !== undefined ? ov : (limit as SimpleProcedureLimit);

  // 1. When counting starts (Decree 118/2025 Art. 17.3, 18.2; policy for online dossiers).
  const cutoff =
    applied.cutoff ??
    limit.cutoff ??
    (policy.paperAfterCutoff === 'always' && channel !== 'online' ? policy.paperCutoff : undefined);
  let countedFromMs = receivedMs;
  let move: StartMove = 'none';
  let movedByCutoff: string | undefined;
  if (
    cutoff !== undefined &&
    receivedMs > localMidnight(receivedMs) + hhmm(cutoff) * MINUTE &&
    cal.isWorkingDayMs(receivedMs)
  ) {
    countedFromMs = cal.nextWorkingStartMs(cal.endOfWorkingDayMs(dateOf(receivedMs)));
    move = 'afterCutoff';
    movedByCutoff = cutoff;
  } else if (!cal.isWorkingTimeMs(receivedMs)) {
    if (!(channel === 'online' && policy.onlineOutsideHours === 'asReceived')) {
      countedFromMs = cal.nextWorkingStartMs(receivedMs);
      move = 'outsideHours';
    }
  }

  // 2. Counting.
  let apptMs: number;
  switch (applied.unit) {
    case 'workingDays':
    case 'workingHours': {
      const minutes = applied.value * (applied.unit === 'workingDays' ? cal.nominalDayMinutes : 60);
      if (policy.counting === 'endOfNthDay' && applied.unit === 'workingDays') {
        const d0 = workingDayOf(cal, countedFromMs);
        const startsDay = countedFromMs <= parseInstant(cal.startOfWorkingDay(d0));
        const first = startsDay ? d0 : cal.nextWorkingDay(d0);
        apptMs = cal.endOfWorkingDayMs(cal.addWorkingDays(first, Math.ceil(applied.value) - 1));
      } else {
        apptMs = cal.addWorkingMinutesMs(countedFromMs, Math.round(minutes));
      }
      break;
    }
    case 'calendarDays': {
      // Civil Code 2015 Art. 147-148: from the next day; a last day that is not a working day moves to the next one.
      apptMs = cal.endOfWorkingDayMs(onOrNextWorkingDay(cal, addDays(dateOf(countedFromMs), applied.value)));
      break;
    }
    case 'months': {
      apptMs = cal.endOfWorkingDayMs(
        onOrNextWorkingDay(cal, addMonths(dateOf(countedFromMs), applied.value)),
      );
      break;
    }
    case 'sameDay':
      apptMs = cal.endOfWorkingDayMs(workingDayOf(cal, countedFromMs));
      break;
    case 'immediate':
      apptMs = cal.isWorkingTimeMs(countedFromMs) ? countedFromMs : cal.nextWorkingStartMs(countedFromMs);
      break;
  }
  return { receivedMs, countedFromMs, appointmentMs: apptMs, move, cutoff: movedByCutoff, applied, ruleSet };
}

/**
 * The appointment (ngày hẹn trả kết quả) of a dossier: when its limit starts counting, when the result is
 * due, and why, step by step.
 *
 * Rules: the limit runs from the official receipt of the complete dossier (Decree 118/2025 Art. 17.3); a
 * receipt outside working time counts from the next working start (for online dossiers a policy option,
 * `onlineOutsideHours`); a receipt after the limit's cut-off (e.g. 15:00) counts from the next working day
 * (Art. 18.2 and the procedure's own rule); N working days are N nominal working days of working time
 * (policy `counting`); a limit ending exactly at the close of a working period is due at that close.
 * Calendar days and months follow Civil Code 2015 Art. 147-148.
 *
 * @throws {@link DeadlineError} for a bad limit or a date before any known rule; `CalendarError` for an
 * instant without an offset or out of the calendar's range.
 * @example
 * ```ts
 * import { computeAppointment } from '@motcua/deadlines';
 * const r = computeAppointment({
 *   receivedAt: '2026-02-13T10:00:00+07:00', // Friday before Tết Bính Ngọ
 *   limit: { unit: 'workingDays', value: 3 },
 *   channel: 'direct',
 * });
 * r.appointment; // '2026-02-25T10:00:00+07:00': Tết 16-20 Feb and two weekends skipped
 * r.explanation.map((s) => s.message.vi);
 * ```
 */
export function computeAppointment(input: AppointmentInput): Appointment {
  const policy = resolvePolicy(input.policy);
  const cal = input.calendar ?? defaultCalendar(policy);
  const receivedMs = parseInstant(input.receivedAt);
  const core = appointmentMs(
    receivedMs,
    input.limit,
    input.channel ?? 'direct',
    cal,
    policy,
    input.verification ?? false,
  );
  return makeAppointment(core, cal, input.channel ?? 'direct', policy);
}

/** The public result: the explanation is built on first access (the hot path never pays for it). */
class AppointmentResult implements Appointment {
  readonly receivedAt: string;
  readonly countedFrom: string;
  readonly appointment: string;
  readonly appliedLimit: SimpleProcedureLimit;
  readonly ruleSet: RuleSet['id'];
  #explained: { steps: ExplanationStep[]; provisional: boolean } | undefined;
  readonly #core: AppointmentMs;
  readonly #cal: WorkingCalendar;
  readonly #channel: Channel;
  readonly #policy: DeadlinePolicy;

  constructor(core: AppointmentMs, cal: WorkingCalendar, channel: Channel, policy: DeadlinePolicy) {
    this.receivedAt = toInstant(core.receivedMs);
    this.countedFrom = toInstant(core.countedFromMs);
    this.appointment = toInstant(core.appointmentMs);
    this.appliedLimit = core.applied;
    this.ruleSet = core.ruleSet.id;
    this.#core = core;
    this.#cal = cal;
    this.#channel = channel;
    this.#policy = policy;
  }

  get explanation(): ExplanationStep[] {
    this.#explained ??= explainAppointment(this.#core, this.#cal, this.#channel, this.#policy);
    return this.#explained.steps;
  }

  get provisional(): boolean {
    this.#explained ??= explainAppointment(this.#core, this.#cal, this.#channel, this.#policy);
    return this.#explained.provisional;
  }

  /** The plain JSON form, explanation included. */
  toJSON(): Omit<Appointment, 'toJSON'> {
    const { receivedAt, countedFrom, appointment, appliedLimit, ruleSet, explanation, provisional } = this;
    return { receivedAt, countedFrom, appointment, appliedLimit, ruleSet, explanation, provisional };
  }
}

/** Wraps a numeric appointment into the public result with a lazy explanation. */
export function makeAppointment(
  core: AppointmentMs,
  cal: WorkingCalendar,
  channel: Channel,
  policy: DeadlinePolicy,
): Appointment {
  return new AppointmentResult(core, cal, channel, policy);
}
