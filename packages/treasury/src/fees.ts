import {
  type Channel,
  ChannelSchema,
  type FeeItem,
  FeeItemSchema,
  type FeeRelief,
  FeeReliefSchema,
  type FeeSchedule,
  FeeScheduleSchema,
  type LocalizedText,
  parseWith,
} from '@motcua/core';
import { z } from 'zod';
import { fail } from './errors.js';
import { inForce, vnDate } from './time.js';

/** What the citizen asks for: how much is counted, by which channel, in which province, with which flags. */
export const FeeRequestSchema = z.object({
  /** How the dossier arrives: tariffs and reductions differ by channel. */
  channel: ChannelSchema,
  /** Province code (2 digits) of the unit collecting: picks the province's tariff. */
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  /**
   * For `perPage` items (certified copies): each original document with its page count and how many
   * certified copies of it are made.
   */
  documents: z
    .array(
      z.object({
        pages: z.number().int().positive().max(100_000),
        copies: z.number().int().positive().max(10_000).default(1),
      }),
    )
    .default([]),
  /** For `perCopy` items: the number of copies. Default 1. */
  copies: z.number().int().positive().max(10_000).default(1),
  /** For `perCase` items: the number of cases (e.g. signatures certified). Default 1. */
  cases: z.number().int().positive().max(10_000).default(1),
  /**
   * Facts that exemptions and reductions test, e.g. `registeredOnTime`, `poorHousehold`,
   * `meritoriousFamily`, `disability`. A relief applies when every one of its conditions is here.
   */
  conditions: z.array(z.string().min(1)).default([]),
});
/** The input of {@link computeFees} (defaults filled in). */
export type FeeRequest = z.output<typeof FeeRequestSchema>;
/** The input of {@link computeFees} as a caller writes it. */
export type FeeRequestInput = z.input<typeof FeeRequestSchema>;

/** One line of a fee computation: an item charged, or a relief taken off, each naming its rule. */
export interface FeeLine {
  type: 'item' | 'relief';
  /** The item's or the relief's ID in the schedule. */
  ruleId: string;
  /** The fee item the line belongs to. */
  itemId: string;
  /** `fee` (phí) or `charge` (lệ phí): they go to different budget sub-items. */
  kind: FeeItem['kind'];
  /** The item's name, or the relief's description. */
  name: LocalizedText;
  /** The legal basis of the rule. */
  legalBasis: string;
  /** Where the rule comes from: the procedure's schedule, a province tariff, or the statutory reliefs. */
  source: 'procedure' | 'tariff' | 'statute';
  /** Units counted (pages over all copies, copies, cases; 1 for a fixed fee). */
  quantity: number;
  /** How the amount was reached, e.g. `2 copies × (2 × 2,000 + 3 × 1,000)`. */
  detail: string;
  /** For a relief, its percentage. */
  percent?: number;
  /** Dong; negative for a relief. */
  amount: number;
  /** Budget classification of the item, when the schedule gives it. */
  budget?: FeeItem['budget'];
}

/** A warning of a fee computation (the result is still usable). */
export interface FeeWarning {
  code: 'fee.no_item_in_force' | 'fee.no_documents' | 'fee.no_schedule';
  message: LocalizedText & { en: string };
}

/** The result of {@link computeFees}. */
export interface FeeComputation {
  procedureCode: string;
  /** The civil date whose rules applied (Asia/Ho_Chi_Minh). */
  date: string;
  channel: Channel;
  province: string | undefined;
  lines: FeeLine[];
  /** Sum of item lines, dong. */
  gross: number;
  /** Sum of relief lines (≤ 0), dong. */
  relief: number;
  /** What the citizen pays, dong. */
  total: number;
  warnings: FeeWarning[];
}

/** A province's tariff for one procedure: items and reliefs set by the People's Council, dated. */
export const TariffEntrySchema = z.object({
  procedureCode: z.string().min(1),
  items: z.array(FeeItemSchema).default([]),
  reliefs: z.array(FeeReliefSchema).default([]),
});
/** A province's tariff for one procedure. */
export type TariffEntry = z.output<typeof TariffEntrySchema>;

/** Settings of {@link computeFees} where the rules leave a choice. */
export interface FeeSettings {
  /**
   * How several reliefs on one item combine. `largest` (default): only the largest applies, since the
   * texts do not say reliefs add up. `sequential`: each applies to what the previous ones left.
   */
  reliefCombination?: 'largest' | 'sequential';
  /**
   * How a reduction that is not a whole number of dong is rounded. `up` (default, in the payer's favour):
   * the reduction is rounded up; `down`; `nearest` (half up).
   */
  reductionRounding?: 'up' | 'down' | 'nearest';
  /** Apply {@link STATUTORY_RELIEFS} (exemptions set by law, not by the province). Default true. */
  statutoryReliefs?: boolean;
}

/** Options of {@link computeFees}. */
export interface FeeOptions extends FeeSettings {
  /** The instant (ISO 8601 with offset) or civil date the fee is computed for: the rules in force then apply. */
  at: string;
  /** Province tariffs ({@link defineTariffs}); entries for other procedures are ignored. */
  tariffs?: readonly TariffEntry[];
}

/** A procedure as {@link computeFees} needs it: its code, whether it is civil status, and its schedule. */
export interface FeeProcedure {
  code: string;
  civilStatus?: boolean;
  fees?: FeeSchedule | undefined;
}

const LCS = 'Luật Hộ tịch 60/2014/QH13 Điều 11';
const CIVIL_STATUS_GROUP = 'civilStatusCharges';

/**
 * Exemptions set by law for every province (Law on Civil Status 60/2014/QH13 Art. 11): birth and death
 * registration on time and the marriage of Vietnamese citizens residing in the country are free; civil-status
 * charges are waived for members of families of people with merit to the revolution, poor households and
 * people with disabilities. Confidence **medium** (DOMAIN.md §6); a new Law on Civil Status (03/2026/QH16)
 * takes effect on 2027-03-01 and may change them, so each entry is dated and can be turned off with
 * `statutoryReliefs: false`.
 *
 * `procedures` lists the procedure codes a relief applies to; `civilStatusCharges` means every `charge`
 * item of a civil-status procedure.
 *
 * @example
 * ```ts
 * import { STATUTORY_RELIEFS } from '@motcua/treasury';
 * STATUTORY_RELIEFS.find((r) => r.id === 'lcs-birth-on-time')?.legalBasis; // 'Luật Hộ tịch 60/2014/QH13 Điều 11'
 * ```
 */
export const STATUTORY_RELIEFS: readonly (FeeRelief & { procedures: readonly string[] })[] = Object.freeze(
  [
    {
      id: 'lcs-birth-on-time',
      procedures: ['1.001193'],
      conditions: ['registeredOnTime'],
      description: { vi: 'Miễn lệ phí đăng ký khai sinh đúng hạn', en: 'Birth registered on time is free' },
    },
    {
      id: 'lcs-death-on-time',
      procedures: ['1.000656'],
      conditions: ['registeredOnTime'],
      description: { vi: 'Miễn lệ phí đăng ký khai tử đúng hạn', en: 'Death registered on time is free' },
    },
    {
      id: 'lcs-marriage-domestic',
      procedures: ['1.000894'],
      conditions: [],
      description: {
        vi: 'Miễn lệ phí đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước',
        en: 'Marriage of Vietnamese citizens residing in the country is free',
      },
    },
    ...(
      [
        ['meritoriousFamily', 'người thuộc gia đình có công với cách mạng', 'families of people with merit'],
        ['poorHousehold', 'người thuộc hộ nghèo', 'poor households'],
        ['disability', 'người khuyết tật', 'people with disabilities'],
      ] as const
    ).map(([flag, vi, en]) => ({
      id: `lcs-${flag}`,
      procedures: [CIVIL_STATUS_GROUP],
      conditions: [flag],
      description: { vi: `Miễn lệ phí hộ tịch cho ${vi}`, en: `Civil-status charges waived for ${en}` },
    })),
  ].map((r) => ({ ...r, percent: 100, effectiveFrom: '2016-01-01', legalBasis: LCS })),
);

/**
 * Validates province tariffs (items and reliefs per procedure, each dated, per province and per channel,
 * with its legal basis) once, for {@link computeFees}.
 *
 * @throws ValidationError naming the entry and field at fault.
 * @example
 * ```ts
 * import { defineTariffs } from '@motcua/treasury';
 * const tariffs = defineTariffs([{
 *   procedureCode: '1.004873',
 *   items: [{ id: 'marital-status', kind: 'charge', name: { vi: 'Lệ phí xác nhận tình trạng hôn nhân' },
 *     basis: 'perCase', amount: 15000, province: '01', effectiveFrom: '2026-01-01', legalBasis: 'NQ …/HĐND' }],
 *   reliefs: [{ id: 'online-50', description: { vi: 'Giảm 50% khi nộp trực tuyến' }, percent: 50,
 *     channels: ['online'], province: '01', effectiveFrom: '2026-01-01', legalBasis: 'NQ …/HĐND' }],
 * }]);
 * ```
 */
export function defineTariffs(entries: readonly z.input<typeof TariffEntrySchema>[]): TariffEntry[] {
  return parseWith(z.array(TariffEntrySchema), entries);
}

type Dated = Pick<FeeItem, 'effectiveFrom' | 'effectiveTo' | 'province' | 'channels'>;

const applies = (e: Dated, date: string, province: string | undefined, channel: Channel) =>
  inForce(date, e.effectiveFrom, e.effectiveTo) &&
  (e.province === undefined || e.province === province) &&
  (e.channels === undefined || e.channels.includes(channel));

const specificity = (e: Dated) => (e.province ? 2 : 0) + (e.channels ? 1 : 0);

/** The most specific entry in force among those sharing an ID; two equally specific ones are a data error. */
function pick<T extends Dated & { id: string }>(
  candidates: T[],
  date: string,
  province: string | undefined,
  channel: Channel,
  what: string,
): T | undefined {
  let best: T | undefined;
  let tie = false;
  for (const c of candidates) {
    if (!applies(c, date, province, channel)) continue;
    if (!best || specificity(c) > specificity(best)) {
      best = c;
      tie = false;
    } else if (specificity(c) === specificity(best)) tie = true;
  }
  if (best && tie)
    fail(
      'fee.ambiguous',
      `Two ${what} entries "${best.id}" are in force on ${date} with the same province and channel scope`,
      `Có hai mục ${what === 'item' ? 'thu' : 'miễn giảm'} "${best.id}" cùng hiệu lực ngày ${date} với cùng phạm vi tỉnh và kênh`,
      best.id,
    );
  return best;
}

const n = (v: number) => v.toLocaleString('en');

function tieredSum(tiers: NonNullable<FeeItem['tiers']>, units: number): { sum: number; parts: string[] } {
  let sum = 0;
  const parts: string[] = [];
  for (const t of tiers) {
    if (units < t.from) break;
    const count = Math.min(units, t.to ?? units) - t.from + 1;
    sum += count * t.amount;
    parts.push(`${count} × ${n(t.amount)}`);
  }
  if (units > (tiers[tiers.length - 1]?.to ?? Number.POSITIVE_INFINITY))
    fail(
      'fee.beyond_tiers',
      `${units} units exceed the last tier (${tiers[tiers.length - 1]?.to})`,
      `${units} đơn vị vượt bậc cuối (${tiers[tiers.length - 1]?.to})`,
      'tiers',
    );
  return { sum, parts };
}

function charge(item: FeeItem, req: FeeRequest): { amount: number; quantity: number; detail: string } {
  const flat = item.amount ?? 0;
  switch (item.basis) {
    case 'fixed':
      return { amount: flat, quantity: 1, detail: n(flat) };
    case 'perCase':
      return { amount: flat * req.cases, quantity: req.cases, detail: `${req.cases} × ${n(flat)}` };
    case 'perCopy': {
      if (!item.tiers)
        return { amount: flat * req.copies, quantity: req.copies, detail: `${req.copies} × ${n(flat)}` };
      const t = tieredSum(item.tiers, req.copies);
      return { amount: t.sum, quantity: req.copies, detail: t.parts.join(' + ') };
    }
    case 'perPage': {
      let amount = 0;
      let quantity = 0;
      const details: string[] = [];
      for (const doc of req.documents) {
        const t = item.tiers
          ? tieredSum(item.tiers, doc.pages)
          : { sum: flat * doc.pages, parts: [`${doc.pages} × ${n(flat)}`] };
        const capped = item.capPerCopy !== undefined && t.sum > item.capPerCopy;
        const perCopy = capped ? item.capPerCopy! : t.sum;
        amount += perCopy * doc.copies;
        quantity += doc.pages * doc.copies;
        const inner = capped
          ? `min(${t.parts.join(' + ')}, cap ${n(item.capPerCopy!)})`
          : t.parts.join(' + ');
        details.push(`${doc.copies} × (${inner})`);
      }
      return { amount, quantity, detail: details.join(' + ') || '0' };
    }
  }
}

function reduce(base: number, percent: number, rounding: FeeSettings['reductionRounding']): number {
  // Percent in basis points keeps the arithmetic in integers.
  const bp = Math.round(percent * 100);
  const num = base * bp;
  if (rounding === 'down') return Math.floor(num / 10_000);
  if (rounding === 'nearest') return Math.floor((num + 5_000) / 10_000);
  return Math.floor((num + 9_999) / 10_000);
}

/**
 * The fees and charges of a procedure for one request, from the procedure's `FeeSchedule` (core's schema,
 * stored by the catalogue) and the province's tariffs: fixed fees, fees per case, per copy and per page with
 * tiers and a cap per copy, then exemptions and reductions (statutory ones and the province's, e.g. 50-100%
 * off for online submission). Only the rules in force at `at` apply; among entries with the same ID, the
 * most specific one (province, then channel) wins. Every line names its rule and legal basis. Money is
 * integer dong.
 *
 * @throws ValidationError for a malformed request or schedule; TreasuryError `fee.ambiguous` when two
 *   equally specific entries are in force together.
 * @example
 * ```ts
 * import { computeFees } from '@motcua/treasury';
 * import { seedCatalogue } from '@motcua/procedures';
 * const copy = seedCatalogue().get('2.000815')!; // certified copy from the original
 * const r = computeFees(copy, { channel: 'direct', documents: [{ pages: 5, copies: 2 }] }, { at: '2026-03-02T09:00:00+07:00' });
 * r.total; // 14000: 2 copies × (2 × 2,000 + 3 × 1,000)
 * r.lines[0]?.legalBasis; // 'Thông tư 226/2016/TT-BTC Điều 4'
 * ```
 */
export function computeFees(
  procedure: FeeProcedure,
  request: FeeRequestInput,
  options: FeeOptions,
): FeeComputation {
  const req = parseWith(FeeRequestSchema, request);
  const date = vnDate(options.at, 'at');
  const schedule = procedure.fees ? parseWith(FeeScheduleSchema, procedure.fees) : { items: [], reliefs: [] };
  const tariffs = (options.tariffs ?? []).filter((t) => t.procedureCode === procedure.code);
  const sourced = <T>(list: readonly T[], source: FeeLine['source']) => list.map((e) => ({ e, source }));
  const allItems = [
    ...sourced(schedule.items, 'procedure'),
    ...tariffs.flatMap((t) => sourced(t.items, 'tariff')),
  ];
  const statutory =
    options.statutoryReliefs === false
      ? []
      : STATUTORY_RELIEFS.filter(
          (r) =>
            r.procedures.includes(procedure.code) ||
            (procedure.civilStatus === true && r.procedures.includes(CIVIL_STATUS_GROUP)),
        );
  const allReliefs = [
    ...sourced(schedule.reliefs, 'procedure'),
    ...tariffs.flatMap((t) => sourced(t.reliefs, 'tariff')),
    ...sourced(statutory, 'statute'),
  ];

  const lines: FeeLine[] = [];
  const warnings: FeeWarning[] = [];
  const itemIds = [...new Set(allItems.map((x) => x.e.id))];
  const chosen: { item: FeeItem; source: FeeLine['source']; amount: number }[] = [];
  for (const id of itemIds) {
    const group = allItems.filter((x) => x.e.id === id);
    const best = pick(
      group.map((x) => x.e),
      date,
      req.province,
      req.channel,
      'item',
    );
    if (!best) continue;
    const source = group.find((x) => x.e === best)!.source;
    if (best.basis === 'perPage' && req.documents.length === 0)
      warnings.push({
        code: 'fee.no_documents',
        message: {
          en: `Item "${best.id}" is charged per page but the request lists no documents`,
          vi: `Mục "${best.id}" thu theo trang nhưng yêu cầu không có tài liệu nào`,
        },
      });
    const c = charge(best, req);
    chosen.push({ item: best, source, amount: c.amount });
    lines.push({
      type: 'item',
      ruleId: best.id,
      itemId: best.id,
      kind: best.kind,
      name: best.name,
      legalBasis: best.legalBasis,
      source,
      quantity: c.quantity,
      detail: c.detail,
      amount: c.amount,
      ...(best.budget ? { budget: best.budget } : {}),
    });
  }
  if (allItems.length > 0 && chosen.length === 0)
    warnings.push({
      code: 'fee.no_item_in_force',
      message: {
        en: `No fee item of ${procedure.code} is in force on ${date} for this province and channel: is the province tariff loaded?`,
        vi: `Không có mục thu nào của ${procedure.code} có hiệu lực ngày ${date} cho tỉnh và kênh này: đã nạp biểu phí của tỉnh chưa?`,
      },
    });

  // Reliefs: each relief ID resolves to its most specific entry in force, then applies when its conditions hold.
  const reliefIds = [...new Set(allReliefs.map((x) => x.e.id))];
  const active: { relief: FeeRelief; source: FeeLine['source'] }[] = [];
  for (const id of reliefIds) {
    const group = allReliefs.filter((x) => x.e.id === id);
    const best = pick(
      group.map((x) => x.e),
      date,
      req.province,
      req.channel,
      'relief',
    );
    if (best === undefined) continue;
    if (!best.conditions.every((c) => req.conditions.includes(c))) continue;
    active.push({ relief: best, source: group.find((x) => x.e === best)!.source });
  }
  // No schedule in the catalogue and no tariff: a total of 0 is not a confirmed exemption, unless a
  // statutory exemption of this very procedure applies.
  const exempt = active.some(
    ({ relief, source }) =>
      source === 'statute' &&
      relief.percent >= 100 &&
      (relief as { procedures?: readonly string[] }).procedures?.includes(procedure.code),
  );
  if (procedure.fees === undefined && allItems.length === 0 && !exempt)
    warnings.push({
      code: 'fee.no_schedule',
      message: {
        en: `The catalogue has no fee schedule for ${procedure.code} and no province tariff was given: the total 0 is not a confirmed exemption; load the province's tariff`,
        vi: `Danh mục không có biểu phí cho ${procedure.code} và chưa nạp biểu phí của tỉnh: tổng 0 chưa phải là miễn phí đã xác định; hãy nạp biểu phí của tỉnh`,
      },
    });
  for (const { item, amount } of chosen) {
    let applicable = active.filter(({ relief, source }) => {
      if (
        source === 'statute' &&
        (relief as { procedures?: readonly string[] }).procedures?.includes(CIVIL_STATUS_GROUP)
      )
        return item.kind === 'charge';
      return relief.items === undefined || relief.items.includes(item.id);
    });
    if (applicable.length === 0 || amount === 0) continue;
    if ((options.reliefCombination ?? 'largest') === 'largest') {
      const top = applicable.reduce((a, b) => (b.relief.percent > a.relief.percent ? b : a));
      applicable = [top];
    }
    let left = amount;
    for (const { relief, source } of applicable) {
      const off = Math.min(left, reduce(left, relief.percent, options.reductionRounding));
      if (off === 0) continue;
      left -= off;
      lines.push({
        type: 'relief',
        ruleId: relief.id,
        itemId: item.id,
        kind: item.kind,
        name: relief.description,
        legalBasis: relief.legalBasis,
        source,
        quantity: 1,
        percent: relief.percent,
        detail: `${relief.percent}% × ${n(left + off)}`,
        amount: -off,
      });
    }
  }
  const gross = lines.filter((l) => l.type === 'item').reduce((s, l) => s + l.amount, 0);
  const relief = lines.filter((l) => l.type === 'relief').reduce((s, l) => s + l.amount, 0);
  return {
    procedureCode: procedure.code,
    date,
    channel: req.channel,
    province: req.province,
    lines,
    gross,
    relief,
    total: gross + relief,
    warnings,
  };
}
