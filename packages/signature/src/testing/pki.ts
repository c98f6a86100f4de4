import { createHash, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { assembleCms, buf, prepareCms } from '../cms.js';
import type { SignatureAlgorithm } from '../signer.js';
import { signDigestWithKey, spkiOf } from './keys.js';

/**
 * A certificate with its private key, in the simulators' in-memory PKI.
 *
 * @example
 * ```ts
 * const officer = pki.issue({ label: 'a', name: 'Cán bộ Thử Nghiệm', kind: 'ec' });
 * const signer = createLocalSigner(officer.key, officer.der, [pki.issuing.der]);
 * ```
 */
export interface IssuedCertificate {
  der: Uint8Array;
  cert: pkijs.Certificate;
  key: KeyObject;
  algorithm: SignatureAlgorithm;
  /** Serial number, lower-case hex. */
  serial: string;
}

const KU = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 } as const;

function rdn(attrs: Record<string, string>): pkijs.RelativeDistinguishedNames {
  const oid: Record<string, string> = {
    CN: '2.5.4.3',
    O: '2.5.4.10',
    OU: '2.5.4.11',
    C: '2.5.4.6',
    L: '2.5.4.7',
  };
  // One attribute per RDN (pkijs would put them all in one multi-valued RDN).
  const name = new asn1js.Sequence({
    value: Object.entries(attrs).map(
      ([k, v]) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({
              type: oid[k] ?? k,
              value:
                k === 'C' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
            }).toSchema(),
          ],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(name.toBER());
}

const sigAlg = (alg: SignatureAlgorithm) =>
  alg === 'ECDSA-P256'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' })
    : new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.113549.1.1.11',
        algorithmParams: new asn1js.Null(),
      });

const algorithmOf = (key: KeyObject): SignatureAlgorithm =>
  key.asymmetricKeyType === 'ec' ? 'ECDSA-P256' : 'RSASSA-PKCS1-v1_5';

/** Signs `tbs` DER with `key` the way X.509, CRLs and OCSP need it. */
function signTbs(key: KeyObject, tbs: ArrayBuffer): asn1js.BitString {
  const digest = createHash('sha256').update(Buffer.from(tbs)).digest();
  return new asn1js.BitString({ valueHex: buf(signDigestWithKey(key, digest)) });
}

/** Options of {@link issueCertificate}. */
export interface IssueOptions {
  subject: Record<string, string>;
  key: KeyObject;
  /** The issuer; omitted: self-signed. */
  issuer?: IssuedCertificate;
  serial: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  keyUsage?: (keyof typeof KU)[];
  extKeyUsage?: string[];
  ocspUrl?: string;
  crlUrl?: string;
}

/** Issues an X.509 v3 certificate (synthetic PKI of the simulators). */
export function issueCertificate(o: IssueOptions): IssuedCertificate {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = new Uint8Array(o.serial);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  if (serial[0] === 0) serial[0] = 1;
  cert.serialNumber = new asn1js.Integer({ valueHex: buf(serial) });
  cert.subject = rdn(o.subject);
  cert.issuer = o.issuer ? o.issuer.cert.subject : rdn(o.subject);
  cert.notBefore = new pkijs.Time({ type: 0, value: o.notBefore });
  cert.notAfter = new pkijs.Time({ type: 0, value: o.notAfter });
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(buf(spkiOf(o.key)));
  const ski = createHash('sha1')
    .update(Buffer.from(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))
    .digest();
  const issuerSki = o.issuer
    ? createHash('sha1')
        .update(Buffer.from(o.issuer.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))
        .digest()
    : ski;
  const ext = (extnID: string, critical: boolean, value: { toSchema(): asn1js.AsnType } | asn1js.AsnType) =>
    new pkijs.Extension({
      extnID,
      critical,
      extnValue: ('toSchema' in value ? value.toSchema() : value).toBER(false),
    });
  const usage = (o.keyUsage ?? (o.ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation']))
    .map((u) => KU[u])
    .reduce((a, b) => a | b, 0);
  let unused = 0;
  while (unused < 7 && !(usage & (1 << unused))) unused++;
  const extensions = [
    ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: o.ca === true })),
    ext(
      '2.5.29.15',
      true,
      new asn1js.BitString({ valueHex: new Uint8Array([usage]).buffer, unusedBits: unused }),
    ),
    ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: buf(ski) })),
    ext(
      '2.5.29.35',
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: buf(issuerSki) }),
      }),
    ),
  ];
  if (o.extKeyUsage)
    extensions.push(ext('2.5.29.37', true, new pkijs.ExtKeyUsage({ keyPurposes: o.extKeyUsage })));
  if (o.ocspUrl)
    extensions.push(
      ext(
        '1.3.6.1.5.5.7.1.1',
        false,
        new pkijs.InfoAccess({
          accessDescriptions: [
            new pkijs.AccessDescription({
              accessMethod: '1.3.6.1.5.5.7.48.1',
              accessLocation: new pkijs.GeneralName({ type: 6, value: o.ocspUrl }),
            }),
          ],
        }),
      ),
    );
  if (o.crlUrl)
    extensions.push(
      ext(
        '2.5.29.31',
        false,
        new pkijs.CRLDistributionPoints({
          distributionPoints: [
            new pkijs.DistributionPoint({
              distributionPoint: [new pkijs.GeneralName({ type: 6, value: o.crlUrl })],
            }),
          ],
        }),
      ),
    );
  cert.extensions = extensions;
  const signerKey = o.issuer ? o.issuer.key : o.key;
  cert.signature = sigAlg(algorithmOf(signerKey));
  cert.signatureAlgorithm = sigAlg(algorithmOf(signerKey));
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER());
  cert.signatureValue = signTbs(signerKey, buf(cert.tbsView));
  const der = new Uint8Array(cert.toSchema(true).toBER());
  return {
    der,
    cert: pkijs.Certificate.fromBER(buf(der)),
    key: o.key,
    algorithm: algorithmOf(o.key),
    serial: Buffer.from(serial).toString('hex'),
  };
}

/** A revoked certificate: serial (hex) and when. */
export interface Revocation {
  serial: string;
  revokedAt: Date;
}

/** Makes a CRL of `issuer` listing `revoked`, valid from `thisUpdate` for `hours`. */
export function makeCrl(
  issuer: IssuedCertificate,
  revoked: Revocation[],
  thisUpdate: Date,
  hours = 24,
): Uint8Array {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuer.cert.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: thisUpdate });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(thisUpdate.getTime() + hours * 3_600_000) });
  if (revoked.length > 0)
    crl.revokedCertificates = revoked.map(
      (r) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: buf(Buffer.from(r.serial, 'hex')) }),
          revocationDate: new pkijs.Time({ type: 0, value: r.revokedAt }),
        }),
    );
  crl.signature = sigAlg(issuer.algorithm);
  crl.signatureAlgorithm = sigAlg(issuer.algorithm);
  crl.tbsView = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER());
  crl.signatureValue = signTbs(issuer.key, buf(crl.tbsView));
  return new Uint8Array(crl.toSchema(true).toBER());
}

/** OCSP statuses a responder gives. */
export type OcspAnswer = { status: 'good' } | { status: 'revoked'; revokedAt: Date } | { status: 'unknown' };

/**
 * Answers a DER OCSP request for certificates of `issuer` (the CA signs its own responses). Malformed
 * requests get `malformedRequest` (status 1), as RFC 6960 says.
 */
export function answerOcsp(
  requestDer: Uint8Array,
  issuer: IssuedCertificate,
  statusOf: (serialHex: string) => OcspAnswer,
  now: Date,
): Uint8Array {
  const fail = (status: number) =>
    new Uint8Array(
      new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER(),
    );
  let request: pkijs.OCSPRequest;
  try {
    request = pkijs.OCSPRequest.fromBER(buf(requestDer));
    if (request.tbsRequest.requestList.length === 0) return fail(1);
  } catch {
    return fail(1);
  }
  const issuerKeyHash = createHash('sha1')
    .update(Buffer.from(issuer.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))
    .digest('hex');
  const basic = new pkijs.BasicOCSPResponse();
  basic.tbsResponseData.responderID = issuer.cert.subject;
  basic.tbsResponseData.producedAt = now;
  for (const r of request.tbsRequest.requestList) {
    const id = r.reqCert;
    const serial = Buffer.from(id.serialNumber.valueBlock.valueHexView).toString('hex');
    const ours = Buffer.from(id.issuerKeyHash.valueBlock.valueHexView).toString('hex') === issuerKeyHash;
    const answer: OcspAnswer = ours ? statusOf(serial) : { status: 'unknown' };
    const certStatus =
      answer.status === 'revoked'
        ? new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 1 },
            value: [new asn1js.GeneralizedTime({ valueDate: answer.revokedAt })],
          })
        : new asn1js.Primitive({
            idBlock: { tagClass: 3, tagNumber: answer.status === 'good' ? 0 : 2 },
          });
    basic.tbsResponseData.responses.push(
      new pkijs.SingleResponse({
        certID: id,
        certStatus,
        thisUpdate: now,
        nextUpdate: new Date(now.getTime() + 3_600_000),
      }),
    );
  }
  basic.signatureAlgorithm = sigAlg(issuer.algorithm);
  basic.tbsResponseData.tbsView = new Uint8Array(basic.tbsResponseData.toSchema(true).toBER());
  basic.signature = signTbs(issuer.key, buf(basic.tbsResponseData.tbsView));
  basic.certs = [issuer.cert];
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: '1.3.6.1.5.5.7.48.1.1',
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

/**
 * Answers a DER RFC 3161 time-stamp request: a token signed by `tsa` (with ESS signing-certificate-v2),
 * the request's nonce echoed. A malformed request or a hash other than SHA-256 gets status 2 (rejection)
 * with failInfo badDataFormat or badAlg.
 */
export async function answerTimestamp(
  requestDer: Uint8Array,
  tsa: IssuedCertificate,
  chain: IssuedCertificate[],
  now: Date,
  serial: bigint,
): Promise<Uint8Array> {
  const reject = (failBit: number) => {
    const bits = new Uint8Array(4);
    bits[failBit >> 3] = 0x80 >> (failBit & 7);
    return new Uint8Array(
      new pkijs.TimeStampResp({
        status: new pkijs.PKIStatusInfo({
          status: 2,
          failInfo: new asn1js.BitString({ valueHex: bits.buffer.slice(0, (failBit >> 3) + 1) }),
        }),
      })
        .toSchema()
        .toBER(),
    );
  };
  let req: pkijs.TimeStampReq;
  try {
    req = pkijs.TimeStampReq.fromBER(buf(requestDer));
  } catch {
    return reject(5); // badDataFormat
  }
  if (req.messageImprint.hashAlgorithm.algorithmId !== '2.16.840.1.101.3.4.2.1') return reject(0); // badAlg
  if (req.messageImprint.hashedMessage.valueBlock.valueHexView.length !== 32) return reject(5);
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '2.999.84.1',
    messageImprint: req.messageImprint,
    serialNumber: new asn1js.Integer({
      valueHex: buf(Buffer.from(serial.toString(16).padStart(16, '0'), 'hex')),
    }),
    genTime: now,
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
    ...(req.nonce ? { nonce: req.nonce } : {}),
  });
  const tstDer = new Uint8Array(tst.toSchema().toBER());
  const digest = new Uint8Array(createHash('sha256').update(tstDer).digest());
  const prepared = await prepareCms(
    digest,
    { certificate: tsa.der, chain: req.certReq ? chain.map((c) => c.der) : [], algorithm: tsa.algorithm },
    { signingTime: now, contentType: '1.2.840.113549.1.9.16.1.4' },
  );
  const token = assembleCms(prepared, signDigestWithKey(tsa.key, prepared.toBeSigned), {
    eContentType: '1.2.840.113549.1.9.16.1.4',
    eContent: tstDer,
    certificates: req.certReq,
  });
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: 0 }),
    timeStampToken: pkijs.ContentInfo.fromBER(buf(token)),
  });
  return new Uint8Array(resp.toSchema().toBER());
}
