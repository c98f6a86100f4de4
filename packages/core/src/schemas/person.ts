import { z } from 'zod';
import { safeParsePersonalId } from '../identity/personal-id.js';
import { safeParsePhone } from '../identity/phone.js';
import { safeParseTaxCode } from '../identity/tax-code.js';
import { DateSchema, rule } from './primitives.js';
import { AddressSchema } from './units.js';

const refineIssues = (
  ctx: z.core.$RefinementCtx<string>,
  issues: readonly { code: string; message: { en: string; vi: string } }[],
  value: string,
) => {
  for (const i of issues)
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: i.message.en,
      params: { code: i.code, vi: i.message.vi },
    });
};

/** A 12-digit personal identification number, checked by {@link parsePersonalId}. */
export const PersonalIdSchema = z.string().superRefine((value, ctx) => {
  const r = safeParsePersonalId(value);
  if (!r.ok) refineIssues(ctx, r.error.issues, value);
});

/** A tax code, checked by {@link parseTaxCode}. */
export const TaxCodeSchema = z.string().superRefine((value, ctx) => {
  const r = safeParseTaxCode(value);
  if (!r.ok) refineIssues(ctx, r.error.issues, value);
});

/** A Vietnamese phone number, checked by {@link parsePhone}. */
export const PhoneSchema = z.string().superRefine((value, ctx) => {
  const r = safeParsePhone(value);
  if (!r.ok) refineIssues(ctx, r.error.issues, value);
});

/** A natural person. */
export const PersonSchema = z.object({
  fullName: z
    .string()
    .trim()
    .min(1, rule('person.full_name', 'Full name is required', 'Họ và tên là bắt buộc')),
  personalId: PersonalIdSchema.optional(),
  dateOfBirth: DateSchema.optional(),
  sex: z.enum(['male', 'female']).optional(),
  phone: PhoneSchema.optional(),
  email: z
    .email(rule('person.email', 'Not a valid e-mail address', 'Địa chỉ thư điện tử không hợp lệ'))
    .optional(),
  address: AddressSchema.optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/** An organisation applying (company, cooperative, association). */
export const OrganizationSchema = z.object({
  name: z.string().trim().min(1),
  taxCode: TaxCodeSchema.optional(),
  address: AddressSchema.optional(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

/**
 * Who submits a dossier: a person for themselves, a person on behalf of another (authorised), or an
 * organisation through its representative.
 */
export const ApplicantSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), person: PersonSchema, representative: PersonSchema.optional() }),
  z.object({
    kind: z.literal('organization'),
    organization: OrganizationSchema,
    representative: PersonSchema,
  }),
]);
export type Applicant = z.infer<typeof ApplicantSchema>;
