const ID12 = /\b(\d{3})\d{6}(\d{3})\b/g;
const ID9 = /\b(\d{2})\d{5}(\d{2})\b/g;
const PHONE = /(\+84|\b0)(\d{2})\d{4,5}?(\d{3})\b/g;
const SENSITIVE_KEYS =
  /^(personalId|idNumber|cccd|cmnd|legacyId|fullName|name|phone|email|address|dateOfBirth|taxCode|applicant|person)$/i;

/**
 * Masks personal data in text for logs: 12-digit ID numbers (`001******123`), 9-digit ones, phone numbers.
 *
 * @example
 * ```ts
 * maskText('verify 001090000123 phone 0912345678'); // 'verify 001******123 phone 091*****678'
 * ```
 */
export function maskText(text: string): string {
  return text
    .replace(ID12, (_m, a: string, b: string) => `${a}******${b}`)
    .replace(PHONE, (_m, p: string, a: string, b: string) => `${p}${a}*****${b}`)
    .replace(ID9, (_m, a: string, b: string) => `${a}*****${b}`);
}

/**
 * A copy of a value safe to log: fields that hold personal data (personalId, fullName, phone, address, …) are
 * masked whatever they contain, and every other string is passed through {@link maskText}.
 *
 * @example
 * ```ts
 * maskForLog({ personalId: '001090000123', fullName: 'Nguyễn Văn A', purpose: 'khai sinh' });
 * // { personalId: '001******123', fullName: 'N. V. A.', purpose: 'khai sinh' }
 * ```
 */
export function maskForLog(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map((v) => maskForLog(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SENSITIVE_KEYS.test(k) && typeof v === 'string') {
        out[k] = /name/i.test(k)
          ? v
              .trim()
              .split(/\s+/u)
              .map((w) => `${Array.from(w)[0] ?? ''}.`)
              .join(' ')
          : v.length > 5
            ? `${v.slice(0, 3)}${'*'.repeat(v.length - 6)}${v.slice(-3)}`
            : '***';
      } else out[k] = maskForLog(v, depth + 1);
    }
    return out;
  }
  return value;
}
