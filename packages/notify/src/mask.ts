import { maskName } from '@motcua/core';
import type { NotifyChannel } from './notifier.js';

/**
 * A recipient's address masked for logs and errors: a phone number keeps its first and last three digits
 * (`091****678`), an e-mail address its first letter and its domain (`m***@example.vn`), any other ID its first
 * two characters.
 *
 * @example
 * ```ts
 * import { maskRecipient } from '@motcua/notify';
 * maskRecipient('sms', '0912345678'); // '091****678'
 * maskRecipient('email', 'mau.nguyen@example.vn'); // 'm***@example.vn'
 * ```
 */
export function maskRecipient(channel: NotifyChannel, to: string): string {
  if (channel === 'email') {
    const at = to.lastIndexOf('@');
    if (at <= 0) return '***';
    return `${Array.from(to)[0]}***${to.slice(at)}`;
  }
  if (channel === 'sms') {
    const digits = to.replace(/\D/g, '');
    if (digits.length < 8) return '***';
    return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 6)}${digits.slice(-3)}`;
  }
  return to.length <= 4 ? '***' : `${to.slice(0, 2)}***`;
}

/**
 * A person's name masked for logs (`Nguyễn Văn Mẫu` → `N. V. M.`).
 *
 * @example
 * ```ts
 * import { maskPersonName } from '@motcua/notify';
 * maskPersonName('Trần Thị Thử'); // 'T. T. T.'
 * ```
 */
export const maskPersonName = (name: string): string => maskName(name);
