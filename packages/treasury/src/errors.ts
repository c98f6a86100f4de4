import { MotcuaError } from '@motcua/core';

/** Options of {@link TreasuryError}. */
export interface TreasuryErrorOptions {
  /** The Vietnamese message. */
  vi: string;
  /** The field at fault, e.g. `38.01.01` in a VietQR payload or `pages` in a fee request. */
  field?: string;
  /** Structured details (never personal data). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Every error of `@motcua/treasury`. `code` is stable and names the field or the rule (`vietqr.crc`,
 * `vietqr.bank_bin`, `vietqr.length`, `fee.ambiguous`, `payment.already_paid`, `callback.replay`...);
 * `field` names the field at fault; the message comes in English and Vietnamese.
 *
 * @example
 * ```ts
 * import { decodeVietQr, TreasuryError } from '@motcua/treasury';
 * try {
 *   decodeVietQr(scanned);
 * } catch (e) {
 *   if (e instanceof TreasuryError && e.code === 'vietqr.crc') console.log(e.localized.vi);
 * }
 * ```
 */
export class TreasuryError extends MotcuaError {
  /** The field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: string, en: string, options: TreasuryErrorOptions) {
    super(code, en, {
      vi: options.vi,
      details: { ...options.details, ...(options.field ? { field: options.field } : {}) },
      cause: options.cause,
    });
    this.name = 'TreasuryError';
    this.field = options.field;
  }
}

/** Throws a {@link TreasuryError}. */
export function fail(
  code: string,
  en: string,
  vi: string,
  field?: string,
  details?: Record<string, unknown>,
): never {
  throw new TreasuryError(code, en, { vi, ...(field ? { field } : {}), ...(details ? { details } : {}) });
}
