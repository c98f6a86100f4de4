/**
 * Masks an identifier for logs and error messages: keeps the first `keepStart` and last `keepEnd`
 * characters and replaces the rest with `*`. Short values are masked whole.
 *
 * @example
 * ```ts
 * maskIdentifier('001090000001'); // '001*******01'
 * ```
 */
export function maskIdentifier(value: string, keepStart = 3, keepEnd = 2): string {
  if (value.length <= keepStart + keepEnd + 2) return '*'.repeat(value.length);
  return value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(-keepEnd);
}

/**
 * Masks a person's name, keeping the initial of each word: `Nguyễn Văn A` → `N. V. A.`.
 *
 * @example
 * ```ts
 * maskName('Nguyễn Văn An'); // 'N. V. A.'
 * ```
 */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/u)
    .filter(Boolean)
    .map((w) => `${Array.from(w)[0]}.`)
    .join(' ');
}
