import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { LifecycleError } from '@motcua/deadlines';
import { verifyWebhook } from '@motcua/http';
import {
  checkSigningReadiness,
  completePdfSignature,
  createCscProvider,
  type Delegation,
  type PadesLevel,
  type PendingSignatureRecord,
  type PendingSignatureStore,
  parseCertificate,
  providerSigner,
  SignatureError,
  type SigningOfficer,
  signPdf,
  startPdfSignature,
  verifyPdf,
} from '@motcua/signature';
import {
  DatabasePendingSignatureStore,
  type DossierSummary,
  type Role,
  type SignedDocument,
  type SigningPurpose,
  type SigningRequest,
  type SigningStep,
  SigningStore,
  type Store,
  StoreError,
} from '@motcua/store';
import type { Context } from 'hono';
import type { AppContext } from '../app.js';
import {
  type AppEnv,
  type Caller,
  notFound,
  problem,
  requireCaller,
  requireRead,
  requireRole,
} from '../auth.js';
import { imageToPdf, resultDraftPdf, type SigningServices, signingServicesOf } from '../signing.js';
import { IdParam, json, Problem, problemResponses, UnitParam } from './common.js';

/** The rules the signing routes enforce, named in their problem+json answers. */
export const SIGNING_RULES = {
  order:
    'Results are signed by the specialist who appraised the dossier, then by the leader who approves it (Decree 118/2025 Art. 22: results are signed electronically; the leader approves what the specialist proposed)',
  delegation:
    'Only the leader, or a deputy holding the leader’s delegation in force for this scope, signs for the leader (Decree 118/2025 Art. 19.2)',
  scan: 'The receiving officer signs the scans of the papers received with a personal digital signature (Decree 118/2025 Art. 17.1.c)',
  sameSigner: 'The leader’s signature must come from someone other than the specialist who signed first',
} as const;

type Ctx = Context<AppEnv>;

const SignBody = z
  .object({
    /** `scan`: a scanned paper certified at reception; `result`: the dossier's result. */
    purpose: z.enum(['scan', 'result']),
    /** The document to sign (a scan, a result uploaded, or the signed result waiting for the leader). */
    documentId: z.uuid().optional(),
    /** Which signature of a result: by default `leader` for a leader, `specialist` otherwise. */
    step: z.enum(['specialist', 'leader']).optional(),
    /** Signing for this leader (a user ID) under a delegation. */
    onBehalfOf: z.uuid().optional(),
    /** The credential's PIN (CSC). Never logged, never stored. */
    pin: z.string().min(4).max(64).optional(),
    /** The one-time code the officer received (CSC credentials that need one). Never logged. */
    otp: z.string().min(4).max(16).optional(),
  })
  .openapi('SignRequest');

const Signature = z.object({
  step: z.enum(['reception', 'specialist', 'leader']),
  userId: z.string(),
  name: z.string(),
  onBehalfOf: z.object({ userId: z.string(), name: z.string(), delegationId: z.string() }).optional(),
  at: z.string(),
  documentId: z.string(),
});
const SignedDocumentSchema = z
  .object({
    id: z.string(),
    dossierId: z.string(),
    purpose: z.enum(['scan', 'result']),
    sourceDocumentId: z.string(),
    documentId: z.string(),
    status: z.enum(['partial', 'complete']),
    version: z.number(),
    signatures: z.array(Signature),
    downloadUrl: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SignedDocument');
const PendingSchema = z
  .object({
    status: z.enum(['pending', 'signed', 'rejected', 'expired', 'failed']),
    operationId: z.string(),
    pollUrl: z.string(),
    signedDocument: SignedDocumentSchema.optional(),
  })
  .openapi('SigningRequestState');

const DelegationBody = z
  .object({
    /** The leader who delegates (default: the caller, who must be a leader). */
    fromUser: z.uuid().optional(),
    toUser: z.uuid(),
    scope: z.enum(['result', 'certified_copy', 'all']).default('result'),
    validFrom: z.iso.datetime({ offset: true }),
    validUntil: z.iso.datetime({ offset: true }),
  })
  .openapi('DelegationInput');

const CredentialBody = z
  .object({
    /** `csc`: a CSC API v2 credential (signs at once with the PIN and OTP); `async`: confirmed on a phone. */
    provider: z.enum(['csc', 'async']),
    /** The credential's ID at the signing service (as the provider issued it). */
    credentialId: z.string().trim().min(1).max(256),
  })
  .openapi('SigningSetUp');
const UserParam = UnitParam.extend({ userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }) });

const fieldProblem = (status: number, code: string, path: string, en: string, vi: string, rule?: string) =>
  problem(status, code, `${path}: ${en}`, `${path}: ${vi}`, {
    issues: [{ path, code, message: { en, vi } }],
    ...(rule ? { rule } : {}),
  });

/** A SignatureError from the provider or the PDF code as problem+json naming the field and the rule. */
function signatureProblem(e: SignatureError) {
  const { en, vi } = e.localized;
  switch (e.code) {
    case 'signature.pin_invalid':
      return problem(400, e.code, `pin: ${en}`, `pin: ${vi}`, {
        issues: [{ path: 'pin', code: e.code, message: { en, vi } }],
        ...(typeof e.details.triesLeft === 'number' ? { triesLeft: e.details.triesLeft } : {}),
      });
    case 'signature.otp_invalid':
      return fieldProblem(400, e.code, 'otp', en, vi);
    case 'signature.pin_locked':
      return fieldProblem(423, e.code, 'pin', en, vi);
    case 'signature.not_a_pdf':
    case 'signature.pdf_encrypted':
      return fieldProblem(400, e.code, 'documentId', en, vi);
    case 'signature.remote_unavailable':
    case 'signature.timestamp_failed':
      return problem(503, e.code, en, vi);
    case 'signature.operation_unknown':
      return problem(404, e.code, en, vi);
    default:
      return problem(409, e.code, en, vi);
  }
}

const roleIn = (caller: Caller, unit: string, role: Role) => caller.unitRoles.get(unit)?.has(role) ?? false;

/** The holder named by a certificate (its subject CN), or null when it names none or cannot be read. */
const holderOf = (certificate: Uint8Array): string | null => {
  try {
    const cert = parseCertificate(certificate);
    return (
      (
        cert.subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value.valueBlock as
          | { value?: string }
          | undefined
      )?.value ?? null
    );
  } catch {
    return null;
  }
};

const downloadUrl = (d: SignedDocument) => `/api/dossiers/${d.dossierId}/signed-documents/${d.id}/pdf`;
const view = (d: SignedDocument) => ({
  id: d.id,
  dossierId: d.dossierId,
  purpose: d.purpose,
  sourceDocumentId: d.sourceDocumentId,
  documentId: d.documentId,
  status: d.status,
  version: d.version,
  signatures: d.signatures,
  downloadUrl: downloadUrl(d),
  updatedAt: d.updatedAt,
});

const REASONS: Record<SigningStep, string> = {
  reception: 'Xác nhận bản số hóa đúng với bản giấy tiếp nhận',
  specialist: 'Thẩm định kết quả giải quyết hồ sơ',
  leader: 'Phê duyệt kết quả giải quyết hồ sơ',
};
/** Where each step's visible signature goes on the first page ([x, y, width, height], points). */
const RECTS: Record<SigningStep, [number, number, number, number]> = {
  reception: [315, 20, 260, 80],
  specialist: [40, 60, 250, 80],
  leader: [310, 60, 250, 80],
};

/**
 * Signatures in the reference app: scans certified at reception, results signed by the specialist then the
 * leader (or the leader's deputy under a delegation), synchronously through a CSC API v2 service (PIN/OTP in
 * the request body, never logged or stored) or asynchronously (202; the officer confirms on a phone; the
 * pending signature is kept in the database and finished by polling, after a restart too); the signed PDF,
 * a verification report of a dossier's signed documents, delegations, signing set-ups and the unit's
 * signing readiness.
 */
export function register(app: OpenAPIHono<AppEnv>, ctx: AppContext) {
  const { store } = ctx;
  const signing = new SigningStore(store.db);
  const pending = new DatabasePendingSignatureStore<PendingSignatureRecord>(
    store.db,
  ) as unknown as PendingSignatureStore;
  const services = (): SigningServices => {
    const s = signingServicesOf(store);
    if (!s)
      throw problem(
        503,
        'signature.not_configured',
        'No signing service is configured on this server',
        'Máy chủ chưa được cấu hình dịch vụ ký số',
      );
    return s;
  };
  const levelOf = (s: SigningServices): PadesLevel => s.level ?? (s.tsa ? 'B-LT' : 'B-B');

  const loadDossier = async (c: Ctx, id: string): Promise<DossierSummary> => {
    const d = await store.getDossier(id);
    if (!d) throw notFound();
    requireRead(c, d.unitCode);
    return d;
  };
  const userName = async (id: string) => (await store.getUser(id))?.fullName ?? id;

  /** The signed PDF's bytes: what to sign next (the latest signed version, or the source made into a PDF). */
  const bytesToSign = async (dossierId: string, documentId: string): Promise<Uint8Array> => {
    const doc = (await store.listDocuments(dossierId)).find((x) => x.id === documentId);
    if (!doc)
      throw fieldProblem(
        400,
        'signature.document_unknown',
        'documentId',
        'this dossier has no such document',
        'hồ sơ không có văn bản này',
      );
    const bytes = await store.content.get(doc.sha256);
    if (!bytes)
      throw problem(500, 'document.missing', 'The document’s content is missing', 'Thiếu nội dung văn bản');
    if (doc.content_type === 'image/jpeg' || doc.content_type === 'image/png')
      return imageToPdf(bytes, doc.content_type);
    if (
      doc.content_type !== 'application/pdf' &&
      !Buffer.from(bytes.subarray(0, 5)).toString('latin1').startsWith('%PDF')
    )
      throw fieldProblem(
        400,
        'signature.unsupported_document',
        'documentId',
        'only PDF, JPEG and PNG documents can be signed',
        'chỉ ký được văn bản PDF, JPEG hoặc PNG',
      );
    return bytes;
  };

  /** Stores a newly signed version and records the signature, the `signed` event and the audit entry. */
  const finish = async (input: {
    dossier: DossierSummary;
    purpose: SigningPurpose;
    step: SigningStep;
    sourceDocumentId: string;
    expectedVersion: number;
    userId: string;
    onBehalfOf: { userId: string; delegationId: string } | null;
    pdf: Uint8Array;
  }): Promise<SignedDocument> => {
    const { dossier: d } = input;
    const added = await store.addDocument(
      d.id,
      {
        name: `${d.code}-${input.purpose === 'scan' ? 'ban-so-hoa' : 'ket-qua'}-ky-${input.step}.pdf`,
        contentType: 'application/pdf',
        bytes: input.pdf,
      },
      input.userId,
    );
    const name = await userName(input.userId);
    const at = new Date().toISOString();
    const toRecord = {
      dossierId: d.id,
      unitCode: d.unitCode,
      purpose: input.purpose,
      sourceDocumentId: input.sourceDocumentId,
      expectedVersion: input.expectedVersion,
      documentId: added.id,
      complete: input.purpose === 'scan' || input.step === 'leader',
      signature: {
        step: input.step,
        userId: input.userId,
        name,
        at,
        documentId: added.id,
        ...(input.onBehalfOf
          ? {
              onBehalfOf: {
                userId: input.onBehalfOf.userId,
                name: await userName(input.onBehalfOf.userId),
                delegationId: input.onBehalfOf.delegationId,
              },
            }
          : {}),
      },
    };
    let signed: SignedDocument | undefined;
    try {
      await store.appendEvent(
        d.id,
        {
          type: 'signed',
          at,
          documentId: added.id,
          signer: { id: input.userId, name },
          officer: { id: input.userId, name },
          note:
            input.step === 'reception'
              ? 'Ký số bản số hóa khi tiếp nhận'
              : input.step === 'specialist'
                ? 'Chuyên viên ký kết quả'
                : input.onBehalfOf
                  ? 'Ký thay lãnh đạo theo ủy quyền'
                  : 'Lãnh đạo ký phê duyệt kết quả',
        },
        input.userId,
        {
          // The signature and its `signed` event in one transaction: a process killed between the two
          // cannot leave a signature without its event (a retry finds it signed and never adds the event).
          within: async (tx) => {
            signed = await new SigningStore(tx).recordSignature(toRecord);
          },
        },
      );
    } catch (e) {
      // A dossier that ended (stopped, closed) keeps its signature; the timeline simply has no entry for it.
      if (!(e instanceof LifecycleError)) throw e;
      signed = await signing.recordSignature(toRecord);
    }
    signed ??= (await signing.signedDocumentFor(input.sourceDocumentId))!;
    await store.audit(input.userId, 'signature.sign', d.unitCode, d.id, {
      signedDocumentId: signed.id,
      step: input.step,
      version: signed.version,
      ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf.userId } : {}),
    });
    return signed;
  };

  /** Finishes an asynchronous request if the phone answered; returns its state. */
  const refresh = async (
    req: SigningRequest,
  ): Promise<{ status: SigningRequest['status']; signed: SignedDocument | undefined }> => {
    if (req.status !== 'pending')
      return {
        status: req.status,
        signed: req.status === 'signed' ? await signing.signedDocumentFor(req.sourceDocumentId) : undefined,
      };
    const s = services();
    if (!s.async)
      throw problem(
        503,
        'signature.not_configured',
        'No asynchronous signing service',
        'Chưa cấu hình dịch vụ ký xác nhận qua điện thoại',
      );
    let r: Awaited<ReturnType<typeof completePdfSignature>>;
    try {
      r = await completePdfSignature(req.operationId, {
        provider: s.async,
        store: pending,
        ...(s.tsa ? { tsa: s.tsa } : {}),
      });
    } catch (e) {
      if (e instanceof SignatureError) throw signatureProblem(e);
      throw e;
    }
    if (r.state === 'pending' || r.state === 'awaitingUser')
      return { status: 'pending' as const, signed: undefined };
    if (r.state !== 'signed' || !r.pdf) {
      const status: SigningRequest['status'] =
        r.state === 'rejected' ? 'rejected' : r.state === 'expired' ? 'expired' : 'failed';
      await signing.finishRequest(req.operationId, status);
      await store.audit(req.userId, `signature.${status}`, req.unitCode, req.dossierId, {
        operationId: req.operationId,
      });
      return { status, signed: undefined };
    }
    const d = (await store.getDossier(req.dossierId))!;
    let signed: SignedDocument;
    try {
      signed = await finish({
        dossier: d,
        purpose: req.purpose,
        step: req.step,
        sourceDocumentId: req.sourceDocumentId,
        expectedVersion: req.baseVersion,
        userId: req.userId,
        onBehalfOf: req.onBehalfOf
          ? {
              userId: req.onBehalfOf,
              delegationId:
                (
                  await signing.activeDelegation({
                    unitCode: req.unitCode,
                    fromUser: req.onBehalfOf,
                    toUser: req.userId,
                    scope: 'result',
                    at: new Date(req.createdAt),
                  })
                )?.id ?? 'revoked',
            }
          : null,
        pdf: r.pdf,
      });
    } catch (e) {
      // Another poller (or the provider's callback, or another process) finished it first: answer what it did.
      if (!(e instanceof StoreError) || e.code !== 'signature.concurrent') throw e;
      const doc = await signing.signedDocumentFor(req.sourceDocumentId);
      const mine = doc?.signatures.some(
        (x) =>
          x.step === req.step && x.userId === req.userId && Date.parse(x.at) >= Date.parse(req.createdAt),
      );
      await signing.finishRequest(req.operationId, mine ? 'signed' : 'failed');
      const now = await signing.request(req.operationId);
      return { status: now?.status ?? 'failed', signed: now?.status === 'signed' ? doc : undefined };
    }
    await signing.finishRequest(req.operationId, 'signed');
    return { status: 'signed' as const, signed };
  };

  // ---- sign ----
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/dossiers/{id}/signatures',
      summary:
        'Sign a scan at reception or the result (specialist, then leader or the leader’s deputy under a delegation): 201 when signed at once (CSC with PIN/OTP), 202 while the officer confirms on a phone',
      request: { params: IdParam, body: { content: { 'application/json': { schema: SignBody } } } },
      responses: {
        201: json(z.object({ status: z.literal('signed'), signedDocument: SignedDocumentSchema })),
        202: json(PendingSchema, 'Waiting for the officer’s confirmation on the phone'),
        409: {
          description: 'Forbidden by a signing rule (order, already signed, pending, certificate)',
          content: { 'application/problem+json': { schema: z.record(z.string(), z.unknown()) } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      const body = c.req.valid('json');
      const caller = requireRole(c, d.unitCode, ['receptionist', 'specialist', 'leader']);
      const unit = d.unitCode;
      let step: SigningStep;
      let onBehalfOf: { userId: string; delegationId: string } | null = null;
      if (body.purpose === 'scan') {
        if (!roleIn(caller, unit, 'receptionist'))
          throw problem(
            403,
            'signature.scan_role',
            SIGNING_RULES.scan,
            'Cán bộ tiếp nhận ký số bản số hóa giấy tờ tiếp nhận (Nghị định 118/2025 Điều 17.1.c)',
            { rule: SIGNING_RULES.scan },
          );
        step = 'reception';
      } else {
        step = body.step ?? (roleIn(caller, unit, 'leader') || body.onBehalfOf ? 'leader' : 'specialist');
        if (step === 'specialist' && !roleIn(caller, unit, 'specialist'))
          throw problem(403, 'auth.role', 'This needs the role: specialist', 'Cần vai trò: specialist');
        if (step === 'leader') {
          const leaderSelf =
            roleIn(caller, unit, 'leader') && (!body.onBehalfOf || body.onBehalfOf === caller.user.id);
          if (!leaderSelf) {
            const delegation = body.onBehalfOf
              ? await signing.activeDelegation({
                  unitCode: unit,
                  fromUser: body.onBehalfOf,
                  toUser: caller.user.id,
                  scope: 'result',
                  at: new Date(),
                })
              : undefined;
            if (!delegation)
              throw problem(
                403,
                'signature.delegation_required',
                `${SIGNING_RULES.delegation}: you hold no delegation in force${body.onBehalfOf ? ' from this leader' : ''}`,
                `Chỉ lãnh đạo hoặc người được lãnh đạo ủy quyền còn hiệu lực mới được ký thay (Nghị định 118/2025 Điều 19.2): bạn không có ủy quyền còn hiệu lực${body.onBehalfOf ? ' của lãnh đạo này' : ''}`,
                {
                  rule: SIGNING_RULES.delegation,
                  issues: [
                    {
                      path: 'onBehalfOf',
                      code: 'signature.delegation_required',
                      message: { en: 'no delegation in force', vi: 'không có ủy quyền còn hiệu lực' },
                    },
                  ],
                },
              );
            onBehalfOf = { userId: delegation.fromUser, delegationId: delegation.id };
          }
        }
      }

      // Which document, in which version.
      let sourceDocumentId: string;
      let existing: SignedDocument | undefined;
      if (body.purpose === 'scan') {
        if (!body.documentId)
          throw fieldProblem(
            400,
            'validation_failed',
            'documentId',
            'the scan to sign is required',
            'cần chọn bản số hóa để ký',
          );
        existing = await signing.signedDocumentFor(body.documentId);
        sourceDocumentId = existing?.sourceDocumentId ?? body.documentId;
      } else if (body.documentId) {
        existing = await signing.signedDocumentFor(body.documentId);
        sourceDocumentId = existing?.sourceDocumentId ?? body.documentId;
      } else {
        const mine = (await signing.signedDocuments(d.id)).filter((x) => x.purpose === 'result');
        // Without a document: the result being signed (a second draft is never made).
        existing = mine.find((x) => x.status === 'partial') ?? mine.at(-1);
        sourceDocumentId = existing?.sourceDocumentId ?? '';
      }
      if (existing && existing.dossierId !== d.id)
        throw fieldProblem(
          400,
          'signature.document_unknown',
          'documentId',
          'this dossier has no such document',
          'hồ sơ không có văn bản này',
        );
      if (existing && existing.purpose !== body.purpose)
        throw fieldProblem(
          409,
          'signature.purpose_mismatch',
          'purpose',
          `this document was signed as a ${existing.purpose}`,
          `văn bản này đã được ký với mục đích ${existing.purpose}`,
        );
      const has = (s: SigningStep) => existing?.signatures.some((x) => x.step === s) ?? false;
      if (has(step))
        throw problem(
          409,
          'signature.already_signed',
          `This document already has the ${step}’s signature`,
          `Văn bản đã có chữ ký ở bước ${step}`,
        );
      if (step === 'leader') {
        if (!has('specialist'))
          throw problem(
            409,
            'signature.order',
            `${SIGNING_RULES.order}: the specialist has not signed this result yet`,
            'Kết quả được chuyên viên thẩm định ký trước, lãnh đạo ký phê duyệt sau: chuyên viên chưa ký kết quả này',
            { rule: SIGNING_RULES.order },
          );
        if (existing?.signatures.some((x) => x.step === 'specialist' && x.userId === caller.user.id))
          throw problem(
            409,
            'signature.same_signer',
            SIGNING_RULES.sameSigner,
            'Chữ ký phê duyệt phải do người khác với chuyên viên đã ký trước',
            { rule: SIGNING_RULES.sameSigner },
          );
      }
      const s = services();
      const credential = await signing.credential(caller.user.id, unit);
      if (!credential)
        throw problem(
          409,
          'signature.no_credential',
          'You have no signing set-up (credential) in this unit: ask the unit admin',
          'Bạn chưa được cấu hình chứng thư ký số tại đơn vị này: liên hệ quản trị đơn vị',
        );

      if (sourceDocumentId) {
        if ((await signing.pendingRequests({ sourceDocumentId })).length > 0)
          throw problem(
            409,
            'signature.pending',
            'A signature of this document is waiting for a confirmation on a phone',
            'Văn bản đang chờ xác nhận ký trên điện thoại',
          );
      }
      let pdf: Uint8Array;
      if (existing) pdf = await bytesToSign(d.id, existing.documentId);
      else if (sourceDocumentId) pdf = await bytesToSign(d.id, sourceDocumentId);
      else {
        const unitRow = await store.getUnit(unit);
        pdf = await resultDraftPdf({
          unitName: unitRow?.name ?? unit,
          dossierCode: d.code,
          procedureName: d.procedureName,
        });
        const draft = await store.addDocument(
          d.id,
          { name: `${d.code}-ket-qua-du-thao.pdf`, contentType: 'application/pdf', bytes: pdf },
          caller.user.id,
        );
        sourceDocumentId = draft.id;
      }
      const unitRow = await store.getUnit(unit);
      const options = {
        reason: REASONS[step],
        location: unitRow ? `UBND ${unitRow.name}` : unit,
        level: levelOf(s),
        fieldName: `Motcua-${step}-${Date.now()}`,
        visible: { page: 0, rect: RECTS[step], fontSize: 8 },
      };
      const expectedVersion = existing?.version ?? 0;

      if (credential.provider === 'csc') {
        if (!s.csc)
          throw problem(
            503,
            'signature.not_configured',
            'No CSC signing service is configured',
            'Chưa cấu hình dịch vụ ký số CSC',
          );
        if (!body.pin)
          throw fieldProblem(
            400,
            'signature.pin_required',
            'pin',
            'the PIN of your signing credential is required',
            'cần nhập mã PIN của chứng thư ký số',
          );
        const auth = { pin: body.pin, ...(body.otp ? { otp: body.otp } : {}) };
        let signed: Uint8Array;
        try {
          const provider = createCscProvider(s.csc, { authData: async () => auth });
          const signer = await providerSigner(provider, credential.credentialId, {
            description: REASONS[step],
          });
          signed = await signPdf(pdf, signer, { ...options, ...(s.tsa ? { tsa: s.tsa } : {}) });
        } catch (e) {
          if (e instanceof SignatureError) {
            await store.audit(caller.user.id, 'signature.refused', unit, d.id, { code: e.code, step });
            throw signatureProblem(e);
          }
          throw e;
        }
        const doc = await finish({
          dossier: d,
          purpose: body.purpose,
          step,
          sourceDocumentId,
          expectedVersion,
          userId: caller.user.id,
          onBehalfOf,
          pdf: signed,
        });
        return c.json({ status: 'signed' as const, signedDocument: view(doc) }, 201);
      }

      if (!s.async)
        throw problem(
          503,
          'signature.not_configured',
          'No asynchronous signing service is configured',
          'Chưa cấu hình dịch vụ ký xác nhận qua điện thoại',
        );
      let started: { operationId: string };
      try {
        started = await startPdfSignature(pdf, s.async, {
          ...options,
          credentialId: credential.credentialId,
          store: pending,
          description: `${REASONS[step]} – hồ sơ ${d.code}`,
          ...(s.callbackSecret
            ? { callbackUrl: `${ctx.config.publicUrl ?? new URL(c.req.url).origin}/api/signing/callback` }
            : {}),
        });
      } catch (e) {
        if (e instanceof SignatureError) throw signatureProblem(e);
        throw e;
      }
      await signing.putRequest({
        operationId: started.operationId,
        dossierId: d.id,
        unitCode: unit,
        purpose: body.purpose,
        sourceDocumentId,
        step,
        userId: caller.user.id,
        onBehalfOf: onBehalfOf?.userId ?? null,
        baseVersion: expectedVersion,
      });
      await store.audit(caller.user.id, 'signature.requested', unit, d.id, {
        operationId: started.operationId,
        step,
      });
      return c.json(
        {
          status: 'pending' as const,
          operationId: started.operationId,
          pollUrl: `/api/signing-requests/${started.operationId}`,
        },
        202,
      );
    },
  );

  // ---- asynchronous requests ----
  const OpParam = z.object({
    operationId: z
      .string()
      .min(1)
      .max(200)
      .openapi({ param: { name: 'operationId', in: 'path' } }),
  });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/signing-requests/{operationId}',
      summary:
        'The state of an asynchronous signature; once the officer confirmed on the phone, the signed PDF is made and stored',
      request: { params: OpParam },
      responses: { 200: json(PendingSchema), ...problemResponses },
    }),
    async (c) => {
      const { operationId } = c.req.valid('param');
      const req = await signing.request(operationId);
      if (!req) throw notFound();
      requireRead(c, req.unitCode);
      const r = await refresh(req);
      return c.json(
        {
          status: r.status,
          operationId,
          pollUrl: `/api/signing-requests/${operationId}`,
          ...(r.signed ? { signedDocument: view(r.signed) } : {}),
        },
        200,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/signing-requests',
      summary: 'Signatures waiting for a phone confirmation in a unit (refreshed on the way)',
      request: { params: UnitParam, query: z.object({ mine: z.enum(['0', '1']).optional() }) },
      responses: {
        200: json(
          z.array(
            z.object({
              operationId: z.string(),
              dossierId: z.string(),
              step: z.string(),
              userId: z.string(),
              status: z.string(),
              createdAt: z.string(),
            }),
          ),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = requireRead(c, unit);
      const mine = c.req.valid('query').mine === '1';
      const out = [];
      for (const r of await signing.pendingRequests({
        unitCode: unit,
        ...(mine ? { userId: caller.user.id } : {}),
      })) {
        const now = await refresh(r).catch(() => ({ status: r.status }));
        out.push({
          operationId: r.operationId,
          dossierId: r.dossierId,
          step: r.step,
          userId: r.userId,
          status: now.status,
          createdAt: r.createdAt,
        });
      }
      return c.json(out, 200);
    },
  );

  // The provider's HMAC-signed callback when the officer answered on the phone: checked, then the request is
  // finished as a poll would (the provider is asked for the state; a replayed or forged callback changes nothing).
  app.post('/api/signing/callback', async (c) => {
    const s = signingServicesOf(store);
    if (!s?.callbackSecret) throw notFound();
    const payload = await c.req.text();
    try {
      await verifyWebhook({ payload, header: c.req.header('x-motcua-signature'), secret: s.callbackSecret });
    } catch (e) {
      const m = e as { code?: string; localized?: { en: string; vi: string } };
      throw problem(
        401,
        m.code ?? 'webhook.signature',
        m.localized?.en ?? 'Bad signature',
        m.localized?.vi ?? 'Sai chữ ký',
      );
    }
    let transactionId: unknown;
    try {
      transactionId = (JSON.parse(payload) as { transactionId?: unknown }).transactionId;
    } catch {
      transactionId = undefined;
    }
    if (typeof transactionId !== 'string')
      throw fieldProblem(400, 'validation_failed', 'transactionId', 'required', 'bắt buộc');
    const req = await signing.request(transactionId);
    if (!req) throw notFound();
    const r = await refresh(req);
    return c.json({ status: r.status });
  });

  // ---- documents and verification ----
  const SignedParam = IdParam.extend({
    signedId: z.uuid().openapi({ param: { name: 'signedId', in: 'path' } }),
  });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dossiers/{id}/signed-documents/{signedId}/pdf',
      summary: 'Download the signed PDF (its latest version)',
      request: { params: SignedParam },
      responses: {
        200: { description: 'The signed PDF', content: { 'application/pdf': { schema: z.any() } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { id, signedId } = c.req.valid('param');
      const d = await loadDossier(c, id);
      const doc = (await signing.signedDocuments(d.id)).find((x) => x.id === signedId);
      if (!doc) throw notFound();
      const file = (await store.listDocuments(d.id)).find((x) => x.id === doc.documentId);
      const bytes = file ? await store.content.get(file.sha256) : undefined;
      if (!bytes) throw notFound();
      return c.body(bytes as never, 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${d.code}-${doc.purpose}-v${doc.version}.pdf"`,
      });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dossiers/{id}/signatures',
      summary:
        'The signed documents of a dossier with a verification report of each (integrity, chain, revocation, time-stamp), in Vietnamese and English',
      request: { params: IdParam, query: z.object({ verify: z.enum(['0', '1']).default('1') }) },
      responses: {
        200: json(
          z.object({
            documents: z.array(
              SignedDocumentSchema.extend({ verification: z.record(z.string(), z.unknown()).nullable() }),
            ),
            pending: z.array(
              z.object({
                operationId: z.string(),
                step: z.string(),
                userId: z.string(),
                createdAt: z.string(),
              }),
            ),
            documentsToSign: z.array(z.object({ id: z.string(), name: z.string(), contentType: z.string() })),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const d = await loadDossier(c, c.req.valid('param').id);
      const verify = c.req.valid('query').verify === '1';
      const s = signingServicesOf(store);
      // A signature confirmed on the phone since is finished on the way (nobody needs to be polling).
      if (s?.async)
        for (const r of await signing.pendingRequests({ dossierId: d.id }))
          await refresh(r).catch(() => undefined);
      const docs = await signing.signedDocuments(d.id);
      const files = await store.listDocuments(d.id);
      const out = [];
      for (const doc of docs) {
        let verification: Record<string, unknown> | null = null;
        const file = files.find((x) => x.id === doc.documentId);
        const bytes = file ? await store.content.get(file.sha256) : undefined;
        if (verify && s && bytes)
          verification = (await verifyPdf(bytes, { trustAnchors: s.trustAnchors })) as unknown as Record<
            string,
            unknown
          >;
        out.push({ ...view(doc), verification });
      }
      const versions = new Set(
        docs.flatMap((x) => [x.sourceDocumentId, ...x.signatures.map((y) => y.documentId)]),
      );
      return c.json(
        {
          documents: out,
          pending: (await signing.pendingRequests({ dossierId: d.id })).map((r) => ({
            operationId: r.operationId,
            step: r.step,
            userId: r.userId,
            createdAt: r.createdAt,
          })),
          documentsToSign: files
            .filter(
              (f) =>
                !versions.has(f.id) &&
                ['application/pdf', 'image/jpeg', 'image/png'].includes(f.content_type),
            )
            .map((f) => ({ id: f.id, name: f.name, contentType: f.content_type })),
        },
        200,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/signing/approvals',
      summary: 'Results signed by the specialist and waiting for the leader’s signature',
      request: { params: UnitParam },
      responses: {
        200: json(
          z.array(SignedDocumentSchema.extend({ dossierCode: z.string(), procedureName: z.string() })),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRead(c, unit);
      const rows = await signing.awaitingLeader(unit);
      return c.json(
        rows.map((r) => ({ ...view(r), dossierCode: r.dossierCode, procedureName: r.procedureName })),
        200,
      );
    },
  );

  // ---- delegations ----
  const DelegationSchemaOut = z
    .object({
      id: z.string(),
      unitCode: z.string(),
      fromUser: z.string(),
      fromName: z.string(),
      toUser: z.string(),
      toName: z.string(),
      scope: z.enum(['result', 'certified_copy', 'all']),
      validFrom: z.string(),
      validUntil: z.string(),
      revokedAt: z.string().nullable(),
      active: z.boolean(),
    })
    .openapi('Delegation');
  const delegationView = async (x: Awaited<ReturnType<SigningStore['delegations']>>[number]) => {
    const now = Date.now();
    return {
      id: x.id,
      unitCode: x.unitCode,
      fromUser: x.fromUser,
      fromName: await userName(x.fromUser),
      toUser: x.toUser,
      toName: await userName(x.toUser),
      scope: x.scope,
      validFrom: x.validFrom,
      validUntil: x.validUntil,
      revokedAt: x.revokedAt,
      active: !x.revokedAt && Date.parse(x.validFrom) <= now && now <= Date.parse(x.validUntil),
    };
  };
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/delegations',
      summary: 'The unit’s signing delegations (leader → deputy, period, scope)',
      request: { params: UnitParam },
      responses: { 200: json(z.array(DelegationSchemaOut)), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRead(c, unit);
      const out = [];
      for (const x of await signing.delegations(unit)) out.push(await delegationView(x));
      return c.json(out, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/units/{unit}/delegations',
      summary:
        'A leader delegates signing to a deputy for a period (a unit admin may record it for a leader)',
      request: { params: UnitParam, body: { content: { 'application/json': { schema: DelegationBody } } } },
      responses: { 201: json(DelegationSchemaOut), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = requireRole(c, unit, ['leader', 'unitAdmin']);
      const body = c.req.valid('json');
      const fromUser = body.fromUser ?? caller.user.id;
      if (fromUser !== caller.user.id && !roleIn(caller, unit, 'unitAdmin'))
        throw fieldProblem(
          403,
          'signature.delegation_own',
          'fromUser',
          'a leader delegates only their own signature',
          'lãnh đạo chỉ ủy quyền chữ ký của chính mình',
        );
      const staff = await signing.unitStaff(unit);
      const from = staff.find((u) => u.id === fromUser);
      if (!from?.roles.includes('leader'))
        throw fieldProblem(
          400,
          'signature.delegation_from',
          'fromUser',
          'the one who delegates must be a leader of this unit',
          'người ủy quyền phải là lãnh đạo của đơn vị',
        );
      const to = staff.find((u) => u.id === body.toUser);
      if (!to || to.id === fromUser)
        throw fieldProblem(
          400,
          'signature.delegation_to',
          'toUser',
          'the deputy must be another officer of this unit',
          'người được ủy quyền phải là cán bộ khác của đơn vị',
        );
      if (Date.parse(body.validUntil) <= Date.parse(body.validFrom))
        throw fieldProblem(
          400,
          'signature.delegation_period',
          'validUntil',
          'the delegation must end after it starts',
          'thời hạn ủy quyền phải kết thúc sau khi bắt đầu',
        );
      if (Date.parse(body.validUntil) <= Date.now())
        throw fieldProblem(
          400,
          'signature.delegation_period',
          'validUntil',
          'the delegation must end in the future',
          'thời hạn ủy quyền phải kết thúc trong tương lai',
        );
      const created = await signing.createDelegation({
        unitCode: unit,
        fromUser,
        toUser: body.toUser,
        scope: body.scope,
        validFrom: body.validFrom,
        validUntil: body.validUntil,
        actor: caller.user.id,
      });
      await store.audit(caller.user.id, 'signature.delegation', unit, null, {
        id: created.id,
        toUser: body.toUser,
        scope: body.scope,
      });
      return c.json(await delegationView(created), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/units/{unit}/delegations/{id}',
      summary: 'Revoke a delegation (kept for the record)',
      request: { params: UnitParam.merge(IdParam) },
      responses: { 200: json(DelegationSchemaOut), ...problemResponses },
    }),
    async (c) => {
      const { unit, id } = c.req.valid('param');
      const caller = requireRole(c, unit, ['leader', 'unitAdmin']);
      const existing = await signing.delegation(id);
      if (!existing || existing.unitCode !== unit) throw notFound();
      if (existing.fromUser !== caller.user.id && !roleIn(caller, unit, 'unitAdmin'))
        throw problem(
          403,
          'signature.delegation_own',
          'A leader revokes only their own delegations',
          'Lãnh đạo chỉ thu hồi ủy quyền của chính mình',
        );
      const revoked = (await signing.revokeDelegation(unit, id))!;
      await store.audit(caller.user.id, 'signature.delegation_revoked', unit, null, { id });
      return c.json(await delegationView(revoked), 200);
    },
  );

  // ---- signing set-up and readiness ----
  /** An officer's signing set-up as the API answers it: provider, credential, certificate holder and expiry. */
  const SetUpSchema = z
    .object({
      ok: z.boolean(),
      userId: z.string(),
      provider: z.enum(['csc', 'async']),
      credentialId: z.string(),
      /** The certificate's holder (subject CN), as the provider's certificate names it. */
      subject: z.string().nullable(),
      notAfter: z.string(),
    })
    .openapi('SigningSetUpSaved');
  const notStaff = () =>
    fieldProblem(
      404,
      'signature.not_staff',
      'userId',
      'no officer of this unit has this ID',
      'đơn vị không có cán bộ nào có mã này',
    );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/units/{unit}/signing/credentials/{userId}',
      summary:
        'Assign or change an officer’s signing set-up (provider and credential ID; unit admin); the certificate is read from the provider',
      description:
        'Only a unit admin of the unit. The officer must be an enabled user with a role in this unit (otherwise 404 naming `userId`, whether or not the user exists elsewhere). A credential the provider does not know is 400 naming `credentialId`; a provider not configured, 400 naming `provider`. The change is written to the audit log (`signature.setup`).',
      request: {
        params: UserParam,
        body: { content: { 'application/json': { schema: CredentialBody } } },
      },
      responses: {
        200: json(SetUpSchema),
        ...problemResponses,
        503: {
          description: 'The signing service cannot be reached',
          content: { 'application/problem+json': { schema: Problem } },
        },
      },
    }),
    async (c) => {
      const { unit, userId } = c.req.valid('param');
      const caller = requireRole(c, unit, ['unitAdmin']);
      const body = c.req.valid('json');
      if (!(await signing.unitStaff(unit)).some((u) => u.id === userId)) throw notStaff();
      const s = services();
      let certificate: Uint8Array;
      try {
        if (body.provider === 'csc') {
          if (!s.csc)
            throw fieldProblem(
              400,
              'signature.not_configured',
              'provider',
              'no CSC service is configured',
              'chưa cấu hình dịch vụ CSC',
            );
          const info = await s.csc.credentialInfo(body.credentialId, 'single');
          const first = info.cert?.certificates?.[0];
          if (!first) throw new Error('no certificate');
          certificate = new Uint8Array(Buffer.from(first, 'base64'));
        } else {
          if (!s.async)
            throw fieldProblem(
              400,
              'signature.not_configured',
              'provider',
              'no asynchronous service is configured',
              'chưa cấu hình dịch vụ ký qua điện thoại',
            );
          certificate = (await s.async.describe(body.credentialId)).certificate;
        }
      } catch (e) {
        // An outage is not the credential's fault: say so rather than "unknown credential".
        if (e instanceof SignatureError && e.code === 'signature.remote_unavailable')
          throw signatureProblem(e);
        if (e instanceof SignatureError || (e instanceof Error && !('getResponse' in e)))
          throw fieldProblem(
            400,
            'signature.credential_unknown',
            'credentialId',
            'the signing service does not know this credential',
            'dịch vụ ký số không có chứng thư này',
          );
        throw e;
      }
      let notAfter: string;
      try {
        notAfter = parseCertificate(certificate).notAfter.value.toISOString();
      } catch {
        throw fieldProblem(
          400,
          'signature.certificate_corrupt',
          'credentialId',
          'the signing service gave an unreadable certificate for this credential',
          'dịch vụ ký số trả về chứng thư không đọc được',
        );
      }
      const previous = await signing.credential(userId, unit);
      await signing.setCredential({
        userId,
        unitCode: unit,
        provider: body.provider,
        credentialId: body.credentialId,
        certificate,
        actor: caller.user.id,
      });
      await store.audit(caller.user.id, 'signature.setup', unit, null, {
        userId,
        provider: body.provider,
        credentialId: body.credentialId,
        ...(previous
          ? { previous: { provider: previous.provider, credentialId: previous.credentialId } }
          : {}),
      });
      return c.json(
        {
          ok: true,
          userId,
          provider: body.provider,
          credentialId: body.credentialId,
          subject: holderOf(certificate),
          notAfter,
        },
        200,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/units/{unit}/signing/credentials/{userId}',
      summary:
        'Remove an officer’s signing set-up (unit admin): they cannot sign in this unit until given another',
      description:
        'Only a unit admin of the unit. An officer with no set-up in this unit (another commune’s user included) is 404 naming `userId`. Signatures already made stay valid; requests waiting on a phone still finish. Written to the audit log (`signature.setup_removed`).',
      request: { params: UserParam },
      responses: {
        200: json(
          z
            .object({ ok: z.boolean(), userId: z.string(), provider: z.string(), credentialId: z.string() })
            .openapi('SigningSetUpRemoved'),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit, userId } = c.req.valid('param');
      const caller = requireRole(c, unit, ['unitAdmin']);
      const existing = await signing.credential(userId, unit);
      if (!existing || !(await signing.removeCredential(userId, unit)))
        throw fieldProblem(
          404,
          'signature.no_setup',
          'userId',
          'this officer has no signing set-up in this unit',
          'cán bộ này chưa có thiết lập ký số tại đơn vị',
        );
      await store.audit(caller.user.id, 'signature.setup_removed', unit, null, {
        userId,
        provider: existing.provider,
        credentialId: existing.credentialId,
      });
      return c.json(
        { ok: true, userId, provider: existing.provider, credentialId: existing.credentialId },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/signing-readiness',
      summary:
        'Which officers have a working signing set-up, certificates expired or expiring (30 days), and whether someone can sign certified copies',
      request: { params: UnitParam },
      responses: {
        200: json(
          z.object({
            checkedAt: z.string(),
            ready: z.number(),
            officers: z.array(
              z.object({
                userId: z.string(),
                username: z.string(),
                fullName: z.string(),
                roles: z.array(z.string()),
                provider: z.string().nullable(),
                credentialId: z.string().nullable(),
                subject: z.string().nullable(),
                notAfter: z.string().nullable(),
                ready: z.boolean(),
                problems: z.array(z.object({ code: z.string(), vi: z.string(), en: z.string() })),
              }),
            ),
            problems: z.array(z.object({ code: z.string(), vi: z.string(), en: z.string() })),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      requireRead(c, unit);
      const at = new Date();
      const staff = await signing.unitStaff(unit);
      const creds = await signing.credentials(unit);
      const ROLE_MAP: Partial<Record<Role, SigningOfficer['roles']>> = {
        receptionist: ['receiving_officer'],
        specialist: ['specialist'],
        leader: ['leader', 'chairman'],
      };
      const officers: SigningOfficer[] = staff.map((u) => {
        const cr = creds.find((x) => x.userId === u.id);
        return {
          officerId: u.id,
          unit,
          roles: u.roles.flatMap((r) => ROLE_MAP[r] ?? []),
          credential: cr
            ? {
                kind: cr.provider === 'csc' ? 'csc' : 'local',
                id: cr.credentialId,
                certificate: cr.certificate,
              }
            : null,
        };
      });
      const delegations: Delegation[] = (await signing.delegations(unit, { active: at }))
        .filter((x) => x.scope !== 'result')
        .map((x) => ({
          unit,
          to: x.toUser,
          scope: 'certified_copy',
          from: x.validFrom,
          until: x.validUntil,
        }));
      const problems = checkSigningReadiness(officers, delegations, unit, { at });
      const blocking = new Set([
        'readiness.no_credential',
        'readiness.certificate_expired',
        'readiness.certificate_corrupt',
        'readiness.key_usage',
      ]);
      const out = staff.map((u) => {
        const cr = creds.find((x) => x.userId === u.id);
        let subject: string | null = null;
        let notAfter: string | null = null;
        if (cr)
          try {
            notAfter = parseCertificate(cr.certificate).notAfter.value.toISOString();
            subject = holderOf(cr.certificate);
          } catch {
            // reported by the readiness check
          }
        const mine = problems
          .filter((p) => p.officerId === u.id)
          .map(({ code, vi, en }) => ({ code, vi, en }));
        return {
          userId: u.id,
          username: u.username,
          fullName: u.fullName,
          roles: u.roles,
          provider: cr?.provider ?? null,
          credentialId: cr?.credentialId ?? null,
          subject,
          notAfter,
          ready: Boolean(cr) && !mine.some((p) => blocking.has(p.code)),
          problems: mine,
        };
      });
      return c.json(
        {
          checkedAt: at.toISOString(),
          ready: out.filter((o) => o.ready).length,
          officers: out,
          problems: problems
            .filter((p) => p.officerId === null)
            .map(({ code, vi, en }) => ({ code, vi, en })),
        },
        200,
      );
    },
  );

  // ---- demo: the officer's phone ----
  app.get('/api/demo/signing', (c) => {
    const caller = requireCaller(c);
    const demo = signingServicesOf(store)?.demo;
    if (!demo) throw notFound();
    const mine = demo.assignments.filter((a) => a.username === caller.user.username);
    const creds = new Set(mine.map((a) => a.credentialId));
    return c.json({
      credentials: mine.map((a) => {
        const sim = demo.csc.credentials.find((x) => x.credentialID === a.credentialId);
        return {
          provider: a.provider,
          credentialId: a.credentialId,
          // Synthetic demo PINs of the simulator, shown so that a visitor can sign: never in production.
          ...(sim ? { demoPin: sim.pin, needsOtp: sim.otp } : {}),
        };
      }),
      transactions: demo.async
        .transactions()
        .filter((t) => creds.has(t.credentialId) && (t.status === 'pending' || t.status === 'awaitingUser'))
        .map((t) => ({
          transactionId: t.transactionId,
          description: t.description,
          status: t.status,
          expiresAt: new Date(t.expiresAt).toISOString(),
        })),
    });
  });
  app.post('/api/demo/signing/otp', async (c) => {
    const caller = requireCaller(c);
    const s = signingServicesOf(store);
    if (!s?.demo || !s.csc) throw notFound();
    const a = s.demo.assignments.find((x) => x.username === caller.user.username && x.provider === 'csc');
    if (!a) throw notFound();
    await s.csc.sendOtp(a.credentialId);
    // The demo "SMS": the synthetic OTP the simulator sent.
    return c.json({ demoOtp: s.demo.csc.lastOtp(a.credentialId) ?? null });
  });
  app.post('/api/demo/signing/transactions/:tx/:action{confirm|reject}', async (c) => {
    const caller = requireCaller(c);
    const demo = signingServicesOf(store)?.demo;
    if (!demo) throw notFound();
    const t = demo.async.transactions().find((x) => x.transactionId === c.req.param('tx'));
    const mine = demo.assignments.some(
      (a) => a.username === caller.user.username && a.credentialId === t?.credentialId,
    );
    if (!t || !mine) throw notFound();
    try {
      if (t.status === 'pending') await demo.async.open(t.transactionId);
      if (c.req.param('action') === 'confirm') await demo.async.confirm(t.transactionId);
      else await demo.async.reject(t.transactionId);
    } catch (e) {
      throw problem(409, 'signature.transaction_final', (e as Error).message, 'Yêu cầu ký đã kết thúc');
    }
    return c.json({ ok: true });
  });
}

export type { Store };
