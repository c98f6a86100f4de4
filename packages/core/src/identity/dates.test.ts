import { describe, expect, it } from 'vitest';
import { daysInMonth, isValidYmd } from './dates.js';

describe('isValidYmd', () => {
  it('accepts real Gregorian dates only, with whole-number parts', () => {
    expect(isValidYmd(2024, 2, 29)).toBe(true);
    expect(isValidYmd(2026, 2, 29)).toBe(false);
    expect(isValidYmd(2026, 12, 31)).toBe(true);
    expect(isValidYmd(2026, 2, 1.5)).toBe(false);
    expect(isValidYmd(2026, 1.5, 1)).toBe(false);
    expect(isValidYmd(2026.5, 1, 1)).toBe(false);
    expect(isValidYmd(2026, 13, 1)).toBe(false);
    expect(isValidYmd(2026, 0, 1)).toBe(false);
    expect(isValidYmd(2026, 1, Number.NaN)).toBe(false);
    expect(daysInMonth(2100, 2)).toBe(28);
  });
});
