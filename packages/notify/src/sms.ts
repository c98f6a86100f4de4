import { safeParsePhone } from '@motcua/core';
import { createHttpClient, type HttpClientOptions } from '@motcua/http';
import { z } from 'zod';
import { NotifyError } from './errors.js';
import { fromHttpError } from './http-errors.js';
import type { Notifier, OutgoingMessage, SendResult } from './notifier.js';
import { smsSize } from './text.js';

/**
 * The gateway's answer to `POST /messages` (see `openapi.yaml`).
 *
 * @example
 * ```ts
 * SmsAcceptedSchema.parse({ messageId: 'sms-000001', status: 'accepted', segments: 1, encoding: 'gsm7' });
 * ```
 */
export const SmsAcceptedSchema = z.object({
  messageId: z.string().min(1).max(100),
  status: z.enum(['accepted', 'sent', 'delivered']),
  segments: z.number().int().min(1),
  encoding: z.enum(['gsm7', 'ucs2']),
});

/** Options of {@link createSmsNotifier}: those of `createHttpClient`, the sender name, the length limit. */
export interface SmsNotifierOptions extends HttpClientOptions {
  /** The registered sender name (brandname), e.g. `UBND-VANSON`: 1-11 letters, digits, `-`, `.` or `_`. */
  sender: string;
  /** The most parts a message may take; longer texts are refused before sending. Default 3. */
  maxSegments?: number;
}

const SENDER = /^[A-Za-z0-9._-]{1,11}$/;

/**
 * An SMS provider over HTTP speaking Motcua's documented gateway protocol (`openapi.yaml`: `POST /messages`
 * with an `Idempotency-Key`), on `createHttpClient` (OAuth2 or API key, retries honouring Retry-After,
 * timeouts, circuit breaker, masked logs). The number is checked with `parsePhone` (mobile numbers only) and
 * the length in parts before anything leaves the machine. To use a real gateway whose API differs, implement
 * {@link Notifier} (or put an adapter in front of the gateway that speaks this protocol).
 *
 * @example
 * ```ts
 * import { createSmsNotifier } from '@motcua/notify';
 * const sms = createSmsNotifier({ baseUrl: 'https://sms.example.vn/v1/', auth: { type: 'apiKey', key }, sender: 'UBND-VANSON' });
 * const { providerMessageId } = await sms.send({
 *   to: '0912345678',
 *   text: 'Ho so 000.00.19.H57-250701-0001 da co ket qua.',
 *   idempotencyKey: 'notice-1.sms',
 * });
 * ```
 */
export function createSmsNotifier(options: SmsNotifierOptions): Notifier {
  if (!SENDER.test(options.sender))
    throw new NotifyError(
      'notify.invalid_sender',
      {
        en: 'sender: must be 1-11 letters, digits, "-", "." or "_" (rule sms.sender)',
        vi: 'sender: phải gồm 1-11 chữ cái, chữ số, "-", "." hoặc "_" (quy tắc sms.sender)',
      },
      { retryable: false, channel: 'sms' },
    );
  const http = createHttpClient(options);
  const max = options.maxSegments ?? 3;
  return {
    channel: 'sms',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const phone = safeParsePhone(message.to);
      if (!phone.ok || phone.value.kind !== 'mobile')
        throw new NotifyError(
          'notify.invalid_recipient',
          phone.ok
            ? {
                en: 'to: a landline cannot receive SMS (rule phone.not_mobile)',
                vi: 'to: số cố định không nhận được SMS (quy tắc phone.not_mobile)',
              }
            : {
                en: `to: not a Vietnamese mobile number (rule ${phone.error.ruleCode})`,
                vi: `to: không phải số di động Việt Nam (quy tắc ${phone.error.ruleCode})`,
              },
          { retryable: false, channel: 'sms' },
        );
      const size = smsSize(message.text);
      if (message.text.trim().length === 0 || size.segments > max)
        throw new NotifyError(
          'notify.sms_too_long',
          {
            en: `text: ${size.segments} SMS part(s) (${size.encoding}), at most ${max} allowed (rule sms.max_segments)`,
            vi: `text: ${size.segments} phần SMS (${size.encoding}), tối đa ${max} (quy tắc sms.max_segments)`,
          },
          { retryable: false, channel: 'sms', details: { segments: size.segments, maxSegments: max } },
        );
      try {
        const res = await http.post('messages', {
          json: {
            to: phone.value.e164,
            sender: options.sender,
            text: message.text,
            ...(message.dossierCode ? { reference: message.dossierCode } : {}),
          },
          idempotencyKey: message.idempotencyKey,
        });
        const r = SmsAcceptedSchema.safeParse(res.data);
        if (!r.success)
          throw new NotifyError(
            'notify.invalid_response',
            {
              en: 'response: the SMS gateway answered off the protocol (rule sms.accepted)',
              vi: 'response: cổng SMS trả lời không đúng giao thức (quy tắc sms.accepted)',
            },
            { retryable: false, channel: 'sms' },
          );
        return { providerMessageId: r.data.messageId, channel: 'sms' };
      } catch (e) {
        throw fromHttpError('sms', e);
      }
    },
  };
}
