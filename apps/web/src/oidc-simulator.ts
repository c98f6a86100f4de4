import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { maskIdentifier } from '@motcua/core';
import { syntheticPeople } from '@motcua/core/testing';
import type { Store } from '@motcua/store';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/** A synthetic citizen the simulator lets sign in. */
export interface SimulatedCitizen {
  /** The 12-digit personal ID number (synthetic). */
  personalId: string;
  fullName: string;
}

/** A relying party registered at the simulator. */
export interface SimulatedClient {
  clientId: string;
  clientSecret: string;
  /**
   * The redirect URIs it may use, compared exactly; `'loopback'` accepts any `http://127.0.0.1:<port>/…` or
   * `http://localhost:<port>/…` URI (RFC 8252 §7.3 style, for a demo server on a port chosen at start).
   */
  redirectUris: string[] | 'loopback';
}

/** Options of {@link startOidcSimulator}. */
export interface OidcSimulatorOptions {
  citizens: SimulatedCitizen[];
  /** Default one client: `motcua-demo` / a random secret, loopback redirects. */
  clients?: SimulatedClient[];
  /** The ID token claim that carries the personal ID number. Default `personal_id` (`sub` is pairwise, opaque). */
  personalIdClaim?: string;
  /** Lifetime of an authorization code, seconds. Default 60. */
  codeTtlSec?: number;
  /** Lifetime of an ID token, seconds. Default 300. */
  idTokenTtlSec?: number;
  /** The clock, ms since the epoch (tests move it to expire codes). Default `Date.now`. */
  now?: () => number;
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
}

/** Misbehaviour on demand, for tests of the relying party. */
export interface OidcSimulatorFaults {
  /**
   * Changes the ID token's claims after it is signed, keeping the original signature (what an attacker who
   * swaps the identity in transit would send): the relying party must refuse it.
   */
  tamperIdToken?: (claims: JWTPayload) => JWTPayload;
}

/** A running simulator. */
export interface OidcSimulator {
  /** The issuer identifier (`http://127.0.0.1:<port>`), also the base of every endpoint. */
  issuer: string;
  /** The first client, for configuring the app. */
  client: SimulatedClient;
  /** The claim that carries the personal ID number. */
  personalIdClaim: string;
  citizens: readonly SimulatedCitizen[];
  /** Figures a test reads. */
  stats: { authorizations: number; tokensIssued: number; tokenRefusals: Record<string, number> };
  setFaults(faults: OidcSimulatorFaults): void;
  close(): Promise<void>;
}

interface Pending {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  nonce: string | undefined;
  challenge: string;
}
interface IssuedCode extends Pending {
  citizen: SimulatedCitizen;
  expiresAt: number;
  authTime: number;
}

const b64url = (b: Buffer) => b.toString('base64url');
const sha256b64url = (s: string) => b64url(createHash('sha256').update(s).digest());
const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function redirectAllowed(client: SimulatedClient, uri: string) {
  if (client.redirectUris !== 'loopback') return client.redirectUris.includes(uri);
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !u.hash;
  } catch {
    return false;
  }
}

/**
 * A local OpenID Connect provider standing in for the national e-ID (whose interface is not public), for the
 * demo and for tests: a real HTTP server on 127.0.0.1 with the discovery document, the JWKS (RS256), an
 * authorization endpoint showing a page of synthetic citizens to choose from, and a token endpoint that
 * checks the code (single use, short-lived), the PKCE verifier (S256 only) and the client secret. ID tokens
 * carry `iss`, `aud`, `sub` (pairwise: opaque, per client), `nonce`, `name` and the personal ID number in
 * `personalIdClaim`.
 *
 * @example
 * ```ts
 * const sim = await startOidcSimulator({ citizens: [{ personalId: '025090000001', fullName: 'Nguyễn Văn Mẫu' }] });
 * // configure the app: issuer sim.issuer, client sim.client, personal ID claim sim.personalIdClaim
 * await sim.close();
 * ```
 */
export async function startOidcSimulator(options: OidcSimulatorOptions): Promise<OidcSimulator> {
  const now = options.now ?? Date.now;
  const codeTtl = (options.codeTtlSec ?? 60) * 1000;
  const idTokenTtl = options.idTokenTtlSec ?? 300;
  const personalIdClaim = options.personalIdClaim ?? 'personal_id';
  const clients = options.clients ?? [
    {
      clientId: 'motcua-demo',
      clientSecret: randomBytes(24).toString('base64url'),
      redirectUris: 'loopback',
    },
  ];
  const citizens = [...options.citizens];
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const pending = new Map<string, Pending>();
  const codes = new Map<string, IssuedCode>();
  const stats: OidcSimulator['stats'] = { authorizations: 0, tokensIssued: 0, tokenRefusals: {} };
  let faults: OidcSimulatorFaults = {};
  let issuer = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
      .end(JSON.stringify(body));
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) => {
    stats.tokenRefusals[error] = (stats.tokenRefusals[error] ?? 0) + 1;
    send(res, status, { error, error_description: description });
  };
  const redirect = (res: ServerResponse, to: string) =>
    res.writeHead(302, { location: to, 'cache-control': 'no-store' }).end();
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 64 * 1024) {
          reject(new Error('body too large'));
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const sub = (clientId: string, personalId: string) =>
    `sim-${createHash('sha256').update(`${clientId}:${personalId}`).digest('hex').slice(0, 24)}`;

  async function idToken(code: IssuedCode) {
    const claims: JWTPayload = {
      sub: sub(code.clientId, code.citizen.personalId),
      name: code.citizen.fullName,
      [personalIdClaim]: code.citizen.personalId,
      auth_time: Math.floor(code.authTime / 1000),
      ...(code.nonce ? { nonce: code.nonce } : {}),
    };
    const iat = Math.floor(now() / 1000);
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(code.clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + idTokenTtl)
      .sign(privateKey);
    if (!faults.tamperIdToken) return jwt;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const changed = faults.tamperIdToken(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return `${header}.${b64url(Buffer.from(JSON.stringify(changed)))}.${signature}`;
  }

  function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const client = clients.find((c) => c.clientId === q.get('client_id'));
    const redirectUri = q.get('redirect_uri') ?? '';
    // Without a known client and a registered redirect URI, never redirect (an open redirector otherwise).
    if (!client || !redirectAllowed(client, redirectUri))
      return send(res, 400, {
        error: 'invalid_request',
        error_description: 'unknown client or redirect_uri',
      });
    const back = (params: Record<string, string>) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
      const state = q.get('state');
      if (state) to.searchParams.set('state', state);
      to.searchParams.set('iss', issuer);
      return redirect(res, to.href);
    };
    if (q.get('response_type') !== 'code')
      return back({ error: 'unsupported_response_type', error_description: 'only the code flow' });
    if (!(q.get('scope') ?? '').split(' ').includes('openid'))
      return back({ error: 'invalid_scope', error_description: 'openid scope required' });
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256')
      return back({ error: 'invalid_request', error_description: 'PKCE with S256 is required' });
    const txn = randomBytes(16).toString('base64url');
    pending.set(txn, {
      clientId: client.clientId,
      redirectUri,
      state: q.get('state') ?? undefined,
      nonce: q.get('nonce') ?? undefined,
      challenge,
    });
    setTimeout(() => pending.delete(txn), 10 * 60_000).unref();
    const rows = citizens
      .map(
        (c, i) =>
          `<li><a href="/authorize/approve?txn=${txn}&amp;citizen=${i}">${escapeHtml(c.fullName)}</a> <small>(${escapeHtml(maskIdentifier(c.personalId))})</small></li>`,
      )
      .join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Định danh điện tử (mô phỏng)</title></head>
<body><h1>Định danh điện tử — trình mô phỏng</h1>
<p>Đây là máy chủ mô phỏng để chạy thử, không phải hệ thống định danh quốc gia. Chọn một công dân (dữ liệu giả lập) để đăng nhập:</p>
<ul>${rows}</ul>
<p><a href="/authorize/deny?txn=${txn}">Hủy / Cancel</a></p></body></html>`,
    );
  }

  function approve(url: URL, res: ServerResponse, deny: boolean) {
    const txn = url.searchParams.get('txn') ?? '';
    const p = pending.get(txn);
    if (!p)
      return send(res, 400, { error: 'invalid_request', error_description: 'unknown or used transaction' });
    pending.delete(txn);
    const to = new URL(p.redirectUri);
    if (p.state) to.searchParams.set('state', p.state);
    to.searchParams.set('iss', issuer);
    const citizen = citizens[Number(url.searchParams.get('citizen'))];
    if (deny || !citizen) {
      to.searchParams.set('error', 'access_denied');
      return redirect(res, to.href);
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { ...p, citizen, expiresAt: now() + codeTtl, authTime: now() });
    setTimeout(() => codes.delete(code), codeTtl + 60_000).unref();
    stats.authorizations++;
    to.searchParams.set('code', code);
    return redirect(res, to.href);
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req));
    // Client authentication: client_secret_basic or client_secret_post.
    let clientId = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' '));
    }
    const client = clients.find((c) => c.clientId === clientId);
    if (!client || !safeEqual(secret, client.clientSecret))
      return oauthError(res, 401, 'invalid_client', 'client authentication failed');
    if (form.get('grant_type') !== 'authorization_code')
      return oauthError(res, 400, 'unsupported_grant_type', 'only authorization_code');
    const value = form.get('code') ?? '';
    const code = codes.get(value);
    // Single use: the first presentation consumes the code, whatever follows.
    codes.delete(value);
    if (!code) return oauthError(res, 400, 'invalid_grant', 'unknown or already used code');
    if (code.expiresAt <= now()) return oauthError(res, 400, 'invalid_grant', 'the code has expired');
    if (code.clientId !== client.clientId)
      return oauthError(res, 400, 'invalid_grant', 'the code was issued to another client');
    if (form.get('redirect_uri') !== code.redirectUri)
      return oauthError(res, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !safeEqual(sha256b64url(verifier), code.challenge))
      return oauthError(res, 400, 'invalid_grant', 'PKCE verification failed');
    stats.tokensIssued++;
    return send(res, 200, {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: await idToken(code),
      scope: 'openid',
    });
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      switch (route) {
        case 'GET /.well-known/openid-configuration':
          return send(res, 200, {
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            response_types_supported: ['code'],
            grant_types_supported: ['authorization_code'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
            code_challenge_methods_supported: ['S256'],
            scopes_supported: ['openid', 'profile'],
            claims_supported: ['sub', 'name', personalIdClaim],
            authorization_response_iss_parameter_supported: true,
          });
        case 'GET /jwks':
          return send(res, 200, { keys: [jwk] }, { 'content-type': 'application/jwk-set+json' });
        case 'GET /authorize':
          return authorize(url, res);
        case 'GET /authorize/approve':
          return approve(url, res, false);
        case 'GET /authorize/deny':
          return approve(url, res, true);
        case 'POST /token':
          return token(req, res);
        default:
          return send(res, 404, { error: 'not_found' });
      }
    };
    handle().catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'server_error' });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    client: clients[0]!,
    personalIdClaim,
    citizens,
    stats,
    setFaults(f) {
      faults = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/**
 * Demo mode: the OIDC simulator with synthetic citizens who have dossiers in the demo data (the demo's
 * applicants come from the same seeded generator), and one who has none.
 *
 * @example
 * ```ts
 * const sim = await startDemoCitizenSignIn(store);
 * console.log(sim.citizens.map((c) => c.fullName));
 * ```
 */
export async function startDemoCitizenSignIn(
  store: Store,
  options: { seed?: number; citizens?: number } = {},
): Promise<OidcSimulator> {
  const people = syntheticPeople({ seed: options.seed ?? 2025, fromYear: 1950, toYear: 2006 });
  const want = options.citizens ?? 6;
  const citizens: SimulatedCitizen[] = [];
  for (let i = 0; i < 200 && citizens.length < want; i++) {
    const p = people.next().value;
    if ((await store.dossiersOfApplicant(p.personalId, 1)).length > 0)
      citizens.push({ personalId: p.personalId, fullName: p.fullName });
  }
  const stranger = syntheticPeople({ seed: (options.seed ?? 2025) + 1, fromYear: 1960, toYear: 2000 }).next()
    .value;
  citizens.push({ personalId: stranger.personalId, fullName: stranger.fullName });
  return startOidcSimulator({ citizens });
}
