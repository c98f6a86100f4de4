import { TimeOfDaySchema, ValidationError } from '@motcua/core';
import { z } from 'zod';

/**
 * The named choices of the engine where the rules leave room, each with its documented default and
 * basis (see the README):
 * - `counting`: `workingTime` (default: N working days = N × the nominal working day of working time from
 *   the start, so Monday 10:00 + 3 days is Thursday 10:00) or `endOfNthDay` (the end of the N-th working day).
 * - `onlineOutsideHours`: `nextWorkingStart` (default, common practice: an online dossier filed outside
 *   working time counts from the next working start) or `asReceived`.
 * - `onlineClockStart`: `received` (default: the clock of an online dossier runs from its filing, moved by
 *   `onlineOutsideHours`) or `accepted` (from the officer's official receipt).
 * - `paperAfterCutoff`: `whereLimitSays` (default: only limits with a `cutoff`) or `always` (the 15:00 rule
 *   of Decree 118/2025 Art. 18.2 for every paper dossier, at `paperCutoff`).
 * - `supplementCloseAfter`: `{ value: 15, unit: 'calendarDays' }` (Art. 19.5 says 15 days; read as calendar days).
 * - `extensionClassification`: `original` (default: an apology does not make a late dossier on time) or `extended`.
 * - `culturalDayMakeUp`: whether Vietnam Culture Day (24/11) falling on a weekend is made up (default false).
 */
export const DeadlinePolicySchema = z.object({
  counting: z.enum(['workingTime', 'endOfNthDay']).default('workingTime'),
  onlineOutsideHours: z.enum(['nextWorkingStart', 'asReceived']).default('nextWorkingStart'),
  onlineClockStart: z.enum(['received', 'accepted']).default('received'),
  paperAfterCutoff: z.enum(['whereLimitSays', 'always']).default('whereLimitSays'),
  paperCutoff: TimeOfDaySchema.default('15:00'),
  supplementCloseAfter: z
    .object({
      value: z.number().int().positive().default(15),
      unit: z.enum(['calendarDays', 'workingDays']).default('calendarDays'),
    })
    .default({ value: 15, unit: 'calendarDays' }),
  extensionClassification: z.enum(['original', 'extended']).default('original'),
  culturalDayMakeUp: z.boolean().default(false),
});
/** A complete policy. */
export type DeadlinePolicy = z.output<typeof DeadlinePolicySchema>;
/** A policy as users write it: any subset of the options. */
export type DeadlinePolicyInput = z.input<typeof DeadlinePolicySchema>;

/** The default policy. */
export const DEFAULT_POLICY: Readonly<DeadlinePolicy> = Object.freeze(DeadlinePolicySchema.parse({}));

const cache = new WeakMap<object, DeadlinePolicy>();

/**
 * A complete policy from a partial one (validated; bad values give a ValidationError naming the option).
 *
 * @example
 * ```ts
 * resolvePolicy({ counting: 'endOfNthDay' }).onlineOutsideHours; // 'nextWorkingStart'
 * ```
 */
export function resolvePolicy(input?: DeadlinePolicyInput): DeadlinePolicy {
  if (input === undefined) return DEFAULT_POLICY;
  const hit = cache.get(input);
  if (hit) return hit;
  const r = DeadlinePolicySchema.safeParse(input);
  if (!r.success) throw ValidationError.fromZod(r.error, ['policy']);
  cache.set(input, r.data);
  return r.data;
}

/**
 * A policy from `name=value` pairs, as the CLI's `--policy` gives them
 * (`supplementCloseAfter=15workingDays` or `supplementCloseAfter.unit=workingDays` for the nested option).
 *
 * @example
 * ```ts
 * policyFromPairs(['counting=endOfNthDay', 'culturalDayMakeUp=true']);
 * ```
 */
export function policyFromPairs(pairs: readonly string[]): DeadlinePolicy {
  const out: Record<string, unknown> = {};
  for (const [i, pair] of pairs.entries()) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw ValidationError.of('policy.pair', ['policy', i], {
        en: `Expected name=value, got "${pair}"`,
        vi: `Cần dạng tên=giá trị, nhận được "${pair}"`,
      });
    }
    const name = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const value: unknown =
      raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw) ? Number(raw) : raw;
    if (name === 'supplementCloseAfter' && typeof value === 'string') {
      const m = /^(\d+)(calendarDays|workingDays)$/.exec(value);
      out[name] = m ? { value: Number(m[1]), unit: m[2] } : value;
    } else if (name.startsWith('supplementCloseAfter.')) {
      out.supplementCloseAfter ??= {};
      const sub = out.supplementCloseAfter as Record<string, unknown>;
      sub[name.slice('supplementCloseAfter.'.length)] = value;
    } else out[name] = value;
  }
  const r = DeadlinePolicySchema.strict().safeParse(out);
  if (!r.success) throw ValidationError.fromZod(r.error, ['policy']);
  return r.data;
}
