import { z } from 'zod';
import { registerRule } from '../zod-messages.js';

/**
 * Error options for a zod check that carry our machine code and Vietnamese message. The English text is
 * the message; `ValidationError.fromZod` finds the code and the Vietnamese text from it.
 */
export function rule(
  code: string,
  en: string,
  vi: string,
): { message: string; params: { code: string; vi: string } } {
  registerRule(code, en, vi);
  return { message: en, params: { code, vi } };
}

/**
 * An instant: ISO 8601 with a UTC offset (`2025-07-01T08:00:00+07:00`, or `Z`). A time without an offset
 * is rejected, because it is ambiguous.
 */
export const InstantSchema = z.iso.datetime({
  offset: true,
  ...rule(
    'instant.format',
    'Must be an ISO 8601 instant with an offset, e.g. 2025-07-01T08:00:00+07:00',
    'Phải là thời điểm ISO 8601 có múi giờ, ví dụ 2025-07-01T08:00:00+07:00',
  ),
});
/** An ISO 8601 instant with offset. */
export type Instant = z.infer<typeof InstantSchema>;

/** A calendar date `YYYY-MM-DD` (never a Date at local midnight). */
export const DateSchema = z.iso.date(
  rule('date.format', 'Must be a real date YYYY-MM-DD', 'Phải là ngày hợp lệ dạng YYYY-MM-DD'),
);
/** A calendar date `YYYY-MM-DD`. */
export type IsoDate = z.infer<typeof DateSchema>;

/** Wall-clock time `HH:MM` (24 h). */
export const TimeOfDaySchema = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d$/,
    rule('time.format', 'Must be a time HH:MM (00:00-23:59)', 'Phải là giờ dạng HH:MM (00:00-23:59)'),
  );

/** Money: an integer number of Vietnamese dong, never negative. */
export const VndSchema = z
  .number()
  .int(rule('money.integer', 'Money is an integer number of dong', 'Số tiền là số nguyên đồng'))
  .nonnegative(rule('money.negative', 'Money cannot be negative', 'Số tiền không được âm'));

/** Text in Vietnamese, with an optional English form. */
export const LocalizedTextSchema = z.object({ vi: z.string().min(1), en: z.string().min(1).optional() });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** How a dossier reached the center (Decree 118/2025 Art. 15); Portal report codes 1, 2, 3. */
export const ChannelSchema = z.enum(['direct', 'online', 'postal']);
/** `direct` (in person), `online` (National Public Service Portal), `postal` (postal service or an authorised person). */
export type Channel = z.infer<typeof ChannelSchema>;

/** The Portal's reporting code of each channel (1 direct, 2 online, 3 postal). */
export const CHANNEL_PORTAL_CODES: Readonly<Record<Channel, 1 | 2 | 3>> = Object.freeze({
  direct: 1,
  online: 2,
  postal: 3,
});

/** A reference to the officer who did something (an ID in the vendor's system, optionally a display name). */
export const OfficerRefSchema = z.object({ id: z.string().min(1), name: z.string().optional() });
export type OfficerRef = z.infer<typeof OfficerRefSchema>;
