// The load test of the reference API (`npm run bench` in apps/web): 100 concurrent clients (officers of the
// three demo communes) for 60 s (LOAD_SECONDS, LOAD_CLIENTS to change), loopback only, mixing reads (work lists, dossier pages: 70%),
// intakes (20%) and lifecycle actions (10%), on the embedded PGlite and on PostgreSQL. Afterwards every
// acknowledged write is looked for in the database. LOAD_DATABASES=pglite|postgres runs one of the two;
// LOAD_NODE_ARGS passes flags to the server process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
// LOAD_PROCESSES=1,2 runs PostgreSQL with one server process, then with two sharing it (default 1). PostgreSQL is reached through its Unix-domain socket, as a
// server on the same host is; LOAD_PG_SOCKET=0 goes through TCP on 127.0.0.1 instead.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@motcua/store';
import { Pool } from 'undici';
import { startTestPostgres } from '../../../test-utils/postgres.js';
import { DEMO_PASSWORD, DEMO_UNITS } from '../src/demo.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 100);
const DATABASES = process.env.LOAD_DATABASES ?? 'pglite,postgres';
const PROCESSES = (process.env.LOAD_PROCESSES ?? '1').split(',').map(Number);
const NODE_ARGS = (process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
const applicant = { kind: 'person', person: { fullName: 'Nguyễn Văn Mẫu' } };

/**
 * CPU seconds used so far by the processes whose command name matches (Linux /proc; 0 elsewhere), to say
 * where the two cores went: the server, PostgreSQL, the clients.
 */
function cpuSeconds(match: (pid: number, comm: string) => boolean): number {
  let ticks = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of pids)
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!match(Number(pid), comm)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // the process ended meanwhile
    }
  return ticks / 100; // USER_HZ
}

/** An unexpected answer as its status and problem code (e.g. `400 validation_failed`). */
const failure = async (res: { status: number; json(): Promise<unknown> }) =>
  `${res.status} ${((await res.json().catch(() => ({}))) as { code?: string }).code ?? ''}`.trim();

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

/** A server process (as in production), its stdout read until it says where it listens. */
async function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, [...NODE_ARGS, new URL('../dist/bin.js', import.meta.url).pathname], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"url":"([^"]+)"[^\n]*"message":"listening"/.exec(buf);
      if (m) resolve(m[1]!);
      if (buf.length > 1e6) buf = buf.slice(-1000);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

async function run(label: string, databaseUrl?: string, processes = 1) {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-load-'));
  // The first process seeds the demo and runs the integrations; on PostgreSQL more processes may share the
  // database behind a load balancer (the clients take turns between them), as the README describes.
  const first = await startProcess({
    MOTCUA_DATA_DIR: dataDir,
    MOTCUA_DEMO: '1',
    MOTCUA_DEMO_DOSSIERS: '300',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const servers = [first];
  for (let i = 1; i < processes && databaseUrl; i++)
    servers.push(
      await startProcess({
        MOTCUA_DATA_DIR: mkdtempSync(join(tmpdir(), 'motcua-load-more-')),
        MOTCUA_DEMO: '0',
        DATABASE_URL: databaseUrl,
      }),
    );
  const server = { url: first.url };
  // The clients' HTTP: undici's pool, one keep-alive connection per client (as browsers hold them). fetch
  // costs several times more CPU per request, and the clients share the 2 cores with the server.
  const pools = servers.map((s) => new Pool(s.url, { connections: CLIENTS, pipelining: 1 }));
  let turn = 0;
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ) => {
    const pool = pools[turn++ % pools.length]!;
    const r = await pool.request({
      method,
      path,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.statusCode, json: () => r.body.json(), drain: () => r.body.dump() };
  };
  const login = async (username: string) => {
    const r = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    const { csrfToken } = (await r.json()) as { csrfToken: string };
    return {
      cookie: r.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': csrfToken,
      'content-type': 'application/json',
    };
  };
  // The clients are officers of the three demo communes (a commune's dossier codes number at most 9,999 a
  // day, which one commune alone would pass in a minute here): each works on their own commune's dossiers.
  const communes = await Promise.all(
    DEMO_UNITS.map(async ({ code }) => {
      const rec = await login(`tiepnhan.${code}`);
      const list = (await (
        await fetch(`${server.url}/api/units/${code}/dossiers?limit=200`, { headers: rec })
      ).json()) as { items: { id: string }[] };
      return {
        code,
        rec,
        spec: await login(`chuyenvien.${code}`),
        ids: list.items.map((d) => d.id),
        created: [] as string[],
      };
    }),
  );
  const reads: number[] = [];
  const writes: number[] = [];
  let errors = 0;
  const errorKinds = new Map<string, number>();
  const created: string[] = [];
  const events = new Map<string, number>();
  const until = Date.now() + SECONDS * 1000;
  let n = 0;
  const worker = async (w: number) => {
    const { code: unit, rec, spec, ids, created: mine } = communes[w % communes.length]!;
    while (Date.now() < until) {
      const r = (n++ * 7919 + w) % 10;
      const t = performance.now();
      try {
        if (r < 2) {
          const res = await send('POST', `/api/units/${unit}/dossiers`, rec, {
            procedureCode: '1.004873',
            channel: 'direct',
            applicant,
          });
          if (res.status !== 201) throw new Error(await failure(res));
          const { dossier } = (await res.json()) as { dossier: { id: string } };
          created.push(dossier.id);
          mine.push(dossier.id);
          ids.push(dossier.id);
          writes.push(performance.now() - t);
        } else if (r < 3 && mine.length > 0) {
          const id = mine[(n * 31) % mine.length]!;
          if (events.has(id)) continue;
          events.set(id, 0);
          const res = await send('POST', `/api/dossiers/${id}/events`, spec, {
            type: 'transferred',
            at: new Date().toISOString(),
            step: 'Thẩm định',
          });
          if (res.status !== 200) throw new Error(await failure(res));
          await res.drain();
          events.set(id, 1);
          writes.push(performance.now() - t);
        } else {
          const path =
            r < 6
              ? `/api/units/${unit}/dossiers?list=${['all', 'overdue', 'dueSoon'][r % 3]}&limit=20`
              : `/api/dossiers/${ids[(n * 13) % ids.length]}`;
          const res = await send('GET', path, rec);
          if (res.status !== 200) throw new Error(await failure(res));
          await res.drain();
          reads.push(performance.now() - t);
        }
      } catch (e) {
        errors++;
        const k = e instanceof Error ? e.message : String(e);
        errorKinds.set(k, (errorKinds.get(k) ?? 0) + 1);
      }
    }
  };
  const serverPids = new Set(servers.map((s) => s.child.pid!));
  const cpu = () => ({
    server: cpuSeconds((pid) => serverPids.has(pid)),
    postgres: cpuSeconds((_, comm) => comm === 'postgres'),
    clients: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
  });
  const cpuBefore = cpu();
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => worker(i)));
  const seconds = (Date.now() - started) / 1000;
  const cpuAfter = cpu();
  const share = (k: keyof typeof cpuBefore) =>
    `${Math.round(((cpuAfter[k] - cpuBefore[k]) / seconds) * 100)}%`;
  await Promise.all(pools.map((p) => p.close()));
  // Stop the server (SIGTERM: it finishes requests in flight), then look for every acknowledged write.
  await Promise.all(
    servers.map(
      ({ child }) =>
        new Promise<void>((r) => {
          child.on('exit', () => r());
          child.kill('SIGTERM');
        }),
    ),
  );
  const store = await openStore({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  let missing = 0;
  for (const id of created) if (!(await store.getDossier(id))) missing++;
  for (const [id, acked] of events) if (acked && (await store.events(id)).length < 2) missing++;
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  reads.sort((a, b) => a - b);
  writes.sort((a, b) => a - b);
  const total = reads.length + writes.length;
  console.log(
    `${label} ${CLIENTS} clients, ${seconds.toFixed(0)} s: ${Math.round(total / seconds)} req/s ` +
      `(reads ${Math.round(reads.length / seconds)}/s p50 ${pct(reads, 50).toFixed(1)} ms p99 ${pct(reads, 99).toFixed(1)} ms; ` +
      `writes ${Math.round(writes.length / seconds)}/s p50 ${pct(writes, 50).toFixed(1)} ms p99 ${pct(writes, 99).toFixed(1)} ms); ` +
      `errors ${errors}${errors ? ` (${[...errorKinds].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}; acknowledged writes missing afterwards: ${missing}; ` +
      `CPU (of one core): server ${share('server')}, ${databaseUrl ? `PostgreSQL ${share('postgres')}, ` : ''}clients ${share('clients')}`,
  );
}

if (DATABASES.includes('pglite')) await run('PGlite');
const pg = DATABASES.includes('postgres') ? await startTestPostgres() : undefined;
if (pg) {
  try {
    for (const processes of PROCESSES) {
      const name = `motcua_load_${processes}`;
      const tcp = await pg.createDatabase(name);
      await run(
        `PostgreSQL${process.env.LOAD_PG_SOCKET === '0' ? ' (TCP)' : ''}${processes > 1 ? `, ${processes} processes` : ''}`,
        process.env.LOAD_PG_SOCKET !== '0' && pg.socketDir
          ? `postgres://postgres@localhost/${name}?host=${encodeURIComponent(pg.socketDir)}&port=${pg.port}`
          : tcp,
        processes,
      );
    }
  } finally {
    await pg.stop();
  }
} else if (DATABASES.includes('postgres')) console.log('PostgreSQL: not installed, skipped');
