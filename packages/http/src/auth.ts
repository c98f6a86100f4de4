import { HttpError } from './errors.js';

/** How a client authenticates. */
export type Auth =
  | { type: 'none' }
  | { type: 'apiKey'; header?: string; key: string }
  | { type: 'bearer'; token: string | (() => Promise<string>) }
  | {
      type: 'oauth2';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      /** Refresh this long before expiry (at most half the token's lifetime). Default 60 s. */
      refreshSkewMs?: number;
    };

interface CachedToken {
  token: string;
  expiresAt: number;
  /** When to fetch the next one: `refreshSkewMs` before expiry, or half-way through a shorter lifetime. */
  refreshAt: number;
}

/**
 * OAuth2 client credentials: the token is cached, refreshed before it expires, and however many requests
 * wait at once, only one refresh runs.
 *
 * @example
 * ```ts
 * const tokens = oauth2TokenSource({ type: 'oauth2', tokenUrl, clientId, clientSecret }, fetch);
 * const token = await tokens.get();
 * ```
 */
export function oauth2TokenSource(auth: Extract<Auth, { type: 'oauth2' }>, fetchFn: typeof fetch) {
  let cached: CachedToken | undefined;
  let inflight: Promise<CachedToken> | undefined;
  let fetches = 0;
  const skew = auth.refreshSkewMs ?? 60_000;
  // The token call is retried too (a dropped line or a 5xx): up to 3 attempts, 100 then 300 ms apart.
  const refresh = async (): Promise<CachedToken> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await refreshOnce();
      } catch (e) {
        const retryable = !(e instanceof HttpError) || e.retryable;
        if (!retryable || attempt >= 3) throw e;
        await new Promise((r) => setTimeout(r, attempt === 1 ? 100 : 300));
      }
    }
  };
  const refreshOnce = async (): Promise<CachedToken> => {
    fetches++;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      ...(auth.scope ? { scope: auth.scope } : {}),
    });
    let res: Response;
    try {
      res = await fetchFn(auth.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${btoa(`${auth.clientId}:${auth.clientSecret}`)}`,
        },
        body,
      });
    } catch (e) {
      // A dropped line is an HttpError like any other call's, worth trying again (not a bare TypeError).
      throw new HttpError(
        'http.network',
        0,
        true,
        '-',
        'the token endpoint could not be reached (network error)',
        'không kết nối được máy chủ cấp token (lỗi đường truyền)',
        e,
      );
    }
    if (!res.ok)
      throw new HttpError(
        `http.auth_${res.status}`,
        res.status,
        res.status >= 500 || res.status === 429,
        '-',
        `token endpoint answered ${res.status}`,
        `máy chủ cấp token trả về ${res.status}`,
      );
    const json = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof json.access_token !== 'string')
      throw new HttpError(
        'http.invalid_response',
        res.status,
        false,
        '-',
        'token endpoint gave no access_token',
        'máy chủ cấp token không trả access_token',
      );
    const ttl = typeof json.expires_in === 'number' ? json.expires_in * 1000 : 300_000;
    const at = Date.now();
    // A lifetime shorter than the skew (a gateway's 60 s tokens) would otherwise mean a new token per call.
    return { token: json.access_token, expiresAt: at + ttl, refreshAt: at + ttl - Math.min(skew, ttl / 2) };
  };
  return {
    /** A valid token (cached, or refreshed once for every waiter). */
    async get(): Promise<string> {
      if (cached && cached.refreshAt > Date.now()) return cached.token;
      inflight ??= refresh().finally(() => {
        inflight = undefined;
      });
      cached = await inflight;
      return cached.token;
    },
    /** Forget the cached token (after a 401). */
    invalidate(): void {
      cached = undefined;
    },
    /** How many times the token endpoint was called. */
    get fetches(): number {
      return fetches;
    },
  };
}
