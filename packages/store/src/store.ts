import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createWorkCalendar, dateOf, parseInstant, toInstant, type WorkCalendar } from '@motcua/calendar';
import {
  type Applicant,
  type Channel,
  type DossierEvent,
  DossierEventSchema,
  formatDossierCode,
  MotcuaError,
  type ProcedureLimit,
} from '@motcua/core';
import { type DossierStatusReport, replay } from '@motcua/deadlines';
import { newOutboxMessage, type OutboxInput } from '@motcua/http';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { type ContentStore, DirectoryContentStore } from './documents.js';
import { FeeStore } from './fees.js';
import { migrateToLatest } from './migrations.js';
import { DatabaseOutboxStore } from './outbox-store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { PGliteDialect } from './pglite-dialect.js';
import { type PgClient, prepareStatements } from './prepared.js';
import type { Database, Role } from './schema.js';

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** A PostgreSQL URL. Without it, the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  /** Where the embedded database and the documents live. Default `MOTCUA_DATA_DIR` or `./.motcua-data`. */
  dataDir?: string;
  /** `memory://`: an embedded database that lives only as long as the process (tests). */
  inMemory?: boolean;
  /** Run the migrations at start. Default true. */
  migrate?: boolean;
  /** Where document bytes go. Default a directory under `dataDir`. */
  content?: ContentStore;
  /** Connections to PostgreSQL. Default 10. */
  poolSize?: number;
  /**
   * PostgreSQL: prepare each statement once per connection ({@link prepareStatements}). Default true; turn
   * off behind a pooler that does not keep prepared statements (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements?: boolean;
}

/** A grant of a role: in a unit, or (province viewers) over a province. */
export type RoleGrant =
  | { role: Exclude<Role, 'provinceViewer'>; unitCode: string }
  | { role: 'provinceViewer'; provinceCode: string };

/** A user with their roles. */
export interface User {
  id: string;
  username: string;
  fullName: string;
  disabled: boolean;
  demo: boolean;
  roles: RoleGrant[];
}

/** A unit served (a commune, ward or special zone). */
export interface Unit {
  code: string;
  name: string;
  provinceCode: string;
  agencyCode: string;
  calendar: Record<string, unknown>;
  treasuryAccount: string | null;
}

/** A dossier as the work lists show it (no personal data: see {@link Store.dossierApplicant}). */
export interface DossierSummary {
  id: string;
  code: string;
  unitCode: string;
  procedureCode: string;
  procedureName: string;
  channel: Channel;
  receivedAt: string;
  phase: string;
  appointment: string | null;
  originalAppointment: string | null;
  classification: string | null;
  supplementRequests: number;
  eventCount: number;
  assignedTo: string | null;
  currentStep: string | null;
  overdue: boolean;
}

/** A stored event with its place in the dossier's history. */
export interface StoredEvent {
  seq: number;
  event: DossierEvent;
  recordedBy: string | null;
  recordedAt: string;
}

/** Filters of {@link Store.listDossiers}. */
export interface DossierQuery {
  /** The units the caller may see (always given: authorisation is not optional). */
  unitCodes: string[];
  phase?: string | string[];
  /** Active and past the appointment. */
  overdue?: boolean;
  /** Active with the appointment before this instant (due soon). */
  dueBefore?: string;
  assignedTo?: string;
  step?: string;
  /** One procedure (its code, e.g. `1.001193`). */
  procedureCode?: string;
  /** One reception channel (direct, online, postal). */
  channel?: Channel;
  receivedFrom?: string;
  receivedTo?: string;
  /** Dossier code or procedure name contains. */
  q?: string;
  limit?: number;
  offset?: number;
}

const ACTIVE = ['received', 'inProgress', 'waitingSupplement', 'paused'];
/** The columns of a summary: never the applicant, the limit or the lookup hash (lighter, and no personal data). */
const SUMMARY_COLUMNS = [
  'id',
  'code',
  'unit_code',
  'procedure_code',
  'procedure_name',
  'channel',
  'received_at',
  'phase',
  'appointment',
  'original_appointment',
  'classification',
  'supplement_requests',
  'event_count',
  'assigned_to',
  'current_step',
] as const;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ts = (v: Date | string | null): string | null =>
  v === null ? null : toInstant(v instanceof Date ? v.getTime() : Date.parse(v));
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const LOOKUP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const noDossier = () =>
  new StoreError('store.dossier_not_found', 404, 'No such dossier', 'Không có hồ sơ này');
const noUnit = (code: string) =>
  new StoreError('store.unit_not_found', 404, `No unit ${code}`, `Không có đơn vị ${code}`);

/**
 * The embedded database belongs to one process: a second one opening the same directory would corrupt it.
 * A lock file holds the owner's PID; a lock left by a process that died (a crash, `kill -9`) is taken over.
 */
function lockDataDir(dataDir: string) {
  const path = join(dataDir, 'motcua.lock');
  try {
    const pid = Number(readFileSync(path, 'utf8'));
    if (pid && pid !== process.pid) {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive)
        throw new StoreError(
          'store.locked',
          409,
          `The embedded database in ${dataDir} is in use by process ${pid}: stop it first (or use PostgreSQL for several processes)`,
          `Cơ sở dữ liệu nhúng tại ${dataDir} đang được tiến trình ${pid} sử dụng: hãy dừng tiến trình đó trước`,
        );
    }
  } catch (e) {
    if (e instanceof StoreError) throw e;
  }
  writeFileSync(path, String(process.pid));
}

/**
 * A failure of the store the API maps to a status: not found, conflict, forbidden.
 *
 * @example
 * ```ts
 * import { StoreError } from '@motcua/store';
 * try { await store.calendarOf('99999'); } catch (e) {
 *   if (e instanceof StoreError) console.log(e.code, e.status); // 'store.unit_not_found' 404
 * }
 * ```
 */
export class StoreError extends MotcuaError {
  readonly status: 400 | 403 | 404 | 409 | 503;
  constructor(code: string, status: StoreError['status'], en: string, vi: string) {
    super(code, en, { vi });
    this.name = 'StoreError';
    this.status = status;
  }
}

/**
 * Opens the dossier store: the embedded PGlite database (default; data in `MOTCUA_DATA_DIR` or
 * `./.motcua-data`) or PostgreSQL (`databaseUrl`, e.g. from `DATABASE_URL`), the same schema and code on
 * both, migrations run at start.
 *
 * @example
 * ```ts
 * import { openStore } from '@motcua/store';
 * const store = await openStore({ databaseUrl: process.env.DATABASE_URL });
 * const { dossier, lookupSecret } = await store.createDossier({ unitCode: '05152', procedure, channel: 'direct', applicant, actor: 'u-1' });
 * await store.close();
 * ```
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const dataDir = resolve(options.dataDir ?? process.env.MOTCUA_DATA_DIR ?? '.motcua-data');
  let db: Kysely<Database>;
  let kind: 'pglite' | 'postgres';
  if (options.databaseUrl) {
    const pg = await import('pg');
    const Pool = (pg.default ?? pg).Pool;
    const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection dropped by a database restart must not crash the process: the next query
    // reconnects (and fails with a 503 meanwhile).
    pool.on('error', () => {});
    const prepared = options.preparedStatements ?? true;
    pool.on('connect', (client: PgClient & { on(event: 'error', fn: () => void): void }) => {
      client.on('error', () => {});
      if (prepared) prepareStatements(client);
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    let pglite: InstanceType<typeof PGlite>;
    if (options.inMemory) pglite = new PGlite();
    else {
      mkdirSync(join(dataDir, 'db'), { recursive: true });
      lockDataDir(dataDir);
      pglite = new PGlite(join(dataDir, 'db'));
    }
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    kind = 'pglite';
  }
  const store = new Store(
    db,
    kind,
    options.content ??
      new DirectoryContentStore(
        options.inMemory ? join(dataDir, `documents-mem-${process.pid}`) : join(dataDir, 'documents'),
      ),
  );
  if (kind === 'pglite' && !options.inMemory) store.holdLock(join(dataDir, 'motcua.lock'));
  if (options.migrate ?? true) await store.migrate();
  return store;
}

const UUID = /^[0-9a-f-]{36}$/;
/** A dossier is looked up by its ID (a UUID) or by its code. */
const idOrCodeColumn = (idOrCode: string) => (UUID.test(idOrCode) ? ('id' as const) : ('code' as const));

/** How long a process keeps a unit's calendar before reading it again (another process may change it). */
export const CALENDAR_CACHE_MS = 10_000;

/**
 * The data-access layer: every read and write of the one-stop back end. See {@link openStore}.
 *
 * @example
 * ```ts
 * import { openStore } from '@motcua/store';
 * const store = await openStore({ inMemory: true });
 * await store.upsertUnit({ code: '05152', name: 'Xã Vân Sơn', provinceCode: '25', agencyCode: 'H57' });
 * (await store.getUnit('05152'))?.name; // 'Xã Vân Sơn'
 * await store.close();
 * ```
 */
export class Store {
  readonly db: Kysely<Database>;
  readonly kind: 'pglite' | 'postgres';
  readonly content: ContentStore;
  /** Units' calendars with when they were read: on PostgreSQL another process may change one. */
  readonly #calendars = new Map<string, { calendar: WorkCalendar; at: number }>();
  /** The outbox in this database (the transactional outbox of the integrations). */
  readonly outbox: DatabaseOutboxStore;
  /** Fees, payments, receipts and remittances (see {@link FeeStore}). */
  readonly fees: FeeStore;

  constructor(db: Kysely<Database>, kind: 'pglite' | 'postgres', content: ContentStore) {
    this.db = db;
    this.kind = kind;
    this.content = content;
    this.outbox = new DatabaseOutboxStore(db);
    this.fees = new FeeStore(this);
  }

  /** Applies the migrations not yet applied (safe to call from several processes at once). */
  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as unknown as Kysely<unknown>);
  }

  /** Refreshes the planner's statistics (after a bulk load such as the demo seed). */
  async analyze(): Promise<void> {
    await sql`analyze`.execute(this.db);
  }

  /** A cheap round trip, for the readiness probe. */
  async ping(): Promise<boolean> {
    await sql`select 1`.execute(this.db);
    return true;
  }

  async close(): Promise<void> {
    await this.db.destroy();
    if (this.#lock) rmSync(this.#lock, { force: true });
  }

  /** The lock file of an embedded database held by this process (removed on close). */
  #lock: string | undefined;
  /** @internal */
  holdLock(path: string) {
    this.#lock = path;
  }

  // ---- units ----

  async upsertUnit(
    unit: Omit<Unit, 'treasuryAccount' | 'calendar'> & Partial<Pick<Unit, 'treasuryAccount' | 'calendar'>>,
  ) {
    const row = {
      code: unit.code,
      name: unit.name,
      province_code: unit.provinceCode,
      agency_code: unit.agencyCode,
      calendar: JSON.stringify(unit.calendar ?? {}),
      treasury_account: unit.treasuryAccount ?? null,
    };
    await this.db
      .insertInto('units')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet({ ...row, code: undefined } as never))
      .execute();
    this.#calendars.delete(unit.code);
  }

  async getUnit(code: string): Promise<Unit | undefined> {
    const r = await this.db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
    return r
      ? {
          code: r.code,
          name: r.name,
          provinceCode: r.province_code,
          agencyCode: r.agency_code,
          calendar: parseJson(r.calendar),
          treasuryAccount: r.treasury_account,
        }
      : undefined;
  }

  async listUnits(): Promise<Unit[]> {
    const rows = await this.db.selectFrom('units').selectAll().orderBy('code').execute();
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      provinceCode: r.province_code,
      agencyCode: r.agency_code,
      calendar: parseJson(r.calendar),
      treasuryAccount: r.treasury_account,
    }));
  }

  /**
   * The unit's work calendar (its hours, closures...), cached for {@link CALENDAR_CACHE_MS}: a change made
   * by another process sharing the database (a typhoon closure) is seen here within that time; a change
   * made through this store at once.
   */
  async calendarOf(unitCode: string): Promise<WorkCalendar> {
    const cached = this.#calendars.get(unitCode);
    if (cached && Date.now() - cached.at < CALENDAR_CACHE_MS) return cached.calendar;
    const unit = await this.getUnit(unitCode);
    if (!unit) throw noUnit(unitCode);
    const cal = createWorkCalendar(unit.calendar as never);
    this.#calendars.set(unitCode, { calendar: cal, at: Date.now() });
    return cal;
  }

  /**
   * Replaces a unit's work calendar (its hours, closures such as a typhoon day, extra working days) and
   * rebuilds the projection of its unfinished dossiers on the new calendar: the appointments a closure
   * touches move, and the list of what moved is returned (to tell the officers and the applicants).
   */
  async setUnitCalendar(unitCode: string, calendar: Record<string, unknown>, actor: string) {
    const unit = await this.getUnit(unitCode);
    if (!unit) throw noUnit(unitCode);
    const cal = createWorkCalendar(calendar as never); // validates: a bad calendar throws before anything is saved
    await this.upsertUnit({ ...unit, calendar });
    this.#calendars.set(unitCode, { calendar: cal, at: Date.now() });
    const active = await this.db
      .selectFrom('dossiers')
      .select(['id', 'code', 'limit', 'appointment'])
      .where('unit_code', '=', unitCode)
      .where('phase', 'in', ACTIVE)
      .execute();
    const moved: { code: string; from: string | null; to: string | null }[] = [];
    for (const d of active) {
      const events = (await this.events(d.id)).map((e) => e.event);
      const p = projection(replay(events, { limit: parseJson(d.limit), calendar: cal }), events);
      const before = ts(d.appointment);
      const after = p.appointment ? toInstant(p.appointment.getTime()) : null;
      await this.db.updateTable('dossiers').set(p).where('id', '=', d.id).execute();
      if (before !== after) moved.push({ code: d.code, from: before, to: after });
    }
    await audit(this.db, actor, 'unit.calendar', unitCode, null, { moved: moved.length });
    return { moved };
  }

  // ---- users, sessions, tokens ----

  async createUser(input: {
    username: string;
    fullName: string;
    password?: string;
    roles: RoleGrant[];
    demo?: boolean;
  }): Promise<User> {
    const id = randomUUID();
    const hash = input.password ? await hashPassword(input.password) : null;
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('users')
        .values({
          id,
          username: input.username.trim().toLowerCase(),
          full_name: input.fullName,
          password_hash: hash,
          demo: input.demo ?? false,
        })
        .execute();
      for (const g of input.roles)
        await tx
          .insertInto('user_roles')
          .values({
            user_id: id,
            role: g.role,
            unit_code: g.role === 'provinceViewer' ? null : g.unitCode,
            province_code: g.role === 'provinceViewer' ? g.provinceCode : null,
          })
          .execute();
    });
    return (await this.getUser(id))!;
  }

  async getUser(id: string): Promise<User | undefined> {
    // One round trip: the user and their roles.
    const rows = await this.db
      .selectFrom('users')
      .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select(['users.id', 'username', 'full_name', 'disabled', 'demo', 'role', 'unit_code', 'province_code'])
      .where('users.id', '=', id)
      .execute();
    const u = rows[0];
    if (!u) return undefined;
    return {
      id: u.id,
      username: u.username,
      fullName: u.full_name,
      disabled: u.disabled,
      demo: u.demo,
      roles: rows
        .filter((r) => r.role !== null)
        .map((r) =>
          r.role === 'provinceViewer'
            ? { role: 'provinceViewer' as const, provinceCode: r.province_code! }
            : { role: r.role as Exclude<Role, 'provinceViewer'>, unitCode: r.unit_code! },
        ),
    };
  }

  /** The user whose password matches, or undefined (the same work is done for an unknown name). */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const u = await this.db
      .selectFrom('users')
      .select(['id', 'password_hash', 'disabled'])
      .where('username', '=', username.trim().toLowerCase())
      .executeTakeFirst();
    const ok = await verifyPassword(password, u?.password_hash ?? DUMMY_HASH);
    if (!u || !ok || u.disabled || !u.password_hash) return undefined;
    return this.getUser(u.id);
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', userId)
      .execute();
  }

  async countUsers(): Promise<{ all: number; demo: number }> {
    const r = await this.db
      .selectFrom('users')
      .select([
        sql<number>`count(*)::int`.as('all'),
        sql<number>`count(*) filter (where demo)::int`.as('demo'),
      ])
      .executeTakeFirstOrThrow();
    return { all: Number(r.all), demo: Number(r.demo) };
  }

  /** A new session: the token goes in the cookie, only its hash in the database. */
  async createSession(userId: string, ttlMs = 8 * 3_600_000) {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlMs);
    await this.db
      .insertInto('sessions')
      .values({ id: sha256(token), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt })
      .execute();
    return { token, csrfToken, expiresAt };
  }

  async sessionUser(token: string): Promise<{ user: User; csrfToken: string } | undefined> {
    const s = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', sha256(token))
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    if (!s) return undefined;
    const user = await this.getUser(s.user_id);
    return user && !user.disabled ? { user, csrfToken: s.csrf_token } : undefined;
  }

  async deleteSession(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
  }

  /** An API token for a vendor system, shown once (`mc_…`); only its hash is kept. */
  async createApiToken(userId: string, name: string): Promise<string> {
    const token = `mc_${randomBytes(30).toString('base64url')}`;
    await this.db
      .insertInto('api_tokens')
      .values({ id: randomUUID(), token_hash: sha256(token), user_id: userId, name })
      .execute();
    return token;
  }

  async tokenUser(token: string): Promise<User | undefined> {
    const t = await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date() })
      .where('token_hash', '=', sha256(token))
      .where('revoked_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
    if (!t) return undefined;
    const user = await this.getUser(t.user_id);
    return user && !user.disabled ? user : undefined;
  }

  // ---- procedures ----

  /** Stores a unit's procedures (catalogue entries of @motcua/procedures), replacing same codes. */
  async upsertProcedures(unitCode: string, procedures: readonly { code: string; name: { vi: string } }[]) {
    for (const p of procedures) {
      const row = {
        unit_code: unitCode,
        code: p.code,
        name: p.name.vi,
        data: JSON.stringify(p),
        updated_at: new Date(),
      };
      await this.db
        .insertInto('procedures')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['unit_code', 'code'])
            .doUpdateSet({ name: row.name, data: row.data, updated_at: row.updated_at }),
        )
        .execute();
    }
  }

  async listProcedures(unitCode: string, q?: string): Promise<Record<string, unknown>[]> {
    let query = this.db.selectFrom('procedures').select(['data']).where('unit_code', '=', unitCode);
    if (q?.trim()) {
      const like = `%${q.trim().toLowerCase()}%`;
      query = query.where((eb) => eb.or([eb(sql`lower(name)`, 'like', like), eb('code', 'like', like)]));
    }
    return (await query.orderBy('code').execute()).map((r) => parseJson(r.data));
  }

  async getProcedure(unitCode: string, code: string): Promise<Record<string, unknown> | undefined> {
    const r = await this.db
      .selectFrom('procedures')
      .select(['data'])
      .where('unit_code', '=', unitCode)
      .where('code', '=', code)
      .executeTakeFirst();
    return r ? parseJson(r.data) : undefined;
  }

  // ---- dossiers ----

  /**
   * Receives a dossier: a code unique for the unit and day (an atomic counter, no race however many desks
   * file at once), the `received` event, the appointment from the deadlines engine on the unit's calendar,
   * and the lookup secret for the public status page (returned once; only its hash is kept). All or nothing.
   */
  async createDossier(input: {
    unitCode: string;
    /** The unit as the caller already read it (saves reading it again); read here when absent. */
    unit?: Unit;
    procedure: { code: string; name: { vi: string }; limit: ProcedureLimit };
    channel: Channel;
    applicant: Applicant;
    receivedAt?: string;
    verification?: boolean;
    actor: string | null;
    /** Events after receipt, for imports and demo data (validated in order like any other). */
    events?: DossierEvent[];
    /** The e-form's fields. */
    form?: Record<string, unknown>;
    /** The Portal's ID of an online dossier (unique: the same Portal dossier never becomes two). */
    portalId?: string;
    /**
     * An idempotency key for the intake (a desk that retries after a lost answer): the same key returns the
     * dossier made the first time (`lookupSecret` is then empty: it was shown once).
     */
    intakeKey?: string;
    /**
     * Messages for the national systems, written in the same transaction (the transactional outbox). A
     * function receives the new dossier's ID and code.
     */
    messages?: OutboxInput[] | ((d: { id: string; code: string }) => OutboxInput[]);
  }): Promise<{ dossier: DossierSummary; lookupSecret: string }> {
    if (input.intakeKey) {
      const seen = await this.#byIntakeKey(input.unitCode, input.intakeKey);
      if (seen) return { dossier: seen, lookupSecret: '' };
    }
    const unit = input.unit?.code === input.unitCode ? input.unit : await this.getUnit(input.unitCode);
    if (!unit) throw noUnit(input.unitCode);
    const receivedMs = input.receivedAt ? parseInstant(input.receivedAt) : Date.now();
    const received: DossierEvent = DossierEventSchema.parse({
      type: 'received',
      at: toInstant(receivedMs),
      channel: input.channel,
      ...(input.verification ? { verification: true } : {}),
    });
    const events = [received, ...(input.events ?? []).map((e) => DossierEventSchema.parse(e))];
    const calendar = await this.calendarOf(input.unitCode);
    // The lifecycle rules are checked before anything is written.
    const report = replay(events, { limit: input.procedure.limit, calendar });
    const day = dateOf(receivedMs);
    const id = randomUUID();
    const lookupSecret = Array.from(randomBytes(8), (b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join(
      '',
    );
    const dossier = await this.db.transaction().execute(async (tx) => {
      if (input.intakeKey) {
        // Two retries of one intake racing: the second waits for the first and answers its dossier.
        await sql`select pg_advisory_xact_lock(hashtext(${`${input.unitCode}:${input.intakeKey}`}))`.execute(
          tx,
        );
        const again = await tx
          .selectFrom('dossiers')
          .select('code')
          .where('intake_key', '=', `${input.unitCode}:${input.intakeKey}`)
          .executeTakeFirst();
        if (again) return { code: again.code, fresh: false, row: undefined };
      }
      const { last } = await tx
        .insertInto('dossier_counters')
        .values({ unit_code: input.unitCode, day, last: 1 })
        .onConflict((oc) =>
          oc.columns(['unit_code', 'day']).doUpdateSet({ last: sql`dossier_counters.last + 1` }),
        )
        .returning('last')
        .executeTakeFirstOrThrow();
      const code = formatDossierCode({ agencyCode: unit.agencyCode, receivedOn: day, sequence: last });
      // The dossier, its events and the audit row in one statement (the day's counter stays locked until
      // the commit: the fewer round trips, the sooner the next intake of the unit gets its number). The
      // foreign keys are checked at the end of the statement, when the dossier is there.
      const row = await tx
        .with('events', (db) =>
          db.insertInto('dossier_events').values(events.map((e, i) => eventRow(id, i + 1, e, input.actor))),
        )
        .with('audit', (db) =>
          db
            .insertInto('audit_log')
            .values(auditRow(input.actor ?? 'system', 'dossier.create', input.unitCode, id, { code })),
        )
        .insertInto('dossiers')
        .values({
          id,
          code,
          unit_code: input.unitCode,
          procedure_code: input.procedure.code,
          procedure_name: input.procedure.name.vi,
          channel: input.channel,
          limit: JSON.stringify(input.procedure.limit),
          applicant: JSON.stringify(input.applicant),
          lookup_hash: sha256(`${code}:${lookupSecret}`),
          received_at: new Date(receivedMs),
          form: JSON.stringify(input.form ?? {}),
          portal_id: input.portalId ?? null,
          intake_key: input.intakeKey ? `${input.unitCode}:${input.intakeKey}` : null,
          ...projection(report, events),
        })
        .returning(SUMMARY_COLUMNS)
        .executeTakeFirstOrThrow();
      const messages =
        typeof input.messages === 'function' ? input.messages({ id, code }) : (input.messages ?? []);
      await DatabaseOutboxStore.appendManyIn(
        tx,
        messages.map((m) => newOutboxMessage(m, Date.now())),
      );
      return { code, fresh: true, row };
    });
    const made = dossier.row ? summary(dossier.row) : (await this.getDossier(dossier.code))!;
    return { dossier: made, lookupSecret: dossier.fresh ? lookupSecret : '' };
  }

  async #byIntakeKey(unitCode: string, key: string): Promise<DossierSummary | undefined> {
    const r = await this.db
      .selectFrom('dossiers')
      .select(SUMMARY_COLUMNS)
      .where('intake_key', '=', `${unitCode}:${key}`)
      .executeTakeFirst();
    return r ? summary(r) : undefined;
  }

  /**
   * Appends one event: the dossier row is locked, the whole history replayed with the new event by the
   * deadlines engine (a forbidden step throws its `LifecycleError`, naming the rule), then the event and
   * the rebuilt projection are written together.
   */
  async appendEvent(
    dossierId: string,
    event: DossierEvent,
    actor: string | null,
    options: {
      messages?: (d: { id: string; code: string; seq: number }) => OutboxInput[];
      /**
       * More work in the event's own transaction, after the event and the projection are written (the fee
       * store records a payment with its `paid` event this way). Throwing rolls the whole change back.
       */
      within?: (
        tx: Transaction<Database>,
        d: { id: string; code: string; unitCode: string; seq: number },
      ) => Promise<void>;
      /** The dossier's unit as the caller already read it (saves a read); read here when absent. */
      unitCode?: string;
      /**
       * The applicant's personal data was read (with {@link Store.dossierInputs}) to make `messages`: when
       * any message is made, the read is written to the audit log with this purpose, in the same transaction.
       */
      personalDataRead?: { purpose: string };
    } = {},
  ): Promise<DossierSummary> {
    const parsed = DossierEventSchema.parse(event);
    // The unit's calendar is loaded before the transaction: on PGlite (one connection) a query outside the
    // transaction while it holds the connection would wait for ever.
    let unitCode = options.unitCode;
    if (!unitCode) {
      const unit = await this.db
        .selectFrom('dossiers')
        .select('unit_code')
        .where('id', '=', dossierId)
        .executeTakeFirst();
      if (!unit) throw noDossier();
      unitCode = unit.unit_code;
    }
    const calendar = await this.calendarOf(unitCode);
    const written = await this.db.transaction().execute(async (tx) => {
      const d = await tx
        .selectFrom('dossiers')
        .select(['id', 'code', 'unit_code', 'limit', 'event_count'])
        .where('id', '=', dossierId)
        .forUpdate()
        .executeTakeFirst();
      if (!d) throw noDossier();
      if (d.unit_code !== unitCode)
        throw new Error(`appendEvent: unitCode ${unitCode} is not the unit of dossier ${dossierId}`);
      const history = await loadEvents(tx, dossierId);
      const events = [...history.map((h) => h.event), parsed];
      const report = replay(events, {
        limit: parseJson(d.limit),
        calendar,
      });
      const seq = d.event_count + 1;
      const messages = options.messages?.({ id: d.id, code: d.code, seq }) ?? [];
      const audits = [
        auditRow(actor ?? 'system', `dossier.event.${parsed.type}`, d.unit_code, dossierId, {}),
      ];
      if (options.personalDataRead && messages.length > 0)
        audits.push(
          auditRow('system', 'personal_data.read', d.unit_code, dossierId, {
            purpose: options.personalDataRead.purpose,
          }),
        );
      // The event, the audit rows and the rebuilt projection in one statement.
      const row = await tx
        .with('event', (db) =>
          db.insertInto('dossier_events').values(eventRow(dossierId, seq, parsed, actor)),
        )
        .with('audit', (db) => db.insertInto('audit_log').values(audits))
        .updateTable('dossiers')
        .set(projection(report, events))
        .where('id', '=', dossierId)
        .returning(SUMMARY_COLUMNS)
        .executeTakeFirstOrThrow();
      await DatabaseOutboxStore.appendManyIn(
        tx,
        messages.map((m) => newOutboxMessage(m, Date.now())),
      );
      await options.within?.(tx, { id: d.id, code: d.code, unitCode: d.unit_code, seq });
      // Work in `within` may have changed the dossier: read it again then.
      return options.within ? undefined : row;
    });
    return written ? summary(written) : (await this.getDossier(dossierId))!;
  }

  /** A dossier by ID or code (no personal data). */
  async getDossier(idOrCode: string): Promise<DossierSummary | undefined> {
    const r = await this.db
      .selectFrom('dossiers')
      .select(SUMMARY_COLUMNS)
      .where(idOrCodeColumn(idOrCode), '=', idOrCode)
      .executeTakeFirst();
    return r ? summary(r) : undefined;
  }

  /** The applicant's personal data; every read is written to the audit log with who read it and why. */
  async dossierApplicant(dossierId: string, actor: string, purpose: string): Promise<Applicant | undefined> {
    const r = await this.db
      .selectFrom('dossiers')
      .select(['applicant', 'unit_code'])
      .where('id', '=', dossierId)
      .executeTakeFirst();
    if (!r) return undefined;
    await audit(this.db, actor, 'personal_data.read', r.unit_code, dossierId, { purpose });
    return parseJson(r.applicant);
  }

  async events(dossierId: string): Promise<StoredEvent[]> {
    return loadEvents(this.db, dossierId);
  }

  /** Rebuilds a dossier's projection from its events and says whether the stored one agreed. */
  async checkProjection(
    dossierId: string,
    at?: string,
  ): Promise<{ agrees: boolean; stored: DossierSummary; rebuilt: ReturnType<typeof projection> }> {
    const stored = await this.getDossier(dossierId);
    if (!stored) throw noDossier();
    const d = await this.db
      .selectFrom('dossiers')
      .select(['limit'])
      .where('id', '=', dossierId)
      .executeTakeFirstOrThrow();
    const events = (await this.events(dossierId)).map((e) => e.event);
    const rebuilt = projection(
      replay(events, {
        limit: parseJson(d.limit),
        calendar: await this.calendarOf(stored.unitCode),
        ...(at ? { at } : {}),
      }),
      events,
    );
    const same = (a: Date | null, b: string | null) =>
      a === null ? b === null : b !== null && a.getTime() === Date.parse(b);
    const agrees =
      rebuilt.phase === stored.phase &&
      same(rebuilt.appointment, stored.appointment) &&
      same(rebuilt.original_appointment, stored.originalAppointment) &&
      rebuilt.classification === stored.classification &&
      rebuilt.supplement_requests === stored.supplementRequests &&
      rebuilt.event_count === stored.eventCount;
    return { agrees, stored, rebuilt };
  }

  /** The work lists: always scoped to units; filters for mine, due soon, overdue, waiting, by step, procedure, channel. */
  async listDossiers(query: DossierQuery): Promise<{ items: DossierSummary[]; total: number }> {
    if (query.unitCodes.length === 0) return { items: [], total: 0 };
    const now = new Date();
    let q = this.db.selectFrom('dossiers').where('unit_code', 'in', query.unitCodes);
    if (query.phase) q = q.where('phase', 'in', Array.isArray(query.phase) ? query.phase : [query.phase]);
    if (query.overdue === true) q = q.where('phase', 'in', ACTIVE).where('appointment', '<', now);
    if (query.overdue === false)
      q = q.where((eb) =>
        eb.or([eb('phase', 'not in', ACTIVE), eb('appointment', 'is', null), eb('appointment', '>=', now)]),
      );
    if (query.dueBefore)
      q = q.where('phase', 'in', ACTIVE).where('appointment', '<', new Date(parseInstant(query.dueBefore)));
    if (query.assignedTo) q = q.where('assigned_to', '=', query.assignedTo);
    if (query.step) q = q.where('current_step', '=', query.step);
    if (query.procedureCode) q = q.where('procedure_code', '=', query.procedureCode);
    if (query.channel) q = q.where('channel', '=', query.channel);
    if (query.receivedFrom) q = q.where('received_at', '>=', new Date(parseInstant(query.receivedFrom)));
    if (query.receivedTo) q = q.where('received_at', '<', new Date(parseInstant(query.receivedTo)));
    if (query.q?.trim()) {
      const like = `%${query.q.trim().toLowerCase()}%`;
      q = q.where((eb) =>
        eb.or([eb(sql`lower(code)`, 'like', like), eb(sql`lower(procedure_name)`, 'like', like)]),
      );
    }
    // The page and the total in one statement, the total as an uncorrelated subquery (computed once). A
    // window count instead made PostgreSQL sort every row of the list rather than keep the top ones (the
    // load bench's list reads went from ~100 ms to 1.6 s on PGlite as dossiers piled up).
    const counting = q.select(sql<number>`count(*)::int`.as('total'));
    const rows = await q
      .select(SUMMARY_COLUMNS)
      .select(counting.as('total'))
      .orderBy('appointment', 'asc')
      .orderBy('code')
      .limit(Math.min(query.limit ?? 50, 500))
      .offset(query.offset ?? 0)
      .execute();
    // A page past the end has no row to carry the total: counted apart then.
    const total = rows[0] ? Number(rows[0].total) : Number((await counting.executeTakeFirstOrThrow()).total);
    return { items: rows.map(summary), total };
  }

  /**
   * The dossiers a person applied for (a citizen signed in with the e-ID), newest first, by the applicant's
   * personal ID number (an index serves it). Scoping to this one person is the caller's duty.
   *
   * @example
   * ```ts
   * const mine = await store.dossiersOfApplicant(citizen.personalId);
   * ```
   */
  async dossiersOfApplicant(personalId: string, limit = 200): Promise<DossierSummary[]> {
    const rows = await this.db
      .selectFrom('dossiers')
      .select(SUMMARY_COLUMNS)
      .where(sql`applicant -> 'person' ->> 'personalId'`, '=', personalId)
      .orderBy('received_at', 'desc')
      .limit(Math.min(limit, 500))
      .execute();
    return rows.map(summary);
  }

  /** The public status page: the dossier by its code and the secret printed on the receipt, nothing more. */
  async publicStatus(
    code: string,
    lookupSecret: string,
  ): Promise<
    | Pick<DossierSummary, 'code' | 'procedureName' | 'phase' | 'receivedAt' | 'appointment' | 'overdue'>
    | undefined
  > {
    const r = await this.db
      .selectFrom('dossiers')
      .selectAll()
      .where('code', '=', code)
      .where('lookup_hash', '=', sha256(`${code}:${lookupSecret.trim().toUpperCase()}`))
      .executeTakeFirst();
    if (!r) return undefined;
    const s = summary(r);
    return {
      code: s.code,
      procedureName: s.procedureName,
      phase: s.phase,
      receivedAt: s.receivedAt,
      appointment: s.appointment,
      overdue: s.overdue,
    };
  }

  /** A dossier page: the summary, the events and the status report, with the events read once. */
  async dossierDetail(idOrCode: string, at?: string) {
    // The dossier and its events in one statement.
    const d = await this.db
      .selectFrom('dossiers')
      .select(SUMMARY_COLUMNS)
      .select('limit')
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('dossier_events')
            .select(['seq', 'data', 'recorded_by', 'recorded_at'])
            .whereRef('dossier_events.dossier_id', '=', 'dossiers.id')
            .orderBy('seq'),
        ).as('events'),
      )
      .where(idOrCodeColumn(idOrCode), '=', idOrCode)
      .executeTakeFirst();
    if (!d) return undefined;
    const dossier = summary(d);
    const events = parseJson<typeof d.events>(d.events).map(storedEvent);
    const status = replay(
      events.map((e) => e.event),
      { limit: parseJson(d.limit), calendar: await this.calendarOf(dossier.unitCode), ...(at ? { at } : {}) },
    );
    return { dossier, events, status };
  }

  /** The full status report of a dossier now (or at an instant), from its events. */
  async statusReport(dossierId: string, at?: string): Promise<DossierStatusReport> {
    const d = await this.db
      .selectFrom('dossiers')
      .select(['limit', 'unit_code'])
      .where('id', '=', dossierId)
      .executeTakeFirst();
    if (!d) throw noDossier();
    const events = (await this.events(dossierId)).map((e) => e.event);
    return replay(events, {
      limit: parseJson(d.limit),
      calendar: await this.calendarOf(d.unit_code),
      ...(at ? { at } : {}),
    });
  }

  /**
   * The histories of a set of units' dossiers received in a period (for statistics), in batches so a
   * province's year streams through memory.
   */
  async *histories(unitCodes: string[], receivedFrom?: string, receivedTo?: string) {
    if (unitCodes.length === 0) return;
    let after = '';
    for (;;) {
      let q = this.db
        .selectFrom('dossiers')
        .select(['id', 'code', 'unit_code', 'procedure_code', 'limit', 'assigned_to'])
        .where('unit_code', 'in', unitCodes)
        .where('code', '>', after);
      if (receivedFrom) q = q.where('received_at', '>=', new Date(parseInstant(receivedFrom)));
      if (receivedTo) q = q.where('received_at', '<', new Date(parseInstant(receivedTo)));
      const batch = await q.orderBy('code').limit(500).execute();
      if (batch.length === 0) return;
      const events = await this.db
        .selectFrom('dossier_events')
        .select(['dossier_id', 'data'])
        .where(
          'dossier_id',
          'in',
          batch.map((b) => b.id),
        )
        .orderBy('dossier_id')
        .orderBy('seq')
        .execute();
      const byId = new Map<string, DossierEvent[]>();
      for (const e of events) {
        const list = byId.get(e.dossier_id) ?? [];
        list.push(parseJson<DossierEvent>(e.data));
        byId.set(e.dossier_id, list);
      }
      for (const b of batch)
        yield {
          dossierCode: b.code,
          procedureCode: b.procedure_code,
          unitCode: b.unit_code,
          ...(b.assigned_to ? { officerId: b.assigned_to } : {}),
          limit: parseJson<ProcedureLimit>(b.limit),
          events: byId.get(b.id) ?? [],
        };
      after = batch.at(-1)!.code;
    }
  }

  // ---- integrations ----

  /** A setting shared by every process (a Portal cursor, a last run). */
  async getSetting<T>(key: string): Promise<T | undefined> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r ? parseJson<{ v: T }>(r.value).v : undefined;
  }

  /**
   * Every setting whose key starts with `prefix`, as `[key, value]` pairs in key order.
   *
   * @example
   * ```ts
   * const cursors = await store.settingsWithPrefix<string>('portal-cursor:');
   * ```
   */
  async settingsWithPrefix<T>(prefix: string): Promise<[string, T][]> {
    const rows = await this.db
      .selectFrom('settings')
      .select(['key', 'value'])
      .where('key', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      .orderBy('key')
      .execute();
    return rows.map((r) => [r.key, parseJson<{ v: T }>(r.value).v]);
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    // Wrapped in an object: a bare JSON string would come back from the driver already decoded.
    const row = { key, value: JSON.stringify({ v: value }), updated_at: new Date() };
    await this.db
      .insertInto('settings')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }

  /**
   * What the integrations need to make a dossier's messages, in one read: the applicant, the e-form and the
   * Portal ID. Nothing is written to the audit log here: pass `personalDataRead` to
   * {@link Store.appendEvent}, which records the read when a message is made.
   *
   * @example
   * ```ts
   * const inputs = await store.dossierInputs(dossier.id);
   * inputs?.applicant.kind; // 'person'
   * ```
   */
  async dossierInputs(
    dossierId: string,
  ): Promise<{ applicant: Applicant; form: Record<string, unknown>; portalId: string | null } | undefined> {
    const r = await this.db
      .selectFrom('dossiers')
      .select(['applicant', 'form', 'portal_id'])
      .where('id', '=', dossierId)
      .executeTakeFirst();
    return r
      ? { applicant: parseJson(r.applicant), form: parseJson(r.form), portalId: r.portal_id }
      : undefined;
  }

  /** The e-form and the Portal ID of a dossier (the form may hold personal data: read through here). */
  async dossierForm(
    dossierId: string,
  ): Promise<{ form: Record<string, unknown>; portalId: string | null } | undefined> {
    const r = await this.db
      .selectFrom('dossiers')
      .select(['form', 'portal_id'])
      .where('id', '=', dossierId)
      .executeTakeFirst();
    return r ? { form: parseJson(r.form), portalId: r.portal_id } : undefined;
  }

  async dossierByPortalId(portalId: string): Promise<DossierSummary | undefined> {
    const r = await this.db
      .selectFrom('dossiers')
      .select(SUMMARY_COLUMNS)
      .where('portal_id', '=', portalId)
      .executeTakeFirst();
    return r ? summary(r) : undefined;
  }

  /**
   * Records an incoming callback (payment, signature, Portal push) by its event ID: true the first time,
   * false for a repeat (the inbox de-duplicates; the caller ignores repeats).
   */
  async inbox(source: string, eventId: string): Promise<boolean> {
    const r = await this.db
      .insertInto('inbox')
      .values({ source, event_id: eventId })
      .onConflict((oc) => oc.columns(['source', 'event_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Where a dossier stands with a national system (`pending`, `verified`, `registered`, `failed`...). */
  async setIntegration(
    dossierId: string,
    system: string,
    status: string,
    detail: Record<string, unknown> = {},
  ) {
    const row = {
      dossier_id: dossierId,
      system,
      status,
      detail: JSON.stringify(detail),
      updated_at: new Date(),
    };
    await this.db
      .insertInto('dossier_integrations')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['dossier_id', 'system'])
          .doUpdateSet({ status, detail: row.detail, updated_at: row.updated_at }),
      )
      .execute();
  }

  async integrations(dossierId: string) {
    const rows = await this.db
      .selectFrom('dossier_integrations')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .orderBy('system')
      .execute();
    return rows.map((r) => ({
      system: r.system,
      status: r.status,
      detail: parseJson<Record<string, unknown>>(r.detail),
      updatedAt: ts(r.updated_at)!,
    }));
  }

  // ---- documents ----

  async addDocument(
    dossierId: string,
    doc: { name: string; contentType: string; bytes: Uint8Array },
    actor: string,
  ) {
    const { sha256: hash, size } = await this.content.put(doc.bytes);
    const id = randomUUID();
    await this.db
      .insertInto('documents')
      .values({
        id,
        dossier_id: dossierId,
        name: doc.name,
        sha256: hash,
        size,
        content_type: doc.contentType,
      })
      .execute();
    await audit(this.db, actor, 'document.add', null, dossierId, { name: doc.name, sha256: hash });
    return { id, sha256: hash, size };
  }

  async listDocuments(dossierId: string) {
    return this.db
      .selectFrom('documents')
      .select(['id', 'name', 'sha256', 'size', 'content_type', 'created_at'])
      .where('dossier_id', '=', dossierId)
      .orderBy('created_at')
      .execute();
  }

  // ---- queue ----

  /** Takes the next number of the day at a unit (atomic: two kiosks never print the same number). */
  async takeTicket(unitCode: string, counter: string) {
    const day = dateOf(Date.now());
    return this.db.transaction().execute(async (tx) => {
      const { last } = await tx
        .insertInto('dossier_counters')
        .values({ unit_code: unitCode, day: `queue:${day}`, last: 1 })
        .onConflict((oc) =>
          oc.columns(['unit_code', 'day']).doUpdateSet({ last: sql`dossier_counters.last + 1` }),
        )
        .returning('last')
        .executeTakeFirstOrThrow();
      const id = randomUUID();
      await tx
        .insertInto('queue_tickets')
        .values({ id, unit_code: unitCode, day, counter, number: last, status: 'waiting', called_at: null })
        .execute();
      return { id, number: last, counter, day };
    });
  }

  /** Calls the oldest waiting ticket of a counter (skip-locked: two officers never call the same one). */
  async callNext(unitCode: string, counter: string) {
    const day = dateOf(Date.now());
    return this.db.transaction().execute(async (tx) => {
      const next = await tx
        .selectFrom('queue_tickets')
        .select(['id', 'number'])
        .where('unit_code', '=', unitCode)
        .where('day', '=', day)
        .where('counter', '=', counter)
        .where('status', '=', 'waiting')
        .orderBy('number')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!next) return undefined;
      await tx
        .updateTable('queue_tickets')
        .set({ status: 'called', called_at: new Date() })
        .where('id', '=', next.id)
        .execute();
      return { id: next.id, number: next.number, counter };
    });
  }

  /** What the display shows: the numbers called last per counter, and how many wait. */
  async queueDisplay(unitCode: string) {
    const day = dateOf(Date.now());
    const called = await this.db
      .selectFrom('queue_tickets')
      .select(['counter', 'number', 'called_at'])
      .where('unit_code', '=', unitCode)
      .where('day', '=', day)
      .where('status', '=', 'called')
      .orderBy('called_at', 'desc')
      .limit(10)
      .execute();
    const { waiting } = await this.db
      .selectFrom('queue_tickets')
      .select(sql<number>`count(*)::int`.as('waiting'))
      .where('unit_code', '=', unitCode)
      .where('day', '=', day)
      .where('status', '=', 'waiting')
      .executeTakeFirstOrThrow();
    return {
      called: called.map((c) => ({ counter: c.counter, number: c.number })),
      waiting: Number(waiting),
    };
  }

  // ---- audit ----

  async audit(
    actor: string,
    action: string,
    unitCode: string | null,
    dossierId: string | null,
    detail: Record<string, unknown> = {},
  ) {
    await audit(this.db, actor, action, unitCode, dossierId, detail);
  }

  async auditLog(filter: { dossierId?: string; action?: string; limit?: number } = {}) {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (filter.dossierId) q = q.where('dossier_id', '=', filter.dossierId);
    if (filter.action) q = q.where('action', '=', filter.action);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map((r) => ({
      ...r,
      id: String(r.id),
      at: ts(r.at)!,
      detail: parseJson<Record<string, unknown>>(r.detail),
    }));
  }
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

type Db = Kysely<Database> | Transaction<Database>;

/** The row of one event. */
function eventRow(dossierId: string, seq: number, e: DossierEvent, actor: string | null) {
  return {
    dossier_id: dossierId,
    seq,
    type: e.type,
    at: e.at,
    at_ts: new Date(parseInstant(e.at)),
    data: JSON.stringify(e),
    recorded_by: actor && UUID.test(actor) ? actor : null,
  };
}

async function loadEvents(db: Db, dossierId: string): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('dossier_events')
    .select(['seq', 'data', 'recorded_by', 'recorded_at'])
    .where('dossier_id', '=', dossierId)
    .orderBy('seq')
    .execute();
  return rows.map(storedEvent);
}

/** An event as read (`recorded_at` is a string when it comes through JSON). */
function storedEvent(r: {
  seq: number;
  data: unknown;
  recorded_by: string | null;
  recorded_at: Date | string;
}) {
  return {
    seq: r.seq,
    event: parseJson<DossierEvent>(r.data),
    recordedBy: r.recorded_by,
    recordedAt: ts(r.recorded_at)!,
  };
}

/** The row of one audit entry. */
function auditRow(
  actor: string,
  action: string,
  unitCode: string | null,
  dossierId: string | null,
  detail: Record<string, unknown>,
) {
  return { actor, action, unit_code: unitCode, dossier_id: dossierId, detail: JSON.stringify(detail) };
}

async function audit(
  db: Db,
  actor: string,
  action: string,
  unitCode: string | null,
  dossierId: string | null,
  detail: Record<string, unknown>,
) {
  await db
    .insertInto('audit_log')
    .values(auditRow(actor, action, unitCode, dossierId, detail))
    .execute();
}

/** The columns the work lists read, all derived from the events by the deadlines engine. */
function projection(report: DossierStatusReport, events: readonly DossierEvent[]) {
  let assignedTo: string | null = null;
  let step: string | null = null;
  for (const e of events)
    if (e.type === 'transferred') {
      step = e.step;
      assignedTo = e.to?.id ?? null;
    }
  return {
    phase: report.phase,
    appointment: report.appointment.current ? new Date(parseInstant(report.appointment.current)) : null,
    original_appointment: report.appointment.original
      ? new Date(parseInstant(report.appointment.original))
      : null,
    classification: report.classification ?? null,
    supplement_requests: events.filter((e) => e.type === 'supplementRequested').length,
    event_count: events.length,
    assigned_to: assignedTo,
    current_step: step,
    updated_at: new Date(),
  };
}

function summary(r: {
  id: string;
  code: string;
  unit_code: string;
  procedure_code: string;
  procedure_name: string;
  channel: string;
  received_at: Date | string;
  phase: string;
  appointment: Date | string | null;
  original_appointment: Date | string | null;
  classification: string | null;
  supplement_requests: number;
  event_count: number;
  assigned_to: string | null;
  current_step: string | null;
}): DossierSummary {
  const appointment = ts(r.appointment);
  return {
    id: r.id,
    code: r.code,
    unitCode: r.unit_code,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    channel: r.channel as Channel,
    receivedAt: ts(r.received_at)!,
    phase: r.phase,
    appointment,
    originalAppointment: ts(r.original_appointment),
    classification: r.classification,
    supplementRequests: r.supplement_requests,
    eventCount: r.event_count,
    assignedTo: r.assigned_to,
    currentStep: r.current_step,
    overdue: ACTIVE.includes(r.phase) && appointment !== null && Date.parse(appointment) < Date.now(),
  };
}
