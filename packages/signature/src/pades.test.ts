import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from './cms.js';
import { createCscClient, createCscProvider } from './csc-client.js';
import { SignatureError } from './errors.js';
import { embedCms, type SignPdfOptions, signPdf } from './pades.js';
import { IncrementalUpdate } from './pdf-incremental.js';
import { providerSigner } from './provider.js';
import type { SigningOfficer } from './readiness.js';
import type { RemoteSigner } from './signer.js';
import { type CscSimulator, startCscSimulator } from './testing/csc-simulator.js';
import { createTsaClient } from './timestamp.js';
import { verifyPdf } from './verify-pdf.js';

let sim: CscSimulator;
let an: RemoteSigner;
let binh: RemoteSigner;
let pdf: Uint8Array;
const dir = mkdtempSync(join(tmpdir(), 'motcua-pades-'));

async function samplePdf(objectStreams = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Ket qua giai quyet thu tuc hanh chinh (du lieu gia lap)', { x: 50, y: 780, size: 14, font });
  doc.addPage([595, 842]);
  return doc.save({ useObjectStreams: objectStreams });
}

beforeAll(async () => {
  sim = await startCscSimulator({ seed: 'pades-test' });
  const csc = createCscClient({ baseUrl: sim.url, auth: sim.oauth2, retry: false });
  const provider = createCscProvider(csc, {
    authData: async (id) => {
      const c = sim.credentials.find((x) => x.credentialID === id);
      if (c?.otp) await csc.sendOtp(id);
      return { pin: c?.pin ?? '', ...(c?.otp ? { otp: sim.lastOtp(id) ?? '' } : {}) };
    },
  });
  an = await providerSigner(provider, 'cred-rsa-an');
  binh = await providerSigner(provider, 'cred-ec-binh');
  pdf = await samplePdf();
});
afterAll(() => sim.close());

const base: SignPdfOptions = { reason: 'Phê duyệt kết quả giải quyết hồ sơ', location: 'UBND xã Thử Nghiệm' };
const anchors = () => ({ trustAnchors: [sim.pki.root.der] });

describe('signPdf and verifyPdf', () => {
  it('B-B: one signature over the whole document, ≥ 16 KiB reserved, revocation checked online', async () => {
    const signed = await signPdf(pdf, an, base);
    expect(signed.subarray(0, pdf.length)).toEqual(pdf);
    const r = await verifyPdf(signed, anchors());
    expect(r.failures).toEqual([]);
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0];
    expect(s?.valid).toBe(true);
    expect(s?.coversWholeDocument).toBe(true);
    expect(s?.level).toBe('B-B');
    expect(s?.reason).toBe(base.reason);
    expect(s?.cms.revocation).toMatchObject({ status: 'good', source: 'ocsp' });
    const [, b = 0, c = 0] = s?.byteRange ?? [];
    expect((c - b - 2) / 2).toBeGreaterThanOrEqual(16 * 1024);
  });

  it('two sequential signatures (specialist, then leader) both stay intact', async () => {
    const one = await signPdf(pdf, an, { ...base, visible: { page: 0 } });
    const two = await signPdf(one, binh, {
      ...base,
      reason: 'Lãnh đạo ký duyệt',
      visible: { page: 0, rect: [36, 36, 260, 78] },
    });
    const r = await verifyPdf(two, anchors());
    expect(r.valid).toBe(true);
    expect(r.signatures.map((s) => s.fieldName)).toEqual(['Signature1', 'Signature2']);
    expect(r.signatures[0]?.coversWholeDocument).toBe(false);
    expect(r.signatures[0]?.signedRevisionLength).toBe(one.length);
    expect(r.signatures[0]?.modifiedAfterSigning).toBe(false);
    expect(r.signatures[1]?.coversWholeDocument).toBe(true);
    expect(r.signatures[1]?.cms.signer?.subject).toContain('Trần Thị Bình');
  });

  it('signs a PDF saved with object streams and cross-reference streams', async () => {
    const compact = await samplePdf(true);
    const two = await signPdf(await signPdf(compact, an, base), binh, base);
    const r = await verifyPdf(two, anchors());
    expect(r.valid).toBe(true);
    expect(r.signatures).toHaveLength(2);
    const reloaded = await PDFDocument.load(two);
    expect(reloaded.getPageCount()).toBe(2);
  });

  it('B-T: an RFC 3161 time-stamp from the time-stamping authority', async () => {
    const signed = await signPdf(pdf, an, {
      ...base,
      level: 'B-T',
      tsa: createTsaClient({ url: sim.pki.tsaUrl }),
    });
    const r = await verifyPdf(signed, anchors());
    expect(r.valid).toBe(true);
    expect(r.signatures[0]?.level).toBe('B-T');
    expect(r.signatures[0]?.cms.timestamp).toMatchObject({ valid: true });
    expect(r.signatures[0]?.cms.timestamp?.authority).toContain('Time-Stamping Authority');
  });

  it('B-LT: the DSS carries the revocation data, enough to verify offline', async () => {
    const tsa = createTsaClient({ url: sim.pki.tsaUrl });
    const signed = await signPdf(pdf, binh, { ...base, level: 'B-LT', tsa });
    const r = await verifyPdf(signed, { ...anchors(), revocation: 'offline' });
    expect(r.hasDss).toBe(true);
    expect(r.valid).toBe(true);
    expect(r.signatures[0]?.level).toBe('B-LT');
    expect(r.signatures[0]?.cms.revocation).toMatchObject({ status: 'good', source: 'embedded-ocsp' });
    // Without the DSS, offline verification cannot tell.
    const bt = await signPdf(pdf, binh, { ...base, level: 'B-T', tsa });
    const r2 = await verifyPdf(bt, { ...anchors(), revocation: 'offline' });
    expect(r2.signatures[0]?.cms.failures.map((f) => f.code)).toEqual(['cms.revocation_unknown']);
  });

  it('a byte changed inside the signed range fails integrity', async () => {
    const signed = await signPdf(pdf, an, base);
    const tampered = signed.slice();
    const text = new TextDecoder('latin1').decode(tampered);
    const at = text.indexOf('595', text.indexOf('/MediaBox'));
    expect(at).toBeGreaterThan(0);
    tampered[at + 2] = 0x34; // page width 595 -> 594
    const r = await verifyPdf(tampered, anchors());
    expect(r.valid).toBe(false);
    expect(r.signatures[0]?.cms.failures.map((f) => f.code)).toContain('cms.integrity');
    expect(r.signatures[0]?.cms.failures[0]?.vi).toMatch(/thay đổi/);
  });

  it('a byte range that does not start at 0 and a SubFilter that is not PAdES are each reported', async () => {
    const signed = await signPdf(pdf, an, base);
    const text = new TextDecoder('latin1').decode(signed);
    const patch = (from: string, to: string) => {
      const at = text.lastIndexOf(from);
      expect(at).toBeGreaterThan(0);
      const out = signed.slice();
      out.set(new TextEncoder().encode(to), at);
      return out;
    };
    const shifted = await verifyPdf(patch('/ByteRange [0 ', '/ByteRange [1 '), anchors());
    expect(shifted.valid).toBe(false);
    expect(shifted.signatures[0]?.failures.map((f) => f.code)).toContain('pdf.byte_range_invalid');
    expect(shifted.signatures[0]?.failures.find((f) => f.code === 'pdf.byte_range_invalid')?.vi).toBeTruthy();
    const notPades = await verifyPdf(patch('/ETSI.CAdES.detached', '/ETSI.CAdES.detacheX'), anchors());
    expect(notPades.valid).toBe(false);
    expect(notPades.signatures[0]?.failures.map((f) => f.code)).toContain('pdf.not_pades');
  });

  it('an incremental update that changes the page after signing is detected', async () => {
    const signed = await signPdf(pdf, an, base);
    const update = await IncrementalUpdate.open(signed);
    const page = update.doc.getPage(0);
    page.drawText('Sua so lieu sau khi ky', { x: 50, y: 700, size: 12 });
    update.touch(page.ref);
    const changed = update.serialize().bytes;
    const r = await verifyPdf(changed, anchors());
    expect(r.valid).toBe(false);
    const s = r.signatures[0];
    expect(s?.cms.valid).toBe(true);
    expect(s?.modifiedAfterSigning).toBe(true);
    expect(s?.changesAfter).toContain('page 1: changed');
    expect(s?.failures.map((f) => f.code)).toEqual(['pdf.modified_after_signing']);
  });

  it('an untrusted chain and a certificate revoked before signing time are reported', async () => {
    const signed = await signPdf(pdf, an, base);
    const other = await startCscSimulator({ seed: 'another-pki' });
    try {
      const r = await verifyPdf(signed, { trustAnchors: [other.pki.root.der] });
      expect(r.signatures[0]?.cms.failures.map((f) => f.code)).toContain('cms.untrusted_chain');
    } finally {
      await other.close();
    }
    // A certificate revoked (backdated: key compromise) before the signing time.
    const sim2 = await startCscSimulator({ seed: 'pades-test' });
    try {
      const csc2 = createCscClient({ baseUrl: sim2.url, auth: sim2.oauth2, retry: false });
      const cred = sim2.credentials[0];
      const signer = await providerSigner(
        createCscProvider(csc2, { authData: async () => ({ pin: cred?.pin ?? '' }) }),
        'cred-rsa-an',
      );
      const byRevoked = await signPdf(pdf, signer, base);
      const good = await verifyPdf(byRevoked, { trustAnchors: [sim2.pki.root.der] });
      expect(good.valid).toBe(true);
      const serial = Buffer.from(
        parseCertificate(signer.certificate).serialNumber.valueBlock.valueHexView,
      ).toString('hex');
      sim2.pki.revoke(serial, new Date(Date.now() - 86_400_000));
      const r = await verifyPdf(byRevoked, { trustAnchors: [sim2.pki.root.der] });
      expect(r.signatures[0]?.cms.failures.map((f) => f.code)).toEqual(['cms.revoked']);
      expect(r.signatures[0]?.cms.revocation.status).toBe('revoked');
      expect(r.signatures[0]?.cms.failures[0]?.vi).toMatch(/thu hồi/);
    } finally {
      await sim2.close();
    }
  });

  it('checks the signer was entitled at signing time (role or delegation)', async () => {
    const signed = await signPdf(pdf, an, base);
    const officers: SigningOfficer[] = [
      {
        officerId: 'officer-an',
        unit: 'xa-thu-nghiem',
        roles: ['specialist'],
        credential: { kind: 'csc', id: 'cred-rsa-an', certificate: an.certificate },
      },
    ];
    const result = await verifyPdf(signed, {
      ...anchors(),
      entitlement: { officers, delegations: [], unit: 'xa-thu-nghiem', purpose: 'result' },
    });
    expect(result.signatures[0]).toMatchObject({ entitled: true, officerId: 'officer-an', valid: true });
    const copy = await verifyPdf(signed, {
      ...anchors(),
      entitlement: { officers, delegations: [], unit: 'xa-thu-nghiem', purpose: 'certified_copy' },
    });
    expect(copy.signatures[0]?.entitled).toBe(false);
    expect(copy.signatures[0]?.failures.map((f) => f.code)).toEqual(['pdf.signer_not_entitled']);
    const delegated = await verifyPdf(signed, {
      ...anchors(),
      entitlement: {
        officers,
        delegations: [
          {
            unit: 'xa-thu-nghiem',
            to: 'officer-an',
            scope: 'certified_copy',
            from: '2020-01-01T00:00:00+07:00',
            until: '2099-01-01T00:00:00+07:00',
          },
        ],
        unit: 'xa-thu-nghiem',
        purpose: 'certified_copy',
      },
    });
    expect(delegated.signatures[0]?.entitled).toBe(true);
  });

  it('entitlement counts only the assignment in force at signing time', async () => {
    const signed = await signPdf(pdf, an, { ...base, signingTime: new Date('2025-09-15T03:00:00Z') });
    const assigned = (validFrom: string, validUntil: string): SigningOfficer => ({
      officerId: 'officer-an',
      unit: 'xa-thu-nghiem',
      roles: ['specialist'],
      credential: { kind: 'csc', id: 'cred-rsa-an', certificate: an.certificate },
      validFrom,
      validUntil,
    });
    const check = async (officers: SigningOfficer[]) =>
      (
        await verifyPdf(signed, {
          ...anchors(),
          revocation: 'none',
          entitlement: { officers, delegations: [], unit: 'xa-thu-nghiem', purpose: 'result' },
        })
      ).signatures[0];
    // Moved to another post before signing: not entitled here any more.
    const moved = await check([assigned('2024-01-01T00:00:00+07:00', '2025-08-31T23:59:59+07:00')]);
    expect(moved).toMatchObject({ entitled: false, officerId: 'officer-an' });
    expect(moved?.failures.map((f) => f.code)).toContain('pdf.signer_not_entitled');
    // A later assignment of the same officer covers the signing time.
    const later = await check([
      assigned('2024-01-01T00:00:00+07:00', '2025-08-31T23:59:59+07:00'),
      assigned('2025-09-01T00:00:00+07:00', '2026-12-31T23:59:59+07:00'),
    ]);
    expect(later).toMatchObject({ entitled: true, officerId: 'officer-an' });
  });

  it('bad input: not a PDF, no signature, missing fields, a CMS too large for the hole', async () => {
    const notPdf = await verifyPdf(new TextEncoder().encode('hello'), anchors());
    expect(notPdf.failures.map((f) => f.code)).toEqual(['pdf.not_a_pdf']);
    expect((await verifyPdf(pdf, anchors())).failures.map((f) => f.code)).toEqual(['pdf.no_signatures']);
    const e = await signPdf(new TextEncoder().encode('%PDF-1.7 garbage'), an, base).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SignatureError);
    expect((e as SignatureError).code).toBe('signature.not_a_pdf');
    const noReason = await signPdf(pdf, an, { ...base, reason: '' }).catch((x: unknown) => x);
    expect((noReason as SignatureError).details.field).toBe('reason');
    const noTsa = await signPdf(pdf, an, { ...base, level: 'B-T' }).catch((x: unknown) => x);
    expect((noTsa as SignatureError).details.field).toBe('tsa');
    const small = await signPdf(pdf, an, { ...base, reserveBytes: 1000 }).catch((x: unknown) => x);
    expect((small as SignatureError).details.field).toBe('reserveBytes');
    const tooBig = (() => {
      try {
        embedCms(
          { pdf, byteRange: [0, 1, 2, 3], digest: new Uint8Array(32), reserveBytes: 16384 },
          new Uint8Array(20000),
        );
      } catch (x) {
        return x;
      }
    })();
    expect((tooBig as SignatureError).code).toBe('signature.pdf_reserve_too_small');
  });
});

const hasPdfsig = (() => {
  try {
    execFileSync('pdfsig', ['-v'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasPdfsig)
  console.warn(
    'pdfsig (poppler-utils) is not installed: the PAdES cross-check with poppler is SKIPPED. Install poppler-utils.',
  );

describe.skipIf(!hasPdfsig)('cross-check with poppler pdfsig', () => {
  const pdfsig = (bytes: Uint8Array, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    try {
      return execFileSync('pdfsig', ['-nocert', file], { stdio: 'pipe' }).toString();
    } catch (e) {
      return String((e as { stdout?: Buffer }).stdout ?? e);
    }
  };

  it('pdfsig finds both sequential signatures valid, with our byte ranges', async () => {
    const tsa = createTsaClient({ url: sim.pki.tsaUrl });
    const one = await signPdf(pdf, an, { ...base, level: 'B-T', tsa, visible: {} });
    const two = await signPdf(one, binh, {
      ...base,
      level: 'B-LT',
      tsa,
      visible: { rect: [36, 36, 260, 78] },
    });
    const out = pdfsig(two, 'two.pdf');
    expect(out.match(/Signature Validation: Signature is Valid/g)).toHaveLength(2);
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signer Certificate Common Name: Nguyễn Văn An');
    expect(out).toContain('Signer Certificate Common Name: Trần Thị Bình');
    const ours = await verifyPdf(two, anchors());
    const [, b, c, d] = ours.signatures[0]?.byteRange ?? [];
    expect(out).toContain(`Signed Ranges: [0 - ${b}], [${c} - ${(c ?? 0) + (d ?? 0)}]`);
  });

  it('pdfsig sees the tampered PDF as a digest mismatch', async () => {
    const signed = await signPdf(pdf, an, base);
    const tampered = signed.slice();
    const text = new TextDecoder('latin1').decode(tampered);
    const at = text.indexOf('595', text.indexOf('/MediaBox'));
    expect(at).toBeGreaterThan(0);
    tampered[at + 2] = 0x34;
    const out = pdfsig(tampered, 'tampered.pdf');
    expect(out).not.toContain('Signature is Valid');
    expect(out).toMatch(/Digest Mismatch|Invalid/);
  });
});
