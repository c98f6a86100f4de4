import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import { NotifyError } from './errors.js';
import type { Notifier, OutgoingMessage, SendResult } from './notifier.js';

/** Options of {@link createEmailNotifier}. */
export interface EmailNotifierOptions {
  /** SMTP settings for nodemailer (`host`, `port`, `secure`, `auth`…), or a transporter you made. */
  smtp: SMTPTransport.Options | Transporter<SMTPTransport.SentMessageInfo>;
  /** The sender, e.g. `"UBND xã Vân Sơn" <motcua@vanson.example.vn>`. */
  from: string;
  /** The domain of the Message-IDs it makes (default: the domain of `from`). */
  messageIdDomain?: string;
}

const EMAIL = z.email();
const RETRYABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'EPROTOCOL']);

const isTransporter = (v: unknown): v is Transporter<SMTPTransport.SentMessageInfo> =>
  typeof (v as { sendMail?: unknown }).sendMail === 'function';

/**
 * An e-mail provider over SMTP (nodemailer). The Message-ID is made from the idempotency key
 * (`<key@domain>`), so a receiver or an archive that de-duplicates on Message-ID keeps one copy when a
 * delivery is retried after a lost answer (SMTP itself has no idempotency). SMTP 4xx answers and broken
 * connections are retryable; 5xx answers (no such mailbox, refused) are not.
 *
 * @example
 * ```ts
 * import { createEmailNotifier } from '@motcua/notify';
 * const email = createEmailNotifier({
 *   smtp: { host: 'smtp.example.vn', port: 587, auth: { user: 'motcua', pass: process.env.SMTP_PASS! } },
 *   from: '"UBND xã Vân Sơn" <motcua@vanson.example.vn>',
 * });
 * await email.send({ to: 'mau@example.vn', subject: 'Hồ sơ đã có kết quả', text: '…', idempotencyKey: 'n-1.email' });
 * ```
 */
export function createEmailNotifier(options: EmailNotifierOptions): Notifier {
  const transporter = isTransporter(options.smtp) ? options.smtp : createTransport(options.smtp);
  const domain = options.messageIdDomain ?? /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'motcua.invalid';
  return {
    channel: 'email',
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!EMAIL.safeParse(message.to).success)
        throw new NotifyError(
          'notify.invalid_recipient',
          {
            en: 'to: not an e-mail address (rule email.format)',
            vi: 'to: không phải địa chỉ thư điện tử (quy tắc email.format)',
          },
          { retryable: false, channel: 'email' },
        );
      const messageId = `<${message.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_')}@${domain}>`;
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          messageId,
          headers: {
            ...(message.dossierCode ? { 'X-Motcua-Dossier': message.dossierCode } : {}),
            'X-Motcua-Idempotency-Key': message.idempotencyKey,
          },
        });
        if (info.rejected.length > 0) throw Object.assign(new Error('rejected'), { responseCode: 550 });
        return { providerMessageId: info.messageId || messageId, channel: 'email' };
      } catch (e) {
        const err = e as { code?: string; responseCode?: number; command?: string };
        const status = typeof err.responseCode === 'number' ? err.responseCode : undefined;
        const retryable = status !== undefined ? status < 500 : RETRYABLE_CODES.has(err.code ?? '');
        const what = status !== undefined ? `SMTP ${status}` : (err.code ?? 'error');
        throw new NotifyError(
          retryable ? 'notify.unavailable' : 'notify.rejected',
          retryable
            ? {
                en: `the mail server is unavailable for now (${what})`,
                vi: `máy chủ thư tạm thời không phục vụ (${what})`,
              }
            : {
                en: `the mail server refused the message (${what})`,
                vi: `máy chủ thư từ chối thư (${what})`,
              },
          { retryable, channel: 'email', details: { smtpStatus: status, smtpCode: err.code }, cause: e },
        );
      }
    },
  };
}
