// Smoke test of the pure packages in a browser: each package's ESM build (dist/index.js) is bundled for the
// browser with esbuild (a `node:` import or a Node-only dependency fails here), served from 127.0.0.1, and
// imported by a page in headless Chromium (Debian's `chromium`), which calls one function of each and posts
// the answers back. Chromium runs with TZ=America/New_York so an answer that leans on the machine's timezone
// shows. Needs the packages built. Skips, loudly, when no Chromium is installed (`.ci/run` installs it).
// Usage: node scripts/browser-smoke.mjs
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** One call per pure package, run in the page as `(m) => <expression>`; the answer must equal `expect`. */
const SMOKE = {
  core: { call: "m.parsePersonalId('001090000001').birthYear", expect: 1990 },
  calendar: {
    call: "m.defaultWorkCalendar.addWorkingTime('2026-02-13T10:00:00+07:00', { days: 3 })",
    expect: '2026-02-25T10:00:00+07:00',
  },
  deadlines: {
    call: "m.computeAppointment({ receivedAt: '2026-02-13T10:00:00+07:00', limit: { unit: 'workingDays', value: 3 }, channel: 'direct' }).appointment",
    expect: '2026-02-25T10:00:00+07:00',
  },
  units: { call: "m.getUnit('05152', { at: '2025-07-01' })?.fullName", expect: 'Xã Vân Sơn' },
  procedures: {
    call: "m.seedCatalogue().all().some((p) => p.code === '1.001193')",
    expect: true,
  },
};

function findChromium() {
  const { CHROMIUM } = process.env;
  for (const candidate of [CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome']) {
    if (!candidate) continue;
    const r = spawnSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' });
    if (r.status === 0) return r.stdout.trim();
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium) {
  console.log('');
  console.log(
    '*** browser-smoke: SKIPPED: no Chromium found (apt-get install chromium, or set CHROMIUM) ***',
  );
  console.log('');
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'motcua-browser-'));
const started = Date.now();
let browser;
let server;
try {
  const names = Object.keys(SMOKE);
  for (const name of names) {
    const entry = join(root, 'packages', name, 'dist/index.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build the packages first`);
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      outfile: join(work, `${name}.js`),
      logLevel: 'error',
    });
  }
  const checks = names
    .map(
      (name) => `  try {
    const m = await import('./${name}.js');
    const got = ((m) => ${SMOKE[name].call})(m);
    results.push({ name: ${JSON.stringify(name)}, got, exports: Object.keys(m).length });
  } catch (e) {
    results.push({ name: ${JSON.stringify(name)}, error: String(e && e.stack || e) });
  }`,
    )
    .join('\n');
  writeFileSync(
    join(work, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>motcua smoke</title>
<script type="module">
const results = [];
${checks}
await fetch('/result', { method: 'POST', body: JSON.stringify({ userAgent: navigator.userAgent, results }) });
</script>`,
  );

  let deliver;
  const answered = new Promise((resolve) => {
    deliver = resolve;
  });
  server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/result') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        res.end('ok');
        deliver(JSON.parse(body));
      });
      return;
    }
    const file = join(work, (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1));
    if (!file.startsWith(work) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;

  browser = spawn(
    chromium,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      `--user-data-dir=${join(work, 'profile')}`,
      url,
    ],
    // Its own process group, so that the helpers (renderers, the zygote) are killed with it at the end.
    { env: { ...process.env, TZ: 'America/New_York' }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  browser.stderr.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise((resolve) => browser.on('exit', (code) => resolve({ exited: code })));
  const timeout = new Promise((resolve) => setTimeout(() => resolve({ timedOut: true }), 90_000).unref());
  const answer = await Promise.race([answered, exited, timeout]);
  if (!answer.results) {
    throw new Error(
      `Chromium gave no answer (${JSON.stringify(answer)}); its stderr:\n${stderr.split('\n').slice(-20).join('\n')}`,
    );
  }

  let failed = 0;
  console.log(`browser-smoke: ${answer.userAgent}`);
  for (const r of answer.results) {
    const expected = SMOKE[r.name].expect;
    const ok = !r.error && r.got === expected;
    if (!ok) failed++;
    console.log(
      `${ok ? ' ok ' : 'FAIL'}  @motcua/${r.name.padEnd(11)} ${r.error ? r.error : `${JSON.stringify(r.got)}${ok ? '' : ` (expected ${JSON.stringify(expected)})`}, ${r.exports} exports`}`,
    );
  }
  if (answer.results.length !== names.length) failed++;
  console.log(
    `browser-smoke: ${names.length} packages in Chromium, ${failed} failed, ${Math.round((Date.now() - started) / 1000)} s`,
  );
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  if (browser && browser.exitCode === null) {
    const gone = new Promise((resolve) => browser.once('exit', resolve));
    browser.kill('SIGKILL');
    await gone;
  }
  // The helpers outlive the main process and kept writing the profile while it was removed (ENOTEMPTY
  // failed a CI run after the smoke test had passed): kill the whole group first.
  try {
    if (browser?.pid) process.kill(-browser.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
  server?.close();
  rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
