import { fail } from './errors.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const HOUR = 3_600_000;

/** Epoch ms of an ISO 8601 instant with offset; throws `time.instant` naming `field` otherwise. */
export function instantMs(value: string, field: string): number {
  const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    fail(
      'time.instant',
      `${field} must be an ISO 8601 instant with an offset, e.g. 2026-03-02T08:00:00+07:00`,
      `${field} phải là thời điểm ISO 8601 có múi giờ, ví dụ 2026-03-02T08:00:00+07:00`,
      field,
    );
  return ms;
}

/** The Vietnamese civil date (UTC+7) of an instant, or a `YYYY-MM-DD` date as is. */
export function vnDate(value: string, field = 'at'): string {
  if (DATE.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value) return value;
    fail(
      'time.date',
      `${field} is not a real date YYYY-MM-DD`,
      `${field} không phải ngày hợp lệ YYYY-MM-DD`,
      field,
    );
  }
  return new Date(instantMs(value, field) + 7 * HOUR).toISOString().slice(0, 10);
}

/** An instant in Vietnam's offset: `2026-03-02T08:00:00+07:00`. */
export function vnInstant(ms: number): string {
  return `${new Date(ms + 7 * HOUR).toISOString().slice(0, 19)}+07:00`;
}

/** True when `date` falls within [from, to] (to open-ended when absent). */
export function inForce(date: string, from: string, to: string | undefined): boolean {
  return date >= from && (to === undefined || date <= to);
}
