import { AddressSchema, DateSchema, PersonalIdSchema } from '@motcua/core';
import { z } from 'zod';

/** Who calls and why: the officer, and the commune whose civil-status book records it. */
export const CivilStatusContextSchema = z.object({
  /** The officer (công chức tư pháp - hộ tịch) making the registration. */
  officerId: z.string().trim().min(1),
  /** The registering commune (5-digit code since 2025-07-01). */
  communeCode: z.string().regex(/^\d{5}$/),
});
export type CivilStatusContext = z.infer<typeof CivilStatusContextSchema>;

const Sex = z.enum(['male', 'female']);
const KnownPerson = z.object({ personalId: PersonalIdSchema, fullName: z.string().trim().min(1) });

/** Birth registration (đăng ký khai sinh, procedure 1.001193). */
export const BirthRegistrationSchema = z.object({
  child: z.object({
    fullName: z.string().trim().min(1),
    sex: Sex,
    dateOfBirth: DateSchema,
    placeOfBirth: AddressSchema,
    ethnicity: z.string().trim().min(1).default('Kinh'),
    nationality: z.string().length(2).default('VN'),
  }),
  mother: KnownPerson,
  father: KnownPerson.optional(),
  declarant: KnownPerson.extend({
    relation: z.enum(['mother', 'father', 'grandparent', 'relative', 'other']),
  }),
});
export type BirthRegistration = z.input<typeof BirthRegistrationSchema>;

/** Death registration (đăng ký khai tử, procedure 1.000656). */
export const DeathRegistrationSchema = z.object({
  deceased: KnownPerson.extend({ dateOfDeath: DateSchema, placeOfDeath: AddressSchema }),
  declarant: KnownPerson.extend({ relation: z.string().trim().min(1) }),
});
export type DeathRegistration = z.input<typeof DeathRegistrationSchema>;

const Party = KnownPerson.extend({ dateOfBirth: DateSchema, sex: Sex });
/** Marriage registration (đăng ký kết hôn, procedure 1.000894). */
export const MarriageRegistrationSchema = z.object({ partyA: Party, partyB: Party });
export type MarriageRegistration = z.input<typeof MarriageRegistrationSchema>;

/** Confirmation of marital status (xác nhận tình trạng hôn nhân, procedure 1.004873). */
export const MaritalStatusRequestSchema = z.object({
  person: KnownPerson,
  /** What the confirmation is for (it is valid for that purpose only). */
  purpose: z.string().trim().min(3),
});
export type MaritalStatusRequest = z.input<typeof MaritalStatusRequestSchema>;

/** Copies of an extract (cấp bản sao trích lục hộ tịch, procedure 1.004884). */
export const ExtractCopyRequestSchema = z.object({
  /** The registration number the extract is of, e.g. `123/2026`. */
  registrationNumber: z.string().regex(/^\d+\/\d{4}$/),
  copies: z.number().int().min(1).max(20),
  requester: KnownPerson,
});
export type ExtractCopyRequest = z.input<typeof ExtractCopyRequestSchema>;

/** The kinds of submission. */
export const SubmissionKindSchema = z.enum(['birth', 'death', 'marriage', 'marital-status', 'extract-copy']);
export type SubmissionKind = z.infer<typeof SubmissionKindSchema>;

/** A submission as the civil-status system reports it. */
export const SubmissionSchema = z.object({
  submissionId: z.string().min(1),
  kind: SubmissionKindSchema,
  status: z.enum(['processing', 'registered', 'rejected']),
  submittedAt: z.string(),
  /** The number in the civil-status book, once registered (`123/2026`). */
  registrationNumber: z.string().optional(),
  /** The book (quyển số) it was entered in. */
  book: z.string().optional(),
  /** A birth's result: the child's new personal identification number. */
  personalId: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** A marital-status confirmation's result. */
  maritalStatus: z.enum(['single', 'married', 'widowed']).optional(),
  rejection: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

/** A health-insurance card (thẻ BHYT) as the social-insurance system issues it. */
export const HealthInsuranceCardSchema = z.object({
  cardNumber: z.string().regex(/^[A-Z]{2}\d{13}$/),
  personalId: z.string().regex(/^\d{12}$/),
  validFrom: DateSchema,
  validTo: DateSchema,
});
export type HealthInsuranceCard = z.infer<typeof HealthInsuranceCardSchema>;

/** A card request for a child under six (cấp thẻ BHYT cho trẻ em dưới 6 tuổi). */
export const CardRequestSchema = z.object({
  personalId: PersonalIdSchema,
  fullName: z.string().trim().min(1),
  dateOfBirth: DateSchema,
  provinceCode: z.string().regex(/^\d{2}$/),
});
export type CardRequest = z.infer<typeof CardRequestSchema>;
