import {
  ChannelSchema,
  DateSchema,
  FeeScheduleSchema,
  LocalizedTextSchema,
  ProcedureCodeSchema,
  ProcedureLimitSchema,
  SimpleProcedureLimitSchema,
} from '@motcua/core';
import { z } from 'zod';

/** A document the applicant submits (thành phần hồ sơ). */
export const RequiredDocumentSchema = z.object({
  name: z.string().trim().min(1),
  /** `original` (bản chính), `copy` (bản sao), `certified_copy` (bản sao chứng thực), `original_or_copy`, `presented` (xuất trình). */
  form: z.enum(['original', 'copy', 'certified_copy', 'original_or_copy', 'presented']).default('original'),
  count: z.number().int().positive().default(1),
  /** Template form (mẫu đơn, tờ khai), e.g. `Mẫu 01/TT-BTP`. */
  template: z.string().optional(),
});
export type RequiredDocument = z.infer<typeof RequiredDocumentSchema>;

/** A step of the internal processing procedure (quy trình nội bộ) with its share of the limit. */
export const InternalStepSchema = z.object({
  step: z.string().min(1),
  /** Who does it: a role, e.g. `one-stop officer`, `civil-status officer`, `chairman`. */
  role: z.string().min(1),
  share: SimpleProcedureLimitSchema,
});

/**
 * A procedure of the catalogue: core's reference fields plus everything a one-stop desk needs, as one
 * dated version (a procedure changes when a new rule is issued: each version keeps its effective dates).
 */
export const CatalogueProcedureSchema = z
  .object({
    code: ProcedureCodeSchema,
    name: LocalizedTextSchema,
    field: z.object({ code: z.string().min(1), name: LocalizedTextSchema }),
    /** The level that carries it out. */
    level: z.enum(['commune', 'province', 'central']).default('commune'),
    /** The agency that decides (cơ quan có thẩm quyền quyết định). */
    agency: z.string().min(1).default('Ủy ban nhân dân cấp xã'),
    limit: ProcedureLimitSchema,
    fees: FeeScheduleSchema.optional(),
    documents: z.array(RequiredDocumentSchema).default([]),
    channels: z.array(ChannelSchema).min(1).default(['direct']),
    /** Online service: `full` (toàn trình), `partial` (một phần) or `none`. */
    online: z.enum(['full', 'partial', 'none']).default('none'),
    result: z.object({ documentType: z.string().min(1), signedBy: z.string().min(1) }).optional(),
    legalBasis: z.array(z.string().min(1)).min(1),
    civilStatus: z.boolean().default(false),
    /** Procedures done together (the newborn bundle, the death bundle). */
    interconnected: z
      .object({
        bundle: z.string().min(1),
        procedures: z.array(ProcedureCodeSchema).min(2),
        limit: ProcedureLimitSchema.optional(),
      })
      .optional(),
    internalProcess: z.array(InternalStepSchema).optional(),
    validFrom: DateSchema,
    validTo: DateSchema.optional(),
    /** A province's own procedure or override (2-digit code); national when absent. */
    province: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    /** `confirmed` against a source named in `sources`, or `unverified` (shipped as a placeholder to check). */
    confidence: z.enum(['confirmed', 'unverified']).default('unverified'),
    sources: z.array(z.string().min(1)).default([]),
  })
  .superRefine((p, ctx) => {
    if (p.validTo !== undefined && p.validTo < p.validFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: 'validTo is before validFrom',
        params: { code: 'procedure.valid_range', vi: 'validTo trước validFrom' },
      });
    }
    if (p.online !== 'none' && !p.channels.includes('online')) {
      ctx.addIssue({
        code: 'custom',
        path: ['channels'],
        message: 'an online service needs the online channel',
        params: { code: 'procedure.online_channel', vi: 'dịch vụ trực tuyến cần kênh trực tuyến' },
      });
    }
  });
/** A catalogue procedure (one version). */
export type CatalogueProcedure = z.output<typeof CatalogueProcedureSchema>;
/** A catalogue procedure as written (defaults optional). */
export type CatalogueProcedureInput = z.input<typeof CatalogueProcedureSchema>;
