import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../../test-utils/runs.js';
import { codeOf } from '../../test/code-of.js';
import { ValidationError } from '../errors.js';
import { formatDossierCode, parseDossierCode, safeParseDossierCode } from './dossier-code.js';
import { dossierCodeFromPaymentReference, paymentReference } from './payment-reference.js';

const agency = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
  .map(
    ([a, b, c]) =>
      `${String(a).padStart(3, '0')}.${String(b).padStart(2, '0')}.${String(c).padStart(2, '0')}.H57`,
  );
const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('dossier codes (Decree 118/2025 Art. 28)', () => {
  it('formats and parses the default <agency>-<yymmdd>-<seq>', () => {
    const code = formatDossierCode({ agencyCode: '000.00.19.H57', receivedOn: '2025-07-01', sequence: 1 });
    expect(code).toBe('000.00.19.H57-250701-0001');
    expect(code).toHaveLength(25);
    expect(parseDossierCode(code)).toEqual({
      agencyCode: '000.00.19.H57',
      receivedOn: '2025-07-01',
      sequence: 1,
    });
  });

  it('supports another layout', () => {
    const format = { separator: '/', dateFormat: 'yyyymmdd', sequenceDigits: 6 } as const;
    const code = formatDossierCode({ agencyCode: 'H57.22', receivedOn: '2026-02-13', sequence: 42 }, format);
    expect(code).toBe('H57.22/20260213/000042');
    expect(parseDossierCode(code, format)).toEqual({
      agencyCode: 'H57.22',
      receivedOn: '2026-02-13',
      sequence: 42,
    });
  });

  it('rejects bad parts with named paths', () => {
    expect(codeOf(() => parseDossierCode('000.00.19.H57-250230-0001'))).toBe('dossier_code.date');
    expect(codeOf(() => parseDossierCode('000.00.19.H57-250701-001'))).toBe('dossier_code.structure');
    expect(codeOf(() => parseDossierCode('000.00.19.H57-250701-0000'))).toBe('dossier_code.sequence');
    expect(codeOf(() => parseDossierCode('000.00.19.h57-250701-0001'))).toBe('dossier_code.agency');
    expect(codeOf(() => parseDossierCode('-250701-0001'))).toBe('dossier_code.structure');
    expect(
      codeOf(() =>
        formatDossierCode({ agencyCode: '000.00.19.H57', receivedOn: '2025-07-01', sequence: 10_000 }),
      ),
    ).toBe('dossier_code.sequence');
    expect(codeOf(() => formatDossierCode({ agencyCode: 'X', receivedOn: '1999-12-31', sequence: 1 }))).toBe(
      'dossier_code.date_range',
    );
  });

  it('format → parse is identity', () => {
    fc.assert(
      fc.property(agency, day, fc.integer({ min: 1, max: 9999 }), (agencyCode, receivedOn, sequence) => {
        const parts = { agencyCode, receivedOn, sequence };
        expect(parseDossierCode(formatDossierCode(parts))).toEqual(parts);
        return true;
      }),
      { numRuns: propertyRuns(10_000) },
    );
  });

  it('never crashes on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const r = safeParseDossierCode(s);
        return r.ok || r.error instanceof ValidationError;
      }),
      { numRuns: propertyRuns(10_000) },
    );
  });
});

describe('paymentReference', () => {
  it('is at most 19 characters of [A-Z0-9] and leads back to the dossier', () => {
    fc.assert(
      fc.property(agency, day, fc.integer({ min: 1, max: 9999 }), (agencyCode, receivedOn, sequence) => {
        const code = formatDossierCode({ agencyCode, receivedOn, sequence });
        const ref = paymentReference(code);
        expect(ref).toMatch(/^[A-Z0-9]{1,19}$/);
        expect(dossierCodeFromPaymentReference(ref, { provinceGroup: 'H57' })).toBe(code);
        return true;
      }),
      { numRuns: propertyRuns(10_000) },
    );
  });

  it('is unique within a province (different dossiers give different references)', () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(agency, day, fc.integer({ min: 1, max: 9999 }), (agencyCode, receivedOn, sequence) => {
        const code = formatDossierCode({ agencyCode, receivedOn, sequence });
        const ref = paymentReference(code);
        const before = seen.get(ref);
        seen.set(ref, code);
        return before === undefined || before === code;
      }),
      { numRuns: propertyRuns(10_000) },
    );
  });

  it('handles agency codes of other forms through a list of agencies', () => {
    const code = formatDossierCode({ agencyCode: 'UBND.XA01', receivedOn: '2026-03-02', sequence: 7 });
    const ref = paymentReference(code);
    expect(ref).toBe('UBNDXA012603020007');
    expect(dossierCodeFromPaymentReference(ref, { agencies: ['UBND.XA01'] })).toBe(code);
    expect(codeOf(() => dossierCodeFromPaymentReference(ref, {}))).toBe('payment_reference.agency_unknown');
    expect(
      codeOf(() =>
        paymentReference(
          formatDossierCode({ agencyCode: 'VERY.LONG.AGENCY.CODE', receivedOn: '2026-03-02', sequence: 7 }),
        ),
      ),
    ).toBe('payment_reference.too_long');
    expect(codeOf(() => dossierCodeFromPaymentReference('abc-1', {}))).toBe('payment_reference.format');
  });
});
