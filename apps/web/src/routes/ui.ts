import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ChannelSchema, type DossierEvent, ProcedureCodeSchema, type ProcedureLimit } from '@motcua/core';
import { computeAppointment, DeadlineError } from '@motcua/deadlines';
import QRCode from 'qrcode';
import type { AppContext } from '../app.js';
import { type AppEnv, notFound, problem, requireRead } from '../auth.js';
import { UnitParam } from './common.js';

const dayOf = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Routes the web UI needs beyond the core API: the live appointment preview at the reception desk, QR codes
 * as SVG for the public board, and the per-day figures of the dashboard's chart.
 */
export function register(app: OpenAPIHono<AppEnv>, { store }: AppContext) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/units/{unit}/appointment-preview',
      summary: 'The appointment a dossier would get, on the unit’s calendar, before it is received',
      request: {
        params: UnitParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                procedureCode: ProcedureCodeSchema,
                channel: ChannelSchema.default('direct'),
                receivedAt: z.iso.datetime({ offset: true }).optional(),
                verification: z.boolean().optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: {
          description: 'The appointment and how it was counted',
          content: {
            'application/json': {
              schema: z.object({
                appointment: z.string(),
                countedFrom: z.string(),
                explanation: z.array(z.object({ vi: z.string(), en: z.string() })),
              }),
            },
          },
        },
        400: { description: 'Bad input' },
        404: { description: 'Not found (or another commune’s)' },
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRead(c, unit);
      const body = c.req.valid('json');
      const procedure = (await store.getProcedure(unit, body.procedureCode)) as
        | { limit: ProcedureLimit }
        | undefined;
      if (!procedure)
        throw problem(
          400,
          'validation_failed',
          'procedureCode: the unit has no such procedure',
          'procedureCode: đơn vị không có thủ tục này',
          {
            issues: [
              {
                path: 'procedureCode',
                code: 'procedure.unknown',
                message: { en: 'the unit has no such procedure', vi: 'đơn vị không có thủ tục này' },
              },
            ],
          },
        );
      try {
        const a = computeAppointment({
          receivedAt: body.receivedAt ?? new Date().toISOString(),
          limit: procedure.limit,
          channel: body.channel,
          calendar: (await store.calendarOf(unit)) as never,
          ...(body.verification ? { verification: true } : {}),
        });
        return c.json(
          {
            appointment: a.appointment,
            countedFrom: a.countedFrom,
            explanation: a.explanation.map((s) => ({ vi: s.message.vi, en: s.message.en })),
          },
          200,
        );
      } catch (e) {
        if (e instanceof DeadlineError || (e as { code?: string }).code?.startsWith('calendar'))
          throw problem(400, 'validation_failed', (e as Error).message, (e as Error).message, {
            issues: [
              {
                path: 'receivedAt',
                code: 'appointment.failed',
                message: { en: (e as Error).message, vi: (e as Error).message },
              },
            ],
          });
        throw e;
      }
    },
  );

  // The unit's name for the public board and the queue display.
  app.get('/api/public/units/:unit', async (c) => {
    const u = await store.getUnit(c.req.param('unit'));
    if (!u) throw notFound();
    return c.json({ code: u.code, name: u.name, provinceCode: u.provinceCode });
  });

  // A QR code as SVG (the public board prints one per procedure). Not under /api/public: a board shows dozens.
  app.get('/api/qr.svg', async (c) => {
    const text = c.req.query('text') ?? '';
    if (text.length === 0 || text.length > 512)
      throw problem(400, 'validation_failed', 'text: 1 to 512 characters', 'text: từ 1 đến 512 ký tự');
    const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return c.body(svg, 200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
    });
  });

  // Dossiers received and resolved per day in a period (the dashboard's chart).
  app.get('/api/units/:unit/stats/daily', async (c) => {
    const unit = c.req.param('unit');
    if (!/^\d{5}$/.test(unit)) throw notFound();
    requireRead(c, unit);
    const from = c.req.query('from') ?? dayOf(new Date(Date.now() - 30 * 86_400_000).toISOString());
    const to = c.req.query('to') ?? dayOf(new Date().toISOString());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || from > to)
      throw problem(
        400,
        'validation_failed',
        'from, to: YYYY-MM-DD, from ≤ to',
        'from, to: YYYY-MM-DD, from ≤ to',
      );
    const days = new Map<string, { day: string; received: number; resolved: number }>();
    for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
      const day = new Date(d).toISOString().slice(0, 10);
      days.set(day, { day, received: 0, resolved: 0 });
      if (days.size > 400) break;
    }
    for await (const h of store.histories([unit]))
      for (const e of h.events as readonly DossierEvent[]) {
        if (e.type !== 'received' && e.type !== 'resolved') continue;
        const row = days.get(dayOf(e.at));
        if (row) row[e.type]++;
      }
    return c.json([...days.values()]);
  });
}
