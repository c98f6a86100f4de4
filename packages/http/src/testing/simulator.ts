import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '@motcua/core/testing';

/**
 * Bad days on demand, drawn from a seeded generator so a run repeats. Rates are shares of calls (0-1),
 * drawn in this order: drop, timeout, 5xx, 429, malformed.
 */
export interface SimulatorFaults {
  /** Added latency of every call, ms. */
  latencyMs?: number;
  /** The connection is cut: half before the call is handled, half after (the effect happened, the answer is lost). */
  dropRate?: number;
  /** The call is handled but no answer comes for `hangMs`, then the connection is cut. */
  timeoutRate?: number;
  /** How long a timed-out call hangs, ms. Default 15,000. */
  hangMs?: number;
  /** 503 with Retry-After, before the call is handled. */
  failureRate?: number;
  /** 429 with Retry-After, before the call is handled. */
  throttleRate?: number;
  /** Retry-After of the 503s and 429s, seconds. Default 1. */
  retryAfterSec?: number;
  /** The call is handled and answered 200 with a body that is not JSON. */
  malformedRate?: number;
  /** Calls allowed per second before 429 (a hard limit, not random). */
  rateLimitPerSecond?: number;
  seed?: number;
}

/** How the simulator authenticates its callers. */
export interface SimulatorAuth {
  /** OAuth2 client credentials it accepts (`client_id` → `client_secret`). Default `{ 'test-client': 'test-secret' }`. */
  clients?: Record<string, string>;
  /** Lifetime of the tokens it issues, seconds. Default 300. */
  tokenTtlSec?: number;
  /** Static API keys also accepted (header `x-api-key`), for gateways that use them. */
  apiKeys?: string[];
}

/** A call as a route handler sees it. */
export interface SimulatorRequest {
  method: string;
  path: string;
  /** Named parts of the route pattern (`/births/:id` → `{ id }`). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined when there is none). */
  body: unknown;
  rawBody: string;
  /** Who called: the OAuth2 client ID, `apiKey:<n>`, or `mtls:<subject>`. */
  caller: string;
  /** The idempotency key sent, if any. */
  idempotencyKey: string | undefined;
}

/** What a route handler answers. */
export interface SimulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type SimulatorHandler = (req: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

/** A route: method, a path pattern with `:name` parts, and its handler. */
export type SimulatorRoute = readonly [method: string, pattern: string, handler: SimulatorHandler];

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** A name for its log lines and errors. */
  name: string;
  routes: SimulatorRoute[];
  /** `false` leaves the routes open (a public endpoint). */
  auth?: SimulatorAuth | false;
  faults?: SimulatorFaults;
  /** HTTPS with client certificates (mutual TLS): PEM strings. */
  tls?: { key: string; cert: string; ca: string; requestCert?: boolean };
  /** Routes that are reachable without a token (besides the token endpoint). */
  publicPaths?: string[];
}

/** Figures a test reads after a run. */
export interface SimulatorStats {
  requests: number;
  tokensIssued: number;
  unauthorized: number;
  idempotentReplays: number;
  faults: { dropped: number; timedOut: number; failed: number; throttled: number; malformed: number };
}

/** A simulator started by {@link startSimulator}. */
export interface Simulator {
  /** Base URL, ending in `/`. */
  url: string;
  /** The OAuth2 token endpoint. */
  tokenUrl: string;
  /** The first configured client, for tests: `{ clientId, clientSecret }`. */
  client: { clientId: string; clientSecret: string };
  /** An `auth` option for `createHttpClient` that logs in as that client. */
  oauth2: { type: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string };
  stats: SimulatorStats;
  /** Change the bad days while running. */
  setFaults(faults: SimulatorFaults): void;
  /** Revoke every token issued (callers must fetch a new one). */
  revokeTokens(): void;
  close(): Promise<void>;
}

/** The seeded generator of `@motcua/core/testing`, re-exported here: the same seed gives the same faults. */
export { seededRandom };

const json = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  if (res.destroyed) return;
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(body === undefined ? undefined : JSON.stringify(body));
};

/**
 * A problem answer in the simulators' error format: `{ code, message }`.
 *
 * @example
 * ```ts
 * import { problem, startSimulator } from '@motcua/http/testing';
 * problem(409, 'birth.already_registered', 'This birth is already registered');
 * // { status: 409, body: { code: 'birth.already_registered', message: 'This birth is already registered' } }
 * const sim = await startSimulator({ name: 'things', routes: [['GET', '/things/:id', () => problem(404, 'thing.not_found', 'No such thing')]] });
 * // a client's get('things/1') then throws an HttpError: code 'http.status_404', serverCode 'thing.not_found', retryable false
 * ```
 */
export const problem = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  ({ status, body: { code, message }, ...(headers ? { headers } : {}) }) satisfies SimulatorResponse;

const compile = (pattern: string) => {
  const names: string[] = [];
  const re = new RegExp(
    `^${pattern.replace(/\/+$/, '').replace(/:(\w+)/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    })}/?$`,
  );
  return (path: string) => {
    const m = re.exec(path);
    if (!m) return undefined;
    const params: Record<string, string> = {};
    names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1]!);
    });
    return params;
  };
};

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The common body of every Motcua simulator: a real HTTP(S) server on 127.0.0.1 (random port) that issues
 * OAuth2 tokens (client credentials, `POST /oauth/token`) and rejects calls without a valid one, honours
 * idempotency keys (same key and body: the stored answer, one effect; same key, other body: 422; a refused
 * call is not remembered), injects
 * faults from a seed (latency, dropped connections before or after the effect, hangs, 503 and 429 with
 * Retry-After, malformed bodies), and with `tls` requires a client certificate (mutual TLS).
 *
 * Each package's simulator (population, civil status, portal, treasury...) adds its routes and rules.
 *
 * @example
 * ```ts
 * import { startSimulator, problem } from '@motcua/http/testing';
 * const sim = await startSimulator({
 *   name: 'echo',
 *   routes: [['POST', '/echo/:id', (req) => ({ status: 200, body: { id: req.params.id, got: req.body } })]],
 *   faults: { dropRate: 0.2, seed: 7 },
 * });
 * const client = createHttpClient({ baseUrl: sim.url, auth: sim.oauth2 });
 * await client.post('echo/1', { json: { a: 1 } });
 * await sim.close();
 * ```
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const auth = options.auth === false ? undefined : (options.auth ?? {});
  const clients = auth?.clients ?? { 'test-client': 'test-secret' };
  const ttl = auth?.tokenTtlSec ?? 300;
  const apiKeys = auth?.apiKeys ?? [];
  const tokens = new Map<string, { caller: string; expiresAt: number }>();
  let faults: SimulatorFaults = options.faults ?? {};
  let random = seededRandom(faults.seed ?? 1);
  const window: number[] = [];
  const idempotent = new Map<string, { fingerprint: string; answer: Promise<SimulatorResponse> }>();
  const routes = options.routes.map(([method, pattern, handler]) => ({
    method: method.toUpperCase(),
    match: compile(pattern),
    handler,
  }));
  const publicPaths = new Set(options.publicPaths ?? []);
  const stats: SimulatorStats = {
    requests: 0,
    tokensIssued: 0,
    unauthorized: 0,
    idempotentReplays: 0,
    faults: { dropped: 0, timedOut: 0, failed: 0, throttled: 0, malformed: 0 },
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const issueToken = (req: IncomingMessage, raw: string): SimulatorResponse => {
    const form = new URLSearchParams(raw);
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, at));
      secret = decodeURIComponent(decoded.slice(at + 1));
    }
    if (form.get('grant_type') !== 'client_credentials')
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    const expected = clients[id];
    if (expected === undefined || !safeEqual(expected, secret))
      return { status: 401, body: { error: 'invalid_client' } };
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, { caller: id, expiresAt: Date.now() + ttl * 1000 });
    stats.tokensIssued++;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl } };
  };

  const callerOf = (req: IncomingMessage): string | undefined => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (bearer) {
      const t = tokens.get(bearer[1]!);
      if (t && t.expiresAt > Date.now()) return t.caller;
      return undefined;
    }
    const key = req.headers['x-api-key'];
    if (typeof key === 'string') {
      const i = apiKeys.findIndex((k) => safeEqual(k, key));
      if (i >= 0) return `apiKey:${i}`;
    }
    return undefined;
  };

  const hang = (res: ServerResponse) => {
    stats.faults.timedOut++;
    const t = setTimeout(() => {
      timers.delete(t);
      res.destroy();
    }, faults.hangMs ?? 15_000);
    timers.add(t);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/{2,}/g, '/');
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (req.method === 'POST' && path === '/oauth/token') {
      const a = issueToken(req, raw);
      return json(res, a.status, a.body, { 'cache-control': 'no-store' });
    }
    if (faults.rateLimitPerSecond !== undefined) {
      const now = Date.now();
      while (window.length && now - window[0]! > 1000) window.shift();
      if (window.length >= faults.rateLimitPerSecond) {
        stats.faults.throttled++;
        return json(res, 429, { code: 'rate_limited', message: 'too many calls' }, { 'retry-after': '1' });
      }
      window.push(now);
    }
    let caller: string | undefined = 'anonymous';
    const peer = (req.socket as { getPeerCertificate?: () => { subject?: { CN?: string } } })
      .getPeerCertificate;
    if (options.tls && peer) caller = `mtls:${peer.call(req.socket).subject?.CN ?? '?'}`;
    if (auth && !publicPaths.has(path)) {
      const c = callerOf(req);
      if (!c) {
        stats.unauthorized++;
        return json(
          res,
          401,
          { code: 'unauthorized', message: 'a valid bearer token (or API key) is required' },
          { 'www-authenticate': 'Bearer error="invalid_token"' },
        );
      }
      caller = c;
    }
    // Faults, drawn in a fixed order so a seed repeats.
    const r = random();
    let edge = 0;
    const hit = (rate: number | undefined) => {
      edge += rate ?? 0;
      return r < edge;
    };
    const dropBefore = hit((faults.dropRate ?? 0) / 2);
    const dropAfter = !dropBefore && hit((faults.dropRate ?? 0) / 2);
    const timeout = !dropBefore && !dropAfter && hit(faults.timeoutRate);
    const failed = !dropBefore && !dropAfter && !timeout && hit(faults.failureRate);
    const throttled = !dropBefore && !dropAfter && !timeout && !failed && hit(faults.throttleRate);
    const malformed =
      !dropBefore && !dropAfter && !timeout && !failed && !throttled && hit(faults.malformedRate);
    if (dropBefore) {
      stats.faults.dropped++;
      return res.destroy();
    }
    const retryAfter = { 'retry-after': String(faults.retryAfterSec ?? 1) };
    if (failed) {
      stats.faults.failed++;
      return json(res, 503, { code: 'unavailable', message: 'the line is down' }, retryAfter);
    }
    if (throttled) {
      stats.faults.throttled++;
      return json(res, 429, { code: 'rate_limited', message: 'too many calls' }, retryAfter);
    }

    const method = (req.method ?? 'GET').toUpperCase();
    let route: (typeof routes)[number] | undefined;
    let params: Record<string, string> | undefined;
    for (const candidate of routes) {
      if (candidate.method !== method) continue;
      params = candidate.match(path);
      if (params) {
        route = candidate;
        break;
      }
    }
    let answer: SimulatorResponse;
    if (!route || !params) answer = problem(404, 'no_route', `no ${method} ${path}`);
    else {
      let body: unknown;
      let bad = false;
      if (raw.length > 0 && (req.headers['content-type'] ?? '').includes('json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          bad = true;
        }
      }
      const key = req.headers['idempotency-key'];
      const idempotencyKey = typeof key === 'string' && key.length > 0 ? key : undefined;
      const request: SimulatorRequest = {
        method,
        path,
        params,
        query: url.searchParams,
        headers: req.headers,
        body,
        rawBody: raw,
        caller,
        idempotencyKey,
      };
      if (bad) answer = problem(400, 'invalid_json', 'the body is not JSON');
      else if (idempotencyKey && method !== 'GET') {
        const slot = `${caller}\n${method} ${path}\n${idempotencyKey}`;
        const fingerprint = createHash('sha256').update(raw).digest('base64');
        const seen = idempotent.get(slot);
        if (seen && seen.fingerprint !== fingerprint)
          answer = problem(
            422,
            'idempotency_key_reused',
            'this idempotency key was used with another request body',
          );
        else if (seen) {
          stats.idempotentReplays++;
          const prior = await seen.answer;
          answer = { ...prior, headers: { ...prior.headers, 'idempotent-replay': 'true' } };
        } else {
          const pending = Promise.resolve().then(() => route.handler(request));
          idempotent.set(slot, { fingerprint, answer: pending });
          try {
            answer = await pending;
          } catch (e) {
            idempotent.delete(slot);
            throw e;
          }
          // Only effects are remembered: a refusal or a server error had none, so the same key may try again.
          if (answer.status >= 400) idempotent.delete(slot);
        }
      } else answer = await route.handler(request);
    }
    if (dropAfter) {
      stats.faults.dropped++;
      return res.destroy();
    }
    if (timeout) return hang(res);
    if (malformed && answer.status < 300) {
      stats.faults.malformed++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","data":');
      return;
    }
    return json(res, answer.status, answer.body, answer.headers);
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e: unknown) => {
        json(res, 500, {
          code: 'internal',
          message: `${options.name} simulator failed: ${e instanceof Error ? e.message : String(e)}`,
        });
      });
    });
  };
  const server = options.tls
    ? createHttpsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ca: options.tls.ca,
          requestCert: options.tls.requestCert ?? true,
          rejectUnauthorized: options.tls.requestCert ?? true,
        },
        listener,
      )
    : createHttpServer(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/`;
  const [clientId, clientSecret] = Object.entries(clients)[0] ?? ['', ''];
  return {
    url,
    tokenUrl: `${url}oauth/token`,
    client: { clientId, clientSecret },
    oauth2: { type: 'oauth2', tokenUrl: `${url}oauth/token`, clientId, clientSecret },
    stats,
    setFaults(next) {
      faults = next;
      random = seededRandom(next.seed ?? 1);
    },
    revokeTokens() {
      tokens.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  };
}
