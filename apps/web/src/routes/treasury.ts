import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { toInstant } from '@motcua/calendar';
import type { UnitTreasuryConfig } from '@motcua/store';
import {
  BUDGET_CLASSIFICATIONS,
  chapterLevel,
  type ReadinessItem,
  treasuryReadiness,
} from '@motcua/treasury';
import type { AppContext } from '../app.js';
import { type AppEnv, notFound, problem, requireRole } from '../auth.js';
import { treasuryUnitConfig } from '../treasury-config.js';
import { json, problemResponses, UnitParam } from './common.js';

/** Who reads the unit's treasury configuration: its staff. Only its unit admin changes it. */
const STAFF = ['receptionist', 'specialist', 'leader', 'unitAdmin'] as const;

const vnDay = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

/** A string of `n` digits, refused with a message naming the field in both languages. */
const digits = (n: number, code: string, en: string, vi: string, example: string) =>
  z
    .string()
    .refine((v) => new RegExp(`^\\d{${n}}$`).test(v), { message: en, params: { code, vi } })
    .openapi({ pattern: `^\\d{${n}}$`, example });

const Account = z
  .object({
    /** Treasury office code (mã KBNN, SHKB), 4 digits. */
    treasuryCode: digits(
      4,
      'treasury.treasury_code',
      'the treasury office code has 4 digits',
      'mã Kho bạc (SHKB) gồm 4 chữ số',
      '0111',
    ),
    /** The account number: digits and dots, 4 to 30 characters. */
    accountNumber: z
      .string()
      .refine((v) => /^[0-9.]{4,30}$/.test(v), {
        message: 'the account number is 4 to 30 digits and dots',
        params: { code: 'treasury.account_number', vi: 'số tài khoản gồm 4 đến 30 chữ số và dấu chấm' },
      })
      .openapi({ example: '3511.1.9026740' }),
    holder: z
      .string()
      .trim()
      .refine((v) => v.length >= 1 && v.length <= 200, {
        message: 'the holder’s name is needed (at most 200 characters)',
        params: { code: 'treasury.holder', vi: 'cần tên chủ tài khoản (tối đa 200 ký tự)' },
      })
      .openapi({ example: 'UBND phường Sài Gòn' }),
  })
  .openapi('TreasuryAccount');

const ConfigBody = z
  .object({
    /** Budget chapter (Chương) of the unit's revenue: 3 digits, a commune chapter (800-989). */
    chapter: digits(3, 'treasury.chapter', 'the chapter has 3 digits', 'chương gồm 3 chữ số', '805'),
    /** Revenue-collecting agency code (mã cơ quan thu / ĐVQHNS), 7 digits. */
    collectingAgency: digits(
      7,
      'treasury.collecting_agency',
      'the collecting agency code has 7 digits',
      'mã cơ quan thu gồm 7 chữ số',
      '1234567',
    ),
    /** The unit's own treasury account; null when it has none (the province's designated one is used). */
    account: Account.nullable(),
    /** Fee item ID → budget sub-item (tiểu mục, 4 digits). */
    subItems: z
      .record(
        z.string().min(1).max(64),
        digits(4, 'treasury.sub_item', 'a sub-item has 4 digits', 'tiểu mục gồm 4 chữ số', '2716'),
      )
      .default({}),
  })
  .openapi('TreasuryConfigInput');

const Readiness = z.object({
  check: z.enum(['account', 'chapter', 'collectingAgency', 'subItems', 'classification']),
  status: z.enum(['ok', 'warning', 'missing']),
  message: z.object({ en: z.string(), vi: z.string() }),
});

const ConfigView = z
  .object({
    unitCode: z.string(),
    unitName: z.string(),
    /** True once the chapter and the collecting agency are set. */
    configured: z.boolean(),
    /** Whether a State Treasury channel is connected: remittance then comes from its answers. */
    channel: z.boolean(),
    chapter: z.string().nullable(),
    collectingAgency: z.string().nullable(),
    account: Account.nullable(),
    provinceDesignatedAccount: Account.nullable(),
    /** True when the unit has no account of its own and collects into the province's designated one. */
    usesDesignatedAccount: z.boolean(),
    subItems: z.record(z.string(), z.string()),
    /** The fee items of the unit's procedures, to give each a sub-item. */
    feeItems: z.array(
      z.object({
        itemId: z.string(),
        kind: z.enum(['fee', 'charge']),
        name: z.record(z.string(), z.string()),
      }),
    ),
    /** The budget sub-items of fees and charges in the classification in force today. */
    classification: z.object({
      id: z.string(),
      subItems: z.array(
        z.object({
          code: z.string(),
          kind: z.enum(['fee', 'charge']),
          name: z.string(),
          verified: z.boolean(),
        }),
      ),
    }),
    readiness: z.object({ ready: z.boolean(), items: z.array(Readiness) }),
    updatedAt: z.string().nullable(),
  })
  .openapi('TreasuryConfig');

const Unremitted = z
  .object({
    id: z.string(),
    dossierCode: z.string().optional(),
    method: z.enum(['counter', 'vietqr', 'platform']),
    amount: z.number(),
    paidAt: z.string().nullable(),
    receiptNumber: z.string().nullable(),
    remitBy: z.string().nullable(),
    /** Past `remitBy` at `at` and not remitted. */
    late: z.boolean(),
    treasuryStatus: z.enum(['submitted', 'credited', 'rejected']).nullable(),
    treasuryReason: z.string().nullable(),
  })
  .openapi('UnremittedPayment');

/** The fee items of a unit's procedures (their schedules), each once. */
async function feeItemsOf(ctx: AppContext, unit: string) {
  const out = new Map<string, { itemId: string; kind: 'fee' | 'charge'; name: Record<string, string> }>();
  for (const p of await ctx.store.listProcedures(unit)) {
    const items = (
      p.fees as { items?: { id: string; kind: 'fee' | 'charge'; name: Record<string, string> }[] }
    )?.items;
    for (const i of items ?? [])
      if (!out.has(i.id)) out.set(i.id, { itemId: i.id, kind: i.kind, name: i.name });
  }
  return [...out.values()].sort((a, b) => a.itemId.localeCompare(b.itemId));
}

/** The readiness report of @motcua/treasury; a unit not configured yet has its chapter and agency missing. */
function readinessOf(t: UnitTreasuryConfig, date: string, feeItems: string[]) {
  const config = treasuryUnitConfig({
    ...t,
    chapter: t.chapter ?? '800',
    collectingAgency: t.collectingAgency ?? '0000000',
  });
  let r: { ready: boolean; items: ReadinessItem[] };
  try {
    r = treasuryReadiness(config, { date, feeItems });
  } catch {
    // An account stored in another shape than `treasuryCode/accountNumber`: said as missing.
    r = treasuryReadiness(
      { ...config, account: undefined, provinceDesignatedAccount: undefined },
      { date, feeItems },
    );
  }
  const items = r.items.map((i): ReadinessItem => {
    if (i.check === 'chapter' && !t.chapter)
      return {
        check: 'chapter',
        status: 'missing',
        message: { en: 'No budget chapter set', vi: 'Chưa khai báo chương ngân sách' },
      };
    if (i.check === 'collectingAgency' && !t.collectingAgency)
      return {
        check: 'collectingAgency',
        status: 'missing',
        message: { en: 'No collecting agency code set', vi: 'Chưa khai báo mã cơ quan thu' },
      };
    return i;
  });
  return { ready: items.every((i) => i.status !== 'missing'), items };
}

/**
 * Screen 8's fee accounts (issue #15 items 6 and 9): a unit's State Treasury configuration — its budget
 * chapter, collecting agency, its own treasury account or none (then the account the province designates),
 * the sub-item of each fee item — with the readiness report of @motcua/treasury, and the unit's payments not
 * yet remitted with their deadline and treasury status. Readable by the unit's staff; only its unit admin
 * changes it. Saving sends again the unit's revenue messages that were dead for want of a configuration.
 */
export function register(app: OpenAPIHono<AppEnv>, ctx: AppContext) {
  const { store } = ctx;

  const view = async (unit: string): Promise<z.infer<typeof ConfigView>> => {
    const t = await store.fees.treasuryConfig(unit);
    if (!t) throw notFound();
    const today = vnDay(Date.now());
    const feeItems = await feeItemsOf(ctx, unit);
    const cls =
      BUDGET_CLASSIFICATIONS.find(
        (c) => c.effectiveFrom <= today && (!c.effectiveTo || today <= c.effectiveTo),
      ) ?? BUDGET_CLASSIFICATIONS.at(-1)!;
    return {
      unitCode: t.unitCode,
      unitName: t.unitName,
      configured: t.configured,
      channel: Boolean(ctx.integrations?.treasury),
      chapter: t.chapter,
      collectingAgency: t.collectingAgency,
      account: t.account,
      provinceDesignatedAccount: t.provinceDesignatedAccount,
      usesDesignatedAccount: !t.account && Boolean(t.provinceDesignatedAccount),
      subItems: t.subItems,
      feeItems,
      classification: { id: cls.id, subItems: cls.subItems.map((x) => ({ ...x })) },
      readiness: readinessOf(
        t,
        today,
        feeItems.map((i) => i.itemId),
      ),
      updatedAt: t.updatedAt,
    };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/treasury',
      summary:
        'The unit’s State Treasury configuration (chapter, collecting agency, its own account or the province’s designated one, sub-items) with its readiness',
      request: { params: UnitParam },
      responses: { 200: json(ConfigView), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRole(c, unit, STAFF);
      return c.json(await view(unit), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/units/{unit}/treasury',
      summary:
        'Set the unit’s State Treasury configuration (unit admin); each field refused names itself. Revenue messages dead for want of it are sent again',
      request: {
        params: UnitParam,
        body: { content: { 'application/json': { schema: ConfigBody } } },
      },
      responses: {
        200: json(ConfigView.extend({ resent: z.number() })),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = requireRole(c, unit, ['unitAdmin']);
      const body = c.req.valid('json');
      const current = await store.fees.treasuryConfig(unit);
      if (!current) throw notFound();
      const today = vnDay(Date.now());
      const issues: { path: string; code: string; message: { en: string; vi: string } }[] = [];
      if (chapterLevel(body.chapter, today) !== 'commune')
        issues.push({
          path: 'chapter',
          code: 'budget.chapter_level',
          message: {
            en: `chapter ${body.chapter} is not a commune chapter (800-989) on ${today}`,
            vi: `chương ${body.chapter} không phải chương cấp xã (800-989) ngày ${today}`,
          },
        });
      if (!body.account && !current.provinceDesignatedAccount)
        issues.push({
          path: 'account',
          code: 'budget.no_account',
          message: {
            en: 'the unit has no account and the province designated none: enter the unit’s account',
            vi: 'đơn vị chưa có tài khoản và tỉnh chưa chỉ định: hãy nhập tài khoản của đơn vị',
          },
        });
      const cls = BUDGET_CLASSIFICATIONS.find(
        (x) => x.effectiveFrom <= today && (!x.effectiveTo || today <= x.effectiveTo),
      );
      const kinds = new Map((await feeItemsOf(ctx, unit)).map((i) => [i.itemId, i.kind]));
      for (const [item, code] of Object.entries(body.subItems)) {
        const sub = cls?.subItems.find((s) => s.code === code);
        if (!sub)
          issues.push({
            path: `subItems.${item}`,
            code: 'budget.sub_item',
            message: {
              en: `${code} is not a fee or charge sub-item of ${cls?.id ?? 'the classification in force'}`,
              vi: `${code} không phải tiểu mục phí, lệ phí của ${cls?.id ?? 'mục lục hiện hành'}`,
            },
          });
        else if (kinds.has(item) && kinds.get(item) !== sub.kind)
          issues.push({
            path: `subItems.${item}`,
            code: 'budget.sub_item_kind',
            message: {
              en: `${code} is for a ${sub.kind}, but "${item}" is a ${kinds.get(item)}`,
              vi: `${code} dành cho ${sub.kind === 'fee' ? 'phí' : 'lệ phí'}, nhưng "${item}" là ${kinds.get(item) === 'fee' ? 'phí' : 'lệ phí'}`,
            },
          });
      }
      if (issues.length > 0)
        throw problem(
          400,
          'validation_failed',
          'The request has invalid fields',
          'Yêu cầu có trường không hợp lệ',
          {
            issues,
          },
        );
      await store.fees.setTreasuryConfig(
        unit,
        {
          chapter: body.chapter,
          collectingAgency: body.collectingAgency,
          account: body.account,
          subItems: body.subItems,
        },
        caller.user.id,
      );
      const resent = (await ctx.integrations?.resendTreasury(unit)) ?? 0;
      return c.json({ ...(await view(unit)), resent }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/treasury/unremitted',
      summary:
        'The unit’s paid payments not yet remitted to the budget: deadline (8 working hours for online payments), late or not, the State Treasury’s status',
      request: {
        params: UnitParam,
        query: z.object({ at: z.iso.datetime({ offset: true }).optional() }),
      },
      responses: {
        200: json(z.object({ at: z.string(), late: z.number(), payments: z.array(Unremitted) })),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRole(c, unit, ['receptionist', 'leader', 'unitAdmin']);
      const q = c.req.valid('query');
      const atMs = q.at ? Date.parse(q.at) : Date.now();
      const payments = (await store.fees.unremitted(unit, { withoutDeadline: true })).map((p) => ({
        id: p.id,
        ...(p.dossierCode ? { dossierCode: p.dossierCode } : {}),
        method: p.method,
        amount: p.paidAmount ?? p.amount,
        paidAt: p.paidAt,
        receiptNumber: p.receipt ? `${p.receipt.series}/${p.receipt.number}` : null,
        remitBy: p.remitBy,
        late: p.remitBy !== null && Date.parse(p.remitBy) < atMs,
        treasuryStatus: p.treasuryStatus,
        treasuryReason: p.treasuryReason,
      }));
      return c.json({ at: toInstant(atMs), late: payments.filter((p) => p.late).length, payments }, 200);
    },
  );
}
