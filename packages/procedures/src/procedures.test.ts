import { computeAppointment } from '@motcua/deadlines';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-utils/runs.js';
import { defineCatalogue, diffCatalogues, layerCatalogues, seedCatalogue } from './catalogue.js';
import { CatalogueImportError, catalogueTemplate, exportCatalogue, importCatalogue } from './io.js';
import { limitText, parseLimitText } from './limit-text.js';

describe('the seed catalogue', () => {
  it('has at least 30 procedures, every one valid, cited, and computable by the deadlines engine', () => {
    const cat = seedCatalogue();
    expect(cat.size).toBeGreaterThanOrEqual(30);
    for (const p of cat.all()) {
      expect(p.sources.length, p.code).toBeGreaterThan(0);
      const r = computeAppointment({
        receivedAt: '2026-03-02T10:00:00+07:00',
        limit: p.limit,
        channel: 'direct',
      });
      expect(r.appointment, p.code).toMatch(/^2026-/);
      if (p.limit.onVerification)
        computeAppointment({ receivedAt: '2026-03-02T10:00:00+07:00', limit: p.limit, verification: true });
    }
    expect(cat.all().filter((p) => p.confidence === 'confirmed').length).toBeGreaterThanOrEqual(8);
  });

  it('looks up by code at a date and searches without diacritics', () => {
    const cat = seedCatalogue();
    expect(cat.get('2.000815', { at: '2026-01-01' })?.limit).toEqual({
      unit: 'sameDay',
      cutoff: '15:00',
      onVerification: { unit: 'workingDays', value: 2 },
    });
    expect(cat.get('2.000815', { at: '2025-06-30' })).toBeUndefined();
    expect(cat.search('chung thuc ban sao', { at: '2026-01-01' })[0]?.code).toBe('2.000815');
    expect(cat.search('dang ky khai sinh', { at: '2026-01-01' })[0]?.code).toBe('1.001193');
  });
});

describe('limits written in Vietnamese', () => {
  it.each([
    ['5 ngày làm việc', { unit: 'workingDays', value: 5 }],
    ['05 ngày làm việc', { unit: 'workingDays', value: 5 }],
    ['năm ngày làm việc', { unit: 'workingDays', value: 5 }],
    ['04 giờ làm việc', { unit: 'workingHours', value: 4 }],
    ['10 ngày', { unit: 'calendarDays', value: 10 }],
    ['1 tháng', { unit: 'months', value: 1 }],
    ['Giải quyết ngay', { unit: 'immediate' }],
    ['Trong ngày; sau 15 giờ thì trả trong ngày làm việc tiếp theo', { unit: 'sameDay', cutoff: '15:00' }],
    ['Trong ngày, sau 15h30 trả ngày làm việc tiếp theo', { unit: 'sameDay', cutoff: '15:30' }],
    [
      'Trong ngày; 05 ngày làm việc nếu cần xác minh',
      { unit: 'sameDay', onVerification: { unit: 'workingDays', value: 5 } },
    ],
  ] as const)('%s', (text, limit) => {
    expect(parseLimitText(text)).toEqual(limit);
  });
  it('rejects what it cannot read, and reads back what it writes', () => {
    expect(parseLimitText('sớm nhất có thể')).toBeUndefined();
    for (const p of seedCatalogue().all())
      expect(parseLimitText(limitText(p.limit)), p.code).toEqual(p.limit);
  });
});

const HEADER =
  'Mã thủ tục;Tên thủ tục;Mã lĩnh vực;Lĩnh vực;Thời hạn giải quyết;Kênh nộp;Căn cứ pháp lý;Hiệu lực từ';

describe('import from CSV', () => {
  it('reads an Excel CSV export (BOM, semicolons, quoted multi-line cells, dd/mm/yyyy dates)', async () => {
    const csv = `\uFEFF${HEADER}\r\nHN.001;"Thủ tục A";CT;Chứng thực;3 ngày làm việc;"trực tiếp; bưu chính";"Nghị định 23/2015/NĐ-CP\nThông tư 01/2020/TT-BTP";01/07/2025\r\n`;
    const r = await importCatalogue(new TextEncoder().encode(csv));
    expect(r.rows).toBe(1);
    expect(r.procedures[0]).toMatchObject({
      code: 'HN.001',
      limit: { unit: 'workingDays', value: 3 },
      channels: ['direct', 'postal'],
      legalBasis: ['Nghị định 23/2015/NĐ-CP', 'Thông tư 01/2020/TT-BTP'],
      validFrom: '2025-07-01',
    });
  });

  it('reports every bad row with row, column, value and rule, and imports nothing', async () => {
    const csv = [
      HEADER,
      'HN.001;Thủ tục A;CT;Chứng thực;3 ngày làm việc;trực tiếp;NĐ 23/2015;01/07/2025',
      'HN.002;Thủ tục B;CT;Chứng thực;sớm nhất có thể;trực tiếp;NĐ 23/2015;01/07/2025',
      'HN.003;Thủ tục C;CT;Chứng thực;2 ngày làm việc;fax;NĐ 23/2015;31/02/2025',
      'HN.001;Thủ tục A lần 2;CT;Chứng thực;3 ngày làm việc;trực tiếp;NĐ 23/2015;01/07/2025',
    ].join('\n');
    const err = await importCatalogue(csv).catch((e) => e);
    expect(err).toBeInstanceOf(CatalogueImportError);
    const rows = (err as CatalogueImportError).errors.map((e) => [e.row, e.column, e.rule]);
    expect(rows).toEqual([
      [3, 'Thời hạn giải quyết', 'catalogue.limit_text'],
      [4, 'Kênh nộp', 'catalogue.channel'],
      [4, 'Hiệu lực từ', 'date.format'],
      [5, 'Mã thủ tục', 'catalogue.duplicate'],
    ]);
    expect((err as CatalogueImportError).errors[0]?.value).toBe('sớm nhất có thể');
    const partial = await importCatalogue(csv, { partial: true });
    expect(partial.procedures.map((p) => p.code)).toEqual(['HN.001']);
    expect(partial.rejected).toHaveLength(4);
  });

  it('handles encodings, empty files, and files that are not CSV or XLSX', async () => {
    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...new Uint8Array(
        new Uint16Array(
          [...`${HEADER}\nHN.001;A;CT;Chứng thực;3 ngày làm việc;trực tiếp;NĐ;01/07/2025`].map((c) =>
            c.charCodeAt(0),
          ),
        ).buffer,
      ),
    ]);
    expect((await importCatalogue(utf16)).procedures).toHaveLength(1);
    const win1258 = new Uint8Array([
      ...new TextEncoder().encode(`${HEADER}\nHN.001;Th`),
      0xf4,
      0xd2,
      ...new TextEncoder().encode(';CT;x;3 ngày làm việc;trực tiếp;NĐ;01/07/2025'),
    ]);
    await expect(importCatalogue(win1258)).rejects.toMatchObject({ code: 'catalogue.encoding' });
    await expect(importCatalogue(HEADER)).rejects.toMatchObject({ code: 'catalogue.empty' });
    await expect(importCatalogue('a,b,c\n1,2,3')).rejects.toMatchObject({ code: 'catalogue.header' });
    await expect(importCatalogue(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]))).rejects.toMatchObject({
      code: 'catalogue.format',
    });
  });
});

describe('import from XLSX', () => {
  it('reads merged cells, title rows, Excel dates and numeric codes', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh mục');
    ws.addRow(['DANH MỤC THỦ TỤC HÀNH CHÍNH CẤP XÃ (kèm theo Quyết định …)']);
    ws.addRow([
      'Mã thủ tục',
      'Tên thủ tục',
      'Mã lĩnh vực',
      'Lĩnh vực',
      'Thời hạn giải quyết',
      'Căn cứ pháp lý',
      'Hiệu lực từ',
    ]);
    ws.addRow([
      2.000815,
      'Chứng thực bản sao từ bản chính',
      'CT',
      'Chứng thực',
      'Trong ngày; sau 15 giờ thì ngày làm việc tiếp theo',
      'Nghị định 23/2015/NĐ-CP',
      new Date(Date.UTC(2025, 6, 1)),
    ]);
    ws.addRow([
      2.000884,
      'Chứng thực chữ ký',
      'CT',
      null,
      'Trong ngày',
      'Nghị định 23/2015/NĐ-CP',
      new Date(Date.UTC(2025, 6, 1)),
    ]);
    ws.mergeCells('D3:D4'); // the field is merged over both rows, as province sheets do
    const data = new Uint8Array(await wb.xlsx.writeBuffer());
    const r = await importCatalogue(data);
    expect(r.procedures.map((p) => [p.code, p.field.name.vi, p.validFrom])).toEqual([
      ['2.000815', 'Chứng thực', '2025-07-01'],
      ['2.000884', 'Chứng thực', '2025-07-01'],
    ]);
  });
});

describe('export and round trips', () => {
  it('export → import gives the same catalogue, in CSV, XLSX and JSON', async () => {
    const cat = seedCatalogue();
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await exportCatalogue(cat, format);
      const back = await importCatalogue(typeof file === 'string' ? new TextEncoder().encode(file) : file);
      expect(diffCatalogues(cat, defineCatalogue(back.procedures), { at: '2026-01-01' })).toEqual([]);
      expect(back.procedures).toEqual(cat.all());
    }
    const json = JSON.parse((await exportCatalogue(cat, 'json')) as string);
    expect(defineCatalogue(json).all()).toEqual(cat.all());
  });

  it('random procedures survive the CSV round trip', async () => {
    const limitArb = fc.oneof(
      fc.record({ unit: fc.constant('workingDays' as const), value: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ unit: fc.constant('calendarDays' as const), value: fc.integer({ min: 1, max: 90 }) }),
      fc.constant({ unit: 'sameDay' as const, cutoff: '15:00' }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.stringMatching(/^[A-Z]{2}\.\d{3}$/),
            fc
              .string({ minLength: 1, maxLength: 30 })
              .filter((s) => s.trim().length > 0 && !/[\n\r;]/.test(s)),
            limitArb,
          ),
          { minLength: 1, maxLength: 5 },
        ),
        async (rows) => {
          const unique = [...new Map(rows.map((r) => [r[0], r])).values()];
          const cat = defineCatalogue(
            unique.map(([code, name, limit]) => ({
              code,
              name: { vi: name.trim() },
              field: { code: 'X', name: { vi: 'Khác' } },
              limit,
              legalBasis: ['QĐ 1/2026/QĐ-UBND'],
              validFrom: '2026-01-01',
            })),
          );
          const back = await importCatalogue((await exportCatalogue(cat, 'csv')) as string);
          expect(back.procedures).toEqual(cat.all());
        },
      ),
      { numRuns: propertyRuns(200) > 2000 ? 2000 : propertyRuns(200) },
    );
  });

  it('ships a template that imports', async () => {
    expect((await importCatalogue((await catalogueTemplate('csv')) as string)).procedures).toHaveLength(1);
    expect((await importCatalogue((await catalogueTemplate('xlsx')) as Uint8Array)).procedures).toHaveLength(
      1,
    );
  });
});

describe('layers and diffs', () => {
  it('a province overrides the base; the diff names each changed field', () => {
    const base = seedCatalogue();
    const original = base.get('2.000884', { at: '2026-01-01' })!;
    const province = defineCatalogue([
      { ...original, limit: { unit: 'workingDays', value: 1 }, province: '01' },
      {
        code: 'HN.001',
        name: { vi: 'Thủ tục riêng' },
        field: { code: 'X', name: { vi: 'Khác' } },
        limit: { unit: 'workingDays', value: 3 },
        legalBasis: ['QĐ'],
        validFrom: '2025-07-01',
        province: '01',
      },
    ]);
    const unit = layerCatalogues(base, province);
    expect(unit.get('2.000884', { at: '2026-01-01' })?.limit).toEqual({ unit: 'workingDays', value: 1 });
    const diff = diffCatalogues(base, unit, { at: '2026-01-01' });
    expect(diff).toEqual([
      {
        code: '2.000884',
        change: 'changed',
        fields: [
          { field: 'limit', before: original.limit, after: { unit: 'workingDays', value: 1 } },
          { field: 'province', before: undefined, after: '01' },
        ],
      },
      { code: 'HN.001', change: 'added' },
    ]);
  });
  it('rejects overlapping versions', () => {
    const p = seedCatalogue().get('2.000884', { at: '2026-01-01' })!;
    expect(() => defineCatalogue([p, { ...p, validFrom: '2026-01-01' }])).toThrow(/overlap/);
  });
});
