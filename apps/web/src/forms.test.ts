import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DossierSummary, Unit } from '@motcua/store';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';
import { letterPdf, receiptPdf } from './forms.js';

const unit: Unit = {
  code: '05152',
  name: 'Xã Vân Sơn',
  provinceCode: '25',
  agencyCode: 'H25.X05152',
  calendar: {},
  treasuryAccount: null,
};
const dossier: DossierSummary = {
  id: '00000000-0000-4000-8000-000000000001',
  code: 'H25.X05152-261203-0001',
  unitCode: '05152',
  procedureCode: '1.001193',
  procedureName: 'Đăng ký khai sinh',
  channel: 'direct',
  receivedAt: '2026-12-03T09:00:00+07:00',
  phase: 'received',
  appointment: '2026-12-04T09:00:00+07:00',
  originalAppointment: '2026-12-04T09:00:00+07:00',
  classification: null,
  supplementRequests: 0,
  eventCount: 1,
  assignedTo: null,
  currentStep: null,
  overdue: false,
};

/** The PDF's text as poppler reads it (undefined when poppler-utils is missing). */
function text(bytes: Uint8Array): string | undefined {
  const file = join(mkdtempSync(join(tmpdir(), 'motcua-forms-')), 'form.pdf');
  writeFileSync(file, bytes);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch {
    console.warn('*** pdftotext (poppler-utils) missing: PDF text check skipped ***');
    return undefined;
  }
}

describe('the forms’ layout is configurable', () => {
  const base = { dossier, unit, applicantName: 'Nguyễn Thị Mẫu', officer: 'Lê Văn Cán Bộ' };

  it('by default: the common letterhead, no form number, marked provisional', async () => {
    const t = text(await receiptPdf({ ...base, statusUrl: 'http://127.0.0.1/status?code=x' }));
    if (t === undefined) return;
    expect(t).toContain('UBND XÃ VÂN SƠN');
    expect(t).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG');
    expect(t).toContain('Mẫu tham khảo (tạm thời)');
    expect(t).not.toContain('Mẫu số');
  });

  it('from the config file: letterhead lines, form numbers, the provisional note off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-forms-config-'));
    const file = join(dir, 'motcua.json');
    writeFileSync(
      file,
      JSON.stringify({
        forms: {
          letterhead: ['UBND TỈNH PHÚ THỌ', 'UBND {unit}'],
          formNumbers: { receipt: 'Mẫu số 01', supplement: 'Mẫu số 02' },
          provisional: false,
        },
      }),
    );
    const layout = configFromEnv({ MOTCUA_CONFIG: file }).forms!;
    const receipt = text(await receiptPdf({ ...base, statusUrl: 'http://127.0.0.1/status', layout }));
    if (receipt === undefined) return;
    expect(receipt).toContain('UBND TỈNH PHÚ THỌ');
    expect(receipt).toContain('UBND XÃ VÂN SƠN');
    expect(receipt).not.toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG');
    expect(receipt).toContain('Mẫu số 01');
    expect(receipt).not.toContain('tạm thời');
    const letter = text(
      await letterPdf({
        ...base,
        kind: 'supplement',
        event: { type: 'supplementRequested', at: '2026-12-03T10:00:00+07:00', reasons: ['Thiếu tờ khai'] },
        layout,
      }),
    );
    expect(letter).toContain('Mẫu số 02');
    expect(letter).toContain('Thiếu tờ khai');
    expect(letter).not.toContain('tạm thời');
    // A form number for a form that does not exist is refused, naming the field.
    writeFileSync(file, JSON.stringify({ forms: { formNumbers: { receit: 'Mẫu số 01' } } }));
    expect(() => configFromEnv({ MOTCUA_CONFIG: file })).toThrow(/formNumbers/);
  });
});
