import type { PDFFont } from 'pdf-lib';
import type { Receipt } from './receipts.js';
import { formatVnd } from './words.js';

/** Options of {@link receiptPdf}. */
export interface ReceiptPdfOptions {
  /** The issuing unit's name, e.g. `UBND xã Vân Sơn`. */
  unitName: string;
  /** TrueType fonts with Vietnamese glyphs (regular and bold). Default: DejaVu Sans from `dejavu-fonts-ttf` (Node). */
  fonts?: { regular: Uint8Array; bold: Uint8Array };
  /** The text in the QR code. Default: `series|number|unit|amount|issuedAt`, for looking the receipt up. */
  qrText?: string;
}

/** Splits `s` at spaces into lines no wider than `width` (a word wider than that is cut). */
function wrap(s: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (let word of s.split(/\s+/).filter(Boolean)) {
    while (font.widthOfTextAtSize(word, size) > width && word.length > 1) {
      let cut = word.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(word.slice(0, cut), size) > width) cut--;
      if (line) out.push(line);
      out.push(word.slice(0, cut));
      line = '';
      word = word.slice(cut);
    }
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      out.push(line);
      line = word;
    } else line = next;
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

async function defaultFonts(): Promise<{ regular: Uint8Array; bold: Uint8Array }> {
  const { createRequire } = await import('node:module');
  const { readFile } = await import('node:fs/promises');
  // ESM has import.meta.url; the CommonJS build has __filename.
  const req = createRequire(import.meta.url ?? __filename);
  const dir = req.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');
  const [regular, bold] = await Promise.all([
    readFile(`${dir}DejaVuSans.ttf`),
    readFile(`${dir}DejaVuSans-Bold.ttf`),
  ]);
  return { regular, bold };
}

/**
 * The PDF of an electronic fee receipt (A5 landscape): the unit, template and series, number, date, payer,
 * dossier, each line with its legal basis, the total in figures and in Vietnamese words, the status
 * (a cancelled or replaced receipt says so), and a QR code. Fonts with Vietnamese glyphs are embedded.
 *
 * @example
 * ```ts
 * import { receiptPdf } from '@motcua/treasury';
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('bien-lai.pdf', await receiptPdf(receipt, { unitName: 'UBND xã Vân Sơn' }));
 * ```
 */
export async function receiptPdf(receipt: Receipt, options: ReceiptPdfOptions): Promise<Uint8Array> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const fontkit = (await import('@pdf-lib/fontkit')).default;
  const QR = (await import('qrcode')).default;
  const fonts = options.fonts ?? (await defaultFonts());
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`Biên lai ${receipt.id}`);
  doc.setCreator('@motcua/treasury');
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const page = doc.addPage([595, 420]);
  const ink = rgb(0.1, 0.1, 0.1);
  const text = (s: string, x: number, y: number, size = 10, f = regular) =>
    page.drawText(s, { x, y, size, font: f, color: ink });
  const right = (s: string, xr: number, y: number, size = 10, f = regular) =>
    text(s, xr - f.widthOfTextAtSize(s, size), y, size, f);
  const center = (s: string, y: number, size: number, f = regular) =>
    text(s, (595 - f.widthOfTextAtSize(s, size)) / 2, y, size, f);

  text(options.unitName.toUpperCase(), 30, 385, 10, bold);
  text(`Mã đơn vị: ${receipt.unitCode}`, 30, 371, 9);
  right(`Mẫu số: ${receipt.template}`, 565, 385, 9);
  right(`Ký hiệu: ${receipt.series}`, 565, 372, 9);
  right(`Số: ${receipt.number}`, 565, 359, 10, bold);
  center('BIÊN LAI THU PHÍ, LỆ PHÍ', 335, 15, bold);
  const d = new Date(Date.parse(receipt.issuedAt) + 7 * 3_600_000);
  center(
    `(Biên lai điện tử) Ngày ${d.getUTCDate()} tháng ${d.getUTCMonth() + 1} năm ${d.getUTCFullYear()}`,
    318,
    9,
  );

  let y = 292;
  text(`Người nộp: ${receipt.payerName}`, 30, y, 10);
  y -= 15;
  text(`Mã hồ sơ: ${receipt.dossierCode}`, 30, y, 10);
  if (receipt.paymentId) {
    y -= 15;
    text(`Giao dịch: ${receipt.paymentId}`, 30, y, 9);
  }
  y -= 22;
  text('Nội dung thu', 30, y, 9, bold);
  right('Số tiền', 440, y, 9, bold);
  page.drawLine({ start: { x: 30, y: y - 4 }, end: { x: 445, y: y - 4 }, thickness: 0.5, color: ink });
  for (const l of receipt.lines) {
    const figure = formatVnd(l.amount);
    const room = 440 - regular.widthOfTextAtSize(figure, 10) - 12 - 30;
    y -= 16;
    right(figure, 440, y, 10);
    wrap(l.description, regular, 10, room).forEach((part, k) => {
      if (k > 0) y -= 12;
      text(part, 30, y, 10);
    });
    if (l.legalBasis)
      for (const part of wrap(`Căn cứ: ${l.legalBasis}`, regular, 7.5, room - 10)) {
        y -= 11;
        text(part, 40, y, 7.5);
      }
  }
  page.drawLine({ start: { x: 30, y: y - 6 }, end: { x: 445, y: y - 6 }, thickness: 0.5, color: ink });
  y -= 20;
  text('Tổng cộng', 30, y, 10, bold);
  right(formatVnd(receipt.amount), 440, y, 10, bold);
  y -= 16;
  text(`Bằng chữ: ${receipt.amountInWords}`, 30, y, 10);

  const qrPng = await QR.toBuffer(
    options.qrText ??
      `${receipt.series}|${receipt.number}|${receipt.unitCode}|${receipt.amount}|${receipt.issuedAt}`,
    { type: 'png', margin: 1, width: 220, errorCorrectionLevel: 'M' },
  );
  const qr = await doc.embedPng(qrPng);
  page.drawImage(qr, { x: 465, y: 170, width: 100, height: 100 });
  right('Tra cứu biên lai', 565, 158, 7.5);

  if (receipt.status !== 'issued') {
    const stamp = receipt.status === 'cancelled' ? 'ĐÃ HỦY' : `ĐÃ THAY THẾ BẰNG ${receipt.replacedBy ?? ''}`;
    // As large as 26 pt, but never wider than the page's printable width.
    const size = Math.min(26, 535 / bold.widthOfTextAtSize(stamp, 1));
    const x = (595 - bold.widthOfTextAtSize(stamp, size)) / 2;
    page.drawText(stamp, { x, y: 120, size, font: bold, color: rgb(0.8, 0.1, 0.1), opacity: 0.6 });
    if (receipt.reason) text(`Lý do: ${receipt.reason}`, 30, 95, 9);
  }
  if (receipt.replaces) text(`Thay thế biên lai ${receipt.replaces}`, 30, 80, 9);
  const signer = 'Người thu tiền';
  const mid = 565 - bold.widthOfTextAtSize(signer, 9) / 2;
  text(signer, mid - bold.widthOfTextAtSize(signer, 9) / 2, 70, 9, bold);
  text('(Ký số)', mid - regular.widthOfTextAtSize('(Ký số)', 8) / 2, 58, 8);
  return doc.save();
}
