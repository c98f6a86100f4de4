import { z } from 'zod';
import { FeeScheduleSchema } from './fees.js';
import { ProcedureLimitSchema } from './limits.js';
import { ChannelSchema, LocalizedTextSchema, rule } from './primitives.js';

/**
 * A procedure code: the National Procedures Database code (`1.001193`, `2.000815`) or a province's own
 * code (letters, digits, dots, dashes and underscores, up to 40 characters).
 */
export const ProcedureCodeSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/,
    rule(
      'procedure.code',
      'A procedure code is 1-40 letters, digits, dots, dashes or underscores',
      'Mã thủ tục gồm 1-40 chữ, số, dấu chấm, gạch ngang hoặc gạch dưới',
    ),
  );

/**
 * True when the code has the national database form `N.NNNNNN`.
 *
 * @example
 * ```ts
 * import { isNationalProcedureCode } from '@motcua/core';
 * isNationalProcedureCode('1.001193'); // true
 * isNationalProcedureCode('HN.01'); // false (a province's own code)
 * ```
 */
export function isNationalProcedureCode(code: string): boolean {
  return /^\d\.\d{6}$/.test(code);
}

/**
 * The reference fields of an administrative procedure that several packages read. The procedures
 * catalogue extends it with documents, forms and the rest.
 */
export const ProcedureSchema = z.object({
  code: ProcedureCodeSchema,
  name: LocalizedTextSchema,
  /** The field (lĩnh vực), e.g. `{ code: 'HT', name: { vi: 'Hộ tịch' } }`. */
  field: z.object({ code: z.string().min(1), name: LocalizedTextSchema }).optional(),
  limit: ProcedureLimitSchema,
  fees: FeeScheduleSchema.optional(),
  channels: z.array(ChannelSchema).min(1).default(['direct']),
  /** A civil-status procedure, registered in the Ministry of Justice's system. */
  civilStatus: z.boolean().default(false),
  legalBasis: z.array(z.string().min(1)).default([]),
});
export type Procedure = z.infer<typeof ProcedureSchema>;
