import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addUnsignedAttribute, assembleCms, OID, prepareCms, sha256, signCms, signCmsDigest } from './cms.js';
import { SignatureError } from './errors.js';
import { createLocalSigner } from './local-signer.js';
import { makePki } from './pki.test-helpers.js';
import { CmsVerificationReportSchema, verifyCms } from './verify-cms.js';

const data = new TextEncoder().encode('Kết quả giải quyết hồ sơ số 000.00.00.H00-251124-0001');

describe.each(['rsa', 'ec'] as const)('CMS with %s keys', (kind) => {
  const pki = makePki(kind);
  const signer = createLocalSigner(pki.officerKeyPem, pki.officerDer);

  it('signs and verifies with our verifier', async () => {
    const cms = await signCms(data, signer);
    const report = await verifyCms(cms, data, { trustAnchors: [pki.rootDer], revocation: 'none' });
    expect(report.failures).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signer?.subject).toContain('Nguyen Van Thu');
    expect(report.signingTime).not.toBeNull();
  });

  it('verifies with openssl cms -verify (detached, DER)', async () => {
    const cms = await signCms(data, signer);
    writeFileSync(join(pki.dir, 'sig.der'), cms);
    writeFileSync(join(pki.dir, 'data.bin'), data);
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        'sig.der',
        '-content',
        'data.bin',
        '-CAfile',
        'root.pem',
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { cwd: pki.dir, stdio: 'pipe' },
    );
    expect(out).toBeDefined();
    const printed = execFileSync(
      'openssl',
      ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'],
      { cwd: pki.dir },
    ).toString();
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
  });

  it('openssl refuses our signature over other bytes', async () => {
    const cms = await signCms(data, signer);
    writeFileSync(join(pki.dir, 'sig2.der'), cms);
    writeFileSync(join(pki.dir, 'other.bin'), new TextEncoder().encode('other'));
    expect(() =>
      execFileSync(
        'openssl',
        [
          'cms',
          '-verify',
          '-binary',
          '-inform',
          'DER',
          '-in',
          'sig2.der',
          '-content',
          'other.bin',
          '-CAfile',
          'root.pem',
          '-purpose',
          'any',
          '-out',
          '/dev/null',
        ],
        { cwd: pki.dir, stdio: 'pipe' },
      ),
    ).toThrow();
  });

  it('verifies a CMS that openssl made', async () => {
    writeFileSync(join(pki.dir, 'in.bin'), data);
    execFileSync(
      'openssl',
      [
        'cms',
        '-sign',
        '-binary',
        '-md',
        'sha256',
        '-in',
        'in.bin',
        '-signer',
        'officer.pem',
        '-inkey',
        'officer.key',
        '-outform',
        'DER',
        '-out',
        'ossl.der',
      ],
      { cwd: pki.dir, stdio: 'pipe' },
    );
    const cms = new Uint8Array(readFileSync(join(pki.dir, 'ossl.der')));
    const report = await verifyCms(cms, data, { trustAnchors: [pki.rootDer], revocation: 'none' });
    expect(report.failures).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('reports a signature over other bytes as an integrity failure', async () => {
    const cms = await signCms(data, signer);
    const report = await verifyCms(cms, new TextEncoder().encode('khác'), {
      trustAnchors: [pki.rootDer],
      revocation: 'none',
    });
    expect(report.valid).toBe(false);
    expect(report.failures.map((f) => f.code)).toContain('cms.integrity');
    expect(report.failures[0]?.vi).toMatch(/thay đổi/);
  });

  it('reports an untrusted chain', async () => {
    const other = makePki(kind);
    const cms = await signCms(data, signer);
    const report = await verifyCms(cms, data, { trustAnchors: [other.rootDer], revocation: 'none' });
    expect(report.integrity).toBe(true);
    expect(report.failures.map((f) => f.code)).toContain('cms.untrusted_chain');
  });

  it('reports a certificate not valid at the signing time', async () => {
    const cms = await signCms(data, signer, { signingTime: new Date('2001-01-01T00:00:00Z') });
    const report = await verifyCms(cms, data, { trustAnchors: [pki.rootDer], revocation: 'none' });
    expect(report.failures.map((f) => f.code)).toContain('cms.certificate_not_valid_at_signing_time');
  });

  it('refuses a returned signature made with another key or over other bytes, before embedding it', async () => {
    const other = makePki(kind);
    const wrongKey = {
      ...signer,
      signDigest: createLocalSigner(other.officerKeyPem, pki.officerDer).signDigest,
    };
    const e1 = await signCms(data, wrongKey).catch((x: unknown) => x);
    expect(e1).toBeInstanceOf(SignatureError);
    expect(e1).toMatchObject({ code: 'signature.invalid_response', details: { field: 'signature' } });
    expect((e1 as SignatureError).localized.vi).toMatch(/không khớp với chứng thư số/);
    const otherBytes = {
      ...signer,
      signDigest: async () => new Uint8Array(sign('sha256', Buffer.from('khác'), pki.officerKeyPem)),
    };
    await expect(signCms(data, otherBytes)).rejects.toMatchObject({ code: 'signature.invalid_response' });
    const truncated = {
      ...signer,
      signDigest: async (d: Uint8Array, a: Uint8Array) => (await signer.signDigest(d, a)).slice(0, 20),
    };
    await expect(signCms(data, truncated)).rejects.toMatchObject({ code: 'signature.invalid_response' });
  });

  it('reports a time-stamp attribute that is not a valid time-stamp token', async () => {
    const cms = await signCms(data, signer);
    // Another CMS (not a TSTInfo) where the signature time-stamp token belongs.
    const bogus = addUnsignedAttribute(cms, OID.signatureTimeStampToken, await signCms(data, signer));
    const report = await verifyCms(bogus, data, { trustAnchors: [pki.rootDer], revocation: 'none' });
    expect(report.integrity).toBe(true);
    expect(report.timestamp).toMatchObject({ valid: false });
    expect(report.failures.map((f) => f.code)).toEqual(['cms.timestamp_invalid']);
    expect(report.valid).toBe(false);
  });
});

describe('signatures from remote services', () => {
  it('an ECDSA signature in raw r‖s form (64 bytes) is embedded as DER and verifies', async () => {
    const pki = makePki('ec');
    const key = createPrivateKey(pki.officerKeyPem);
    const p1363 = {
      ...createLocalSigner(pki.officerKeyPem, pki.officerDer),
      signDigest: async (_d: Uint8Array, attrs: Uint8Array) =>
        new Uint8Array(sign('sha256', attrs, { key, dsaEncoding: 'ieee-p1363' })),
    };
    const cms = await signCms(data, p1363);
    const report = await verifyCms(cms, data, { trustAnchors: [pki.rootDer], revocation: 'none' });
    expect(report.failures).toEqual([]);
  });

  it('a CMS without the signer certificate reports cms.no_signer_certificate', async () => {
    const pki = makePki('ec');
    const signer = createLocalSigner(pki.officerKeyPem, pki.officerDer);
    const prepared = await prepareCms(await sha256(data), signer);
    const sig = await signer.signDigest(prepared.toBeSigned, prepared.signedAttributes);
    const cms = assembleCms(prepared, sig, { eContentType: OID.data, eContent: data, certificates: false });
    const report = await verifyCms(cms, data, { trustAnchors: [pki.rootDer], revocation: 'none' });
    expect(report.failures.map((f) => f.code)).toEqual(['cms.no_signer_certificate']);
    expect(report.failures[0]?.vi).toMatch(/không kèm chứng thư số/);
  });

  it('bytes that are not a CMS SignedData are cms.corrupt, in two languages', async () => {
    const digest = createHash('sha256').update(data).digest();
    for (const bytes of [
      new Uint8Array(0),
      new Uint8Array(digest),
      new Uint8Array([0x30, 0x03, 0x06, 0x01, 0x00]),
    ]) {
      const report = await verifyCms(bytes, data, { trustAnchors: [], revocation: 'none' });
      expect(report.failures.map((f) => f.code)).toEqual(['cms.corrupt']);
      expect(report.failures[0]).toMatchObject({
        vi: expect.stringMatching(/bị hỏng/),
        en: expect.stringMatching(/corrupt/),
      });
    }
  });
});

describe('bad input', () => {
  const pki = makePki('ec');
  it('reports wrong key usage', async () => {
    const enc = makePki('ec', { keyUsage: 'keyEncipherment' });
    const cms = await signCms(data, createLocalSigner(enc.officerKeyPem, enc.officerDer));
    const report = await verifyCms(cms, data, { trustAnchors: [enc.rootDer], revocation: 'none' });
    expect(report.failures.map((f) => f.code)).toEqual(['cms.key_usage']);
  });

  it('rejects a corrupt certificate with a bilingual SignatureError', async () => {
    const bad = createLocalSigner(pki.officerKeyPem, new Uint8Array([1, 2, 3]));
    await expect(signCms(data, bad)).rejects.toMatchObject({ code: 'signature.corrupt_der' });
  });

  it('wraps a failing remote signer', async () => {
    const failing = {
      ...createLocalSigner(pki.officerKeyPem, pki.officerDer),
      signDigest: async () => {
        throw new Error('network');
      },
    };
    const err = await signCms(data, failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignatureError);
    expect((err as SignatureError).code).toBe('signature.signer_failed');
    expect((err as SignatureError).localized.vi).toMatch(/Không ký được/);
  });

  it('rejects a digest that is not 32 bytes', async () => {
    await expect(
      signCmsDigest(new Uint8Array(31), createLocalSigner(pki.officerKeyPem, pki.officerDer)),
    ).rejects.toMatchObject({ code: 'signature.invalid_input' });
  });

  it('fuzz: random bytes are never a valid signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const report = await verifyCms(bytes, data, { trustAnchors: [pki.rootDer], revocation: 'none' });
        expect(report.valid).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('fuzz: random and mutated CMS never crash verifyCms', async () => {
    const cms = await signCms(data, createLocalSigner(pki.officerKeyPem, pki.officerDer));
    const runs = Number(process.env.MOTCUA_PROPERTY_RUNS ?? 300);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc.tuple(fc.nat(cms.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const m = cms.slice();
            m[i] = (m[i] ?? 0) ^ x;
            return m;
          }),
        ),
        async (bytes) => {
          // Never throws; always a well-formed report whose validity agrees with its failures.
          const report = CmsVerificationReportSchema.parse(
            await verifyCms(bytes, data, { trustAnchors: [pki.rootDer], revocation: 'none' }),
          );
          expect(report.valid).toBe(report.failures.length === 0);
        },
      ),
      { numRuns: Math.min(runs, 2000) },
    );
  });
});
