import { defaultWorkCalendar, type WorkCalendar } from '@motcua/calendar';

/** The calendar the engine counts with: a `@motcua/calendar` work calendar. */
export type WorkingCalendar = WorkCalendar;

/** The national civil-service calendar with default hours, used when no calendar is given. */
export function defaultCalendar(): WorkingCalendar {
  return defaultWorkCalendar;
}
