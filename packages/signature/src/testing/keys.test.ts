import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecKeyFromSeed, rsaKeyFromSeed, signDigestWithKey, spkiOf } from './keys.js';

describe('seeded keys', () => {
  it('derive the same key from the same seed, another from another seed', () => {
    expect(spkiOf(ecKeyFromSeed('s1', 'a'))).toEqual(spkiOf(ecKeyFromSeed('s1', 'a')));
    expect(spkiOf(ecKeyFromSeed('s1', 'a'))).not.toEqual(spkiOf(ecKeyFromSeed('s2', 'a')));
  });

  it.each(['ec', 'rsa'] as const)(
    '%s: a signature over a digest verifies as a signature over the message',
    (kind) => {
      const key = kind === 'ec' ? ecKeyFromSeed('seed', 'x') : rsaKeyFromSeed('seed', 'x');
      const message = Buffer.from('Kết quả giải quyết hồ sơ');
      const sig = signDigestWithKey(key, createHash('sha256').update(message).digest());
      expect(verify('sha256', message, createPublicKey(key), sig)).toBe(true);
      expect(verify('sha256', Buffer.from('khác'), createPublicKey(key), sig)).toBe(false);
    },
  );

  it('RSA keys are 2048 bits', () => {
    expect(rsaKeyFromSeed('seed', 'x').asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});
