import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../../test-utils/runs.js';
import { sharedCsv } from '../../../../test-utils/shared.js';
import { codeOf } from '../../test/code-of.js';
import { ValidationError } from '../errors.js';
import { parseTaxCode, safeParseTaxCode, taxCodeCheckDigit } from './tax-code.js';

const EXPECTED_CODE: Record<string, string> = {
  invalid_checksum: 'tax_code.checksum',
  invalid_length: 'tax_code.format',
};

describe('parseTaxCode', () => {
  it('agrees with every row of mst-test-vectors.csv', () => {
    const rows = sharedCsv('tax/mst-test-vectors.csv');
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const row of rows) {
      const r = safeParseTaxCode(row.input!);
      if (row.expected === 'valid') expect(r.ok, row.input).toBe(true);
      else {
        expect(r.ok, row.input).toBe(false);
        if (!r.ok) expect(r.error.issues[0]?.code).toBe(EXPECTED_CODE[row.expected!]);
      }
    }
  });

  it('normalises the three kinds', () => {
    expect(parseTaxCode('0100233488')).toEqual({
      kind: 'organization',
      normalized: '0100233488',
      base: '0100233488',
    });
    expect(parseTaxCode('0314409058002')).toEqual({
      kind: 'branch',
      normalized: '0314409058-002',
      base: '0314409058',
      branch: '002',
    });
    expect(parseTaxCode('0314409058-002').normalized).toBe('0314409058-002');
    expect(parseTaxCode('001090000001')).toMatchObject({ kind: 'personal', normalized: '001090000001' });
  });

  it('rejects branch 000, an all-zero sequence, a bad base of a branch and a bad personal ID', () => {
    expect(codeOf(() => parseTaxCode('0314409058-000'))).toBe('tax_code.branch_zero');
    expect(codeOf(() => parseTaxCode('0314409050-001'))).toBe('tax_code.checksum');
    const zeroSeq = `01${'0'.repeat(7)}`;
    expect(codeOf(() => parseTaxCode(`${zeroSeq}${taxCodeCheckDigit(zeroSeq)}`))).toBe(
      'tax_code.sequence_zero',
    );
    expect(codeOf(() => parseTaxCode('003090000001'))).toBe('personal_id.province_unknown');
    expect(codeOf(() => parseTaxCode('0314409058_002'))).toBe('tax_code.format');
  });

  it('computes the check digit with weights 31,29,23,19,17,13,7,5,3 and 10 − S mod 11', () => {
    // 0100233488: S = 0*31+1*29+0*23+0*19+2*17+3*13+3*7+4*5+8*3 = 167; 167 mod 11 = 2; 10 − 2 = 8
    expect(taxCodeCheckDigit('010023348')).toBe(8);
  });

  it('formats then parses back (format → parse is identity)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 1, max: 999 }), (n, branch) => {
        const nine = String(n).padStart(9, '0');
        const check = taxCodeCheckDigit(nine);
        if (check < 0 || check > 9 || /^\d\d0{7}$/.test(nine)) return true;
        const ten = `${nine}${check}`;
        const b = String(branch).padStart(3, '0');
        return (
          parseTaxCode(ten).normalized === ten && parseTaxCode(`${ten}${b}`).normalized === `${ten}-${b}`
        );
      }),
      { numRuns: propertyRuns(20_000) },
    );
  });

  it('detects every single-digit error in a 10-digit code', () => {
    const base = '0100233488';
    for (let i = 0; i < 10; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === base[i]) continue;
        const wrong = base.slice(0, i) + d + base.slice(i + 1);
        expect(safeParseTaxCode(wrong).ok, wrong).toBe(false);
      }
    }
  });

  it('never crashes on random strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 16 }), fc.stringMatching(/^[0-9-]{9,15}$/)), (s) => {
        const r = safeParseTaxCode(s);
        return r.ok || r.error instanceof ValidationError;
      }),
      { numRuns: propertyRuns(20_000) },
    );
  });
});
