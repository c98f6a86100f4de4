// Helpers shared by the app's test files (not part of the package: nothing outside the tests imports it).
import { DEMO_PASSWORD } from './demo.js';

/** Where requests go: the app in process (`app.request`), or a running server's base URL (`fetch`). */
export type Target = { request(path: string, init?: RequestInit): Response | Promise<Response> } | string;

const send = (target: Target, path: string, init: RequestInit): Promise<Response> =>
  typeof target === 'string' ? fetch(`${target}${path}`, init) : Promise.resolve(target.request(path, init));

/** A signed-in officer: the session cookie and the CSRF header go with every call. */
export interface TestClient {
  /** The headers themselves (cookie, CSRF, JSON), for calls made by hand. */
  headers: Record<string, string>;
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown, extra?: Record<string, string>): Promise<Response>;
  put(path: string, body?: unknown): Promise<Response>;
  del(path: string): Promise<Response>;
}

/** Signs in; the HTTP status, the session cookie as set, and a client when it worked. */
export async function signIn(
  target: Target,
  username: string,
  password = DEMO_PASSWORD,
): Promise<{ status: number; setCookie?: string; client?: TestClient }> {
  const r = await send(target, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) return { status: r.status };
  const setCookie = r.headers.get('set-cookie') ?? '';
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const headers = {
    cookie: setCookie.split(';')[0]!,
    'x-csrf-token': csrfToken,
    'content-type': 'application/json',
  };
  const call = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    send(target, path, {
      method,
      headers: { ...headers, ...extra },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    status: 200,
    setCookie,
    client: {
      headers,
      get: (path) => call('GET', path),
      post: (path, body, extra) => call('POST', path, body, extra),
      put: (path, body) => call('PUT', path, body),
      del: (path) => call('DELETE', path),
    },
  };
}

/** Signs in and returns the client; throws (naming the user) when the sign-in is refused. */
export async function login(target: Target, username: string, password = DEMO_PASSWORD): Promise<TestClient> {
  const s = await signIn(target, username, password);
  if (!s.client) throw new Error(`${username}: sign-in answered ${s.status}`);
  return s.client;
}
