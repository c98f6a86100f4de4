import { PDFDocument, type PDFObject, type PDFRef } from 'pdf-lib';
import { SignatureError } from './errors.js';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const ascii = new TextDecoder('latin1');

/** The offset of the last `startxref`, or undefined. */
export function lastStartXref(pdf: Uint8Array): number | undefined {
  const tail = ascii.decode(pdf.subarray(Math.max(0, pdf.length - 2048)));
  const all = [...tail.matchAll(/startxref\s+(\d+)/g)];
  const m = all[all.length - 1];
  return m ? Number(m[1]) : undefined;
}

/** Loads a PDF with pdf-lib, or throws `signature.not_a_pdf` / `signature.pdf_encrypted`. */
export async function loadPdf(pdf: Uint8Array): Promise<PDFDocument> {
  if (!(pdf instanceof Uint8Array) || ascii.decode(pdf.subarray(0, 1024)).indexOf('%PDF-') < 0)
    throw notAPdf();
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, {
      updateMetadata: false,
      ignoreEncryption: true,
      throwOnInvalidObject: false,
    });
  } catch (e) {
    throw notAPdf(e);
  }
  if (doc.isEncrypted)
    throw new SignatureError(
      'signature.pdf_encrypted',
      'The PDF is encrypted; remove the password protection before signing.',
      'Tệp PDF đã được mã hóa; hãy gỡ bảo vệ mật khẩu trước khi ký.',
    );
  try {
    doc.getPages();
  } catch (e) {
    throw notAPdf(e);
  }
  return doc;
}

function notAPdf(cause?: unknown): SignatureError {
  return new SignatureError(
    'signature.not_a_pdf',
    'The file is not a readable PDF.',
    'Tệp không phải là tệp PDF đọc được.',
    cause,
  );
}

/**
 * An incremental update of a PDF (ISO 32000-1 §7.5.6): objects changed or added are appended after the
 * original bytes with their own cross-reference section whose trailer points back (`/Prev`), so every
 * earlier signature keeps covering exactly the bytes it signed.
 */
export class IncrementalUpdate {
  readonly original: Uint8Array;
  readonly doc: PDFDocument;
  readonly #firstNew: number;
  readonly #prev: number;
  readonly #prevIsStream: boolean;
  readonly #touched = new Set<string>();
  readonly #raw = new Map<number, string>();

  private constructor(original: Uint8Array, doc: PDFDocument, prev: number) {
    this.original = original;
    this.doc = doc;
    // pdf-lib forgets object and cross-reference streams: the trailer's /Size says which numbers are taken.
    const tail = ascii.decode(original.subarray(prev, Math.min(original.length, prev + 64 * 1024)));
    const size = Number(/\/Size\s+(\d+)/.exec(tail)?.[1] ?? 0);
    doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, size - 1);
    this.#firstNew = doc.context.largestObjectNumber + 1;
    this.#prev = prev;
    this.#prevIsStream = !/^\s*xref/.test(ascii.decode(original.subarray(prev, prev + 16)));
  }

  /** Opens `pdf` for an update, or throws `signature.not_a_pdf`. */
  static async open(pdf: Uint8Array): Promise<IncrementalUpdate> {
    const doc = await loadPdf(pdf);
    const prev = lastStartXref(pdf);
    if (prev === undefined || prev >= pdf.length) throw notAPdf();
    return new IncrementalUpdate(pdf, doc, prev);
  }

  /** Marks an existing object as changed (it is written again). */
  touch(ref: PDFRef): void {
    this.#touched.add(ref.toString());
  }

  /** Reserves an object whose body is written verbatim (the signature dictionary). */
  reserveRaw(body: string): PDFRef {
    const ref = this.doc.context.nextRef();
    this.#raw.set(ref.objectNumber, body);
    return ref;
  }

  /** The bytes of the updated PDF and the offset of each written object. */
  serialize(): { bytes: Uint8Array; offsets: Map<number, number> } {
    const ctx = this.doc.context;
    const objects: [number, number, PDFObject | string][] = [];
    for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
      if (this.#raw.has(ref.objectNumber)) continue;
      if (ref.objectNumber >= this.#firstNew || this.#touched.has(ref.toString()))
        objects.push([ref.objectNumber, ref.generationNumber, obj]);
    }
    for (const [n, body] of this.#raw) objects.push([n, 0, body]);
    objects.sort((a, b) => a[0] - b[0]);
    const chunks: Uint8Array[] = [];
    let offset = this.original.length;
    const push = (b: Uint8Array) => {
      chunks.push(b);
      offset += b.length;
    };
    const last = this.original[this.original.length - 1];
    if (last !== 0x0a && last !== 0x0d) push(latin1('\n'));
    const offsets = new Map<number, number>();
    const gens = new Map<number, number>();
    for (const [n, g, obj] of objects) {
      offsets.set(n, offset);
      gens.set(n, g);
      push(latin1(`${n} ${g} obj\n`));
      if (typeof obj === 'string') push(latin1(obj));
      else {
        const b = new Uint8Array(obj.sizeInBytes());
        obj.copyBytesInto(b, 0);
        push(b);
      }
      push(latin1('\nendobj\n'));
    }
    const t = ctx.trailerInfo;
    const trailerRefs = `${t.Root ? ` /Root ${t.Root.toString()}` : ''}${t.Info ? ` /Info ${t.Info.toString()}` : ''}${t.ID ? ` /ID ${t.ID.toString()}` : ''}`;
    const xrefOffset = offset;
    if (this.#prevIsStream) {
      const n = ctx.largestObjectNumber + 1;
      offsets.set(n, xrefOffset);
      gens.set(n, 0);
      const numbers = [...offsets.keys()].sort((a, b) => a - b);
      const runs = runsOf(numbers);
      const data = new Uint8Array(numbers.length * 7);
      numbers.forEach((num, i) => {
        const o = offsets.get(num) ?? 0;
        data.set(
          [1, (o >>> 24) & 255, (o >>> 16) & 255, (o >>> 8) & 255, o & 255, 0, gens.get(num) ?? 0],
          i * 7,
        );
      });
      push(
        latin1(
          `${n} 0 obj\n<< /Type /XRef /Size ${n + 1} /W [1 4 2] /Index [${runs.map(([a, c]) => `${a} ${c}`).join(' ')}] /Prev ${this.#prev}${trailerRefs} /Length ${data.length} >>\nstream\n`,
        ),
      );
      push(data);
      push(latin1(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`));
    } else {
      const numbers = [...offsets.keys()].sort((a, b) => a - b);
      let table = 'xref\n';
      for (const [start, count] of runsOf(numbers)) {
        table += `${start} ${count}\n`;
        for (let i = start; i < start + count; i++)
          table += `${String(offsets.get(i)).padStart(10, '0')} ${String(gens.get(i) ?? 0).padStart(5, '0')} n\r\n`;
      }
      table += `trailer\n<< /Size ${ctx.largestObjectNumber + 1}${trailerRefs} /Prev ${this.#prev} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
      push(latin1(table));
    }
    const bytes = new Uint8Array(offset);
    bytes.set(this.original, 0);
    let at = this.original.length;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { bytes, offsets };
  }
}

function runsOf(sorted: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of sorted) {
    const r = runs[runs.length - 1];
    if (r && r[0] + r[1] === n) r[1]++;
    else runs.push([n, 1]);
  }
  return runs;
}
