import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** Restores a backup made by {@link backup} (the target database or data directory is replaced). */
export async function restore(source: string, env: NodeJS.ProcessEnv = process.env) {
  const config = configFromEnv(env);
  if (config.databaseUrl) {
    execFileSync(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', '--dbname', config.databaseUrl, source],
      { stdio: 'pipe' },
    );
    return { kind: 'postgres' as const };
  }
  const target = resolve(config.dataDir);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  return { kind: 'pglite' as const };
}
