import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SignatureError } from './errors.js';
import type { RemoteSigner } from './signer.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaSha256: '1.2.840.10045.4.3.2',
} as const;

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', buf(bytes)));
}

function buf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

/** Parses a DER certificate or throws `signature.corrupt_der`. */
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

/** As {@link signCms}, from the SHA-256 digest of the data (for PDFs signed by byte range). */
export async function signCmsDigest(
  digest: Uint8Array,
  signer: RemoteSigner,
  options: SignCmsOptions = {},
): Promise<Uint8Array> {
  if (digest.length !== 32) {
    throw new SignatureError(
      'signature.invalid_input',
      'The digest must be 32 bytes of SHA-256.',
      'Giá trị băm phải là 32 byte SHA-256.',
    );
  }
  const cert = parseCertificate(signer.certificate);
  const certHash = await sha256(signer.certificate);
  const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: buf(digest) })),
    attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: options.signingTime ?? new Date() })),
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
  const sorted = encoded.map((e) => e.a);
  const signedAttrsDer = new Uint8Array(new asn1js.Set({ value: sorted.map((a) => a.toSchema()) }).toBER());
  let signature: Uint8Array;
  try {
    signature = await signer.signDigest(await sha256(signedAttrsDer), signedAttrsDer);
  } catch (e) {
    if (e instanceof SignatureError) throw e;
    throw new SignatureError(
      'signature.signer_failed',
      'The signer could not sign.',
      'Không ký được: dịch vụ ký không trả về chữ ký.',
      e,
    );
  }
  const ec = signer.algorithm === 'ECDSA-P256';
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier(
      ec
        ? { algorithmId: OID.ecdsaSha256 }
        : { algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() },
    ),
    signature: new asn1js.OctetString({ valueHex: buf(signature) }),
  });
  const certificates = [cert, ...(signer.chain ?? []).map((c) => parseCertificate(c))];
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    signerInfos: [signerInfo],
    certificates,
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER());
}
