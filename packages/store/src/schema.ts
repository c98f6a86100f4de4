import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

/** The roles of a unit's staff, and the province viewer. */
export const ROLES = ['receptionist', 'specialist', 'leader', 'unitAdmin', 'provinceViewer'] as const;
export type Role = (typeof ROLES)[number];

export interface UnitsTable {
  code: string;
  name: string;
  province_code: string;
  /** The agency's electronic identifier, the first part of its dossier codes. */
  agency_code: string;
  /** The unit's work calendar (`WorkCalendarConfigInput` of @motcua/calendar). */
  calendar: Json<Record<string, unknown>>;
  treasury_account: string | null;
  created_at: GeneratedTimestamp;
}

export interface UsersTable {
  id: string;
  username: string;
  full_name: string;
  password_hash: string | null;
  disabled: Generated<boolean>;
  /** A demo account (refused by a production start). */
  demo: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface UserRolesTable {
  user_id: string;
  role: Role;
  /** The unit, for unit roles. */
  unit_code: string | null;
  /** The province, for province viewers. */
  province_code: string | null;
}

export interface SessionsTable {
  /** SHA-256 of the session token (the token itself is only in the cookie). */
  id: string;
  user_id: string;
  csrf_token: string;
  expires_at: Timestamp;
  created_at: GeneratedTimestamp;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  name: string;
  created_at: GeneratedTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ProceduresTable {
  unit_code: string;
  code: string;
  name: string;
  /** The procedure as @motcua/procedures defines it. */
  data: Json<Record<string, unknown>>;
  updated_at: GeneratedTimestamp;
}

export interface DossierCountersTable {
  unit_code: string;
  day: string;
  last: number;
}

export interface DossiersTable {
  id: string;
  code: string;
  unit_code: string;
  procedure_code: string;
  procedure_name: string;
  channel: string;
  /** The limit that applied at receipt (a later catalogue change does not move it). */
  limit: Json<Record<string, unknown>>;
  /** Personal data: read through the audited functions only. */
  applicant: Json<Record<string, unknown>>;
  /** SHA-256 of the lookup secret printed on the receipt. */
  lookup_hash: string;
  received_at: Timestamp;
  created_at: GeneratedTimestamp;
  // The projection, rebuilt from the events on every change (never edited by hand).
  phase: string;
  appointment: Timestamp | null;
  original_appointment: Timestamp | null;
  classification: string | null;
  supplement_requests: number;
  event_count: number;
  assigned_to: string | null;
  current_step: string | null;
  updated_at: Timestamp;
  /** The e-form's fields (what the procedure asks beyond the applicant). */
  form: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The Portal's ID of an online dossier. */
  portal_id: string | null;
  /** The intake's idempotency key (a retried intake answers the dossier made the first time). */
  intake_key: string | null;
}

export interface DossierEventsTable {
  dossier_id: string;
  seq: number;
  type: string;
  at: string;
  at_ts: Timestamp;
  data: Json<Record<string, unknown>>;
  recorded_by: string | null;
  recorded_at: GeneratedTimestamp;
}

export interface DocumentsTable {
  id: string;
  dossier_id: string;
  name: string;
  sha256: string;
  size: number;
  content_type: string;
  created_at: GeneratedTimestamp;
}

export interface FeesTable {
  id: string;
  dossier_id: string;
  amount: ColumnType<string, number | string | bigint, number | string | bigint>;
  status: 'due' | 'paid' | 'waived';
  reference: string;
  paid_at: Timestamp | null;
  receipt_number: string | null;
  // 0004_fees
  unit_code: string | null;
  /** The computation's lines (`FeeLine` of @motcua/treasury), each naming its rule. */
  lines: ColumnType<unknown[], string | undefined, string>;
  /** What was counted (pages, copies, cases, conditions). */
  request: ColumnType<Record<string, unknown>, string | undefined, string>;
  computed_at: Timestamp | null;
}

type Vnd = ColumnType<string, number | string | bigint, number | string | bigint>;

export interface PaymentsTable {
  id: string;
  fee_id: string;
  dossier_id: string;
  unit_code: string;
  method: 'counter' | 'vietqr' | 'platform';
  status: 'pending' | 'paid' | 'failed' | 'expired' | 'flagged';
  amount: Vnd;
  paid_amount: ColumnType<string | null, number | string | bigint | null, number | string | bigint | null>;
  reference: string;
  platform_payment_id: string | null;
  vietqr: string | null;
  payer_url: string | null;
  expires_at: Timestamp | null;
  transaction_id: string | null;
  requested_at: GeneratedTimestamp;
  paid_at: Timestamp | null;
  receipt_series: string | null;
  receipt_number: string | null;
  treasury_account: string | null;
  designated_account: boolean | null;
  remit_by: Timestamp | null;
  remitted_at: Timestamp | null;
  recorded_by: string | null;
  flags: ColumnType<string[], string | undefined, string>;
  /** The revenue record(s) sent to the State Treasury, comma-separated (one per fee item). */
  treasury_record_id: ColumnType<string | null, string | null | undefined, string | null>;
  treasury_status: ColumnType<
    'submitted' | 'credited' | 'rejected' | null,
    'submitted' | 'credited' | 'rejected' | null | undefined,
    'submitted' | 'credited' | 'rejected' | null
  >;
  treasury_reference: ColumnType<string | null, string | null | undefined, string | null>;
  credited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  treasury_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A unit's State Treasury configuration (its own account number stays in `units.treasury_account`). */
export interface UnitTreasuryConfigsTable {
  unit_code: string;
  /** Budget chapter, 3 digits. */
  chapter: string;
  /** Revenue-collecting agency code, 7 digits. */
  collecting_agency: string;
  /** The holder of the unit's own account (null: the unit's name). */
  account_holder: string | null;
  /** Fee item ID → budget sub-item (4 digits). */
  sub_items: Json<Record<string, string>>;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
}

export interface ProvinceTreasuryAccountsTable {
  province_code: string;
  account: string;
  holder: string;
  updated_at: GeneratedTimestamp;
}

export interface QueueTicketsTable {
  id: string;
  unit_code: string;
  day: string;
  counter: string;
  number: number;
  status: 'waiting' | 'called' | 'done' | 'skipped';
  created_at: GeneratedTimestamp;
  called_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: GeneratedTimestamp;
  actor: string;
  action: string;
  unit_code: string | null;
  dossier_id: string | null;
  detail: Json<Record<string, unknown>>;
}

type Ms = ColumnType<number, number, number>;

export interface OutboxTable {
  id: string;
  key: string;
  topic: string;
  ordering_key: string | null;
  payload: Json<unknown>;
  created_at: Ms;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: Ms;
  last_error: string | null;
  delivered_at: ColumnType<number | null, number | null, number | null>;
  locked_until: ColumnType<number | null, number | null, number | null>;
}

export interface InboxTable {
  source: string;
  event_id: string;
  received_at: GeneratedTimestamp;
}

export interface PendingSignaturesTable {
  operation_id: string;
  status: string;
  record: Json<Record<string, unknown>>;
  updated_at: GeneratedTimestamp;
}

export interface DossierIntegrationsTable {
  dossier_id: string;
  system: string;
  status: string;
  detail: Json<Record<string, unknown>>;
  updated_at: GeneratedTimestamp;
}

/** The database, as Kysely sees it. */
export interface Database {
  units: UnitsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  procedures: ProceduresTable;
  dossier_counters: DossierCountersTable;
  dossiers: DossiersTable;
  dossier_events: DossierEventsTable;
  documents: DocumentsTable;
  fees: FeesTable;
  queue_tickets: QueueTicketsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  inbox: InboxTable;
  pending_signatures: PendingSignaturesTable;
  dossier_integrations: DossierIntegrationsTable;
  settings: { key: string; value: Json<unknown>; updated_at: GeneratedTimestamp };
  payments: PaymentsTable;
  province_treasury_accounts: ProvinceTreasuryAccountsTable;
  unit_treasury_configs: UnitTreasuryConfigsTable;
}
