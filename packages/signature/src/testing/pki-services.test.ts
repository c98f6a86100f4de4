import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buf, signCms } from '../cms.js';
import { createLocalSigner } from '../local-signer.js';
import { verifyCms } from '../verify-cms.js';
import { type SimulatedPki, startSimulatedPki } from './pki-services.js';

const DAY = 86_400_000;
const now = () => new Date('2025-09-01T03:00:00Z');
const spki = (der: Uint8Array) =>
  new X509Certificate(Buffer.from(der)).publicKey.export({ type: 'spki', format: 'der' });

describe('simulated PKI: deterministic from the seed', () => {
  it('same seed, clock and port: the same certificates byte for byte; another port: only the URLs differ', async () => {
    const a = await startSimulatedPki({ seed: 'pki-det', now });
    const port = Number(new URL(a.url).port);
    const issue = (p: SimulatedPki) => [
      p.issue({ label: 'rsa', name: 'Cán bộ Một', kind: 'rsa' }),
      p.issue({ label: 'ec', name: 'Cán bộ Hai', kind: 'ec' }),
    ];
    const fromA = issue(a);
    const caA = [a.root.der, a.issuing.der, a.tsa.der];
    await a.close();
    const b = await startSimulatedPki({ seed: 'pki-det', now, port });
    const c = await startSimulatedPki({ seed: 'pki-det', now });
    const d = await startSimulatedPki({ seed: 'another-seed', now });
    try {
      const fromB = issue(b);
      expect([b.root.der, b.issuing.der, b.tsa.der]).toEqual(caA);
      expect(fromB.map((x) => x.der)).toEqual(fromA.map((x) => x.der));
      const fromC = issue(c);
      for (const [i, x] of fromC.entries()) {
        expect(x.der).not.toEqual(fromA[i]?.der);
        expect(spki(x.der)).toEqual(spki(fromA[i]?.der ?? new Uint8Array()));
        expect(x.serial).toBe(fromA[i]?.serial);
      }
      const fromD = issue(d);
      for (const [i, x] of fromD.entries()) {
        expect(spki(x.der)).not.toEqual(spki(fromA[i]?.der ?? new Uint8Array()));
        expect(x.serial).not.toBe(fromA[i]?.serial);
      }
    } finally {
      await Promise.all([b.close(), c.close(), d.close()]);
    }
  }, 30_000);

  it('refuses a port that is not one', async () => {
    await expect(startSimulatedPki({ port: 70_000 })).rejects.toThrow(/port/);
  });
});

describe('simulated PKI: its endpoints', () => {
  let pki: SimulatedPki;
  beforeAll(async () => {
    pki = await startSimulatedPki({ seed: 'pki-endpoints', now });
  });
  afterAll(async () => {
    await pki.close();
  });

  it('GET /ca/root.cer and /ca/issuing.cer give the CA certificates', async () => {
    const root = await fetch(`${pki.url}ca/root.cer`);
    expect(root.headers.get('content-type')).toBe('application/pkix-cert');
    expect(new Uint8Array(await root.arrayBuffer())).toEqual(pki.root.der);
    const issuing = await fetch(`${pki.url}ca/issuing.cer`);
    expect(new Uint8Array(await issuing.arrayBuffer())).toEqual(pki.issuing.der);
  });

  it('GET /crl/issuing.crl is signed by the issuing CA and lists revoked certificates', async () => {
    const officer = pki.issue({ label: 'crl-revoked', name: 'Cán bộ Thu Hồi', kind: 'ec' });
    pki.revoke(officer.serial, new Date(now().getTime() - DAY));
    const before = pki.stats.crl;
    const res = await fetch(pki.crlUrl);
    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    const crl = pkijs.CertificateRevocationList.fromBER(buf(new Uint8Array(await res.arrayBuffer())));
    expect(await crl.verify({ issuerCertificate: pki.issuing.cert })).toBe(true);
    const serials = (crl.revokedCertificates ?? []).map((r) =>
      Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex'),
    );
    expect(serials).toContain(officer.serial);
    expect(pki.stats.crl).toBe(before + 1);
  });

  it('OCSP by GET answers as by POST', async () => {
    const officer = pki.issue({ label: 'ocsp-get', name: 'Cán bộ Ba', kind: 'ec' });
    const req = new pkijs.OCSPRequest();
    await req.createForCertificate(officer.cert, {
      hashAlgorithm: 'SHA-1',
      issuerCertificate: pki.issuing.cert,
    });
    const der = new Uint8Array(req.toSchema(true).toBER());
    const get = await fetch(`${pki.ocspUrl}/${encodeURIComponent(Buffer.from(der).toString('base64'))}`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/ocsp-response');
    const resp = pkijs.OCSPResponse.fromBER(buf(new Uint8Array(await get.arrayBuffer())));
    expect(resp.responseStatus.valueBlock.valueDec).toBe(0);
    const status = await resp.getCertificateStatus(officer.cert, pki.issuing.cert);
    expect(status).toMatchObject({ isForCertificate: true, status: 0 });
  });

  it('refuses wrong media types, methods, paths and oversized bodies', async () => {
    const before = pki.stats.rejected;
    const ocsp = await fetch(pki.ocspUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(ocsp.status).toBe(415);
    const tsa = await fetch(pki.tsaUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(tsa.status).toBe(415);
    expect((await fetch(pki.tsaUrl)).status).toBe(405);
    expect((await fetch(pki.ocspUrl, { method: 'PUT', body: 'x' })).status).toBe(405);
    expect((await fetch(`${pki.url}nothing-here`)).status).toBe(404);
    const big = await fetch(pki.ocspUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: new Uint8Array(70 * 1024),
    });
    expect(big.status).toBe(413);
    expect(pki.stats.rejected).toBe(before + 6);
  });

  it('verifyCms falls back to the CRL when the OCSP responder is down: good, and revoked before signing', async () => {
    const data = new TextEncoder().encode('Bản sao chứng thực');
    const noOcsp: typeof fetch = (input, init) =>
      String(input).startsWith(pki.ocspUrl) ? Promise.reject(new TypeError('down')) : fetch(input, init);
    const good = pki.issue({ label: 'crl-good', name: 'Cán bộ Bốn', kind: 'ec' });
    const cmsGood = await signCms(data, createLocalSigner(good.key, good.der, [pki.issuing.der]), {
      signingTime: now(),
    });
    const okReport = await verifyCms(cmsGood, data, { trustAnchors: [pki.root.der], fetch: noOcsp });
    expect(okReport.revocation).toMatchObject({ status: 'good', source: 'crl' });
    expect(okReport.valid).toBe(true);

    const bad = pki.issue({ label: 'crl-bad', name: 'Cán bộ Năm', kind: 'rsa' });
    pki.revoke(bad.serial, new Date(now().getTime() - 2 * DAY));
    const cmsBad = await signCms(data, createLocalSigner(bad.key, bad.der, [pki.issuing.der]), {
      signingTime: now(),
    });
    const badReport = await verifyCms(cmsBad, data, { trustAnchors: [pki.root.der], fetch: noOcsp });
    expect(badReport.revocation).toMatchObject({ status: 'revoked', source: 'crl' });
    expect(badReport.failures.map((f) => f.code)).toEqual(['cms.revoked']);
    expect(badReport.failures[0]?.vi).toMatch(/thu hồi/);
  }, 20_000);
});
