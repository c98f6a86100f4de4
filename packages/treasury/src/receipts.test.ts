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
});
