import { MotcuaError } from '@motcua/core';

/** Stable codes of {@link SignatureError}. */
export type SignatureErrorCode =
  | 'signature.corrupt_der'
  | 'signature.signer_failed'
  | 'signature.invalid_input';

/**
 * An error from signing or parsing signatures, with a bilingual message.
 *
 * @example
 * ```ts
 * try { await verifyCms(bytes, data, { trustAnchors }); } catch (e) {
 *   if (e instanceof SignatureError) console.error(e.localized.vi);
 * }
 * ```
 */
export class SignatureError extends MotcuaError {
  constructor(code: SignatureErrorCode, en: string, vi: string, cause?: unknown) {
    super(code, en, { vi, cause });
    this.name = 'SignatureError';
  }
}
