import { afterEach, describe, expect, it } from 'vitest';
import { sharedCsv } from '../../../test-utils/shared.js';
import {
  BUDGET_CLASSIFICATIONS,
  type Collection,
  chapterLevel,
  lateRemittances,
  remittanceDeadline,
  revenueRecord,
  type TreasuryUnitConfig,
  treasuryReadiness,
} from './budget.js';
import type { TreasuryError } from './errors.js';
import { startTreasurySimulator } from './testing/treasury-simulator.js';
import { createTreasuryClient } from './treasury-client.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

// Synthetic unit: codes are illustrative, not a real commune's accounts.
const designated = { treasuryCode: '1769', accountNumber: '3511', holder: 'Sở Tài chính tỉnh mẫu' };
const config: TreasuryUnitConfig = {
  unitCode: '05152',
  unitName: 'UBND xã Vân Sơn',
  chapter: '805',
  collectingAgency: '1234567',
  provinceDesignatedAccount: designated,
  subItems: { 'certified-copy': '2716', 'marital-status': '2771' },
};
const collection: Collection = {
  feeId: 'F1',
  dossierCode: '000.00.19.H57-260302-0001',
  itemId: 'certified-copy',
  kind: 'fee',
  amount: 14_000,
  method: 'online',
  paidAt: '2026-03-06T16:30:00+07:00',
};
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return [(e as TreasuryError).code, (e as TreasuryError).field];
  }
  return undefined;
};

describe('budget classification and revenue records', () => {
  it('chapter ranges come from the shared data: district chapters end on 2025-12-31 (TT 130/2025/TT-BTC)', () => {
    const rows = sharedCsv('tax/budget-chapter-ranges.csv');
    for (const r of rows) {
      const level = r.level!.split(' ')[0];
      expect(chapterLevel(r.range_from!, '2025-06-01')).toBe(level);
      expect(chapterLevel(r.range_to!, '2025-06-01')).toBe(level);
    }
    expect(chapterLevel('757', '2025-12-31')).toBe('district');
    expect(chapterLevel('757', '2026-01-01')).toBeUndefined();
    expect(chapterLevel('857', '2026-01-01')).toBe('commune');
    // Not three digits: no level, although '8050' sorts between '805' and '857' as a string.
    for (const bad of ['8050', '9', '', '80a']) expect(chapterLevel(bad, '2026-01-01')).toBeUndefined();
  });

  it('an online charge must reach the budget within 8 working hours (Decree 118/2025 Art. 24), counted on the unit calendar', () => {
    const r = revenueRecord(collection, config);
    // Friday 16:30 + 8 working hours: the weekend is skipped.
    expect(r.remitBy).toBe('2026-03-09T16:30:00+07:00');
    expect(remittanceDeadline('2026-03-06T16:30:00+07:00')).toBe(r.remitBy);
    // Over Tết (2026-02-16 to 02-20 are holidays) the deadline waits for the next working day.
    expect(remittanceDeadline('2026-02-13T10:00:00+07:00')).toBe('2026-02-23T10:00:00+07:00');
    // A sector rule may set another limit.
    expect(
      remittanceDeadline('2026-03-06T16:30:00+07:00', { limit: { unit: 'workingDays', value: 1 } }),
    ).toBe('2026-03-09T16:30:00+07:00');
    expect(revenueRecord({ ...collection, method: 'counter' }, config).remitBy).toBeUndefined();
  });

  it('records the budget classification in force and the designated account of a commune without its own', () => {
    const r = revenueRecord(collection, config);
    expect(r).toMatchObject({
      chapter: '805',
      subItem: '2716',
      classification: 'TT130/2025',
      classificationVerified: false,
      account: designated,
      designatedAccount: true,
      recordId: '05152-F1',
    });
    const before = revenueRecord({ ...collection, paidAt: '2025-12-31T10:00:00+07:00' }, config);
    expect(before).toMatchObject({ classification: 'TT324/2016', classificationVerified: true });
    const own = { treasuryCode: '1769', accountNumber: '3713.0.1234567', holder: 'UBND xã Vân Sơn' };
    expect(revenueRecord(collection, { ...config, account: own })).toMatchObject({
      account: own,
      designatedAccount: false,
    });
  });

  it('refuses a district chapter after 2025, a sub-item not in the classification or of the wrong kind, and no account', () => {
    expect(code(() => revenueRecord(collection, { ...config, chapter: '757' }))).toEqual([
      'budget.chapter_level',
      'chapter',
    ]);
    expect(
      code(() => revenueRecord(collection, { ...config, subItems: { 'certified-copy': '1001' } })),
    ).toEqual(['budget.sub_item', 'subItems.certified-copy']);
    expect(
      code(() => revenueRecord(collection, { ...config, subItems: { 'certified-copy': '2771' } })),
    ).toEqual(['budget.sub_item_kind', 'subItems.certified-copy']);
    expect(code(() => revenueRecord({ ...collection, itemId: 'other' }, config))?.[0]).toBe(
      'budget.sub_item_missing',
    );
    const { provinceDesignatedAccount: _, ...noAccount } = config;
    expect(code(() => revenueRecord(collection, noAccount))).toEqual(['budget.no_account', 'account']);
    // A confirmed renumbering is a new dated classification, not a code change.
    const confirmed = [
      BUDGET_CLASSIFICATIONS[0]!,
      {
        id: 'TT130/2025-confirmed',
        legalBasis: 'x',
        effectiveFrom: '2026-01-01',
        subItems: [{ code: '2716', kind: 'fee' as const, name: 'Phí chứng thực', verified: true }],
      },
    ];
    expect(revenueRecord(collection, { ...config, classifications: confirmed }).classificationVerified).toBe(
      true,
    );
  });

  it('reports late remittances, credited late or not credited yet', () => {
    const a = revenueRecord(collection, config);
    const b = revenueRecord({ ...collection, feeId: 'F2', paidAt: '2026-03-09T08:00:00+07:00' }, config);
    const c = revenueRecord({ ...collection, feeId: 'F3', method: 'counter' }, config);
    const late = lateRemittances([a, b, c], {
      credited: new Map([[a.recordId, '2026-03-09T17:00:00+07:00']]),
      now: '2026-03-10T09:00:00+07:00',
    });
    expect(late).toEqual([
      {
        recordId: a.recordId,
        remitBy: '2026-03-09T16:30:00+07:00',
        creditedAt: '2026-03-09T17:00:00+07:00',
        lateByMinutes: 30,
      },
      // Monday 08:00 + 8 working hours (07:30-11:30, 13:00-17:00): Tuesday 08:00, one hour before `now`.
      {
        recordId: b.recordId,
        remitBy: '2026-03-10T08:00:00+07:00',
        creditedAt: undefined,
        lateByMinutes: 60,
      },
    ]);
    expect(
      lateRemittances([a], {
        credited: new Map([[a.recordId, '2026-03-09T16:30:00+07:00']]),
        now: '2026-03-10T09:00:00+07:00',
      }),
    ).toEqual([]);
  });

  it('the readiness report says when a commune collects into the province-designated account', () => {
    const r = treasuryReadiness(config, { date: '2026-03-02', feeItems: ['certified-copy', 'signature'] });
    expect(r.ready).toBe(false);
    const account = r.items.find((i) => i.check === 'account')!;
    expect(account.status).toBe('warning');
    expect(account.message.vi).toContain('tỉnh chỉ định');
    expect(r.items.find((i) => i.check === 'subItems')?.message.en).toContain('signature');
    expect(r.items.find((i) => i.check === 'classification')?.status).toBe('warning');
    expect(treasuryReadiness(config, { date: '2026-03-02', feeItems: ['certified-copy'] }).ready).toBe(true);
    expect(
      treasuryReadiness({ ...config, provinceDesignatedAccount: undefined }, { date: '2026-03-02' }).ready,
    ).toBe(false);
  });
});

describe('State Treasury client and simulator', () => {
  it('submits a record, idempotent on its ID, and confirms it credited', async () => {
    const kb = await startTreasurySimulator({ accounts: ['1769/3511'] });
    closers.push(() => kb.close());
    const treasury = createTreasuryClient({ baseUrl: kb.url, auth: kb.oauth2 });
    const rec = revenueRecord(collection, config);
    expect((await treasury.submit(rec)).status).toBe('submitted');
    expect((await treasury.submit(rec)).status).toBe('submitted');
    expect(kb.records()).toHaveLength(1);
    await expect(treasury.submit({ ...rec, amount: 15_000 })).rejects.toMatchObject({ status: 409 });
    await expect(
      treasury.submit({ ...rec, recordId: 'x', account: { ...designated, accountNumber: '9999' } }),
    ).rejects.toMatchObject({ serverCode: 'collection.unknown_account' });
    kb.credit(rec.recordId, '2026-03-09T10:00:00+07:00');
    expect(await treasury.status(rec.recordId)).toMatchObject({
      status: 'credited',
      creditedAt: '2026-03-09T10:00:00+07:00',
    });
    // A malformed record never leaves the machine.
    await expect(treasury.submit({ ...rec, chapter: '85' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const anonymous = await fetch(`${kb.url}collections/${rec.recordId}`);
    expect(anonymous.status).toBe(401);
  });
});
