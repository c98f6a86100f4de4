import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../app.js';
import type { AppEnv } from '../auth.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Where the built client is: `dist/client` beside the bundled server, or from `src/routes` in tests. */
export function clientDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    join(here, 'client'),
    join(here, '..', 'client'),
    join(here, '..', '..', 'dist', 'client'),
  ])
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  return undefined;
}

/**
 * Serves the web client built by Vite (`npm run build` in apps/web) from the API's process: its files, and
 * index.html for every client route (anything not under /api, /docs or /openapi.json).
 */
export function register(app: OpenAPIHono<AppEnv>, _ctx: AppContext) {
  const root = clientDir();
  app.use('*', async (c, next) => {
    const path = c.req.path;
    if (
      !root ||
      (c.req.method !== 'GET' && c.req.method !== 'HEAD') ||
      path.startsWith('/api/') ||
      path === '/api' ||
      path.startsWith('/docs') ||
      path === '/openapi.json'
    )
      return next();
    const file = normalize(join(root, decodeURIComponent(path)));
    if (file.startsWith(root + sep) && extname(file) !== '') {
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile())
        return c.body((await readFile(file)) as never, 200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      if (path.startsWith('/assets/')) return next();
    }
    return c.body((await readFile(join(root, 'index.html'))) as never, 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': CSP,
    });
  });
}
