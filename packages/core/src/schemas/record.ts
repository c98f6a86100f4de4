import { z } from 'zod';
import { parseWith } from '../errors.js';
import { ProcedureLimitSchema } from './limits.js';
import { ChannelSchema, InstantSchema } from './primitives.js';

/** The status of a dossier at an instant, as reported (Decision 766/QĐ-TTg vocabulary). */
export const DossierStatusSchema = z.enum([
  'received',
  'inProgress',
  'waitingSupplement',
  'paused',
  'resolved',
  'returned',
  'refused',
  'stopped',
  'closed',
]);
export type DossierStatus = z.infer<typeof DossierStatusSchema>;

/**
 * One flat row per dossier, for statistics and file exchange (CSV columns in
 * {@link DOSSIER_RECORD_CSV_COLUMNS}, in that order). Instants are ISO 8601 with offset; an empty CSV
 * cell is an absent value.
 */
export const DossierRecordSchema = z.object({
  dossierCode: z.string().min(1),
  procedureCode: z.string().min(1),
  /** Field (lĩnh vực) code of the procedure. */
  fieldCode: z.string().optional(),
  /** Code of the unit (commune) that received it. */
  unitCode: z.string().min(1),
  /** Officer in charge (ID). */
  officerId: z.string().optional(),
  channel: ChannelSchema,
  receivedAt: InstantSchema,
  /** The appointment on the slip. */
  appointmentAt: InstantSchema.optional(),
  /**
   * The appointment the engine judges the dossier against (after a supplement restart and pauses, and per
   * the extension policy); the slip's `appointmentAt` when absent. Indicator 2.1 uses `appointmentAt`.
   */
  dueAt: InstantSchema.optional(),
  /** The appointment after an extension, when there was one. */
  extendedAppointmentAt: InstantSchema.optional(),
  resolvedAt: InstantSchema.optional(),
  returnedAt: InstantSchema.optional(),
  /** Refused, stopped or closed at. */
  endedAt: InstantSchema.optional(),
  supplementRequestedAt: InstantSchema.optional(),
  supplementReceivedAt: InstantSchema.optional(),
  /** Number of supplement requests (more than one counts as late in indicator 2.1). */
  supplementRequests: z.number().int().nonnegative().default(0),
  status: DossierStatusSchema,
  /** A fee or charge was paid (by any method). */
  paid: z.boolean().default(false),
  /** Paid online (through the Portal or a gateway): indicator 3.6. */
  paidOnline: z.boolean().default(false),
  /** The procedure's limit, for dossiers without an appointment. */
  limit: ProcedureLimitSchema.optional(),
});
export type DossierRecord = z.infer<typeof DossierRecordSchema>;

/** The CSV columns of a {@link DossierRecord}, in order. `limit` is written as JSON. */
export const DOSSIER_RECORD_CSV_COLUMNS = [
  'dossierCode',
  'procedureCode',
  'fieldCode',
  'unitCode',
  'officerId',
  'channel',
  'receivedAt',
  'appointmentAt',
  'dueAt',
  'extendedAppointmentAt',
  'resolvedAt',
  'returnedAt',
  'endedAt',
  'supplementRequestedAt',
  'supplementReceivedAt',
  'supplementRequests',
  'status',
  'paid',
  'paidOnline',
  'limit',
] as const satisfies readonly (keyof DossierRecord)[];

/**
 * A record as CSV cells (strings), in {@link DOSSIER_RECORD_CSV_COLUMNS} order. Quoting is the CSV
 * writer's job.
 *
 * @example
 * ```ts
 * const cells = dossierRecordToCsvRow(record); // ['000.00.19.H57-250701-0001', '1.001193', ...]
 * ```
 */
export function dossierRecordToCsvRow(record: DossierRecord): string[] {
  return DOSSIER_RECORD_CSV_COLUMNS.map((col) => {
    const v = record[col];
    if (v === undefined) return '';
    if (col === 'limit') return JSON.stringify(v);
    return String(v);
  });
}

/**
 * A record from CSV cells keyed by column name (as a CSV parser with headers gives them), validated.
 * Throws a ValidationError naming the column.
 *
 * @example
 * ```ts
 * const record = dossierRecordFromCsv({ dossierCode: '000.00.19.H57-250701-0001', procedureCode: '1.001193',
 *   unitCode: '05152', channel: 'direct', receivedAt: '2025-07-01T09:00:00+07:00', status: 'received',
 *   paid: 'false', limit: '{"unit":"workingDays","value":3}', resolvedAt: '' });
 * record.limit; // { unit: 'workingDays', value: 3 }
 * record.paid; // false
 * record.resolvedAt; // undefined (an empty cell is an absent value)
 * ```
 */
export function dossierRecordFromCsv(row: Record<string, string>): DossierRecord {
  const obj: Record<string, unknown> = {};
  for (const col of DOSSIER_RECORD_CSV_COLUMNS) {
    const cell = row[col];
    if (cell === undefined || cell === '') continue;
    if (col === 'supplementRequests') obj[col] = /^\d+$/.test(cell) ? Number(cell) : cell;
    else if (col === 'paidOnline' || col === 'paid')
      obj[col] = cell === 'true' ? true : cell === 'false' ? false : cell;
    else if (col === 'limit') {
      try {
        obj[col] = JSON.parse(cell);
      } catch {
        obj[col] = cell;
      }
    } else obj[col] = cell;
  }
  return parseWith(DossierRecordSchema, obj);
}
