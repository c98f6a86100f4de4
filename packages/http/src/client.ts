import ky, { TimeoutError } from 'ky';
import { type Auth, oauth2TokenSource } from './auth.js';
import { CircuitBreaker, type CircuitOptions } from './circuit.js';
import { HttpError, retryableStatus } from './errors.js';
import { maskForLog, maskText } from './mask.js';
import { type Middleware, Pipeline, type RequestContext } from './pipeline.js';

/** Retry settings (full-jitter exponential backoff, honouring Retry-After). */
export interface RetryOptions {
  /** Attempts after the first. Default 3. */
  limit?: number;
  /** First backoff ceiling, ms. Default 200. */
  baseDelayMs?: number;
  /** Backoff cap, ms. Default 5,000. */
  maxDelayMs?: number;
  /** Longest Retry-After honoured, ms; longer gives up. Default 60,000. */
  maxRetryAfterMs?: number;
}

/** A structured logger; every value it receives is already masked. */
export interface Logger {
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  baseUrl: string;
  auth?: Auth;
  /** Timeout of one attempt, ms. Default 10,000. */
  timeoutMs?: number;
  /** Overall deadline of a call, retries included, ms. Default 30,000. */
  deadlineMs?: number;
  retry?: RetryOptions | false;
  /** Per-host circuit breaker. Default: open after 5 consecutive failures, probe after 30 s. `false` turns it off. */
  circuit?: CircuitOptions | false;
  /** A fetch implementation (e.g. one with a client certificate for mutual TLS). */
  fetch?: typeof fetch;
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  logger?: Logger;
  /** Hooks at the edges, for tracing. */
  hooks?: {
    beforeSend?: (ctx: RequestContext) => void;
    afterResponse?: (ctx: RequestContext, response: Response) => void;
  };
  /** For tests: the random source of the jitter and the sleep. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Options of one call. */
export interface CallOptions {
  json?: unknown;
  body?: RequestInit['body'];
  searchParams?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** An idempotency key; writes (POST, PATCH) get one automatically when retries are on. */
  idempotencyKey?: string;
  timeoutMs?: number;
  deadlineMs?: number;
}

/** A successful answer. */
export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
  requestId: string;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Drops the body of an answer that will not be read (one retried), freeing its connection. */
const discard = async (res: Response) => {
  try {
    await res.body?.cancel();
  } catch {
    // already read or closed
  }
};
const newId = () => globalThis.crypto.randomUUID();

function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get('retry-after');
  if (!h) return undefined;
  if (/^\d+$/.test(h.trim())) return Number(h) * 1000;
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * A client for one national system or gateway: authentication, retries with full-jitter backoff that honour
 * Retry-After (only for idempotent methods or calls with an idempotency key; writes get a key
 * automatically), a timeout per attempt and an overall deadline, a circuit breaker per host, a request ID on
 * every call, masked logs, and a named middleware pipeline (`build`, `auth`, `retry`, `audit`, `send`)
 * whose steps can be replaced.
 *
 * @example
 * ```ts
 * import { createHttpClient } from '@motcua/http';
 * const client = createHttpClient({
 *   baseUrl: 'https://lgsp.example.gov.vn/population/v1/',
 *   auth: { type: 'oauth2', tokenUrl: 'https://lgsp.example.gov.vn/token', clientId, clientSecret },
 *   timeoutMs: 5000,
 *   retry: { limit: 3 },
 * });
 * const { data } = await client.post('citizens/verify', { json: { personalId, fullName, dateOfBirth } });
 * ```
 */
export function createHttpClient(options: HttpClientOptions) {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retry = options.retry === false ? { limit: 0 } : (options.retry ?? {});
  const limit = retry.limit ?? 3;
  const baseDelay = retry.baseDelayMs ?? 200;
  const maxDelay = retry.maxDelayMs ?? 5000;
  const maxRetryAfter = retry.maxRetryAfterMs ?? 60_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const circuit =
    options.circuit === false
      ? undefined
      : new CircuitBreaker(options.circuit ?? { failures: 5, resetMs: 30_000 });
  const auth = options.auth ?? { type: 'none' };
  const tokens = auth.type === 'oauth2' ? oauth2TokenSource(auth, fetchFn) : undefined;
  const log = options.logger;

  const build: Middleware = (ctx, next) => {
    ctx.headers.set('accept', 'application/json');
    ctx.headers.set('x-request-id', ctx.requestId);
    if (ctx.json !== undefined && ctx.body === undefined) ctx.headers.set('content-type', 'application/json');
    if (!ctx.idempotencyKey && !IDEMPOTENT.has(ctx.method) && limit > 0) ctx.idempotencyKey = newId();
    if (ctx.idempotencyKey) ctx.headers.set('idempotency-key', ctx.idempotencyKey);
    return next(ctx);
  };

  const authStep: Middleware = async (ctx, next) => {
    if (auth.type === 'apiKey') ctx.headers.set(auth.header ?? 'x-api-key', auth.key);
    else if (auth.type === 'bearer')
      ctx.headers.set(
        'authorization',
        `Bearer ${typeof auth.token === 'string' ? auth.token : await auth.token()}`,
      );
    else if (tokens) {
      ctx.headers.set('authorization', `Bearer ${await tokens.get()}`);
      const res = await next(ctx);
      if (res.status !== 401) return res;
      // A token revoked early: refresh once and try again.
      await discard(res);
      tokens.invalidate();
      ctx.headers.set('authorization', `Bearer ${await tokens.get()}`);
      return next(ctx);
    }
    return next(ctx);
  };

  const retryStep: Middleware = async (ctx, next) => {
    const host = new URL(ctx.url).host;
    const canRetry = IDEMPOTENT.has(ctx.method) || ctx.idempotencyKey !== undefined;
    for (let attempt = 1; ; attempt++) {
      ctx.attempt = attempt;
      if (Date.now() >= ctx.deadline)
        throw new HttpError(
          'http.deadline',
          0,
          true,
          ctx.requestId,
          'the call ran out of time (overall deadline)',
          'hết thời hạn cho cuộc gọi',
        );
      if (circuit && !circuit.allow(host)) {
        throw new HttpError(
          'http.circuit_open',
          0,
          true,
          ctx.requestId,
          `calls to ${host} are paused after repeated failures`,
          `tạm dừng gọi ${host} sau nhiều lần lỗi liên tiếp`,
        );
      }
      let res: Response | undefined;
      let error: unknown;
      try {
        res = await next(ctx);
      } catch (e) {
        error = e;
      }
      const failed = res === undefined || res.status >= 500;
      if (circuit) {
        if (failed) circuit.failure(host);
        else circuit.success(host);
      }
      const retryable = res ? retryableStatus(res.status) : !(error instanceof HttpError) || error.retryable;
      if (!retryable || !canRetry || attempt > limit) {
        if (res) return res;
        throw error;
      }
      let delay = res ? retryAfterMs(res) : undefined;
      if (delay !== undefined && delay > maxRetryAfter) {
        if (res) return res;
        throw error;
      }
      delay ??= random() * Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      if (Date.now() + delay >= ctx.deadline) {
        if (res) return res;
        throw error;
      }
      if (res) await discard(res); // an unread body would hold its connection until collected
      log?.warn('http retry', {
        requestId: ctx.requestId,
        attempt,
        status: res?.status ?? 0,
        delayMs: Math.round(delay),
      });
      await sleep(delay);
    }
  };

  const audit: Middleware = async (ctx, next) => {
    const started = Date.now();
    log?.info('http request', {
      requestId: ctx.requestId,
      method: ctx.method,
      url: maskText(ctx.url),
      attempt: ctx.attempt,
      body: maskForLog(ctx.json),
    });
    try {
      const res = await next(ctx);
      log?.info('http response', { requestId: ctx.requestId, status: res.status, ms: Date.now() - started });
      return res;
    } catch (e) {
      log?.error('http failure', {
        requestId: ctx.requestId,
        code: (e as { code?: string }).code,
        ms: Date.now() - started,
      });
      throw e;
    }
  };

  const send: Middleware = async (ctx) => {
    options.hooks?.beforeSend?.(ctx);
    const remaining = ctx.deadline - Date.now();
    try {
      const res = await ky(ctx.url, {
        method: ctx.method,
        headers: ctx.headers,
        ...(ctx.body !== undefined
          ? { body: ctx.body }
          : ctx.json !== undefined
            ? { body: JSON.stringify(ctx.json) }
            : {}),
        timeout: Math.max(1, Math.min(ctx.timeoutMs, remaining)),
        retry: 0,
        throwHttpErrors: false,
        fetch: fetchFn,
      });
      options.hooks?.afterResponse?.(ctx, res);
      return res;
    } catch (e) {
      if (e instanceof TimeoutError)
        throw new HttpError(
          'http.timeout',
          0,
          true,
          ctx.requestId,
          `no answer within ${ctx.timeoutMs} ms`,
          `không có phản hồi trong ${ctx.timeoutMs} ms`,
          e,
        );
      throw new HttpError(
        'http.network',
        0,
        true,
        ctx.requestId,
        'the line failed (network error)',
        'lỗi đường truyền',
        e,
      );
    }
  };

  const pipeline = new Pipeline([
    ['build', build],
    ['auth', authStep],
    ['retry', retryStep],
    ['audit', audit],
    ['send', send],
  ]);

  async function request<T = unknown>(
    method: string,
    path: string,
    call: CallOptions = {},
  ): Promise<HttpResponse<T>> {
    const url = new URL(path, options.baseUrl);
    for (const [k, v] of Object.entries(call.searchParams ?? {})) url.searchParams.set(k, String(v));
    const headers = new Headers(options.headers);
    for (const [k, v] of Object.entries(call.headers ?? {})) headers.set(k, v);
    const ctx: RequestContext = {
      method: method.toUpperCase(),
      url: url.toString(),
      headers,
      requestId: newId(),
      timeoutMs: call.timeoutMs ?? options.timeoutMs ?? 10_000,
      deadline: Date.now() + (call.deadlineMs ?? options.deadlineMs ?? 30_000),
      attempt: 0,
      meta: {},
      ...(call.json !== undefined ? { json: call.json } : {}),
      ...(call.body !== undefined ? { body: call.body } : {}),
      ...(call.idempotencyKey !== undefined ? { idempotencyKey: call.idempotencyKey } : {}),
    };
    const res = await pipeline.run(ctx);
    if (!res.ok) {
      const s = res.status;
      let serverCode: string | undefined;
      if ((res.headers.get('content-type') ?? '').includes('json')) {
        try {
          const body = (await res.json()) as { code?: unknown } | null;
          if (typeof body?.code === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(body.code))
            serverCode = body.code;
        } catch {
          // no code to read
        }
      }
      throw new HttpError(
        `http.status_${s}`,
        s,
        retryableStatus(s),
        ctx.requestId,
        `the server answered ${s} ${res.statusText || ''}${serverCode ? ` (${serverCode})` : ''}`.trim(),
        `máy chủ trả về mã ${s}${serverCode ? ` (${serverCode})` : ''}`,
        undefined,
        serverCode,
      );
    }
    const type = res.headers.get('content-type') ?? '';
    let data: unknown;
    if (res.status === 204) data = undefined;
    else if (type.includes('json')) {
      try {
        data = await res.json();
      } catch (e) {
        // Retryable: a body cut on the line is worth asking again (with the same idempotency key).
        throw new HttpError(
          'http.invalid_response',
          res.status,
          true,
          ctx.requestId,
          'the server sent invalid JSON',
          'máy chủ gửi JSON không hợp lệ',
          e,
        );
      }
    } else data = await res.text();
    return { status: res.status, headers: res.headers, data: data as T, requestId: ctx.requestId };
  }

  return {
    request,
    get: <T = unknown>(path: string, call?: CallOptions) => request<T>('GET', path, call),
    post: <T = unknown>(path: string, call?: CallOptions) => request<T>('POST', path, call),
    put: <T = unknown>(path: string, call?: CallOptions) => request<T>('PUT', path, call),
    patch: <T = unknown>(path: string, call?: CallOptions) => request<T>('PATCH', path, call),
    delete: <T = unknown>(path: string, call?: CallOptions) => request<T>('DELETE', path, call),
    /** The named steps: replace, add before or after, remove. */
    pipeline,
    /** The circuit breaker (state per host), when on. */
    circuit,
    /** The OAuth2 token source, when OAuth2 is used. */
    tokens,
  };
}

/** The client made by {@link createHttpClient}. */
export type HttpClient = ReturnType<typeof createHttpClient>;
