import { safeParsePhone } from '@motcua/core';
import {
  problem,
  type Simulator,
  type SimulatorAuth,
  type SimulatorFaults,
  type SimulatorRequest,
  startSimulator,
} from '@motcua/http/testing';
import { smsSize } from '../text.js';

/** One SMS the simulator accepted (each effect once: a retried call with the same idempotency key is not recorded again). */
export interface SentSms {
  messageId: string;
  /** The number in E.164. */
  to: string;
  sender: string;
  text: string;
  reference: string | undefined;
  idempotencyKey: string | undefined;
  segments: number;
  encoding: 'gsm7' | 'ucs2';
  at: string;
}

/** Options of {@link startSmsGatewaySimulator}. */
export interface SmsGatewaySimulatorOptions {
  /** OAuth2 clients and API keys it accepts (see `startSimulator`). Default client `test-client`/`test-secret`. */
  auth?: SimulatorAuth;
  /** Registered sender names. Default `['MOTCUA']`. */
  senders?: string[];
  /** The most parts a message may take. Default 3. */
  maxSegments?: number;
  /** Numbers (any form `parsePhone` reads) the network cannot reach: answered 422 `recipient.unreachable`. */
  unreachable?: string[];
  /** Bad days: drops, hangs, 503, 429, malformed bodies, from a seed. */
  faults?: SimulatorFaults;
}

/** A running SMS gateway simulator. */
export interface SmsGatewaySimulator extends Simulator {
  /** Every message accepted, in order. */
  readonly sent: SentSms[];
  /** Calls refused by a business rule: the code and the masked number. */
  readonly refused: { code: string; to: string }[];
}

/**
 * An SMS gateway simulator speaking the protocol of `openapi.yaml`, on the simulator kit of
 * `@motcua/http/testing`: a real HTTP server on 127.0.0.1 with OAuth2 tokens, idempotency keys (one effect per
 * key) and seeded faults. It validates the number with `parsePhone` (400 `phone.invalid`; 422 `phone.not_mobile`
 * for a landline), the sender (403 `sender.not_registered`), the text (400 `text.empty`, 400
 * `message_too_long` past `maxSegments`), and records what was sent.
 *
 * @example
 * ```ts
 * import { startSmsGatewaySimulator } from '@motcua/notify/testing';
 * import { createSmsNotifier } from '@motcua/notify';
 * const sim = await startSmsGatewaySimulator({ senders: ['UBND-VANSON'], faults: { failureRate: 0.2, seed: 3 } });
 * const sms = createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'UBND-VANSON' });
 * await sms.send({ to: '0912345678', text: 'Ho so … da co ket qua', idempotencyKey: 'k1' });
 * sim.sent.length; // 1
 * await sim.close();
 * ```
 */
export async function startSmsGatewaySimulator(
  options: SmsGatewaySimulatorOptions = {},
): Promise<SmsGatewaySimulator> {
  const senders = new Set(options.senders ?? ['MOTCUA']);
  const max = options.maxSegments ?? 3;
  const unreachable = new Set(
    (options.unreachable ?? []).map((n) => {
      const p = safeParsePhone(n);
      return p.ok ? p.value.e164 : n;
    }),
  );
  const sent: SentSms[] = [];
  const refused: { code: string; to: string }[] = [];
  const mask = (e164: string) => `${e164.slice(0, 5)}****${e164.slice(-3)}`;
  const refuse = (status: number, code: string, message: string, to = '') => {
    refused.push({ code, to: to ? mask(to) : '' });
    return problem(status, code, message);
  };

  const post = (req: SimulatorRequest) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.to !== 'string') return refuse(400, 'to.required', 'to: required');
    const phone = safeParsePhone(b.to);
    if (!phone.ok) return refuse(400, 'phone.invalid', `to: ${phone.error.ruleCode}`);
    const to = phone.value.e164;
    if (phone.value.kind !== 'mobile')
      return refuse(422, 'phone.not_mobile', 'to: a landline cannot receive SMS', to);
    if (typeof b.sender !== 'string' || !senders.has(b.sender))
      return refuse(403, 'sender.not_registered', 'sender: not a registered brandname', to);
    if (typeof b.text !== 'string' || b.text.trim().length === 0)
      return refuse(400, 'text.empty', 'text: required', to);
    const size = smsSize(b.text);
    if (size.segments > max)
      return refuse(400, 'message_too_long', `text: ${size.segments} parts, at most ${max}`, to);
    if (b.reference !== undefined && typeof b.reference !== 'string')
      return refuse(400, 'reference.type', 'reference: must be text', to);
    if (unreachable.has(to))
      return refuse(422, 'recipient.unreachable', 'to: the number cannot be reached', to);
    const messageId = `sms-${String(sent.length + 1).padStart(6, '0')}`;
    sent.push({
      messageId,
      to,
      sender: b.sender,
      text: b.text,
      reference: b.reference as string | undefined,
      idempotencyKey: req.idempotencyKey,
      segments: size.segments,
      encoding: size.encoding,
      at: new Date().toISOString(),
    });
    return {
      status: 202,
      body: { messageId, status: 'accepted', segments: size.segments, encoding: size.encoding },
    };
  };

  const sim = await startSimulator({
    name: 'sms-gateway',
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      ['POST', '/messages', post],
      [
        'GET',
        '/messages/:id',
        (req) => {
          const m = sent.find((s) => s.messageId === req.params.id);
          return m
            ? {
                status: 200,
                body: {
                  messageId: m.messageId,
                  status: 'delivered',
                  segments: m.segments,
                  encoding: m.encoding,
                },
              }
            : problem(404, 'message.not_found', 'no such message');
        },
      ],
    ],
  });
  return Object.assign(sim, { sent, refused });
}
