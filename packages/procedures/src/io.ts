import { MotcuaError, ValidationError } from '@motcua/core';
import { foldName } from '@motcua/units';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type Catalogue, defineCatalogue } from './catalogue.js';
import { limitText, parseLimitText } from './limit-text.js';
import { type CatalogueProcedure, CatalogueProcedureSchema } from './schema.js';

/** One problem of one row of an imported file. */
export interface RowError {
  /** Row number as the spreadsheet shows it (the header is row 1 unless preceded by title rows). */
  row: number;
  column: string;
  value: string;
  rule: string;
  message: { vi: string; en: string };
}

/** The result of {@link importCatalogue}. */
export interface ImportResult {
  /** The procedures imported (all rows, or with `partial` the good ones). */
  procedures: CatalogueProcedure[];
  /** Rows rejected (only with `partial: true`; otherwise an error is thrown). */
  rejected: RowError[];
  /** Data rows read. */
  rows: number;
}

/**
 * Thrown when a file has bad rows and `partial` was not asked: nothing was imported. Lists every problem.
 *
 * @example
 * ```ts
 * import { CatalogueImportError, importCatalogue } from '@motcua/procedures';
 * try { await importCatalogue(csv); } catch (e) {
 *   if (e instanceof CatalogueImportError) console.log(e.rows, e.errors[0]);
 *   // 32 { row: 2, column: 'Thời hạn giải quyết', value: 'khi nào xong', rule: 'catalogue.limit_text', message: { en: 'cannot read the limit: …', vi: '…' } }
 * }
 * ```
 */
export class CatalogueImportError extends MotcuaError {
  readonly errors: RowError[];
  /** Data rows read. */
  readonly rows: number;
  constructor(errors: RowError[], rows: number) {
    const head = errors
      .slice(0, 5)
      .map((e) => `row ${e.row}, ${e.column}: ${e.message.en}`)
      .join('; ');
    const headVi = errors
      .slice(0, 5)
      .map((e) => `dòng ${e.row}, ${e.column}: ${e.message.vi}`)
      .join('; ');
    super(
      'catalogue.import_failed',
      `${errors.length} problem(s) in ${rows} row(s); nothing imported. ${head}${errors.length > 5 ? '; …' : ''}`,
      {
        vi: `${errors.length} lỗi trong ${rows} dòng; chưa nhập dòng nào. ${headVi}${errors.length > 5 ? '; …' : ''}`,
        details: { errors, rows },
      },
    );
    this.name = 'CatalogueImportError';
    this.errors = errors;
    this.rows = rows;
  }
}

const fileError = (code: string, en: string, vi: string) => new MotcuaError(code, en, { vi });

type Row = Record<string, string>;

/** A column of the catalogue layout. */
export interface CatalogueColumn {
  key: string;
  header: string;
  aliases?: string[];
  write: (p: CatalogueProcedure) => string;
}

const LEVELS: Record<string, CatalogueProcedure['level']> = {
  xa: 'commune',
  'cap xa': 'commune',
  commune: 'commune',
  tinh: 'province',
  'cap tinh': 'province',
  province: 'province',
  'trung uong': 'central',
  central: 'central',
};
const LEVEL_VI = { commune: 'Cấp xã', province: 'Cấp tỉnh', central: 'Trung ương' } as const;
const CHANNELS: Record<string, 'direct' | 'postal' | 'online'> = {
  'truc tiep': 'direct',
  direct: 'direct',
  'buu chinh': 'postal',
  postal: 'postal',
  'truc tuyen': 'online',
  online: 'online',
};
const CHANNEL_VI = { direct: 'trực tiếp', postal: 'bưu chính', online: 'trực tuyến' } as const;
const ONLINE: Record<string, CatalogueProcedure['online']> = {
  'toan trinh': 'full',
  full: 'full',
  'mot phan': 'partial',
  partial: 'partial',
  khong: 'none',
  none: 'none',
  '': 'none',
};
const ONLINE_VI = { full: 'toàn trình', partial: 'một phần', none: 'không' } as const;
const FORMS: Record<string, 'original' | 'copy' | 'certified_copy' | 'original_or_copy' | 'presented'> = {
  'ban chinh': 'original',
  'ban sao': 'copy',
  'ban sao chung thuc': 'certified_copy',
  'ban sao co chung thuc': 'certified_copy',
  'ban chinh hoac ban sao': 'original_or_copy',
  'xuat trinh': 'presented',
};
const FORM_VI = {
  original: 'bản chính',
  copy: 'bản sao',
  certified_copy: 'bản sao chứng thực',
  original_or_copy: 'bản chính hoặc bản sao',
  presented: 'xuất trình',
} as const;
const list = (s: string) =>
  s
    .split(/\r?\n|;/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The columns of the catalogue layout (Vietnamese headers; the keys are accepted as English headers). */
export const CATALOGUE_COLUMNS: readonly CatalogueColumn[] = [
  { key: 'code', header: 'Mã thủ tục', write: (p) => p.code },
  { key: 'name', header: 'Tên thủ tục', write: (p) => p.name.vi },
  { key: 'nameEn', header: 'Tên tiếng Anh', write: (p) => p.name.en ?? '' },
  { key: 'fieldCode', header: 'Mã lĩnh vực', write: (p) => p.field.code },
  { key: 'field', header: 'Lĩnh vực', write: (p) => p.field.name.vi },
  { key: 'fieldEn', header: 'Lĩnh vực (tiếng Anh)', write: (p) => p.field.name.en ?? '' },
  { key: 'level', header: 'Cấp thực hiện', write: (p) => LEVEL_VI[p.level] },
  { key: 'agency', header: 'Cơ quan quyết định', write: (p) => p.agency },
  { key: 'limit', header: 'Thời hạn giải quyết', write: (p) => limitText(p.limit) },
  { key: 'channels', header: 'Kênh nộp', write: (p) => p.channels.map((c) => CHANNEL_VI[c]).join('; ') },
  { key: 'online', header: 'Dịch vụ công trực tuyến', write: (p) => ONLINE_VI[p.online] },
  {
    key: 'documents',
    header: 'Thành phần hồ sơ',
    write: (p) =>
      p.documents
        .map((d) => `${d.name} (${FORM_VI[d.form]}, ${d.count}${d.template ? `, ${d.template}` : ''})`)
        .join('\n'),
  },
  { key: 'fees', header: 'Phí, lệ phí (JSON)', write: (p) => (p.fees ? JSON.stringify(p.fees) : '') },
  { key: 'result', header: 'Kết quả', write: (p) => p.result?.documentType ?? '' },
  { key: 'signedBy', header: 'Người ký', write: (p) => p.result?.signedBy ?? '' },
  { key: 'legalBasis', header: 'Căn cứ pháp lý', write: (p) => p.legalBasis.join('\n') },
  { key: 'civilStatus', header: 'Hộ tịch', write: (p) => (p.civilStatus ? 'có' : 'không') },
  {
    key: 'interconnected',
    header: 'Liên thông (JSON)',
    write: (p) => (p.interconnected ? JSON.stringify(p.interconnected) : ''),
  },
  {
    key: 'internalProcess',
    header: 'Quy trình nội bộ (JSON)',
    write: (p) => (p.internalProcess ? JSON.stringify(p.internalProcess) : ''),
  },
  { key: 'validFrom', header: 'Hiệu lực từ', write: (p) => p.validFrom },
  { key: 'validTo', header: 'Hiệu lực đến', write: (p) => p.validTo ?? '' },
  { key: 'province', header: 'Mã tỉnh', write: (p) => p.province ?? '' },
  {
    key: 'confidence',
    header: 'Độ tin cậy',
    write: (p) => (p.confidence === 'confirmed' ? 'đã xác nhận' : 'chưa xác nhận'),
  },
  { key: 'sources', header: 'Nguồn', write: (p) => p.sources.join('\n') },
];

const HEADER_KEYS = new Map<string, string>();
for (const c of CATALOGUE_COLUMNS) {
  HEADER_KEYS.set(foldName(c.header), c.key);
  HEADER_KEYS.set(foldName(c.key), c.key);
}
const headerOf = (key: string) => CATALOGUE_COLUMNS.find((c) => c.key === key)?.header ?? key;

/** A date cell: `YYYY-MM-DD`, `dd/mm/yyyy`, or an Excel serial number. */
function dateCell(v: string): string | undefined {
  const t = v.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) return t.slice(0, 10);
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  if (/^\d{5}(\.\d+)?$/.test(t))
    return new Date(Math.round((Number(t) - 25569) * 86_400_000)).toISOString().slice(0, 10);
  return undefined;
}

function rowToProcedure(row: Row, rowNumber: number, errors: RowError[]): unknown {
  const err = (key: string, rule: string, en: string, vi: string) =>
    errors.push({
      row: rowNumber,
      column: headerOf(key),
      value: (row[key] ?? '').slice(0, 200),
      rule,
      message: { en, vi },
    });
  const get = (k: string) => (row[k] ?? '').trim();
  const json = (k: string): unknown => {
    if (get(k) === '') return undefined;
    try {
      return JSON.parse(get(k));
    } catch {
      err(k, 'catalogue.json', 'not valid JSON', 'không phải JSON hợp lệ');
      return undefined;
    }
  };
  const limit = parseLimitText(get('limit'));
  if (!limit)
    err(
      'limit',
      'catalogue.limit_text',
      'cannot read the limit: write it like "5 ngày làm việc" or "Trong ngày; sau 15 giờ thì ngày làm việc tiếp theo"',
      'không đọc được thời hạn: ghi dạng "5 ngày làm việc" hoặc "Trong ngày; sau 15 giờ thì ngày làm việc tiếp theo"',
    );
  const channels: string[] = [];
  for (const c of list(get('channels') || 'trực tiếp')) {
    const ch = CHANNELS[foldName(c)];
    if (ch) channels.push(ch);
    else
      err(
        'channels',
        'catalogue.channel',
        `unknown channel "${c}" (trực tiếp, bưu chính, trực tuyến)`,
        `kênh nộp không hợp lệ "${c}" (trực tiếp, bưu chính, trực tuyến)`,
      );
  }
  const level = LEVELS[foldName(get('level') || 'xa')];
  if (!level)
    err(
      'level',
      'catalogue.level',
      'level must be cấp xã, cấp tỉnh or trung ương',
      'cấp thực hiện phải là cấp xã, cấp tỉnh hoặc trung ương',
    );
  const online = ONLINE[foldName(get('online'))];
  if (online === undefined)
    err(
      'online',
      'catalogue.online',
      'online service must be toàn trình, một phần or không',
      'dịch vụ công trực tuyến phải là toàn trình, một phần hoặc không',
    );
  const documents = list(get('documents')).map((d) => {
    const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(d);
    if (!m) return { name: d };
    const [form, count, template] = m[2]!.split(',').map((x) => x.trim());
    return {
      name: m[1]!,
      form: FORMS[foldName(form ?? '')] ?? 'original',
      count: Number(count) || 1,
      ...(template ? { template } : {}),
    };
  });
  const validFrom = dateCell(get('validFrom'));
  if (!validFrom)
    err(
      'validFrom',
      'catalogue.date',
      'the start date must be a date (dd/mm/yyyy or yyyy-mm-dd)',
      'ngày hiệu lực phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd)',
    );
  const validTo = get('validTo') ? dateCell(get('validTo')) : undefined;
  if (get('validTo') && !validTo)
    err('validTo', 'catalogue.date', 'the end date must be a date', 'ngày hết hiệu lực phải là ngày');
  const result = get('result')
    ? { documentType: get('result'), signedBy: get('signedBy') || 'Chủ tịch UBND cấp xã' }
    : undefined;
  const conf = foldName(get('confidence'));
  return {
    code: get('code'),
    name: { vi: get('name'), ...(get('nameEn') ? { en: get('nameEn') } : {}) },
    field: {
      code: get('fieldCode'),
      name: { vi: get('field'), ...(get('fieldEn') ? { en: get('fieldEn') } : {}) },
    },
    ...(level ? { level } : {}),
    ...(get('agency') ? { agency: get('agency') } : {}),
    ...(limit ? { limit } : {}),
    ...(json('fees') !== undefined ? { fees: json('fees') } : {}),
    documents,
    channels,
    ...(online ? { online } : {}),
    ...(result ? { result } : {}),
    legalBasis: list(get('legalBasis')),
    civilStatus: ['co', 'yes', 'x', 'true'].includes(foldName(get('civilStatus'))),
    ...(json('interconnected') !== undefined ? { interconnected: json('interconnected') } : {}),
    ...(json('internalProcess') !== undefined ? { internalProcess: json('internalProcess') } : {}),
    ...(validFrom ? { validFrom } : {}),
    ...(validTo ? { validTo } : {}),
    ...(get('province') ? { province: get('province') } : {}),
    confidence: conf === 'da xac nhan' || conf === 'confirmed' ? 'confirmed' : 'unverified',
    sources: get('sources')
      .split(/\r?\n/)
      .map((x) => x.trim())
      .filter(Boolean),
  };
}

/** Maps the header row to column keys; unknown headers are ignored, required ones must be there. */
function mapHeader(header: string[]): Map<number, string> {
  const map = new Map<number, string>();
  header.forEach((h, i) => {
    const key = HEADER_KEYS.get(foldName(h ?? ''));
    if (key) map.set(i, key);
  });
  const missing = ['code', 'name', 'limit', 'legalBasis', 'validFrom'].filter(
    (k) => ![...map.values()].includes(k),
  );
  if (missing.length > 0) {
    throw fileError(
      'catalogue.header',
      `The header row lacks ${missing.map(headerOf).join(', ')} (download the template for the layout)`,
      `Dòng tiêu đề thiếu cột ${missing.map(headerOf).join(', ')} (tải mẫu để xem bố cục)`,
    );
  }
  return map;
}

function decodeText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    throw fileError(
      'catalogue.encoding',
      'The file is not UTF-8 (a Windows-1258 export?): save it as "CSV UTF-8" or as .xlsx',
      'Tệp không ở mã UTF-8 (xuất từ Windows-1258?): lưu lại dạng "CSV UTF-8" hoặc .xlsx',
    );
  }
}

function csvTable(text: string): string[][] {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter =
    (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0)
      ? ';'
      : first.includes('\t') && !first.includes(',')
        ? '\t'
        : ',';
  try {
    return parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    throw fileError(
      'catalogue.csv',
      `The file is not readable CSV: ${(e as Error).message}`,
      `Tệp không phải CSV đọc được: ${(e as Error).message}`,
    );
  }
}

async function xlsxTable(data: Uint8Array): Promise<string[][]> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (e) {
    throw fileError(
      'catalogue.xlsx',
      `The file is not a readable .xlsx workbook: ${(e as Error).message}`,
      `Tệp không phải bảng tính .xlsx đọc được: ${(e as Error).message}`,
    );
  }
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const out: string[][] = [];
  const columns = ws.columnCount; // a getter that scans the sheet: read it once
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= columns; c++) {
      // A merged cell gives its master's value, as a person reading the sheet sees it.
      const cell = row.getCell(c);
      const v = cell.isMerged ? cell.master.value : cell.value;
      cells.push(cellText(v));
    }
    out.push(cells);
  });
  return out;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : /^\d\.\d+$/.test(String(v)) ? v.toFixed(6) : String(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: string; result?: unknown; formula?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return cellText(o.result);
    return '';
  }
  return String(v);
}

/**
 * Imports a procedure catalogue from a province's spreadsheet (CSV or XLSX, the layout of
 * {@link CATALOGUE_COLUMNS}; Vietnamese headers, merged cells, Excel dates and numbers accepted). Every bad
 * row is reported with its row number, column, value and rule; nothing is imported unless every row passes,
 * or, with `partial: true`, the good rows are imported and the bad ones returned in `rejected`.
 *
 * @throws {@link CatalogueImportError} listing every problem; `MotcuaError` for a file that is not CSV/XLSX,
 * not UTF-8, or has no data.
 * @example
 * ```ts
 * import { importCatalogue } from '@motcua/procedures';
 * const { procedures } = await importCatalogue(readFileSync('thu-tuc-cap-xa.xlsx'));
 * ```
 */
export async function importCatalogue(
  data: Uint8Array | string,
  options: { format?: 'csv' | 'xlsx'; partial?: boolean } = {},
): Promise<ImportResult> {
  const bytes = typeof data === 'string' ? undefined : data;
  const isZip =
    bytes !== undefined && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const format = options.format ?? (isZip ? 'xlsx' : 'csv');
  if (format === 'xlsx' && !isZip)
    throw fileError(
      'catalogue.format',
      'The file is not an .xlsx workbook',
      'Tệp không phải bảng tính .xlsx',
    );
  if (format === 'csv' && isZip)
    throw fileError(
      'catalogue.format',
      'The file is an .xlsx workbook, not CSV',
      'Tệp là bảng tính .xlsx, không phải CSV',
    );
  if (
    bytes &&
    !isZip &&
    bytes.subarray(0, 512).some((b) => b === 0) &&
    !(bytes[0] === 0xff || bytes[0] === 0xfe)
  ) {
    throw fileError(
      'catalogue.format',
      'The file is neither CSV nor XLSX (binary content)',
      'Tệp không phải CSV hay XLSX (nội dung nhị phân)',
    );
  }
  const table =
    format === 'xlsx'
      ? await xlsxTable(bytes!)
      : csvTable(typeof data === 'string' ? data.replace(/^\uFEFF/, '') : decodeText(bytes!));
  // The header is the first row that names the code column (title rows above it are allowed).
  const headerIndex = table.findIndex((r) => r.some((c) => HEADER_KEYS.get(foldName(c ?? '')) === 'code'));
  if (headerIndex < 0) {
    throw fileError(
      'catalogue.header',
      `No header row with "${headerOf('code')}" was found`,
      `Không tìm thấy dòng tiêu đề có cột "${headerOf('code')}"`,
    );
  }
  const header = mapHeader(table[headerIndex]!);
  const body = table.slice(headerIndex + 1).filter((r) => r.some((c) => (c ?? '').trim() !== ''));
  if (body.length === 0)
    throw fileError(
      'catalogue.empty',
      'The sheet has a header but no procedures',
      'Bảng tính có tiêu đề nhưng không có thủ tục nào',
    );
  const errors: RowError[] = [];
  const good: { row: number; p: CatalogueProcedure }[] = [];
  const seen = new Map<string, number>();
  body.forEach((cells, i) => {
    const rowNumber = headerIndex + i + 2;
    const row: Row = {};
    header.forEach((key, col) => {
      row[key] = cells[col] ?? '';
    });
    const before = errors.length;
    const candidate = rowToProcedure(row, rowNumber, errors);
    const r = CatalogueProcedureSchema.safeParse(candidate);
    if (!r.success) {
      for (const issue of ValidationError.fromZod(r.error).issues) {
        const key = String(issue.path[0] ?? '');
        if (errors.slice(before).some((e) => e.column === headerOf(key))) continue;
        errors.push({
          row: rowNumber,
          column: headerOf(key),
          value: (row[key] ?? '').slice(0, 200),
          rule: issue.code,
          message: issue.message,
        });
      }
      return;
    }
    if (errors.length > before) return;
    const dupKey = `${r.data.code}|${r.data.validFrom}`;
    if (seen.has(dupKey)) {
      errors.push({
        row: rowNumber,
        column: headerOf('code'),
        value: r.data.code,
        rule: 'catalogue.duplicate',
        message: {
          en: `duplicate of row ${seen.get(dupKey)} (same code and start date)`,
          vi: `trùng với dòng ${seen.get(dupKey)} (cùng mã và ngày hiệu lực)`,
        },
      });
      return;
    }
    seen.set(dupKey, rowNumber);
    good.push({ row: rowNumber, p: r.data });
  });
  if (errors.length > 0 && !options.partial) throw new CatalogueImportError(errors, body.length);
  return { procedures: good.map((g) => g.p), rejected: errors, rows: body.length };
}

/**
 * Exports procedures in the import layout: CSV (UTF-8 with BOM, for Excel), XLSX, or JSON. Export →
 * import gives the same catalogue.
 *
 * @example
 * ```ts
 * writeFileSync('catalogue.xlsx', await exportCatalogue(seedCatalogue(), 'xlsx'));
 * ```
 */
export async function exportCatalogue(
  catalogue: Catalogue | readonly CatalogueProcedure[],
  format: 'csv' | 'xlsx' | 'json',
): Promise<string | Uint8Array> {
  const procedures = Array.isArray(catalogue)
    ? (catalogue as CatalogueProcedure[])
    : (catalogue as Catalogue).all();
  if (format === 'json') return `${JSON.stringify(procedures, null, 2)}\n`;
  const rows = [
    CATALOGUE_COLUMNS.map((c) => c.header),
    ...procedures.map((p) => CATALOGUE_COLUMNS.map((c) => c.write(p))),
  ];
  if (format === 'csv') return `\uFEFF${stringify(rows, { record_delimiter: '\r\n' })}`;
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Thủ tục');
  for (const r of rows) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => {
    c.width = 24;
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * A template file of the import layout (the header and one example row).
 *
 * @example
 * ```ts
 * writeFileSync('mau-danh-muc-thu-tuc.xlsx', await catalogueTemplate('xlsx'));
 * ```
 */
export async function catalogueTemplate(format: 'csv' | 'xlsx'): Promise<string | Uint8Array> {
  const example = defineCatalogue([
    {
      code: '2.000815',
      name: { vi: 'Chứng thực bản sao từ bản chính', en: 'Certified copy from the original' },
      field: { code: 'CT', name: { vi: 'Chứng thực' } },
      limit: { unit: 'sameDay', cutoff: '15:00', onVerification: { unit: 'workingDays', value: 2 } },
      documents: [
        { name: 'Bản chính giấy tờ', form: 'original' },
        { name: 'Bản sao cần chứng thực', form: 'copy' },
      ],
      legalBasis: ['Nghị định 23/2015/NĐ-CP'],
      validFrom: '2025-07-01',
      confidence: 'confirmed',
      sources: ['DOMAIN.md §6'],
    },
  ]);
  return exportCatalogue(example, format);
}
