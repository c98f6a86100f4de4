import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buf } from './cms.js';

/** What is known of a certificate's revocation at an instant. */
export interface RevocationStatus {
  status: 'good' | 'revoked' | 'unknown' | 'not_checked';
  source: 'ocsp' | 'crl' | 'embedded-ocsp' | 'embedded-crl' | null;
  revokedAt: string | null;
}

/** Raw revocation data (DER): OCSP responses and CRLs, as fetched or as embedded (PAdES DSS, CMS). */
export interface RevocationData {
  ocsps: Uint8Array[];
  crls: Uint8Array[];
}

const OCSP_METHOD = '1.3.6.1.5.5.7.48.1';

/** The OCSP responder URL of a certificate (AIA), if any. */
export function ocspUrlOf(cert: pkijs.Certificate): string | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === '1.3.6.1.5.5.7.1.1');
  const aia = ext?.parsedValue as pkijs.InfoAccess | undefined;
  const d = aia?.accessDescriptions?.find((a) => a.accessMethod === OCSP_METHOD);
  return typeof d?.accessLocation.value === 'string' ? d.accessLocation.value : undefined;
}

/** The first CRL distribution point URL of a certificate, if any. */
export function crlUrlOf(cert: pkijs.Certificate): string | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.31');
  const dps = ext?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  for (const dp of dps?.distributionPoints ?? []) {
    const names = dp.distributionPoint;
    if (Array.isArray(names))
      for (const n of names) if (n.type === 6 && typeof n.value === 'string') return n.value;
  }
  return undefined;
}

async function fetchBytes(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Uint8Array | undefined> {
  if (!/^https?:\/\//.test(url)) return undefined;
  try {
    const res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const bytes = new Uint8Array(await res.arrayBuffer());
    return bytes.length > 0 && bytes.length < 4 * 1024 * 1024 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fetches the revocation data of `cert` from its issuer's services: an OCSP response (RFC 6960, POST) and,
 * when there is no OCSP answer, the CRL. Never throws: what could not be fetched is left out.
 *
 * @example
 * ```ts
 * const { ocsps, crls } = await fetchRevocationData(signerCert, issuerCert);
 * ```
 */
export async function fetchRevocationData(
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<RevocationData> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeout = options.timeoutMs ?? 5000;
  const out: RevocationData = { ocsps: [], crls: [] };
  const ocspUrl = ocspUrlOf(cert);
  if (ocspUrl) {
    try {
      const req = new pkijs.OCSPRequest();
      await req.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
      const der = new Uint8Array(req.toSchema(true).toBER());
      const r = await fetchBytes(
        fetchFn,
        ocspUrl,
        { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: der },
        timeout,
      );
      if (r) out.ocsps.push(r);
    } catch {
      // no OCSP answer
    }
  }
  const crlUrl = crlUrlOf(cert);
  if (crlUrl && out.ocsps.length === 0) {
    const r = await fetchBytes(fetchFn, crlUrl, { method: 'GET' }, timeout);
    if (r) out.crls.push(r);
  }
  return out;
}

function sameSerial(a: asn1js.Integer, b: asn1js.Integer): boolean {
  const x = Buffer.from(a.valueBlock.valueHexView)
    .toString('hex')
    .replace(/^(00)+/, '');
  const y = Buffer.from(b.valueBlock.valueHexView)
    .toString('hex')
    .replace(/^(00)+/, '');
  return x === y;
}

/** The status of `cert` in one OCSP response signed by `issuer` (or undefined if it says nothing usable). */
async function fromOcsp(
  der: Uint8Array,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Promise<{ revokedAt: Date | null } | undefined> {
  try {
    const resp = pkijs.OCSPResponse.fromBER(buf(der));
    if (resp.responseStatus.valueBlock.valueDec !== 0 || !resp.responseBytes) return undefined;
    const basic = pkijs.BasicOCSPResponse.fromBER(buf(resp.responseBytes.response.valueBlock.valueHexView));
    const ok = await pkijs
      .getCrypto(true)
      .verifyWithPublicKey(
        buf(basic.tbsResponseData.tbsView),
        basic.signature,
        issuer.subjectPublicKeyInfo,
        basic.signatureAlgorithm,
      );
    if (!ok) return undefined;
    for (const single of basic.tbsResponseData.responses) {
      if (!sameSerial(single.certID.serialNumber, cert.serialNumber)) continue;
      const status = await basic.getCertificateStatus(cert, issuer);
      if (!status.isForCertificate) return undefined;
      if (status.status === 0) return { revokedAt: null };
      if (status.status === 1) {
        const inner = (single.certStatus as asn1js.Constructed).valueBlock?.value?.[0];
        const at =
          inner instanceof asn1js.GeneralizedTime
            ? inner.toDate()
            : new Date(Date.parse(String((inner as { toString?: () => string })?.toString?.() ?? '')) || 0);
        return { revokedAt: at };
      }
      return undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The status of `cert` in a CRL signed by `issuer` (or undefined). */
async function fromCrl(
  der: Uint8Array,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Promise<{ revokedAt: Date | null } | undefined> {
  try {
    const crl = pkijs.CertificateRevocationList.fromBER(buf(der));
    if (!crl.issuer.isEqual(issuer.subject)) return undefined;
    if (!(await crl.verify({ issuerCertificate: issuer }))) return undefined;
    const entry = crl.revokedCertificates?.find((r) => sameSerial(r.userCertificate, cert.serialNumber));
    return { revokedAt: entry ? entry.revocationDate.value : null };
  } catch {
    return undefined;
  }
}

/**
 * Decides the revocation status of `cert` at `at` from embedded data first, then (in `online` mode) from
 * the issuer's OCSP responder or CRL. A certificate revoked after `at` was good at `at`.
 */
export async function revocationStatus(
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate | undefined,
  at: Date,
  options: { mode: 'online' | 'offline'; embedded: RevocationData; fetch?: typeof fetch },
): Promise<{ status: RevocationStatus; fetched: RevocationData }> {
  const fetched: RevocationData = { ocsps: [], crls: [] };
  if (!issuer) return { status: { status: 'unknown', source: null, revokedAt: null }, fetched };
  const decide = (r: { revokedAt: Date | null }, source: RevocationStatus['source']): RevocationStatus =>
    r.revokedAt && r.revokedAt.getTime() <= at.getTime()
      ? { status: 'revoked', source, revokedAt: r.revokedAt.toISOString() }
      : { status: 'good', source, revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null };
  for (const o of options.embedded.ocsps) {
    const r = await fromOcsp(o, cert, issuer);
    if (r) return { status: decide(r, 'embedded-ocsp'), fetched };
  }
  for (const c of options.embedded.crls) {
    const r = await fromCrl(c, cert, issuer);
    if (r) return { status: decide(r, 'embedded-crl'), fetched };
  }
  if (options.mode === 'online') {
    const data = await fetchRevocationData(cert, issuer, options.fetch ? { fetch: options.fetch } : {});
    for (const o of data.ocsps) {
      const r = await fromOcsp(o, cert, issuer);
      if (r) return { status: decide(r, 'ocsp'), fetched: { ocsps: [o], crls: [] } };
    }
    for (const c of data.crls) {
      const r = await fromCrl(c, cert, issuer);
      if (r) return { status: decide(r, 'crl'), fetched: { ocsps: [], crls: [c] } };
    }
  }
  return { status: { status: 'unknown', source: null, revokedAt: null }, fetched };
}
