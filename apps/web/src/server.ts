import { serve } from '@hono/node-server';
import { openStore, S3ContentStore, type Store } from '@motcua/store';
import { createApp } from './app.js';
import { configFromEnv, type ServerConfig, type ServerConfigInput } from './config.js';
import { DEMO_PASSWORD, DEMO_UNITS, demoUsers, seedDemo } from './demo.js';
import { type IntegrationEndpoints, Integrations, startDemoIntegrations } from './integrations.js';
import { jsonLogger, type Logger } from './log.js';
import { type OidcSimulator, startDemoCitizenSignIn } from './oidc-simulator.js';
import { demoDeputy, type SigningServices, startConfiguredSigning } from './signing.js';

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  config: ServerConfig;
  /** The national integrations (demo: against simulators in process). */
  integrations?: Integrations;
  /** Demo mode: the local OpenID Connect provider standing in for the national e-ID (citizens' sign-in). */
  citizenSignIn?: OidcSimulator;
  /** Stops accepting connections, finishes requests in flight, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the reference back end as one process: the API on `PORT` (default 3000), the embedded PGlite
 * database in `MOTCUA_DATA_DIR` (or PostgreSQL with `DATABASE_URL`), migrations at start, demo data when in
 * demo mode (the default without `DATABASE_URL`, or `MOTCUA_DEMO=1`; never on a production start), graceful
 * shutdown on SIGTERM and SIGINT.
 *
 * @example
 * ```ts
 * import { startServer } from '@motcua/web';
 * const server = await startServer({ port: 0, demoDossiers: 200 });
 * console.log(server.url); // http://127.0.0.1:41234
 * await server.close();
 * ```
 */
export async function startServer(
  overrides: ServerConfigInput & { log?: Logger; handleSignals?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningServer> {
  const { log: givenLog, handleSignals, env, ...rest } = overrides;
  const config = configFromEnv(env ?? process.env, rest);
  const log = givenLog ?? jsonLogger();
  const demo = config.demo ?? !config.databaseUrl;
  if (demo && config.production)
    throw new Error('Demo mode is refused on a production start (NODE_ENV=production): unset MOTCUA_DEMO.');
  const s3 = config.documents?.s3;
  const vars = env ?? process.env;
  const store = await openStore({
    ...(config.databaseUrl
      ? {
          databaseUrl: config.databaseUrl,
          preparedStatements: config.preparedStatements,
          poolSize: config.poolSize,
        }
      : {}),
    dataDir: config.dataDir,
    // Documents: a directory under dataDir by default, or an S3-compatible bucket.
    ...(s3
      ? {
          content: new S3ContentStore({
            ...s3,
            ...(vars.AWS_ACCESS_KEY_ID ? { accessKeyId: vars.AWS_ACCESS_KEY_ID } : {}),
            ...(vars.AWS_SECRET_ACCESS_KEY ? { secretAccessKey: vars.AWS_SECRET_ACCESS_KEY } : {}),
            ...(vars.AWS_SESSION_TOKEN ? { sessionToken: vars.AWS_SESSION_TOKEN } : {}),
          }),
        }
      : {}),
  });
  if (config.production && (await store.countUsers()).demo > 0) {
    await store.close();
    throw new Error(
      'This database holds demo users: a production start refuses them. Remove them or use another database.',
    );
  }
  if (demo) {
    const r = await seedDemo(store, { dossiers: config.demoDossiers, log });
    if (r.seeded) log.info('demo data seeded', { dossiers: r.dossiers, skipped: r.skipped });
  }
  let integrations: Integrations | undefined;
  const outboxOptions = {
    concurrency: config.outbox.concurrency,
    baseDelayMs: config.outbox.baseDelayMs,
    maxDelayMs: config.outbox.maxDelayMs,
    leaseMs: config.outbox.leaseMs,
    maxAttempts: config.outbox.maxAttempts,
  };
  if (demo)
    integrations = (
      await startDemoIntegrations(
        store,
        log,
        DEMO_UNITS.map((u) => u.code),
        outboxOptions,
      )
    ).integrations;
  else if (config.integrations) {
    const e = config.integrations;
    const auth = (x: { oauth2?: { tokenUrl: string; clientId: string; clientSecret: string } }) =>
      x.oauth2 ? { auth: { type: 'oauth2' as const, ...x.oauth2 } } : {};
    const endpoints: IntegrationEndpoints = {
      ...(e.population ? { population: { baseUrl: e.population.baseUrl, ...auth(e.population) } } : {}),
      ...(e.civilStatus ? { civilStatus: { baseUrl: e.civilStatus.baseUrl, ...auth(e.civilStatus) } } : {}),
      ...(e.portal
        ? { portal: { baseUrl: e.portal.baseUrl, unitCodes: e.portal.unitCodes, ...auth(e.portal) } }
        : {}),
      ...(e.sms ? { sms: { baseUrl: e.sms.baseUrl, sender: e.sms.sender, ...auth(e.sms) } } : {}),
      ...(e.socialInsurance
        ? { socialInsurance: { baseUrl: e.socialInsurance.baseUrl, ...auth(e.socialInsurance) } }
        : {}),
      ...(e.payment
        ? {
            payment: {
              baseUrl: e.payment.baseUrl,
              callbackSecret: e.payment.callbackSecret,
              ...auth(e.payment),
            },
          }
        : {}),
      ...(e.treasury
        ? {
            treasury: {
              baseUrl: e.treasury.baseUrl,
              ...auth(e.treasury),
              ...(e.treasury.pollMs ? { pollMs: e.treasury.pollMs } : {}),
            },
          }
        : {}),
      ...(e.email
        ? {
            email: {
              from: e.email.from,
              smtp: {
                host: e.email.host,
                port: e.email.port,
                secure: e.email.secure,
                ...(e.email.user
                  ? {
                      auth: {
                        user: e.email.user,
                        pass: e.email.password ?? (env ?? process.env).MOTCUA_SMTP_PASSWORD ?? '',
                      },
                    }
                  : {}),
              },
            },
          }
        : {}),
    };
    integrations = new Integrations(store, log, endpoints, outboxOptions);
  }
  // Remote signing from the config file (demo mode attached its simulators above).
  let signing: SigningServices | undefined;
  if (!demo && config.integrations?.signing)
    try {
      signing = startConfiguredSigning(store, config.integrations.signing);
    } catch (e) {
      await store.close();
      throw e;
    }
  if (integrations && config.worker) integrations.start(config.outbox.intervalMs);
  // Citizens' sign-in: the configured OpenID Connect provider, or in demo mode a simulator in process.
  let citizenSignIn: OidcSimulator | undefined;
  if (demo && !config.citizenSignIn) {
    citizenSignIn = await startDemoCitizenSignIn(store);
    config.citizenSignIn = {
      issuer: citizenSignIn.issuer,
      clientId: citizenSignIn.client.clientId,
      clientSecret: citizenSignIn.client.clientSecret,
      personalIdClaim: citizenSignIn.personalIdClaim,
      scope: 'openid',
      sessionMinutes: 30,
    };
  }
  const app = createApp({ store, config, log, ...(integrations ? { integrations } : {}) });
  const inflight = new Set<Promise<unknown>>();
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        fetch: (req, envBindings) => {
          const p = Promise.resolve(app.fetch(req, envBindings));
          inflight.add(p);
          p.finally(() => inflight.delete(p)).catch(() => {});
          return p;
        },
        port: config.port,
        hostname: config.host,
      },
      () => resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const done = new Promise<void>((r) => server.close(() => r()));
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await done;
      await Promise.allSettled([...inflight]);
      await integrations?.stop();
      await signing?.close();
      await citizenSignIn?.close();
      await store.close();
    })();
    return closing;
  };
  if (handleSignals) {
    const stop = (signal: string) => {
      log.info('shutting down', { signal });
      const exit = (code: number) => {
        log.flush?.();
        process.exit(code);
      };
      close().then(
        () => exit(0),
        () => exit(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  }
  log.info('listening', { url, database: store.kind, demo });
  log.flush?.();
  return {
    url,
    port,
    store,
    config,
    close,
    ...(integrations ? { integrations } : {}),
    ...(citizenSignIn ? { citizenSignIn } : {}),
  };
}

/** What `npm start` prints: where to go and how to sign in. */
export function banner(server: RunningServer, demo: boolean): string {
  const lines = [
    '',
    `  Motcua: the reference one-stop back end is running at ${server.url}`,
    `  Database: ${server.store.kind === 'pglite' ? `embedded (PGlite) in ${server.config.dataDir}` : 'PostgreSQL'}`,
    `  API reference: ${server.url}/docs   OpenAPI: ${server.url}/openapi.json`,
  ];
  if (demo) {
    lines.push('', `  Demo users (password "${DEMO_PASSWORD}"):`);
    for (const u of demoUsers()) {
      lines.push(`    ${u.username.padEnd(22)} ${u.fullName}`);
      // Each commune's leader has a deputy (made by the demo's signing set-up) who signs when delegated.
      const led = u.roles.find((r) => r.role === 'leader');
      if (led && 'unitCode' in led) {
        const deputy = demoDeputy(led.unitCode);
        lines.push(`    ${deputy.username.padEnd(22)} ${deputy.fullName}`);
      }
    }
    lines.push('', `  Demo communes: ${DEMO_UNITS.map((u) => `${u.name} (${u.code})`).join(', ')}`);
    lines.push(
      `  Demo phone (leaders and deputies confirm their signatures there): ${server.url}/signing/phone`,
    );
    if (server.citizenSignIn)
      lines.push(
        `  Citizens (simulated e-ID, synthetic people): ${server.url}/my-dossiers, e.g. ${server.citizenSignIn.citizens
          .slice(0, 3)
          .map((c) => c.fullName)
          .join(', ')}`,
      );
  } else
    lines.push(
      '',
      '  No demo data. Create the first administrator: npx motcua admin create-user --unit <code> --role unitAdmin',
    );
  lines.push('  Stop with Ctrl+C.', '');
  return lines.join('\n');
}
