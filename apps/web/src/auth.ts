import type { ValidationIssue } from '@motcua/core';
import type { Role, RoleGrant, Store, User } from '@motcua/store';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';

export const SESSION_COOKIE = 'motcua_session';

/** Who is calling, with the units they may see and act in. */
export interface Caller {
  user: User;
  /** How they authenticated: a cookie session needs the CSRF header on writes; a token does not. */
  via: 'session' | 'token';
  csrfToken?: string;
  /** Units where the caller holds a role (read), with the roles per unit. */
  unitRoles: Map<string, Set<Role>>;
  /** Units a province viewer may read. */
  readableUnits: Set<string>;
}

export type AppEnv = { Variables: { caller?: Caller; requestId: string } };

/** A problem+json (RFC 9457) response with Motcua's code and both languages. */
export function problemResponse(
  status: number,
  code: string,
  en: string,
  vi: string,
  extra: Record<string, unknown> = {},
) {
  return new Response(
    JSON.stringify({
      type: `https://motcua.dev/problems/${code}`,
      title: en,
      status,
      code,
      detail: { en, vi },
      ...extra,
    }),
    { status, headers: { 'content-type': 'application/problem+json; charset=utf-8' } },
  );
}

/**
 * The same, answered through the context, so the headers set on the way in (`x-request-id`, cookies
 * cleared...) stay on it; `headers` adds more (e.g. `retry-after`).
 *
 * @example
 * ```ts
 * return problemVia(c, 503, 'busy', 'The server is busy', 'Máy chủ đang bận', {}, { 'retry-after': '1' });
 * ```
 */
export function problemVia(
  c: Context,
  status: number,
  code: string,
  en: string,
  vi: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const r = problemResponse(status, code, en, vi, extra);
  return c.newResponse(r.body, status as 400, { ...Object.fromEntries(r.headers), ...headers });
}

/** The same, thrown: Hono answers it as it is. */
export function problem(
  status: number,
  code: string,
  en: string,
  vi: string,
  extra: Record<string, unknown> = {},
) {
  return new HTTPException(status as 400, { res: problemResponse(status, code, en, vi, extra) });
}

/** The fields of a validation failure as the API lists them: path, rule code, message. */
export const issuesOf = (issues: readonly ValidationIssue[]) =>
  issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message }));

async function callerFor(store: Store, user: User, via: Caller['via'], csrfToken?: string): Promise<Caller> {
  const unitRoles = new Map<string, Set<Role>>();
  const readableUnits = new Set<string>();
  const provinces = new Set<string>();
  for (const g of user.roles) {
    if (g.role === 'provinceViewer') provinces.add(g.provinceCode);
    else {
      const set = unitRoles.get(g.unitCode) ?? new Set<Role>();
      set.add(g.role);
      unitRoles.set(g.unitCode, set);
      readableUnits.add(g.unitCode);
    }
  }
  if (provinces.size)
    for (const u of await store.listUnits()) if (provinces.has(u.provinceCode)) readableUnits.add(u.code);
  return { user, via, unitRoles, readableUnits, ...(csrfToken ? { csrfToken } : {}) };
}

/**
 * Reads the session cookie or the bearer API token; checks CSRF on cookie-authenticated writes. A verified
 * caller is cached for `cacheMs` (default 5 s): the database stays the truth (a logout, a disabled user or a
 * changed role reaches every process within that time; the process that logs out forgets at once).
 */
export function authenticate(
  store: Store,
  cacheMs = 5000,
): MiddlewareHandler<AppEnv> & { forget(token: string): void } {
  const cache = new Map<string, { caller: Caller; until: number }>();
  const cached = async (key: string, load: () => Promise<Caller | undefined>) => {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.caller;
    const caller = await load();
    if (caller) {
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { caller, until: now + cacheMs });
    } else cache.delete(key);
    return caller;
  };
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const bearer = /^Bearer (mc_[\w-]+)$/.exec(c.req.header('authorization') ?? '');
    if (bearer) {
      const caller = await cached(`t:${bearer[1]}`, async () => {
        const user = await store.tokenUser(bearer[1]!);
        return user ? callerFor(store, user, 'token') : undefined;
      });
      if (!caller)
        throw problem(401, 'auth.invalid_token', 'The API token is not valid', 'Mã truy cập không hợp lệ');
      c.set('caller', caller);
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) {
        const caller = await cached(`s:${token}`, async () => {
          const found = await store.sessionUser(token);
          return found ? callerFor(store, found.user, 'session', found.csrfToken) : undefined;
        });
        if (caller) {
          c.set('caller', caller);
          const write = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
          if (write && c.req.header('x-csrf-token') !== caller.csrfToken)
            throw problem(
              403,
              'auth.csrf',
              'The CSRF token is missing or wrong',
              'Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF)',
            );
        }
      }
    }
    await next();
  };
  return Object.assign(middleware, { forget: (token: string) => void cache.delete(`s:${token}`) });
}

/** The caller, or 401. */
export function requireCaller(c: Context<AppEnv>): Caller {
  const caller = c.get('caller');
  if (!caller) throw problem(401, 'auth.required', 'Sign in first', 'Vui lòng đăng nhập');
  return caller;
}

/**
 * The caller may read the unit (a role in it, or a province viewer of its province). Another commune's
 * unit answers 404, not 403: its existence is not revealed.
 */
export function requireRead(c: Context<AppEnv>, unitCode: string): Caller {
  const caller = requireCaller(c);
  if (!caller.readableUnits.has(unitCode)) throw notFound();
  return caller;
}

/** The caller holds one of `roles` in the unit (403 otherwise; 404 if they cannot even read it). */
export function requireRole(c: Context<AppEnv>, unitCode: string, roles: readonly Role[]): Caller {
  const caller = requireRead(c, unitCode);
  const mine = caller.unitRoles.get(unitCode);
  if (!mine || !roles.some((r) => mine.has(r)))
    throw problem(
      403,
      'auth.role',
      `This needs one of the roles: ${roles.join(', ')}`,
      `Cần một trong các vai trò: ${roles.join(', ')}`,
    );
  return caller;
}

export const notFound = () => problem(404, 'not_found', 'Not found', 'Không tìm thấy');

/** A fixed-window rate limit per key (IP and route); answers 429 with Retry-After. */
export function rateLimit(
  perMinute: number,
  keyOf: (c: Context<AppEnv>) => string,
): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const now = Date.now();
    const key = keyOf(c);
    const w = windows.get(key);
    if (!w || now - w.start >= 60_000) windows.set(key, { start: now, count: 1 });
    else if (++w.count > perMinute) {
      c.header('retry-after', String(Math.ceil((w.start + 60_000 - now) / 1000)));
      throw problem(
        429,
        'rate_limited',
        'Too many requests, try again shortly',
        'Quá nhiều yêu cầu, vui lòng thử lại sau',
      );
    }
    if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= 60_000) windows.delete(k);
    await next();
  };
}

/**
 * The client's address for rate limits: the connection's, or behind a reverse proxy you trust
 * (`trustProxy`), the last address the proxy appended to `X-Forwarded-For`.
 */
export const clientIp = (c: Context, trustProxy = false) => {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return (
    (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
      ?.remoteAddress ?? 'unknown'
  );
};

export type { RoleGrant };
