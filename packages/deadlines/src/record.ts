import type { DossierEvent, DossierRecord, DossierStatus, ProcedureLimit } from '@motcua/core';
import type { WorkingCalendar } from './calendar-port.js';
import type { DeadlinePolicyInput } from './policy.js';
import { DossierReplay, type Phase } from './replay.js';

/** A dossier as its events, with what statistics group by. */
export interface DossierHistory {
  dossierCode: string;
  procedureCode: string;
  fieldCode?: string;
  unitCode: string;
  officerId?: string;
  limit: ProcedureLimit;
  events: readonly DossierEvent[];
}

const STATUS: Record<Phase, DossierStatus> = {
  received: 'received',
  inProgress: 'inProgress',
  waitingSupplement: 'waitingSupplement',
  paused: 'paused',
  resolved: 'resolved',
  returned: 'returned',
  refused: 'refused',
  stopped: 'stopped',
  closed: 'closed',
};

/**
 * The flat record of a dossier from its events, as the engine sees it at `at` (default: its last event):
 * the slip appointment, the engine's judged appointment (`dueAt`), supplement times and count, and payment.
 *
 * @example
 * ```ts
 * import { recordFromHistory } from '@motcua/deadlines';
 * const record = recordFromHistory({ dossierCode, procedureCode: '2.000815', unitCode: '26734',
 *   limit: { unit: 'sameDay', cutoff: '15:00' }, events });
 * ```
 */
export function recordFromHistory(
  history: DossierHistory,
  options: { at?: string | number; calendar?: WorkingCalendar; policy?: DeadlinePolicyInput } = {},
): DossierRecord {
  const r = new DossierReplay({
    limit: history.limit,
    ...(options.calendar ? { calendar: options.calendar } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const at =
    options.at === undefined
      ? undefined
      : typeof options.at === 'number'
        ? options.at
        : Date.parse(options.at);
  for (const e of history.events) {
    if (at !== undefined && Date.parse(e.at) > at) continue;
    r.push(e);
  }
  const s = r.status(at);
  const rec: DossierRecord = {
    dossierCode: history.dossierCode,
    procedureCode: history.procedureCode,
    unitCode: history.unitCode,
    channel: s.channel,
    receivedAt: s.receivedAt,
    supplementRequests: s.supplement.requests,
    status: STATUS[s.phase],
    paid: s.paid,
    paidOnline: s.paidOnline,
    limit: history.limit,
  };
  if (history.fieldCode !== undefined) rec.fieldCode = history.fieldCode;
  if (history.officerId !== undefined) rec.officerId = history.officerId;
  if (s.appointment.original !== undefined) rec.appointmentAt = s.appointment.original;
  if (s.appointment.judgedAgainst !== undefined) rec.dueAt = s.appointment.judgedAgainst;
  if (s.appointment.extended !== undefined) rec.extendedAppointmentAt = s.appointment.extended;
  if (s.resolvedAt !== undefined) rec.resolvedAt = s.resolvedAt;
  if (s.returnedAt !== undefined) rec.returnedAt = s.returnedAt;
  if (s.endedAt !== undefined) rec.endedAt = s.endedAt;
  if (s.supplement.requestedAt !== undefined) rec.supplementRequestedAt = s.supplement.requestedAt;
  if (s.supplement.receivedAt !== undefined) rec.supplementReceivedAt = s.supplement.receivedAt;
  return rec;
}
