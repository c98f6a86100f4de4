import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buf, sha256 } from './cms.js';
import { SignatureError } from './errors.js';

/** Options of {@link createTsaClient}. */
export interface TsaClientOptions {
  /** The time-stamping authority's URL (RFC 3161 over HTTP). */
  url: string;
  /** Timeout, ms. Default 10,000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Extra headers (for example HTTP Basic credentials of a commercial TSA). */
  headers?: Record<string, string>;
}

/** A client of an RFC 3161 time-stamping authority. */
export interface TsaClient {
  /** A time-stamp token (DER ContentInfo) over the SHA-256 `digest`. */
  timestamp(digest: Uint8Array): Promise<Uint8Array>;
}

const TST_INFO = '1.2.840.113549.1.9.16.1.4';

function tsaError(en: string, vi: string, cause?: unknown): SignatureError {
  return new SignatureError('signature.timestamp_failed', en, vi, cause);
}

/**
 * An RFC 3161 client: sends a TimeStampReq (SHA-256, a random nonce, certReq) and checks the answer:
 * status granted, the same imprint and nonce, a token signed over its TSTInfo.
 *
 * @example
 * ```ts
 * const tsa = createTsaClient({ url: 'https://tsa.example.vn/' });
 * const token = await tsa.timestamp(await sha256(signatureValue));
 * ```
 */
export function createTsaClient(options: TsaClientOptions): TsaClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  return {
    async timestamp(digest) {
      if (!(digest instanceof Uint8Array) || digest.length !== 32)
        throw new SignatureError(
          'signature.invalid_input',
          'digest: must be 32 bytes of SHA-256.',
          'digest: giá trị băm phải là 32 byte SHA-256.',
          undefined,
          { field: 'digest' },
        );
      const nonce = globalThis.crypto.getRandomValues(new Uint8Array(8));
      nonce[0] = (nonce[0] ?? 0) & 0x7f;
      const req = new pkijs.TimeStampReq({
        version: 1,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }),
          hashedMessage: new asn1js.OctetString({ valueHex: buf(digest) }),
        }),
        nonce: new asn1js.Integer({ valueHex: buf(nonce) }),
        certReq: true,
      });
      let res: Response;
      try {
        res = await fetchFn(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query', ...options.headers },
          body: new Uint8Array(req.toSchema().toBER()),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw tsaError(
          'The time-stamping authority did not answer.',
          'Không kết nối được tới dịch vụ cấp dấu thời gian.',
          e,
        );
      }
      if (!res.ok)
        throw tsaError(
          `The time-stamping authority answered HTTP ${res.status}.`,
          `Dịch vụ cấp dấu thời gian trả về mã HTTP ${res.status}.`,
        );
      const bytes = new Uint8Array(await res.arrayBuffer());
      let resp: pkijs.TimeStampResp;
      try {
        resp = pkijs.TimeStampResp.fromBER(buf(bytes));
      } catch (e) {
        throw tsaError(
          'The time-stamping authority sent an answer that is not an RFC 3161 response.',
          'Dịch vụ cấp dấu thời gian trả về dữ liệu không đúng chuẩn RFC 3161.',
          e,
        );
      }
      const status = resp.status.status;
      if ((status !== 0 && status !== 1) || !resp.timeStampToken)
        throw tsaError(
          `The time-stamping authority refused the request (status ${status}).`,
          `Dịch vụ cấp dấu thời gian từ chối yêu cầu (trạng thái ${status}).`,
        );
      const token = new Uint8Array(resp.timeStampToken.toSchema().toBER());
      const info = readTstInfo(token);
      if (!info || Buffer.compare(Buffer.from(info.imprint), Buffer.from(digest)) !== 0)
        throw tsaError(
          'The time-stamp does not cover the requested hash.',
          'Dấu thời gian không khớp với giá trị băm đã gửi.',
        );
      if (!info.nonce || Buffer.compare(Buffer.from(info.nonce), Buffer.from(nonce)) !== 0)
        throw tsaError(
          'The time-stamp does not echo our nonce (a replayed answer?).',
          'Dấu thời gian không chứa đúng số ngẫu nhiên đã gửi (có thể là phản hồi cũ).',
        );
      return token;
    },
  };
}

/** The TSTInfo of a time-stamp token: time, imprint, nonce; undefined when it cannot be read. */
export function readTstInfo(
  token: Uint8Array,
): { genTime: Date; imprint: Uint8Array; nonce?: Uint8Array; signed: pkijs.SignedData } | undefined {
  try {
    const info = pkijs.ContentInfo.fromBER(buf(token));
    const signed = new pkijs.SignedData({ schema: info.content });
    if (signed.encapContentInfo.eContentType !== TST_INFO || !signed.encapContentInfo.eContent)
      return undefined;
    const tst = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
    return {
      genTime: tst.genTime,
      imprint: new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
      ...(tst.nonce ? { nonce: new Uint8Array(tst.nonce.valueBlock.valueHexView) } : {}),
      signed,
    };
  } catch {
    return undefined;
  }
}

/** The result of {@link verifyTimestampToken}. */
export interface TimestampCheck {
  valid: boolean;
  time: string | null;
  /** Subject of the TSA certificate. */
  authority: string | null;
}

/**
 * Verifies a time-stamp token over `data`: the imprint is SHA-256(data), the token's signature holds, and
 * the TSA certificate chains to a trust anchor. Never throws.
 *
 * @example
 * ```ts
 * const check = await verifyTimestampToken(token, signatureValue, [rootCert]); check.valid && check.time;
 * ```
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  data: Uint8Array,
  trustAnchors: readonly pkijs.Certificate[],
): Promise<TimestampCheck> {
  const info = readTstInfo(token);
  if (!info) return { valid: false, time: null, authority: null };
  const out: TimestampCheck = { valid: false, time: info.genTime.toISOString(), authority: null };
  try {
    if (Buffer.compare(Buffer.from(info.imprint), Buffer.from(await sha256(data))) !== 0) return out;
    const certs = (info.signed.certificates ?? []).filter(
      (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
    );
    // Checked by hand: pkijs's own TSTInfo path cannot read every eContent encoding.
    const si = info.signed.signerInfos[0];
    const eContent = info.signed.encapContentInfo.eContent;
    if (!si?.signedAttrs || !eContent) return out;
    const md = si.signedAttrs.attributes.find((a) => a.type === '1.2.840.113549.1.9.4')?.values[0] as
      | asn1js.OctetString
      | undefined;
    const contentDigest = await sha256(new Uint8Array(eContent.getValue()));
    if (!md || Buffer.compare(Buffer.from(md.valueBlock.valueHexView), Buffer.from(contentDigest)) !== 0)
      return out;
    const sid = si.sid;
    const tsaCert = certs.find(
      (c) =>
        sid instanceof pkijs.IssuerAndSerialNumber &&
        c.issuer.isEqual(sid.issuer) &&
        c.serialNumber.isEqual(sid.serialNumber),
    );
    if (!tsaCert) return out;
    const attrs = new Uint8Array(si.signedAttrs.encodedValue);
    attrs[0] = 0x31;
    const ok = await pkijs
      .getCrypto(true)
      .verifyWithPublicKey(
        buf(attrs),
        si.signature,
        tsaCert.subjectPublicKeyInfo,
        si.signatureAlgorithm,
        'SHA-256',
      );
    if (!ok) return out;
    out.authority = tsaCert.subject.typesAndValues
      .map((t) => `${t.type}=${t.value.valueBlock.value}`)
      .join(', ');
    const chain = await new pkijs.CertificateChainValidationEngine({
      trustedCerts: [...trustAnchors],
      certs: [...certs.filter((c) => c !== tsaCert), tsaCert],
      checkDate: info.genTime,
    }).verify();
    out.valid = chain.result === true;
  } catch {
    out.valid = false;
  }
  return out;
}
