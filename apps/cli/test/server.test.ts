import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run.js';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;
const run = (env: Record<string, string>, args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...env },
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('motcua admin and serve (the reference app)', () => {
  it('migrates, creates the first administrator, refuses a short password, backs up', () => {
    const dir = tempDir();
    const env = { MOTCUA_DATA_DIR: join(dir, 'data') };
    const m = run(env, ['admin', 'migrate', '--json']);
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout).applied).toContain('0001_initial');
    expect(JSON.parse(run(env, ['admin', 'migrate', '--json']).stdout).applied).toEqual([]);
    const short = run({ ...env, MOTCUA_PASSWORD: 'ngắn' }, [
      'admin',
      'create-user',
      '--username',
      'qt',
      '--name',
      'Quản trị',
      '--unit',
      '05152',
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('12 characters');
    const ok = run(
      env,
      [
        'admin',
        'create-user',
        '--username',
        'quantri.05152',
        '--name',
        'Quản trị Xã Vân Sơn',
        '--unit',
        '05152',
        '--json',
      ],
      'một-mật-khẩu-dài\n',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).username).toBe('quantri.05152');
    const b = run(env, ['admin', 'backup', join(dir, 'backup')]);
    expect(b.code).toBe(0);
    expect(existsSync(join(dir, 'backup', 'db'))).toBe(true);
    expect(run(env, ['admin']).code).toBe(2);
    // The same username again: said so, not the database's constraint name.
    const dup = run({ ...env, MOTCUA_PASSWORD: 'một-mật-khẩu-dài' }, [
      'admin',
      'create-user',
      '--username',
      'quantri.05152',
      '--name',
      'Quản trị',
      '--unit',
      '05152',
    ]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toBe(
      'motcua: --username quantri.05152: a user with this name already exists [usage.user_exists]\n',
    );
    // A mistyped or wrong backup is refused before the data directory is touched.
    const missing = run(env, ['admin', 'restore', join(dir, 'no-such-backup'), '--json']);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stderr).error.code).toBe('io.ENOENT');
    const notBackup = run(env, ['admin', 'restore', dir.concat('/data/db/PG_VERSION')]);
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr).toContain('not a backup of the embedded database');
    expect(existsSync(join(dir, 'data', 'db'))).toBe(true);
    // A folder that looks like a backup (db/PG_VERSION) but is not: the app's restore refuses it by its rule.
    mkdirSync(join(dir, 'fake', 'db'), { recursive: true });
    writeFileSync(join(dir, 'fake', 'db', 'PG_VERSION'), 'garbage\n');
    const fake = run(env, ['admin', 'restore', join(dir, 'fake'), '--json']);
    expect(fake.code).toBe(3);
    expect(JSON.parse(fake.stderr).error).toMatchObject({
      code: 'backup.invalid',
      details: { path: join(dir, 'fake') },
    });
    expect(existsSync(join(dir, 'data', 'db'))).toBe(true);
    const restored = run(env, ['admin', 'restore', join(dir, 'backup'), '--json']);
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toEqual({ kind: 'pglite' });
    expect(JSON.parse(run(env, ['admin', 'migrate', '--json']).stdout).applied).toEqual([]);
  }, 120_000);

  it('serve starts the app, answers, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const p = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--demo', 'false'], {
      env: { ...process.env, MOTCUA_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /"url":"([^"]+)"[^\n]*"message":"listening"/.exec(out);
        if (m) resolve(m[1]!);
      });
      p.on('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    expect((await fetch(`${url}/api/ready`)).status).toBe(200);
    const code = await new Promise<number | null>((r) => {
      p.on('exit', (c) => r(c));
      p.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 120_000);
});
