import { fail } from './errors.js';

/** The NAPAS globally unique identifier in template 38 (field 38.00). */
export const NAPAS_GUID = 'A000000727';

/** NAPAS service codes (field 38.02): transfer to an account, to a card, merchant payment, ATM cash. */
export const VIETQR_SERVICES = {
  account: 'QRIBFTTA',
  card: 'QRIBFTTC',
  push: 'QRPUSH',
  cash: 'QRCASH',
} as const;
/** A NAPAS service code. */
export type VietQrService = (typeof VIETQR_SERVICES)[keyof typeof VIETQR_SERVICES];
const SERVICE_CODES = new Set<string>(Object.values(VIETQR_SERVICES));

/** The longest purpose (62.08) every known bank app keeps (DOMAIN.md §9). */
export const VIETQR_SAFE_PURPOSE_LENGTH = 25;

/** Input of {@link encodeVietQr}. */
export interface VietQrInput {
  /** The beneficiary bank's BIN (6 digits; most start with 97, CAKE is 546034). */
  bankBin: string;
  /** Account or card number, 1-19 letters and digits (e-wallet accounts contain letters). */
  accountNumber: string;
  /** Amount in dong (positive integer, at most 13 digits). */
  amount?: number;
  /** Purpose of the transfer (nội dung chuyển khoản, 62.08). Keep it ASCII and ≤ 25 characters: use `paymentReference`. */
  purpose?: string;
  /** Bill number (62.01). */
  billNumber?: string;
  /** Reference label (62.05). */
  referenceLabel?: string;
  /** Terminal label (62.07). */
  terminalLabel?: string;
  /**
   * `static` (11: reusable, no fixed amount) or `dynamic` (12: one-off, amount and content fixed). Default:
   * `dynamic` when an amount is given, otherwise `static`.
   */
  initiation?: 'static' | 'dynamic';
  /** `account` (QRIBFTTA, default), `card` (QRIBFTTC), or a NAPAS service code. */
  service?: keyof typeof VIETQR_SERVICES | VietQrService;
  /** Merchant category code (52), 4 digits; optional for transfers. */
  merchantCategory?: string;
}

/** A warning about a payload that is valid but that some bank apps mishandle. */
export interface VietQrWarning {
  code: 'vietqr.purpose_diacritics' | 'vietqr.purpose_long';
  field: '62.08';
  message: { en: string; vi: string };
}

/** Options of {@link encodeVietQr}. */
export interface EncodeVietQrOptions {
  /**
   * Receives the warnings (purpose with diacritics, or longer than 25 characters). Default: `console.warn`
   * of the code and message (never the purpose text itself).
   */
  onWarning?: (warning: VietQrWarning) => void;
}

/** The fields of a decoded VietQR payload. */
export interface VietQrData {
  /** `static` (01 = 11) or `dynamic` (01 = 12). */
  initiation: 'static' | 'dynamic';
  bankBin: string;
  accountNumber: string;
  service: VietQrService;
  /** Amount in dong, when the payload fixes one. */
  amount?: number;
  currency: '704';
  country: 'VN';
  /** 62.08, the transfer content. */
  purpose?: string;
  /** 62.01. */
  billNumber?: string;
  /** Every sub-field of 62 by name (billNumber, mobileNumber, storeLabel, loyaltyNumber, referenceLabel, customerLabel, terminalLabel, purpose, consumerDataRequest, or the ID). */
  additionalData: Record<string, string>;
  merchantCategory?: string;
  merchantName?: string;
  merchantCity?: string;
  postalCode?: string;
  /** The CRC, 4 uppercase hex digits. */
  crc: string;
  /** Every top-level field by ID, as found. */
  fields: Record<string, string>;
}

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, xorout 0.
const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[i] = c;
}
const HEX = '0123456789ABCDEF';

/**
 * CRC-16/CCITT-FALSE of the UTF-8 bytes of `text` (up to `end` characters), as 4 uppercase hex digits.
 * The check value of `123456789` is `29B1`.
 *
 * @example
 * ```ts
 * import { crc16 } from '@motcua/treasury';
 * crc16('123456789'); // '29B1'
 * ```
 */
export function crc16(text: string, end = text.length): string {
  let crc = 0xffff;
  for (let i = 0; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ c) & 0xff]!;
      continue;
    }
    // UTF-8 encode the code point inline.
    let bytes: number[];
    if (c < 0x800) bytes = [0xc0 | (c >> 6), 0x80 | (c & 63)];
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        bytes = [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
      } else bytes = [0xef, 0xbf, 0xbd];
    } else if (c >= 0xd800 && c <= 0xdfff) bytes = [0xef, 0xbf, 0xbd];
    else bytes = [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
    for (const b of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ b) & 0xff]!;
  }
  return HEX[(crc >>> 12) & 15]! + HEX[(crc >>> 8) & 15]! + HEX[(crc >>> 4) & 15]! + HEX[crc & 15]!;
}

const tlv = (id: string, value: string) =>
  id + (value.length < 10 ? `0${value.length}` : value.length) + value;

const PRINTABLE = /^[\x20-\x7e\u00a0-\uffff]*$/;
const ASCII = /^[\x20-\x7e]*$/;

function text(value: string | undefined, field: string, name: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') value = value.normalize('NFC');
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !PRINTABLE.test(value))
    fail(
      `vietqr.${name}`,
      `${field} (${name}) must be 1-${max} printable characters`,
      `${field} (${name}) phải gồm 1-${max} ký tự in được`,
      field,
    );
  return value;
}

/** Warnings for a transfer purpose: diacritics, or longer than 25 characters (some bank apps drop them). */
export function vietQrPurposeWarnings(purpose: string | undefined): VietQrWarning[] {
  if (purpose === undefined) return [];
  const out: VietQrWarning[] = [];
  if (!ASCII.test(purpose))
    out.push({
      code: 'vietqr.purpose_diacritics',
      field: '62.08',
      message: {
        en: 'The purpose has diacritics or non-ASCII characters, which some bank apps drop or garble: use ASCII',
        vi: 'Nội dung chuyển khoản có dấu hoặc ký tự ngoài ASCII, một số ứng dụng ngân hàng bỏ hoặc làm sai: hãy dùng chữ không dấu',
      },
    });
  if (purpose.length > VIETQR_SAFE_PURPOSE_LENGTH)
    out.push({
      code: 'vietqr.purpose_long',
      field: '62.08',
      message: {
        en: `The purpose has ${purpose.length} characters; some bank apps keep only ${VIETQR_SAFE_PURPOSE_LENGTH}`,
        vi: `Nội dung chuyển khoản dài ${purpose.length} ký tự; một số ứng dụng ngân hàng chỉ giữ ${VIETQR_SAFE_PURPOSE_LENGTH}`,
      },
    });
  return out;
}

const defaultWarn = (w: VietQrWarning) =>
  globalThis.console?.warn(`[motcua/treasury] ${w.code}: ${w.message.en}`);

/**
 * The payload of a VietQR code (NAPAS 24/7 transfer QR on EMVCo merchant-presented mode): `00` format, `01`
 * initiation (11 static, 12 dynamic), `38` NAPAS template (GUID, BIN and account, service code), `53` 704,
 * `54` amount, `58` VN, `62` additional data (purpose in 62.08), `63` CRC-16/CCITT-FALSE. Lengths count
 * characters; the CRC covers the UTF-8 bytes.
 *
 * Warns (see `onWarning`) when the purpose has diacritics or is longer than 25 characters: for
 * reconciliation put a short reference there, `paymentReference(dossierCode)` from `@motcua/core`.
 *
 * @throws TreasuryError whose code names the field: `vietqr.bank_bin`, `vietqr.account`, `vietqr.amount`,
 *   `vietqr.purpose`, `vietqr.service`, `vietqr.additional_data`...
 * @example
 * ```ts
 * import { encodeVietQr } from '@motcua/treasury';
 * import { paymentReference } from '@motcua/core';
 * encodeVietQr({
 *   bankBin: '970403',
 *   accountNumber: '0011012345678',
 *   amount: 14000,
 *   purpose: paymentReference('000.00.19.H57-260302-0001'), // '00000192603020001'
 * });
 * // '00020101021238570010A000000727…5405140005802VN62210817000001926030200016304….'
 * ```
 */
export function encodeVietQr(input: VietQrInput, options: EncodeVietQrOptions = {}): string {
  const { bankBin, accountNumber, amount } = input;
  if (typeof bankBin !== 'string' || !/^\d{6}$/.test(bankBin))
    fail(
      'vietqr.bank_bin',
      'bankBin (38.01.00) must be 6 digits',
      'bankBin (38.01.00) phải gồm 6 chữ số',
      '38.01.00',
    );
  if (typeof accountNumber !== 'string' || !/^[A-Za-z0-9]{1,19}$/.test(accountNumber))
    fail(
      'vietqr.account',
      'accountNumber (38.01.01) must be 1-19 letters or digits',
      'accountNumber (38.01.01) phải gồm 1-19 chữ cái hoặc chữ số',
      '38.01.01',
    );
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0 || amount >= 1e13))
    fail(
      'vietqr.amount',
      'amount (54) must be a positive integer number of dong with at most 13 digits',
      'amount (54) phải là số nguyên đồng dương, tối đa 13 chữ số',
      '54',
    );
  const service =
    input.service === undefined
      ? 'QRIBFTTA'
      : (VIETQR_SERVICES[input.service as keyof typeof VIETQR_SERVICES] ?? input.service);
  if (!SERVICE_CODES.has(service))
    fail(
      'vietqr.service',
      'service (38.02) must be account, card, push, cash or a NAPAS service code',
      'service (38.02) phải là account, card, push, cash hoặc mã dịch vụ NAPAS',
      '38.02',
    );
  const initiation = input.initiation ?? (amount === undefined ? 'static' : 'dynamic');
  if (initiation !== 'static' && initiation !== 'dynamic')
    fail(
      'vietqr.initiation',
      'initiation (01) must be static or dynamic',
      'initiation (01) phải là static hoặc dynamic',
      '01',
    );
  if (input.merchantCategory !== undefined && !/^\d{4}$/.test(input.merchantCategory))
    fail(
      'vietqr.merchant_category',
      'merchantCategory (52) must be 4 digits',
      'merchantCategory (52) phải gồm 4 chữ số',
      '52',
    );
  const purpose = text(input.purpose, '62.08', 'purpose', 99);
  const bill = text(input.billNumber, '62.01', 'bill_number', 25);
  const ref = text(input.referenceLabel, '62.05', 'reference_label', 25);
  const terminal = text(input.terminalLabel, '62.07', 'terminal_label', 25);
  if (purpose !== undefined) {
    const warn = options.onWarning ?? defaultWarn;
    for (const w of vietQrPurposeWarnings(purpose)) warn(w);
  }

  const beneficiary = tlv('00', bankBin) + tlv('01', accountNumber);
  let out = `000201010${initiation === 'static' ? '211' : '212'}${tlv('38', `0010${NAPAS_GUID}${tlv('01', beneficiary)}${tlv('02', service)}`)}`;
  if (input.merchantCategory !== undefined) out += tlv('52', input.merchantCategory);
  out += '5303704';
  if (amount !== undefined) out += tlv('54', String(amount));
  out += '5802VN';
  if (bill !== undefined || ref !== undefined || terminal !== undefined || purpose !== undefined) {
    let extra = '';
    if (bill !== undefined) extra += tlv('01', bill);
    if (ref !== undefined) extra += tlv('05', ref);
    if (terminal !== undefined) extra += tlv('07', terminal);
    if (purpose !== undefined) extra += tlv('08', purpose);
    if (extra.length > 99)
      fail(
        'vietqr.additional_data',
        `Additional data (62) would have ${extra.length} characters; at most 99`,
        `Dữ liệu bổ sung (62) sẽ dài ${extra.length} ký tự; tối đa 99`,
        '62',
      );
    out += tlv('62', extra);
  }
  out += '6304';
  return out + crc16(out);
}

const ADDITIONAL: Record<string, string> = {
  '01': 'billNumber',
  '02': 'mobileNumber',
  '03': 'storeLabel',
  '04': 'loyaltyNumber',
  '05': 'referenceLabel',
  '06': 'customerLabel',
  '07': 'terminalLabel',
  '08': 'purpose',
  '09': 'consumerDataRequest',
};

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Splits a TLV string into [id, value] pairs; any length that does not fit is a `vietqr.length` error. */
function scan(s: string, parent: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < s.length) {
    if (i + 4 > s.length) {
      const at = parent || 'payload';
      fail(
        'vietqr.length',
        `${parent ? `Template ${parent}` : 'The payload'} has ${s.length - i} characters left over after its last field`,
        `${parent ? `Mẫu ${parent}` : 'Chuỗi QR'} còn thừa ${s.length - i} ký tự sau trường cuối`,
        at,
      );
    }
    const where = parent ? `${parent}.${s.slice(i, i + 2)}` : s.slice(i, i + 2);
    if (!isDigit(s.charCodeAt(i + 2)) || !isDigit(s.charCodeAt(i + 3)))
      fail(
        'vietqr.length',
        `Field ${where}: the length is not 2 digits`,
        `Trường ${where}: độ dài không phải 2 chữ số`,
        where,
      );
    const len = (s.charCodeAt(i + 2) - 48) * 10 + (s.charCodeAt(i + 3) - 48);
    const end = i + 4 + len;
    if (end > s.length)
      fail(
        'vietqr.length',
        `Field ${where} declares ${len} characters but ${parent ? `template ${parent}` : 'the payload'} holds only ${s.length - i - 4}`,
        `Trường ${where} khai ${len} ký tự nhưng ${parent ? `mẫu ${parent}` : 'chuỗi'} chỉ còn ${s.length - i - 4}`,
        where,
      );
    out.push([s.slice(i, i + 2), s.slice(i + 4, end)]);
    i = end;
  }
  return out;
}

function template(value: string, id: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of scan(value, id)) {
    if (m.has(k))
      fail(
        'vietqr.duplicate',
        `Field ${id}.${k} appears twice`,
        `Trường ${id}.${k} xuất hiện hai lần`,
        `${id}.${k}`,
      );
    m.set(k, v);
  }
  return m;
}

/**
 * Decodes and checks a VietQR payload: every TLV length (top level and the nested templates 38, 38.01 and
 * 62, which must consume their parent exactly), the CRC-16/CCITT-FALSE (4 uppercase hex digits), then each
 * field: format `01`, initiation 11/12, NAPAS GUID, 6-digit BIN, 1-19 letters and digits of account,
 * service code, currency 704, country VN, an integer amount.
 *
 * @throws TreasuryError whose `code` says what is wrong and `field` where: `vietqr.length` (with the field
 *   ID, e.g. `38.01`), `vietqr.crc`, `vietqr.crc_format`, `vietqr.crc_missing`, `vietqr.format`,
 *   `vietqr.initiation`, `vietqr.napas_template`, `vietqr.guid`, `vietqr.bank_bin`, `vietqr.account`,
 *   `vietqr.service`, `vietqr.currency`, `vietqr.country`, `vietqr.amount`, `vietqr.duplicate`.
 * @example
 * ```ts
 * import { decodeVietQr } from '@motcua/treasury';
 * const qr = decodeVietQr('00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F');
 * qr.bankBin; // '970403'
 * qr.accountNumber; // '0011012345678'
 * qr.initiation; // 'static'
 * ```
 */
export function decodeVietQr(payload: string): VietQrData {
  if (typeof payload !== 'string' || payload.length === 0)
    fail('vietqr.format', 'The payload is empty or not text', 'Chuỗi QR trống hoặc không phải văn bản', '00');
  const top = scan(payload, '');
  const last = top[top.length - 1];
  if (last === undefined || last[0] !== '63' || last[1].length !== 4 || !payload.endsWith(`6304${last[1]}`))
    fail(
      'vietqr.crc_missing',
      'The payload does not end with the CRC field 63 of 4 characters',
      'Chuỗi QR không kết thúc bằng trường CRC 63 dài 4 ký tự',
      '63',
    );
  const crc = last[1];
  if (!/^[0-9A-F]{4}$/.test(crc))
    fail(
      'vietqr.crc_format',
      'The CRC (63) must be 4 uppercase hex digits',
      'CRC (63) phải gồm 4 chữ số hex viết hoa',
      '63',
    );
  const expected = crc16(payload, payload.length - 4);
  if (crc !== expected)
    fail(
      'vietqr.crc',
      'The CRC (63) does not match the payload',
      'CRC (63) không khớp nội dung mã QR',
      '63',
      {
        expected,
        found: crc,
      },
    );

  const fields: Record<string, string> = {};
  for (const [id, value] of top) {
    if (id in fields)
      fail('vietqr.duplicate', `Field ${id} appears twice`, `Trường ${id} xuất hiện hai lần`, id);
    fields[id] = value;
  }
  if (top[0]?.[0] !== '00' || fields['00'] !== '01')
    fail(
      'vietqr.format',
      'The payload must start with 000201 (format indicator 01)',
      'Chuỗi QR phải bắt đầu bằng 000201',
      '00',
    );
  const poi = fields['01'];
  if (poi !== undefined && poi !== '11' && poi !== '12')
    fail(
      'vietqr.initiation',
      'Point of initiation (01) must be 11 or 12',
      'Phương thức khởi tạo (01) phải là 11 hoặc 12',
      '01',
    );
  const napas = fields['38'];
  if (napas === undefined)
    fail('vietqr.napas_template', 'The NAPAS template (38) is missing', 'Thiếu mẫu NAPAS (38)', '38');
  const t38 = template(napas, '38');
  if (t38.get('00') !== NAPAS_GUID)
    fail(
      'vietqr.guid',
      `The GUID (38.00) must be ${NAPAS_GUID}`,
      `GUID (38.00) phải là ${NAPAS_GUID}`,
      '38.00',
    );
  const beneficiary = t38.get('01');
  if (beneficiary === undefined)
    fail(
      'vietqr.napas_template',
      'The beneficiary template (38.01) is missing',
      'Thiếu thông tin người thụ hưởng (38.01)',
      '38.01',
    );
  const t3801 = template(beneficiary, '38.01');
  const bankBin = t3801.get('00') ?? '';
  if (!/^\d{6}$/.test(bankBin))
    fail(
      'vietqr.bank_bin',
      'The bank BIN (38.01.00) must be 6 digits',
      'Mã BIN ngân hàng (38.01.00) phải gồm 6 chữ số',
      '38.01.00',
    );
  const accountNumber = t3801.get('01') ?? '';
  if (!/^[A-Za-z0-9]{1,19}$/.test(accountNumber))
    fail(
      'vietqr.account',
      'The account or card number (38.01.01) must be 1-19 letters or digits',
      'Số tài khoản hoặc số thẻ (38.01.01) phải gồm 1-19 chữ cái hoặc chữ số',
      '38.01.01',
    );
  const service = t38.get('02') ?? '';
  if (!SERVICE_CODES.has(service))
    fail(
      'vietqr.service',
      'The service code (38.02) must be QRIBFTTA, QRIBFTTC, QRPUSH or QRCASH',
      'Mã dịch vụ (38.02) phải là QRIBFTTA, QRIBFTTC, QRPUSH hoặc QRCASH',
      '38.02',
    );
  if (fields['53'] !== '704')
    fail('vietqr.currency', 'The currency (53) must be 704 (VND)', 'Mã tiền tệ (53) phải là 704 (VND)', '53');
  if (fields['58'] !== 'VN')
    fail('vietqr.country', 'The country (58) must be VN', 'Mã quốc gia (58) phải là VN', '58');
  const amountText = fields['54'];
  if (amountText !== undefined && !/^[1-9]\d{0,12}$/.test(amountText))
    fail(
      'vietqr.amount',
      'The amount (54) must be a positive integer of at most 13 digits (VND has no decimals)',
      'Số tiền (54) phải là số nguyên dương tối đa 13 chữ số (VND không có phần thập phân)',
      '54',
    );
  const additionalData: Record<string, string> = {};
  if (fields['62'] !== undefined)
    for (const [k, v] of template(fields['62'], '62')) additionalData[ADDITIONAL[k] ?? k] = v;

  const out: VietQrData = {
    initiation: poi === '12' ? 'dynamic' : 'static',
    bankBin,
    accountNumber,
    service: service as VietQrService,
    currency: '704',
    country: 'VN',
    additionalData,
    crc,
    fields,
  };
  if (amountText !== undefined) out.amount = Number(amountText);
  if (additionalData.purpose !== undefined) out.purpose = additionalData.purpose;
  if (additionalData.billNumber !== undefined) out.billNumber = additionalData.billNumber;
  if (fields['52'] !== undefined) out.merchantCategory = fields['52'];
  if (fields['59'] !== undefined) out.merchantName = fields['59'];
  if (fields['60'] !== undefined) out.merchantCity = fields['60'];
  if (fields['61'] !== undefined) out.postalCode = fields['61'];
  return out;
}

/** Options of {@link renderVietQr}. */
export interface RenderVietQrOptions {
  format: 'svg' | 'png';
  /** Quiet zone in modules. Default 4. */
  margin?: number;
  /** Pixel width of the PNG (or the SVG's nominal width). Default 320. */
  width?: number;
  /** Error correction. Default `M`. */
  errorCorrection?: 'L' | 'M' | 'Q' | 'H';
}

/**
 * Draws a VietQR payload with the `qrcode` library, after checking it with {@link decodeVietQr}: an SVG
 * string, or PNG bytes (Node).
 *
 * @throws TreasuryError when the payload is not a valid VietQR.
 * @example
 * ```ts
 * import { encodeVietQr, renderVietQr } from '@motcua/treasury';
 * const payload = encodeVietQr({ bankBin: '970403', accountNumber: '0011012345678', amount: 14000 });
 * const svg = await renderVietQr(payload, { format: 'svg' });
 * const png = await renderVietQr(payload, { format: 'png', width: 480 });
 * ```
 */
export async function renderVietQr(
  payload: string,
  options: RenderVietQrOptions & { format: 'svg' },
): Promise<string>;
export async function renderVietQr(
  payload: string,
  options: RenderVietQrOptions & { format: 'png' },
): Promise<Uint8Array>;
export async function renderVietQr(
  payload: string,
  options: RenderVietQrOptions,
): Promise<string | Uint8Array> {
  decodeVietQr(payload);
  const QR = (await import('qrcode')).default;
  const common = {
    errorCorrectionLevel: options.errorCorrection ?? 'M',
    margin: options.margin ?? 4,
    width: options.width ?? 320,
  } as const;
  if (options.format === 'svg') return QR.toString(payload, { ...common, type: 'svg' });
  if (options.format === 'png') return new Uint8Array(await QR.toBuffer(payload, { ...common, type: 'png' }));
  return fail('vietqr.render_format', 'format must be svg or png', 'format phải là svg hoặc png', 'format');
}
