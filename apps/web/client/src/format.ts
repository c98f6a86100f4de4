import type { Limit, Procedure } from './api.js';
import type { MessageKey } from './i18n/index.js';

const TZ = 'Asia/Ho_Chi_Minh';
type T = (key: MessageKey, values?: Record<string, string | number>) => string;

/** Date and time in the civil timezone (UTC+7), whatever the browser's zone. */
export function dateTime(iso: string | null | undefined, lang: 'vi' | 'en'): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: TZ,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export function dateOnly(iso: string | null | undefined, lang: 'vi' | 'en'): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: TZ,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(new Date(iso));
}

/** `YYYY-MM-DDTHH:mm` in UTC+7, for a datetime-local input. */
export function toLocalInput(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);
}
/** A datetime-local value read as UTC+7, as an ISO instant with its offset. */
export function fromLocalInput(v: string): string {
  return `${v}:00+07:00`;
}
/** Today in UTC+7 as `YYYY-MM-DD`. */
export const todayVn = (offsetDays = 0) =>
  new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Lower case without diacritics (đ → d): "Đăng ký" and "dang ky" match. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase();
}

export function limitText(limit: Limit, t: T): string {
  const base = t(`limit.${limit.unit}` as MessageKey, { n: limit.value ?? 0 });
  const parts = [base];
  if (limit.cutoff) parts.push(t('limit.cutoff', { time: limit.cutoff }));
  if (limit.onVerification)
    parts.push(t('limit.verification', { limit: limitText(limit.onVerification, t) }));
  return parts.join('; ');
}

export const vnd = (n: number, lang: 'vi' | 'en') =>
  `${new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US').format(n)} đ`;

export function feeText(p: Procedure, t: T, lang: 'vi' | 'en'): string[] {
  const items = p.fees?.items ?? [];
  if (items.length === 0) return [t('fee.free')];
  return items.map((f) => {
    const name = f.name[lang];
    if (f.amount !== undefined) return `${name}: ${vnd(f.amount, lang)}`;
    if (f.tiers?.length)
      return `${name}: ${f.tiers
        .map(
          (x) =>
            `${x.from}${x.to ? `–${x.to}` : '+'}: ${vnd(x.amount, lang)}${f.basis === 'perPage' ? '/tr.' : ''}`,
        )
        .join(', ')}`;
    return name;
  });
}

export type Due = 'inTime' | 'soon' | 'overdue' | 'done';
const ACTIVE = new Set(['received', 'inProgress', 'paused', 'waitingSupplement']);
/** In time, due soon (within two days) or overdue; `done` once the dossier has ended. */
export function dueOf(
  d: { phase: string; appointment: string | null; overdue: boolean },
  now = Date.now(),
): Due {
  if (!ACTIVE.has(d.phase)) return 'done';
  if (d.overdue) return 'overdue';
  if (d.appointment && Date.parse(d.appointment) - now < 2 * 86_400_000) return 'soon';
  return 'inTime';
}
