import type { LocalizedMessage } from '@motcua/core';

/** The warning codes replay raises, each tied to a rule. */
export type WarningCode =
  | 'onlineAckOverdue'
  | 'onlineAckLate'
  | 'supplementRequestLate'
  | 'multipleSupplementRequests'
  | 'supplementOverdue'
  | 'apologyDue'
  | 'apologyMissed'
  | 'apologyLate'
  | 'refusalLate'
  | 'stepLate'
  | 'provisionalCalendar';

/** A warning the rules require an officer to see. */
export interface DeadlineWarning {
  code: WarningCode;
  message: LocalizedMessage;
  /** The rule. */
  source: string;
  /** The instant it refers to (a deadline, or the event that broke the rule). */
  at?: string;
}
