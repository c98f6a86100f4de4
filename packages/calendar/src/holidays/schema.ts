import { DateSchema, LocalizedTextSchema } from '@motcua/core';
import { z } from 'zod';

/** A day off for civil servants. */
export const HolidaySchema = z.object({
  date: DateSchema,
  name: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
  /**
   * `statutory` (a public holiday of Labor Code Art. 112, or Culture Day), `compensatory` (made up for a
   * holiday on a weekly rest day, Art. 111(3)), `swapped-off` (a working day given off in exchange for a
   * Saturday worked).
   */
  kind: z.enum(['statutory', 'compensatory', 'swapped-off']),
  /** The document that set it. */
  source: z.string().min(1),
  /** Not from an announced schedule: computed by the rules and the pattern of recent notices. */
  provisional: z.boolean().optional(),
});
export type Holiday = z.infer<typeof HolidaySchema>;

/** A Saturday (or Sunday) worked in exchange for a day off. */
export const WorkingWeekendSchema = z.object({
  date: DateSchema,
  /** The day given off in exchange. */
  swappedWith: DateSchema.optional(),
  name: LocalizedTextSchema.optional(),
  source: z.string().min(1),
  provisional: z.boolean().optional(),
});
export type WorkingWeekend = z.infer<typeof WorkingWeekendSchema>;

/**
 * The official schedule of one year for civil servants (days off and Saturdays worked), as a JSON
 * document a province can pass to the calendar before a release ships it. A schedule replaces the
 * computed days of its year entirely, so list every day off of the year (weekday or not).
 *
 * @example
 * ```ts
 * import { HolidayScheduleSchema, createWorkCalendar } from '@motcua/calendar';
 * const s2027 = HolidayScheduleSchema.parse(JSON.parse(text)); // e.g. from the Ministry of Home Affairs notice
 * const cal = createWorkCalendar({ schedules: [s2027] });
 * ```
 */
export const HolidayScheduleSchema = z
  .object({
    year: z.number().int().min(1900).max(2199),
    /** The notice(s) the schedule comes from. */
    source: z.string().min(1),
    holidays: z.array(HolidaySchema),
    workingWeekends: z.array(WorkingWeekendSchema).default([]),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.holidays.forEach((h, i) => {
      if (!h.date.startsWith(`${s.year}-`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', i, 'date'],
          message: `date is not in ${s.year}`,
          params: { code: 'schedule.year_mismatch', vi: `ngày không thuộc năm ${s.year}` },
        });
      }
      if (seen.has(h.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', i, 'date'],
          message: 'date listed twice',
          params: { code: 'schedule.duplicate', vi: 'ngày bị lặp' },
        });
      }
      seen.add(h.date);
    });
    s.workingWeekends.forEach((w, i) => {
      if (seen.has(w.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workingWeekends', i, 'date'],
          message: 'a working weekend day is also a day off',
          params: { code: 'schedule.conflict', vi: 'ngày làm bù trùng ngày nghỉ' },
        });
      }
    });
  });
export type HolidaySchedule = z.output<typeof HolidayScheduleSchema>;
export type HolidayScheduleInput = z.input<typeof HolidayScheduleSchema>;
