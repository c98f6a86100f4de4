import { MotcuaError } from '@motcua/core';
import type { NotifyChannel } from './notifier.js';

/**
 * A notice that could not be sent. `code` is stable (`notify.invalid_recipient`, `notify.sms_too_long`,
 * `notify.rejected`, `notify.unavailable`, `notify.invalid_response`, `notify.all_channels_failed`…);
 * `retryable` says whether trying the same channel later may succeed (a line down, a 503, a 429, an SMTP
 * 4xx) or not (a landline number, a mailbox that does not exist, a message too long). The message never
 * contains a phone number, an e-mail address or a name.
 *
 * @example
 * ```ts
 * import { NotifyError } from '@motcua/notify';
 * try {
 *   await sms.send({ to: '0912345678', text: 'Hồ sơ … đã có kết quả', idempotencyKey: 'k1' });
 * } catch (e) {
 *   if (e instanceof NotifyError && !e.retryable) console.log(e.code, e.localized.vi);
 * }
 * ```
 */
export class NotifyError extends MotcuaError {
  /** Worth trying the same channel again later. */
  readonly retryable: boolean;
  /** The channel that failed, when one did. */
  readonly channel: NotifyChannel | undefined;

  constructor(
    code: string,
    message: { en: string; vi: string },
    options: {
      retryable: boolean;
      channel?: NotifyChannel;
      details?: Record<string, unknown>;
      cause?: unknown;
    },
  ) {
    super(code, message.en, {
      vi: message.vi,
      details: {
        retryable: options.retryable,
        ...(options.channel ? { channel: options.channel } : {}),
        ...options.details,
      },
      cause: options.cause,
    });
    this.name = 'NotifyError';
    this.retryable = options.retryable;
    this.channel = options.channel;
  }
}
