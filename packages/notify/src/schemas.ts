import { DateSchema, DossierCodeSchema, VndSchema } from '@motcua/core';
import { z } from 'zod';
import { containsPersonalId } from './text.js';

const noPersonalId = {
  message: 'Must not contain a personal ID number (9 or 12 digits in a row)',
  params: {
    code: 'notify.personal_id_in_text',
    vi: 'Không được chứa số định danh cá nhân (9 hoặc 12 chữ số liền nhau)',
  },
};
const freeText = (max: number) =>
  z
    .string()
    .trim()
    .min(2)
    .max(max)
    .refine((s) => !containsPersonalId(s), noPersonalId);

const common = {
  /** The dossier code printed on the receipt slip (Decree 118/2025 Art. 28). */
  dossierCode: DossierCodeSchema,
  /** The procedure's name, e.g. `Đăng ký khai sinh`. */
  procedureName: freeText(200),
  /** The unit that sends the notice, e.g. `UBND xã Vân Sơn`. */
  unitName: freeText(120).optional(),
  /** Where the citizen looks the dossier up (the Portal, the commune's board). */
  lookupUrl: z.url().max(200).optional(),
};

/**
 * A supplement request (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): every reason at once, and the deadline.
 *
 * @example
 * ```ts
 * SupplementRequestNoticeSchema.parse({ kind: 'supplementRequest', dossierCode: '000.00.19.H57-250701-0001', procedureName: 'Đăng ký khai sinh', reasons: ['Thiếu giấy chứng sinh'], deadline: '2025-07-20' });
 * ```
 */
export const SupplementRequestNoticeSchema = z.object({
  kind: z.literal('supplementRequest'),
  ...common,
  /** Every reason at once (Art. 17.1): only one supplement request is allowed per dossier. */
  reasons: z.array(freeText(300)).min(1).max(20),
  /** The last day to supplement (the dossier is closed after it, Art. 19.5). */
  deadline: DateSchema,
});

/**
 * An apology letter with a new date (Phiếu xin lỗi và hẹn lại ngày trả kết quả, Art. 19.6).
 *
 * @example
 * ```ts
 * ExtensionNoticeSchema.parse({ kind: 'extension', dossierCode: '000.00.19.H57-250701-0001', procedureName: 'Đăng ký khai sinh', originalDate: '2025-07-10', newDate: '2025-07-15', reason: 'Cần xác minh' });
 * ```
 */
export const ExtensionNoticeSchema = z.object({
  kind: z.literal('extension'),
  ...common,
  /** The date on the receipt slip. */
  originalDate: DateSchema,
  /** The new date (the date may be reset at most once). */
  newDate: DateSchema,
  /** Why the result is late. */
  reason: freeText(300),
});

/**
 * An early result, announced in advance (Art. 22.5).
 *
 * @example
 * ```ts
 * EarlyResultNoticeSchema.parse({ kind: 'earlyResult', dossierCode: '000.00.19.H57-250701-0001', procedureName: 'Đăng ký khai sinh', appointmentDate: '2025-07-10', readyDate: '2025-07-08', place: 'Bộ phận một cửa' });
 * ```
 */
export const EarlyResultNoticeSchema = z.object({
  kind: z.literal('earlyResult'),
  ...common,
  /** The appointment on the receipt slip. */
  appointmentDate: DateSchema,
  /** The day the result can be collected, before the appointment. */
  readyDate: DateSchema,
  /** Where to collect it. */
  place: freeText(200),
});

/**
 * The result is ready (Art. 22).
 *
 * @example
 * ```ts
 * ResultReadyNoticeSchema.parse({ kind: 'resultReady', dossierCode: '000.00.19.H57-250701-0001', procedureName: 'Đăng ký khai sinh', readyDate: '2025-07-03', place: 'Bộ phận một cửa' });
 * ```
 */
export const ResultReadyNoticeSchema = z.object({
  kind: z.literal('resultReady'),
  ...common,
  readyDate: DateSchema,
  place: freeText(200),
});

/**
 * A fee or charge to pay (Art. 24).
 *
 * @example
 * ```ts
 * FeeDueNoticeSchema.parse({ kind: 'feeDue', dossierCode: '000.00.19.H57-250701-0001', procedureName: 'Đăng ký khai sinh', amount: 50000, dueDate: '2025-07-05' });
 * ```
 */
export const FeeDueNoticeSchema = z.object({
  kind: z.literal('feeDue'),
  ...common,
  /** Amount in dong. */
  amount: VndSchema.refine((n) => n > 0, {
    message: 'The amount must be more than 0 dong',
    params: { code: 'notify.amount_zero', vi: 'Số tiền phải lớn hơn 0 đồng' },
  }),
  dueDate: DateSchema,
  /** How to pay, e.g. `chuyển khoản hoặc quét mã VietQR trên phiếu`. */
  paymentInfo: freeText(200).optional(),
});

const dateOrder = (
  ctx: z.RefinementCtx,
  path: string,
  ok: boolean,
  en: string,
  vi: string,
  code: string,
): void => {
  if (!ok) ctx.addIssue({ code: 'custom', path: [path], message: en, params: { code, vi } });
};

/**
 * A notice to a citizen, a union on `kind`: `supplementRequest`, `extension`, `earlyResult`, `resultReady`,
 * `feeDue`. Free text never holds a personal ID number; dates are `YYYY-MM-DD`; the new date of an extension
 * comes after the original one, an early result before its appointment.
 *
 * @example
 * ```ts
 * import { parseWith } from '@motcua/core';
 * import { NoticeSchema } from '@motcua/notify';
 * const notice = parseWith(NoticeSchema, {
 *   kind: 'resultReady',
 *   dossierCode: '000.00.19.H57-250701-0001',
 *   procedureName: 'Đăng ký khai sinh',
 *   readyDate: '2025-07-03',
 *   place: 'Bộ phận một cửa UBND xã Vân Sơn',
 * });
 * ```
 */
export const NoticeSchema = z
  .discriminatedUnion('kind', [
    SupplementRequestNoticeSchema,
    ExtensionNoticeSchema,
    EarlyResultNoticeSchema,
    ResultReadyNoticeSchema,
    FeeDueNoticeSchema,
  ])
  .superRefine((n, ctx) => {
    if (n.kind === 'extension')
      dateOrder(
        ctx,
        'newDate',
        n.newDate > n.originalDate,
        'The new date must come after the original date',
        'Ngày hẹn mới phải sau ngày hẹn cũ',
        'notify.new_date_not_later',
      );
    if (n.kind === 'earlyResult')
      dateOrder(
        ctx,
        'readyDate',
        n.readyDate < n.appointmentDate,
        'An early result is ready before its appointment',
        'Kết quả sớm phải có trước ngày hẹn trả',
        'notify.not_early',
      );
  });
/** A notice to a citizen (see {@link NoticeSchema}). */
export type Notice = z.infer<typeof NoticeSchema>;
/** The kind of a notice. */
export type NoticeKind = Notice['kind'];

/**
 * How to reach a citizen: addresses per channel and the order of preference. The addresses are personal data:
 * they are masked in every log line and error.
 *
 * @example
 * ```ts
 * import { ContactSchema } from '@motcua/notify';
 * ContactSchema.parse({ phone: '0912345678', email: 'mau@example.vn', preferences: ['sms', 'email'] });
 * ```
 */
export const ContactSchema = z.object({
  /** How to address the citizen in an e-mail (`Kính gửi ông/bà …`); never logged unmasked. */
  name: z.string().trim().min(1).max(100).optional(),
  phone: z.string().trim().min(9).max(20).optional(),
  email: z.email().max(254).optional(),
  /** The recipient's ID on the webhook channel (e.g. a Zalo follower ID, an app user ID). */
  webhookId: z.string().trim().min(1).max(200).optional(),
  /** Channels in the order the citizen prefers; the first with an address and a provider is used. */
  preferences: z
    .array(z.enum(['sms', 'email', 'webhook']))
    .min(1)
    .default(['sms', 'email', 'webhook']),
});
/** How to reach a citizen (see {@link ContactSchema}). */
export type Contact = z.input<typeof ContactSchema>;
