// Small, allocation-light helpers for instants at UTC+7 (Vietnam has no daylight saving).
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const OFFSET = 7 * HOUR;

/** Minutes since local (UTC+7) midnight. */
export function localMinutes(ms: number): number {
  const t = (ms + OFFSET) % DAY;
  return Math.floor((t < 0 ? t + DAY : t) / MINUTE);
}

/** Epoch ms of local (UTC+7) midnight starting the day that contains `ms`. */
export function localMidnight(ms: number): number {
  return Math.floor((ms + OFFSET) / DAY) * DAY - OFFSET;
}

/** `HH:MM` → minutes. */
export function hhmm(s: string): number {
  return (
    (s.charCodeAt(0) - 48) * 600 +
    (s.charCodeAt(1) - 48) * 60 +
    (s.charCodeAt(3) - 48) * 10 +
    (s.charCodeAt(4) - 48)
  );
}

const WD_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const WD_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `{ vi: '16:00 Thứ Sáu 13/02/2026', en: 'Fri 13 Feb 2026 16:00' }` for explanations. */
export function describeInstant(ms: number): { vi: string; en: string } {
  const d = new Date(ms + OFFSET);
  const hm = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
  const wd = d.getUTCDay();
  return {
    vi: `${hm} ${WD_VI[wd]} ${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`,
    en: `${WD_EN[wd]} ${d.getUTCDate()} ${MON_EN[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hm}`,
  };
}

/** `{ vi: 'Thứ Hai 16/02/2026', en: 'Mon 16 Feb 2026' }` for a `YYYY-MM-DD` date. */
export function describeDate(date: string): { vi: string; en: string } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const dd = Number(date.slice(8, 10));
  const wd = new Date(Date.UTC(y, m - 1, dd)).getUTCDay();
  return { vi: `${WD_VI[wd]} ${p2(dd)}/${p2(m)}/${y}`, en: `${WD_EN[wd]} ${dd} ${MON_EN[m - 1]} ${y}` };
}

/** Adds whole calendar months to a date, clamping to the month's last day (Civil Code 2015 Art. 147). */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${p2(tm + 1)}-${p2(Math.min(d, last))}`;
}
