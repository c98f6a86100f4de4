import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway PostgreSQL server for tests. */
export interface TestPostgres {
  url: string;
  /** The directory of its Unix-domain socket (a URL `postgres://postgres@/db?host=<dir>&port=<port>`). */
  socketDir?: string;
  port?: number;
  /** A fresh, empty database on this server. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server but keeps its data (an outage), and starts it again. Only for a throwaway cluster. */
  pause?(): void;
  resume?(): void;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

function binDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  return undefined;
}

/**
 * Starts PostgreSQL for a test run: `MOTCUA_TEST_DATABASE_URL` when set (an existing server), otherwise a
 * new cluster in a temporary directory on 127.0.0.1 and a random port (as the `postgres` user when running
 * as root). Returns undefined, with a loud notice, only when PostgreSQL is not installed (`.ci/run`
 * installs it).
 */
export async function startTestPostgres(): Promise<TestPostgres | undefined> {
  const given = process.env.MOTCUA_TEST_DATABASE_URL;
  const adminQuery = async (url: string, text: string) => {
    const pg = await import('pg');
    const client = new (pg.default ?? pg).Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  if (given) {
    return {
      url: given,
      async createDatabase(name) {
        await adminQuery(given, `drop database if exists ${name}`);
        await adminQuery(given, `create database ${name}`);
        const u = new URL(given);
        u.pathname = `/${name}`;
        return u.toString();
      },
      stop: async () => {},
    };
  }
  const bin = binDir();
  if (!bin) {
    console.warn(
      '\n*** PostgreSQL is not installed: the PostgreSQL half of these tests is SKIPPED (run .ci/run to install it) ***\n',
    );
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'motcua-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const root = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    socketDir: dir,
    port,
    async createDatabase(name) {
      await adminQuery(url, `create database ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    pause() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    },
    resume() {
      start();
    },
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
