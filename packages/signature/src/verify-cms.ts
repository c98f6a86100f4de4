import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { z } from 'zod';
import { OID, parseCertificate } from './cms.js';
import { type RevocationData, revocationStatus } from './revocation.js';
import { verifyTimestampToken } from './timestamp.js';

/**
 * One failure in a {@link CmsVerificationReport}: a stable code and a plain reason in two languages.
 *
 * @example
 * ```ts
 * VerificationFailureSchema.parse({ code: 'cms.integrity', vi: '…', en: '…' });
 * ```
 */
export const VerificationFailureSchema = z.object({
  code: z.enum([
    'cms.corrupt',
    'cms.integrity',
    'cms.no_signer_certificate',
    'cms.untrusted_chain',
    'cms.certificate_not_valid_at_signing_time',
    'cms.key_usage',
    'cms.revoked',
    'cms.revocation_unknown',
    'cms.timestamp_invalid',
  ]),
  vi: z.string(),
  en: z.string(),
});
/** A failure found by {@link verifyCms}. */
export type VerificationFailure = z.infer<typeof VerificationFailureSchema>;

/**
 * The result of {@link verifyCms}.
 *
 * @example
 * ```ts
 * const report = CmsVerificationReportSchema.parse(JSON.parse(stored));
 * ```
 */
export const CmsVerificationReportSchema = z.object({
  valid: z.boolean(),
  integrity: z.boolean(),
  chainTrusted: z.boolean(),
  signer: z
    .object({
      subject: z.string(),
      issuer: z.string(),
      serialNumber: z.string(),
      notBefore: z.string(),
      notAfter: z.string(),
    })
    .nullable(),
  signingTime: z.string().nullable(),
  /** The instant validity and revocation were judged at: `at`, else the time-stamp, else the claimed signing time. */
  checkedAt: z.string(),
  revocation: z.object({
    status: z.enum(['good', 'revoked', 'unknown', 'not_checked']),
    source: z.enum(['ocsp', 'crl', 'embedded-ocsp', 'embedded-crl']).nullable(),
    revokedAt: z.string().nullable(),
  }),
  timestamp: z
    .object({ valid: z.boolean(), time: z.string().nullable(), authority: z.string().nullable() })
    .nullable(),
  failures: z.array(VerificationFailureSchema),
});
/** A verification report: what holds, and each failure with a code and a bilingual reason. */
export type CmsVerificationReport = z.infer<typeof CmsVerificationReportSchema>;

/** Options of {@link verifyCms}. */
export interface VerifyCmsOptions {
  /** Trusted root certificates (DER): the national root and licensed CAs are configuration. */
  trustAnchors: readonly Uint8Array[];
  /** Check validity at this instant instead of the signing time in the signature. */
  at?: Date;
  /**
   * Revocation checking of the signer's certificate: `online` (default) uses embedded data, then the
   * issuer's OCSP responder, then its CRL; `offline` only embedded data; `none` skips it.
   */
  revocation?: 'online' | 'offline' | 'none';
  /**
   * The signing time claimed outside the CMS (a PDF's `/M`), used when the CMS has neither a signing-time
   * attribute nor a time-stamp.
   */
  claimedSigningTime?: Date;
  /** Revocation data carried beside the signature (PAdES DSS), DER. */
  revocationData?: Partial<RevocationData>;
  /** The fetch used for OCSP and CRLs. */
  fetch?: typeof fetch;
  /** Receives the revocation data fetched online (to embed it: PAdES B-LT). */
  onRevocationData?: (data: RevocationData, certificates: Uint8Array[]) => void;
}

const FAIL: Record<VerificationFailure['code'], { vi: string; en: string }> = {
  'cms.corrupt': {
    vi: 'Tệp chữ ký bị hỏng hoặc không phải chữ ký CMS.',
    en: 'The signature file is corrupt or is not a CMS signature.',
  },
  'cms.integrity': {
    vi: 'Nội dung đã bị thay đổi sau khi ký hoặc chữ ký không khớp với tài liệu.',
    en: 'The content was changed after signing, or the signature does not match the document.',
  },
  'cms.no_signer_certificate': {
    vi: 'Chữ ký không kèm chứng thư số của người ký.',
    en: "The signature does not carry the signer's certificate.",
  },
  'cms.untrusted_chain': {
    vi: 'Chứng thư số không được cấp bởi tổ chức cung cấp dịch vụ chứng thực được tin cậy.',
    en: 'The certificate does not chain to a trusted certification authority.',
  },
  'cms.certificate_not_valid_at_signing_time': {
    vi: 'Chứng thư số chưa có hiệu lực hoặc đã hết hạn tại thời điểm ký.',
    en: 'The certificate was not yet valid or had expired at signing time.',
  },
  'cms.key_usage': {
    vi: 'Chứng thư số không được phép dùng để ký số.',
    en: 'The certificate is not allowed to make digital signatures.',
  },
  'cms.revoked': {
    vi: 'Chứng thư số của người ký đã bị thu hồi trước thời điểm ký.',
    en: "The signer's certificate was revoked before the signing time.",
  },
  'cms.revocation_unknown': {
    vi: 'Không xác định được tình trạng thu hồi của chứng thư số (không có phản hồi OCSP hoặc danh sách CRL).',
    en: "The certificate's revocation status could not be established (no OCSP answer or CRL).",
  },
  'cms.timestamp_invalid': {
    vi: 'Dấu thời gian kèm chữ ký không hợp lệ.',
    en: 'The time-stamp attached to the signature is not valid.',
  },
};

function fail(code: VerificationFailure['code']): VerificationFailure {
  return { code, ...FAIL[code] };
}

function name(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues.map((t) => `${t.type}=${t.value.valueBlock.value}`).join(', ');
}

function embeddedCrls(signed: pkijs.SignedData): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of signed.crls ?? [])
    if (c instanceof pkijs.CertificateRevocationList) out.push(new Uint8Array(c.toSchema(true).toBER()));
  return out;
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * Verifies a detached CMS SignedData over `data`: integrity, signer certificate, chain to a trust
 * anchor, validity and revocation status (embedded data, OCSP, CRL) at signing time, the RFC 3161
 * time-stamp if any (its time is then the signing time), and key usage. Never throws on bad input: returns
 * a failed report whose failures each carry a code and a reason in Vietnamese and English.
 *
 * @example
 * ```ts
 * const report = await verifyCms(cms, data, { trustAnchors: [rootDer] });
 * if (!report.valid) for (const f of report.failures) console.log(f.code, f.vi);
 * ```
 */
export async function verifyCms(
  cms: Uint8Array,
  data: Uint8Array,
  options: VerifyCmsOptions,
): Promise<CmsVerificationReport> {
  const report: CmsVerificationReport = {
    valid: false,
    integrity: false,
    chainTrusted: false,
    signer: null,
    signingTime: null,
    checkedAt: (options.at ?? new Date()).toISOString(),
    revocation: { status: 'not_checked', source: null, revokedAt: null },
    timestamp: null,
    failures: [],
  };
  let signed: pkijs.SignedData;
  try {
    if (!(cms instanceof Uint8Array) || cms.length === 0) throw new Error('no bytes');
    const info = pkijs.ContentInfo.fromBER(cms.slice().buffer as ArrayBuffer);
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not signed data');
    signed = new pkijs.SignedData({ schema: info.content });
    if (signed.signerInfos.length === 0) throw new Error('no signer');
  } catch {
    report.failures.push(fail('cms.corrupt'));
    return report;
  }
  const signerInfo = signed.signerInfos[0] as pkijs.SignerInfo;
  const certs = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid = signerInfo.sid;
  const cert =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
      : undefined;
  if (!cert) {
    report.failures.push(fail('cms.no_signer_certificate'));
    return report;
  }
  report.signer = {
    subject: name(cert.subject),
    issuer: name(cert.issuer),
    serialNumber: hex(cert.serialNumber.valueBlock.valueHexView.slice().buffer as ArrayBuffer),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
  };
  const timeAttr = signerInfo.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.5');
  const timeValue = timeAttr?.values[0];
  if (timeValue instanceof asn1js.UTCTime || timeValue instanceof asn1js.GeneralizedTime) {
    report.signingTime = timeValue.toDate().toISOString();
  }
  try {
    const result = await signed.verify({
      signer: 0,
      data: data.slice().buffer as ArrayBuffer,
      extendedMode: true,
      checkChain: false,
    });
    report.integrity = result.signatureVerified === true;
  } catch {
    report.integrity = false;
  }
  if (!report.integrity) report.failures.push(fail('cms.integrity'));
  let anchors: pkijs.Certificate[] = [];
  try {
    anchors = options.trustAnchors.map((a) => parseCertificate(a));
  } catch {
    anchors = [];
  }
  const tsAttr = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken);
  if (tsAttr?.values[0]) {
    try {
      const token = new Uint8Array(tsAttr.values[0].toBER());
      report.timestamp = await verifyTimestampToken(
        token,
        new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
        anchors,
      );
    } catch {
      report.timestamp = { valid: false, time: null, authority: null };
    }
    if (!report.timestamp.valid) report.failures.push(fail('cms.timestamp_invalid'));
  }
  const at =
    options.at ??
    (report.timestamp?.valid && report.timestamp.time
      ? new Date(report.timestamp.time)
      : report.signingTime
        ? new Date(report.signingTime)
        : (options.claimedSigningTime ?? new Date()));
  report.checkedAt = at.toISOString();
  try {
    const chain = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors,
      certs: [...certs.filter((c) => c !== cert), cert],
      checkDate: at,
    });
    const r = await chain.verify();
    report.chainTrusted = r.result === true;
  } catch {
    report.chainTrusted = false;
  }
  if (!report.chainTrusted) report.failures.push(fail('cms.untrusted_chain'));
  const mode = options.revocation ?? 'online';
  if (mode !== 'none' && report.chainTrusted) {
    const pool = [...certs, ...anchors];
    const issuer = pool.find((c) => c !== cert && c.subject.isEqual(cert.issuer));
    const embedded: RevocationData = {
      ocsps: [...(options.revocationData?.ocsps ?? [])],
      crls: [...(options.revocationData?.crls ?? []), ...embeddedCrls(signed)],
    };
    const { status, fetched } = await revocationStatus(cert, issuer, at, {
      mode,
      embedded,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    report.revocation = status;
    if (options.onRevocationData && (fetched.ocsps.length > 0 || fetched.crls.length > 0))
      options.onRevocationData(
        fetched,
        [cert, ...(issuer ? [issuer] : [])].map((c) => new Uint8Array(c.toSchema().toBER())),
      );
    if (status.status === 'revoked') report.failures.push(fail('cms.revoked'));
    if (status.status === 'unknown') report.failures.push(fail('cms.revocation_unknown'));
  }
  if (at < cert.notBefore.value || at > cert.notAfter.value) {
    report.failures.push(fail('cms.certificate_not_valid_at_signing_time'));
  }
  const ku = cert.extensions?.find((e) => e.extnID === '2.5.29.15');
  if (ku) {
    const bits = ku.parsedValue as asn1js.BitString | undefined;
    const first = bits?.valueBlock.valueHexView[0] ?? 0;
    // digitalSignature (bit 0) or nonRepudiation (bit 1)
    if ((first & 0xc0) === 0) report.failures.push(fail('cms.key_usage'));
  }
  report.valid = report.failures.length === 0;
  return report;
}
