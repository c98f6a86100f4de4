import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/**
 * The schema's versions, in order. Never edit a released migration: add the next one. They run at start-up
 * (`openStore`) and by `motcua admin migrate`, under the migrator's lock, so several processes starting
 * together migrate once.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table units (
          code text primary key check (code ~ '^[0-9]{5}$'),
          name text not null,
          province_code text not null check (province_code ~ '^[0-9]{2}$'),
          agency_code text not null unique,
          calendar jsonb not null default '{}',
          treasury_account text,
          created_at timestamptz not null default now()
        );
        create table users (
          id uuid primary key,
          username text not null unique,
          full_name text not null,
          password_hash text,
          disabled boolean not null default false,
          demo boolean not null default false,
          created_at timestamptz not null default now()
        );
        create table user_roles (
          user_id uuid not null references users(id) on delete cascade,
          role text not null check (role in ('receptionist','specialist','leader','unitAdmin','provinceViewer')),
          unit_code text references units(code),
          province_code text,
          check ((role = 'provinceViewer' and province_code is not null and unit_code is null)
              or (role <> 'provinceViewer' and unit_code is not null and province_code is null))
        );
        create unique index user_roles_unique on user_roles (user_id, role, coalesce(unit_code, ''), coalesce(province_code, ''));
        create table sessions (
          id text primary key,
          user_id uuid not null references users(id) on delete cascade,
          csrf_token text not null,
          expires_at timestamptz not null,
          created_at timestamptz not null default now()
        );
        create table api_tokens (
          id uuid primary key,
          token_hash text not null unique,
          user_id uuid not null references users(id) on delete cascade,
          name text not null,
          created_at timestamptz not null default now(),
          last_used_at timestamptz,
          revoked_at timestamptz
        );
        create table procedures (
          unit_code text not null references units(code),
          code text not null,
          name text not null,
          data jsonb not null,
          updated_at timestamptz not null default now(),
          primary key (unit_code, code)
        );
        create table dossier_counters (
          unit_code text not null references units(code),
          day text not null,
          last integer not null,
          primary key (unit_code, day)
        );
        create table dossiers (
          id uuid primary key,
          code text not null unique,
          unit_code text not null references units(code),
          procedure_code text not null,
          procedure_name text not null,
          channel text not null check (channel in ('direct','online','postal')),
          "limit" jsonb not null,
          applicant jsonb not null,
          lookup_hash text not null,
          received_at timestamptz not null,
          created_at timestamptz not null default now(),
          phase text not null,
          appointment timestamptz,
          original_appointment timestamptz,
          classification text,
          supplement_requests integer not null default 0,
          event_count integer not null,
          assigned_to text,
          current_step text,
          updated_at timestamptz not null
        );
        create index dossiers_unit_phase on dossiers (unit_code, phase, appointment);
        create index dossiers_unit_received on dossiers (unit_code, received_at);
        create table dossier_events (
          dossier_id uuid not null references dossiers(id),
          seq integer not null,
          type text not null,
          at text not null,
          at_ts timestamptz not null,
          data jsonb not null,
          recorded_by uuid references users(id),
          recorded_at timestamptz not null default now(),
          primary key (dossier_id, seq)
        );
        create table documents (
          id uuid primary key,
          dossier_id uuid not null references dossiers(id),
          name text not null,
          sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
          size integer not null,
          content_type text not null,
          created_at timestamptz not null default now()
        );
        create index documents_dossier on documents (dossier_id);
        create table fees (
          id uuid primary key,
          dossier_id uuid not null references dossiers(id),
          amount bigint not null check (amount >= 0),
          status text not null check (status in ('due','paid','waived')),
          reference text not null unique,
          paid_at timestamptz,
          receipt_number text
        );
        create table queue_tickets (
          id uuid primary key,
          unit_code text not null references units(code),
          day text not null,
          counter text not null,
          number integer not null,
          status text not null check (status in ('waiting','called','done','skipped')),
          created_at timestamptz not null default now(),
          called_at timestamptz,
          unique (unit_code, day, number)
        );
        create table audit_log (
          id bigserial primary key,
          at timestamptz not null default now(),
          actor text not null,
          action text not null,
          unit_code text,
          dossier_id uuid,
          detail jsonb not null default '{}'
        );
        create index audit_log_dossier on audit_log (dossier_id);
      `.execute(db);
    },
  },
  '0002_integrations': {
    async up(db: Kysely<unknown>) {
      await sql`
        alter table dossiers add column form jsonb not null default '{}';
        alter table dossiers add column portal_id text unique;
        create table outbox (
          id text primary key,
          key text not null,
          topic text not null,
          ordering_key text,
          payload jsonb not null,
          created_at bigint not null,
          status text not null check (status in ('pending','delivered','dead')),
          attempts integer not null default 0,
          next_attempt_at bigint not null,
          last_error text,
          delivered_at bigint,
          locked_until bigint
        );
        create index outbox_due on outbox (status, next_attempt_at) where status = 'pending';
        create index outbox_order on outbox (ordering_key, created_at, id) where status = 'pending';
        create index outbox_topic on outbox (topic, status);
        create table inbox (
          source text not null,
          event_id text not null,
          received_at timestamptz not null default now(),
          primary key (source, event_id)
        );
        create table pending_signatures (
          operation_id text primary key,
          status text not null,
          record jsonb not null,
          updated_at timestamptz not null default now()
        );
        create table dossier_integrations (
          dossier_id uuid not null references dossiers(id),
          system text not null,
          status text not null,
          detail jsonb not null default '{}',
          updated_at timestamptz not null default now(),
          primary key (dossier_id, system)
        );
      `.execute(db);
    },
  },
  '0003_settings': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table settings (
          key text primary key,
          value jsonb not null,
          updated_at timestamptz not null default now()
        );
        alter table dossiers add column intake_key text unique;
      `.execute(db);
    },
  },
  '0004_fees': {
    async up(db: Kysely<unknown>) {
      // One fee per dossier (computed from the procedure's schedule, its lines kept); its payments at the
      // counter, by VietQR or through the payment platform; at most one paid payment per fee; the receipt
      // number per unit and year; the treasury account collected into and the remittance deadline.
      await sql`
        alter table fees add column unit_code text references units(code);
        alter table fees add column lines jsonb not null default '[]';
        alter table fees add column request jsonb not null default '{}';
        alter table fees add column computed_at timestamptz;
        create unique index fees_dossier on fees (dossier_id);
        create table province_treasury_accounts (
          province_code text primary key check (province_code ~ '^[0-9]{2}$'),
          account text not null,
          holder text not null,
          updated_at timestamptz not null default now()
        );
        create table payments (
          id uuid primary key,
          fee_id uuid not null references fees(id),
          dossier_id uuid not null references dossiers(id),
          unit_code text not null references units(code),
          method text not null check (method in ('counter','vietqr','platform')),
          status text not null check (status in ('pending','paid','failed','expired','flagged')),
          amount bigint not null check (amount > 0),
          paid_amount bigint,
          reference text not null,
          platform_payment_id text unique,
          vietqr text,
          payer_url text,
          expires_at timestamptz,
          transaction_id text,
          requested_at timestamptz not null default now(),
          paid_at timestamptz,
          receipt_series text,
          receipt_number text,
          treasury_account text,
          designated_account boolean,
          remit_by timestamptz,
          remitted_at timestamptz,
          recorded_by text,
          flags jsonb not null default '[]',
          unique (unit_code, receipt_series, receipt_number)
        );
        create unique index payments_one_paid on payments (fee_id) where status = 'paid';
        create index payments_dossier on payments (dossier_id);
        create index payments_unit_paid on payments (unit_code, paid_at);
      `.execute(db);
    },
  },
  '0005_signing': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table signing_credentials (
          user_id uuid not null references users(id) on delete cascade,
          unit_code text not null references units(code),
          provider text not null check (provider in ('csc','async')),
          credential_id text not null,
          certificate text not null,
          updated_by text not null,
          updated_at timestamptz not null default now(),
          primary key (user_id, unit_code)
        );
        create table signing_delegations (
          id uuid primary key,
          unit_code text not null references units(code),
          from_user uuid not null references users(id),
          to_user uuid not null references users(id),
          scope text not null check (scope in ('result','certified_copy','all')),
          valid_from timestamptz not null,
          valid_until timestamptz not null,
          created_by text not null,
          created_at timestamptz not null default now(),
          revoked_at timestamptz,
          check (valid_until > valid_from),
          check (from_user <> to_user)
        );
        create index signing_delegations_unit on signing_delegations (unit_code, to_user);
        create table signed_documents (
          id uuid primary key,
          dossier_id uuid not null references dossiers(id),
          unit_code text not null references units(code),
          purpose text not null check (purpose in ('scan','result')),
          source_document_id uuid not null unique references documents(id),
          document_id uuid not null references documents(id),
          signatures jsonb not null default '[]',
          status text not null check (status in ('partial','complete')),
          version integer not null,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null
        );
        create index signed_documents_dossier on signed_documents (dossier_id);
        create index signed_documents_waiting on signed_documents (unit_code, purpose, status);
        create table signing_requests (
          operation_id text primary key,
          dossier_id uuid not null references dossiers(id),
          unit_code text not null references units(code),
          purpose text not null check (purpose in ('scan','result')),
          source_document_id uuid not null references documents(id),
          step text not null check (step in ('reception','specialist','leader')),
          user_id uuid not null references users(id),
          on_behalf_of uuid references users(id),
          base_version integer not null,
          status text not null check (status in ('pending','signed','rejected','expired','failed')),
          created_at timestamptz not null default now(),
          updated_at timestamptz not null
        );
        create index signing_requests_pending on signing_requests (unit_code, status);
      `.execute(db);
    },
  },
  '0006_citizens': {
    // A citizen signed in with the e-ID sees the dossiers they applied for: found by the applicant's ID
    // number without reading the whole table.
    async up(db: Kysely<unknown>) {
      await sql`
        create index dossiers_applicant_personal_id
          on dossiers ((applicant -> 'person' ->> 'personalId'), received_at desc)
      `.execute(db);
    },
  },
  '0007_treasury': {
    // The unit's State Treasury configuration (its budget chapter, collecting agency, the holder of its own
    // account, whose number stays in `units.treasury_account`, and a sub-item per fee item), and on each
    // payment the revenue record sent to the treasury: its ID, the treasury's answer, its reference and
    // the time the money was credited to the budget (which is then the payment's `remitted_at`).
    async up(db: Kysely<unknown>) {
      await sql`
        create table unit_treasury_configs (
          unit_code text primary key references units(code),
          chapter text not null check (chapter ~ '^[0-9]{3}$'),
          collecting_agency text not null check (collecting_agency ~ '^[0-9]{7}$'),
          account_holder text,
          sub_items jsonb not null default '{}',
          updated_at timestamptz not null default now(),
          updated_by text
        );
        alter table payments add column treasury_record_id text;
        alter table payments add column treasury_status text
          check (treasury_status in ('submitted','credited','rejected'));
        alter table payments add column treasury_reference text;
        alter table payments add column credited_at timestamptz;
        alter table payments add column treasury_reason text;
      `.execute(db);
    },
  },
  '0008_work_list': {
    // The work list "all" reads a unit's dossiers by appointment (then code), 20 at a time: with this index
    // PostgreSQL walks the first rows in order instead of sorting every dossier of the unit for each page.
    async up(db: Kysely<unknown>) {
      await sql`create index dossiers_unit_appointment on dossiers (unit_code, appointment, code)`.execute(
        db,
      );
    },
  },
};

class InCodeProvider implements MigrationProvider {
  async getMigrations() {
    return MIGRATIONS;
  }
}

/**
 * Runs every migration not yet applied; returns the names applied now.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { Kysely } from 'kysely';
 * import { migrateToLatest, PGliteDialect } from '@motcua/store';
 * const db = new Kysely<unknown>({ dialect: new PGliteDialect(new PGlite()) });
 * await migrateToLatest(db); // ['0001_initial', …]: every migration, the first time
 * await migrateToLatest(db); // []
 * ```
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
