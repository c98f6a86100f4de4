import { DateSchema, TimeOfDaySchema } from '@motcua/core';
import { z } from 'zod';
import { HolidayScheduleSchema } from '../holidays/schema.js';

const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const rule = (code: string, en: string, vi: string) => ({ message: en, params: { code, vi } });

/** A working session `start`-`end` (`HH:MM`, UTC+7), e.g. 07:30-11:30. */
export const SessionSchema = z
  .object({ start: TimeOfDaySchema, end: TimeOfDaySchema.or(z.literal('24:00')) })
  .refine((s) => toMin(s.start) < toMin(s.end), {
    ...rule(
      'calendar.session_inverted',
      'A session ends after it starts',
      'Phiên làm việc phải kết thúc sau khi bắt đầu',
    ),
    path: ['end'],
  });

const sessions = z.array(SessionSchema).superRefine((list, ctx) => {
  for (let i = 1; i < list.length; i++) {
    if (toMin(list[i]!.start) < toMin(list[i - 1]!.end)) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'start'],
        ...rule(
          'calendar.sessions_overlap',
          'Sessions must be in order and must not overlap',
          'Các phiên phải theo thứ tự và không chồng lấn',
        ),
      });
    }
  }
});

const DEFAULT_DAY = [
  { start: '07:30', end: '11:30' },
  { start: '13:00', end: '17:00' },
];

/** Sessions per weekday. Default Monday-Friday 07:30-11:30 and 13:00-17:00, no Saturday or Sunday. */
export const WeekSchema = z.object({
  mon: sessions.default(DEFAULT_DAY),
  tue: sessions.default(DEFAULT_DAY),
  wed: sessions.default(DEFAULT_DAY),
  thu: sessions.default(DEFAULT_DAY),
  fri: sessions.default(DEFAULT_DAY),
  sat: sessions.default([]),
  sun: sessions.default([]),
});

const MonthDay = z
  .string()
  .regex(
    /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
    rule('calendar.month_day', 'Must be MM-DD', 'Phải có dạng MM-DD'),
  );
const Reason = z.object({ vi: z.string().min(1), en: z.string().min(1) });

/**
 * A unit's work calendar, serialisable to JSON: its week, seasonal hours, extra working days, closures
 * (whole or part days, e.g. a typhoon), extra holiday schedules, and the counting settings. All times at
 * UTC+7.
 *
 * @example
 * ```ts
 * import { createWorkCalendar } from '@motcua/calendar';
 * const cal = createWorkCalendar({
 *   week: { mon: [{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }] },
 *   seasons: [{ from: '04-15', to: '10-15', week: { mon: [{ start: '07:00', end: '11:00' }, { start: '13:30', end: '17:30' }] } }],
 *   closures: [{ date: '2026-09-15', reason: { vi: 'Bão số 5', en: 'Typhoon No. 5' } }],
 *   reception: { sat: [{ start: '07:30', end: '11:30' }] },
 * });
 * ```
 */
export const WorkCalendarConfigSchema = z
  .object({
    name: z.string().optional(),
    week: WeekSchema.default(WeekSchema.parse({})),
    /** Seasonal hours: from `MM-DD` to `MM-DD` (inclusive, may wrap the year), replacing the given weekdays. */
    seasons: z
      .array(
        z.object({ from: MonthDay, to: MonthDay, week: WeekSchema.partial(), name: z.string().optional() }),
      )
      .default([]),
    /** Days worked besides the week (sessions default to Monday's). */
    extraWorkingDays: z
      .array(z.object({ date: DateSchema, sessions: sessions.optional(), reason: Reason }))
      .default([]),
    /** Closures: a whole day, or `from`-`to` of it. */
    closures: z
      .array(
        z.object({
          date: DateSchema,
          from: TimeOfDaySchema.optional(),
          to: TimeOfDaySchema.or(z.literal('24:00')).optional(),
          reason: Reason,
        }),
      )
      .default([]),
    /** Holiday schedules that add to or replace the built-in ones (e.g. next year's, before a release). */
    schedules: z.array(HolidayScheduleSchema).default([]),
    /** Make up Vietnam Culture Day (24/11) when it falls on a weekend. Default false. */
    culturalDayMakeUp: z.boolean().default(false),
    /** Minutes in a nominal working day ("N working days" = N × this). Default 480 (8 h). */
    nominalDayMinutes: z.number().int().min(60).max(1440).default(480),
    /** Reception hours, e.g. Saturday mornings. They do not count toward limits unless `countReception`. */
    reception: WeekSchema.partial().optional(),
    /** Count reception hours outside the week as working time. Default false. */
    countReception: z.boolean().default(false),
    /** Years the calendar covers. Default 2014-2035. */
    range: z
      .object({ from: z.number().int().min(2014).max(2199), to: z.number().int().min(2014).max(2199) })
      .default({ from: 2014, to: 2035 }),
  })
  .superRefine((c, ctx) => {
    if (c.range.to < c.range.from)
      ctx.addIssue({
        code: 'custom',
        path: ['range', 'to'],
        ...rule('calendar.range_inverted', 'range.to is before range.from', 'range.to trước range.from'),
      });
    const inRange = (date: string) => {
      const y = Number(date.slice(0, 4));
      return y >= c.range.from && y <= c.range.to;
    };
    c.closures.forEach((cl, i) => {
      if (!inRange(cl.date))
        ctx.addIssue({
          code: 'custom',
          path: ['closures', i, 'date'],
          ...rule(
            'calendar.closure_out_of_range',
            'A closure must fall inside the calendar range',
            'Ngày đóng cửa phải nằm trong phạm vi của lịch',
          ),
        });
      if ((cl.from === undefined) !== (cl.to === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['closures', i, cl.from === undefined ? 'from' : 'to'],
          ...rule(
            'calendar.closure_partial',
            'A part-day closure needs both from and to',
            'Đóng cửa một phần ngày cần cả from và to',
          ),
        });
      } else if (cl.from !== undefined && cl.to !== undefined && toMin(cl.from) >= toMin(cl.to)) {
        ctx.addIssue({
          code: 'custom',
          path: ['closures', i, 'to'],
          ...rule(
            'calendar.closure_inverted',
            'A closure ends after it starts',
            'Thời gian đóng cửa phải kết thúc sau khi bắt đầu',
          ),
        });
      }
    });
    c.extraWorkingDays.forEach((e, i) => {
      if (!inRange(e.date))
        ctx.addIssue({
          code: 'custom',
          path: ['extraWorkingDays', i, 'date'],
          ...rule(
            'calendar.extra_out_of_range',
            'An extra working day must fall inside the calendar range',
            'Ngày làm việc thêm phải nằm trong phạm vi của lịch',
          ),
        });
    });
  });
export type WorkCalendarConfig = z.output<typeof WorkCalendarConfigSchema>;
export type WorkCalendarConfigInput = z.input<typeof WorkCalendarConfigSchema>;
