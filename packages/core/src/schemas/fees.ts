import { z } from 'zod';
import { ChannelSchema, DateSchema, LocalizedTextSchema, rule, VndSchema } from './primitives.js';

const effective = {
  /** First day the entry applies (inclusive). */
  effectiveFrom: DateSchema,
  /** Last day the entry applies (inclusive); open-ended when absent. */
  effectiveTo: DateSchema.optional(),
  /** Province code (2 digits) the entry applies to; national when absent. */
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  /** Channels the entry applies to; all when absent. */
  channels: z.array(ChannelSchema).min(1).optional(),
  /** The document that sets it, e.g. `TT 226/2016/TT-BTC Art. 4`. */
  legalBasis: z
    .string()
    .min(
      1,
      rule(
        'fee.legal_basis',
        'Every fee rule names its legal basis',
        'Mỗi quy định thu phải ghi căn cứ pháp lý',
      ),
    ),
};

/** A tier of a per-page or per-copy charge: `amount` per unit for units `from`..`to` (1-based, inclusive). */
export const FeeTierSchema = z.object({
  from: z.number().int().positive(),
  to: z.number().int().positive().optional(),
  amount: VndSchema,
});

/** One fee (phí) or charge (lệ phí) item of a schedule. */
export const FeeItemSchema = z
  .object({
    id: z.string().min(1),
    /** `fee` (phí) or `charge` (lệ phí): they are posted to different budget accounts. */
    kind: z.enum(['fee', 'charge']),
    name: LocalizedTextSchema,
    /** How the amount is counted. */
    basis: z.enum(['fixed', 'perCase', 'perCopy', 'perPage']),
    /** Amount for `fixed`, `perCase` and `perCopy` without tiers. */
    amount: VndSchema.optional(),
    /** Tiers by page (for `perPage`) or by copy (for `perCopy`). */
    tiers: z.array(FeeTierSchema).min(1).optional(),
    /** Most charged for one copy (per-page charges), e.g. 200,000 VND for a certified copy. */
    capPerCopy: VndSchema.optional(),
    /** Budget classification (chapter and sub-item) as dated data: codes change with the circulars. */
    budget: z
      .object({
        chapter: z
          .string()
          .regex(/^\d{3}$/)
          .optional(),
        subItem: z
          .string()
          .regex(/^\d{4}$/)
          .optional(),
      })
      .optional(),
    ...effective,
  })
  .superRefine((item, ctx) => {
    if (item.amount === undefined && item.tiers === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        ...rule(
          'fee.amount_missing',
          'A fee item needs an amount or tiers',
          'Mục thu cần có số tiền hoặc bậc',
        ),
      });
    }
    if (item.effectiveTo !== undefined && item.effectiveTo < item.effectiveFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        ...rule(
          'fee.effective_range',
          'effectiveTo is before effectiveFrom',
          'effectiveTo trước effectiveFrom',
        ),
      });
    }
    if (item.tiers) {
      let next = 1;
      for (const [i, t] of item.tiers.entries()) {
        if (t.from !== next) {
          ctx.addIssue({
            code: 'custom',
            path: ['tiers', i, 'from'],
            ...rule(
              'fee.tiers_gap',
              `Tier must start at ${next} (tiers are contiguous from 1)`,
              `Bậc phải bắt đầu từ ${next} (các bậc liên tiếp từ 1)`,
            ),
          });
        }
        if (t.to === undefined) {
          if (i !== item.tiers.length - 1)
            ctx.addIssue({
              code: 'custom',
              path: ['tiers', i, 'to'],
              ...rule('fee.tiers_open', 'Only the last tier may be open-ended', 'Chỉ bậc cuối được để mở'),
            });
          break;
        }
        if (t.to < t.from)
          ctx.addIssue({
            code: 'custom',
            path: ['tiers', i, 'to'],
            ...rule('fee.tiers_inverted', 'Tier ends before it starts', 'Bậc kết thúc trước khi bắt đầu'),
          });
        next = t.to + 1;
      }
    }
  });
export type FeeItem = z.infer<typeof FeeItemSchema>;

/**
 * An exemption (miễn) or a reduction (giảm) in percent, applied when every named condition holds for the
 * request (e.g. `registeredOnTime`, `poorHousehold`) and, for reductions by channel, when the channel
 * matches (provinces reduce charges by 50-100% for online submission).
 */
export const FeeReliefSchema = z.object({
  id: z.string().min(1),
  description: LocalizedTextSchema,
  /** 100 for an exemption. */
  percent: z.number().gt(0).max(100),
  /** Flags the request must carry for the relief to apply; none means it applies by channel/province/date alone. */
  conditions: z.array(z.string().min(1)).default([]),
  /** The fee items it applies to; all when absent. */
  items: z.array(z.string().min(1)).optional(),
  ...effective,
});
export type FeeRelief = z.infer<typeof FeeReliefSchema>;

/**
 * The fees and charges of a procedure: items with their counting basis, tiers and caps, and the
 * exemptions and reductions, each per province, per channel and dated, each with its legal basis. The
 * procedures catalogue stores it; `@motcua/treasury` computes it.
 *
 * @example
 * ```ts
 * import { FeeScheduleSchema } from '@motcua/core';
 * FeeScheduleSchema.parse({
 *   items: [{ id: 'copy', kind: 'fee', name: { vi: 'Phí chứng thực bản sao' }, basis: 'perPage',
 *     tiers: [{ from: 1, to: 2, amount: 2000 }, { from: 3, amount: 1000 }], capPerCopy: 200000,
 *     effectiveFrom: '2017-01-01', legalBasis: 'TT 226/2016/TT-BTC Art. 4' }],
 * });
 * ```
 */
export const FeeScheduleSchema = z.object({
  currency: z.literal('VND').default('VND'),
  items: z.array(FeeItemSchema),
  reliefs: z.array(FeeReliefSchema).default([]),
});
export type FeeSchedule = z.infer<typeof FeeScheduleSchema>;
