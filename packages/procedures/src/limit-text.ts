import type { ProcedureLimit, SimpleProcedureLimit } from '@motcua/core';

const NUMBER_WORDS: Record<string, number> = {
  một: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  tư: 4,
  năm: 5,
  sáu: 6,
  bảy: 7,
  tám: 8,
  chín: 9,
  mười: 10,
  'mười lăm': 15,
  'hai mươi': 20,
  'ba mươi': 30,
};

function simple(text: string): SimpleProcedureLimit | undefined {
  const t = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  if (t === '') return undefined;
  if (/^(giải quyết ngay|ngay khi nhận|trả ngay|immediate)/.test(t)) return { unit: 'immediate' };
  const cut = {};
  if (/^(trong ngày|ngay trong ngày|same-day|trong ngày làm việc)/.test(t)) return { unit: 'sameDay' };
  let m = /^(\d+(?:[.,]\d+)?)\s*(ngày làm việc|ngày|giờ làm việc|giờ|tháng)/.exec(t);
  let value: number | undefined;
  let unitText: string | undefined;
  if (m) {
    value = Number(m[1]!.replace(',', '.'));
    unitText = m[2];
  } else {
    for (const [w, n] of Object.entries(NUMBER_WORDS).sort((a, b) => b[0].length - a[0].length)) {
      m = new RegExp(`^${w}\\s*\\(?\\d*\\)?\\s*(ngày làm việc|ngày|giờ làm việc|giờ|tháng)`).exec(t);
      if (m) {
        value = n;
        unitText = m[1];
        break;
      }
    }
  }
  if (value === undefined || !(value > 0)) return undefined;
  switch (unitText) {
    case 'ngày làm việc':
      return { unit: 'workingDays', value, ...cut };
    case 'giờ làm việc':
    case 'giờ':
      return { unit: 'workingHours', value, ...cut };
    case 'tháng':
      return { unit: 'months', value, ...cut };
    default:
      // "N ngày" without "làm việc": calendar days (Civil Code), as the texts distinguish them.
      return { unit: 'calendarDays', value, ...cut };
  }
}

/**
 * A limit from the Vietnamese text of a procedure's sheet: `5 ngày làm việc`, `03 ngày làm việc`,
 * `Trong ngày; sau 15 giờ thì trả trong ngày làm việc tiếp theo`, `04 giờ làm việc`, `10 ngày`, `1 tháng`,
 * `Giải quyết ngay`, `năm ngày làm việc`, and the verification alternative after `;` or `nếu cần xác minh`:
 * `Trong ngày; 05 ngày làm việc nếu cần xác minh`. Returns undefined when the text cannot be read.
 *
 * @example
 * ```ts
 * parseLimitText('5 ngày làm việc'); // { unit: 'workingDays', value: 5 }
 * parseLimitText('Trong ngày, sau 15 giờ trả trong ngày làm việc tiếp theo'); // { unit: 'sameDay', cutoff: '15:00' }
 * ```
 */
export function parseLimitText(text: string): ProcedureLimit | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text
    .split(/[;,]|\bhoặc\b|\btrường hợp\b/i)
    .map((p) => p.trim())
    .filter(Boolean);
  const first = simple(parts[0] ?? '');
  if (!first) return undefined;
  const verification = parts.slice(1).find((p) => /xác minh|verification/i.test(p));
  const alt = verification
    ? simple(verification.replace(/^.*?(\d|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)/i, '$1'))
    : undefined;
  // "sau 15 giờ" (or "sau 15:00", "sau 15h30") anywhere: the cut-off of the limit.
  const cut = /sau (\d{1,2})(?:\s*(?:giờ|h|:)\s*(\d{2}))?/i.exec(text);
  if (cut && Number(cut[1]) < 24) first.cutoff = `${cut[1]!.padStart(2, '0')}:${cut[2] ?? '00'}`;
  return alt ? { ...first, onVerification: alt } : first;
}

/**
 * The Vietnamese text of a limit, for export (read back by {@link parseLimitText}).
 *
 * @example
 * ```ts
 * import { limitText } from '@motcua/procedures';
 * limitText({ unit: 'workingDays', value: 5 }); // '5 ngày làm việc'
 * limitText({ unit: 'sameDay', cutoff: '15:00', onVerification: { unit: 'workingDays', value: 5 } });
 * // 'Trong ngày; sau 15 giờ thì ngày làm việc tiếp theo; 5 ngày làm việc nếu cần xác minh'
 * ```
 */
export function limitText(limit: ProcedureLimit): string {
  const one = (l: SimpleProcedureLimit): string => {
    const cut = l.cutoff ? `; sau ${l.cutoff.replace(':00', '')} giờ thì ngày làm việc tiếp theo` : '';
    switch (l.unit) {
      case 'workingDays':
        return `${l.value} ngày làm việc${cut}`;
      case 'workingHours':
        return `${l.value} giờ làm việc${cut}`;
      case 'calendarDays':
        return `${l.value} ngày${cut}`;
      case 'months':
        return `${l.value} tháng${cut}`;
      case 'sameDay':
        return `Trong ngày${cut}`;
      case 'immediate':
        return 'Giải quyết ngay';
    }
  };
  const base = one(limit);
  return limit.onVerification ? `${base}; ${one(limit.onVerification)} nếu cần xác minh` : base;
}
