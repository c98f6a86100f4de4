import { AddressSchema, DateSchema, PersonalIdSchema } from '@motcua/core';
import { z } from 'zod';

/** Why the data is looked up: the legal purpose, sent with every call and kept by the audit trail. */
export const CallContextSchema = z.object({
  /** The legal purpose, e.g. `Đăng ký khai sinh (1.001193)`. */
  purpose: z.string().trim().min(3),
  /** The officer making the call. */
  officerId: z.string().trim().min(1),
});
export type CallContext = z.infer<typeof CallContextSchema>;

export const VerifyRequestSchema = z.object({
  personalId: PersonalIdSchema,
  fullName: z.string().trim().min(1),
  dateOfBirth: DateSchema,
});
export type VerifyRequest = z.infer<typeof VerifyRequestSchema>;

const FieldMatch = z.enum(['match', 'mismatch']);
/** The answer to a verification, field by field (never the stored values). */
export const VerifyResponseSchema = z.object({
  found: z.boolean(),
  match: z.boolean(),
  fields: z.object({ fullName: FieldMatch, dateOfBirth: FieldMatch }).optional(),
});
export type VerifyResponse = z.infer<typeof VerifyResponseSchema>;

export const CitizenSchema = z.object({
  personalId: z.string().regex(/^\d{12}$/),
  fullName: z.string().min(1),
  dateOfBirth: DateSchema,
  sex: z.enum(['male', 'female']),
  permanentAddress: AddressSchema,
  householdId: z.string().min(1),
});
export type Citizen = z.infer<typeof CitizenSchema>;

export const HouseholdSchema = z.object({
  householdId: z.string().min(1),
  address: AddressSchema,
  members: z.array(
    z.object({
      personalId: z.string().regex(/^\d{12}$/),
      fullName: z.string().min(1),
      relation: z.enum(['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other']),
    }),
  ),
});
export type Household = z.infer<typeof HouseholdSchema>;

export const ResidenceSchema = z.object({
  personalId: z.string().regex(/^\d{12}$/),
  permanent: AddressSchema,
  temporary: AddressSchema.extend({ until: DateSchema }).optional(),
});
export type Residence = z.infer<typeof ResidenceSchema>;

/** A permanent-residence registration (đăng ký thường trú) into an existing household, e.g. a newborn's. */
export const ResidenceRegistrationSchema = z.object({
  personalId: PersonalIdSchema,
  householdId: z.string().trim().min(1),
  relation: z.enum(['spouse', 'child', 'parent', 'grandchild', 'sibling', 'other']),
  fullName: z.string().trim().min(1),
  dateOfBirth: DateSchema,
  sex: z.enum(['male', 'female']),
});
export type ResidenceRegistration = z.infer<typeof ResidenceRegistrationSchema>;

/** The registration made. */
export const ResidenceRegistrationResultSchema = z.object({
  registrationId: z.string().min(1),
  personalId: z.string().regex(/^\d{12}$/),
  householdId: z.string().min(1),
  permanent: AddressSchema,
});
export type ResidenceRegistrationResult = z.infer<typeof ResidenceRegistrationResultSchema>;
