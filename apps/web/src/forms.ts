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
 * How the forms are laid out where a province or a unit needs its own (the official layouts of Circular
 * 03/2025/TT-VPCP were not read, so the defaults are the common forms, marked provisional).
 */
export interface FormLayout {
  /** The letterhead's lines at the top left; `{unit}` is the unit's name in capitals. */
  letterhead?: string[];
  /** A form's number printed at the top right, e.g. `{ receipt: 'Mẫu số 01' }`. */
  formNumbers?: Partial<Record<'receipt' | LetterKind, string>>;
  /** Print the note that the layout is provisional (default true; turn off once checked against the circular). */
  provisional?: boolean;
}

const letterhead = (layout: FormLayout | undefined, unit: Unit, fallback: string[]) =>
  (layout?.letterhead ?? fallback).map((l) => l.replaceAll('{unit}', unit.name.toUpperCase()));

/** A4 in points, the margin of every form. */
const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/**
 * A new A4 form in Vietnamese (DejaVu Sans embedded, subset) with the letterhead every form shares: the
 * unit (and an optional second line) on the left, the national motto on the right. Returns where the
 * body starts.
 */
async function startForm(title: string, unitLines: string[], formNumber?: string) {
  const { regular, bold } = await loadFonts();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(title);
  doc.setLanguage('vi-VN');
  const font = await doc.embedFont(regular, { subset: true });
  const fontBold = await doc.embedFont(bold, { subset: true });
  const page = doc.addPage(A4);
  const { width } = page.getSize();
  const top = 790;
  unitLines.forEach((line, i) => {
    page.drawText(line, { x: MARGIN, y: top - i * 14, size: 10, font: fontBold });
  });
  const motto = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
  const motto2 = 'Độc lập - Tự do - Hạnh phúc';
  const mottoWidth = fontBold.widthOfTextAtSize(motto, 10);
  if (formNumber)
    page.drawText(formNumber, {
      x: width - MARGIN - font.widthOfTextAtSize(formNumber, 9),
      y: top + 22,
      size: 9,
      font,
    });
  page.drawText(motto, { x: width - MARGIN - mottoWidth, y: top, size: 10, font: fontBold });
  page.drawText(motto2, {
    x: width - MARGIN - mottoWidth / 2 - fontBold.widthOfTextAtSize(motto2, 10) / 2,
    y: top - 14,
    size: 10,
    font: fontBold,
  });
  return { doc, page, font, fontBold, width, y: top - 60 };
}

/** The signature block at the right: the role in capitals, the name 60 points below. */
function signatureBlock(
  page: PDFPage,
  fonts: { font: PDFFont; fontBold: PDFFont },
  y: number,
  role: string,
  name: string,
) {
  const x = page.getSize().width - MARGIN - 170;
  page.drawText(role, {
    x: x + (170 - fonts.fontBold.widthOfTextAtSize(role, 11)) / 2,
    y,
    size: 11,
    font: fonts.fontBold,
  });
  page.drawText(name, {
    x: x + (170 - fonts.font.widthOfTextAtSize(name, 11)) / 2,
    y: y - 60,
    size: 11,
    font: fonts.font,
  });
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
  layout?: FormLayout;
}): Promise<Uint8Array> {
  const form = await startForm(
    `Giấy tiếp nhận hồ sơ ${input.dossier.code}`,
    letterhead(input.layout, input.unit, ['UBND {unit}', 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG']),
    input.layout?.formNumbers?.receipt,
  );
  const { doc, page, font, fontBold, width } = form;
  const margin = MARGIN;
  let y = form.y + 60;
  const center = (text: string, f: PDFFont, size: number) => {
    page.drawText(text, { x: (width - f.widthOfTextAtSize(text, size)) / 2, y, size, font: f });
    y -= size * 1.6;
  };
  const left = (x: number, text: string, f: PDFFont, size: number, yy: number) =>
    page.drawText(text, { x, y: yy, size, font: f });

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
  signatureBlock(page, form, y, 'NGƯỜI TIẾP NHẬN', input.officer);
  if (input.layout?.provisional !== false)
    page.drawText('Mẫu tham khảo (tạm thời): chưa đối chiếu mẫu 01 Thông tư 03/2025/TT-VPCP.', {
      x: margin,
      y: 40,
      size: 8,
      font,
      color: rgb(0.4, 0.4, 0.4),
    });
  return doc.save();
}

/** The letters that follow a dossier's life, each tied to the event that causes it. */
export const LETTERS = {
  supplement: {
    event: 'supplementRequested',
    title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    basis: 'Nghị định 118/2025/NĐ-CP, Điều 16.3 và 17: một lần, nêu đầy đủ lý do.',
  },
  refusal: {
    event: 'refused',
    title: 'PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ',
    basis: 'Nghị định 118/2025/NĐ-CP, Điều 19.3: nêu rõ lý do.',
  },
  apology: {
    event: 'extended',
    title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    basis: 'Nghị định 118/2025/NĐ-CP, Điều 19.6: gửi trước hạn ít nhất 01 ngày; hẹn lại không quá một lần.',
  },
  stop: {
    event: 'stopped',
    title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
    basis: 'Nghị định 118/2025/NĐ-CP, Điều 21: theo đề nghị của người nộp hồ sơ.',
  },
} as const;
export type LetterKind = keyof typeof LETTERS;

/**
 * A letter of the dossier's life as an A4 PDF in Vietnamese (supplement request, refusal, apology with the
 * new appointment, stop notice), from the event that caused it. Layouts follow the common forms and are
 * marked provisional: the forms of Circular 03/2025/TT-VPCP were not read.
 */
export async function letterPdf(input: {
  kind: LetterKind;
  dossier: DossierSummary;
  unit: Unit;
  applicantName: string;
  officer: string;
  event: Record<string, unknown>;
  layout?: FormLayout;
}): Promise<Uint8Array> {
  const letter = LETTERS[input.kind];
  const form = await startForm(
    `${letter.title} ${input.dossier.code}`,
    letterhead(input.layout, input.unit, ['UBND {unit}']),
    input.layout?.formNumbers?.[input.kind],
  );
  const { doc, page, font, fontBold, width } = form;
  const margin = MARGIN;
  let y = form.y + 60;
  const text = (x: number, t: string, f: PDFFont, size: number, yy = y) =>
    page.drawText(t, { x, y: yy, size, font: f });
  y -= 60;
  const titleLines = wrap(letter.title, fontBold, 14, width - margin * 2);
  for (const l of titleLines) {
    text((width - fontBold.widthOfTextAtSize(l, 14)) / 2, l, fontBold, 14);
    y -= 22;
  }
  const code = `Mã hồ sơ: ${input.dossier.code}`;
  text((width - font.widthOfTextAtSize(code, 11)) / 2, code, font, 11);
  y -= 30;
  const e = input.event;
  const rows: [string, string][] = [
    ['Kính gửi', input.applicantName || '—'],
    ['Thủ tục', `${input.dossier.procedureName} (${input.dossier.procedureCode})`],
    ['Ngày tiếp nhận', viDateTime(input.dossier.receivedAt)],
  ];
  if (input.kind === 'supplement')
    rows.push([
      'Nội dung cần bổ sung',
      ((e.reasons as string[]) ?? []).map((r, i) => `${i + 1}. ${r}`).join('  '),
    ]);
  if (input.kind === 'refusal') rows.push(['Lý do từ chối', String(e.reason ?? '')]);
  if (input.kind === 'apology') {
    rows.push(['Hẹn trả ban đầu', viDateTime(input.dossier.originalAppointment)]);
    rows.push(['Lý do chậm', String(e.reason ?? '')]);
    rows.push(['Hẹn trả lại', viDateTime(String(e.newAppointment ?? ''))]);
  }
  if (input.kind === 'stop') rows.push(['Lý do', String(e.reason ?? 'Theo đề nghị của người nộp hồ sơ')]);
  rows.push(['Ngày lập', viDateTime(String(e.at ?? ''))]);
  for (const [label, value] of rows) {
    text(margin, `${label}:`, fontBold, 11);
    const lines = wrap(value, font, 11, width - margin * 2 - 150);
    lines.forEach((l, i) => {
      text(margin + 150, l, font, 11, y - i * 15);
    });
    y -= 15 * lines.length + 8;
  }
  if (input.kind === 'apology') {
    y -= 6;
    for (const l of wrap(
      `${input.unit.name} xin lỗi ông/bà vì sự chậm trễ này và hẹn trả kết quả vào thời gian trên.`,
      font,
      11,
      width - margin * 2,
    )) {
      text(margin, l, font, 11);
      y -= 15;
    }
  }
  y -= 30;
  signatureBlock(
    page,
    form,
    y,
    input.kind === 'supplement' ? 'NGƯỜI TIẾP NHẬN' : 'THỦ TRƯỞNG CƠ QUAN',
    input.officer,
  );
  const note =
    input.layout?.provisional === false
      ? ''
      : ' Mẫu tham khảo (tạm thời): chưa đối chiếu Thông tư 03/2025/TT-VPCP.';
  page.drawText(`${letter.basis}${note}`, {
    x: margin,
    y: 40,
    size: 8,
    font,
    color: rgb(0.4, 0.4, 0.4),
    maxWidth: width - margin * 2,
    lineHeight: 10,
  });
  return doc.save();
}
