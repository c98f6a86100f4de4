import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type Figures, summarizeSync } from '@motcua/deadlines';
import type { AppContext } from '../app.js';
import { type AppEnv, notFound, problem, requireCaller } from '../auth.js';
import { json, problemResponses } from './common.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) =>
  new Date(Date.now() + 7 * 3_600_000 - n * 86_400_000).toISOString().slice(0, 10);

const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
});

/**
 * The figures of several units added up: counts summed, the indicators recomputed from their parts, the
 * average resolution time weighted by its count. The province total is then exactly the sum of the
 * communes' figures, each computed on its own commune's calendar.
 */
export function addFigures(list: readonly Figures[]): Figures {
  const sum = (f: (x: Figures) => number) => list.reduce((n, x) => n + f(x), 0);
  const avgCount = sum((x) => x.indicators.averageResolution.count);
  const weighted = (f: (x: Figures) => number | null) => {
    if (avgCount === 0) return null;
    let total = 0;
    for (const x of list) {
      const v = f(x);
      if (v !== null) total += v * x.indicators.averageResolution.count;
    }
    return total / avgCount;
  };
  return {
    handled: sum((x) => x.handled),
    carriedOver: sum((x) => x.carriedOver),
    received: {
      total: sum((x) => x.received.total),
      direct: sum((x) => x.received.direct),
      online: sum((x) => x.received.online),
      postal: sum((x) => x.received.postal),
    },
    resolved: {
      total: sum((x) => x.resolved.total),
      early: sum((x) => x.resolved.early),
      onTime: sum((x) => x.resolved.onTime),
      late: sum((x) => x.resolved.late),
    },
    inProgress: {
      total: sum((x) => x.inProgress.total),
      withinLimit: sum((x) => x.inProgress.withinLimit),
      overdue: sum((x) => x.inProgress.overdue),
    },
    waitingSupplement: sum((x) => x.waitingSupplement),
    returned: sum((x) => x.returned),
    refused: sum((x) => x.refused),
    stopped: sum((x) => x.stopped),
    closed: sum((x) => x.closed),
    indicators: {
      onTimeRate: ratio(
        sum((x) => x.indicators.onTimeRate.numerator),
        sum((x) => x.indicators.onTimeRate.denominator),
      ),
      averageResolution: {
        count: avgCount,
        workingDays: weighted((x) => x.indicators.averageResolution.workingDays),
        hours: weighted((x) => x.indicators.averageResolution.hours),
      },
      onlineShare: ratio(
        sum((x) => x.indicators.onlineShare.numerator),
        sum((x) => x.indicators.onlineShare.denominator),
      ),
      onlinePaymentShare: ratio(
        sum((x) => x.indicators.onlinePaymentShare.numerator),
        sum((x) => x.indicators.onlinePaymentShare.denominator),
      ),
    },
  };
}

/**
 * The province roll-up of the dashboard: the period's figures of each commune of a province (on the
 * commune's own calendar, as its own dashboard shows them) and their total. A province viewer reads only
 * their province; another province answers 404.
 */
export function register(app: OpenAPIHono<AppEnv>, { store }: AppContext) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/provinces/{province}/stats',
      summary: 'A province’s figures per commune and in total (province viewer of that province)',
      request: {
        params: z.object({
          province: z
            .string()
            .regex(/^\d{2}$/)
            .openapi({ param: { name: 'province', in: 'path' }, example: '25' }),
        }),
        query: z.object({ from: Day.optional(), to: Day.optional() }),
      },
      responses: {
        200: json(
          z.object({
            province: z.string(),
            period: z.object({ from: z.string(), to: z.string() }),
            units: z.array(
              z.object({ code: z.string(), name: z.string(), figures: z.record(z.string(), z.unknown()) }),
            ),
            total: z.record(z.string(), z.unknown()),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { province } = c.req.valid('param');
      const caller = requireCaller(c);
      const viewer = caller.user.roles.some(
        (g) => g.role === 'provinceViewer' && g.provinceCode === province,
      );
      if (!viewer) throw notFound();
      const q = c.req.valid('query');
      const from = q.from ?? daysAgo(29);
      const to = q.to ?? today();
      if (from > to)
        throw problem(400, 'validation_failed', 'from: after to', 'from: sau ngày to', {
          issues: [
            { path: 'from', code: 'period.inverted', message: { en: 'after “to”', vi: 'sau ngày “đến”' } },
          ],
        });
      const units = (await store.listUnits()).filter((u) => u.provinceCode === province);
      const rows = [];
      for (const u of units) {
        const histories = [];
        for await (const h of store.histories([u.code])) histories.push(h);
        const s = summarizeSync(histories, { from, to, calendar: await store.calendarOf(u.code) });
        rows.push({ code: u.code, name: u.name, figures: s.total });
      }
      const body = {
        province,
        period: { from, to },
        units: rows,
        total: addFigures(rows.map((r) => r.figures)),
      };
      return c.json(JSON.parse(JSON.stringify(body)) as never, 200);
    },
  );
}
