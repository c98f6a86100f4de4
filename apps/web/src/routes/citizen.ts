import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { maskIdentifier, safeParsePersonalId } from '@motcua/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import type { AppContext } from '../app.js';
import { type AppEnv, clientIp, problem, problemVia, rateLimit } from '../auth.js';
import type { ServerConfig } from '../config.js';
import { json, problemResponses } from './common.js';

/** The citizen's session cookie: sealed (AES-256-GCM), sent only to `/api/citizen`, never a staff session. */
export const CITIZEN_COOKIE = 'motcua_citizen';
const FLOW_COOKIE = 'motcua_citizen_flow';
const COOKIE_PATH = '/api/citizen';
const FLOW_TTL_MS = 10 * 60_000;

type CitizenConfig = NonNullable<ServerConfig['citizenSignIn']>;

/** A signed-in citizen: who the provider vouched for. Never a `Caller`: it holds no staff role. */
export interface Citizen {
  /** The 12-digit personal ID number from the provider's ID token. */
  personalId: string;
  name: string;
  /** Until when the session lasts, ms since the epoch. */
  exp: number;
}
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  exp: number;
}

/** Seals and opens small JSON values for cookies: AES-256-GCM, the purpose bound as associated data. */
function sealer(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'motcua', 'citizen-cookie-v1', 32));
  return {
    seal(purpose: string, value: object) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open<T extends { exp: number }>(purpose: string, token: string | undefined): T | undefined {
      if (!token) return undefined;
      try {
        const raw = Buffer.from(token, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(
          Buffer.from(purpose),
        );
        decipher.setAuthTag(raw.subarray(12, 28));
        const value = JSON.parse(
          Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'),
        ) as T;
        return typeof value.exp === 'number' && value.exp > Date.now() ? value : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
const loopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

const CitizenDossier = z
  .object({
    code: z.string(),
    unitCode: z.string(),
    unitName: z.string(),
    procedureName: z.string(),
    channel: z.string(),
    phase: z.string(),
    receivedAt: z.string(),
    appointment: z.string().nullable(),
    overdue: z.boolean(),
  })
  .openapi('CitizenDossier');

/**
 * Citizens' sign-in with OpenID Connect (authorization code flow with PKCE, state and nonce; the ID token's
 * signature checked against the provider's JWKS by `openid-client`) and their own dossiers. A citizen session
 * is a separate sealed cookie scoped to `/api/citizen`: it is never a staff session and passes no role check.
 * Off (404 `citizen.not_configured`) when `citizenSignIn` is not configured.
 */
export function register(app: OpenAPIHono<AppEnv>, { store, config, log }: AppContext) {
  const limit = rateLimit(config.loginRatePerMinute, (c) => `citizen:${clientIp(c, config.trustProxy)}`);
  app.use('/api/citizen/login', limit);
  app.use('/api/citizen/callback', limit);

  let discovered: { cfg: CitizenConfig; provider: Promise<oidc.Configuration> } | undefined;
  /** The provider's configuration, discovered once (again after a failure, or when the settings change). */
  const provider = (cfg: CitizenConfig) => {
    if (discovered?.cfg !== cfg) {
      const p = oidc.discovery(
        new URL(cfg.issuer),
        cfg.clientId,
        { client_secret: cfg.clientSecret },
        oidc.ClientSecretBasic(cfg.clientSecret),
        {
          timeout: 10,
          // The ID token's signature is checked against the provider's JWKS: openid-client skips that by
          // default for a token from the token endpoint (TLS vouches for the issuer), a tampered token passed.
          execute: [
            oidc.enableNonRepudiationChecks,
            ...(loopback(cfg.issuer) ? [oidc.allowInsecureRequests] : []),
          ],
        },
      );
      const entry = { cfg, provider: p };
      discovered = entry;
      p.catch(() => {
        if (discovered === entry) discovered = undefined;
      });
    }
    return discovered.provider;
  };
  const settings = () => {
    const cfg = config.citizenSignIn;
    if (!cfg)
      throw problem(
        404,
        'citizen.not_configured',
        'Citizen sign-in is not configured on this server',
        'Máy chủ này chưa cấu hình đăng nhập cho công dân',
      );
    return { cfg, seal: sealer(cfg.cookieSecret ?? cfg.clientSecret) };
  };
  const unavailable = () =>
    problem(
      503,
      'citizen.provider_unavailable',
      'The identity provider cannot be reached; try again shortly',
      'Không kết nối được hệ thống định danh điện tử; vui lòng thử lại sau',
    );
  const secure = (c: Context) =>
    new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  const redirectUrl = (c: Context, cfg: CitizenConfig) =>
    cfg.redirectUrl ?? `${config.publicUrl ?? new URL(c.req.url).origin}/api/citizen/callback`;
  /** A problem answer that also clears the flow cookie (set on the context). */
  const fail = (c: Context, status: number, code: string, en: string, vi: string) => {
    deleteCookie(c, FLOW_COOKIE, { path: COOKIE_PATH });
    return problemVia(c, status, code, en, vi);
  };
  const citizenOf = (c: Context) => {
    const { seal } = settings();
    return seal.open<Citizen>('session', getCookie(c, CITIZEN_COOKIE));
  };
  const requireCitizen = (c: Context) => {
    const citizen = citizenOf(c);
    if (!citizen)
      throw problem(
        401,
        'citizen.sign_in_required',
        'Sign in with your electronic identity first',
        'Vui lòng đăng nhập bằng định danh điện tử',
      );
    return citizen;
  };

  // Start: a redirect to the provider with PKCE (S256), state and nonce kept in a sealed short-lived cookie.
  app.get('/api/citizen/login', async (c) => {
    const { cfg, seal } = settings();
    let server: oidc.Configuration;
    try {
      server = await provider(cfg);
    } catch (e) {
      log.warn('citizen sign-in: provider discovery failed', { error: (e as Error).message });
      throw unavailable();
    }
    const requested = c.req.query('returnTo') ?? '';
    const flow: Flow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      // A path of this site only: `//host` would be another site's address.
      returnTo: /^\/(?!\/)[A-Za-z0-9/_-]{0,100}$/.test(requested) ? requested : '/my-dossiers',
      exp: Date.now() + FLOW_TTL_MS,
    };
    const to = oidc.buildAuthorizationUrl(server, {
      redirect_uri: redirectUrl(c, cfg),
      scope: cfg.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    setCookie(c, FLOW_COOKIE, seal.seal('flow', flow), {
      httpOnly: true,
      sameSite: 'Lax',
      path: COOKIE_PATH,
      secure: secure(c),
      maxAge: FLOW_TTL_MS / 1000,
    });
    return c.redirect(to.href, 302);
  });

  // The provider sends the citizen back here with a code: exchanged, the ID token checked, a session made.
  app.get('/api/citizen/callback', async (c) => {
    const { cfg, seal } = settings();
    const flow = seal.open<Flow>('flow', getCookie(c, FLOW_COOKIE));
    const query = new URL(c.req.url).searchParams;
    if (!flow)
      return fail(
        c,
        400,
        'citizen.flow_expired',
        'The sign-in has expired or was started in another browser; start again',
        'Phiên đăng nhập đã hết hạn hoặc được bắt đầu ở trình duyệt khác; vui lòng đăng nhập lại',
      );
    if (!sameText(query.get('state') ?? '', flow.state))
      return fail(
        c,
        400,
        'citizen.state_mismatch',
        'The sign-in answer does not belong to this sign-in (state mismatch); start again',
        'Kết quả đăng nhập không khớp với phiên đăng nhập này (sai tham số state); vui lòng đăng nhập lại',
      );
    if (query.get('error'))
      return fail(
        c,
        400,
        'citizen.denied',
        'The sign-in was cancelled or refused by the identity provider',
        'Đăng nhập đã bị hủy hoặc bị hệ thống định danh từ chối',
      );
    let server: oidc.Configuration;
    try {
      server = await provider(cfg);
    } catch {
      throw unavailable();
    }
    const current = new URL(redirectUrl(c, cfg));
    current.search = query.toString();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(server, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (e) {
      const err = e as Error & { code?: string; error?: string; status?: number; cause?: unknown };
      log.warn('citizen sign-in: code exchange failed', {
        error: err.message,
        code: err.code ?? null,
        oauthError: err.error ?? null,
      });
      if (err instanceof oidc.ResponseBodyError && (err.status ?? 0) >= 500) throw unavailable();
      if (err instanceof oidc.ResponseBodyError && err.error !== 'invalid_grant') {
        log.error(
          'citizen sign-in: the provider refused this server as a client (check clientId/clientSecret)',
          {
            oauthError: err.error,
          },
        );
        return fail(
          c,
          502,
          'citizen.client_refused',
          'The identity provider refused this server’s client credentials: a configuration error, tell the center',
          'Hệ thống định danh từ chối thông tin ứng dụng của máy chủ này (lỗi cấu hình); vui lòng báo Trung tâm',
        );
      }
      if (err instanceof oidc.ResponseBodyError)
        return fail(
          c,
          400,
          'citizen.code_rejected',
          'The identity provider refused the sign-in code (expired or already used); start again',
          'Hệ thống định danh từ chối mã đăng nhập (đã hết hạn hoặc đã được dùng); vui lòng đăng nhập lại',
        );
      if (!(err instanceof oidc.ClientError) || err.name === 'TypeError' || err.code === 'OAUTH_TIMEOUT')
        throw unavailable();
      return fail(
        c,
        401,
        'citizen.id_token_invalid',
        'The identity provider’s answer failed verification (ID token signature or claims)',
        'Kết quả từ hệ thống định danh không qua được kiểm tra (chữ ký hoặc thông tin của ID token)',
      );
    }
    const personalId = claims?.[cfg.personalIdClaim];
    if (typeof personalId !== 'string' || !safeParsePersonalId(personalId).ok)
      return fail(
        c,
        403,
        'citizen.no_personal_id',
        `The ID token has no valid 12-digit personal ID number in the claim "${cfg.personalIdClaim}"`,
        `ID token không có số định danh cá nhân 12 chữ số hợp lệ ở trường "${cfg.personalIdClaim}"`,
      );
    const name = typeof claims?.name === 'string' ? claims.name : '';
    const exp = Date.now() + cfg.sessionMinutes * 60_000;
    const session: Citizen = { personalId, name, exp };
    deleteCookie(c, FLOW_COOKIE, { path: COOKIE_PATH });
    setCookie(c, CITIZEN_COOKIE, seal.seal('session', session), {
      httpOnly: true,
      sameSite: 'Lax',
      path: COOKIE_PATH,
      secure: secure(c),
      maxAge: cfg.sessionMinutes * 60,
    });
    await store.audit(`citizen:${maskIdentifier(personalId)}`, 'citizen.login', null, null, {});
    return c.redirect(flow.returnTo, 302);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/citizen/me',
      summary: 'The signed-in citizen (name and masked ID number)',
      responses: {
        200: json(z.object({ name: z.string(), personalIdMasked: z.string(), expiresAt: z.string() })),
        ...problemResponses,
      },
    }),
    (c) => {
      const citizen = requireCitizen(c);
      return c.json(
        {
          name: citizen.name,
          personalIdMasked: maskIdentifier(citizen.personalId),
          expiresAt: new Date(citizen.exp).toISOString(),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/citizen/dossiers',
      summary:
        'The signed-in citizen’s own dossiers: those whose applicant’s personal ID number is theirs (each read audited)',
      responses: { 200: json(z.object({ items: z.array(CitizenDossier) })), ...problemResponses },
    }),
    async (c) => {
      const citizen = requireCitizen(c);
      const [dossiers, units] = await Promise.all([
        store.dossiersOfApplicant(citizen.personalId),
        store.listUnits(),
      ]);
      const unitName = new Map(units.map((u) => [u.code, u.name]));
      const actor = `citizen:${maskIdentifier(citizen.personalId)}`;
      for (const d of dossiers)
        await store.audit(actor, 'citizen.dossier.read', d.unitCode, d.id, {
          purpose: 'Tra cứu hồ sơ của tôi',
        });
      return c.json(
        {
          items: dossiers.map((d) => ({
            code: d.code,
            unitCode: d.unitCode,
            unitName: unitName.get(d.unitCode) ?? d.unitCode,
            procedureName: d.procedureName,
            channel: d.channel,
            phase: d.phase,
            receivedAt: d.receivedAt,
            appointment: d.appointment,
            overdue: d.overdue,
          })),
        },
        200,
      );
    },
  );

  app.post('/api/citizen/logout', (c) => {
    deleteCookie(c, CITIZEN_COOKIE, { path: COOKIE_PATH });
    deleteCookie(c, FLOW_COOKIE, { path: COOKIE_PATH });
    return c.json({ ok: true });
  });
}
