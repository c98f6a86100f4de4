import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HttpError } from '@motcua/http';
import fontkit from '@pdf-lib/fontkit';
import {
  drawRectangle,
  drawText,
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRef,
  popGraphicsState,
  pushGraphicsState,
  rgb,
} from 'pdf-lib';
import * as pkijs from 'pkijs';
import {
  addUnsignedAttribute,
  assembleCms,
  buf,
  checkSignatureValue,
  OID,
  type PreparedCms,
  parseCertificate,
  prepareCms,
  sha256,
} from './cms.js';
import { SignatureError } from './errors.js';
import { IncrementalUpdate } from './pdf-incremental.js';
import { fetchRevocationData, type RevocationData } from './revocation.js';
import type { RemoteSigner } from './signer.js';
import type { TsaClient } from './timestamp.js';

/** PAdES baseline levels (ETSI EN 319 142-1). */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT';

/** A visible signature: where, and (optionally) what it says. */
export interface VisibleSignature {
  /** Page index from 0. Default 0. */
  page?: number;
  /** `[x, y, width, height]` in points from the bottom-left. Default: bottom right, 260 wide, as high as the lines. */
  rect?: [number, number, number, number];
  /** The lines shown; default: signer, organization, time (GMT+7), reason, location. */
  lines?: string[];
  /** A TrueType font with Vietnamese glyphs; default DejaVu Sans. */
  font?: Uint8Array;
  fontSize?: number;
}

/** Options of {@link signPdf}. */
export interface SignPdfOptions {
  /** Why it is signed (shown by readers), e.g. "Phê duyệt kết quả giải quyết hồ sơ". */
  reason: string;
  /** Where, e.g. "UBND xã Thử Nghiệm". */
  location: string;
  contactInfo?: string;
  visible?: VisibleSignature;
  /** Default `B-B`. `B-T` and `B-LT` need `tsa`. */
  level?: PadesLevel;
  /** The time-stamping authority (RFC 3161) for B-T and B-LT. */
  tsa?: TsaClient;
  /** Bytes reserved for the CMS. Default and minimum 16,384. */
  reserveBytes?: number;
  /** The signing time written in `/M` (and shown). Default now. */
  signingTime?: Date;
  /** The signature field's name. Default `Signature<n>`. */
  fieldName?: string;
  /** The fetch used for OCSP and CRLs (B-LT). */
  fetch?: typeof fetch;
}

/** A PDF with a hole for the signature, ready for the CMS (see {@link preparePdfSignature}). */
export interface PreparedPdf {
  /** The PDF with `/ByteRange` filled and `/Contents` zeroed. */
  pdf: Uint8Array;
  byteRange: [number, number, number, number];
  /** SHA-256 of the bytes the byte range covers. */
  digest: Uint8Array;
  reserveBytes: number;
}

const MIN_RESERVE = 16 * 1024;

function pdfDate(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${v.getUTCFullYear()}${p(v.getUTCMonth() + 1)}${p(v.getUTCDate())}${p(v.getUTCHours())}${p(v.getUTCMinutes())}${p(v.getUTCSeconds())}+07'00'`;
}

function shownDate(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())} (GMT+7)`;
}

const text = (s: string) => PDFHexString.fromText(s.normalize('NFC')).toString();

function attr(cert: pkijs.Certificate, oid: string): string {
  const t = cert.subject.typesAndValues.find((x) => x.type === oid);
  return t ? String(t.value.valueBlock.value) : '';
}

let cachedFont: Uint8Array | undefined;
function defaultFont(): Uint8Array {
  if (cachedFont) return cachedFont;
  const base = typeof __filename === 'string' ? __filename : import.meta.url;
  const req = createRequire(base);
  cachedFont = new Uint8Array(readFileSync(req.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));
  return cachedFont;
}

function validate(options: SignPdfOptions): number {
  const check = (v: unknown, field: string, max: number) => {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > max)
      throw new SignatureError(
        'signature.invalid_input',
        `${field}: required, a text of 1 to ${max} characters.`,
        `${field}: bắt buộc, là chuỗi từ 1 đến ${max} ký tự.`,
        undefined,
        { field },
      );
  };
  check(options.reason, 'reason', 500);
  check(options.location, 'location', 200);
  const level = options.level ?? 'B-B';
  if (!['B-B', 'B-T', 'B-LT'].includes(level))
    throw new SignatureError(
      'signature.invalid_input',
      'level: must be B-B, B-T or B-LT.',
      'level: phải là B-B, B-T hoặc B-LT.',
      undefined,
      { field: 'level' },
    );
  const reserve = options.reserveBytes ?? MIN_RESERVE;
  if (!Number.isInteger(reserve) || reserve < MIN_RESERVE || reserve > 1024 * 1024)
    throw new SignatureError(
      'signature.invalid_input',
      `reserveBytes: an integer from ${MIN_RESERVE} to 1048576.`,
      `reserveBytes: số nguyên từ ${MIN_RESERVE} đến 1048576.`,
      undefined,
      { field: 'reserveBytes' },
    );
  return reserve;
}

/**
 * First step of a PAdES signature: appends, as an incremental update, a signature field (visible or not)
 * and a signature dictionary (`/SubFilter /ETSI.CAdES.detached`) with `reserveBytes` of room, and returns
 * the PDF with its byte range and the digest to sign.
 *
 * @example
 * ```ts
 * const prepared = await preparePdfSignature(pdf, signer.certificate, { reason: 'Phê duyệt', location: 'UBND xã' });
 * ```
 */
export async function preparePdfSignature(
  pdf: Uint8Array,
  certificate: Uint8Array,
  options: SignPdfOptions,
): Promise<PreparedPdf> {
  const reserve = validate(options);
  const cert = parseCertificate(certificate);
  const update = await IncrementalUpdate.open(pdf);
  const { doc } = update;
  const ctx = doc.context;
  const when = options.signingTime ?? new Date();
  const pages = doc.getPages();
  const pageIndex = options.visible?.page ?? 0;
  const page = pages[pageIndex];
  if (!page)
    throw new SignatureError(
      'signature.invalid_input',
      `visible.page: the PDF has ${pages.length} page(s); page ${pageIndex} does not exist.`,
      `visible.page: tệp PDF có ${pages.length} trang; không có trang ${pageIndex}.`,
      undefined,
      { field: 'visible.page' },
    );
  const signerName = attr(cert, '2.5.4.3');
  const hexLength = reserve * 2;
  const sigBody = `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 0000000000 0000000000 0000000000] /Contents <${'0'.repeat(hexLength)}> /M (${pdfDate(when)}) /Name ${text(signerName || 'unknown')} /Reason ${text(options.reason)} /Location ${text(options.location)}${options.contactInfo ? ` /ContactInfo ${text(options.contactInfo)}` : ''} /Prop_Build << /App << /Name /Motcua >> >> >>`;
  const sigRef = update.reserveRaw(sigBody);

  // The form and its field names.
  const catalog = doc.catalog;
  let acroForm: PDFDict;
  const acroRaw = catalog.get(PDFName.of('AcroForm'));
  if (acroRaw instanceof PDFRef) {
    acroForm = ctx.lookup(acroRaw, PDFDict);
    update.touch(acroRaw);
  } else if (acroRaw instanceof PDFDict) {
    acroForm = acroRaw;
    update.touch(ctx.trailerInfo.Root as PDFRef);
  } else {
    acroForm = ctx.obj({ Fields: [] }) as PDFDict;
    catalog.set(PDFName.of('AcroForm'), ctx.register(acroForm));
    update.touch(ctx.trailerInfo.Root as PDFRef);
  }
  let fields: PDFArray;
  const fieldsRaw = acroForm.get(PDFName.of('Fields'));
  if (fieldsRaw instanceof PDFRef) {
    fields = ctx.lookup(fieldsRaw, PDFArray);
    update.touch(fieldsRaw);
  } else if (fieldsRaw instanceof PDFArray) fields = fieldsRaw;
  else {
    fields = ctx.obj([]) as PDFArray;
    acroForm.set(PDFName.of('Fields'), fields);
  }
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const fieldName = options.fieldName ?? `Signature${fields.size() + 1}`;

  // The widget, with an appearance when visible.
  let rect: [number, number, number, number] = [0, 0, 0, 0];
  const widget: Record<string, unknown> = {
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFHexString.fromText(fieldName),
    V: sigRef,
    F: 132,
    P: page.ref,
  };
  if (options.visible) {
    const { width } = page.getSize();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(options.visible.font ?? defaultFont(), { subset: true });
    const size = options.visible.fontSize ?? 8;
    const org = attr(cert, '2.5.4.10');
    const lines = (
      options.visible.lines ?? [
        `Ký bởi / Signed by: ${signerName}`,
        ...(org ? [`Cơ quan: ${org}`] : []),
        `Thời gian ký: ${shownDate(when)}`,
        `Lý do: ${options.reason}`,
        `Nơi ký: ${options.location}`,
      ]
    ).map((l) => l.normalize('NFC'));
    const [x, y, w, h] = options.visible.rect ?? [
      width - 296,
      36,
      260,
      Math.ceil(lines.length * size * 1.25 + 10),
    ];
    rect = [x, y, x + w, y + h];
    const ops = [
      pushGraphicsState(),
      ...drawRectangle({
        x: 0.5,
        y: 0.5,
        width: w - 1,
        height: h - 1,
        borderWidth: 1,
        borderColor: rgb(0.75, 0.1, 0.1),
        color: rgb(1, 1, 0.97),
        rotate: { type: 'degrees', angle: 0 } as never,
        xSkew: { type: 'degrees', angle: 0 } as never,
        ySkew: { type: 'degrees', angle: 0 } as never,
      }),
      ...lines.flatMap((line, i) => {
        let shown = line;
        while (shown.length > 4 && font.widthOfTextAtSize(shown, size) > w - 8)
          shown = `${shown.slice(0, -2)}…`;
        return drawText(font.encodeText(shown), {
          color: rgb(0.1, 0.1, 0.4),
          font: 'F1',
          size,
          x: 4,
          y: h - 4 - size * 1.25 * (i + 1) + 2,
          rotate: { type: 'degrees', angle: 0 } as never,
          xSkew: { type: 'degrees', angle: 0 } as never,
          ySkew: { type: 'degrees', angle: 0 } as never,
        });
      }),
      popGraphicsState(),
    ];
    await font.embed();
    const ap = ctx.formXObject(ops, { BBox: [0, 0, w, h], Resources: { Font: { F1: font.ref } } });
    widget.AP = { N: ctx.register(ap) };
  }
  widget.Rect = rect;
  const widgetRef = ctx.register(ctx.obj(widget as never));
  fields.push(widgetRef);
  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    ctx.lookup(annots, PDFArray).push(widgetRef);
    update.touch(annots);
  } else if (annots instanceof PDFArray) {
    annots.push(widgetRef);
    update.touch(page.ref);
  } else {
    page.node.set(PDFName.of('Annots'), ctx.obj([widgetRef]));
    update.touch(page.ref);
  }

  const { bytes, offsets } = update.serialize();
  const sigOffset = offsets.get(sigRef.objectNumber) ?? 0;
  const headerLength = `${sigRef.objectNumber} 0 obj\n`.length;
  const contentsStart = sigOffset + headerLength + sigBody.indexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsStart + hexLength + 2;
  const byteRange: [number, number, number, number] = [
    0,
    contentsStart,
    contentsEnd,
    bytes.length - contentsEnd,
  ];
  const brPlaceholder = '[0 0000000000 0000000000 0000000000]';
  const brAt = sigOffset + headerLength + sigBody.indexOf(brPlaceholder);
  const br = `[${byteRange.join(' ')}]`.padEnd(brPlaceholder.length, ' ');
  bytes.set(
    Uint8Array.from(br, (c) => c.charCodeAt(0)),
    brAt,
  );
  const digest = await sha256(signedBytes(bytes, byteRange));
  return { pdf: bytes, byteRange, digest, reserveBytes: reserve };
}

/** The bytes a byte range covers. */
export function signedBytes(pdf: Uint8Array, br: readonly number[]): Uint8Array {
  const [a = 0, b = 0, c = 0, d = 0] = br;
  const out = new Uint8Array(b + d);
  out.set(pdf.subarray(a, a + b), 0);
  out.set(pdf.subarray(c, c + d), b);
  return out;
}

/**
 * Writes a CMS into the hole of a prepared PDF; throws `signature.pdf_reserve_too_small` if it does not fit.
 *
 * @example
 * ```ts
 * const signed = embedCms(prepared, cms);
 * ```
 */
export function embedCms(prepared: PreparedPdf, cms: Uint8Array): Uint8Array {
  if (cms.length > prepared.reserveBytes)
    throw new SignatureError(
      'signature.pdf_reserve_too_small',
      `The signature (${cms.length} bytes) does not fit the ${prepared.reserveBytes} bytes reserved; sign again with a larger reserveBytes.`,
      `Chữ ký (${cms.length} byte) vượt quá ${prepared.reserveBytes} byte đã dành sẵn; hãy ký lại với reserveBytes lớn hơn.`,
      undefined,
      { field: 'reserveBytes' },
    );
  const out = prepared.pdf.slice();
  const hex = Buffer.from(cms)
    .toString('hex')
    .padEnd(prepared.reserveBytes * 2, '0');
  out.set(
    Uint8Array.from(hex, (c) => c.charCodeAt(0)),
    prepared.byteRange[1] + 1,
  );
  return out;
}

/**
 * Adds the RFC 3161 signature time-stamp (B-T) to a CMS.
 *
 * @example
 * ```ts
 * const withTimestamp = await timestampCms(cms, createTsaClient({ url: tsaUrl }));
 * ```
 */
export async function timestampCms(cms: Uint8Array, tsa: TsaClient): Promise<Uint8Array> {
  const info = pkijs.ContentInfo.fromBER(buf(cms));
  const signed = new pkijs.SignedData({ schema: info.content });
  const value = new Uint8Array(signed.signerInfos[0]?.signature.valueBlock.valueHexView ?? []);
  const token = await tsa.timestamp(await sha256(value));
  return addUnsignedAttribute(cms, OID.signatureTimeStampToken, token);
}

/** The validation material of a signature for the DSS (B-LT): certificates and revocation data, DER. */
export interface ValidationMaterial {
  certificates: Uint8Array[];
  revocation: RevocationData;
}

/**
 * Collects what a verifier needs later, as of now: the signer's and the time-stamping authority's
 * certificates with their chains, and the OCSP responses (or CRLs) of their issuers.
 *
 * @example
 * ```ts
 * const material = await collectValidationMaterial(cms); // certificates, OCSP responses, CRLs
 * ```
 */
export async function collectValidationMaterial(
  cms: Uint8Array,
  fetchFn?: typeof fetch,
): Promise<ValidationMaterial> {
  const out: ValidationMaterial = { certificates: [], revocation: { ocsps: [], crls: [] } };
  const seen = new Set<string>();
  const addCert = (c: pkijs.Certificate) => {
    const der = new Uint8Array(c.toSchema(true).toBER());
    const key = Buffer.from(der).toString('base64');
    if (!seen.has(key)) {
      seen.add(key);
      out.certificates.push(der);
    }
  };
  const visit = async (signedDer: Uint8Array) => {
    const info = pkijs.ContentInfo.fromBER(buf(signedDer));
    const signed = new pkijs.SignedData({ schema: info.content });
    const certs = (signed.certificates ?? []).filter(
      (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
    );
    for (const c of certs) {
      addCert(c);
      const issuer = certs.find((x) => x !== c && x.subject.isEqual(c.issuer));
      if (issuer) {
        const data = await fetchRevocationData(c, issuer, fetchFn ? { fetch: fetchFn } : {});
        out.revocation.ocsps.push(...data.ocsps);
        out.revocation.crls.push(...data.crls);
      }
    }
    return signed;
  };
  const signed = await visit(cms);
  const ts = signed.signerInfos[0]?.unsignedAttrs?.attributes.find(
    (a) => a.type === OID.signatureTimeStampToken,
  );
  if (ts?.values[0]) await visit(new Uint8Array(ts.values[0].toBER()));
  return out;
}

/**
 * Appends a Document Security Store (`/DSS` with `/Certs`, `/OCSPs`, `/CRLs` and a `/VRI` entry per
 * signature) as a new incremental update: PAdES B-LT. Earlier DSS content is kept.
 *
 * @example
 * ```ts
 * const lt = await addDss(signedPdf, [{ cms, material: await collectValidationMaterial(cms) }]);
 * ```
 */
export async function addDss(
  pdf: Uint8Array,
  entries: { cms: Uint8Array; material: ValidationMaterial }[],
): Promise<Uint8Array> {
  const update = await IncrementalUpdate.open(pdf);
  const { doc } = update;
  const ctx = doc.context;
  const rootRef = ctx.trailerInfo.Root as PDFRef;
  const existing = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const dss = existing ?? (ctx.obj({}) as PDFDict);
  const arrayOf = (name: string): PDFArray => {
    const a = dss.lookupMaybe(PDFName.of(name), PDFArray);
    if (a) return a;
    const n = ctx.obj([]) as PDFArray;
    dss.set(PDFName.of(name), n);
    return n;
  };
  const vri = dss.lookupMaybe(PDFName.of('VRI'), PDFDict) ?? (ctx.obj({}) as PDFDict);
  dss.set(PDFName.of('VRI'), vri);
  const streamRef = (der: Uint8Array) => ctx.register(ctx.flateStream(der));
  for (const { cms, material } of entries) {
    const certs = material.certificates.map(streamRef);
    const ocsps = material.revocation.ocsps.map(streamRef);
    const crls = material.revocation.crls.map(streamRef);
    for (const r of certs) arrayOf('Certs').push(r);
    for (const r of ocsps) arrayOf('OCSPs').push(r);
    for (const r of crls) arrayOf('CRLs').push(r);
    const key = Buffer.from(await globalThis.crypto.subtle.digest('SHA-1', buf(cms)))
      .toString('hex')
      .toUpperCase();
    vri.set(
      PDFName.of(key),
      ctx.obj({
        ...(certs.length ? { Cert: certs } : {}),
        ...(ocsps.length ? { OCSP: ocsps } : {}),
        ...(crls.length ? { CRL: crls } : {}),
      }),
    );
  }
  const dssRaw = doc.catalog.get(PDFName.of('DSS'));
  if (dssRaw instanceof PDFRef) update.touch(dssRaw);
  else {
    doc.catalog.set(PDFName.of('DSS'), ctx.register(dss));
    update.touch(rootRef);
  }
  return update.serialize().bytes;
}

/**
 * Signs a PDF with a PAdES baseline signature, as an incremental update so earlier signatures stay intact:
 * `B-B` (CAdES detached, ESS signing-certificate-v2, no signing-time attribute: the time is in `/M`), `B-T`
 * (plus an RFC 3161 signature time-stamp) or `B-LT` (plus a DSS with the certificates and revocation data of
 * signing time, Decree 23/2025 Art. 17). Visible signatures draw Vietnamese text with an embedded font.
 *
 * @example
 * ```ts
 * const signed = await signPdf(pdf, signer, {
 *   reason: 'Phê duyệt kết quả giải quyết hồ sơ', location: 'UBND xã Thử Nghiệm',
 *   visible: { page: 0 }, level: 'B-T', tsa: createTsaClient({ url: tsaUrl }),
 * });
 * ```
 */
export async function signPdf(
  pdf: Uint8Array,
  signer: RemoteSigner,
  options: SignPdfOptions,
): Promise<Uint8Array> {
  const prepared = await preparePdfSignature(pdf, signer.certificate, options);
  const cms = await prepareCms(prepared.digest, signer, { omitSigningTime: true });
  let signature: Uint8Array;
  try {
    signature = await signer.signDigest(cms.toBeSigned, cms.signedAttributes);
  } catch (e) {
    if (e instanceof SignatureError) throw e;
    // The remote signer's line failed (dropped, timed out, 5xx, circuit open): worth trying again.
    if (e instanceof HttpError && e.retryable)
      throw new SignatureError(
        'signature.remote_unavailable',
        'The signing service is unavailable; try again later.',
        'Dịch vụ ký số đang không hoạt động; hãy thử lại sau.',
        e,
      );
    throw new SignatureError(
      'signature.signer_failed',
      'The signer could not sign.',
      'Không ký được: dịch vụ ký không trả về chữ ký.',
      e,
    );
  }
  return finishPdfSignature(prepared, cms, signature, options);
}

function requireTsa(options: Pick<SignPdfOptions, 'level' | 'tsa'>): void {
  const level = options.level ?? 'B-B';
  if (level !== 'B-B' && !options.tsa)
    throw new SignatureError(
      'signature.invalid_input',
      `tsa: a time-stamping authority is required for PAdES ${level}.`,
      `tsa: cần dịch vụ cấp dấu thời gian cho chữ ký PAdES ${level}.`,
      undefined,
      { field: 'tsa' },
    );
}

/**
 * Assembles the CMS, time-stamps it (B-T, B-LT), embeds it, and adds the DSS (B-LT).
 *
 * @example
 * ```ts
 * const signed = await finishPdfSignature(prepared, preparedCms, signatureFromProvider, { level: 'B-T', tsa });
 * ```
 */
export async function finishPdfSignature(
  prepared: PreparedPdf,
  cmsPrepared: PreparedCms,
  signature: Uint8Array,
  options: Pick<SignPdfOptions, 'level' | 'tsa' | 'fetch'>,
): Promise<Uint8Array> {
  requireTsa(options);
  let cms = assembleCms(cmsPrepared, checkSignatureValue(cmsPrepared, signature));
  const level = options.level ?? 'B-B';
  if (level !== 'B-B' && options.tsa) cms = await timestampCms(cms, options.tsa);
  const signed = embedCms(prepared, cms);
  if (level !== 'B-LT') return signed;
  const material = await collectValidationMaterial(cms, options.fetch);
  return addDss(signed, [{ cms, material }]);
}
