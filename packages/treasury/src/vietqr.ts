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
// Slicing by 4: T1-T3 are the table shifted by 1-3 more bytes, so four ASCII characters cost four
// independent lookups (2 KiB of tables in all).
const T1 = new Uint16Array(256);
const T2 = new Uint16Array(256);
const T3 = new Uint16Array(256);
for (let v = 0; v < 256; v++) {
  const a = TABLE[v]!;
  const b = ((a << 8) & 0xffff) ^ TABLE[a >>> 8]!;
  const c = ((b << 8) & 0xffff) ^ TABLE[b >>> 8]!;
  T1[v] = b;
  T2[v] = c;
  T3[v] = ((c << 8) & 0xffff) ^ TABLE[c >>> 8]!;
}
// '00'…'FF', so that 4 hex digits are one concatenation.
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
const hex4 = (crc: number) => HEX2[crc >>> 8]! + HEX2[crc & 0xff]!;
const byte = (crc: number, b: number) => ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ b) & 0xff]!;

/** The CRC register after the UTF-8 bytes of `text` from `start` to `end` (characters), from `crc`. */
function crcUpdate(text: string, start: number, end: number, crc: number): number {
  let i = start;
  for (; i + 3 < end; i += 4) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const c = text.charCodeAt(i + 2);
    const d = text.charCodeAt(i + 3);
    if ((a | b | c | d) >= 0x80) return crcUtf8(text, i, end, crc);
    crc = T3[(crc >>> 8) ^ a]! ^ T2[(crc & 0xff) ^ b]! ^ T1[c]! ^ TABLE[d]!;
  }
  for (; i < end; i++) {
    const a = text.charCodeAt(i);
    if (a >= 0x80) return crcUtf8(text, i, end, crc);
    crc = byte(crc, a);
  }
  return crc;
}

/** {@link crcUpdate} a byte at a time, UTF-8 encoding each code point (lone surrogates as U+FFFD, like TextEncoder). */
function crcUtf8(text: string, start: number, end: number, crc: number): number {
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) crc = byte(crc, c);
    else if (c < 0x800) crc = byte(byte(crc, 0xc0 | (c >> 6)), 0x80 | (c & 63));
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        crc = byte(byte(crc, 0xf0 | (c >> 18)), 0x80 | ((c >> 12) & 63));
        crc = byte(byte(crc, 0x80 | ((c >> 6) & 63)), 0x80 | (c & 63));
      } else crc = byte(byte(byte(crc, 0xef), 0xbf), 0xbd);
    } else if (c >= 0xd800 && c <= 0xdfff) crc = byte(byte(byte(crc, 0xef), 0xbf), 0xbd);
    else crc = byte(byte(byte(crc, 0xe0 | (c >> 12)), 0x80 | ((c >> 6) & 63)), 0x80 | (c & 63));
  }
  return crc;
}

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
  return hex4(crcUpdate(text, 0, end, 0xffff));
}

// '00'…'99': interned field IDs and TLV lengths.
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

// Values never exceed 99 characters here: 38 holds at most 63, 62 is checked, the others are short.
const tlv = (id: string, value: string) => id + TWO_DIGITS[value.length]! + value;

const PRINTABLE = /^[\x20-\x7e\u00a0-\uffff]*$/;
const ASCII = /^[\x20-\x7e]*$/;

/** True when every character is printable ASCII (0x20-0x7E): then NFC leaves it alone and it has no diacritics. */
function printableAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function text(value: string | undefined, field: string, name: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  // Fast path: printable ASCII is already NFC.
  if (typeof value === 'string' && value.length > 0 && value.length <= max && printableAscii(value))
    return value;
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

/**
 * Warnings for a transfer purpose: diacritics, or longer than 25 characters (some bank apps drop them).
 *
 * @example
 * ```ts
 * import { vietQrPurposeWarnings } from '@motcua/treasury';
 * vietQrPurposeWarnings('H25X051522612030001'); // []
 * vietQrPurposeWarnings('Lệ phí khai sinh').map((w) => w.code); // ['vietqr.purpose_diacritics']
 * vietQrPurposeWarnings('Le phi chung thuc ban sao HS 000123').map((w) => w.code); // ['vietqr.purpose_long']
 * ```
 */
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

/** True when `value` is a string of `min`-`max` ASCII digits. */
function digits(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || value.length < min || value.length > max) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** True when `value` is a string of 1-19 ASCII letters and digits (an account or card number). */
function accountLike(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 19) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

function serviceCode(service: VietQrInput['service']): string | undefined {
  switch (service) {
    case undefined:
    case 'account':
    case 'QRIBFTTA':
      return 'QRIBFTTA';
    case 'card':
    case 'QRIBFTTC':
      return 'QRIBFTTC';
    case 'push':
    case 'QRPUSH':
      return 'QRPUSH';
    case 'cash':
    case 'QRCASH':
      return 'QRCASH';
    default:
      return undefined;
  }
}

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
export function encodeVietQr(input: VietQrInput, options?: EncodeVietQrOptions): string {
  const bankBin = input.bankBin;
  const accountNumber = input.accountNumber;
  const amount = input.amount;
  if (!digits(bankBin, 6, 6))
    fail(
      'vietqr.bank_bin',
      'bankBin (38.01.00) must be 6 digits',
      'bankBin (38.01.00) phải gồm 6 chữ số',
      '38.01.00',
    );
  if (!accountLike(accountNumber))
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
  const service = serviceCode(input.service);
  if (service === undefined)
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
  const category = input.merchantCategory;
  if (category !== undefined && !digits(category, 4, 4))
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
  // Only a purpose with a character outside printable ASCII, or a long one, can warn.
  if (purpose !== undefined && (purpose.length > VIETQR_SAFE_PURPOSE_LENGTH || !printableAscii(purpose))) {
    const warn = options?.onWarning ?? defaultWarn;
    for (const w of vietQrPurposeWarnings(purpose)) warn(w);
  }

  const account = `0010${NAPAS_GUID}01${TWO_DIGITS[14 + accountNumber.length]}0006${bankBin}01${TWO_DIGITS[accountNumber.length]}${accountNumber}02${TWO_DIGITS[service.length]}${service}`;
  let out = `${initiation === 'static' ? '00020101021138' : '00020101021238'}${TWO_DIGITS[account.length]}${account}`;
  if (category !== undefined) out += `5204${category}`;
  out += '5303704';
  if (amount !== undefined) {
    const a = `${amount}`;
    out += `54${TWO_DIGITS[a.length]}${a}`;
  }
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
    out += `62${TWO_DIGITS[extra.length]}${extra}`;
  }
  out += '6304';
  // Joined rather than concatenated: the result is one flat string, which decoding reads faster than a
  // concatenation's rope.
  return [out, hex4(crcUpdate(out, 0, out.length, 0xffff))].join('');
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

/** The 2-character ID at `i`: interned when it is two digits (always, in practice). */
function idAt(p: string, i: number): string {
  const a = p.charCodeAt(i) - 48;
  const b = p.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? TWO_DIGITS[a * 10 + b]! : p.slice(i, i + 2);
}

/** Throws the `vietqr.length` error for the field at `i` of the template `p[start, end)` (cold path). */
function lengthError(p: string, end: number, i: number, parent: string): never {
  if (i + 4 > end)
    fail(
      'vietqr.length',
      `${parent ? `Template ${parent}` : 'The payload'} has ${end - i} characters left over after its last field`,
      `${parent ? `Mẫu ${parent}` : 'Chuỗi QR'} còn thừa ${end - i} ký tự sau trường cuối`,
      parent || 'payload',
    );
  const where = parent ? `${parent}.${p.slice(i, i + 2)}` : p.slice(i, i + 2);
  const d1 = p.charCodeAt(i + 2) - 48;
  const d2 = p.charCodeAt(i + 3) - 48;
  if (!(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9))
    fail(
      'vietqr.length',
      `Field ${where}: the length is not 2 digits`,
      `Trường ${where}: độ dài không phải 2 chữ số`,
      where,
    );
  const len = d1 * 10 + d2;
  fail(
    'vietqr.length',
    `Field ${where} declares ${len} characters but ${parent ? `template ${parent}` : 'the payload'} holds only ${end - i - 4}`,
    `Trường ${where} khai ${len} ký tự nhưng ${parent ? `mẫu ${parent}` : 'chuỗi'} chỉ còn ${end - i - 4}`,
    where,
  );
}

/**
 * Checks that the TLV fields of `p[start, end)` consume it exactly, every length 2 digits that fits;
 * returns the index of the last field (-1 when empty). Throws `vietqr.length` naming the field.
 */
function checkLengths(p: string, start: number, end: number, parent: string): number {
  let i = start;
  let last = -1;
  while (i < end) {
    if (i + 4 > end) lengthError(p, end, i, parent);
    const d1 = p.charCodeAt(i + 2) - 48;
    const d2 = p.charCodeAt(i + 3) - 48;
    if (!(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) lengthError(p, end, i, parent);
    const next = i + 4 + d1 * 10 + d2;
    if (next > end) lengthError(p, end, i, parent);
    last = i;
    i = next;
  }
  return last;
}

const duplicate = (id: string): never =>
  fail('vietqr.duplicate', `Field ${id} appears twice`, `Trường ${id} xuất hiện hai lần`, id);

/** The length of the field at `i` (already checked by {@link checkLengths}). */
const lengthAt = (p: string, i: number) => (p.charCodeAt(i + 2) - 48) * 10 + p.charCodeAt(i + 3) - 48;

// Where `indexTemplate` found the sub-fields 00-09 of the last template it read (-1: absent). Decoding is
// synchronous, so one scratch array serves every call.
const AT = new Int32Array(10);

/**
 * Throws `vietqr.duplicate` when a field ID repeats inside the (length-checked) template `p[start, end)`,
 * and records in {@link AT} where its sub-fields 00-09 start.
 */
function indexTemplate(p: string, start: number, end: number, parent: string): void {
  for (let k = 0; k < 10; k++) AT[k] = -1;
  for (let i = start; i < end; i += 4 + lengthAt(p, i)) {
    const a = p.charCodeAt(i);
    const b = p.charCodeAt(i + 1);
    for (let j = start; j < i; j += 4 + lengthAt(p, j))
      if (p.charCodeAt(j) === a && p.charCodeAt(j + 1) === b) {
        const k = p.slice(i, i + 2);
        fail(
          'vietqr.duplicate',
          `Field ${parent}.${k} appears twice`,
          `Trường ${parent}.${k} xuất hiện hai lần`,
          `${parent}.${k}`,
        );
      }
    if (a === 48 && b >= 48 && b <= 57) AT[b - 48] = i;
  }
}

/** True when the field at `i` (-1: absent) holds exactly `value`. */
function fieldIs(p: string, i: number, value: string): boolean {
  if (i < 0 || lengthAt(p, i) !== value.length) return false;
  for (let k = 0; k < value.length; k++) if (p.charCodeAt(i + 4 + k) !== value.charCodeAt(k)) return false;
  return true;
}

/** The value of the field at `i` (or `fallback` when `i` is -1). */
const valueAt = (p: string, i: number, fallback: string) =>
  i < 0 ? fallback : p.slice(i + 4, i + 4 + lengthAt(p, i));

const hexValue = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : -1);

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
  const p = payload;
  const n = p.length;
  // 1. Every top-level length, then the CRC field 63 last, then the CRC itself.
  const last = checkLengths(p, 0, n, '');
  if (last < 0 || p.charCodeAt(last) !== 54 || p.charCodeAt(last + 1) !== 51 || n - last !== 8)
    fail(
      'vietqr.crc_missing',
      'The payload does not end with the CRC field 63 of 4 characters',
      'Chuỗi QR không kết thúc bằng trường CRC 63 dài 4 ký tự',
      '63',
    );
  const h0 = hexValue(p.charCodeAt(n - 4));
  const h1 = hexValue(p.charCodeAt(n - 3));
  const h2 = hexValue(p.charCodeAt(n - 2));
  const h3 = hexValue(p.charCodeAt(n - 1));
  if ((h0 | h1 | h2 | h3) < 0)
    fail(
      'vietqr.crc_format',
      'The CRC (63) must be 4 uppercase hex digits',
      'CRC (63) phải gồm 4 chữ số hex viết hoa',
      '63',
    );
  const computed = crcUpdate(p, 0, n - 4, 0xffff);
  if (computed !== ((h0 << 12) | (h1 << 8) | (h2 << 4) | h3))
    fail(
      'vietqr.crc',
      'The CRC (63) does not match the payload',
      'CRC (63) không khớp nội dung mã QR',
      '63',
      {
        expected: hex4(computed),
        found: p.slice(n - 4),
      },
    );

  // 2. The top-level fields, by ID. IDs 10-99 are array indices (V8 keeps them as elements, and every
  // engine enumerates them first, ascending, whatever the insertion order); 00-09 and any other ID are
  // named properties in payload order. The usual 00 then 01 start is an object literal.
  let fields: Record<string, string>;
  let i = 0;
  const second = 4 + lengthAt(p, 0);
  if (
    p.charCodeAt(0) === 48 &&
    p.charCodeAt(1) === 48 &&
    second < n &&
    p.charCodeAt(second) === 48 &&
    p.charCodeAt(second + 1) === 49
  ) {
    i = second + 4 + lengthAt(p, second);
    fields = { '00': p.slice(4, second), '01': p.slice(second + 4, i) };
  } else fields = {};
  let napasAt = -1;
  while (i < n) {
    const a = p.charCodeAt(i) - 48;
    const b = p.charCodeAt(i + 1) - 48;
    const next = i + 4 + lengthAt(p, i);
    if (a >= 1 && a <= 9 && b >= 0 && b <= 9) {
      const index = a * 10 + b;
      if (fields[index] !== undefined) duplicate(TWO_DIGITS[index]!);
      fields[index] = p.slice(i + 4, next);
      if (index === 38) napasAt = i;
    } else {
      const id = idAt(p, i);
      if (fields[id] !== undefined) duplicate(id);
      fields[id] = p.slice(i + 4, next);
    }
    i = next;
  }
  if (p.charCodeAt(0) !== 48 || p.charCodeAt(1) !== 48 || fields['00'] !== '01')
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
  if (napasAt < 0)
    fail('vietqr.napas_template', 'The NAPAS template (38) is missing', 'Thiếu mẫu NAPAS (38)', '38');

  // 3. The NAPAS template 38 and its beneficiary 38.01, each consumed exactly.
  const s38 = napasAt + 4;
  const e38 = s38 + lengthAt(p, napasAt);
  checkLengths(p, s38, e38, '38');
  indexTemplate(p, s38, e38, '38');
  const guidAt = AT[0]!;
  const beneficiaryAt = AT[1]!;
  const serviceAt = AT[2]!;
  if (!fieldIs(p, guidAt, NAPAS_GUID))
    fail(
      'vietqr.guid',
      `The GUID (38.00) must be ${NAPAS_GUID}`,
      `GUID (38.00) phải là ${NAPAS_GUID}`,
      '38.00',
    );
  if (beneficiaryAt < 0)
    fail(
      'vietqr.napas_template',
      'The beneficiary template (38.01) is missing',
      'Thiếu thông tin người thụ hưởng (38.01)',
      '38.01',
    );
  const s3801 = beneficiaryAt + 4;
  const e3801 = s3801 + lengthAt(p, beneficiaryAt);
  checkLengths(p, s3801, e3801, '38.01');
  indexTemplate(p, s3801, e3801, '38.01');
  const bankBin = valueAt(p, AT[0]!, '');
  if (!digits(bankBin, 6, 6))
    fail(
      'vietqr.bank_bin',
      'The bank BIN (38.01.00) must be 6 digits',
      'Mã BIN ngân hàng (38.01.00) phải gồm 6 chữ số',
      '38.01.00',
    );
  const accountNumber = valueAt(p, AT[1]!, '');
  if (!accountLike(accountNumber))
    fail(
      'vietqr.account',
      'The account or card number (38.01.01) must be 1-19 letters or digits',
      'Số tài khoản hoặc số thẻ (38.01.01) phải gồm 1-19 chữ cái hoặc chữ số',
      '38.01.01',
    );
  // The service code, as one of the constants (no new string).
  const service = fieldIs(p, serviceAt, 'QRIBFTTA')
    ? 'QRIBFTTA'
    : fieldIs(p, serviceAt, 'QRIBFTTC')
      ? 'QRIBFTTC'
      : fieldIs(p, serviceAt, 'QRPUSH')
        ? 'QRPUSH'
        : fieldIs(p, serviceAt, 'QRCASH')
          ? 'QRCASH'
          : undefined;
  if (service === undefined)
    fail(
      'vietqr.service',
      'The service code (38.02) must be QRIBFTTA, QRIBFTTC, QRPUSH or QRCASH',
      'Mã dịch vụ (38.02) phải là QRIBFTTA, QRIBFTTC, QRPUSH hoặc QRCASH',
      '38.02',
    );

  // 4. Currency, country, amount.
  if (fields['53'] !== '704')
    fail('vietqr.currency', 'The currency (53) must be 704 (VND)', 'Mã tiền tệ (53) phải là 704 (VND)', '53');
  if (fields['58'] !== 'VN')
    fail('vietqr.country', 'The country (58) must be VN', 'Mã quốc gia (58) phải là VN', '58');
  const amountText = fields['54'];
  let amount = 0;
  if (amountText !== undefined) {
    // 1-13 digits, no leading zero; the value as it is read.
    const length = amountText.length;
    for (let k = 0; k < length; k++) {
      const d = amountText.charCodeAt(k) - 48;
      if (d < 0 || d > 9) {
        amount = -1;
        break;
      }
      amount = amount * 10 + d;
    }
  }
  if (
    amountText !== undefined &&
    (amount < 0 || amountText.length === 0 || amountText.length > 13 || amountText.charCodeAt(0) === 48)
  )
    fail(
      'vietqr.amount',
      'The amount (54) must be a positive integer of at most 13 digits (VND has no decimals)',
      'Số tiền (54) phải là số nguyên dương tối đa 13 chữ số (VND không có phần thập phân)',
      '54',
    );

  // 5. The additional data template 62, consumed exactly.
  const additionalData: Record<string, string> = {};
  const extra = fields['62'];
  if (extra !== undefined) {
    checkLengths(extra, 0, extra.length, '62');
    indexTemplate(extra, 0, extra.length, '62');
    for (let i = 0; i < extra.length; ) {
      const k = idAt(extra, i);
      const next = i + 4 + lengthAt(extra, i);
      additionalData[ADDITIONAL[k] ?? k] = extra.slice(i + 4, next);
      i = next;
    }
  }

  const out: VietQrData = {
    initiation: poi === '12' ? 'dynamic' : 'static',
    bankBin,
    accountNumber,
    service,
    currency: '704',
    country: 'VN',
    additionalData,
    crc: fields['63']!,
    fields,
  };
  if (amountText !== undefined) out.amount = amount;
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
