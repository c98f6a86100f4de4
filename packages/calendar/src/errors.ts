import { MotcuaError, type MotcuaErrorOptions } from '@motcua/core';

/**
 * An error of the calendar with a stable `code`: `calendar.date_invalid`, `calendar.instant_offset`,
 * `calendar.instant_invalid`, `calendar.out_of_range`, `calendar.lunar_invalid`, `calendar.not_working_day`,
 * `calendar.negative_duration`.
 *
 * @example
 * ```ts
 * import { lunarToSolar, CalendarError } from '@motcua/calendar';
 * try { lunarToSolar({ year: 2026, month: 1, day: 30, leap: false }); }
 * catch (e) { if (e instanceof CalendarError) console.log(e.code); } // 'calendar.lunar_invalid'
 * ```
 */
export class CalendarError extends MotcuaError {
  constructor(code: string, en: string, vi: string, options: Omit<MotcuaErrorOptions, 'vi'> = {}) {
    super(code, en, { ...options, vi });
    this.name = 'CalendarError';
  }
}
