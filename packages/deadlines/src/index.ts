// @motcua/deadlines: the public surface. Re-exports only.

export {
  type Appointment,
  type AppointmentInput,
  type AppointmentMs,
  appointmentMs,
  computeAppointment,
  type StartMove,
} from './appointment.js';
export type { WorkingCalendar } from './calendar-port.js';
export { DeadlineError, LifecycleError } from './errors.js';
export type { ExplanationStep } from './explain.js';
export { parseLimitShorthand } from './limit-shorthand.js';
export {
  DEFAULT_POLICY,
  type DeadlinePolicy,
  type DeadlinePolicyInput,
  DeadlinePolicySchema,
  policyFromPairs,
  resolvePolicy,
} from './policy.js';
export { type DossierHistory, recordFromHistory } from './record.js';
export {
  type Classification,
  DossierReplay,
  type DossierStatusReport,
  type Phase,
  type ReplayOptions,
  replay,
  type StepStatus,
} from './replay.js';
export { REPORT_COLUMNS, type ReportColumn, type ReportTable, reportCsv, reportTable } from './report.js';
export { DECREE_61_2018, DECREE_118_2025, RULESETS, type RuleSet, ruleSetFor } from './rulesets.js';
export {
  type Figures,
  type GroupBy,
  type Ratio,
  type SummarizeOptions,
  Summarizer,
  type Summary,
  summarize,
  summarizeSync,
} from './stats.js';
export type { DeadlineWarning, WarningCode } from './warnings.js';
