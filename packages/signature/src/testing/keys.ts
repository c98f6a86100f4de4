import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  privateEncrypt,
} from 'node:crypto';

/**
 * Key material for the simulators, derived from a seed so a run repeats: ECDSA P-256 and RSA-2048 keys,
 * and signing of a pre-computed SHA-256 digest (what a remote signing service does; Node's crypto only
 * signs messages, so ECDSA over a digest is done here with BigInt and RFC 6979-style deterministic nonces).
 * For simulators and tests only: not constant-time.
 */

/** A deterministic byte stream: HMAC-SHA256(seed, label || counter). */
export function seededBytes(seed: string, label: string): (n: number) => Uint8Array {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (n) => {
    while (pool.length < n) {
      const block = createHmac('sha256', seed).update(`${label}\u0000${counter++}`).digest();
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return new Uint8Array(out);
  };
}

const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const toBytes = (x: bigint, len: number) => {
  const hex = x.toString(16).padStart(len * 2, '0');
  return new Uint8Array(Buffer.from(hex, 'hex'));
};
const b64u = (x: bigint, len?: number) =>
  Buffer.from(toBytes(x, len ?? Math.ceil(x.toString(16).length / 2))).toString('base64url');

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return r;
}

function modInv(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const SMALL_PRIMES = (() => {
  const out: bigint[] = [];
  for (let n = 3; n < 2000; n += 2) {
    let p = true;
    for (let d = 3; d * d <= n; d += 2)
      if (n % d === 0) {
        p = false;
        break;
      }
    if (p) out.push(BigInt(n));
  }
  return out;
})();

function probablePrime(n: bigint, rand: (n: number) => Uint8Array): boolean {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  for (let round = 0; round < 8; round++) {
    const a = 2n + (toBig(rand(64)) % (n - 4n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function prime(bits: number, rand: (n: number) => Uint8Array): bigint {
  for (;;) {
    const b = rand(bits / 8);
    b[0] = (b[0] ?? 0) | 0xc0;
    b[b.length - 1] = (b[b.length - 1] ?? 0) | 1;
    const candidate = toBig(b);
    if ((candidate - 1n) % 65537n !== 0n && probablePrime(candidate, rand)) return candidate;
  }
}

const cache = new Map<string, KeyObject>();

/** An RSA-2048 private key derived from `seed` and `label` (cached: the same pair gives the same key). */
export function rsaKeyFromSeed(seed: string, label: string): KeyObject {
  const id = `rsa\n${seed}\n${label}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const rand = seededBytes(seed, `rsa:${label}`);
  const e = 65537n;
  let p = prime(1024, rand);
  let q = prime(1024, rand);
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const d = modInv(e, phi);
  const key = createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: b64u(n, 256),
      e: b64u(e),
      d: b64u(d),
      p: b64u(p),
      q: b64u(q),
      dp: b64u(d % (p - 1n)),
      dq: b64u(d % (q - 1n)),
      qi: b64u(modInv(q, p)),
    },
  });
  cache.set(id, key);
  return key;
}

// P-256 domain parameters (FIPS 186-4 / SEC 2).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const A = P - 3n;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G: [bigint, bigint] = [
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
];
type Pt = [bigint, bigint] | null;
const mod = (x: bigint, m: bigint) => ((x % m) + m) % m;
function add(p1: Pt, p2: Pt): Pt {
  if (!p1) return p2;
  if (!p2) return p1;
  if (p1[0] === p2[0] && mod(p1[1] + p2[1], P) === 0n) return null;
  const l =
    p1[0] === p2[0] && p1[1] === p2[1]
      ? mod((3n * p1[0] * p1[0] + A) * modInv(2n * p1[1], P), P)
      : mod((p2[1] - p1[1]) * modInv(p2[0] - p1[0], P), P);
  const x = mod(l * l - p1[0] - p2[0], P);
  return [x, mod(l * (p1[0] - x) - p1[1], P)];
}
function mul(k: bigint, pt: Pt): Pt {
  let r: Pt = null;
  let q = pt;
  let e = k;
  while (e > 0n) {
    if (e & 1n) r = add(r, q);
    q = add(q, q);
    e >>= 1n;
  }
  return r;
}

/** An ECDSA P-256 private key derived from `seed` and `label`. */
export function ecKeyFromSeed(seed: string, label: string): KeyObject {
  const id = `ec\n${seed}\n${label}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const rand = seededBytes(seed, `ec:${label}`);
  const d = (toBig(rand(48)) % (N - 1n)) + 1n;
  const pub = mul(d, G) as [bigint, bigint];
  const key = createPrivateKey({
    format: 'jwk',
    key: { kty: 'EC', crv: 'P-256', d: b64u(d, 32), x: b64u(pub[0], 32), y: b64u(pub[1], 32) },
  });
  cache.set(id, key);
  return key;
}

function derInt(x: bigint): Buffer {
  let b = Buffer.from(toBytes(x, 32));
  while (b.length > 1 && b[0] === 0 && (b[1] ?? 0) < 0x80) b = b.subarray(1);
  if ((b[0] ?? 0) >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Signs a pre-computed SHA-256 digest with a private key: RSASSA-PKCS1-v1_5 bytes for RSA, a DER
 * ECDSA-Sig-Value for P-256 (deterministic nonce from the key and the digest).
 */
export function signDigestWithKey(key: KeyObject, digest: Uint8Array): Uint8Array {
  if (key.asymmetricKeyType === 'rsa') {
    return new Uint8Array(
      privateEncrypt(
        { key, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([SHA256_DIGEST_INFO, digest]),
      ),
    );
  }
  const jwk = key.export({ format: 'jwk' });
  const d = toBig(Buffer.from(jwk.d ?? '', 'base64url'));
  const z = toBig(digest) % N;
  const nonce = seededBytes(Buffer.from(toBytes(d, 32)).toString('hex'), Buffer.from(digest).toString('hex'));
  for (;;) {
    const k = (toBig(nonce(48)) % (N - 1n)) + 1n;
    const r = mod((mul(k, G) as [bigint, bigint])[0], N);
    if (r === 0n) continue;
    let s = mod(modInv(k, N) * (z + r * d), N);
    if (s === 0n) continue;
    if (s > N / 2n) s = N - s;
    const body = Buffer.concat([derInt(r), derInt(s)]);
    return new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
  }
}

/** The public key (SPKI DER) of a private key. */
export function spkiOf(key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
}
