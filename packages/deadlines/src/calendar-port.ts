import { createWorkCalendar, defaultWorkCalendar, type WorkCalendar } from '@motcua/calendar';
import type { DeadlinePolicy } from './policy.js';

/** The calendar the engine counts with: a `@motcua/calendar` work calendar. */
export type WorkingCalendar = WorkCalendar;

let withCultureMakeUp: WorkCalendar | undefined;

/**
 * The national civil-service calendar with default hours, used when no calendar is given; with the policy
 * `culturalDayMakeUp`, the same calendar making up Vietnam Culture Day when it falls on a weekend.
 */
export function defaultCalendar(policy?: DeadlinePolicy): WorkingCalendar {
  if (policy?.culturalDayMakeUp) {
    withCultureMakeUp ??= createWorkCalendar({ culturalDayMakeUp: true });
    return withCultureMakeUp;
  }
  return defaultWorkCalendar;
}
