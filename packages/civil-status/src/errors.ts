import { MotcuaError } from '@motcua/core';
import { HttpError } from '@motcua/http';

/** What a civil-status or social-insurance system refused, in words a desk officer reads to a citizen. */
const REFUSALS: Record<string, { en: string; vi: string }> = {
  'birth.already_registered': {
    en: 'This birth is already registered',
    vi: 'Việc khai sinh này đã được đăng ký',
  },
  'birth.date_in_future': {
    en: "The child's date of birth is in the future",
    vi: 'Ngày sinh của trẻ là ngày trong tương lai',
  },
  'birth.mother_not_female': {
    en: "The mother's personal ID is a man's",
    vi: 'Số định danh của người mẹ là của nam giới',
  },
  'death.already_registered': {
    en: 'This death is already registered',
    vi: 'Việc khai tử này đã được đăng ký',
  },
  'death.date_in_future': {
    en: 'The date of death is in the future',
    vi: 'Ngày chết là ngày trong tương lai',
  },
  'person.not_found': {
    en: 'No such person in the civil-status records',
    vi: 'Không có người này trong cơ sở dữ liệu hộ tịch',
  },
  'marriage.underage': {
    en: 'A party is under the legal age (man 20, woman 18: Law on Marriage and Family 2014 Art. 8)',
    vi: 'Một bên chưa đủ tuổi kết hôn (nam đủ 20, nữ đủ 18: Luật Hôn nhân và gia đình 2014 Điều 8)',
  },
  'marriage.already_married': {
    en: 'A party is already married',
    vi: 'Một bên đang có vợ hoặc chồng',
  },
  'marriage.same_person': { en: 'Both parties are the same person', vi: 'Hai bên là cùng một người' },
  'marriage.same_sex': {
    en: 'The State does not recognise marriage between people of the same sex (Law on Marriage and Family 2014 Art. 8.2)',
    vi: 'Nhà nước không thừa nhận hôn nhân giữa những người cùng giới tính (Luật Hôn nhân và gia đình 2014 Điều 8.2)',
  },
  'extract.registration_not_found': {
    en: 'No registration with this number',
    vi: 'Không có việc hộ tịch mang số này',
  },
  'card.already_issued': {
    en: 'A health-insurance card was already issued to this child',
    vi: 'Trẻ đã được cấp thẻ bảo hiểm y tế',
  },
  'card.over_six': {
    en: 'Free cards are for children under six',
    vi: 'Thẻ miễn phí chỉ cấp cho trẻ em dưới 6 tuổi',
  },
  idempotency_key_reused: {
    en: 'This idempotency key was already used for another submission',
    vi: 'Khóa chống trùng đã được dùng cho một hồ sơ khác',
  },
};

/**
 * A civil-status (or social-insurance) call that did not go through: either the system refused it for a rule
 * (`retryable: false`, `code` = `civil_status.<rule>`, e.g. `civil_status.birth.already_registered`), or the
 * line failed (`retryable: true`, the `HttpError` as `cause`).
 *
 * @example
 * ```ts
 * try { await civil.registerBirth(input, ctx); } catch (e) {
 *   if (e instanceof CivilStatusError && e.code === 'civil_status.birth.already_registered') showExisting();
 * }
 * ```
 */
export class CivilStatusError extends MotcuaError {
  readonly retryable: boolean;
  constructor(code: string, en: string, vi: string, retryable: boolean, cause?: unknown) {
    super(`civil_status.${code}`, en, { vi, cause });
    this.name = 'CivilStatusError';
    this.retryable = retryable;
  }
}

/**
 * Turns an HTTP failure into a {@link CivilStatusError} with the system's rule, if it named one.
 *
 * @example
 * ```ts
 * import { CivilStatusError, toCivilStatusError } from '@motcua/civil-status';
 * import { HttpError } from '@motcua/http';
 * try { await transport.submit('birth', birth, ctx, key); } catch (e) {
 *   // an HttpError 409 whose answer named the rule `birth.already_registered`:
 *   const err = toCivilStatusError(e);
 *   if (err instanceof CivilStatusError) console.log(err.code, err.retryable); // 'civil_status.birth.already_registered' false
 * }
 * toCivilStatusError(new HttpError('http.status_5xx', 503, true, 'req-1', 'Unavailable', 'Không sẵn sàng'));
 * // a CivilStatusError 'civil_status.unavailable', retryable: true
 * toCivilStatusError(new TypeError('x')); // the same TypeError: only HTTP failures are turned
 * ```
 */
export function toCivilStatusError(e: unknown): unknown {
  if (!(e instanceof HttpError)) return e;
  const code = e.serverCode;
  const known = code ? REFUSALS[code] : undefined;
  if (code && known) return new CivilStatusError(code, known.en, known.vi, false, e);
  if (e.retryable)
    return new CivilStatusError(
      'unavailable',
      `The civil-status system could not be reached (${e.code})`,
      `Không kết nối được hệ thống hộ tịch (${e.code})`,
      true,
      e,
    );
  return new CivilStatusError(
    code ?? 'refused',
    `The civil-status system refused the call (${code ?? e.status})`,
    `Hệ thống hộ tịch từ chối yêu cầu (${code ?? e.status})`,
    false,
    e,
  );
}
