#!/usr/bin/env node
// `npm start`: the reference back end with demo data on the embedded database (see README).
import { configFromEnv } from './config.js';
import { banner, startServer } from './server.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`Usage: npm start   (or: npx motcua serve [--port N] [--demo])

Runs the reference one-stop back end. Without DATABASE_URL it uses the embedded database (PGlite) in
MOTCUA_DATA_DIR (default .motcua-data) with demo data; with DATABASE_URL, PostgreSQL without demo data.

Settings (environment variables):
  PORT, HOST                     where to listen (default 3000 on 127.0.0.1)
  DATABASE_URL                   postgres://… to use PostgreSQL
  MOTCUA_DATA_DIR                the embedded database's folder
  MOTCUA_DEMO, MOTCUA_DEMO_DOSSIERS   demo data on/off and how many dossiers
  MOTCUA_CONFIG                  a JSON configuration file (integrations, OIDC, documents…)
  MOTCUA_PUBLIC_URL, MOTCUA_TRUST_PROXY   behind a reverse proxy
  MOTCUA_PG_POOL, MOTCUA_PG_PREPARED, MOTCUA_WRITE_CONCURRENCY   tuning (see the README's load figures)

Guide: docs/guides/web-app.md
`);
  process.exit(0);
}

try {
  const config = configFromEnv();
  const server = await startServer({ handleSignals: true });
  process.stderr.write(banner(server, config.demo ?? !config.databaseUrl));
} catch (e) {
  process.stderr.write(`motcua: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
