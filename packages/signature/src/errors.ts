import { MotcuaError } from '@motcua/core';

/** Stable codes of {@link SignatureError}. */
export type SignatureErrorCode =
  | 'signature.corrupt_der'
  | 'signature.signer_failed'
  | 'signature.invalid_input'
  | 'signature.invalid_response'
  | 'signature.pin_invalid'
  | 'signature.pin_locked'
  | 'signature.otp_invalid'
  | 'signature.sad_expired'
  | 'signature.sad_exhausted'
  | 'signature.credential_unknown'
  | 'signature.credential_disabled'
  | 'signature.certificate_expired'
  | 'signature.certificate_revoked'
  | 'signature.access_denied'
  | 'signature.remote_request_invalid'
  | 'signature.remote_unavailable'
  | 'signature.not_a_pdf'
  | 'signature.pdf_encrypted'
  | 'signature.pdf_reserve_too_small'
  | 'signature.timestamp_failed'
  | 'signature.operation_unknown'
  | 'signature.operation_not_signed'
  | 'signature.store_corrupt';

/**
 * An error from signing or parsing signatures, with a bilingual message a desk officer can read.
 * `details` carries safe machine facts (for a wrong PIN: `triesLeft`; for a bad field: `field`).
 *
 * @example
 * ```ts
 * try { await signer.signDigest(digest, attrs); } catch (e) {
 *   if (e instanceof SignatureError && e.code === 'signature.pin_invalid') console.error(e.localized.vi, e.details.triesLeft);
 * }
 * ```
 */
export class SignatureError extends MotcuaError {
  constructor(
    code: SignatureErrorCode,
    en: string,
    vi: string,
    cause?: unknown,
    details?: Record<string, unknown>,
  ) {
    super(code, en, { vi, cause, ...(details ? { details } : {}) });
    this.name = 'SignatureError';
  }
}

/** A `signature.invalid_input` naming the field and the rule broken. */
export function invalidInput(field: string, ruleEn: string, ruleVi: string): SignatureError {
  return new SignatureError(
    'signature.invalid_input',
    `${field}: ${ruleEn}`,
    `${field}: ${ruleVi}`,
    undefined,
    { field },
  );
}
