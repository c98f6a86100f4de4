import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { DossierSummary, Unit } from '@motcua/store';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import QRCode from 'qrcode';

let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;
const loadFonts = () => {
  fonts ??= (async () => {
    const dir = createRequire(import.meta.url)
      .resolve('dejavu-fonts-ttf/package.json')
      .replace(/package\.json$/, 'ttf/');
    const [regular, bold] = await Promise.all([
      readFile(`${dir}DejaVuSans.ttf`),
      readFile(`${dir}DejaVuSans-Bold.ttf`),
    ]);
    return { regular: new Uint8Array(regular), bold: new Uint8Array(bold) };
  })();
  return fonts;
};

/** `dd/MM/yyyy HH:mm` at +07:00 from an ISO instant. */
export function viDateTime(iso: string | null): string {
  if (!iso) return '—';
  const t = new Date(Date.parse(iso) + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.getUTCHours())} giờ ${p(t.getUTCMinutes())}, ngày ${p(t.getUTCDate())}/${p(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
}

const CHANNEL = { direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Qua bưu chính' } as const;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Decree 118/2025 Art. 17.1):
 * an A4 PDF in Vietnamese with an embedded font (DejaVu Sans, every diacritic), the dossier code, the
 * procedure, the appointment, and a QR code of the public status page. The layout follows the common form;
 * the official one of Circular 03/2025/TT-VPCP (form 01) was not read: marked provisional in the footer.
 */
export async function receiptPdf(input: {
  dossier: DossierSummary;
  unit: Unit;
  applicantName: string;
  statusUrl: string;
  officer: string;
}): Promise<Uint8Array> {
  const { regular, bold } = await loadFonts();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`Giấy tiếp nhận hồ sơ ${input.dossier.code}`);
  doc.setLanguage('vi-VN');
  const font = await doc.embedFont(regular, { subset: true });
  const fontBold = await doc.embedFont(bold, { subset: true });
  const page: PDFPage = doc.addPage([595.28, 841.89]);
  const { width } = page.getSize();
  const margin = 56;
  let y = 790;
  const center = (text: string, f: PDFFont, size: number) => {
    page.drawText(text, { x: (width - f.widthOfTextAtSize(text, size)) / 2, y, size, font: f });
    y -= size * 1.6;
  };
  const left = (x: number, text: string, f: PDFFont, size: number, yy: number) =>
    page.drawText(text, { x, y: yy, size, font: f });

  // Header: the unit on the left, the national motto on the right.
  left(margin, `UBND ${input.unit.name.toUpperCase()}`, fontBold, 10, y);
  left(margin, 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG', fontBold, 10, y - 14);
  const motto = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
  const motto2 = 'Độc lập - Tự do - Hạnh phúc';
  left(width - margin - fontBold.widthOfTextAtSize(motto, 10), motto, fontBold, 10, y);
  left(
    width - margin - fontBold.widthOfTextAtSize(motto, 10) / 2 - fontBold.widthOfTextAtSize(motto2, 10) / 2,
    motto2,
    fontBold,
    10,
    y - 14,
  );
  y -= 60;
  center('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', fontBold, 14);
  center(`Mã hồ sơ: ${input.dossier.code}`, font, 11);
  y -= 10;

  const rows: [string, string][] = [
    ['Tiếp nhận hồ sơ của', input.applicantName || '—'],
    ['Thủ tục', `${input.dossier.procedureName} (${input.dossier.procedureCode})`],
    ['Hình thức nộp', CHANNEL[input.dossier.channel] ?? input.dossier.channel],
    ['Thời điểm tiếp nhận', viDateTime(input.dossier.receivedAt)],
    ['Hẹn trả kết quả', viDateTime(input.dossier.appointment)],
    ['Cán bộ tiếp nhận', input.officer],
  ];
  const labelWidth = 150;
  for (const [label, value] of rows) {
    left(margin, `${label}:`, fontBold, 11, y);
    const lines = wrap(value, font, 11, width - margin * 2 - labelWidth);
    lines.forEach((l, i) => {
      left(margin + labelWidth, l, font, 11, y - i * 15);
    });
    y -= 15 * lines.length + 8;
  }

  // The QR code of the public status page.
  const png = await QRCode.toBuffer(input.statusUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const qr = await doc.embedPng(png);
  const qrSize = 110;
  y -= 10;
  page.drawImage(qr, { x: margin, y: y - qrSize, width: qrSize, height: qrSize });
  const note = wrap(
    'Quét mã QR để tra cứu tình trạng hồ sơ. Mã tra cứu in kèm trong đường dẫn; giữ giấy này để nhận kết quả.',
    font,
    10,
    width - margin * 2 - qrSize - 20,
  );
  note.forEach((l, i) => {
    left(margin + qrSize + 20, l, font, 10, y - 20 - i * 14);
  });
  y -= qrSize + 40;
  const sign = 'NGƯỜI TIẾP NHẬN';
  left(width - margin - 170 + (170 - fontBold.widthOfTextAtSize(sign, 11)) / 2, sign, fontBold, 11, y);
  left(
    width - margin - 170 + (170 - font.widthOfTextAtSize(input.officer, 11)) / 2,
    input.officer,
    font,
    11,
    y - 60,
  );
  page.drawText('Mẫu tham khảo (tạm thời): chưa đối chiếu mẫu 01 Thông tư 03/2025/TT-VPCP.', {
    x: margin,
    y: 40,
    size: 8,
    font,
    color: rgb(0.4, 0.4, 0.4),
  });
  return doc.save();
}
