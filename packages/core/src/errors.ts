import type { z } from 'zod';
import { localizeZodIssue } from './zod-messages.js';

/** A message in the two languages Motcua speaks: Vietnamese first, English too. */
export interface LocalizedMessage {
  vi: string;
  en: string;
}

/** Options accepted by every {@link MotcuaError}. */
export interface MotcuaErrorOptions {
  /** Structured, machine-readable details. Never put unmasked personal data here. */
  details?: Record<string, unknown>;
  /** The error that caused this one. */
  cause?: unknown;
  /** The Vietnamese form of the message; defaults to the English one. */
  vi?: string;
}

/**
 * The base of every error Motcua throws. `code` is stable across releases (see the table of codes in
 * the README); `message` is English; `localized` carries both languages.
 *
 * @example
 * ```ts
 * import { MotcuaError } from '@motcua/core';
 * try {
 *   doSomething();
 * } catch (e) {
 *   if (e instanceof MotcuaError && e.code === 'validation_failed') console.error(e.localized.vi);
 * }
 * ```
 */
export class MotcuaError extends Error {
  /** Stable machine code, e.g. `validation_failed`, `calendar.out_of_range`. */
  readonly code: string;
  /** Structured details (masked: no personal data). */
  readonly details: Record<string, unknown>;
  /** The message in Vietnamese and English. */
  readonly localized: LocalizedMessage;

  constructor(code: string, message: string, options: MotcuaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MotcuaError';
    this.code = code;
    this.details = options.details ?? {};
    this.localized = { vi: options.vi ?? message, en: message };
  }

  /** A plain JSON form, safe to log and to send in an API response. */
  toJSON(): {
    name: string;
    code: string;
    message: string;
    localized: LocalizedMessage;
    details: Record<string, unknown>;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      localized: this.localized,
      details: this.details,
    };
  }
}

/** One problem found while validating: where, what rule, and what to tell a person. */
export interface ValidationIssue {
  /** Path to the offending value, e.g. `['applicant', 'personalId']`; empty for the value itself. */
  path: (string | number)[];
  /** Machine code of the rule, e.g. `personal_id.province_unknown` or zod's `too_small`. */
  code: string;
  /** What went wrong, in Vietnamese and English. Personal data is masked. */
  message: LocalizedMessage;
}

/**
 * Thrown (or returned by `safeParse*`) when input breaks a rule. `issues` lists every problem found,
 * each with its path, a machine code and a bilingual message.
 *
 * @example
 * ```ts
 * import { parsePersonalId, ValidationError } from '@motcua/core';
 * try {
 *   parsePersonalId('999190000001');
 * } catch (e) {
 *   if (e instanceof ValidationError) {
 *     console.log(e.issues[0]?.code); // 'personal_id.province_unknown'
 *   }
 * }
 * ```
 */
export class ValidationError extends MotcuaError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], options: Omit<MotcuaErrorOptions, 'vi'> = {}) {
    const where = (issue: ValidationIssue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ` : '');
    const en = issues.map((i) => `${where(i)}${i.message.en}`).join('; ') || 'Invalid input';
    const vi = issues.map((i) => `${where(i)}${i.message.vi}`).join('; ') || 'Dữ liệu không hợp lệ';
    super('validation_failed', en, {
      ...options,
      vi,
      details: { ...options.details, codes: issues.map((i) => i.code) },
    });
    this.name = 'ValidationError';
    this.issues = issues;
  }

  /** The code of the first issue: handy when a parser reports a single rule. */
  get ruleCode(): string | undefined {
    return this.issues[0]?.code;
  }

  /**
   * Builds a ValidationError from zod issues. A custom issue may carry `params: { code, vi }` to give its
   * own machine code and Vietnamese message; zod's own issues get zod's Vietnamese locale.
   */
  static fromZod(error: z.ZodError, pathPrefix: (string | number)[] = []): ValidationError {
    return new ValidationError(
      error.issues.map((issue) => ({
        path: [...pathPrefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
        ...localizeZodIssue(issue),
      })),
      { cause: error },
    );
  }

  /** Shorthand for a single-issue error. */
  static of(code: string, path: (string | number)[], message: LocalizedMessage): ValidationError {
    return new ValidationError([{ path, code, message }]);
  }
}

/** The result of a `safeParse*` function: the value, or the error that `parse*` would throw. */
export type SafeParseResult<T> = { ok: true; value: T } | { ok: false; error: ValidationError };

/**
 * Turns a throwing parser into its safe form. Any error other than a ValidationError is rethrown:
 * it is a bug, not bad input.
 *
 * @example
 * ```ts
 * const safeParseFoo = toSafe(parseFoo);
 * const r = safeParseFoo('x');
 * if (!r.ok) console.log(r.error.issues);
 * ```
 */
export function toSafe<A extends unknown[], T>(parse: (...args: A) => T): (...args: A) => SafeParseResult<T> {
  return (...args: A) => {
    try {
      return { ok: true, value: parse(...args) };
    } catch (error) {
      if (error instanceof ValidationError) return { ok: false, error };
      throw error;
    }
  };
}

/**
 * Validates `input` against a zod schema and returns the typed value, or throws a ValidationError with
 * bilingual messages.
 *
 * @example
 * ```ts
 * import { parseWith, DossierEventSchema } from '@motcua/core';
 * const event = parseWith(DossierEventSchema, json);
 * ```
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw ValidationError.fromZod(r.error);
}

/**
 * The safe form of {@link parseWith}.
 *
 * @example
 * ```ts
 * import { ProcedureCodeSchema, safeParseWith } from '@motcua/core';
 * safeParseWith(ProcedureCodeSchema, '1.001193'); // { ok: true, value: '1.001193' }
 * const r = safeParseWith(ProcedureCodeSchema, 'a b');
 * if (!r.ok) console.log(r.error.issues[0].code); // 'procedure.code'
 * ```
 */
export function safeParseWith<S extends z.ZodType>(schema: S, input: unknown): SafeParseResult<z.output<S>> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: ValidationError.fromZod(r.error) };
}
