import { execFileSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MotcuaError } from '@motcua/core';
import { openStore, type Role, type RoleGrant } from '@motcua/store';
import { configFromEnv } from './config.js';

/**
 * Creates a user on the configured database (the first administrator of a production install is made this
 * way, never by a default password). The password must be at least 12 characters.
 *
 * @example
 * ```ts
 * import { createUser } from '@motcua/web';
 * await createUser({ username: 'quantri.05152', fullName: 'Quản trị Xã Vân Sơn', password, role: 'unitAdmin', unitCode: '05152' });
 * ```
 */
export async function createUser(input: {
  username: string;
  fullName: string;
  password: string;
  role: Role;
  unitCode?: string;
  provinceCode?: string;
  unitName?: string;
  env?: NodeJS.ProcessEnv;
}) {
  if (input.password.length < 12) throw new Error('password: at least 12 characters');
  const config = configFromEnv(input.env ?? process.env);
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
  });
  try {
    let grant: RoleGrant;
    if (input.role === 'provinceViewer') {
      if (!input.provinceCode) throw new Error('provinceCode: a province viewer needs a province');
      grant = { role: 'provinceViewer', provinceCode: input.provinceCode };
    } else {
      if (!input.unitCode) throw new Error('unitCode: a unit role needs a unit');
      if (!(await store.getUnit(input.unitCode))) {
        const { getUnit } = await import('@motcua/units');
        const u = getUnit(input.unitCode) as
          | { name: string; provinceCode?: string; parentCode?: string }
          | undefined;
        if (!u) throw new Error(`unitCode: ${input.unitCode} is not a commune code`);
        const provinceCode = u.provinceCode ?? u.parentCode ?? '00';
        await store.upsertUnit({
          code: input.unitCode,
          name: input.unitName ?? u.name,
          provinceCode,
          agencyCode: `H${provinceCode}.X${input.unitCode}`,
        });
      }
      grant = { role: input.role, unitCode: input.unitCode };
    }
    const user = await store.createUser({
      username: input.username,
      fullName: input.fullName,
      password: input.password,
      roles: [grant],
    });
    return { id: user.id, username: user.username };
  } finally {
    await store.close();
  }
}

/** Applies pending migrations (on upgrade). Returns the names applied. */
export async function migrate(env: NodeJS.ProcessEnv = process.env) {
  const config = configFromEnv(env);
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    migrate: false,
  });
  try {
    return await store.migrate();
  } finally {
    await store.close();
  }
}

/**
 * Backs the database up: `pg_dump` (custom format) for PostgreSQL; a copy of the data directory for the
 * embedded database (stop the server first).
 */
export async function backup(target: string, env: NodeJS.ProcessEnv = process.env) {
  const config = configFromEnv(env);
  if (config.databaseUrl) {
    execFileSync('pg_dump', ['--format=custom', '--file', target, config.databaseUrl], { stdio: 'pipe' });
    return { kind: 'postgres' as const, target };
  }
  const source = resolve(config.dataDir);
  if (!existsSync(join(source, 'db'))) throw new Error(`no embedded database in ${source}`);
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true });
  return { kind: 'pglite' as const, target };
}

/** The first line of what a failed command or call said (pg_restore's stderr, or the error message). */
function firstLine(e: unknown): string {
  const err = e as { stderr?: Buffer | string; message?: string };
  return (err.stderr?.toString().trim() || err.message || String(e)).split('\n')[0] ?? '';
}

const notFound = (path: string) =>
  new MotcuaError('backup.not_found', `backup ${path}: no such file or directory; nothing was restored`, {
    vi: `bản sao lưu ${path}: không có tệp hoặc thư mục này; chưa khôi phục gì`,
    details: { path },
  });

const invalid = (path: string, en: string, vi: string, cause?: unknown) =>
  new MotcuaError('backup.invalid', `backup ${path}: ${en}; nothing was restored`, {
    vi: `bản sao lưu ${path}: ${vi}; chưa khôi phục gì`,
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });

/** The source exists (else `backup.not_found`), its kind of entry returned. */
function statBackup(source: string) {
  try {
    return statSync(source);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw notFound(source);
    throw invalid(source, `cannot be read (${firstLine(e)})`, `không đọc được (${firstLine(e)})`, e);
  }
}

/** A `pg_dump --format=custom` file: it starts with `PGDMP`, and pg_restore reads its table of contents. */
function checkPostgresBackup(source: string) {
  const st = statBackup(source);
  if (!st.isFile())
    throw invalid(
      source,
      'not a file (a PostgreSQL backup is one pg_dump file; a directory is a backup of the embedded database)',
      'không phải một tệp (bản sao lưu PostgreSQL là một tệp pg_dump; thư mục là bản sao lưu của cơ sở dữ liệu nhúng)',
    );
  const head = Buffer.alloc(5);
  let read = 0;
  try {
    const fd = openSync(source, 'r');
    try {
      read = readSync(fd, head, 0, 5, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw invalid(source, `cannot be read (${firstLine(e)})`, `không đọc được (${firstLine(e)})`, e);
  }
  if (read < 5 || head.toString('latin1') !== 'PGDMP')
    throw invalid(
      source,
      'not a pg_dump custom-format file (`motcua admin backup <file>` makes one)',
      'không phải tệp pg_dump định dạng custom (lệnh `motcua admin backup <tệp>` tạo tệp này)',
    );
  try {
    execFileSync('pg_restore', ['--list', source], { stdio: 'pipe' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new MotcuaError(
        'restore.failed',
        `restore from ${source}: pg_restore is not installed; nothing was restored`,
        {
          vi: `khôi phục từ ${source}: chưa cài pg_restore; chưa khôi phục gì`,
          details: { path: source },
          cause: e,
        },
      );
    throw invalid(
      source,
      `pg_restore cannot read it (${firstLine(e)})`,
      `pg_restore không đọc được (${firstLine(e)})`,
      e,
    );
  }
}

/** A copy of a data directory made by {@link backup}: a directory holding `db/`, a PostgreSQL data directory. */
function checkPgliteBackup(source: string, target: string) {
  const st = statBackup(source);
  if (!st.isDirectory())
    throw invalid(
      source,
      'not a directory (a backup of the embedded database is a copy of its data directory; `motcua admin backup <dir>` makes one)',
      'không phải thư mục (bản sao lưu của cơ sở dữ liệu nhúng là bản chép thư mục dữ liệu; lệnh `motcua admin backup <thư mục>` tạo bản này)',
    );
  if (resolve(source) === target)
    throw invalid(source, 'is the live data directory itself', 'chính là thư mục dữ liệu đang dùng');
  let version = '';
  try {
    version = readFileSync(join(source, 'db', 'PG_VERSION'), 'utf8').trim();
  } catch (e) {
    const missing = ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');
    throw missing
      ? invalid(
          source,
          'not a backup of the embedded database (no db/PG_VERSION in it; `motcua admin backup <dir>` makes one)',
          'không phải bản sao lưu của cơ sở dữ liệu nhúng (không có db/PG_VERSION; lệnh `motcua admin backup <thư mục>` tạo bản này)',
        )
      : invalid(source, `cannot be read (${firstLine(e)})`, `không đọc được (${firstLine(e)})`, e);
  }
  if (!/^\d+$/.test(version))
    throw invalid(
      source,
      'not a backup of the embedded database (db/PG_VERSION holds no version)',
      'không phải bản sao lưu của cơ sở dữ liệu nhúng (db/PG_VERSION không ghi phiên bản)',
    );
}

/** The live data directory is held by a running process (its lock file names a live PID). */
function checkNotInUse(target: string) {
  let pid = 0;
  try {
    pid = Number(readFileSync(join(target, 'motcua.lock'), 'utf8'));
  } catch {
    return;
  }
  if (!pid) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // a lock left by a process that died
  }
  throw new MotcuaError(
    'restore.in_use',
    `restore into ${target}: the embedded database is in use by process ${pid}; stop it first (nothing was restored)`,
    {
      vi: `khôi phục vào ${target}: cơ sở dữ liệu nhúng đang được tiến trình ${pid} sử dụng; hãy dừng tiến trình đó trước (chưa khôi phục gì)`,
      details: { path: target, pid },
    },
  );
}

const restoreFailed = (source: string, target: string | undefined, e: unknown) =>
  new MotcuaError(
    'restore.failed',
    `restore from ${source}: ${firstLine(e)}; ${target ? `the data in ${target}` : 'the database'} is unchanged`,
    {
      vi: `khôi phục từ ${source}: ${firstLine(e)}; ${target ? `dữ liệu tại ${target}` : 'cơ sở dữ liệu'} không thay đổi`,
      details: { path: source },
      cause: e,
    },
  );

/**
 * Restores a backup made by {@link backup}: the target database or data directory is replaced, and only once
 * the backup is known good. A source that is missing (`backup.not_found`) or not a backup of the configured
 * kind (`backup.invalid`) is refused before anything is touched. On PostgreSQL pg_restore runs in one
 * transaction, so a failure half-way leaves the database as it was (`restore.failed`). On the embedded
 * database the backup is copied into a new directory beside the data directory and opened there; only then is
 * the data directory moved aside, the new one renamed into its place, and the old one removed — a failure at
 * any step leaves the original data in place. A data directory in use by a running server is refused
 * (`restore.in_use`).
 */
export async function restore(source: string, env: NodeJS.ProcessEnv = process.env) {
  const config = configFromEnv(env);
  if (config.databaseUrl) {
    checkPostgresBackup(source);
    try {
      execFileSync(
        'pg_restore',
        [
          '--clean',
          '--if-exists',
          '--no-owner',
          '--single-transaction',
          '--dbname',
          config.databaseUrl,
          source,
        ],
        { stdio: 'pipe' },
      );
    } catch (e) {
      throw restoreFailed(source, undefined, e);
    }
    return { kind: 'postgres' as const };
  }
  const target = resolve(config.dataDir);
  checkPgliteBackup(source, target);
  checkNotInUse(target);
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(dirname(target), `.${basename(target)}.restoring-${stamp}`);
  const aside = join(dirname(target), `.${basename(target)}.replaced-${stamp}`);
  const lock = join(resolve(source), 'motcua.lock');
  try {
    mkdirSync(dirname(target), { recursive: true });
    // The lock file of the process that made the backup is not part of the data.
    cpSync(source, staging, {
      recursive: true,
      errorOnExist: true,
      force: false,
      filter: (f) => resolve(f) !== lock,
    });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM')
      throw invalid(source, `cannot be read (${firstLine(e)})`, `không đọc được (${firstLine(e)})`, e);
    throw restoreFailed(source, target, e);
  }
  // The copy must open as a Motcua database before it replaces anything.
  try {
    const store = await openStore({ dataDir: staging, migrate: false });
    try {
      await store.countUsers();
    } finally {
      await store.close();
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw invalid(
      source,
      `does not open as a Motcua database (${firstLine(e)})`,
      `không mở được như một cơ sở dữ liệu Motcua (${firstLine(e)})`,
      e,
    );
  }
  const existed = existsSync(target);
  try {
    checkNotInUse(target);
    if (existed) renameSync(target, aside);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e instanceof MotcuaError ? e : restoreFailed(source, target, e);
  }
  try {
    renameSync(staging, target);
  } catch (e) {
    if (existed)
      try {
        renameSync(aside, target);
      } catch (back) {
        throw new MotcuaError(
          'restore.failed',
          `restore from ${source}: ${firstLine(e)}; the data of ${target} is in ${aside} (moving it back failed: ${firstLine(back)}), the restored copy in ${staging}`,
          {
            vi: `khôi phục từ ${source}: ${firstLine(e)}; dữ liệu của ${target} nằm tại ${aside} (không chuyển lại được: ${firstLine(back)}), bản khôi phục tại ${staging}`,
            details: { path: source, previous: aside, restored: staging },
            cause: e,
          },
        );
      }
    rmSync(staging, { recursive: true, force: true });
    throw restoreFailed(source, target, e);
  }
  if (existed)
    try {
      rmSync(aside, { recursive: true, force: true });
    } catch {
      // Restored; the old data stays beside it, to be removed by hand.
      return { kind: 'pglite' as const, previous: aside };
    }
  return { kind: 'pglite' as const };
}
