import { randomUUID } from 'node:crypto';
import { type ColumnType, type Kysely, sql } from 'kysely';
import type { Database, Role } from './schema.js';
import { StoreError } from './store.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

/** Tables of migration `0005_signing`. */
export interface SigningTables {
  signing_credentials: {
    user_id: string;
    unit_code: string;
    provider: SigningProviderKind;
    credential_id: string;
    /** The certificate (DER, base64), read from the provider when the set-up was saved. */
    certificate: string;
    updated_by: string;
    updated_at: GeneratedTimestamp;
  };
  signing_delegations: {
    id: string;
    unit_code: string;
    from_user: string;
    to_user: string;
    scope: DelegationScope;
    valid_from: Timestamp;
    valid_until: Timestamp;
    created_by: string;
    created_at: GeneratedTimestamp;
    revoked_at: Timestamp | null;
  };
  signed_documents: {
    id: string;
    dossier_id: string;
    unit_code: string;
    purpose: SigningPurpose;
    source_document_id: string;
    document_id: string;
    signatures: Json<SignatureEntry[]>;
    status: 'partial' | 'complete';
    version: number;
    created_at: GeneratedTimestamp;
    updated_at: Timestamp;
  };
  signing_requests: {
    operation_id: string;
    dossier_id: string;
    unit_code: string;
    purpose: SigningPurpose;
    source_document_id: string;
    step: SigningStep;
    user_id: string;
    on_behalf_of: string | null;
    base_version: number;
    status: SigningRequestStatus;
    created_at: GeneratedTimestamp;
    updated_at: Timestamp;
  };
}

/** How an officer signs: CSC API v2 (PIN/OTP, at once) or an asynchronous provider (phone confirmation). */
export type SigningProviderKind = 'csc' | 'async';
/** What a delegation covers: signing results for the leader, certified copies, or both. */
export type DelegationScope = 'result' | 'certified_copy' | 'all';
/** A scanned paper certified at reception (Decree 118/2025 Art. 17.1.c), or the dossier's result. */
export type SigningPurpose = 'scan' | 'result';
/** Who signs: the receiving officer (scans), the specialist then the leader (results). */
export type SigningStep = 'reception' | 'specialist' | 'leader';
/** The state of an asynchronous signing request. */
export type SigningRequestStatus = 'pending' | 'signed' | 'rejected' | 'expired' | 'failed';

/** One signature on a signed document. */
export interface SignatureEntry {
  step: SigningStep;
  userId: string;
  name: string;
  /** The leader this one signed for, under a delegation. */
  onBehalfOf?: { userId: string; name: string; delegationId: string };
  at: string;
  /** The document (version) this signature produced. */
  documentId: string;
}

/** An officer's signing set-up. */
export interface SigningCredential {
  userId: string;
  unitCode: string;
  provider: SigningProviderKind;
  credentialId: string;
  certificate: Uint8Array;
  updatedAt: string;
}

/** A leader's delegation of signing to a deputy, for a period. */
export interface SigningDelegation {
  id: string;
  unitCode: string;
  fromUser: string;
  toUser: string;
  scope: DelegationScope;
  validFrom: string;
  validUntil: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A document of a dossier with its signatures, stored content-addressed in the documents store. */
export interface SignedDocument {
  id: string;
  dossierId: string;
  unitCode: string;
  purpose: SigningPurpose;
  sourceDocumentId: string;
  /** The latest signed version (a document of the dossier). */
  documentId: string;
  signatures: SignatureEntry[];
  status: 'partial' | 'complete';
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An asynchronous signature waiting for the officer's phone. */
export interface SigningRequest {
  operationId: string;
  dossierId: string;
  unitCode: string;
  purpose: SigningPurpose;
  sourceDocumentId: string;
  step: SigningStep;
  userId: string;
  onBehalfOf: string | null;
  baseVersion: number;
  status: SigningRequestStatus;
  createdAt: string;
  updatedAt: string;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

type Db = Kysely<SigningTables & Record<string, Record<string, unknown>>>;

const delegationOf = (r: {
  id: string;
  unit_code: string;
  from_user: string;
  to_user: string;
  scope: DelegationScope;
  valid_from: Date;
  valid_until: Date;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}): SigningDelegation => ({
  id: r.id,
  unitCode: r.unit_code,
  fromUser: r.from_user,
  toUser: r.to_user,
  scope: r.scope,
  validFrom: iso(r.valid_from),
  validUntil: iso(r.valid_until),
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
});

const signedOf = (r: Record<string, unknown>): SignedDocument => ({
  id: r.id as string,
  dossierId: r.dossier_id as string,
  unitCode: r.unit_code as string,
  purpose: r.purpose as SigningPurpose,
  sourceDocumentId: r.source_document_id as string,
  documentId: r.document_id as string,
  signatures: parseJson<SignatureEntry[]>(r.signatures),
  status: r.status as SignedDocument['status'],
  version: Number(r.version),
  createdAt: iso(r.created_at as Date),
  updatedAt: iso(r.updated_at as Date),
});

const requestOf = (r: Record<string, unknown>): SigningRequest => ({
  operationId: r.operation_id as string,
  dossierId: r.dossier_id as string,
  unitCode: r.unit_code as string,
  purpose: r.purpose as SigningPurpose,
  sourceDocumentId: r.source_document_id as string,
  step: r.step as SigningStep,
  userId: r.user_id as string,
  onBehalfOf: (r.on_behalf_of as string | null) ?? null,
  baseVersion: Number(r.base_version),
  status: r.status as SigningRequestStatus,
  createdAt: iso(r.created_at as Date),
  updatedAt: iso(r.updated_at as Date),
});

/**
 * The signing data of the one-stop back end (migration `0005_signing`): each officer's signing set-up
 * (provider and credential, with the certificate read when it was saved), the leaders' delegations to their
 * deputies, the signed documents of a dossier (each version a document in the content-addressed documents
 * store) and the asynchronous requests waiting for an officer's phone. The PDF of a pending request lives in
 * `DatabasePendingSignatureStore`.
 *
 * @example
 * ```ts
 * import { SigningStore } from '@motcua/store';
 * const signing = new SigningStore(store.db);
 * await signing.setCredential({ userId, unitCode: '05152', provider: 'csc', credentialId: 'cred-rsa-an', certificate, actor });
 * const active = await signing.activeDelegation({ unitCode: '05152', fromUser: leaderId, toUser: deputyId, scope: 'result', at: new Date() });
 * ```
 */
export class SigningStore {
  readonly #db: Db;
  constructor(db: Kysely<Database>) {
    this.#db = db as unknown as Db;
  }

  // ---- set-up ----

  /** Saves (or replaces) an officer's signing set-up. */
  async setCredential(input: {
    userId: string;
    unitCode: string;
    provider: SigningProviderKind;
    credentialId: string;
    certificate: Uint8Array;
    actor: string;
  }): Promise<void> {
    const row = {
      user_id: input.userId,
      unit_code: input.unitCode,
      provider: input.provider,
      credential_id: input.credentialId,
      certificate: Buffer.from(input.certificate).toString('base64'),
      updated_by: input.actor,
      updated_at: new Date(),
    };
    await this.#db
      .insertInto('signing_credentials')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['user_id', 'unit_code']).doUpdateSet({
          provider: row.provider,
          credential_id: row.credential_id,
          certificate: row.certificate,
          updated_by: row.updated_by,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }

  /** Removes an officer's signing set-up in a unit. */
  async removeCredential(userId: string, unitCode: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('signing_credentials')
      .where('user_id', '=', userId)
      .where('unit_code', '=', unitCode)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** An officer's signing set-up in a unit. */
  async credential(userId: string, unitCode: string): Promise<SigningCredential | undefined> {
    return (await this.credentials(unitCode)).find((c) => c.userId === userId);
  }

  /** Every signing set-up of a unit. */
  async credentials(unitCode: string): Promise<SigningCredential[]> {
    const rows = await this.#db
      .selectFrom('signing_credentials')
      .selectAll()
      .where('unit_code', '=', unitCode)
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      unitCode: r.unit_code,
      provider: r.provider,
      credentialId: r.credential_id,
      certificate: new Uint8Array(Buffer.from(r.certificate, 'base64')),
      updatedAt: iso(r.updated_at as unknown as Date),
    }));
  }

  /** The staff of a unit (enabled users with a role in it), with their roles there. */
  async unitStaff(
    unitCode: string,
  ): Promise<{ id: string; username: string; fullName: string; roles: Role[] }[]> {
    const rows = await this.#db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select(['u.id', 'u.username', 'u.full_name', 'r.role'])
      .where('r.unit_code', '=', unitCode)
      .where('u.disabled', '=', false)
      .orderBy('u.username')
      .execute();
    const out = new Map<string, { id: string; username: string; fullName: string; roles: Role[] }>();
    for (const r of rows as { id: string; username: string; full_name: string; role: Role }[]) {
      const u = out.get(r.id) ?? { id: r.id, username: r.username, fullName: r.full_name, roles: [] };
      u.roles.push(r.role);
      out.set(r.id, u);
    }
    return [...out.values()];
  }

  // ---- delegations ----

  /** Records a delegation from a leader to a deputy for a period. */
  async createDelegation(input: {
    unitCode: string;
    fromUser: string;
    toUser: string;
    scope: DelegationScope;
    validFrom: string;
    validUntil: string;
    actor: string;
  }): Promise<SigningDelegation> {
    const id = randomUUID();
    await this.#db
      .insertInto('signing_delegations')
      .values({
        id,
        unit_code: input.unitCode,
        from_user: input.fromUser,
        to_user: input.toUser,
        scope: input.scope,
        valid_from: input.validFrom,
        valid_until: input.validUntil,
        created_by: input.actor,
        revoked_at: null,
      })
      .execute();
    return (await this.delegation(id))!;
  }

  async delegation(id: string): Promise<SigningDelegation | undefined> {
    const r = await this.#db
      .selectFrom('signing_delegations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? delegationOf(r) : undefined;
  }

  /** A unit's delegations, newest first (revoked ones too unless `active` is given: then only those in force then). */
  async delegations(unitCode: string, options: { active?: Date } = {}): Promise<SigningDelegation[]> {
    let q = this.#db.selectFrom('signing_delegations').selectAll().where('unit_code', '=', unitCode);
    if (options.active)
      q = q
        .where('revoked_at', 'is', null)
        .where('valid_from', '<=', options.active)
        .where('valid_until', '>=', options.active);
    return (await q.orderBy('created_at', 'desc').execute()).map(delegationOf);
  }

  /** Revokes a delegation (kept for the record). Returns it, or undefined when the unit has no such delegation. */
  async revokeDelegation(unitCode: string, id: string): Promise<SigningDelegation | undefined> {
    await this.#db
      .updateTable('signing_delegations')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('unit_code', '=', unitCode)
      .where('revoked_at', 'is', null)
      .execute();
    const d = await this.delegation(id);
    return d?.unitCode === unitCode ? d : undefined;
  }

  /** The delegation in force at `at` that lets `toUser` sign for `fromUser` within `scope`, if any. */
  async activeDelegation(input: {
    unitCode: string;
    fromUser: string;
    toUser: string;
    scope: Exclude<DelegationScope, 'all'>;
    at: Date;
  }): Promise<SigningDelegation | undefined> {
    return (await this.delegations(input.unitCode, { active: input.at })).find(
      (d) =>
        d.fromUser === input.fromUser &&
        d.toUser === input.toUser &&
        (d.scope === input.scope || d.scope === 'all'),
    );
  }

  // ---- signed documents ----

  async signedDocuments(dossierId: string): Promise<SignedDocument[]> {
    const rows = await this.#db
      .selectFrom('signed_documents')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => signedOf(r as unknown as Record<string, unknown>));
  }

  /** The signed document made from a source document (or whose latest version is that document). */
  async signedDocumentFor(documentId: string): Promise<SignedDocument | undefined> {
    const r = await this.#db
      .selectFrom('signed_documents')
      .selectAll()
      .where((eb) => eb.or([eb('source_document_id', '=', documentId), eb('document_id', '=', documentId)]))
      .executeTakeFirst();
    return r ? signedOf(r as unknown as Record<string, unknown>) : undefined;
  }

  /** A unit's results signed by the specialist and waiting for the leader, oldest first, with the dossier's code. */
  async awaitingLeader(
    unitCode: string,
  ): Promise<(SignedDocument & { dossierCode: string; procedureName: string })[]> {
    const rows = await this.#db
      .selectFrom('signed_documents as s')
      .innerJoin('dossiers as d', 'd.id', 's.dossier_id')
      .selectAll('s')
      .select(['d.code as dossier_code', 'd.procedure_name as procedure_name'])
      .where('s.unit_code', '=', unitCode)
      .where('s.purpose', '=', 'result')
      .where('s.status', '=', 'partial')
      .orderBy('s.updated_at')
      .execute();
    return rows.map((r) => ({
      ...signedOf(r as unknown as Record<string, unknown>),
      dossierCode: (r as unknown as { dossier_code: string }).dossier_code,
      procedureName: (r as unknown as { procedure_name: string }).procedure_name,
    }));
  }

  /**
   * Adds a signature: the first one creates the signed document (`expectedVersion` 0), later ones move it to
   * the new version only if nobody signed in between (409 `signature.concurrent` otherwise).
   */
  async recordSignature(input: {
    dossierId: string;
    unitCode: string;
    purpose: SigningPurpose;
    sourceDocumentId: string;
    expectedVersion: number;
    documentId: string;
    signature: SignatureEntry;
    complete: boolean;
  }): Promise<SignedDocument> {
    const now = new Date();
    const status = input.complete ? 'complete' : 'partial';
    const conflict = () =>
      new StoreError(
        'signature.concurrent',
        409,
        'Someone signed this document meanwhile: reload it and sign the new version',
        'Văn bản vừa được người khác ký: hãy tải lại và ký phiên bản mới',
      );
    if (input.expectedVersion === 0) {
      const r = await this.#db
        .insertInto('signed_documents')
        .values({
          id: randomUUID(),
          dossier_id: input.dossierId,
          unit_code: input.unitCode,
          purpose: input.purpose,
          source_document_id: input.sourceDocumentId,
          document_id: input.documentId,
          signatures: JSON.stringify([input.signature]),
          status,
          version: 1,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('source_document_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!r) throw conflict();
    } else {
      const current = await this.signedDocumentFor(input.sourceDocumentId);
      if (!current || current.version !== input.expectedVersion) throw conflict();
      const r = await this.#db
        .updateTable('signed_documents')
        .set({
          document_id: input.documentId,
          signatures: JSON.stringify([...current.signatures, input.signature]),
          status,
          version: sql<number>`version + 1`,
          updated_at: now,
        })
        .where('id', '=', current.id)
        .where('version', '=', input.expectedVersion)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw conflict();
    }
    return (await this.signedDocumentFor(input.sourceDocumentId))!;
  }

  // ---- asynchronous requests ----

  async putRequest(r: Omit<SigningRequest, 'createdAt' | 'updatedAt' | 'status'>): Promise<void> {
    await this.#db
      .insertInto('signing_requests')
      .values({
        operation_id: r.operationId,
        dossier_id: r.dossierId,
        unit_code: r.unitCode,
        purpose: r.purpose,
        source_document_id: r.sourceDocumentId,
        step: r.step,
        user_id: r.userId,
        on_behalf_of: r.onBehalfOf,
        base_version: r.baseVersion,
        status: 'pending',
        updated_at: new Date(),
      })
      .execute();
  }

  async request(operationId: string): Promise<SigningRequest | undefined> {
    const r = await this.#db
      .selectFrom('signing_requests')
      .selectAll()
      .where('operation_id', '=', operationId)
      .executeTakeFirst();
    return r ? requestOf(r as unknown as Record<string, unknown>) : undefined;
  }

  /** Moves a pending request to its final state; false when it was no longer pending (another process did it). */
  async finishRequest(
    operationId: string,
    status: Exclude<SigningRequestStatus, 'pending'>,
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('signing_requests')
      .set({ status, updated_at: new Date() })
      .where('operation_id', '=', operationId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Pending requests of a unit, of a user, or on a source document. */
  async pendingRequests(
    filter: { unitCode?: string; userId?: string; sourceDocumentId?: string; dossierId?: string } = {},
  ): Promise<SigningRequest[]> {
    let q = this.#db.selectFrom('signing_requests').selectAll().where('status', '=', 'pending');
    if (filter.unitCode) q = q.where('unit_code', '=', filter.unitCode);
    if (filter.userId) q = q.where('user_id', '=', filter.userId);
    if (filter.sourceDocumentId) q = q.where('source_document_id', '=', filter.sourceDocumentId);
    if (filter.dossierId) q = q.where('dossier_id', '=', filter.dossierId);
    return (await q.orderBy('created_at').execute()).map((r) =>
      requestOf(r as unknown as Record<string, unknown>),
    );
  }
}
