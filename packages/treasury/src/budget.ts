import type { ProcedureLimit } from '@motcua/core';
import { InstantSchema, parseWith, VndSchema } from '@motcua/core';
import { computeAppointment, type WorkingCalendar } from '@motcua/deadlines';
import { z } from 'zod';
import { fail } from './errors.js';
import { BUDGET_CHAPTER_RANGES } from './generated/budget.js';
import { inForce, instantMs, vnDate } from './time.js';

/** A budget sub-item (tiểu mục) of a fee or charge in one classification. */
export interface BudgetSubItem {
  code: string;
  kind: 'fee' | 'charge';
  name: string;
  /** False when the code was carried over without reading the circular's text (re-check before use). */
  verified: boolean;
}

/** A budget classification (Mục lục NSNN) in force over a period. */
export interface BudgetClassification {
  id: string;
  legalBasis: string;
  effectiveFrom: string;
  effectiveTo?: string;
  subItems: readonly BudgetSubItem[];
}

const SUB_ITEMS_324: BudgetSubItem[] = [
  { code: '2716', kind: 'fee', name: 'Phí chứng thực', verified: true },
  { code: '2767', kind: 'charge', name: 'Lệ phí đăng ký cư trú', verified: true },
  { code: '2768', kind: 'charge', name: 'Lệ phí cấp căn cước', verified: true },
  { code: '2771', kind: 'charge', name: 'Lệ phí hộ tịch', verified: true },
];

/**
 * The budget classifications as dated data: Circular 324/2016/TT-BTC until 2025-12-31, Circular
 * 130/2025/TT-BTC from 2026-01-01 (DOMAIN.md §9). Whether 130/2025 renumbered the fee and charge sub-items
 * is **not verified**: its entries carry the 324/2016 codes with `verified: false`, and the readiness report
 * says so. Replace or extend with the `classifications` of {@link TreasuryUnitConfig} when the text is confirmed.
 *
 * @example
 * ```ts
 * import { BUDGET_CLASSIFICATIONS } from '@motcua/treasury';
 * BUDGET_CLASSIFICATIONS.map((c) => c.id); // ['TT324/2016', 'TT130/2025']
 * ```
 */
export const BUDGET_CLASSIFICATIONS: readonly BudgetClassification[] = Object.freeze([
  {
    id: 'TT324/2016',
    legalBasis: 'Thông tư 324/2016/TT-BTC (sửa đổi bởi 93/2019, 51/2022, 84/2024, 41/2025)',
    effectiveFrom: '2017-01-01',
    effectiveTo: '2025-12-31',
    subItems: SUB_ITEMS_324,
  },
  {
    id: 'TT130/2025',
    legalBasis: 'Thông tư 130/2025/TT-BTC',
    effectiveFrom: '2026-01-01',
    subItems: SUB_ITEMS_324.map((s) => ({ ...s, verified: false })),
  },
]);

/** A treasury account: the State Treasury office (SHKB, 4 digits) and the account number. */
export const TreasuryAccountSchema = z.object({
  /** Treasury office code (mã KBNN, SHKB), 4 digits. */
  treasuryCode: z.string().regex(/^\d{4}$/),
  /** The account (e.g. 7111 budget revenue, or a deposit account number). */
  accountNumber: z.string().regex(/^[0-9.]{4,30}$/),
  /** The holder, e.g. `UBND xã Vân Sơn` or the province's designated collecting agency. */
  holder: z.string().min(1),
});
export type TreasuryAccount = z.infer<typeof TreasuryAccountSchema>;

/** A unit's treasury configuration: its chapter, collecting agency and account (or the province's). */
export const TreasuryUnitConfigSchema = z.object({
  /** The commune (5 digits). */
  unitCode: z.string().regex(/^\d{5}$/),
  unitName: z.string().min(1),
  /** Budget chapter (Chương) the unit's revenue is posted to, 3 digits. */
  chapter: z.string().regex(/^\d{3}$/),
  /** Revenue-collecting agency code (mã cơ quan thu / ĐVQHNS), 7 digits. */
  collectingAgency: z.string().regex(/^\d{7}$/),
  /** The unit's own treasury account for fees; absent when the commune has none. */
  account: TreasuryAccountSchema.optional(),
  /** The account the province designates for communes without their own. */
  provinceDesignatedAccount: TreasuryAccountSchema.optional(),
  /** Sub-items the unit uses for each fee item ID of the catalogue (e.g. `certified-copy` → `2716`). */
  subItems: z.record(z.string(), z.string().regex(/^\d{4}$/)).default({}),
});
export type TreasuryUnitConfig = z.output<typeof TreasuryUnitConfigSchema> & {
  /** Other classifications (default {@link BUDGET_CLASSIFICATIONS}). */
  classifications?: readonly BudgetClassification[];
};

/** A fee collected, as the unit knows it. */
export const CollectionSchema = z.object({
  feeId: z.string().min(1),
  dossierCode: z.string().min(1),
  /** The fee item ID of the schedule (to find its sub-item). */
  itemId: z.string().min(1),
  kind: z.enum(['fee', 'charge']),
  amount: VndSchema.refine((v) => v > 0, 'amount must be positive'),
  /** `online` (payment platform, transfer) or `counter` (cash at the desk). */
  method: z.enum(['online', 'counter']),
  paidAt: InstantSchema,
  paymentId: z.string().optional(),
  reference: z.string().optional(),
});
export type Collection = z.input<typeof CollectionSchema>;

/** The revenue record (chứng từ thu) of one collected fee, ready for the State Treasury. */
export interface RevenueRecord {
  recordId: string;
  feeId: string;
  dossierCode: string;
  unitCode: string;
  amount: number;
  kind: 'fee' | 'charge';
  method: 'online' | 'counter';
  paidAt: string;
  paymentId?: string;
  reference?: string;
  chapter: string;
  subItem: string;
  classification: string;
  /** False when the sub-item was carried over unverified into the classification in force. */
  classificationVerified: boolean;
  collectingAgency: string;
  account: TreasuryAccount;
  /** Collected into the account the province designates (the commune has none of its own). */
  designatedAccount: boolean;
  /** When the money must reach the budget (online collections); absent when no deadline applies. */
  remitBy?: string;
}

/** Settings of the remittance deadline. */
export interface RemittanceSettings {
  /**
   * The limit for online collections to reach the budget. Default 8 working hours (Decree 118/2025 Art. 24),
   * unless a sector rule says otherwise: pass that rule's limit here.
   */
  limit?: ProcedureLimit;
  /** The unit's working calendar (default: the national civil-service calendar). */
  calendar?: WorkingCalendar;
  /** Also give counter collections a deadline with the same limit. Default false (set by the sector's rules). */
  counter?: boolean;
}

/** The default remittance limit: 8 working hours (Decree 118/2025/NĐ-CP Art. 24). */
export const DEFAULT_REMITTANCE_LIMIT: ProcedureLimit = Object.freeze({ unit: 'workingHours', value: 8 });

/**
 * When a collected charge must reach the budget: `paidAt` plus the limit in the unit's working time
 * (8 working hours by default, Decree 118/2025 Art. 24), computed with `@motcua/deadlines`.
 *
 * @example
 * ```ts
 * import { remittanceDeadline } from '@motcua/treasury';
 * remittanceDeadline('2026-03-06T16:30:00+07:00'); // '2026-03-09T16:30:00+07:00' (Friday → Monday)
 * ```
 */
export function remittanceDeadline(paidAt: string, settings: RemittanceSettings = {}): string {
  instantMs(paidAt, 'paidAt');
  return computeAppointment({
    receivedAt: paidAt,
    limit: settings.limit ?? DEFAULT_REMITTANCE_LIMIT,
    channel: 'online',
    ...(settings.calendar ? { calendar: settings.calendar } : {}),
  }).appointment;
}

/**
 * The chapter's level on a date, from the dated ranges (district chapters end on 2025-12-31).
 *
 * @example
 * ```ts
 * import { chapterLevel } from '@motcua/treasury';
 * chapterLevel('805', '2026-03-02'); // 'commune'
 * chapterLevel('705', '2025-12-31'); // 'district'
 * chapterLevel('705', '2026-01-01'); // undefined: district chapters end with 2025
 * chapterLevel('8050', '2026-03-02'); // undefined: not a three-digit chapter
 * ```
 */
export function chapterLevel(chapter: string, date: string): string | undefined {
  if (!/^\d{3}$/.test(chapter)) return undefined; // a chapter code is three digits (Circular 324/2016, 130/2025)
  for (const r of BUDGET_CHAPTER_RANGES)
    if (chapter >= r.from && chapter <= r.to && (r.validUntil === undefined || date <= r.validUntil))
      return r.level;
  return undefined;
}

function classificationAt(date: string, list: readonly BudgetClassification[]): BudgetClassification {
  const c = list.find((x) => inForce(date, x.effectiveFrom, x.effectiveTo));
  if (!c)
    fail(
      'budget.no_classification',
      `No budget classification in force on ${date}`,
      `Không có mục lục NSNN hiệu lực ngày ${date}`,
      'paidAt',
    );
  return c;
}

/**
 * The account a unit collects into, and whether it is the province's designated one.
 *
 * @example
 * ```ts
 * import { collectingAccount } from '@motcua/treasury';
 * collectingAccount({ unitCode: '05152', unitName: 'UBND xã Vân Sơn', chapter: '805', collectingAgency: '1234567', subItems: {},
 *   provinceDesignatedAccount: { treasuryCode: '1769', accountNumber: '3511', holder: 'Sở Tài chính' } });
 * // { account: { treasuryCode: '1769', accountNumber: '3511', holder: 'Sở Tài chính' }, designated: true }
 * // neither the unit's `account` nor the province's: throws TreasuryError `budget.no_account`
 * ```
 */
export function collectingAccount(config: TreasuryUnitConfig): {
  account: TreasuryAccount;
  designated: boolean;
} {
  if (config.account) return { account: config.account, designated: false };
  if (config.provinceDesignatedAccount)
    return { account: config.provinceDesignatedAccount, designated: true };
  return fail(
    'budget.no_account',
    `Unit ${config.unitCode} has no treasury account and the province designated none`,
    `Đơn vị ${config.unitCode} không có tài khoản kho bạc và tỉnh chưa chỉ định tài khoản thu`,
    'account',
  );
}

/**
 * The revenue record of a collected fee: budget chapter and sub-item validated against the classification in
 * force on the payment date (Circular 324/2016 until 2025-12-31, 130/2025 after) and the unit's level (a
 * district chapter is refused from 2026), the collecting agency, the account (the unit's, or the one the
 * province designates), and the remittance deadline for online collections.
 *
 * @throws ValidationError for a malformed collection or configuration; TreasuryError `budget.*` naming the
 *   field (`budget.chapter_level`, `budget.sub_item`, `budget.sub_item_kind`, `budget.no_account`...).
 * @example
 * ```ts
 * import { revenueRecord } from '@motcua/treasury';
 * const r = revenueRecord(
 *   { feeId: 'F1', dossierCode: 'D1', itemId: 'certified-copy', kind: 'fee', amount: 14000, method: 'online', paidAt: '2026-03-02T09:00:00+07:00' },
 *   { unitCode: '05152', unitName: 'UBND xã Vân Sơn', chapter: '805', collectingAgency: '1234567',
 *     provinceDesignatedAccount: { treasuryCode: '1769', accountNumber: '3511', holder: 'Sở Tài chính' },
 *     subItems: { 'certified-copy': '2716' } },
 * );
 * r.designatedAccount; // true
 * r.remitBy; // '2026-03-03T09:00:00+07:00'
 * ```
 */
export function revenueRecord(
  collection: Collection,
  config: TreasuryUnitConfig,
  settings: RemittanceSettings = {},
): RevenueRecord {
  const c = parseWith(CollectionSchema, collection);
  const cfg = { ...parseWith(TreasuryUnitConfigSchema, config), classifications: config.classifications };
  const date = vnDate(c.paidAt, 'paidAt');
  const level = chapterLevel(cfg.chapter, date);
  if (level !== 'commune')
    fail(
      'budget.chapter_level',
      `Chapter ${cfg.chapter} is ${level ? `a ${level} chapter` : 'in no range'} on ${date}; a commune posts to 800-989`,
      `Chương ${cfg.chapter} ${level ? `thuộc cấp ${level}` : 'không thuộc khoảng nào'} ngày ${date}; cấp xã dùng chương 800-989`,
      'chapter',
    );
  const classification = classificationAt(date, cfg.classifications ?? BUDGET_CLASSIFICATIONS);
  const code = cfg.subItems[c.itemId];
  if (code === undefined)
    fail(
      'budget.sub_item_missing',
      `No sub-item is configured for fee item "${c.itemId}"`,
      `Chưa cấu hình tiểu mục cho mục thu "${c.itemId}"`,
      `subItems.${c.itemId}`,
    );
  const sub = classification.subItems.find((s) => s.code === code);
  if (!sub)
    fail(
      'budget.sub_item',
      `Sub-item ${code} is not a fee or charge sub-item of ${classification.id} (in force on ${date})`,
      `Tiểu mục ${code} không phải tiểu mục phí, lệ phí của ${classification.id} (hiệu lực ngày ${date})`,
      `subItems.${c.itemId}`,
    );
  if (sub.kind !== c.kind)
    fail(
      'budget.sub_item_kind',
      `Sub-item ${code} is for a ${sub.kind}, but item "${c.itemId}" is a ${c.kind}`,
      `Tiểu mục ${code} dành cho ${sub.kind === 'fee' ? 'phí' : 'lệ phí'}, nhưng mục "${c.itemId}" là ${c.kind === 'fee' ? 'phí' : 'lệ phí'}`,
      `subItems.${c.itemId}`,
    );
  const { account, designated } = collectingAccount(cfg);
  const deadline =
    c.method === 'online' || settings.counter ? remittanceDeadline(c.paidAt, settings) : undefined;
  return {
    recordId: `${cfg.unitCode}-${c.feeId}`,
    feeId: c.feeId,
    dossierCode: c.dossierCode,
    unitCode: cfg.unitCode,
    amount: c.amount,
    kind: c.kind,
    method: c.method,
    paidAt: c.paidAt,
    ...(c.paymentId ? { paymentId: c.paymentId } : {}),
    ...(c.reference ? { reference: c.reference } : {}),
    chapter: cfg.chapter,
    subItem: code,
    classification: classification.id,
    classificationVerified: sub.verified,
    collectingAgency: cfg.collectingAgency,
    account,
    designatedAccount: designated,
    ...(deadline ? { remitBy: deadline } : {}),
  };
}

/** A record that reached (or has not reached) the budget after its deadline. */
export interface LateRemittance {
  recordId: string;
  remitBy: string;
  /** When it was credited, or undefined when it still is not. */
  creditedAt: string | undefined;
  /** Minutes past the deadline (at `now` when not yet credited). */
  lateByMinutes: number;
}

/**
 * The records whose money reached the budget after `remitBy`, or has not reached it and `now` is past it.
 *
 * @example
 * ```ts
 * import { lateRemittances } from '@motcua/treasury';
 * lateRemittances(records, { credited: new Map([['05152-F1', '2026-03-04T10:00:00+07:00']]), now: '2026-03-05T08:00:00+07:00' });
 * ```
 */
export function lateRemittances(
  records: Iterable<Pick<RevenueRecord, 'recordId' | 'remitBy'>>,
  options: { credited: ReadonlyMap<string, string>; now: string },
): LateRemittance[] {
  const now = instantMs(options.now, 'now');
  const out: LateRemittance[] = [];
  for (const r of records) {
    if (!r.remitBy) continue;
    const due = Date.parse(r.remitBy);
    const credited = options.credited.get(r.recordId);
    const at = credited === undefined ? now : instantMs(credited, 'creditedAt');
    if (at > due)
      out.push({
        recordId: r.recordId,
        remitBy: r.remitBy,
        creditedAt: credited,
        lateByMinutes: Math.floor((at - due) / 60_000),
      });
  }
  return out;
}

/** One line of a readiness report. */
export interface ReadinessItem {
  check: 'account' | 'chapter' | 'collectingAgency' | 'subItems' | 'classification';
  status: 'ok' | 'warning' | 'missing';
  message: { en: string; vi: string };
}

/**
 * Whether a unit is ready to collect fees on `date`: its own account or the province's designated one
 * (and which), a commune chapter valid then, the collecting agency, a sub-item for each fee item, and
 * whether those sub-items are verified in the classification in force.
 *
 * @example
 * ```ts
 * import { treasuryReadiness } from '@motcua/treasury';
 * treasuryReadiness(config, { date: '2026-03-02', feeItems: ['certified-copy'] }).items.find((i) => i.check === 'account')?.message.vi;
 * // 'Xã chưa có tài khoản kho bạc riêng: thu vào tài khoản tỉnh chỉ định (1769 / 3511, Sở Tài chính)'
 * ```
 */
export function treasuryReadiness(
  config: TreasuryUnitConfig,
  options: { date: string; feeItems?: readonly string[] },
): { ready: boolean; items: ReadinessItem[] } {
  const cfg = parseWith(TreasuryUnitConfigSchema, config);
  const date = vnDate(options.date, 'date');
  const items: ReadinessItem[] = [];
  const acc = (a: TreasuryAccount) => `${a.treasuryCode} / ${a.accountNumber}, ${a.holder}`;
  if (cfg.account)
    items.push({
      check: 'account',
      status: 'ok',
      message: {
        en: `Own treasury account (${acc(cfg.account)})`,
        vi: `Có tài khoản kho bạc riêng (${acc(cfg.account)})`,
      },
    });
  else if (cfg.provinceDesignatedAccount)
    items.push({
      check: 'account',
      status: 'warning',
      message: {
        en: `No own treasury account: collects into the account the province designates (${acc(cfg.provinceDesignatedAccount)})`,
        vi: `Xã chưa có tài khoản kho bạc riêng: thu vào tài khoản tỉnh chỉ định (${acc(cfg.provinceDesignatedAccount)})`,
      },
    });
  else
    items.push({
      check: 'account',
      status: 'missing',
      message: {
        en: 'No treasury account and none designated by the province',
        vi: 'Không có tài khoản kho bạc và tỉnh chưa chỉ định tài khoản thu',
      },
    });
  const level = chapterLevel(cfg.chapter, date);
  items.push(
    level === 'commune'
      ? {
          check: 'chapter',
          status: 'ok',
          message: { en: `Chapter ${cfg.chapter} (commune)`, vi: `Chương ${cfg.chapter} (cấp xã)` },
        }
      : {
          check: 'chapter',
          status: 'missing',
          message: {
            en: `Chapter ${cfg.chapter} is not a commune chapter on ${date}`,
            vi: `Chương ${cfg.chapter} không phải chương cấp xã ngày ${date}`,
          },
        },
  );
  items.push({
    check: 'collectingAgency',
    status: 'ok',
    message: {
      en: `Collecting agency ${cfg.collectingAgency}`,
      vi: `Mã cơ quan thu ${cfg.collectingAgency}`,
    },
  });
  const missing = (options.feeItems ?? []).filter((i) => cfg.subItems[i] === undefined);
  items.push(
    missing.length === 0
      ? {
          check: 'subItems',
          status: 'ok',
          message: { en: 'A sub-item for every fee item', vi: 'Đủ tiểu mục cho mọi mục thu' },
        }
      : {
          check: 'subItems',
          status: 'missing',
          message: {
            en: `No sub-item for: ${missing.join(', ')}`,
            vi: `Thiếu tiểu mục cho: ${missing.join(', ')}`,
          },
        },
  );
  const cls = (config.classifications ?? BUDGET_CLASSIFICATIONS).find((x) =>
    inForce(date, x.effectiveFrom, x.effectiveTo),
  );
  const used = Object.values(cfg.subItems);
  const unverified = cls
    ? cls.subItems.filter((s) => used.includes(s.code) && !s.verified).map((s) => s.code)
    : [];
  items.push(
    !cls
      ? {
          check: 'classification',
          status: 'missing',
          message: {
            en: `No classification in force on ${date}`,
            vi: `Không có mục lục NSNN hiệu lực ngày ${date}`,
          },
        }
      : unverified.length > 0
        ? {
            check: 'classification',
            status: 'warning',
            message: {
              en: `${cls.id}: sub-items ${unverified.join(', ')} carried over from 324/2016 without verification`,
              vi: `${cls.id}: tiểu mục ${unverified.join(', ')} giữ theo 324/2016, chưa được xác minh`,
            },
          }
        : { check: 'classification', status: 'ok', message: { en: cls.id, vi: cls.id } },
  );
  return { ready: items.every((i) => i.status !== 'missing'), items };
}
