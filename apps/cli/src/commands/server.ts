import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MotcuaError } from '@motcua/core';
import type { Argv } from 'yargs';
import { CliError, EXIT, type GlobalOptions, print } from '../output.js';

type Web = typeof import('@motcua/web');

/** The reference app, loaded only for these commands (it is part of the repository, not of the SDK). */
async function web(): Promise<Web> {
  try {
    return (await import('@motcua/web')) as Web;
  } catch {
    throw new CliError(
      'serve/admin need the reference app (@motcua/web): run them from the Motcua repository after npm install',
      EXIT.io,
      'io.web_missing',
    );
  }
}

function password(envName: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY)
    throw new CliError(`give the password in $${envName} or on standard input`, EXIT.usage, 'usage.password');
  const line = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
  if (!line) throw new CliError('no password on standard input', EXIT.usage, 'usage.password');
  return line;
}

/** Runs a backup or restore step, reporting its failure as an I/O error (exit 3) naming what was done. */
async function ioErrors<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CliError) throw e;
    // A Motcua error already names the path and the rule (backup.not_found, backup.invalid, restore.in_use…).
    if (e instanceof MotcuaError)
      throw new CliError(e.message, EXIT.io, e.code, Object.keys(e.details).length ? e.details : undefined);
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    const detail = (err.stderr?.toString().trim() || err.message).split('\n')[0];
    throw new CliError(`${what}: ${detail}`, EXIT.io, err.code ? `io.${err.code}` : 'io.admin');
  }
}

/** `motcua serve` and `motcua admin create-user|migrate|backup|restore`. */
export function serverCommands(yargs: Argv<GlobalOptions & { lang: 'vi' | 'en' }>) {
  return yargs
    .command(
      'serve',
      'Run the reference app (the same as npm start): PORT, DATABASE_URL, MOTCUA_DATA_DIR, MOTCUA_DEMO, MOTCUA_CONFIG.',
      (y) =>
        y
          .option('port', { type: 'number', describe: 'port (default $PORT or 3000)' })
          .option('demo', { type: 'boolean', describe: 'seed the demo (default: on without DATABASE_URL)' })
          .example('$0 serve --port 8080', '')
          .example('DATABASE_URL=postgres://… $0 serve', 'on PostgreSQL, empty'),
      async (argv) => {
        const w = await web();
        const config = w.configFromEnv();
        const server = await w.startServer({
          handleSignals: true,
          ...(argv.port !== undefined ? { port: argv.port } : {}),
          ...(argv.demo !== undefined ? { demo: argv.demo } : {}),
        });
        process.stderr.write(w.banner(server, argv.demo ?? config.demo ?? !config.databaseUrl));
        await new Promise(() => {}); // until a signal stops it
      },
    )
    .command('admin', 'Production set-up of the reference app: users, migrations, backup and restore.', (y) =>
      y
        .command(
          'create-user',
          'Create a user (the first administrator of a production install). Password from $MOTCUA_PASSWORD or standard input, at least 12 characters.',
          (c) =>
            c
              .option('username', { type: 'string', demandOption: true })
              .option('name', { type: 'string', demandOption: true, describe: 'full name' })
              .option('role', {
                choices: ['receptionist', 'specialist', 'leader', 'unitAdmin', 'provinceViewer'] as const,
                default: 'unitAdmin' as const,
              })
              .option('unit', { type: 'string', describe: 'commune code (unit roles)' })
              .option('province', { type: 'string', describe: 'province code (province viewers)' })
              .option('password-env', { type: 'string', default: 'MOTCUA_PASSWORD' })
              .example(
                'MOTCUA_PASSWORD=… $0 admin create-user --username quantri.05152 --name "Quản trị Xã Vân Sơn" --unit 05152',
                '',
              ),
          async (argv) => {
            const w = await web();
            try {
              const u = await w.createUser({
                username: argv.username,
                fullName: argv.name,
                password: password(argv['password-env']),
                role: argv.role,
                ...(argv.unit ? { unitCode: argv.unit } : {}),
                ...(argv.province ? { provinceCode: argv.province } : {}),
              });
              print(argv, u, () => `created ${u.username}`);
            } catch (e) {
              if (e instanceof CliError) throw e;
              // PostgreSQL's unique violation (also from PGlite): say which user, not which constraint.
              if ((e as { code?: string }).code === '23505')
                throw new CliError(
                  `--username ${argv.username}: a user with this name already exists`,
                  EXIT.usage,
                  'usage.user_exists',
                );
              throw new CliError((e as Error).message, EXIT.usage, 'usage.create_user');
            }
          },
        )
        .command('migrate', 'Apply pending database migrations (on upgrade).', {}, async (argv) => {
          const applied = await (await web()).migrate();
          print(argv as unknown as GlobalOptions, { applied }, () =>
            applied.length ? `applied ${applied.join(', ')}` : 'up to date',
          );
        })
        .command(
          'backup <target>',
          'Back the database up: pg_dump (custom format) on PostgreSQL, a copy of the data directory on the embedded database (stop the server first).',
          (c) => c.positional('target', { type: 'string', demandOption: true }),
          async (argv) => {
            const w = await web();
            const r = await ioErrors(`backup to ${argv.target}`, () => w.backup(argv.target));
            print(argv, r, () => `backed up (${r.kind}) to ${r.target}`);
          },
        )
        .command(
          'restore <source>',
          'Restore a backup made by `admin backup` (replaces the database or the data directory).',
          (c) => c.positional('source', { type: 'string', demandOption: true }),
          async (argv) => {
            const w = await web();
            // Check the backup before anything is replaced: restoring the embedded database removes the data
            // directory first, so a mistyped path would otherwise lose it.
            if (!existsSync(argv.source))
              throw new CliError(`backup ${argv.source}: no such file or directory`, EXIT.io, 'io.ENOENT');
            if (!w.configFromEnv().databaseUrl && !existsSync(join(argv.source, 'db')))
              throw new CliError(
                `backup ${argv.source}: not a backup of the embedded database (no db directory in it; \`motcua admin backup <dir>\` makes one)`,
                EXIT.usage,
                'usage.backup',
              );
            const r = await ioErrors(`restore from ${argv.source}`, () => w.restore(argv.source));
            print(argv, r, () => `restored (${r.kind})`);
          },
        )
        .demandCommand(1, 'Give an admin command: create-user, migrate, backup, restore.'),
    );
}
