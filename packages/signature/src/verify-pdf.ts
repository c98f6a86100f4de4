import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFString,
} from 'pdf-lib';
import { z } from 'zod';
import { parseCertificate, parseSignedData } from './cms.js';
import { loadPdf } from './pdf-incremental.js';
import { assignmentInForce, type Delegation, type SigningOfficer } from './readiness.js';
import { CmsVerificationReportSchema, type VerifyCmsOptions, verifyCms } from './verify-cms.js';

const PDF_FAILURES = {
  'pdf.not_a_pdf': {
    vi: 'Tệp không phải là tệp PDF đọc được.',
    en: 'The file is not a readable PDF.',
  },
  'pdf.no_signatures': {
    vi: 'Tệp PDF không có chữ ký số nào.',
    en: 'The PDF has no digital signature.',
  },
  'pdf.byte_range_invalid': {
    vi: 'Vùng dữ liệu được ký (ByteRange) không hợp lệ: chữ ký không bao phủ đúng tài liệu.',
    en: 'The signed byte range is invalid: the signature does not cover the document properly.',
  },
  'pdf.modified_after_signing': {
    vi: 'Nội dung tài liệu đã bị thay đổi sau khi ký (ngoài việc thêm chữ ký hoặc dữ liệu kiểm tra).',
    en: 'The document content was changed after this signature (beyond adding signatures or validation data).',
  },
  'pdf.not_pades': {
    vi: 'Chữ ký không theo định dạng PAdES/CAdES (SubFilter không phải ETSI.CAdES.detached hoặc adbe.pkcs7.detached).',
    en: 'The signature is not PAdES/CAdES (SubFilter is not ETSI.CAdES.detached or adbe.pkcs7.detached).',
  },
  'pdf.signer_not_entitled': {
    vi: 'Người ký không có thẩm quyền ký loại văn bản này tại thời điểm ký (không giữ chức vụ hoặc không được ủy quyền).',
    en: 'The signer was not entitled to sign this kind of document at signing time (no such role, no delegation in force).',
  },
} as const;

/**
 * One failure of a {@link PdfVerificationReport} at the level of the PDF.
 *
 * @example
 * ```ts
 * PdfFailureSchema.parse({ code: 'pdf.no_signatures', vi: '…', en: '…' });
 * ```
 */
export const PdfFailureSchema = z.object({
  code: z.enum(Object.keys(PDF_FAILURES) as [keyof typeof PDF_FAILURES, ...(keyof typeof PDF_FAILURES)[]]),
  vi: z.string(),
  en: z.string(),
});
/** A PDF-level failure. */
export type PdfFailure = z.infer<typeof PdfFailureSchema>;

const fail = (code: keyof typeof PDF_FAILURES): PdfFailure => ({ code, ...PDF_FAILURES[code] });

/**
 * One signature of a PDF as {@link verifyPdf} sees it.
 *
 * @example
 * ```ts
 * const s = PdfSignatureReportSchema.parse(report.signatures[0]);
 * ```
 */
export const PdfSignatureReportSchema = z.object({
  fieldName: z.string().nullable(),
  subFilter: z.string().nullable(),
  /** The `/ByteRange`: `[0, a, b, c]`, the signed bytes are `[0, a)` and `[b, b + c)`. */
  byteRange: z.array(z.number()),
  /** Length of the revision this signature signed (bytes from the start). */
  signedRevisionLength: z.number(),
  coversWholeDocument: z.boolean(),
  /** Incremental updates after this signature changed more than signatures, forms and validation data. */
  modifiedAfterSigning: z.boolean(),
  /** What changed after this signature, one line each (`page 1: content`, `object 12 0: changed`). */
  changesAfter: z.array(z.string()),
  level: z.enum(['B-B', 'B-T', 'B-LT']).nullable(),
  reason: z.string().nullable(),
  location: z.string().nullable(),
  /** `/M` of the signature dictionary. */
  claimedTime: z.string().nullable(),
  /** null when no entitlement was asked for. */
  entitled: z.boolean().nullable(),
  /** The officer whose credential made it, when the signing set-up was given. */
  officerId: z.string().nullable(),
  cms: CmsVerificationReportSchema,
  failures: z.array(PdfFailureSchema),
  valid: z.boolean(),
});
/** One signature in a {@link PdfVerificationReport}. */
export type PdfSignatureReport = z.infer<typeof PdfSignatureReportSchema>;

/**
 * The result of {@link verifyPdf}.
 *
 * @example
 * ```ts
 * const report = PdfVerificationReportSchema.parse(await verifyPdf(pdf, { trustAnchors }));
 * ```
 */
export const PdfVerificationReportSchema = z.object({
  valid: z.boolean(),
  signatures: z.array(PdfSignatureReportSchema),
  /** Whether the document has a DSS (validation data for the long term). */
  hasDss: z.boolean(),
  failures: z.array(PdfFailureSchema),
});
/** What {@link verifyPdf} found: every signature, and the PDF-level failures. */
export type PdfVerificationReport = z.infer<typeof PdfVerificationReportSchema>;

/** Options of {@link verifyPdf}. */
export interface VerifyPdfOptions
  extends Omit<VerifyCmsOptions, 'revocationData' | 'at' | 'onRevocationData'> {
  /**
   * Check that each signer was entitled at signing time: `result` needs a specialist, leader, chairman or
   * deputy chairman role; `certified_copy` needs the chairman or a delegation in force (Decree 118/2025
   * Art. 19.2). Only officers' assignments in force at signing time count (`validFrom`, `validUntil`).
   */
  entitlement?: {
    officers: readonly SigningOfficer[];
    delegations: readonly Delegation[];
    unit: string;
    purpose: 'result' | 'certified_copy';
  };
}

const ascii = new TextDecoder('latin1');

function str(o: PDFObject | undefined): string | null {
  if (o instanceof PDFString || o instanceof PDFHexString) return o.decodeText();
  if (o instanceof PDFName) return o.decodeText();
  return null;
}

interface FoundSignature {
  fieldName: string | null;
  dict: PDFDict;
}

function findSignatures(doc: PDFDocument): FoundSignature[] {
  const out: FoundSignature[] = [];
  const seen = new Set<PDFDict>();
  const ctx = doc.context;
  const visit = (node: PDFObject | undefined, depth: number, inheritedName: string | null) => {
    if (depth > 32) return;
    const dict = node instanceof PDFRef ? ctx.lookup(node) : node;
    if (!(dict instanceof PDFDict)) return;
    const t = str(dict.get(PDFName.of('T')));
    const name = t ? (inheritedName ? `${inheritedName}.${t}` : t) : inheritedName;
    const v = dict.get(PDFName.of('V'));
    const vDict = v instanceof PDFRef ? ctx.lookup(v) : v;
    if (vDict instanceof PDFDict && vDict.get(PDFName.of('ByteRange')) && !seen.has(vDict)) {
      seen.add(vDict);
      out.push({ fieldName: name, dict: vDict });
    }
    const kids = dict.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i++) visit(kids.get(i), depth + 1, name);
  };
  const acro = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acro?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (fields) for (let i = 0; i < fields.size(); i++) visit(fields.get(i), 0, null);
  return out;
}

function derLength(bytes: Uint8Array): number {
  if (bytes[0] !== 0x30) return bytes.length;
  const l = bytes[1] ?? 0;
  if (l < 0x80) return Math.min(bytes.length, 2 + l);
  const n = l & 0x7f;
  if (n < 1 || n > 4) return bytes.length;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (bytes[2 + i] ?? 0);
  return Math.min(bytes.length, 2 + n + len);
}

function streamBytes(o: PDFObject | undefined, doc: PDFDocument): Uint8Array | undefined {
  const s = o instanceof PDFRef ? doc.context.lookup(o) : o;
  if (!(s instanceof PDFRawStream)) return undefined;
  try {
    const filter = s.dict.get(PDFName.of('Filter'));
    if (!filter) return s.getContents();
    if (filter instanceof PDFName && filter.asString() === '/FlateDecode') {
      return new Uint8Array(inflateSync(s.getContents()));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function dssData(doc: PDFDocument): { ocsps: Uint8Array[]; crls: Uint8Array[] } | undefined {
  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  if (!dss) return undefined;
  const list = (name: string) => {
    const a = dss.lookupMaybe(PDFName.of(name), PDFArray);
    const out: Uint8Array[] = [];
    if (a)
      for (let i = 0; i < a.size(); i++) {
        const b = streamBytes(a.get(i), doc);
        if (b) out.push(b);
      }
    return out;
  };
  return { ocsps: list('OCSPs'), crls: list('CRLs') };
}

/** Serialises an object for comparison, ignoring keys that signing may add. */
function fingerprint(o: PDFObject, ignore: string[] = []): string {
  if (o instanceof PDFDict) {
    const entries = o
      .entries()
      .filter(([k]) => !ignore.includes(k.asString()))
      .map(([k, v]) => `${k.asString()} ${v.toString()}`)
      .sort();
    return `<<${entries.join(' ')}>>`;
  }
  if (o instanceof PDFRawStream)
    return `${fingerprint(o.dict)} stream ${Buffer.from(o.getContents()).toString('base64')}`;
  return o.toString();
}

/** What changed between the signed revision and the final document, beyond what signing may add. */
function changesBetween(signed: PDFDocument, final: PDFDocument): string[] {
  const changes: string[] = [];
  const signedPages = signed.getPages();
  const finalPages = final.getPages();
  if (signedPages.length !== finalPages.length)
    changes.push(`pages: ${signedPages.length} → ${finalPages.length}`);
  const pageRefs = new Set(signedPages.map((p) => p.ref.toString()));
  const root = signed.context.trailerInfo.Root?.toString();
  for (const [ref, before] of signed.context.enumerateIndirectObjects()) {
    const after = final.context.lookup(ref);
    const id = ref.toString();
    if (!after) {
      changes.push(`object ${ref.objectNumber} ${ref.generationNumber}: removed`);
      continue;
    }
    let ignore: string[] = [];
    if (id === root) ignore = ['/AcroForm', '/DSS', '/Perms'];
    else if (pageRefs.has(id)) ignore = ['/Annots'];
    else if (
      before instanceof PDFDict &&
      (before.get(PDFName.of('Fields')) || before.get(PDFName.of('SigFlags')))
    )
      ignore = ['/Fields', '/SigFlags'];
    else if (before instanceof PDFArray && after instanceof PDFArray) {
      // An /Annots or /Fields array may only grow.
      const prefix = before.asArray().map((x) => x.toString());
      const now = after.asArray().map((x) => x.toString());
      if (prefix.every((x, i) => now[i] === x)) continue;
    } else if (before instanceof PDFDict && before.get(PDFName.of('VRI'))) continue;
    if (fingerprint(before, ignore) !== fingerprint(after, ignore)) {
      const page = signedPages.findIndex((p) => p.ref.toString() === id);
      changes.push(
        page >= 0
          ? `page ${page + 1}: changed`
          : `object ${ref.objectNumber} ${ref.generationNumber}: changed`,
      );
    }
  }
  return changes;
}

function entitlementOf(
  certDer: Uint8Array | undefined,
  at: Date,
  e: NonNullable<VerifyPdfOptions['entitlement']>,
): { entitled: boolean; officerId: string | null } {
  if (!certDer) return { entitled: false, officerId: null };
  const key = Buffer.from(certDer).toString('base64');
  const t = at.getTime();
  const mine = e.officers.filter(
    (o) =>
      o.unit === e.unit && o.credential && Buffer.from(o.credential.certificate).toString('base64') === key,
  );
  const first = mine[0];
  if (!first) return { entitled: false, officerId: null };
  // Only the assignments in force at signing time count (an officer moved away keeps no role here).
  const held = mine.filter((o) => assignmentInForce(o, t));
  const officerId = (held[0] ?? first).officerId;
  if (e.purpose === 'result') {
    const ok = held.some((o) =>
      o.roles.some((r) => ['specialist', 'leader', 'chairman', 'deputy_chairman'].includes(r)),
    );
    return { entitled: ok, officerId };
  }
  const delegated = e.delegations.some(
    (d) =>
      d.unit === e.unit &&
      held.some((o) => o.officerId === d.to) &&
      Date.parse(d.from) <= t &&
      t <= Date.parse(d.until),
  );
  return { entitled: held.some((o) => o.roles.includes('chairman')) || delegated, officerId };
}

/**
 * Verifies every signature of a PDF: its byte range (which revision it signed, whether it covers the whole
 * document), the CMS inside (integrity, chain, validity and revocation at signing time, time-stamp, with
 * the revocation data of the PDF's DSS), the PAdES level reached, what was changed after it (a change to
 * page content or any object other than the form, annotations and validation data fails), and, with
 * `entitlement`, whether the signer held the role or a delegation at signing time. Never throws: a file
 * that is not a PDF gives a failed report.
 *
 * @example
 * ```ts
 * const report = await verifyPdf(pdf, { trustAnchors: [nationalRootDer] });
 * for (const s of report.signatures) console.log(s.fieldName, s.valid, s.coversWholeDocument, s.failures.map((f) => f.vi));
 * ```
 */
export async function verifyPdf(pdf: Uint8Array, options: VerifyPdfOptions): Promise<PdfVerificationReport> {
  const report: PdfVerificationReport = { valid: false, signatures: [], hasDss: false, failures: [] };
  let doc: PDFDocument;
  try {
    doc = await loadPdf(pdf);
  } catch {
    report.failures.push(fail('pdf.not_a_pdf'));
    return report;
  }
  let found: FoundSignature[];
  let dss: { ocsps: Uint8Array[]; crls: Uint8Array[] } | undefined;
  try {
    found = findSignatures(doc);
    dss = dssData(doc);
  } catch {
    report.failures.push(fail('pdf.not_a_pdf'));
    return report;
  }
  report.hasDss = dss !== undefined;
  if (found.length === 0) {
    report.failures.push(fail('pdf.no_signatures'));
    return report;
  }
  for (const sig of found) {
    const failures: PdfFailure[] = [];
    const brArray = sig.dict.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
    const br = brArray ? brArray.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : -1)) : [];
    const [a = -1, b = -1, c = -1, d = -1] = br;
    const rangeOk =
      br.length === 4 &&
      br.every((n) => Number.isInteger(n) && n >= 0) &&
      a === 0 &&
      b < c &&
      c + d <= pdf.length &&
      pdf[b] === 0x3c &&
      pdf[c - 1] === 0x3e;
    let cmsBytes = new Uint8Array(0);
    if (rangeOk) {
      const hex = ascii.decode(pdf.subarray(b + 1, c - 1)).replace(/\s+/g, '');
      if (/^[0-9a-fA-F]*$/.test(hex) && hex.length % 2 === 0) {
        const raw = new Uint8Array(Buffer.from(hex, 'hex'));
        cmsBytes = raw.subarray(0, derLength(raw));
      }
    } else failures.push(fail('pdf.byte_range_invalid'));
    const subFilter = str(sig.dict.get(PDFName.of('SubFilter')));
    if (subFilter !== 'ETSI.CAdES.detached' && subFilter !== 'adbe.pkcs7.detached')
      failures.push(fail('pdf.not_pades'));
    const signedLength = rangeOk ? c + d : 0;
    const data = rangeOk ? new Uint8Array(b + d) : new Uint8Array(0);
    if (rangeOk) {
      data.set(pdf.subarray(0, b), 0);
      data.set(pdf.subarray(c, c + d), b);
    }
    let signerDer: Uint8Array | undefined;
    const claimed = str(sig.dict.get(PDFName.of('M')));
    const claimedTime = claimed ? parsePdfDate(claimed) : null;
    const cms = await verifyCms(cmsBytes, data, {
      ...options,
      ...(dss ? { revocationData: dss } : {}),
      ...(claimedTime ? { claimedSigningTime: new Date(claimedTime) } : {}),
    });
    if (cms.signer) {
      try {
        const { signed } = parseSignedData(cmsBytes);
        const sid = signed.signerInfos[0]?.sid;
        for (const cert of signed.certificates ?? [])
          if (
            'serialNumber' in cert &&
            sid &&
            'serialNumber' in sid &&
            cert.serialNumber.isEqual(sid.serialNumber)
          )
            signerDer = new Uint8Array(cert.toSchema(true).toBER());
        if (signerDer) parseCertificate(signerDer);
      } catch {
        signerDer = undefined;
      }
    }
    let changesAfter: string[] = [];
    let modified = false;
    if (rangeOk && signedLength < pdf.length) {
      try {
        const revision = await loadPdf(pdf.subarray(0, signedLength));
        changesAfter = changesBetween(revision, doc);
      } catch {
        changesAfter = ['the signed revision cannot be read'];
      }
      modified = changesAfter.length > 0;
      if (modified) failures.push(fail('pdf.modified_after_signing'));
    }
    let entitled: boolean | null = null;
    let officerId: string | null = null;
    if (options.entitlement) {
      const at = new Date(
        cms.timestamp?.valid && cms.timestamp.time ? cms.timestamp.time : (claimedTime ?? cms.checkedAt),
      );
      ({ entitled, officerId } = entitlementOf(signerDer, at, options.entitlement));
      if (!entitled) failures.push(fail('pdf.signer_not_entitled'));
    }
    const vriKey = cmsBytes.length
      ? Buffer.from(await globalThis.crypto.subtle.digest('SHA-1', cmsBytes.slice()))
          .toString('hex')
          .toUpperCase()
      : '';
    const vri = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict)?.lookupMaybe(PDFName.of('VRI'), PDFDict);
    const inDss = vri?.get(PDFName.of(vriKey)) !== undefined && vriKey !== '';
    const level = !cms.signer
      ? null
      : inDss && cms.timestamp?.valid
        ? 'B-LT'
        : cms.timestamp?.valid
          ? 'B-T'
          : 'B-B';
    report.signatures.push({
      fieldName: sig.fieldName,
      subFilter,
      byteRange: br,
      signedRevisionLength: signedLength,
      coversWholeDocument: rangeOk && signedLength === pdf.length,
      modifiedAfterSigning: modified,
      changesAfter,
      level,
      reason: str(sig.dict.get(PDFName.of('Reason'))),
      location: str(sig.dict.get(PDFName.of('Location'))),
      claimedTime,
      entitled,
      officerId,
      cms,
      failures,
      valid: failures.length === 0 && cms.valid,
    });
  }
  report.valid = report.failures.length === 0 && report.signatures.every((s) => s.valid);
  return report;
}

function parsePdfDate(s: string): string | null {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (!m) return null;
  const tz = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${tz}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
