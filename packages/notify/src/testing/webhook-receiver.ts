import { verifyWebhook } from '@motcua/http';
import { problem, type Simulator, type SimulatorFaults, startSimulator } from '@motcua/http/testing';
import { WEBHOOK_SIGNATURE_HEADER } from '../webhook.js';

/** One notice the webhook receiver accepted. */
export interface ReceivedNotice {
  id: string;
  to: string;
  subject: string | undefined;
  text: string;
  dossierCode: string | undefined;
}

/** A running webhook receiver. */
export interface WebhookReceiver extends Simulator {
  readonly received: ReceivedNotice[];
  /** Calls refused because the signature was missing, wrong or too old. */
  readonly badSignatures: number;
}

/**
 * A receiver of `createWebhookNotifier`'s calls for tests: a real HTTP server on 127.0.0.1 (no OAuth2) that
 * checks the HMAC signature with `verifyWebhook` (401 `webhook.signature` and the like when it fails),
 * honours idempotency keys, can have bad days, and records what it received.
 *
 * @example
 * ```ts
 * import { startWebhookReceiver } from '@motcua/notify/testing';
 * import { createWebhookNotifier } from '@motcua/notify';
 * const rx = await startWebhookReceiver({ secret: 'whsec_test' });
 * const hook = createWebhookNotifier({ baseUrl: rx.url, secret: 'whsec_test' });
 * await hook.send({ to: 'follower-1', text: 'Hồ sơ … đã có kết quả', idempotencyKey: 'k1' });
 * rx.received.length; // 1
 * await rx.close();
 * ```
 */
export async function startWebhookReceiver(options: {
  secret: string;
  path?: string;
  faults?: SimulatorFaults;
}): Promise<WebhookReceiver> {
  const received: ReceivedNotice[] = [];
  const state = { badSignatures: 0 };
  const sim = await startSimulator({
    name: 'webhook-receiver',
    auth: false,
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      [
        'POST',
        `/${options.path ?? 'notices'}`,
        async (req) => {
          const header = req.headers[WEBHOOK_SIGNATURE_HEADER];
          try {
            await verifyWebhook({
              payload: req.rawBody,
              header: typeof header === 'string' ? header : undefined,
              secret: options.secret,
            });
          } catch (e) {
            state.badSignatures++;
            return problem(401, (e as { code?: string }).code ?? 'webhook.signature', 'bad signature');
          }
          const b = req.body as Partial<ReceivedNotice> | undefined;
          if (!b || typeof b.id !== 'string' || typeof b.to !== 'string' || typeof b.text !== 'string')
            return problem(400, 'notice.invalid', 'id, to and text are required');
          received.push({ id: b.id, to: b.to, subject: b.subject, text: b.text, dossierCode: b.dossierCode });
          return { status: 200, body: { messageId: `wh-${received.length}` } };
        },
      ],
    ],
  });
  Object.defineProperty(sim, 'badSignatures', { get: () => state.badSignatures, enumerable: true });
  return Object.assign(sim, { received }) as WebhookReceiver;
}
