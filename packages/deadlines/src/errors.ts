import { MotcuaError, type MotcuaErrorOptions } from '@motcua/core';

/**
 * An error of the deadlines engine with a stable `code`: `deadlines.no_rule` (a date before any rule the
 * library knows), `deadlines.limit_invalid`, `deadlines.policy_invalid`, `deadlines.input_invalid`.
 *
 * @example
 * ```ts
 * import { DeadlineError } from '@motcua/deadlines';
 * try { computeAppointment(input); } catch (e) { if (e instanceof DeadlineError) console.log(e.code); }
 * ```
 */
export class DeadlineError extends MotcuaError {
  constructor(code: string, en: string, vi: string, options: Omit<MotcuaErrorOptions, 'vi'> = {}) {
    super(code, en, { ...options, vi });
    this.name = 'DeadlineError';
  }
}

/**
 * An illegal sequence of dossier events, naming the event's index and the rule it breaks. Codes:
 * `lifecycle.first_not_received`, `lifecycle.order`, `lifecycle.after_end`, `lifecycle.resolved_before_received`,
 * `lifecycle.supplement_not_requested`, `lifecycle.second_extension`, `lifecycle.not_paused`,
 * `lifecycle.already_paused`, `lifecycle.not_waiting_supplement`, `lifecycle.not_resolved`,
 * `lifecycle.extension_not_later`, `lifecycle.duplicate_received`, `lifecycle.not_in_progress`.
 *
 * @example
 * ```ts
 * import { replay, LifecycleError } from '@motcua/deadlines';
 * try { replay(events, { at, limit }); } catch (e) {
 *   if (e instanceof LifecycleError) console.log(e.eventIndex, e.code);
 * }
 * ```
 */
export class LifecycleError extends DeadlineError {
  /** Index in the event list of the offending event. */
  readonly eventIndex: number;
  /** The rule broken, with its source. */
  readonly rule: string;

  constructor(code: string, eventIndex: number, rule: string, en: string, vi: string) {
    super(code, `Event #${eventIndex}: ${en} (${rule})`, `Sự kiện #${eventIndex}: ${vi} (${rule})`, {
      details: { eventIndex, rule },
    });
    this.name = 'LifecycleError';
    this.eventIndex = eventIndex;
    this.rule = rule;
  }
}
