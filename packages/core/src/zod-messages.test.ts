import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { safeParseWith, ValidationError } from './errors.js';
import { localizeZodIssue } from './zod-messages.js';

const vi = (schema: z.ZodType, input: unknown) => {
  const r = safeParseWith(schema, input);
  if (r.ok) throw new Error('expected a validation error');
  return r.error.issues.map((i) => [i.path.join('.'), i.code, i.message.vi]);
};

describe('Vietnamese messages of zod invalid_type issues name the type received', () => {
  it('reads it although zod 4 drops `input` from finished issues', () => {
    const schema = z.object({
      a: z.number(),
      b: z.string(),
      c: z.array(z.string()),
      d: z.string(),
      e: z.number(),
      f: z.instanceof(Map),
      g: z.date(),
    });
    const input = { a: 'x', c: {}, d: null, e: Number.NaN, f: 1, g: new Date('nope') };
    expect(schema.safeParse(input).error?.issues[0]).not.toHaveProperty('input');
    expect(vi(schema, input)).toEqual([
      ['a', 'invalid_type', 'Đầu vào không hợp lệ: mong đợi số, nhận được string'],
      ['b', 'invalid_type', 'Đầu vào không hợp lệ: mong đợi string, nhận được undefined'],
      ['c', 'invalid_type', 'Đầu vào không hợp lệ: mong đợi mảng, nhận được object'],
      ['d', 'invalid_type', 'Đầu vào không hợp lệ: mong đợi string, nhận được null'],
      ['e', 'invalid_type', 'Đầu vào không hợp lệ: mong đợi số, nhận được NaN'],
      ['f', 'invalid_type', 'Đầu vào không hợp lệ: mong đợi instanceof Map, nhận được số'],
      ['g', 'invalid_type', 'Đầu vào không hợp lệ: mong đợi date, nhận được Invalid Date'],
    ]);
  });

  it('uses the input when the parse reported it, and the English message says the same', () => {
    const r = z.object({ a: z.string(), b: z.number() }).safeParse({ a: 1, b: [] }, { reportInput: true });
    const e = ValidationError.fromZod(r.error as z.ZodError);
    expect(e.issues.map((i) => i.message)).toEqual([
      {
        en: 'Invalid input: expected string, received number',
        vi: 'Đầu vào không hợp lệ: mong đợi string, nhận được số',
      },
      {
        en: 'Invalid input: expected number, received array',
        vi: 'Đầu vào không hợp lệ: mong đợi số, nhận được mảng',
      },
    ]);
    expect(e.localized.vi).toContain('a: Đầu vào không hợp lệ: mong đợi string, nhận được số');
  });

  it('leaves the type out rather than guess when nothing says it (a custom message)', () => {
    const issue: z.core.$ZodIssue = {
      code: 'invalid_type',
      expected: 'string',
      path: ['x'],
      message: 'Cần một chuỗi',
    };
    expect(localizeZodIssue(issue).message.vi).toBe('Đầu vào không hợp lệ: mong đợi string');
  });
});
