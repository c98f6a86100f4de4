import { describe, expect, it } from 'vitest';
import { json, serverPerTest } from '../test/server.js';
import { createHttpClient } from './client.js';
import { HttpError } from './errors.js';

const serve = serverPerTest();

describe('the OAuth2 token call when the line stays down', () => {
  it('fails with a retryable HttpError http.network after its 3 attempts (not a bare TypeError), and works once the line is back', async () => {
    let down = true;
    const s = await serve({
      '/token': (_q, res) =>
        down ? void res.destroy() : json(res, 200, { access_token: 'tok', expires_in: 300 }),
      '/data': (q, res) => json(res, 200, { auth: q.headers.authorization }),
    });
    const c = createHttpClient({
      baseUrl: s.url,
      auth: { type: 'oauth2', tokenUrl: `${s.url}token`, clientId: 'a', clientSecret: 'b' },
      retry: { limit: 0 },
    });
    const e = await c.get('data').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ code: 'http.network', status: 0, retryable: true });
    expect(c.tokens?.fetches).toBe(3);
    down = false;
    expect((await c.get<{ auth: string }>('data')).data.auth).toBe('Bearer tok');
  });
});
