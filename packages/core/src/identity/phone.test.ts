import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../../test-utils/runs.js';
import { codeOf } from '../../test/code-of.js';
import { ValidationError } from '../errors.js';
import { parsePhone, safeParsePhone } from './phone.js';

describe('parsePhone', () => {
  it.each([
    ['0912345678', '+84912345678', 'mobile'],
    ['0912 345 678', '+84912345678', 'mobile'],
    ['84912345678', '+84912345678', 'mobile'],
    ['+84 912.345.678', '+84912345678', 'mobile'],
    ['+84 (0) 912-345-678', '+84912345678', 'mobile'],
    ['0084912345678', '+84912345678', 'mobile'],
    ['0356789012', '+84356789012', 'mobile'],
    ['024 3825 1234', '+842438251234', 'landline'],
    ['+84 24 3825 1234', '+842438251234', 'landline'],
    ['02838251234', '+842838251234', 'landline'],
  ])('%s → %s', (input, e164, kind) => {
    expect(parsePhone(input)).toEqual({ e164, national: `0${e164.slice(3)}`, kind });
  });

  it.each([
    '091234567',
    '09123456789',
    '0112345678',
    '0412345678',
    '1900 1234',
    '0912a45678',
    '',
    '+1 202 555 0100',
    '024 3825 123',
  ])('rejects %j', (input) => {
    expect(codeOf(() => parsePhone(input))).toBe('phone.invalid');
  });

  it('national → E.164 → parse is identity for mobile numbers', () => {
    fc.assert(
      fc.property(fc.constantFrom(3, 5, 7, 8, 9), fc.integer({ min: 0, max: 99_999_999 }), (p, n) => {
        const national = `0${p}${String(n).padStart(8, '0')}`;
        const a = parsePhone(national);
        return parsePhone(a.e164).national === national && a.national === national;
      }),
      { numRuns: propertyRuns(10_000) },
    );
  });

  it('never crashes on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = safeParsePhone(s);
        return r.ok || r.error instanceof ValidationError;
      }),
      { numRuns: propertyRuns(10_000) },
    );
  });
});
