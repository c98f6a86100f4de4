import { locales, type z } from 'zod';
import type { LocalizedMessage } from './errors.js';

let vi: ReturnType<typeof locales.vi> | undefined;

// zod keeps `params` on custom issues only; for built-in checks our rules are found by their message.
const RULES = new Map<string, { code: string; vi: string }>();

// Type names as zod's Vietnamese locale writes them (others stay as zod names them).
const VI_TYPES: Record<string, string> = { nan: 'NaN', number: 'số', array: 'mảng' };

/** The name zod's locales give the type of a value (zod's `parsedType`; ±Infinity by value, as zod's English). */
function typeName(input: unknown): string {
  if (typeof input === 'number') {
    return Number.isNaN(input) ? 'nan' : Number.isFinite(input) ? 'number' : String(input);
  }
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'object') {
    const ctor = (input as { constructor?: { name?: unknown } }).constructor;
    return Object.getPrototypeOf(input) !== Object.prototype && typeof ctor?.name === 'string' && ctor.name
      ? ctor.name
      : 'object';
  }
  return typeof input;
}

/**
 * The type an `invalid_type` issue received. zod 4 drops `input` from finished issues unless the parse was
 * given `reportInput: true` (so zod's Vietnamese locale, called afterwards, always said "undefined"); it is
 * read, in order, from `received` (zod sets it for NaN, ±Infinity and invalid dates), `input`, or zod's
 * English message, built while the input was known (`Invalid input: expected number, received string`).
 */
function receivedType(issue: z.core.$ZodIssueInvalidType): string | undefined {
  const received = (issue as { received?: unknown }).received;
  if (typeof received === 'string') return received;
  if ('input' in issue) return typeName(issue.input);
  return /^Invalid input: expected .+, received (\S+)$/.exec(issue.message)?.[1];
}

/** `Đầu vào không hợp lệ: mong đợi số, nhận được string`: zod's Vietnamese wording, with the type received. */
function invalidTypeVi(issue: z.core.$ZodIssueInvalidType): string {
  const expected = /^[A-Z]/.test(issue.expected)
    ? `instanceof ${issue.expected}`
    : (VI_TYPES[issue.expected] ?? issue.expected);
  const received = receivedType(issue);
  return `Đầu vào không hợp lệ: mong đợi ${expected}${received === undefined ? '' : `, nhận được ${VI_TYPES[received] ?? received}`}`;
}

/** Records a rule's English message so that issues raised by built-in zod checks map back to it. */
export function registerRule(code: string, en: string, viMessage: string): void {
  RULES.set(en, { code, vi: viMessage });
}

/**
 * The machine code and bilingual message of a zod issue. Our own refinements put
 * `{ code, vi }` in `params`; zod's built-in issues use zod's Vietnamese locale.
 */
export function localizeZodIssue(issue: z.core.$ZodIssue): { code: string; message: LocalizedMessage } {
  const params = (issue as { params?: { code?: unknown; vi?: unknown } }).params;
  if (params && typeof params.code === 'string') {
    return {
      code: params.code,
      message: { en: issue.message, vi: typeof params.vi === 'string' ? params.vi : issue.message },
    };
  }
  const known = RULES.get(issue.message);
  if (known) return { code: known.code, message: { en: issue.message, vi: known.vi } };
  if (issue.code === 'invalid_type') {
    return { code: issue.code, message: { en: issue.message, vi: invalidTypeVi(issue) } };
  }
  vi ??= locales.vi();
  let viMessage: string | undefined;
  try {
    const out = vi.localeError(issue as never);
    viMessage = typeof out === 'string' ? out : out?.message;
  } catch {
    viMessage = undefined;
  }
  return { code: issue.code, message: { en: issue.message, vi: viMessage ?? issue.message } };
}
