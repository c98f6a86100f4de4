import { fail } from './errors.js';

const enc = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, enc.encode(message)));
  let out = '';
  for (const b of sig) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Compares two strings in time that depends only on the expected length. */
function constantTimeEqual(expected: string, given: string): boolean {
  let d = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) d |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return d === 0;
}

/**
 * Where accepted callback nonces are kept until their timestamp leaves the tolerance window. A database
 * implementation (see `@motcua/store`) makes replay protection survive restarts and span several servers.
 */
export interface NonceStore {
  /** Records `nonce` until `expiresAtMs`; false when it was already recorded and not expired at `nowMs` (a replay). */
  claim(nonce: string, expiresAtMs: number, nowMs: number): boolean | Promise<boolean>;
}

/**
 * A {@link NonceStore} in memory, pruning expired nonces as it goes.
 *
 * @example
 * ```ts
 * import { MemoryNonceStore } from '@motcua/treasury';
 * const nonces = new MemoryNonceStore();
 * nonces.claim('n-1', Date.now() + 600_000, Date.now()); // true
 * nonces.claim('n-1', Date.now() + 600_000, Date.now()); // false: a replay
 * ```
 */
export class MemoryNonceStore implements NonceStore {
  readonly #seen = new Map<string, number>();
  #lastPrune = 0;

  claim(nonce: string, expiresAtMs: number, now = Date.now()): boolean {
    if (now - this.#lastPrune > 60_000) {
      for (const [n, exp] of this.#seen) if (exp < now) this.#seen.delete(n);
      this.#lastPrune = now;
    }
    const exp = this.#seen.get(nonce);
    if (exp !== undefined && exp >= now) return false;
    this.#seen.set(nonce, expiresAtMs);
    return true;
  }

  /** Nonces currently held. */
  get size(): number {
    return this.#seen.size;
  }
}

/** The HTTP header that carries a payment callback's signature. */
export const CALLBACK_SIGNATURE_HEADER = 'x-motcua-signature';

/**
 * Signs a callback body as the payment platform does (and as tests do): the header value
 * `t=<unix seconds>,n=<nonce>,v1=<hex HMAC-SHA256 of "t.n.body">`.
 *
 * @example
 * ```ts
 * import { signCallback } from '@motcua/treasury';
 * const header = await signCallback(JSON.stringify(event), 'whsec_test');
 * ```
 */
export async function signCallback(
  body: string,
  secret: string,
  options: { timestamp?: number; nonce?: string } = {},
): Promise<string> {
  const t = options.timestamp ?? Math.floor(Date.now() / 1000);
  const n = options.nonce ?? globalThis.crypto.randomUUID();
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(n))
    fail(
      'callback.nonce',
      'The nonce must be 8-128 of A-Z a-z 0-9 _ -',
      'Nonce phải gồm 8-128 ký tự A-Z a-z 0-9 _ -',
      'n',
    );
  return `t=${t},n=${n},v1=${await hmacHex(secret, `${t}.${n}.${body}`)}`;
}

/** Input of {@link verifyCallback}. */
export interface VerifyCallbackInput {
  /** The raw body, exactly as received. */
  body: string;
  /** The signature header ({@link CALLBACK_SIGNATURE_HEADER}). */
  header: string | undefined | null;
  /** The shared secret; during a rotation, the current and the previous one. */
  secret: string | readonly string[];
  /** Most seconds between the callback's timestamp and now, either way. Default 300. */
  toleranceSec?: number;
  /** Now, unix seconds (tests). */
  now?: number;
  /** Where nonces are kept; replays are refused. */
  nonces: NonceStore;
}

/**
 * Verifies a payment callback: the header form, the timestamp within the tolerance window (clock skew
 * either way), the HMAC-SHA256 over `timestamp.nonce.body` compared in constant time, and — only once the
 * signature is good — that the nonce was not seen before (replay). Throws a `TreasuryError`:
 * `callback.header`, `callback.timestamp`, `callback.signature` or `callback.replay`.
 *
 * @example
 * ```ts
 * import { MemoryNonceStore, verifyCallback, CALLBACK_SIGNATURE_HEADER } from '@motcua/treasury';
 * const nonces = new MemoryNonceStore();
 * await verifyCallback({ body: rawBody, header: req.headers[CALLBACK_SIGNATURE_HEADER], secret, nonces });
 * ```
 */
export async function verifyCallback(
  input: VerifyCallbackInput,
): Promise<{ timestamp: number; nonce: string }> {
  const m = /^t=(\d{1,12}),n=([A-Za-z0-9_-]{8,128}),v1=([0-9a-f]{64})$/.exec((input.header ?? '').trim());
  if (!m)
    fail(
      'callback.header',
      `The ${CALLBACK_SIGNATURE_HEADER} header is missing or not of the form t=…,n=…,v1=…`,
      `Thiếu tiêu đề ${CALLBACK_SIGNATURE_HEADER} hoặc không có dạng t=…,n=…,v1=…`,
      CALLBACK_SIGNATURE_HEADER,
    );
  const t = Number(m[1]);
  const nonce = m[2]!;
  const tolerance = input.toleranceSec ?? 300;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > tolerance)
    fail(
      'callback.timestamp',
      `The callback timestamp is ${now - t} s from now, outside the ${tolerance} s window`,
      `Thời điểm của lời gọi lại lệch ${now - t} giây, ngoài khoảng ${tolerance} giây cho phép`,
      't',
      { skewSec: now - t, toleranceSec: tolerance },
    );
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  let ok = false;
  for (const s of secrets)
    if (constantTimeEqual(await hmacHex(s, `${t}.${nonce}.${input.body}`), m[3]!)) ok = true;
  if (!ok)
    fail('callback.signature', 'The signature does not match the body', 'Chữ ký không khớp nội dung', 'v1');
  if (!(await input.nonces.claim(nonce, (t + tolerance) * 1000 + 1000, now * 1000)))
    fail(
      'callback.replay',
      'This callback was already accepted (replay)',
      'Lời gọi lại này đã được nhận trước đó (gửi lại)',
      'n',
    );
  return { timestamp: t, nonce };
}
