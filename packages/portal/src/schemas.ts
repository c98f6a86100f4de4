import { DossierEventSchema, InstantSchema, PersonalIdSchema, PhoneSchema } from '@motcua/core';
import { z } from 'zod';

/** A file attached to an online dossier (the Portal keeps the bytes; we get a link and a digest). */
export const AttachmentSchema = z.object({
  name: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.url(),
});

/** A dossier filed online on the National Public Service Portal, as it reaches the commune. */
export const OnlineDossierSchema = z.object({
  /** The Portal's own ID of the dossier. */
  portalId: z.string().min(1),
  /** The procedure's national code, e.g. `1.001193`. */
  procedureCode: z.string().regex(/^\d\.\d{6}$/),
  /** The receiving unit (5-digit commune code). */
  unitCode: z.string().regex(/^\d{5}$/),
  /** When it reached the unit's system: the 8 working hours of Art. 17.2 count from here. */
  submittedAt: InstantSchema,
  applicant: z.object({
    fullName: z.string().min(1),
    personalId: PersonalIdSchema,
    phone: PhoneSchema.optional(),
    email: z.email().optional(),
  }),
  /** The e-form's fields, as the procedure defines them. */
  form: z.record(z.string(), z.unknown()),
  attachments: z.array(AttachmentSchema),
});
export type OnlineDossier = z.infer<typeof OnlineDossierSchema>;

/** A page of online dossiers and the cursor of the next. */
export const DossierPageSchema = z.object({
  dossiers: z.array(OnlineDossierSchema),
  /** Pass it back to get what came after; the same cursor gives the same page. */
  nextCursor: z.string(),
});
export type DossierPage = z.infer<typeof DossierPageSchema>;

/** One lifecycle event going back to the Portal, numbered per dossier from 1. */
export const StatusUpdateSchema = z.object({
  /** The unit's dossier code (mã hồ sơ). */
  dossierCode: z.string().min(1),
  /** 1 for the first event of the dossier, then 2, 3...: the Portal refuses a gap or a step back. */
  sequence: z.number().int().min(1),
  event: DossierEventSchema,
  /** With `resolved`/`returned`: the result document (e-result code = ID number + document-type code, Art. 22). */
  result: z.object({ documentCode: z.string().min(1), url: z.url().optional() }).optional(),
});
export type StatusUpdate = z.input<typeof StatusUpdateSchema>;

/** What the Portal shows the citizen about a dossier. */
export const PortalViewSchema = z.object({
  portalId: z.string(),
  dossierCode: z.string().optional(),
  status: z.string(),
  lastSequence: z.number().int(),
  appointment: z.string().optional(),
  receiptLate: z.boolean().optional(),
});
export type PortalView = z.infer<typeof PortalViewSchema>;
