import { parseYmd } from '@motcua/core';

const WEEKDAYS = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];

/**
 * A calendar date `YYYY-MM-DD` as Vietnamese write it, `dd/MM/yyyy`, optionally with the weekday
 * (`thứ Ba, 05/08/2025`). No `Date` at local midnight is involved: the string is read as a calendar date.
 * Throws a `RangeError` for a string that is not a real date.
 *
 * @example
 * ```ts
 * import { formatDateVi } from '@motcua/notify';
 * formatDateVi('2025-08-05'); // '05/08/2025'
 * formatDateVi('2025-08-05', { weekday: true }); // 'thứ Ba, 05/08/2025'
 * ```
 */
export function formatDateVi(date: string, options: { weekday?: boolean } = {}): string {
  const p = parseYmd(date);
  if (!p) throw new RangeError(`not a date YYYY-MM-DD: ${date.slice(0, 20)}`);
  const text = `${String(p.d).padStart(2, '0')}/${String(p.m).padStart(2, '0')}/${String(p.y).padStart(4, '0')}`;
  if (!options.weekday) return text;
  const dow = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
  return `${WEEKDAYS[dow]}, ${text}`;
}

/**
 * An amount in dong with Vietnamese digit grouping (dots): `150000` → `150.000`.
 *
 * @example
 * ```ts
 * import { formatVnd } from '@motcua/notify';
 * formatVnd(1250000); // '1.250.000'
 * ```
 */
export function formatVnd(amount: number): string {
  const s = String(Math.trunc(Math.abs(amount)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return amount < 0 ? `-${grouped}` : grouped;
}

/**
 * Vietnamese text without diacritics (`Hồ sơ đã có kết quả` → `Ho so da co ket qua`), for SMS gateways that
 * charge Unicode messages per 70 characters instead of 160.
 *
 * @example
 * ```ts
 * import { unaccent } from '@motcua/notify';
 * unaccent('Đăng ký khai sinh'); // 'Dang ky khai sinh'
 * ```
 */
export function unaccent(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** How an SMS text is encoded and how many parts it takes. */
export interface SmsSize {
  /** `gsm7` (160 characters a part, 153 when concatenated) or `ucs2` (70, 67 when concatenated). */
  encoding: 'gsm7' | 'ucs2';
  /** Length in the encoding's units (GSM extended characters count twice; UCS-2 counts UTF-16 units). */
  units: number;
  /** Parts the gateway will send and charge. */
  segments: number;
}

/**
 * The size of an SMS text: its encoding (any character outside the GSM 03.38 alphabet, such as a
 * Vietnamese accented letter, makes the whole message UCS-2) and the number of parts.
 *
 * @example
 * ```ts
 * import { smsSize } from '@motcua/notify';
 * smsSize('Ho so da co ket qua'); // { encoding: 'gsm7', units: 19, segments: 1 }
 * smsSize('Hồ sơ đã có kết quả'); // { encoding: 'ucs2', units: 19, segments: 1 }
 * ```
 */
export function smsSize(text: string): SmsSize {
  let units = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) units += 1;
    else if (GSM_EXTENDED.includes(ch)) units += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'gsm7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  const u = text.length;
  return { encoding: 'ucs2', units: u, segments: u <= 70 ? 1 : Math.ceil(u / 67) };
}

/**
 * A run of exactly 9 or 12 digits: a legacy ID card (CMND) or a personal ID (CCCD) number.
 *
 * @example
 * ```ts
 * import { PERSONAL_ID_PATTERN } from '@motcua/notify';
 * PERSONAL_ID_PATTERN.test('CCCD 001090000123'); // true
 * ```
 */
export const PERSONAL_ID_PATTERN = /(?<!\d)(?:\d{12}|\d{9})(?!\d)/;

/**
 * True when text contains what looks like a personal ID number (9 or 12 digits in a row). Templates refuse
 * such text: a notice never carries a personal ID.
 *
 * @example
 * ```ts
 * import { containsPersonalId } from '@motcua/notify';
 * containsPersonalId('CCCD 001090000123 hết hạn'); // true
 * containsPersonalId('Hồ sơ 000.00.19.H57-250701-0001'); // false
 * ```
 */
export function containsPersonalId(text: string): boolean {
  return PERSONAL_ID_PATTERN.test(text);
}
