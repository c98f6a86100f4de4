import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { receiptPdf } from './receipt-pdf.js';
import { ReceiptBook } from './receipts.js';

const base = {
  dossierCode: '000.00.19.H57-260302-0001',
  feeId: 'F1',
  payerName: 'Nguyễn Văn Mẫu',
  lines: [
    {
      description: 'Phí chứng thực bản sao (2 bản × 5 trang)',
      amount: 14_000,
      legalBasis: 'Thông tư 226/2016/TT-BTC Điều 4',
    },
  ],
};

describe('receipts', () => {
  it('numbers receipts per unit and year, with the amount in words', () => {
    const book = new ReceiptBook({ unitCode: '05152' });
    const a = book.issue({ ...base, issuedAt: '2026-12-31T16:00:00+07:00' });
    const b = book.issue({ ...base, issuedAt: '2026-12-31T17:00:00Z' }); // already 2027 in Vietnam
    const c = book.issue({ ...base, issuedAt: '2026-12-31T17:30:00+07:00' });
    expect([a.id, b.id, c.id]).toEqual(['BL26E/0000001', 'BL27E/0000001', 'BL26E/0000002']);
    expect(a.amountInWords).toBe('Mười bốn nghìn đồng');
    expect(() => book.issue({ ...base, lines: [], issuedAt: '2026-03-02T09:00:00+07:00' })).toThrow(
      expect.objectContaining({ code: 'receipt.lines' }),
    );
  });

  it('cancels and replaces without losing the trail', () => {
    const book = new ReceiptBook({ unitCode: '05152', series: (y) => `XA${y}` });
    const a = book.issue({ ...base, issuedAt: '2026-03-02T09:00:00+07:00' });
    const b = book.replace(
      a.id,
      { ...base, payerName: 'Nguyễn Văn Mẩu', issuedAt: '2026-03-02T10:00:00+07:00' },
      'Sai tên người nộp',
    );
    expect(book.get(a.id)).toMatchObject({
      status: 'replaced',
      replacedBy: b.id,
      reason: 'Sai tên người nộp',
    });
    expect(b).toMatchObject({ replaces: a.id, status: 'issued', number: '0000002' });
    expect(book.get(a.id)?.trail.map((t) => t.action)).toEqual(['issued', 'replaced']);
    expect(() => book.cancel(a.id, 'x', '2026-03-02T11:00:00+07:00')).toThrow(
      expect.objectContaining({ code: 'receipt.not_live' }),
    );
    book.cancel(b.id, 'Hồ sơ bị rút', '2026-03-02T11:00:00+07:00');
    expect(book.all().map((r) => r.status)).toEqual(['replaced', 'cancelled']);
  });

  it('takes back persisted receipts and goes on numbering each year after them (no number reused)', () => {
    const book = new ReceiptBook({ unitCode: '05152' });
    const a = book.issue({ ...base, issuedAt: '2026-03-02T09:00:00+07:00' });
    book.issue({ ...base, issuedAt: '2026-03-02T10:00:00+07:00' });
    book.cancel(a.id, 'Nhầm hồ sơ', '2026-03-02T11:00:00+07:00');
    const persisted = JSON.parse(JSON.stringify(book.all()));
    const again = new ReceiptBook({ unitCode: '05152', receipts: persisted });
    expect(again.get(a.id)?.trail.map((t) => t.action)).toEqual(['issued', 'cancelled']);
    expect(again.issue({ ...base, issuedAt: '2026-03-03T09:00:00+07:00' }).id).toBe('BL26E/0000003');
    expect(again.issue({ ...base, issuedAt: '2027-01-04T09:00:00+07:00' }).id).toBe('BL27E/0000001');
    expect(() => new ReceiptBook({ unitCode: '05153', receipts: persisted })).toThrow(
      expect.objectContaining({ code: 'receipt.restore_unit' }),
    );
    expect(() => new ReceiptBook({ unitCode: '05152', receipts: [...persisted, persisted[0]] })).toThrow(
      expect.objectContaining({ code: 'receipt.restore_duplicate' }),
    );
  });

  it('renders a PDF with embedded Vietnamese fonts and a QR code', async () => {
    const book = new ReceiptBook({ unitCode: '05152' });
    const r = book.issue({ ...base, issuedAt: '2026-03-02T09:30:00+07:00', paymentId: 'PAY-1' });
    const pdf = await receiptPdf(r, { unitName: 'UBND xã Vân Sơn' });
    const head = new TextDecoder().decode(pdf.slice(0, 5));
    expect(head).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'motcua-receipt-'));
    writeFileSync(join(dir, 'receipt.pdf'), pdf);
    if (existsSync('/usr/bin/pdftotext')) {
      const txt = execFileSync('pdftotext', [join(dir, 'receipt.pdf'), '-'], { encoding: 'utf8' });
      expect(txt).toContain('BIÊN LAI THU PHÍ, LỆ PHÍ');
      expect(txt).toContain('Mười bốn nghìn đồng');
      expect(txt).toContain('Nguyễn Văn Mẫu');
      const fonts = execFileSync('pdffonts', [join(dir, 'receipt.pdf')], { encoding: 'utf8' });
      expect(fonts).toMatch(/DejaVuSans-\d+\s.*yes/);
      expect(fonts).toMatch(/DejaVuSans-Bold-\d+\s.*yes/);
      const images = execFileSync('pdfimages', ['-list', join(dir, 'receipt.pdf')], { encoding: 'utf8' });
      expect(images.trim().split('\n').length).toBeGreaterThanOrEqual(3); // header, rule, the QR image
    }
  });

  it('keeps a replaced stamp and a long line description on the page, clear of the amounts', async () => {
    if (!existsSync('/usr/bin/pdftotext')) return;
    const book = new ReceiptBook({ unitCode: '05152' });
    const long =
      'Phí chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp (3 bản × 12 trang)';
    const a = book.issue({
      ...base,
      lines: [{ description: long, amount: 1_234_000, legalBasis: base.lines[0]!.legalBasis }],
      issuedAt: '2026-03-02T09:30:00+07:00',
    });
    const b = book.replace(a.id, { ...base, issuedAt: '2026-03-02T10:00:00+07:00' }, 'Sai số trang');
    const dir = mkdtempSync(join(tmpdir(), 'motcua-receipt-'));
    writeFileSync(join(dir, 'old.pdf'), await receiptPdf(book.get(a.id)!, { unitName: 'UBND xã Vân Sơn' }));
    const words = [
      ...execFileSync('pdftotext', ['-bbox', join(dir, 'old.pdf'), '-'], { encoding: 'utf8' }).matchAll(
        /xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]+)</g,
      ),
    ].map((m) => ({ xMin: Number(m[1]), xMax: Number(m[2]), text: m[3]! }));
    // pdftotext drops what falls off the page: the replacement's number must be there, inside the page.
    expect(words.map((w) => w.text)).toContain(b.id);
    for (const w of words) expect(w.xMax).toBeLessThanOrEqual(595);
    const amount = words.find((w) => w.text === '1.234.000')!;
    for (const part of ['thẩm', 'quyền', 'trang)']) {
      const w = words.find((x) => x.text === part)!;
      expect(w.xMax).toBeLessThan(amount.xMin);
    }
  });
});
