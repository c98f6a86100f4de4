// @motcua/store: the public surface. Re-exports only.
export { type ContentStore, ContentStoreError, DirectoryContentStore } from './documents.js';
export { S3ContentStore, type S3ContentStoreOptions } from './documents-s3.js';
export {
  type CollectingAccount,
  type FeeRecord,
  FeeStore,
  type PaymentMethod,
  type PaymentRecord,
  type RecordPaymentInput,
  type TreasuryAccountParts,
  type TreasuryAnswer,
  type TreasuryConfigInput,
  type UnitTreasuryConfig,
} from './fees.js';
export { MIGRATIONS, migrateToLatest } from './migrations.js';
export { DatabaseOutboxStore } from './outbox-store.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { DatabasePendingSignatureStore } from './pending-signatures.js';
export { PGliteDialect } from './pglite-dialect.js';
export { type PgClient, PREPARED_STATEMENTS_PER_CONNECTION, prepareStatements } from './prepared.js';
export { type Database, ROLES, type Role } from './schema.js';
export {
  type DelegationScope,
  type SignatureEntry,
  type SignedDocument,
  type SigningCredential,
  type SigningDelegation,
  type SigningProviderKind,
  type SigningPurpose,
  type SigningRequest,
  type SigningRequestStatus,
  type SigningStep,
  SigningStore,
  type SigningTables,
} from './signing.js';
export {
  CALENDAR_CACHE_MS,
  type DossierQuery,
  type DossierSummary,
  openStore,
  type RoleGrant,
  Store,
  type StoredEvent,
  StoreError,
  type StoreOptions,
  type Unit,
  type User,
} from './store.js';
