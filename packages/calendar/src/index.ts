// @motcua/calendar: the public surface. Re-exports only.

export { addDays, weekdayOf } from './dates.js';
export { CalendarError } from './errors.js';
export {
  HOLIDAY_RANGE,
  type HolidayOptions,
  holidaysOf,
  SCHEDULE_YEARS,
  scheduleOf,
  workingWeekendsOf,
} from './holidays/holidays.js';
export {
  type Holiday,
  type HolidaySchedule,
  type HolidayScheduleInput,
  HolidayScheduleSchema,
  HolidaySchema,
  type WorkingWeekend,
  WorkingWeekendSchema,
} from './holidays/schema.js';
export { dateOf, parseInstant, toInstant } from './instant.js';
export {
  canChi,
  canChiOfYear,
  LUNAR_RANGE,
  type LunarDate,
  type LunarMonth,
  type LunarYearInfo,
  lunarToSolar,
  lunarYear,
  type SolarTerm,
  solarTermsOf,
  solarToLunar,
  UTC7_FROM_SOLSTICE_OF,
} from './lunar/lunar.js';
export {
  SessionSchema,
  WeekSchema,
  type WorkCalendarConfig,
  type WorkCalendarConfigInput,
  WorkCalendarConfigSchema,
} from './work/config.js';
export {
  createWorkCalendar,
  type DayInfo,
  type DayReason,
  defaultWorkCalendar,
  type WorkCalendar,
  type WorkingDuration,
  type WorkingPeriod,
} from './work/work-calendar.js';
