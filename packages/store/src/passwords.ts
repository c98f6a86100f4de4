import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt parameters: N=2^15, r=8, p=1 (32 MiB of memory per hash: memory-hard, RFC 7914). */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

const derive = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );

/**
 * Hashes a password with scrypt (memory-hard; Node's own implementation, no native add-on), in the form
 * `scrypt$N$r$p$salt$hash` so the parameters can be raised later without breaking old hashes.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('mật khẩu dài và khó đoán');
 * await verifyPassword('mật khẩu dài và khó đoán', stored); // true
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * Checks a password against a stored hash, in constant time.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('mật khẩu dài và khó đoán');
 * await verifyPassword('mật khẩu dài và khó đoán', stored); // true (also typed in decomposed Unicode, NFD)
 * await verifyPassword('mat khau dai va kho doan', stored); // false
 * await verifyPassword('mật khẩu dài và khó đoán', 'not-a-hash'); // false
 * ```
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
