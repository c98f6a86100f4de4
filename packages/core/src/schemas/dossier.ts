import { z } from 'zod';
import { DossierEventSchema } from './events.js';
import { ApplicantSchema } from './person.js';
import { ChannelSchema, InstantSchema, rule } from './primitives.js';
import { ProcedureCodeSchema } from './procedure.js';
import { UnitRefSchema } from './units.js';

/** A dossier code, structure only (see {@link parseDossierCode} for the layout). */
export const DossierCodeSchema = z
  .string()
  .regex(
    /^[A-Z0-9.]+[^A-Z0-9.]+\d{6,8}[^A-Z0-9.]+\d{1,9}$/,
    rule(
      'dossier.code',
      'Not a dossier code <agency>-<date>-<sequence>',
      'Không phải mã hồ sơ dạng <cơ quan>-<ngày>-<số thứ tự>',
    ),
  );

/**
 * A dossier (hồ sơ): who applied for what, where, and its events. Its status is never stored: it is
 * the deadlines engine's replay of the events.
 *
 * @example
 * ```ts
 * import { DossierSchema } from '@motcua/core';
 * const dossier = DossierSchema.parse(json); // throws a ZodError; use parseWith for a ValidationError
 * ```
 */
export const DossierSchema = z
  .object({
    code: DossierCodeSchema,
    procedureCode: ProcedureCodeSchema,
    unit: UnitRefSchema,
    channel: ChannelSchema,
    applicant: ApplicantSchema,
    receivedAt: InstantSchema,
    /** The appointment on the receipt slip (NgayHenTra). */
    appointment: InstantSchema.optional(),
    events: z.array(DossierEventSchema),
  })
  .superRefine((d, ctx) => {
    const first = d.events[0];
    if (first !== undefined && first.type !== 'received') {
      ctx.addIssue({
        code: 'custom',
        path: ['events', 0, 'type'],
        ...rule(
          'dossier.first_event',
          "A dossier's first event is 'received'",
          "Sự kiện đầu tiên của hồ sơ là 'received'",
        ),
      });
    }
  });
export type Dossier = z.infer<typeof DossierSchema>;
