import { type KeyObject, verify as verifySignature, X509Certificate } from 'node:crypto';
import { MotcuaError } from '@motcua/core';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SignatureError } from './errors.js';
import type { RemoteSigner } from './signer.js';

/**
 * The object identifiers this package writes and reads (CMS, ESS, algorithms, time-stamps, OCSP).
 *
 * @example
 * ```ts
 * addUnsignedAttribute(cms, OID.signatureTimeStampToken, tokenDer);
 * ```
 */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
} as const;

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', buf(bytes)));
}

/** A fresh ArrayBuffer with exactly these bytes (a Node Buffer's `.slice()` would share its pool). */
export function buf(bytes: Uint8Array): ArrayBuffer {
  return Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer;
}

/**
 * Parses a DER certificate or throws `signature.corrupt_der`.
 *
 * @example
 * ```ts
 * const cert = parseCertificate(der); cert.notAfter.value;
 * ```
 */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(buf(der));
  } catch (e) {
    throw new SignatureError(
      'signature.corrupt_der',
      'The certificate is not valid DER.',
      'Chứng thư số không đúng định dạng DER.',
      e,
    );
  }
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** Options of {@link signCms}. */
export interface SignCmsOptions {
  /** The signing time put in the signed attributes; defaults to now. */
  signingTime?: Date;
  /**
   * PAdES baseline: leave out the signing-time attribute (ETSI EN 319 142-1 puts the time in the PDF's
   * `/M` instead). Default false.
   */
  omitSigningTime?: boolean;
  /** The content-type attribute; default id-data (a time-stamp authority uses id-ct-TSTInfo). */
  contentType?: string;
}

/** What {@link prepareCms} gives: the DER signed attributes and the digest a (remote) signer must sign. */
export interface PreparedCms {
  /** DER of the signed attributes (a SET), the bytes the signature covers. */
  signedAttributes: Uint8Array;
  /** SHA-256 of `signedAttributes`: what is sent to a remote signer. */
  toBeSigned: Uint8Array;
  certificate: Uint8Array;
  chain: readonly Uint8Array[];
  algorithm: RemoteSigner['algorithm'];
}

/**
 * First half of a CMS signature: builds the signed attributes (content-type, message-digest, signing-time
 * unless omitted, ESS signing-certificate-v2) over `digest` and the digest to sign. Use it with
 * {@link assembleCms} when the signature comes back later (asynchronous providers).
 *
 * @example
 * ```ts
 * const prepared = await prepareCms(digest, { certificate, chain, algorithm: 'ECDSA-P256' });
 * const signature = await provider.sign(prepared.toBeSigned); // later...
 * const cms = assembleCms(prepared, signature);
 * ```
 */
export async function prepareCms(
  digest: Uint8Array,
  signer: Pick<RemoteSigner, 'certificate' | 'chain' | 'algorithm'>,
  options: SignCmsOptions = {},
): Promise<PreparedCms> {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) {
    throw new SignatureError(
      'signature.invalid_input',
      'digest: must be 32 bytes of SHA-256.',
      'digest: giá trị băm phải là 32 byte SHA-256.',
      undefined,
      { field: 'digest' },
    );
  }
  parseCertificate(signer.certificate);
  const certHash = await sha256(signer.certificate);
  const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: options.contentType ?? OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: buf(digest) })),
    ...(options.omitSigningTime
      ? []
      : [attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: options.signingTime ?? new Date() }))]),
    attribute(
      OID.signingCertificateV2,
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [new asn1js.OctetString({ valueHex: buf(certHash) })],
              }),
            ],
          }),
        ],
      }),
    ),
  ];
  // DER: a SET OF is sorted by the encodings of its elements.
  const encoded = attributes.map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) }));
  encoded.sort((x, y) => compare(x.der, y.der));
  const signedAttributes = new Uint8Array(
    new asn1js.Set({ value: encoded.map((e) => e.a.toSchema()) }).toBER(),
  );
  return {
    signedAttributes,
    toBeSigned: await sha256(signedAttributes),
    certificate: signer.certificate,
    chain: signer.chain ?? [],
    algorithm: signer.algorithm,
  };
}

/**
 * Second half of a CMS signature: puts the signature over `prepared.signedAttributes` into a detached
 * SignedData (DER ContentInfo) with the signer's certificate and chain.
 *
 * @example
 * ```ts
 * const cms = assembleCms(prepared, signatureFromProvider);
 * ```
 */
export function assembleCms(
  prepared: PreparedCms,
  signature: Uint8Array,
  encapsulated?: { eContentType: string; eContent: Uint8Array; certificates?: boolean },
): Uint8Array {
  const cert = parseCertificate(prepared.certificate);
  let attributes: pkijs.Attribute[];
  try {
    const set = asn1js.fromBER(buf(prepared.signedAttributes)).result;
    if (!(set instanceof asn1js.Set)) throw new Error('not a SET');
    attributes = set.valueBlock.value.map((v) => new pkijs.Attribute({ schema: v }));
  } catch (e) {
    throw new SignatureError(
      'signature.corrupt_der',
      'signedAttributes: not a DER SET of attributes.',
      'signedAttributes: thuộc tính ký không đúng định dạng DER.',
      e,
      { field: 'signedAttributes' },
    );
  }
  const ec = prepared.algorithm === 'ECDSA-P256';
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier(
      ec
        ? { algorithmId: OID.ecdsaSha256 }
        : { algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() },
    ),
    signature: new asn1js.OctetString({ valueHex: buf(signature) }),
  });
  const certificates = [cert, ...prepared.chain.map((c) => parseCertificate(c))];
  const signed = new pkijs.SignedData({
    version: encapsulated ? 3 : 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo(
      encapsulated
        ? {
            eContentType: encapsulated.eContentType,
            eContent: new asn1js.OctetString({ valueHex: buf(encapsulated.eContent) }),
          }
        : { eContentType: OID.data },
    ),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    signerInfos: [signerInfo],
    ...(encapsulated?.certificates === false ? {} : { certificates }),
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER());
}

/**
 * Checks a signature that came back from a (remote) signer against the certificate before it is embedded,
 * so that a wrong key, a truncated answer or a signature over other bytes fails here, with a clear error,
 * rather than later as an invalid document. An ECDSA signature in the raw `r‖s` form (64 bytes, as some
 * services answer) is returned in the DER form CMS needs. Throws `signature.invalid_response`.
 *
 * @example
 * ```ts
 * const der = checkSignatureValue(prepared, await provider.sign(prepared.toBeSigned));
 * ```
 */
export function checkSignatureValue(prepared: PreparedCms, signature: Uint8Array): Uint8Array {
  const mismatch = (cause?: unknown) =>
    new SignatureError(
      'signature.invalid_response',
      "The signature returned by the signer does not match the officer's certificate (another key, another hash, or a damaged answer); nothing was embedded.",
      'Chữ ký do dịch vụ ký trả về không khớp với chứng thư số của cán bộ (khóa khác, giá trị băm khác hoặc dữ liệu bị hỏng); chưa nhúng chữ ký vào tài liệu.',
      cause,
      { field: 'signature', algorithm: prepared.algorithm },
    );
  if (!(signature instanceof Uint8Array) || signature.length === 0 || signature.length > 1024)
    throw mismatch();
  let key: KeyObject;
  try {
    key = new X509Certificate(Buffer.from(prepared.certificate)).publicKey;
  } catch (e) {
    throw mismatch(e);
  }
  const data = Buffer.from(prepared.signedAttributes);
  const ok = (dsaEncoding: 'der' | 'ieee-p1363') => {
    try {
      return verifySignature('sha256', data, { key, dsaEncoding }, signature);
    } catch {
      return false;
    }
  };
  const ec = prepared.algorithm === 'ECDSA-P256';
  if ((key.asymmetricKeyType === 'ec') !== ec) throw mismatch();
  if (ok('der')) return signature;
  if (ec && signature.length === 64 && ok('ieee-p1363')) return p1363ToDer(signature);
  throw mismatch();
}

/** ECDSA `r‖s` (32 + 32 bytes) → DER `ECDSA-Sig-Value`. */
function p1363ToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.slice(i);
    return (v[0] ?? 0) & 0x80 ? Uint8Array.of(0, ...v) : v;
  };
  const r = int(raw.slice(0, 32));
  const s = int(raw.slice(32));
  return Uint8Array.of(0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s);
}

/**
 * Makes a detached CMS SignedData (SHA-256) over `data` with the signed attributes content-type,
 * message-digest, signing-time and ESS signing-certificate-v2, the signature coming from `signer`.
 * Returns the DER of the ContentInfo.
 *
 * @example
 * ```ts
 * const cms = await signCms(new TextEncoder().encode('kết quả'), createLocalSigner(keyPem, certDer));
 * ```
 */
export async function signCms(
  data: Uint8Array,
  signer: RemoteSigner,
  options: SignCmsOptions = {},
): Promise<Uint8Array> {
  return signCmsDigest(await sha256(data), signer, options);
}

/**
 * As {@link signCms}, from the SHA-256 digest of the data (for PDFs signed by byte range).
 *
 * @example
 * ```ts
 * const cms = await signCmsDigest(await sha256(bytes), signer, { omitSigningTime: true });
 * ```
 */
export async function signCmsDigest(
  digest: Uint8Array,
  signer: RemoteSigner,
  options: SignCmsOptions = {},
): Promise<Uint8Array> {
  const prepared = await prepareCms(digest, signer, options);
  let signature: Uint8Array;
  try {
    signature = await signer.signDigest(prepared.toBeSigned, prepared.signedAttributes);
  } catch (e) {
    if (e instanceof MotcuaError) throw e;
    throw new SignatureError(
      'signature.signer_failed',
      'The signer could not sign.',
      'Không ký được: dịch vụ ký không trả về chữ ký.',
      e,
    );
  }
  return assembleCms(prepared, checkSignatureValue(prepared, signature));
}

/**
 * Adds unsigned attributes (for example an RFC 3161 signature time-stamp token) to the first SignerInfo
 * of a CMS, keeping its signature intact. Returns the new DER.
 *
 * @example
 * ```ts
 * const withTs = addUnsignedAttribute(cms, OID.signatureTimeStampToken, tokenDer);
 * ```
 */
export function addUnsignedAttribute(cms: Uint8Array, type: string, valueDer: Uint8Array): Uint8Array {
  const { signed, signerInfo } = parseSignedData(cms);
  const value = asn1js.fromBER(buf(valueDer)).result;
  if (value.error) throw corrupt(new Error(value.error));
  const attr = new pkijs.Attribute({ type, values: [value] });
  const existing = signerInfo.unsignedAttrs?.attributes ?? [];
  signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [...existing, attr],
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER());
}

function corrupt(e: unknown): SignatureError {
  return new SignatureError(
    'signature.corrupt_der',
    'The CMS signature is not valid DER.',
    'Chữ ký CMS không đúng định dạng DER.',
    e,
  );
}

/** Parses a DER ContentInfo holding a SignedData with at least one SignerInfo, or throws `signature.corrupt_der`. */
export function parseSignedData(cms: Uint8Array): { signed: pkijs.SignedData; signerInfo: pkijs.SignerInfo } {
  try {
    const info = pkijs.ContentInfo.fromBER(buf(cms));
    if (info.contentType !== OID.signedData) throw new Error('not signed data');
    const signed = new pkijs.SignedData({ schema: info.content });
    const signerInfo = signed.signerInfos[0];
    if (!signerInfo) throw new Error('no signer');
    return { signed, signerInfo };
  } catch (e) {
    throw corrupt(e);
  }
}
