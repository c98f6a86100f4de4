#!/usr/bin/env node
// `npm start`: the reference back end with demo data on the embedded database (see README).
import { configFromEnv } from './config.js';
import { banner, startServer } from './server.js';

try {
  const config = configFromEnv();
  const server = await startServer({ handleSignals: true });
  process.stderr.write(banner(server, config.demo ?? !config.databaseUrl));
} catch (e) {
  process.stderr.write(`motcua: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
