import { locales, type z } from 'zod';
import type { LocalizedMessage } from './errors.js';

let vi: ReturnType<typeof locales.vi> | undefined;

// zod keeps `params` on custom issues only; for built-in checks our rules are found by their message.
const RULES = new Map<string, { code: string; vi: string }>();

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
