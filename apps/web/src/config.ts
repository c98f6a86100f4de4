import { readFileSync } from 'node:fs';
import { z } from 'zod';

const endpoint = z.object({
  baseUrl: z.url(),
  oauth2: z
    .object({ tokenUrl: z.url(), clientId: z.string().min(1), clientSecret: z.string().min(1) })
    .optional(),
});

/** The server's settings: environment variables, optionally a JSON config file (`MOTCUA_CONFIG`). */
/**
 * Remote signing in production (demo mode starts simulators instead): a CSC API v2 service where officers
 * sign at once with their credential's PIN (and OTP), optionally an RFC 3161 time-stamping authority, and the
 * root certificates the verification report chains signatures to.
 */
export const SigningConfigSchema = z
  .object({
    /** The CSC API v2 service: its base URL (ending in `/csc/v2/`) and OAuth2 client credentials. */
    csc: endpoint,
    /** An RFC 3161 time-stamping authority. */
    tsaUrl: z.url().optional(),
    /** PAdES level of the signatures made. Default `B-LT` with `tsaUrl`, `B-B` without. */
    level: z.enum(['B-B', 'B-T', 'B-LT']).optional(),
    /**
     * Root certificates signatures must chain to (the national root, the licensed CAs): each a PEM
     * certificate, or the path of a PEM (one or more certificates) or DER file.
     */
    trustAnchors: z.array(z.string().min(1)).min(1),
    /**
     * The circuit breaker of the calls to the CSC service: open after `failures` consecutive failures (officers
     * are answered 503 at once), probe again after `resetMs`; `false` turns it off. Default 5 and 30 s.
     */
    circuit: z
      .union([
        z.literal(false),
        z.object({ failures: z.number().int().min(1), resetMs: z.number().int().min(100) }),
      ])
      .optional(),
  })
  .refine((s) => !s.level || s.level === 'B-B' || s.tsaUrl, {
    path: ['tsaUrl'],
    message: 'a time-stamping authority is needed for level B-T or B-LT',
  });
export type SigningConfig = z.output<typeof SigningConfigSchema>;

export const ServerConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().default('127.0.0.1'),
  /** PostgreSQL; without it the embedded PGlite database in `dataDir`. */
  databaseUrl: z.string().optional(),
  /**
   * PostgreSQL: prepare each statement once per connection (less parsing and planning). Turn off behind a
   * pooler that does not keep prepared statements (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements: z.boolean().default(true),
  /** PostgreSQL: connections of this process's pool. */
  poolSize: z.number().int().min(1).max(200).default(10),
  dataDir: z.string().default('.motcua-data'),
  /** Seed the demo communes, users and dossiers. Default: on without `databaseUrl`, off with it. */
  demo: z.boolean().optional(),
  /** `production` refuses demo users and default passwords. */
  production: z.boolean().default(false),
  /** Session lifetime, minutes. */
  sessionMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(8 * 60),
  /** Login attempts per IP and minute. */
  loginRatePerMinute: z.number().int().min(1).default(10),
  /**
   * Behind a reverse proxy you run: take the client's address for rate limits from the last
   * `X-Forwarded-For` entry (the one your proxy appended). Default false (the connection's address).
   */
  trustProxy: z.boolean().default(false),
  /** Public status look-ups per IP and minute. */
  publicRatePerMinute: z.number().int().min(1).default(60),
  /**
   * Intakes, lifecycle actions and uploads running at once in this process (the others wait their turn, so
   * the work lists keep database connections); 0 lets every one in. Keep it below `poolSize`.
   */
  writeConcurrency: z.number().int().min(0).default(8),
  /** How long a write waits for its turn before it is answered 503 `busy` (nothing written). */
  writeQueueMs: z.number().int().min(100).default(10_000),
  /** Dossiers the demo seeds. */
  demoDossiers: z.number().int().min(0).max(100_000).default(2000),
  /** The public base URL printed in QR codes (the status page). */
  publicUrl: z.string().optional(),
  /**
   * The national systems, from the config file (demo mode starts simulators instead): each a base URL and
   * OAuth2 client credentials; `portal` also names the units whose online dossiers to pull, `sms` the sender.
   */
  integrations: z
    .object({
      population: endpoint.optional(),
      civilStatus: endpoint.optional(),
      portal: endpoint.extend({ unitCodes: z.array(z.string().regex(/^\d{5}$/)).min(1) }).optional(),
      sms: endpoint.extend({ sender: z.string().min(1).max(11) }).optional(),
      /** Social insurance: the newborn bundle's health-insurance card (with population and civil status). */
      socialInsurance: endpoint.optional(),
      /** The payment platform; its callbacks are signed with `callbackSecret` (or several, while rotating). */
      payment: endpoint
        .extend({ callbackSecret: z.union([z.string().min(16), z.array(z.string().min(16)).min(1)]) })
        .optional(),
      /**
       * The State Treasury's collection channel (Motcua's format, `@motcua/treasury` openapi.yaml): a paid fee's
       * revenue record goes to it and the payment is remitted when the treasury credits it. `pollMs`: the first
       * wait before asking again about a record not yet credited (doubling up to 30 minutes), default 60,000.
       */
      treasury: endpoint.extend({ pollMs: z.number().int().min(100).optional() }).optional(),
      /** E-mail notices over SMTP; the password may come from `MOTCUA_SMTP_PASSWORD` instead of the file. */
      email: z
        .object({
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535).default(587),
          secure: z.boolean().default(false),
          user: z.string().optional(),
          password: z.string().optional(),
          from: z.string().min(3),
        })
        .optional(),
      /** Remote signing of scans and results: a CSC API v2 service (see {@link SigningConfigSchema}). */
      signing: SigningConfigSchema.optional(),
    })
    .optional(),
  /**
   * The forms' layout (receipt and letters): letterhead lines (`{unit}` = the unit's name in capitals), form
   * numbers printed at the top right, and whether to print the provisional-layout note (default true).
   */
  forms: z
    .object({
      letterhead: z.array(z.string().min(1).max(120)).min(1).max(3).optional(),
      formNumbers: z
        .partialRecord(
          z.enum(['receipt', 'supplement', 'refusal', 'apology', 'stop']),
          z.string().min(1).max(40),
        )
        .optional(),
      provisional: z.boolean().optional(),
    })
    .optional(),
  /** Run the integrations worker in this process (several processes may share one PostgreSQL). Default true. */
  worker: z.boolean().default(true),
  /** The integrations worker: how often it runs, its backoff and how many messages it delivers at once. */
  outbox: z
    .object({
      intervalMs: z.number().int().min(10).default(1000),
      baseDelayMs: z.number().int().min(1).default(2000),
      maxDelayMs: z
        .number()
        .int()
        .min(1)
        .default(10 * 60_000),
      concurrency: z.number().int().min(1).max(64).default(4),
      /** How long a claimed message stays with a worker (a killed worker's messages wait this long). */
      leaseMs: z.number().int().min(100).default(30_000),
      /** Attempts before a message is dead-lettered (a refusal for a rule is dead at once). */
      maxAttempts: z.number().int().min(1).default(12),
    })
    .default({
      intervalMs: 1000,
      baseDelayMs: 2000,
      maxDelayMs: 600_000,
      concurrency: 4,
      leaseMs: 30_000,
      maxAttempts: 12,
    }),
  /**
   * Where document bytes go: by default a directory under `dataDir`; with `s3`, an S3-compatible bucket (AWS
   * S3, MinIO…), credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`).
   */
  documents: z
    .object({
      s3: z
        .object({
          bucket: z.string().min(3).max(63),
          /** The service's base URL (MinIO: `http://host:9000`). Default AWS S3 in `region`. */
          endpoint: z.url().optional(),
          region: z.string().min(1).default('us-east-1'),
          /** Prepended to object keys, e.g. `motcua/`. */
          prefix: z.string().optional(),
          /** `<endpoint>/<bucket>/<key>` addressing. Default true with an `endpoint`, false on AWS. */
          forcePathStyle: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  /**
   * Citizens' sign-in through an OpenID Connect provider (the national e-ID, or any OIDC provider): off when
   * absent. Demo mode starts a local simulator and fills this in. An `http://` issuer is accepted only on a
   * loopback address (127.0.0.1, localhost), for the simulator.
   */
  citizenSignIn: z
    .object({
      /** The provider's issuer identifier; its discovery document is read from `/.well-known/openid-configuration`. */
      issuer: z.url(),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      /**
       * Where the provider sends the citizen back: `<public URL>/api/citizen/callback`, registered at the
       * provider. Default: `publicUrl` + `/api/citizen/callback`, or the request's own origin without it.
       */
      redirectUrl: z.url().optional(),
      /** The ID token claim carrying the citizen's 12-digit personal ID number. Default `sub`. */
      personalIdClaim: z.string().min(1).default('sub'),
      /** Scopes asked for. Default `openid`. */
      scope: z.string().default('openid'),
      /** Citizen session lifetime, minutes. Default 30. */
      sessionMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
      /**
       * Key (at least 32 characters) sealing the citizen's cookies. Default: derived from `clientSecret`, which
       * every process behind a load balancer shares already.
       */
      cookieSecret: z.string().min(32).optional(),
    })
    .optional(),
});
export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

const bool = (v: string | undefined) =>
  v === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());

/**
 * Settings from the environment (`PORT`, `HOST`, `DATABASE_URL`, `MOTCUA_DATA_DIR`, `MOTCUA_DEMO`,
 * `MOTCUA_DEMO_DOSSIERS`, `MOTCUA_PUBLIC_URL`, `NODE_ENV`, `MOTCUA_CONFIG`; citizens' sign-in: `MOTCUA_OIDC_ISSUER`,
 * `MOTCUA_OIDC_CLIENT_ID`, `MOTCUA_OIDC_CLIENT_SECRET`, `MOTCUA_OIDC_REDIRECT_URL`, `MOTCUA_OIDC_PERSONAL_ID_CLAIM`;
 * documents in an S3-compatible bucket: `MOTCUA_S3_BUCKET`, `MOTCUA_S3_ENDPOINT`, `MOTCUA_S3_REGION`,
 * `MOTCUA_S3_PREFIX`, `MOTCUA_S3_FORCE_PATH_STYLE`).
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ServerConfigInput = {},
): ServerConfig {
  const file = env.MOTCUA_CONFIG
    ? (JSON.parse(readFileSync(env.MOTCUA_CONFIG, 'utf8')) as ServerConfigInput)
    : {};
  const fromEnv: ServerConfigInput = {
    ...(env.PORT ? { port: Number(env.PORT) } : {}),
    ...(env.HOST ? { host: env.HOST } : {}),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.MOTCUA_PG_POOL ? { poolSize: Number(env.MOTCUA_PG_POOL) } : {}),
    ...(env.MOTCUA_WRITE_CONCURRENCY ? { writeConcurrency: Number(env.MOTCUA_WRITE_CONCURRENCY) } : {}),
    ...(bool(env.MOTCUA_PG_PREPARED) !== undefined
      ? { preparedStatements: bool(env.MOTCUA_PG_PREPARED)! }
      : {}),
    ...(env.MOTCUA_DATA_DIR ? { dataDir: env.MOTCUA_DATA_DIR } : {}),
    ...(bool(env.MOTCUA_DEMO) !== undefined ? { demo: bool(env.MOTCUA_DEMO)! } : {}),
    ...(env.NODE_ENV === 'production' ? { production: true } : {}),
    ...(env.MOTCUA_PUBLIC_URL ? { publicUrl: env.MOTCUA_PUBLIC_URL } : {}),
    ...(bool(env.MOTCUA_TRUST_PROXY) !== undefined ? { trustProxy: bool(env.MOTCUA_TRUST_PROXY)! } : {}),
    ...(env.MOTCUA_DEMO_DOSSIERS ? { demoDossiers: Number(env.MOTCUA_DEMO_DOSSIERS) } : {}),
    ...(env.MOTCUA_S3_BUCKET
      ? {
          documents: {
            s3: {
              bucket: env.MOTCUA_S3_BUCKET,
              ...(env.MOTCUA_S3_ENDPOINT ? { endpoint: env.MOTCUA_S3_ENDPOINT } : {}),
              ...(env.MOTCUA_S3_REGION ? { region: env.MOTCUA_S3_REGION } : {}),
              ...(env.MOTCUA_S3_PREFIX ? { prefix: env.MOTCUA_S3_PREFIX } : {}),
              ...(bool(env.MOTCUA_S3_FORCE_PATH_STYLE) !== undefined
                ? { forcePathStyle: bool(env.MOTCUA_S3_FORCE_PATH_STYLE)! }
                : {}),
            },
          },
        }
      : {}),
    ...(env.MOTCUA_OIDC_ISSUER && env.MOTCUA_OIDC_CLIENT_ID && env.MOTCUA_OIDC_CLIENT_SECRET
      ? {
          citizenSignIn: {
            issuer: env.MOTCUA_OIDC_ISSUER,
            clientId: env.MOTCUA_OIDC_CLIENT_ID,
            clientSecret: env.MOTCUA_OIDC_CLIENT_SECRET,
            ...(env.MOTCUA_OIDC_REDIRECT_URL ? { redirectUrl: env.MOTCUA_OIDC_REDIRECT_URL } : {}),
            ...(env.MOTCUA_OIDC_PERSONAL_ID_CLAIM
              ? { personalIdClaim: env.MOTCUA_OIDC_PERSONAL_ID_CLAIM }
              : {}),
          },
        }
      : {}),
  };
  return ServerConfigSchema.parse({ ...file, ...fromEnv, ...overrides });
}
