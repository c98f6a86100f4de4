import { type FeeItem, ValidationError } from '@motcua/core';
import { seedCatalogue } from '@motcua/procedures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-utils/runs.js';
import { TreasuryError } from './errors.js';
import { computeFees, defineTariffs, type FeeProcedure } from './fees.js';

const catalogue = seedCatalogue();
const certifiedCopy = catalogue.get('2.000815')!;
const extractCopy = catalogue.get('2.000635')!;
const signature = catalogue.get('2.000884')!;
const birth = catalogue.get('1.001193')!;
const marriage = catalogue.get('1.000894')!;
const death = catalogue.get('1.000656')!;
const at = '2026-03-02T09:00:00+07:00';

// A synthetic province tariff (province 99 does not exist; amounts are illustrative, not a real resolution).
const NQ = 'Nghị quyết 01/2026/NQ-HĐND (tỉnh mẫu)';
const charge = (id: string, amount: number, extra: Partial<FeeItem> = {}): FeeItem => ({
  id,
  kind: 'charge',
  name: { vi: `Lệ phí ${id}` },
  basis: 'perCase',
  amount,
  province: '99',
  effectiveFrom: '2026-01-01',
  legalBasis: NQ,
  ...extra,
});
const tariffs = defineTariffs([
  { procedureCode: '1.001193', items: [charge('birth', 8_000)] },
  { procedureCode: '1.000656', items: [charge('death', 8_000)] },
  { procedureCode: '1.000894', items: [charge('marriage', 30_000)] },
  {
    procedureCode: '1.004873',
    items: [
      charge('marital-status', 15_000, { effectiveTo: '2026-06-30' }),
      charge('marital-status', 20_000, { effectiveFrom: '2026-07-01' }),
    ],
    reliefs: [
      {
        id: 'online-50',
        description: { vi: 'Giảm 50% khi nộp trực tuyến' },
        percent: 50,
        conditions: [],
        channels: ['online'],
        province: '99',
        effectiveFrom: '2026-01-01',
        legalBasis: NQ,
      },
    ],
  },
]);
const maritalStatus: FeeProcedure = { code: '1.004873', civilStatus: true };

describe('computeFees', () => {
  it('certified copy per page with tiers (TT 226/2016/TT-BTC Art. 4): 2,000 for pages 1-2, 1,000 from page 3', () => {
    const one = (pages: number) =>
      computeFees(certifiedCopy, { channel: 'direct', documents: [{ pages }] }, { at }).total;
    expect([1, 2, 3, 5, 10].map(one)).toEqual([2_000, 4_000, 5_000, 7_000, 12_000]);
    const r = computeFees(certifiedCopy, { channel: 'direct', documents: [{ pages: 5, copies: 2 }] }, { at });
    expect(r.total).toBe(14_000);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({
      type: 'item',
      ruleId: 'certified-copy',
      kind: 'fee',
      legalBasis: 'Thông tư 226/2016/TT-BTC Điều 4',
      source: 'procedure',
      quantity: 10,
      detail: '2 × (2 × 2,000 + 3 × 1,000)',
    });
  });

  it('certified copy is capped at 200,000 VND a copy (TT 226/2016/TT-BTC Art. 4)', () => {
    const r = computeFees(
      certifiedCopy,
      { channel: 'direct', documents: [{ pages: 198 }, { pages: 199, copies: 3 }] },
      { at },
    );
    // 198 pages: 4,000 + 196,000 = 200,000 exactly; 199 pages would be 201,000, capped.
    expect(r.total).toBe(200_000 + 3 * 200_000);
    expect(r.lines[0]?.detail).toContain('cap 200,000');
  });

  it('certified copy, properties (TT 226/2016/TT-BTC Art. 4): linear in copies, monotone in pages, capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 20 }), (pages, copies) => {
        const f = (p: number, c: number) =>
          computeFees(certifiedCopy, { channel: 'direct', documents: [{ pages: p, copies: c }] }, { at })
            .total;
        const single = f(pages, 1);
        expect(f(pages, copies)).toBe(single * copies);
        expect(f(pages + 1, 1)).toBeGreaterThanOrEqual(single);
        expect(f(pages + 1, 1) - single).toBeLessThanOrEqual(pages + 1 <= 2 ? 2_000 : 1_000);
        expect(single).toBeLessThanOrEqual(200_000);
        expect(single).toBeGreaterThanOrEqual(Math.min(200_000, 1_000 * pages));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('copy of a civil-status extract is 8,000 VND per copy (TT 281/2016/TT-BTC)', () => {
    const r = computeFees(extractCopy, { channel: 'direct', copies: 3 }, { at });
    expect(r.total).toBe(24_000);
    expect(r.lines[0]).toMatchObject({ legalBasis: 'Thông tư 281/2016/TT-BTC', quantity: 3 });
  });

  it('signature certification is 10,000 VND per case (TT 226/2016/TT-BTC)', () => {
    expect(computeFees(signature, { channel: 'direct', cases: 4 }, { at }).total).toBe(40_000);
  });

  it('birth registered on time is free (Law on Civil Status 60/2014 Art. 11); late, the province charge applies', () => {
    const onTime = computeFees(
      birth,
      { channel: 'direct', province: '99', conditions: ['registeredOnTime'] },
      { at, tariffs },
    );
    expect(onTime.gross).toBe(8_000);
    expect(onTime.total).toBe(0);
    expect(onTime.lines[1]).toMatchObject({
      type: 'relief',
      ruleId: 'lcs-birth-on-time',
      legalBasis: 'Luật Hộ tịch 60/2014/QH13 Điều 11',
      source: 'statute',
      amount: -8_000,
    });
    const late = computeFees(birth, { channel: 'direct', province: '99' }, { at, tariffs });
    expect(late.total).toBe(8_000);
    expect(late.lines[0]?.legalBasis).toBe(NQ);
  });

  it('death registered on time is free (Law on Civil Status 60/2014 Art. 11)', () => {
    const r = (conditions: string[]) =>
      computeFees(death, { channel: 'direct', province: '99', conditions }, { at, tariffs }).total;
    expect(r(['registeredOnTime'])).toBe(0);
    expect(r([])).toBe(8_000);
  });

  it('domestic marriage registration is free (Law on Civil Status 60/2014 Art. 11)', () => {
    const r = computeFees(marriage, { channel: 'direct', province: '99' }, { at, tariffs });
    expect(r.total).toBe(0);
    expect(r.lines.map((l) => l.ruleId)).toEqual(['marriage', 'lcs-marriage-domestic']);
    // The statutory reliefs can be turned off (e.g. once a new law changes them).
    expect(
      computeFees(marriage, { channel: 'direct', province: '99' }, { at, tariffs, statutoryReliefs: false })
        .total,
    ).toBe(30_000);
  });

  it('civil-status charges are waived for poor households (Law on Civil Status 60/2014 Art. 11.1), fees are not', () => {
    const procedure: FeeProcedure = {
      code: 'X-1',
      civilStatus: true,
      fees: {
        currency: 'VND',
        reliefs: [],
        items: [
          charge('register', 10_000, { province: undefined }),
          charge('copy', 5_000, { province: undefined, kind: 'fee' }),
        ],
      },
    };
    const r = computeFees(procedure, { channel: 'direct', conditions: ['poorHousehold'] }, { at });
    expect(r.total).toBe(5_000);
    expect(r.lines.find((l) => l.type === 'relief')).toMatchObject({
      ruleId: 'lcs-poorHousehold',
      itemId: 'register',
    });
    // Not a civil-status procedure: the statutory civil-status exemption does not apply.
    expect(
      computeFees(
        { ...procedure, civilStatus: false },
        { channel: 'direct', conditions: ['poorHousehold'] },
        { at },
      ).total,
    ).toBe(15_000);
  });

  it('online submission is reduced 50% by the province resolution (TT 85/2019/TT-BTC framework), direct is not', () => {
    const online = computeFees(maritalStatus, { channel: 'online', province: '99' }, { at, tariffs });
    expect(online.total).toBe(7_500);
    expect(online.lines[1]).toMatchObject({
      ruleId: 'online-50',
      percent: 50,
      amount: -7_500,
      source: 'tariff',
    });
    expect(computeFees(maritalStatus, { channel: 'direct', province: '99' }, { at, tariffs }).total).toBe(
      15_000,
    );
    // Another province: no tariff in force, which is a warning, not a silent zero.
    const other = computeFees(maritalStatus, { channel: 'direct', province: '01' }, { at, tariffs });
    expect(other.total).toBe(0);
    expect(other.warnings.map((w) => w.code)).toEqual(['fee.no_item_in_force']);
  });

  it('the tariff in force at `at` applies (dated province resolutions)', () => {
    const f = (when: string) =>
      computeFees(maritalStatus, { channel: 'direct', province: '99' }, { at: when, tariffs }).total;
    expect(f('2026-06-30T23:59:00+07:00')).toBe(15_000);
    // 2026-06-30T17:30Z is already 1 July in Vietnam.
    expect(f('2026-06-30T17:30:00Z')).toBe(20_000);
    expect(f('2026-07-01')).toBe(20_000);
    expect(f('2025-12-31')).toBe(0);
  });

  it('a province entry beats the national one; two equally specific entries in force are refused', () => {
    const national = charge('x', 10_000, { province: undefined });
    const procedure: FeeProcedure = {
      code: 'X-2',
      fees: { currency: 'VND', reliefs: [], items: [national] },
    };
    const local = defineTariffs([{ procedureCode: 'X-2', items: [charge('x', 6_000)] }]);
    expect(computeFees(procedure, { channel: 'direct', province: '99' }, { at, tariffs: local }).total).toBe(
      6_000,
    );
    expect(computeFees(procedure, { channel: 'direct', province: '98' }, { at, tariffs: local }).total).toBe(
      10_000,
    );
    const clash = defineTariffs([{ procedureCode: 'X-2', items: [charge('x', 6_000), charge('x', 7_000)] }]);
    expect(() =>
      computeFees(procedure, { channel: 'direct', province: '99' }, { at, tariffs: clash }),
    ).toThrow(expect.objectContaining({ code: 'fee.ambiguous', field: 'x' }));
    try {
      computeFees(procedure, { channel: 'direct', province: '99' }, { at, tariffs: clash });
    } catch (e) {
      expect(e).toBeInstanceOf(TreasuryError);
      expect((e as TreasuryError).localized.vi).toContain('cùng hiệu lực');
    }
  });

  it('several reliefs: the largest applies by default, sequential on request; reductions round in the payer favour', () => {
    const relief = (id: string, percent: number, conditions: string[]) => ({
      id,
      description: { vi: id },
      percent,
      conditions,
      effectiveFrom: '2026-01-01',
      legalBasis: NQ,
    });
    const procedure: FeeProcedure = {
      code: 'X-3',
      fees: {
        currency: 'VND',
        items: [charge('x', 10_001, { province: undefined })],
        reliefs: [relief('a', 50, ['a']), relief('b', 30, ['b'])],
      },
    };
    const req = { channel: 'direct' as const, conditions: ['a', 'b'] };
    // 50% of 10,001 = 5,000.5: the reduction rounds up to 5,001.
    expect(computeFees(procedure, req, { at }).total).toBe(5_000);
    expect(computeFees(procedure, req, { at, reductionRounding: 'down' }).total).toBe(5_001);
    // Sequential: 10,001 - 5,001 = 5,000, then 30% = 1,500.
    expect(computeFees(procedure, req, { at, reliefCombination: 'sequential' }).total).toBe(3_500);
    expect(computeFees(procedure, { channel: 'direct', conditions: ['b'] }, { at }).total).toBe(7_000);
  });

  it('refuses a malformed request, naming the field and the rule', () => {
    try {
      computeFees(certifiedCopy, { channel: 'direct', documents: [{ pages: 0 }] }, { at });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues[0]?.path).toEqual(['documents', 0, 'pages']);
      expect((e as ValidationError).localized.vi).toBeTruthy();
    }
    expect(() => computeFees(certifiedCopy, { channel: 'direct' }, { at: '2026-03-02 09:00' })).toThrow(
      expect.objectContaining({ code: 'time.instant', field: 'at' }),
    );
    expect(() =>
      defineTariffs([{ procedureCode: 'X', items: [{ ...charge('x', 1), legalBasis: '' }] }]),
    ).toThrow(ValidationError);
  });

  it('a province-rate charge without a loaded tariff warns instead of a silent zero (TT 85/2019/TT-BTC: the province sets it)', () => {
    const maritalFromCatalogue = catalogue.get('1.004873')!; // "province rate": no schedule in the catalogue
    const r = computeFees(maritalFromCatalogue, { channel: 'direct', province: '01' }, { at });
    expect(r.total).toBe(0);
    expect(r.warnings.map((w) => w.code)).toEqual(['fee.no_schedule']);
    expect(r.warnings[0]?.message.vi).toContain('biểu phí của tỉnh');
    // Loaded, the tariff applies and the warning goes.
    expect(
      computeFees(maritalStatus, { channel: 'direct', province: '99' }, { at, tariffs }).warnings,
    ).toEqual([]);
    // A statutory exemption of the procedure itself makes the zero certain (Law on Civil Status 60/2014 Art. 11).
    const free = (code: string, conditions: string[] = []) =>
      computeFees(catalogue.get(code)!, { channel: 'direct', conditions }, { at }).warnings;
    expect(free('1.000894')).toEqual([]);
    expect(free('1.001193', ['registeredOnTime'])).toEqual([]);
    expect(free('1.001193').map((w) => w.code)).toEqual(['fee.no_schedule']);
  });

  it('warns when a per-page fee has no documents', () => {
    const r = computeFees(certifiedCopy, { channel: 'direct' }, { at });
    expect(r.total).toBe(0);
    expect(r.warnings[0]?.code).toBe('fee.no_documents');
  });
});
