import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../../test-utils/runs.js';
import { codeOf, pathOf } from '../../test/code-of.js';
import { ValidationError } from '../errors.js';
import { formatCccdQr, parseCccdQr, safeParseCccdQr } from './cccd-qr.js';

// Synthetic people only (the example of shared/data/identity/README.md).
const SAMPLE =
  '001090000001||Nguyễn Văn A|01011990|Nam|Số 1 Phố Mẫu, Phường Ba Đình, Thành phố Hà Nội|15042021';

describe('parseCccdQr', () => {
  it('reads the seven fields with dates as YYYY-MM-DD', () => {
    expect(parseCccdQr(SAMPLE)).toEqual({
      personalId: '001090000001',
      fullName: 'Nguyễn Văn A',
      dateOfBirth: '1990-01-01',
      sex: 'male',
      address: 'Số 1 Phố Mẫu, Phường Ba Đình, Thành phố Hà Nội',
      issueDate: '2021-04-15',
      extra: [],
    });
  });

  it('keeps the old ID when present, tolerates a trailing | and extra fields, and a keyboard-wedge newline', () => {
    const withOld = '079195000002|123456789|Trần Thị B|31121995|Nữ|Tổ 1, Phường Mẫu|01072021';
    expect(parseCccdQr(withOld)).toMatchObject({
      legacyId: '123456789',
      sex: 'female',
      dateOfBirth: '1995-12-31',
    });
    expect(parseCccdQr(`${SAMPLE}|`).extra).toEqual([]);
    expect(parseCccdQr(`${SAMPLE}|X|Y`).extra).toEqual(['X', 'Y']);
    expect(parseCccdQr(`${SAMPLE}\r\n`).issueDate).toBe('2021-04-15');
  });

  it('names the field that is wrong, never its value', () => {
    expect(pathOf(() => parseCccdQr(SAMPLE.replace('01011990', '31021990')))).toEqual(['dateOfBirth']);
    expect(codeOf(() => parseCccdQr(SAMPLE.replace('01011990', '31021990')))).toBe('cccd_qr.date_invalid');
    expect(codeOf(() => parseCccdQr(SAMPLE.replace('15042021', '2021-04-15')))).toBe('cccd_qr.date_format');
    expect(codeOf(() => parseCccdQr(SAMPLE.replace('|Nam|', '|M|')))).toBe('cccd_qr.sex');
    expect(codeOf(() => parseCccdQr(SAMPLE.replace('001090000001', '00109000001')))).toBe(
      'cccd_qr.personal_id',
    );
    expect(codeOf(() => parseCccdQr(SAMPLE.replace('||', '|12|')))).toBe('cccd_qr.legacy_id');
    expect(codeOf(() => parseCccdQr('001090000001||Nguyễn Văn A'))).toBe('cccd_qr.fields_missing');
    const err = safeParseCccdQr(SAMPLE.replace('|Nam|', '|Nữ|'));
    expect(err.ok).toBe(false);
    if (!err.ok) {
      expect(err.error.issues[0]).toMatchObject({ path: ['personalId'], code: 'personal_id.sex_mismatch' });
      expect(err.error.message).not.toContain('Nguyễn');
      expect(err.error.message).not.toContain('001090000001');
    }
  });

  it('checks the ID against the date of birth', () => {
    expect(codeOf(() => parseCccdQr(SAMPLE.replace('01011990', '01011991')))).toBe(
      'personal_id.birth_year_mismatch',
    );
  });

  it('format → parse is identity', () => {
    const person = fc.record({
      g: fc.integer({ min: 0, max: 3 }),
      y: fc.integer({ min: 0, max: 99 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
      name: fc.constantFrom('Nguyễn Văn A', 'Lê Thị Mẫu', 'Hoàng Ý'),
      legacy: fc.option(fc.integer({ min: 0, max: 999_999_999 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(person, ({ g, y, m, d, name, legacy }) => {
        const year = 1900 + Math.floor(g / 2) * 100 + y;
        if (year > 2020) return true;
        const pad = (n: number, w = 2) => String(n).padStart(w, '0');
        const data = {
          personalId: `001${g}${pad(y)}000001`,
          ...(legacy === undefined ? {} : { legacyId: pad(legacy, 9) }),
          fullName: name,
          dateOfBirth: `${year}-${pad(m)}-${pad(d)}`,
          sex: (g % 2 ? 'female' : 'male') as 'male' | 'female',
          address: 'Thôn 1, Xã Mẫu',
          issueDate: '2021-07-01',
          extra: [],
        };
        expect(parseCccdQr(formatCccdQr(data))).toEqual(data);
        return true;
      }),
      { numRuns: propertyRuns(5_000) },
    );
  });

  it('never crashes on random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fc.string({ maxLength: 14 }), { maxLength: 9 }).map((a) => a.join('|')),
        ),
        (s) => {
          const r = safeParseCccdQr(s);
          return r.ok || r.error instanceof ValidationError;
        },
      ),
      { numRuns: propertyRuns(20_000) },
    );
  });
});
