import type { ProcedureLimit } from '@motcua/core';
import { DeadlineError } from './errors.js';

/**
 * A limit from the short form the CLI and forms use: `3d` (working days), `4h` (working hours), `10cd`
 * (calendar days), `2m` (months), `same-day`, `immediate`, each optionally with a cut-off `@HH:MM`
 * (`same-day@15:00`, `3d@15:00`).
 *
 * @example
 * ```ts
 * parseLimitShorthand('same-day@15:00'); // { unit: 'sameDay', cutoff: '15:00' }
 * parseLimitShorthand('3d');             // { unit: 'workingDays', value: 3 }
 * ```
 */
export function parseLimitShorthand(text: string): ProcedureLimit {
  const m = /^\s*(?:(\d+(?:\.\d+)?)(d|h|cd|m)|(same-day|immediate))(?:@([01]\d|2[0-3]):([0-5]\d))?\s*$/.exec(
    text,
  );
  if (!m) {
    throw new DeadlineError(
      'deadlines.limit_invalid',
      `"${text}" is not a limit: use 3d, 4h, 10cd, 2m, same-day or immediate, optionally with @HH:MM`,
      `"${text}" không phải thời hạn: dùng 3d, 4h, 10cd, 2m, same-day hoặc immediate, có thể kèm @HH:MM`,
      { details: { path: 'limit' } },
    );
  }
  const cutoff = m[4] !== undefined ? { cutoff: `${m[4]}:${m[5]}` } : {};
  if (m[3] === 'same-day') return { unit: 'sameDay', ...cutoff };
  if (m[3] === 'immediate') return { unit: 'immediate', ...cutoff };
  const value = Number(m[1]);
  if (!(value > 0)) {
    throw new DeadlineError(
      'deadlines.limit_invalid',
      'The limit must be greater than 0',
      'Thời hạn phải lớn hơn 0',
      { details: { path: 'limit.value' } },
    );
  }
  const unit =
    m[2] === 'd' ? 'workingDays' : m[2] === 'h' ? 'workingHours' : m[2] === 'cd' ? 'calendarDays' : 'months';
  if ((unit === 'calendarDays' || unit === 'months') && !Number.isInteger(value)) {
    throw new DeadlineError(
      'deadlines.limit_invalid',
      'Calendar days and months are whole numbers',
      'Ngày theo lịch và tháng phải là số nguyên',
      { details: { path: 'limit.value' } },
    );
  }
  return { unit, value, ...cutoff } as ProcedureLimit;
}
