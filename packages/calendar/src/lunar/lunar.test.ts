import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../../test-utils/runs.js';
import { sharedCsv } from '../../../../test-utils/shared.js';
import { dateString, dayNumber } from '../dates.js';
import type { CalendarError } from '../errors.js';
import { canChi, lunarToSolar, lunarYear, solarTermsOf, solarToLunar } from './lunar.js';

/**
 * The rows before 1968 where the astronomical computation disagrees with the reference table (Hồ Ngọc
 * Đức's tables). Explained in the README with the computed new-moon instant; never special-cased.
 */
const KNOWN_DIFFERENCES = new Set([1916, 1925]);

describe('lunar calendar against shared/data/lunar', () => {
  const tet = sharedCsv('lunar/tet.csv');

  it('agrees with every Tết and leap month of tet.csv from 1968 on', () => {
    const rows = tet.filter((r) => Number(r.year) >= 1968 && Number(r.year) <= 2199);
    expect(rows.length).toBeGreaterThan(130);
    for (const r of rows) {
      const y = lunarYear(Number(r.year));
      expect([r.year, y.tet, String(y.leapMonth ?? '')]).toEqual([r.year, r.tet_date, r.leap_month ?? '']);
      expect(solarToLunar(r.tet_date!)).toEqual({ year: Number(r.year), month: 1, day: 1, leap: false });
    }
  });

  it('before 1968 agrees with every row except the documented ones', () => {
    const differing = tet
      .filter((r) => Number(r.year) < 1968)
      .filter((r) => {
        const y = lunarYear(Number(r.year));
        return y.tet !== r.tet_date || String(y.leapMonth ?? '') !== (r.leap_month ?? '');
      })
      .map((r) => Number(r.year));
    expect(new Set(differing)).toEqual(KNOWN_DIFFERENCES);
  });

  it('gives the Vietnamese dates where the Chinese calendar differs (1968, 1969, 1985, 2007, 2030, 2053)', () => {
    for (const r of tet.filter((x) => x.differs_from_cn === 'yes' && Number(x.year) >= 1968)) {
      expect(lunarYear(Number(r.year)).tet).toBe(r.tet_date);
      expect(lunarYear(Number(r.year)).tet).not.toBe(r.cn_date);
    }
    expect(lunarYear(1985).tet).toBe('1985-01-21');
    expect(lunarYear(1984).leapMonth).toBe(null);
    expect(lunarYear(1985).leapMonth).toBe(2);
  });

  it('agrees with algo-vs-table-differences.csv (where a simplified algorithm fails)', () => {
    const rows = sharedCsv('lunar/algo-vs-table-differences.csv');
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      const [d, m, y, leap] = r['hnd_table_lunar(d/m/y/leap)']!.split('/').map(Number);
      expect(solarToLunar(r.solar_date!)).toEqual({ year: y, month: m, day: d, leap: leap === 1 });
    }
  });

  it('gives the Hùng Kings day (10/3) of hung_kings.csv', () => {
    for (const r of sharedCsv('lunar/hung_kings.csv')) {
      expect(lunarToSolar({ year: Number(r.year), month: 3, day: 10, leap: false })).toBe(r.solar_date);
    }
  });

  it('lunarToSolar(solarToLunar(d)) = d for every day from Tết 1900 to the end of 2199', () => {
    const start = dayNumber(lunarYear(1900).tet);
    const end = dayNumber('2199-12-31');
    let days = 0;
    for (let d = start; d <= end; d++) {
      const s = dateString(d);
      const l = solarToLunar(s);
      if (lunarToSolar(l) !== s) throw new Error(`${s} → ${JSON.stringify(l)} → ${lunarToSolar(l)}`);
      days++;
    }
    expect(days).toBeGreaterThan(109_000);
  });

  it('months have 29 or 30 days; years 12 or 13 months, one of them leap', () => {
    for (let y = 1900; y <= 2199; y++) {
      const info = lunarYear(y);
      expect(info.months.length === 12 || info.months.length === 13).toBe(true);
      expect(info.months.filter((m) => m.leap).length).toBe(info.months.length - 12);
      for (const m of info.months) expect([29, 30]).toContain(m.length);
    }
  });

  it('can-chi of year, month and day', () => {
    expect(lunarYear(2026).canChi.vi).toBe('Bính Ngọ');
    expect(lunarYear(2024).canChi.vi).toBe('Giáp Thìn');
    expect(canChi('2024-02-10')).toMatchObject({ year: 'Giáp Thìn', month: 'Bính Dần' });
    // 2000-01-01 was a Mậu Ngọ day.
    expect(canChi('2000-01-01').day).toBe('Mậu Ngọ');
  });

  it('solar terms of a year', () => {
    const terms = solarTermsOf(2026);
    expect(terms).toHaveLength(24);
    expect(terms[0]?.name.vi).toBe('Tiểu hàn');
    expect(terms.find((t) => t.longitude === 270)?.date).toBe('2026-12-22');
    expect(terms.find((t) => t.longitude === 0)?.date).toBe('2026-03-20');
    expect(terms.filter((t) => t.major)).toHaveLength(12);
  });

  it('rejects lunar dates that do not exist and years out of range', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as CalendarError).code;
      }
    };
    const m1 = lunarYear(2026).months[0]!;
    if (m1.length === 29)
      expect(code(() => lunarToSolar({ year: 2026, month: 1, day: 30, leap: false }))).toBe(
        'calendar.lunar_invalid',
      );
    expect(code(() => lunarToSolar({ year: 2026, month: 4, day: 1, leap: true }))).toBe(
      'calendar.lunar_invalid',
    );
    expect(code(() => lunarToSolar({ year: 2025, month: 6, day: 1, leap: true }))).toBeUndefined();
    expect(code(() => lunarToSolar({ year: 2026, month: 13, day: 1, leap: false }))).toBe(
      'calendar.lunar_invalid',
    );
    expect(code(() => solarToLunar('2025-02-30'))).toBe('calendar.date_invalid');
    expect(code(() => solarToLunar('1899-06-01'))).toBe('calendar.out_of_range');
    expect(code(() => lunarYear(2200))).toBe('calendar.out_of_range');
  });

  it('random solar dates round-trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dayNumber('1900-02-01'), max: dayNumber('2199-12-31') }),
        (d) => lunarToSolar(solarToLunar(dateString(d))) === dateString(d),
      ),
      { numRuns: propertyRuns(20_000) },
    );
  });
});
