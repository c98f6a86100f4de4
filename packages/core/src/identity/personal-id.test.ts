import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../../test-utils/runs.js';
import { sharedCsv } from '../../../../test-utils/shared.js';
import { codeOf } from '../../test/code-of.js';
import { ValidationError } from '../errors.js';
import {
  parseLegacyId,
  parsePersonalId,
  personalIdProvinceCodes,
  safeParsePersonalId,
} from './personal-id.js';

const csv = (name: string) => sharedCsv(`identity/${name}`).map((r) => Object.values(r));

describe('parsePersonalId (Decree 137/2015 Art. 13, Circular 07/2016/TT-BCA)', () => {
  it('reads province, sex and birth year', () => {
    expect(parsePersonalId('001090000001')).toEqual({
      id: '001090000001',
      provinceCode: '001',
      provinceName: 'Hà Nội',
      currentProvinceCode: '01',
      currentProvinceName: 'Thành phố Hà Nội',
      sex: 'male',
      birthYear: 1990,
    });
    expect(parsePersonalId('079305000123', { today: '2026-01-01' })).toMatchObject({
      provinceCode: '079',
      sex: 'female',
      birthYear: 2005,
    });
  });

  it('knows every province code of the shared table, and their 2025 provinces', () => {
    const rows = csv('province-codes.csv');
    expect(rows).toHaveLength(63);
    for (const [code, name, , newCode, newName] of rows) {
      const info = parsePersonalId(`${code}090000001`);
      expect(info.provinceName).toBe(name);
      expect(info.currentProvinceCode).toBe(newCode);
      expect(info.currentProvinceName).toBe(newName);
    }
    expect(personalIdProvinceCodes()).toHaveLength(63);
  });

  it('follows the century/gender table digit by digit', () => {
    for (const [digit, gender, , years] of csv('century-gender.csv')) {
      const from = Number(years!.split('-')[0]);
      const info = parsePersonalId(`001${digit}00000001`, { today: '2400-01-01' });
      expect(info.sex).toBe(gender);
      expect(info.birthYear).toBe(from);
    }
  });

  it('rejects an unknown province code (003 is not assigned)', () => {
    expect(codeOf(() => parsePersonalId('003090000001'))).toBe('personal_id.province_unknown');
  });

  it('rejects wrong length and non-digits', () => {
    expect(codeOf(() => parsePersonalId('00109000001'))).toBe('personal_id.format');
    expect(codeOf(() => parsePersonalId('00109000000A'))).toBe('personal_id.format');
    expect(parsePersonalId(' 001090000001 ').id).toBe('001090000001');
  });

  it('rejects a birth year in the future', () => {
    expect(parsePersonalId('001226000001', { today: '2026-11-24' }).birthYear).toBe(2026);
    expect(codeOf(() => parsePersonalId('001227000001', { today: '2026-11-24' }))).toBe(
      'personal_id.birth_year_future',
    );
  });

  it('checks consistency with a given date of birth and sex', () => {
    expect(codeOf(() => parsePersonalId('001090000001', { dateOfBirth: '1991-01-01' }))).toBe(
      'personal_id.birth_year_mismatch',
    );
    expect(codeOf(() => parsePersonalId('001090000001', { sex: 'female' }))).toBe('personal_id.sex_mismatch');
    expect(codeOf(() => parsePersonalId('001090000001', { dateOfBirth: '1990-02-30' }))).toBe(
      'personal_id.date_of_birth_invalid',
    );
    expect(parsePersonalId('001190000001', { dateOfBirth: '1990-05-06', sex: 'female' }).sex).toBe('female');
  });

  it('never echoes the number in its error messages', () => {
    const r = safeParsePersonalId('001090000001', { sex: 'female' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).not.toContain('001090000001');
      expect(r.error.localized.vi).toContain('giới tính');
      expect(r.error.issues[0]?.message.vi).toBeTruthy();
    }
  });

  it('never crashes on random strings: a value or a ValidationError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = safeParsePersonalId(s);
        return r.ok ? r.value.id.length === 12 : r.error instanceof ValidationError;
      }),
      { numRuns: propertyRuns(20_000) },
    );
  });

  it('accepts every structurally valid number and gives back its parts', () => {
    const codes = personalIdProvinceCodes().map((p) => p.code);
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999_999 }),
        (ppp, g, yy, rand) => {
          const id = `${ppp}${g}${String(yy).padStart(2, '0')}${String(rand).padStart(6, '0')}`;
          const info = parsePersonalId(id, { today: '2400-01-01' });
          return (
            info.provinceCode === ppp &&
            info.birthYear === 1900 + Math.floor(g / 2) * 100 + yy &&
            info.sex === (g % 2 ? 'female' : 'male')
          );
        },
      ),
      { numRuns: propertyRuns(20_000) },
    );
  });
});

describe('parseLegacyId', () => {
  it('accepts 9 digits only', () => {
    expect(parseLegacyId('012345678')).toEqual({ id: '012345678' });
    expect(codeOf(() => parseLegacyId('01234567'))).toBe('legacy_id.format');
    expect(codeOf(() => parseLegacyId('01234567x'))).toBe('legacy_id.format');
  });
});
