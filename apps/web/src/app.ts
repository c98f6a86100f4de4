import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { WorkCalendarConfigSchema } from '@motcua/calendar';
import {
  ApplicantSchema,
  ChannelSchema,
  type DossierEvent,
  DossierEventSchema,
  MotcuaError,
  maskIdentifier,
  ProcedureCodeSchema,
  ValidationError,
} from '@motcua/core';
import { LifecycleError, reportCsv, reportTable, summarizeSync } from '@motcua/deadlines';
import { HttpError } from '@motcua/http';
import type { Role, Store } from '@motcua/store';
import { StoreError } from '@motcua/store';
import { deleteCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { admission } from './admission.js';

/** How far ahead of the server's clock a desk may record a dossier's received time (its own clock's drift). */
const RECEIVED_CLOCK_SKEW_MS = 5 * 60_000;

import {
  type AppEnv,
  authenticate,
  clientIp,
  issuesOf,
  notFound,
  problem,
  type problemResponse,
  problemVia,
  rateLimit,
  requireCaller,
  requireRead,
  requireRole,
  SESSION_COOKIE,
} from './auth.js';
import type { ServerConfig } from './config.js';
import { LETTERS, type LetterKind, letterPdf, receiptPdf } from './forms.js';
import type { Integrations } from './integrations.js';
import { type Logger, maskText } from './log.js';
import { register as adminDeskRoutes } from './routes/admin-desk.js';
import { register as citizenRoutes } from './routes/citizen.js';
import { Dossier, IdParam, json, Problem, problemResponses, UnitParam } from './routes/common.js';
import { register as feeRoutes } from './routes/fees.js';
import { register as signatureRoutes } from './routes/signatures.js';
import { register as staticClientRoutes } from './routes/static.js';
import { register as treasuryRoutes } from './routes/treasury.js';
import { register as uiRoutes } from './routes/ui.js';

/** Which roles may record which lifecycle event (a unit admin may record all). */
export const EVENT_ROLES: Record<DossierEvent['type'], readonly Role[]> = {
  received: ['receptionist', 'unitAdmin'],
  accepted: ['receptionist', 'unitAdmin'],
  transferred: ['receptionist', 'specialist', 'leader', 'unitAdmin'],
  supplementRequested: ['receptionist', 'specialist', 'leader', 'unitAdmin'],
  supplementReceived: ['receptionist', 'unitAdmin'],
  paused: ['specialist', 'leader', 'unitAdmin'],
  resumed: ['specialist', 'leader', 'unitAdmin'],
  extended: ['leader', 'unitAdmin'],
  resolved: ['specialist', 'leader', 'unitAdmin'],
  returned: ['receptionist', 'unitAdmin'],
  refused: ['leader', 'unitAdmin'],
  stopped: ['receptionist', 'leader', 'unitAdmin'],
  closed: ['leader', 'unitAdmin'],
  signed: ['specialist', 'leader', 'unitAdmin'],
  paid: ['receptionist', 'unitAdmin'],
  registered: ['specialist', 'leader', 'unitAdmin'],
  notified: ['receptionist', 'specialist', 'unitAdmin'],
};

const STAFF: readonly Role[] = ['receptionist', 'specialist', 'leader', 'unitAdmin'];
const IntakeBody = z
  .object({
    procedureCode: ProcedureCodeSchema,
    channel: ChannelSchema.default('direct'),
    applicant: ApplicantSchema,
    /** Default: now. An officer filing a paper dossier later gives the time it was handed in. */
    receivedAt: z.string().optional(),
    verification: z.boolean().optional(),
    /** The e-form's fields (e.g. `birth`: the civil-status registration of a birth). */
    form: z.record(z.string(), z.unknown()).optional(),
    /**
     * Assisted filing: an officer files an online dossier for a citizen who cannot (elderly, ethnic-minority
     * citizens...). Channel `online` only; recorded in the dossier's form as `assistance` and in the audit log.
     */
    assistance: z
      .object({
        reason: z.enum(['elderly', 'ethnicMinority', 'disability', 'noDevice', 'other']),
        note: z.string().trim().max(200).optional(),
      })
      .optional(),
  })
  .openapi('Intake');

/** Modules that add routes: each exports `register(app, ctx)` and is listed here. */
const extraRoutes: ((app: OpenAPIHono<AppEnv>, ctx: AppContext) => void)[] = [
  uiRoutes,
  adminDeskRoutes,
  citizenRoutes,
  signatureRoutes,
  feeRoutes,
  treasuryRoutes,
  staticClientRoutes,
];

/** Everything the app needs at run time. */
export interface AppContext {
  store: Store;
  config: ServerConfig;
  log: Logger;
  /** The national systems (absent: intake and lifecycle work without them). */
  integrations?: Integrations;
}

/**
 * The reference API: Hono with zod schemas on every route, the OpenAPI 3.1 document at `/openapi.json` and a
 * reference page at `/docs`. Authentication by session cookie (with CSRF) or API token, roles per unit,
 * another commune's dossiers answered 404, every read of personal data audited.
 *
 * @example
 * ```ts
 * import { createApp } from '@motcua/web';
 * const app = createApp({ store, config, log });
 * const res = await app.request('/api/health');
 * ```
 */
export function createApp(ctx: AppContext) {
  const { store, config, log } = ctx;
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = ValidationError.fromZod(result.error).issues;
        throw problem(
          400,
          'validation_failed',
          'The request has invalid fields',
          'Yêu cầu có trường không hợp lệ',
          {
            issues: issuesOf(issues),
          },
        );
      }
    },
  });

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    const started = performance.now();
    await next();
    log.info('request', {
      requestId,
      method: c.req.method,
      path: maskText(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      user: c.get('caller')?.user.id,
    });
  });

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // Through the context, so the headers set on the way in (x-request-id...) stay on the answer.
    const send = (...args: Parameters<typeof problemResponse>) => problemVia(c, ...args);
    if (err instanceof LifecycleError)
      return send(409, err.code, err.localized.en, err.localized.vi, { rule: err.rule });
    if (err instanceof ValidationError)
      return send(400, 'validation_failed', err.localized.en, err.localized.vi, {
        issues: issuesOf(err.issues),
      });
    if (err instanceof StoreError) return send(err.status, err.code, err.localized.en, err.localized.vi);
    // A national system's failure is not the caller's fault: 503 when worth trying again (network, timeout,
    // 5xx, circuit open), 502 when it refused the call.
    if (err instanceof HttpError)
      return send(err.retryable ? 503 : 502, err.code, err.localized.en, err.localized.vi);
    if (err instanceof MotcuaError) return send(400, err.code, err.localized.en, err.localized.vi);
    const e = err as { code?: string };
    if (e.code === 'ECONNREFUSED' || e.code === '57P01' || e.code === '08006' || e.code === '08001')
      return send(
        503,
        'database_unavailable',
        'The database is unavailable; try again shortly',
        'Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại',
      );
    log.error('unhandled', {
      requestId: c.get('requestId'),
      error: err instanceof Error ? err.message : String(err),
    });
    return send(500, 'internal', 'Something went wrong on our side', 'Có lỗi xảy ra ở máy chủ');
  });

  app.notFound(() => {
    throw notFound();
  });

  // ---- health ----
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  app.get('/api/ready', async (c) => {
    try {
      await store.ping();
      return c.json({ status: 'ready', database: store.kind });
    } catch {
      return c.json({ status: 'unavailable', database: store.kind }, 503);
    }
  });

  // ---- public ----
  const publicLimit = rateLimit(
    config.publicRatePerMinute,
    (c) => `public:${clientIp(c, config.trustProxy)}`,
  );
  app.use('/api/public/*', publicLimit);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/public/status',
      summary: 'A dossier’s status by its code and the secret on the receipt (no login)',
      request: { query: z.object({ code: z.string().min(5), secret: z.string().min(4).max(32) }) },
      responses: {
        200: json(
          z.object({
            code: z.string(),
            procedureName: z.string(),
            phase: z.string(),
            receivedAt: z.string(),
            appointment: z.string().nullable(),
            overdue: z.boolean(),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { code, secret } = c.req.valid('query');
      const s = await store.publicStatus(code, secret);
      if (!s) throw notFound();
      return c.json(s, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/public/units/{unit}/procedures',
      summary: 'The procedure board of a unit (no login)',
      request: { params: UnitParam, query: z.object({ q: z.string().optional() }) },
      responses: { 200: json(z.array(z.record(z.string(), z.unknown()))), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      if (!(await store.getUnit(unit))) throw notFound();
      return c.json(await store.listProcedures(unit, c.req.valid('query').q), 200);
    },
  );

  // ---- auth ----
  const auth = authenticate(store);
  app.use('/api/*', auth);
  // The heavy writes take turns (after sign-in, so a refused caller never waits for one).
  const writes = admission({ concurrency: config.writeConcurrency, maxWaitMs: config.writeQueueMs });
  app.on(
    'POST',
    ['/api/units/:unit/dossiers', '/api/dossiers/:id/events', '/api/dossiers/:id/documents'],
    writes,
  );
  app.use(
    '/api/auth/login',
    rateLimit(config.loginRatePerMinute, (c) => `login:${clientIp(c, config.trustProxy)}`),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in: sets an HttpOnly session cookie; returns the CSRF token for writes',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({ username: z.string().min(1), password: z.string().min(1) }),
            },
          },
        },
      },
      responses: {
        200: json(
          z.object({
            user: z.object({ id: z.string(), username: z.string(), fullName: z.string() }),
            csrfToken: z.string(),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const user = await store.authenticate(username, password);
      if (!user) {
        await store.audit('anonymous', 'auth.login_failed', null, null, {
          username: maskIdentifier(username, 2, 1),
        });
        throw problem(401, 'auth.failed', 'Wrong user name or password', 'Sai tên đăng nhập hoặc mật khẩu');
      }
      if (config.production && user.demo)
        throw problem(
          403,
          'auth.demo_user',
          'Demo users cannot sign in to a production server',
          'Tài khoản thử nghiệm không đăng nhập được máy chủ vận hành',
        );
      const s = await store.createSession(user.id, config.sessionMinutes * 60_000);
      setCookie(c, SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
        expires: s.expiresAt,
      });
      await store.audit(user.id, 'auth.login', null, null, {});
      return c.json(
        { user: { id: user.id, username: user.username, fullName: user.fullName }, csrfToken: s.csrfToken },
        200,
      );
    },
  );
  app.post('/api/auth/logout', async (c) => {
    const token = c.req.header('cookie')?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];
    if (token) {
      auth.forget(token);
      await store.deleteSession(token);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/me',
      summary: 'Who is signed in, with roles and units',
      responses: {
        200: json(
          z.object({
            id: z.string(),
            username: z.string(),
            fullName: z.string(),
            roles: z.array(z.record(z.string(), z.string())),
            units: z.array(z.string()),
            csrfToken: z.string().optional(),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const caller = requireCaller(c);
      return c.json(
        {
          id: caller.user.id,
          username: caller.user.username,
          fullName: caller.user.fullName,
          roles: caller.user.roles as Record<string, string>[],
          units: [...caller.readableUnits].sort(),
          ...(caller.csrfToken ? { csrfToken: caller.csrfToken } : {}),
        },
        200,
      );
    },
  );
  app.post('/api/tokens', async (c) => {
    const caller = requireCaller(c);
    const body = (await c.req.json().catch(() => ({}))) as { name?: unknown };
    if (typeof body.name !== 'string' || body.name.trim() === '')
      throw problem(
        400,
        'validation_failed',
        'name: a name for the token is required',
        'name: cần đặt tên cho mã truy cập',
      );
    return c.json({ token: await store.createApiToken(caller.user.id, body.name.trim()) }, 201);
  });

  // ---- units and procedures ----
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units',
      summary: 'The units the caller may read',
      responses: {
        200: json(z.array(z.object({ code: z.string(), name: z.string(), provinceCode: z.string() }))),
        ...problemResponses,
      },
    }),
    async (c) => {
      const caller = requireCaller(c);
      const units = (await store.listUnits()).filter((u) => caller.readableUnits.has(u.code));
      return c.json(
        units.map((u) => ({ code: u.code, name: u.name, provinceCode: u.provinceCode })),
        200,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/procedures',
      summary: 'Search a unit’s procedures',
      request: { params: UnitParam, query: z.object({ q: z.string().optional() }) },
      responses: { 200: json(z.array(z.record(z.string(), z.unknown()))), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRead(c, unit);
      return c.json(await store.listProcedures(unit, c.req.valid('query').q), 200);
    },
  );

  // ---- dossiers ----
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/units/{unit}/dossiers',
      summary: 'Receive a dossier: code, appointment on the unit’s calendar, lookup secret for the receipt',
      request: { params: UnitParam, body: { content: { 'application/json': { schema: IntakeBody } } } },
      responses: {
        201: json(z.object({ dossier: Dossier, lookupSecret: z.string(), receiptUrl: z.string() })),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = requireRole(c, unit, ['receptionist', 'unitAdmin']);
      const body = c.req.valid('json');
      if (body.assistance && body.channel !== 'online')
        throw problem(
          400,
          'validation_failed',
          'assistance: only an online dossier is filed with assistance',
          'assistance: chỉ hồ sơ trực tuyến mới được ghi là nộp có hỗ trợ',
          {
            issues: [
              {
                path: 'assistance',
                code: 'intake.assistance_online_only',
                message: {
                  en: 'Only an online dossier is filed with assistance',
                  vi: 'Chỉ hồ sơ trực tuyến mới được ghi là nộp có hỗ trợ',
                },
              },
            ],
          },
        );
      // A dossier cannot be received later than now (desk clocks may run a few minutes ahead of the server).
      if (body.receivedAt !== undefined && Date.parse(body.receivedAt) > Date.now() + RECEIVED_CLOCK_SKEW_MS)
        throw problem(
          400,
          'validation_failed',
          'receivedAt: a dossier cannot be received in the future',
          'receivedAt: không thể ghi thời điểm tiếp nhận hồ sơ ở tương lai',
          {
            issues: [
              {
                path: 'receivedAt',
                code: 'intake.received_in_future',
                message: {
                  en: 'The received time is in the future',
                  vi: 'Thời điểm tiếp nhận ở tương lai',
                },
              },
            ],
          },
        );
      const form = body.assistance
        ? {
            ...body.form,
            assistance: {
              ...body.assistance,
              officer: { id: caller.user.id, name: caller.user.fullName },
              at: new Date().toISOString(),
            },
          }
        : body.form;
      const [found, unitRow] = await Promise.all([
        store.getProcedure(unit, body.procedureCode),
        store.getUnit(unit),
      ]);
      const procedure = found as
        | { code: string; name: { vi: string }; limit: never; channels?: string[] }
        | undefined;
      if (!procedure)
        throw problem(
          400,
          'validation_failed',
          'procedureCode: the unit has no such procedure',
          'procedureCode: đơn vị không có thủ tục này',
          {
            issues: [
              { path: 'procedureCode', code: 'procedure.unknown', message: 'the unit has no such procedure' },
            ],
          },
        );
      if (!unitRow) throw notFound();
      const { dossier, lookupSecret } = await store.createDossier({
        unitCode: unit,
        unit: unitRow,
        procedure,
        channel: body.channel,
        applicant: body.applicant,
        ...(body.receivedAt ? { receivedAt: body.receivedAt } : {}),
        ...(body.verification ? { verification: true } : {}),
        ...(form ? { form } : {}),
        ...(c.req.header('idempotency-key')
          ? { intakeKey: c.req.header('idempotency-key')!.slice(0, 100) }
          : {}),
        actor: caller.user.id,
        ...(ctx.integrations
          ? {
              messages: ctx.integrations.messagesForIntake(
                {
                  applicant: body.applicant,
                  form: form ?? {},
                  portalId: null,
                  civilStatus: false,
                  unitName: unitRow.name,
                },
                caller.user.id,
              ),
            }
          : {}),
      });
      if (body.assistance && lookupSecret)
        await store.audit(caller.user.id, 'dossier.assisted', unit, dossier.id, {
          reason: body.assistance.reason,
        });
      return c.json(
        {
          dossier,
          lookupSecret,
          receiptUrl: `/api/dossiers/${dossier.id}/forms/receipt.pdf?secret=${lookupSecret}`,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/dossiers',
      summary:
        'Work lists: all, mine, due soon, overdue, waiting for supplement; filtered by step, procedure, channel',
      request: {
        params: UnitParam,
        query: z.object({
          list: z.enum(['all', 'mine', 'dueSoon', 'overdue', 'waitingSupplement', 'finished']).default('all'),
          step: z.string().optional(),
          procedure: ProcedureCodeSchema.optional(),
          channel: ChannelSchema.optional(),
          q: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: { 200: json(z.object({ items: z.array(Dossier), total: z.number() })), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = requireRead(c, unit);
      const q = c.req.valid('query');
      const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const result = await store.listDossiers({
        unitCodes: [unit],
        limit: q.limit,
        offset: q.offset,
        ...(q.step ? { step: q.step } : {}),
        ...(q.procedure ? { procedureCode: q.procedure } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.q ? { q: q.q } : {}),
        ...(q.list === 'mine' ? { assignedTo: caller.user.id } : {}),
        ...(q.list === 'dueSoon' ? { dueBefore: soon, overdue: false } : {}),
        ...(q.list === 'overdue' ? { overdue: true } : {}),
        ...(q.list === 'waitingSupplement' ? { phase: 'waitingSupplement' } : {}),
        ...(q.list === 'finished' ? { phase: ['resolved', 'returned', 'refused', 'stopped', 'closed'] } : {}),
      });
      return c.json(result, 200);
    },
  );

  const loadDossier = async (c: Parameters<typeof requireRead>[0], id: string) => {
    const d = await store.getDossier(id);
    if (!d) throw notFound();
    requireRead(c, d.unitCode);
    return d;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dossiers/{id}',
      summary: 'A dossier with its events and its status from the deadlines engine (no personal data)',
      request: { params: IdParam },
      responses: {
        200: json(
          z.object({
            dossier: Dossier,
            events: z.array(z.record(z.string(), z.unknown())),
            status: z.record(z.string(), z.unknown()),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const detail = await store.dossierDetail(c.req.valid('param').id);
      if (!detail) throw notFound();
      requireRead(c, detail.dossier.unitCode);
      const { dossier: d, events, status } = detail;
      return c.json(
        {
          dossier: d,
          events: events as unknown as Record<string, unknown>[],
          status: JSON.parse(JSON.stringify(status)) as Record<string, unknown>,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dossiers/{id}/applicant',
      summary: 'The applicant’s personal data (the read is written to the audit log)',
      request: {
        params: IdParam,
        query: z.object({ purpose: z.string().min(3).default('Giải quyết hồ sơ') }),
      },
      responses: { 200: json(ApplicantSchema), ...problemResponses },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      const caller = requireRole(c, d.unitCode, STAFF);
      const a = await store.dossierApplicant(d.id, caller.user.id, c.req.valid('query').purpose);
      return c.json(a as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/dossiers/{id}/events',
      summary:
        'A lifecycle action (transfer, supplement, pause, extend, resolve, return, refuse, stop...): checked against the rules, 409 naming the rule when forbidden',
      request: { params: IdParam, body: { content: { 'application/json': { schema: DossierEventSchema } } } },
      responses: {
        200: json(Dossier),
        409: {
          description: 'Forbidden by the lifecycle rules',
          content: { 'application/problem+json': { schema: Problem } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      const event = c.req.valid('json') as DossierEvent;
      const caller = requireRole(c, d.unitCode, EVENT_ROLES[event.type]);
      const recorded = {
        ...event,
        officer: event.officer ?? { id: caller.user.id, name: caller.user.fullName },
      } as DossierEvent;
      let options: Parameters<Store['appendEvent']>[3] = { unitCode: d.unitCode };
      if (ctx.integrations) {
        const [inputs, unitRow, procedure] = await Promise.all([
          store.dossierInputs(d.id),
          store.getUnit(d.unitCode),
          store.getProcedure(d.unitCode, d.procedureCode),
        ]);
        options = {
          ...options,
          messages: ctx.integrations.messagesForEvent(
            {
              dossier: d,
              applicant: inputs?.applicant,
              form: inputs?.form ?? {},
              portalId: inputs?.portalId ?? null,
              civilStatus: Boolean((procedure as { civilStatus?: boolean } | undefined)?.civilStatus),
              unitName: unitRow?.name ?? '',
            },
            recorded,
          ),
          // The applicant was read for the notices and the national systems: logged when a message is made.
          personalDataRead: { purpose: 'Thông báo và liên thông' },
        };
      }
      return c.json(await store.appendEvent(d.id, recorded, caller.user.id, options), 200);
    },
  );

  app.post('/api/dossiers/:id/documents', async (c) => {
    const d = await loadDossier(c, c.req.param('id'));
    const caller = requireRole(c, d.unitCode, ['receptionist', 'specialist', 'unitAdmin']);
    const form = await c.req.formData().catch(() => undefined);
    const file = form?.get('file');
    if (!(file instanceof File))
      throw problem(
        400,
        'validation_failed',
        'file: a multipart field "file" is required',
        'file: cần tệp đính kèm trong trường "file"',
      );
    if (file.size > 20 * 1024 * 1024)
      throw problem(400, 'validation_failed', 'file: at most 20 MiB', 'file: tối đa 20 MiB');
    const r = await store.addDocument(
      d.id,
      {
        name: file.name,
        contentType: file.type || 'application/octet-stream',
        bytes: new Uint8Array(await file.arrayBuffer()),
      },
      caller.user.id,
    );
    return c.json(r, 201);
  });
  app.get('/api/dossiers/:id/documents', async (c) => {
    const d = await loadDossier(c, c.req.param('id'));
    return c.json(await store.listDocuments(d.id));
  });

  app.get('/api/dossiers/:id/forms/receipt.pdf', async (c) => {
    const d = await loadDossier(c, c.req.param('id'));
    const caller = requireRole(c, d.unitCode, STAFF);
    const unit = (await store.getUnit(d.unitCode))!;
    const applicant = await store.dossierApplicant(d.id, caller.user.id, 'In giấy tiếp nhận');
    const secret = c.req.query('secret');
    const base = config.publicUrl ?? new URL(c.req.url).origin;
    const pdf = await receiptPdf({
      dossier: d,
      unit,
      applicantName:
        applicant?.kind === 'person'
          ? applicant.person.fullName
          : applicant?.kind === 'organization'
            ? applicant.organization.name
            : '',
      statusUrl: `${base}/status?code=${encodeURIComponent(d.code)}${secret ? `&secret=${encodeURIComponent(secret)}` : ''}`,
      officer: caller.user.fullName,
      ...(config.forms ? { layout: config.forms } : {}),
    });
    return c.body(pdf as never, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${d.code}.pdf"`,
    });
  });

  app.get('/api/dossiers/:id/forms/:form{[a-z]+\\.pdf}', async (c) => {
    const kind = c.req.param('form').replace(/\.pdf$/, '') as LetterKind;
    if (!(kind in LETTERS)) throw notFound();
    const d = await loadDossier(c, c.req.param('id'));
    const caller = requireRole(c, d.unitCode, STAFF);
    const event = [...(await store.events(d.id))].reverse().find((e) => e.event.type === LETTERS[kind].event);
    if (!event)
      throw problem(
        409,
        'form.no_event',
        `This dossier has no ${LETTERS[kind].event} event`,
        `Hồ sơ chưa có sự kiện ${LETTERS[kind].event}`,
      );
    const applicant = await store.dossierApplicant(d.id, caller.user.id, `In ${LETTERS[kind].title}`);
    const pdf = await letterPdf({
      kind,
      dossier: d,
      unit: (await store.getUnit(d.unitCode))!,
      applicantName:
        applicant?.kind === 'person'
          ? applicant.person.fullName
          : applicant?.kind === 'organization'
            ? applicant.organization.name
            : '',
      officer: caller.user.fullName,
      event: event.event as unknown as Record<string, unknown>,
      ...(config.forms ? { layout: config.forms } : {}),
    });
    return c.body(pdf as never, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${d.code}-${kind}.pdf"`,
    });
  });

  // ---- the unit's calendar ----
  app.get('/api/units/:unit/calendar', async (c) => {
    const unit = c.req.param('unit');
    requireRead(c, unit);
    return c.json((await store.getUnit(unit))!.calendar);
  });
  app.put('/api/units/:unit/calendar', async (c) => {
    const unit = c.req.param('unit');
    const caller = requireRole(c, unit, ['unitAdmin']);
    const body = await c.req.json().catch(() => undefined);
    const parsed = WorkCalendarConfigSchema.safeParse(body);
    if (!parsed.success) {
      const issues = ValidationError.fromZod(parsed.error).issues;
      throw problem(
        400,
        'validation_failed',
        'The calendar has invalid fields',
        'Lịch làm việc có trường không hợp lệ',
        {
          issues: issuesOf(issues),
        },
      );
    }
    const { moved } = await store.setUnitCalendar(unit, body as Record<string, unknown>, caller.user.id);
    return c.json({
      moved,
      message: { vi: `${moved.length} hồ sơ được dời ngày hẹn`, en: `${moved.length} appointments moved` },
    });
  });

  // ---- statistics ----
  app.get('/api/units/:unit/stats', async (c) => {
    const unit = c.req.param('unit');
    requireRead(c, unit);
    const from = c.req.query('from') ?? new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const to = c.req.query('to') ?? new Date().toISOString().slice(0, 10);
    const format = c.req.query('format') ?? 'json';
    const histories = [];
    for await (const h of store.histories([unit])) histories.push(h);
    const summary = summarizeSync(histories, {
      from,
      to,
      groupBy: 'procedure',
      calendar: await store.calendarOf(unit),
    });
    if (format === 'xlsx') {
      const { Workbook } = (await import('exceljs')).default;
      const table = reportTable(summary, 'vi');
      const wb = new Workbook();
      const ws = wb.addWorksheet('Thống kê');
      ws.addRow(['Nhóm', ...table.columns.map((col) => col.vi)]);
      for (const row of table.rows) ws.addRow([row.group, ...row.values]);
      ws.getRow(1).font = { bold: true };
      const bytes = await wb.xlsx.writeBuffer();
      return c.body(bytes as never, 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="thong-ke-${unit}-${from}-${to}.xlsx"`,
      });
    }
    if (format === 'csv')
      return c.body(reportCsv(summary, { bom: true }), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="thong-ke-${unit}-${from}-${to}.csv"`,
      });
    return c.json(summary);
  });

  // ---- queue ----
  app.post('/api/units/:unit/queue/tickets', async (c) => {
    const unit = c.req.param('unit');
    requireRole(c, unit, STAFF);
    const counter = String(((await c.req.json().catch(() => ({}))) as { counter?: unknown }).counter ?? 'A');
    return c.json(await store.takeTicket(unit, counter), 201);
  });
  app.post('/api/units/:unit/queue/call', async (c) => {
    const unit = c.req.param('unit');
    requireRole(c, unit, STAFF);
    const counter = String(((await c.req.json().catch(() => ({}))) as { counter?: unknown }).counter ?? 'A');
    const t = await store.callNext(unit, counter);
    return t ? c.json(t) : c.json({ number: null }, 200);
  });
  app.get('/api/public/units/:unit/queue', async (c) =>
    c.json(await store.queueDisplay(c.req.param('unit'))),
  );

  // ---- integrations ----
  const anyRole = (c: Parameters<typeof requireCaller>[0], roles: readonly Role[]) => {
    const caller = requireCaller(c);
    const ok = [...caller.unitRoles.values()].some((set) => roles.some((r) => set.has(r)));
    if (!ok)
      throw problem(
        403,
        'auth.role',
        `This needs one of the roles: ${roles.join(', ')}`,
        `Cần một trong các vai trò: ${roles.join(', ')}`,
      );
    return caller;
  };
  app.get('/api/integrations/health', async (c) => {
    anyRole(c, ['leader', 'unitAdmin']);
    if (!ctx.integrations) return c.json({ configured: {}, topics: [], deadLetters: [] });
    return c.json(await ctx.integrations.health());
  });
  app.post('/api/integrations/messages/:id/resend', async (c) => {
    const caller = anyRole(c, ['unitAdmin']);
    if (!ctx.integrations) throw notFound();
    try {
      await ctx.integrations.outbox.resend(c.req.param('id'));
    } catch (e) {
      if (e instanceof MotcuaError) throw problem(409, e.code, e.localized.en, e.localized.vi);
      throw e;
    }
    await store.audit(caller.user.id, 'integration.resend', null, null, { id: c.req.param('id') });
    return c.json({ ok: true });
  });
  app.post('/api/integrations/portal/poll', async (c) => {
    anyRole(c, ['receptionist', 'unitAdmin']);
    return c.json({ received: (await ctx.integrations?.pollPortal()) ?? 0 });
  });
  app.get('/api/dossiers/:id/integrations', async (c) => {
    const d = await loadDossier(c, c.req.param('id'));
    const pending = (await store.outbox.list()).filter(
      (m) => m.status !== 'delivered' && (m.orderingKey ?? '').startsWith(`${d.code}:`),
    );
    return c.json({
      systems: await store.integrations(d.id),
      pending: pending.map((m) => ({
        topic: m.topic,
        status: m.status,
        attempts: m.attempts,
        reason: m.lastError ?? null,
      })),
    });
  });

  // ---- routes added by other modules (the UI's needs, integrations): one `register(app, ctx)` per file ----
  for (const register of extraRoutes) register(app, ctx);

  // ---- the OpenAPI document and its reference page ----
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Motcua reference API',
      version: '0.1.0',
      description:
        'The one-stop back end of a commune: procedures, dossier intake and lifecycle, work lists, statistics, queue. Errors are problem+json with a stable `code` and the message in Vietnamese and English.',
    },
  });
  const swagger = (() => {
    try {
      return join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');
    } catch {
      return undefined;
    }
  })();
  app.get('/docs', (c) =>
    c.html(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Motcua API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`),
  );
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (!swagger || !/^swagger-ui(-bundle)?\.(js|css)$/.test(file)) throw notFound();
    const body = await readFile(join(swagger, file));
    return c.body(body as never, 200, {
      'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript',
      'cache-control': 'public, max-age=86400',
    });
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
