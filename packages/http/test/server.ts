import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse, n: number) => void | Promise<void>;

/** A scripted HTTP server on 127.0.0.1 for the tests: each route answers by its handler; every request is recorded. */
export async function testServer(
  routes: Record<string, Handler>,
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const s = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      seen.push(s);
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const h = routes[path];
      if (!h) {
        res.writeHead(404).end();
        return;
      }
      try {
        await h(s, res, n);
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

/** `serve(routes)`: a {@link testServer} that is closed after each test of the file calling this. */
export function serverPerTest(): (routes: Record<string, Handler>) => ReturnType<typeof testServer> {
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (routes) => {
    const s = await testServer(routes);
    servers.push(s);
    return s;
  };
}

/** Client options that retry without waiting (the jitter at its midpoint). */
export const noSleep = { sleep: async () => {}, random: () => 0.5 };
