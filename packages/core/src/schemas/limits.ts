import { z } from 'zod';
import { rule, TimeOfDaySchema } from './primitives.js';

const positive = (what: string) =>
  z
    .number()
    .positive(rule('limit.value_positive', `${what} must be greater than 0`, `${what} phải lớn hơn 0`))
    .max(10_000, rule('limit.value_max', `${what} is implausibly large`, `${what} quá lớn`));

const common = {
  /**
   * Cut-off time `HH:MM`: a dossier received after it starts counting on the next working day
   * (e.g. `15:00` for certified copies, Decree 23/2015 Art. 7; Decree 118/2025 Art. 18.2).
   */
  cutoff: TimeOfDaySchema.optional(),
};

const baseLimit = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('workingDays'), value: positive('Working days'), ...common }),
  z.object({ unit: z.literal('workingHours'), value: positive('Working hours'), ...common }),
  z.object({ unit: z.literal('calendarDays'), value: positive('Calendar days').int(), ...common }),
  z.object({ unit: z.literal('months'), value: positive('Months').int(), ...common }),
  z.object({ unit: z.literal('sameDay'), ...common }),
  z.object({ unit: z.literal('immediate'), ...common }),
]);

/** A limit without the verification alternative (the shape of `onVerification`). */
export const SimpleProcedureLimitSchema = baseLimit;
export type SimpleProcedureLimit = z.infer<typeof SimpleProcedureLimitSchema>;

/**
 * The time limit (thời hạn giải quyết) of a procedure. A discriminated union on `unit`:
 * `workingDays`, `workingHours`, `calendarDays`, `months` (with `value`), `sameDay` and `immediate`.
 * Every form may carry `cutoff` (`HH:MM`) and `onVerification`, the limit that replaces it when
 * verification is needed. The deadlines engine reads this shape.
 *
 * @example
 * ```ts
 * import { ProcedureLimitSchema } from '@motcua/core';
 * // Certified copy: same day, or the next working day when received after 15:00; 2 working days if complex
 * ProcedureLimitSchema.parse({ unit: 'sameDay', cutoff: '15:00', onVerification: { unit: 'workingDays', value: 2 } });
 * ```
 */
export const ProcedureLimitSchema = z.discriminatedUnion('unit', [
  z.object({
    unit: z.literal('workingDays'),
    value: positive('Working days'),
    ...common,
    onVerification: baseLimit.optional(),
  }),
  z.object({
    unit: z.literal('workingHours'),
    value: positive('Working hours'),
    ...common,
    onVerification: baseLimit.optional(),
  }),
  z.object({
    unit: z.literal('calendarDays'),
    value: positive('Calendar days').int(),
    ...common,
    onVerification: baseLimit.optional(),
  }),
  z.object({
    unit: z.literal('months'),
    value: positive('Months').int(),
    ...common,
    onVerification: baseLimit.optional(),
  }),
  z.object({ unit: z.literal('sameDay'), ...common, onVerification: baseLimit.optional() }),
  z.object({ unit: z.literal('immediate'), ...common, onVerification: baseLimit.optional() }),
]);
export type ProcedureLimit = z.infer<typeof ProcedureLimitSchema>;
