import { createHttpClient, type HttpClientOptions, signTestPayload } from '@motcua/http';
import { z } from 'zod';
import { fromHttpError } from './http-errors.js';
import type { Notifier, OutgoingMessage, SendResult } from './notifier.js';

/**
 * The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 *
 * @example
 * ```ts
 * await verifyWebhook({ payload: rawBody, header: req.headers[WEBHOOK_SIGNATURE_HEADER], secret });
 * ```
 */
export const WEBHOOK_SIGNATURE_HEADER = 'x-motcua-signature';

/** Options of {@link createWebhookNotifier}: those of `createHttpClient` (the receiver's URL as `baseUrl`), and the secret. */
export interface WebhookNotifierOptions extends HttpClientOptions {
  /** The shared secret of the HMAC signature. */
  secret: string;
  /** The path under `baseUrl` to post to. Default `notices`. */
  path?: string;
}

const Answer = z.object({ messageId: z.string().min(1).max(200) }).partial();

/**
 * A provider for any other channel (Zalo OA, a province app, a chat bot): the message is posted as JSON to
 * the receiver, signed with HMAC-SHA256 in the header `x-motcua-signature` (the same format as
 * `verifyWebhook` of `@motcua/http` checks), with the idempotency key in `Idempotency-Key` and as the body's
 * `id`. The receiver answers 2xx, optionally `{ "messageId": "…" }`.
 *
 * @example
 * ```ts
 * import { createWebhookNotifier } from '@motcua/notify';
 * const zalo = createWebhookNotifier({ baseUrl: 'https://bridge.example.vn/zalo/', secret: process.env.ZALO_BRIDGE_SECRET! });
 * await zalo.send({ to: 'zalo-follower-123', text: 'Hồ sơ … đã có kết quả', idempotencyKey: 'n-1.webhook' });
 * // the receiver: await verifyWebhook({ payload: rawBody, header: req.headers['x-motcua-signature'], secret });
 * ```
 */
export function createWebhookNotifier(options: WebhookNotifierOptions): Notifier {
  const http = createHttpClient(options);
  const path = options.path ?? 'notices';
  return {
    channel: 'webhook',
    async send(message: OutgoingMessage): Promise<SendResult> {
      const body = JSON.stringify({
        id: message.idempotencyKey,
        to: message.to,
        ...(message.subject ? { subject: message.subject } : {}),
        text: message.text,
        ...(message.dossierCode ? { dossierCode: message.dossierCode } : {}),
      });
      try {
        const res = await http.post(path, {
          body,
          headers: {
            'content-type': 'application/json',
            [WEBHOOK_SIGNATURE_HEADER]: await signTestPayload(body, options.secret),
          },
          idempotencyKey: message.idempotencyKey,
        });
        const a = Answer.safeParse(res.data);
        return {
          providerMessageId: (a.success ? a.data.messageId : undefined) ?? message.idempotencyKey,
          channel: 'webhook',
        };
      } catch (e) {
        throw fromHttpError('webhook', e);
      }
    },
  };
}
