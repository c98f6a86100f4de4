import { DeadlineError } from './errors.js';

/**
 * The one-stop rules in force for a dossier, versioned by the date the dossier was received. Values
 * `undefined` mean the rule set has no such rule (no warning is raised).
 */
export interface RuleSet {
  id: 'decree-118-2025' | 'decree-61-2018';
  /** First receipt date (UTC+7) the rules apply to. */
  effectiveFrom: string;
  /** Last receipt date they apply to, when replaced. */
  effectiveTo?: string;
  /** The instrument. */
  source: string;
  /** Working hours within which an online dossier must be officially received or sent back for supplement. */
  onlineAckWorkingHours: number | undefined;
  /** Working days from receipt within which a supplement request must go out during appraisal. */
  supplementRequestWorkingDays: number | undefined;
  /** Supplement requests allowed per dossier. */
  maxSupplementRequests: number;
  /** Times the appointment may be reset with an apology letter. */
  maxExtensions: number;
  /** Working days before the appointment by which the apology letter must be issued. */
  apologyLeadWorkingDays: number;
  /** Citations used in explanations. */
  cite: {
    clockStart: string;
    paperCutoff: string;
    onlineAck: string;
    supplement: string;
    supplementClose: string;
    refusal: string;
    extension: string;
    stop: string;
  };
}

/** Decree 118/2025/NĐ-CP, in force 2025-07-01 (replaces Decrees 61/2018 and 107/2021). */
export const DECREE_118_2025: RuleSet = Object.freeze({
  id: 'decree-118-2025',
  effectiveFrom: '2025-07-01',
  source: 'Nghị định 118/2025/NĐ-CP',
  onlineAckWorkingHours: 8,
  supplementRequestWorkingDays: 3,
  maxSupplementRequests: 1,
  maxExtensions: 1,
  apologyLeadWorkingDays: 1,
  cite: Object.freeze({
    clockStart: 'Nghị định 118/2025/NĐ-CP Điều 17.3',
    paperCutoff: 'Nghị định 118/2025/NĐ-CP Điều 18.2',
    onlineAck: 'Nghị định 118/2025/NĐ-CP Điều 17.2',
    supplement: 'Nghị định 118/2025/NĐ-CP Điều 11.2.c, 16.3, 17.2.a, 19.5',
    supplementClose: 'Nghị định 118/2025/NĐ-CP Điều 19.5',
    refusal: 'Nghị định 118/2025/NĐ-CP Điều 19.3',
    extension: 'Nghị định 118/2025/NĐ-CP Điều 12.5, 19.6',
    stop: 'Nghị định 118/2025/NĐ-CP Điều 21',
  }),
}) as RuleSet;

/**
 * Decree 61/2018/NĐ-CP (in force 2018-08-21, amended by Decree 107/2021), for dossiers received before
 * 2025-07-01. Where it differs in this model: no 8-working-hour deadline for the official receipt of online
 * dossiers and no 3-working-day deadline for a supplement request during appraisal are enforced (both are
 * Decree 118/2025 rules; the older texts were not verified here, so no warning is raised rather than a
 * possibly wrong one). Counting, cut-off, one supplement, one apology are as in Decree 118.
 */
export const DECREE_61_2018: RuleSet = Object.freeze({
  id: 'decree-61-2018',
  effectiveFrom: '2018-08-21',
  effectiveTo: '2025-06-30',
  source: 'Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)',
  onlineAckWorkingHours: undefined,
  supplementRequestWorkingDays: undefined,
  maxSupplementRequests: 1,
  maxExtensions: 1,
  apologyLeadWorkingDays: 1,
  cite: Object.freeze({
    clockStart: 'Nghị định 61/2018/NĐ-CP Điều 19',
    paperCutoff: 'Nghị định 61/2018/NĐ-CP Điều 19',
    onlineAck: 'Nghị định 61/2018/NĐ-CP',
    supplement: 'Nghị định 61/2018/NĐ-CP Điều 19',
    supplementClose: 'Nghị định 61/2018/NĐ-CP',
    refusal: 'Nghị định 61/2018/NĐ-CP Điều 19',
    extension: 'Nghị định 61/2018/NĐ-CP Điều 19',
    stop: 'Nghị định 61/2018/NĐ-CP',
  }),
}) as RuleSet;

/** Every rule set the engine knows, newest first. */
export const RULESETS: readonly RuleSet[] = Object.freeze([DECREE_118_2025, DECREE_61_2018]);

const BOUNDARIES = RULESETS.map((r) => [Date.parse(`${r.effectiveFrom}T00:00:00+07:00`), r] as const);

/** The rule set in force for a dossier received at instant `ms` (epoch ms); see {@link ruleSetFor}. */
export function ruleSetAt(ms: number): RuleSet {
  for (const [from, r] of BOUNDARIES) if (ms >= from) return r;
  return ruleSetFor(new Date(ms + 25_200_000).toISOString().slice(0, 10));
}

/**
 * The rule set in force for a dossier received on `date` (`YYYY-MM-DD`, UTC+7).
 *
 * @throws {@link DeadlineError} `deadlines.no_rule` for a date before 2018-08-21.
 * @example
 * ```ts
 * ruleSetFor('2025-06-30').id; // 'decree-61-2018'
 * ruleSetFor('2025-07-01').id; // 'decree-118-2025'
 * ```
 */
export function ruleSetFor(date: string): RuleSet {
  for (const r of RULESETS) if (date >= r.effectiveFrom) return r;
  throw new DeadlineError(
    'deadlines.no_rule',
    `No one-stop rule known for a dossier received on ${date}: the earliest is Decree 61/2018 from 2018-08-21`,
    `Không có quy định một cửa nào cho hồ sơ tiếp nhận ngày ${date}: sớm nhất là Nghị định 61/2018 từ 21/08/2018`,
    { details: { date } },
  );
}
