import { MotcuaError } from '@motcua/core';

const enc = new TextEncoder();

async function hmac(secret: string, message: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, enc.encode(message)));
  return Array.from(sig, (b) => b.toString(16).padStart(2, '0')).join('');
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

/**
 * Signs a payload as a sender of callbacks does (Motcua's own webhooks, the simulators): the header value
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`, which {@link verifyWebhook} checks.
 *
 * @example
 * ```ts
 * const header = await signWebhookPayload(body, secret);
 * await fetch(url, { method: 'POST', headers: { 'x-motcua-signature': header }, body });
 * ```
 */
export async function signWebhookPayload(
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${timestamp},v1=${await hmac(secret, `${timestamp}.${payload}`)}`;
}

/**
 * The same as {@link signWebhookPayload}, named for users' tests: sign a callback as the sender would.
 *
 * @example
 * ```ts
 * const header = await signTestPayload(body, 'whsec_test');
 * await verifyWebhook({ payload: body, header, secret: 'whsec_test' });
 * ```
 */
export const signTestPayload = signWebhookPayload;

/**
 * Verifies a signed callback (payments, signatures, the Portal): the HMAC over `timestamp.payload`, a
 * timestamp within `toleranceSec` (default 300), and, with `seen`, that the same signature was not
 * accepted before (replay protection). Throws a `MotcuaError` with code `webhook.*`.
 *
 * @example
 * ```ts
 * const seen = new Set<string>();
 * await verifyWebhook({ payload: rawBody, header: req.headers['x-motcua-signature'], secret, seen });
 * ```
 */
export async function verifyWebhook(input: {
  payload: string;
  header: string | undefined;
  secret: string;
  toleranceSec?: number;
  now?: number;
  seen?: Set<string>;
}): Promise<{ timestamp: number }> {
  const fail = (code: string, en: string, vi: string): never => {
    throw new MotcuaError(code, en, { vi });
  };
  const parts = Object.fromEntries(
    (input.header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]),
  );
  const t = Number(parts.t);
  if (!input.header || !Number.isInteger(t) || !parts.v1)
    fail(
      'webhook.header',
      'The signature header is missing or malformed (t=…,v1=…)',
      'Thiếu hoặc sai tiêu đề chữ ký (t=…,v1=…)',
    );
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (input.toleranceSec ?? 300))
    fail(
      'webhook.timestamp',
      'The callback is too old or from the future (timestamp outside the tolerance)',
      'Lời gọi lại quá cũ hoặc thời điểm không hợp lệ',
    );
  const expected = await hmac(input.secret, `${t}.${input.payload}`);
  if (!safeEqual(expected, parts.v1!))
    fail('webhook.signature', 'The signature does not match the payload', 'Chữ ký không khớp nội dung');
  if (input.seen) {
    if (input.seen.has(parts.v1!))
      fail(
        'webhook.replay',
        'This callback was already accepted (replay)',
        'Lời gọi lại này đã được nhận (gửi lại)',
      );
    input.seen.add(parts.v1!);
  }
  return { timestamp: t };
}
