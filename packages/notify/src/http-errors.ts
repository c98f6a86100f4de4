import { ValidationError } from '@motcua/core';
import { HttpError } from '@motcua/http';
import { NotifyError } from './errors.js';
import type { NotifyChannel } from './notifier.js';

const NAMES: Record<NotifyChannel, { en: string; vi: string }> = {
  sms: { en: 'the SMS gateway', vi: 'cổng SMS' },
  email: { en: 'the mail server', vi: 'máy chủ thư' },
  webhook: { en: 'the webhook receiver', vi: 'nơi nhận webhook' },
};

/** Turns an error of an HTTP provider into a NotifyError that says whether to retry (no body, no personal data). */
export function fromHttpError(channel: NotifyChannel, e: unknown): NotifyError {
  if (e instanceof NotifyError) return e;
  const who = NAMES[channel];
  if (e instanceof HttpError) {
    const server = e.serverCode ? ` (${e.serverCode})` : '';
    return e.retryable
      ? new NotifyError(
          'notify.unavailable',
          {
            en: `${who.en} is unavailable for now: ${e.code}${server}`,
            vi: `${who.vi} tạm thời không phục vụ: ${e.code}${server}`,
          },
          {
            retryable: true,
            channel,
            details: { status: e.status, httpCode: e.code, serverCode: e.serverCode, requestId: e.requestId },
            cause: e,
          },
        )
      : new NotifyError(
          'notify.rejected',
          {
            en: `${who.en} refused the message: ${e.status}${server}`,
            vi: `${who.vi} từ chối tin: ${e.status}${server}`,
          },
          {
            retryable: false,
            channel,
            details: { status: e.status, httpCode: e.code, serverCode: e.serverCode, requestId: e.requestId },
            cause: e,
          },
        );
  }
  if (e instanceof ValidationError)
    return new NotifyError(
      'notify.invalid_response',
      {
        en: `${who.en} answered off the protocol (response: ${e.ruleCode ?? 'invalid'})`,
        vi: `${who.vi} trả lời không đúng giao thức (response: ${e.ruleCode ?? 'invalid'})`,
      },
      { retryable: false, channel, cause: e },
    );
  return new NotifyError(
    'notify.unavailable',
    { en: `${who.en} could not be reached`, vi: `không kết nối được ${who.vi}` },
    { retryable: true, channel, cause: e },
  );
}
