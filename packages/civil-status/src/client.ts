import { parseWith, ValidationError } from '@motcua/core';
import { createHttpClient, type HttpClientOptions } from '@motcua/http';
import { toCivilStatusError } from './errors.js';
import {
  type BirthRegistration,
  BirthRegistrationSchema,
  type CardRequest,
  CardRequestSchema,
  type CivilStatusContext,
  CivilStatusContextSchema,
  type DeathRegistration,
  DeathRegistrationSchema,
  type ExtractCopyRequest,
  ExtractCopyRequestSchema,
  type HealthInsuranceCard,
  HealthInsuranceCardSchema,
  type MaritalStatusRequest,
  MaritalStatusRequestSchema,
  type MarriageRegistration,
  MarriageRegistrationSchema,
  type Submission,
  type SubmissionKind,
  SubmissionSchema,
} from './schemas.js';

/**
 * The calls a civil-status system answers. The default transport speaks `openapi.yaml` over HTTP; a vendor
 * maps a province gateway's real endpoints by implementing this interface.
 */
export interface CivilStatusTransport {
  submit(
    kind: SubmissionKind,
    body: unknown,
    ctx: CivilStatusContext,
    idempotencyKey: string,
  ): Promise<unknown>;
  submission(submissionId: string, ctx: CivilStatusContext): Promise<unknown>;
}

/**
 * The HTTP transport of the documented protocol.
 *
 * @example
 * ```ts
 * import { createCivilStatusClient, httpCivilStatusTransport } from '@motcua/civil-status';
 * const http = httpCivilStatusTransport({ baseUrl, auth });
 * await http.submit('birth', birth, ctx, 'HS-05152-2026-000123:birth');
 * // { submissionId: 'CS-05152-2026-000001', kind: 'birth', status: 'registered', registrationNumber: '1/2026', … }
 * // as the system sent it: the client validates it. Wrap it (to log, to count) or replace it with an adapter:
 * const civil = createCivilStatusClient({ baseUrl, auth, transport: { ...http, submission: (id, ctx) => http.submission(id, ctx) } });
 * ```
 */
export function httpCivilStatusTransport(options: HttpClientOptions): CivilStatusTransport {
  const http = createHttpClient(options);
  const headers = (ctx: CivilStatusContext) => ({
    'x-officer-id': ctx.officerId,
    'x-commune-code': ctx.communeCode,
  });
  return {
    submit: async (kind, body, ctx, idempotencyKey) =>
      (await http.post(`submissions/${kind}`, { json: body, headers: headers(ctx), idempotencyKey })).data,
    submission: async (id, ctx) =>
      (await http.get(`submissions/${encodeURIComponent(id)}`, { headers: headers(ctx) })).data,
  };
}

const answer = <T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: unknown } },
  value: unknown,
  system: string,
): T => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError(
    [
      {
        path: ['response'],
        code: `${system}.invalid_response`,
        message: {
          en: `The ${system === 'civil_status' ? 'civil-status' : 'social-insurance'} system sent an answer off the protocol`,
          vi: `Hệ thống ${system === 'civil_status' ? 'hộ tịch' : 'bảo hiểm xã hội'} trả dữ liệu không đúng giao thức`,
        },
      },
    ],
    { cause: r.error },
  );
};

/** Options of one submission. */
export interface SubmitOptions {
  /**
   * The idempotency key: pass the same one when trying again (after a restart, from the outbox) and the
   * system registers once. Default: a new random key (safe only for a single try).
   */
  idempotencyKey?: string;
}

/**
 * A client of the civil-status registration system (Ministry of Justice, through the province's gateway):
 * birth, death, marriage, confirmation of marital status and copies of extracts. Each is a submission with an
 * idempotency key, a status to poll and, once registered, a number in the civil-status book. A refusal for a
 * rule (a birth registered twice, a party under age...) is a `CivilStatusError` that names the rule in
 * Vietnamese and English; a failed line is a retryable one.
 *
 * @example
 * ```ts
 * import { createCivilStatusClient } from '@motcua/civil-status';
 * const civil = createCivilStatusClient({ baseUrl, auth: { type: 'oauth2', tokenUrl, clientId, clientSecret } });
 * const ctx = { officerId: 'tp-hotich-01', communeCode: '05152' };
 * const s = await civil.registerBirth(
 *   {
 *     child: { fullName: 'Nguyễn Văn Út', sex: 'male', dateOfBirth: '2026-11-20',
 *              placeOfBirth: { detail: 'Trạm y tế xã', communeCode: '05152', provinceCode: '25' } },
 *     mother: { personalId: '025192000002', fullName: 'Trần Thị Thử' },
 *     declarant: { personalId: '025192000002', fullName: 'Trần Thị Thử', relation: 'mother' },
 *   },
 *   ctx,
 *   { idempotencyKey: 'HS-05152-2026-000123:birth' },
 * );
 * const done = await civil.waitForResult(s.submissionId, ctx); // { status: 'registered', registrationNumber: '1/2026', personalId: '025226…' }
 * ```
 */
export function createCivilStatusClient(options: HttpClientOptions & { transport?: CivilStatusTransport }) {
  const transport = options.transport ?? httpCivilStatusTransport(options);
  const ctxOf = (ctx: CivilStatusContext) => parseWith(CivilStatusContextSchema, ctx);
  const submit = async (
    kind: SubmissionKind,
    schema: Parameters<typeof parseWith>[0],
    input: unknown,
    ctx: CivilStatusContext,
    opts: SubmitOptions,
  ): Promise<Submission> => {
    const body = parseWith(schema, input);
    const c = ctxOf(ctx);
    try {
      return answer(
        SubmissionSchema,
        await transport.submit(kind, body, c, opts.idempotencyKey ?? globalThis.crypto.randomUUID()),
        'civil_status',
      );
    } catch (e) {
      throw toCivilStatusError(e);
    }
  };
  const client = {
    registerBirth: (input: BirthRegistration, ctx: CivilStatusContext, opts: SubmitOptions = {}) =>
      submit('birth', BirthRegistrationSchema, input, ctx, opts),
    registerDeath: (input: DeathRegistration, ctx: CivilStatusContext, opts: SubmitOptions = {}) =>
      submit('death', DeathRegistrationSchema, input, ctx, opts),
    registerMarriage: (input: MarriageRegistration, ctx: CivilStatusContext, opts: SubmitOptions = {}) =>
      submit('marriage', MarriageRegistrationSchema, input, ctx, opts),
    confirmMaritalStatus: (input: MaritalStatusRequest, ctx: CivilStatusContext, opts: SubmitOptions = {}) =>
      submit('marital-status', MaritalStatusRequestSchema, input, ctx, opts),
    requestExtractCopies: (input: ExtractCopyRequest, ctx: CivilStatusContext, opts: SubmitOptions = {}) =>
      submit('extract-copy', ExtractCopyRequestSchema, input, ctx, opts),
    /** The submission's current status. */
    async getSubmission(submissionId: string, ctx: CivilStatusContext): Promise<Submission> {
      try {
        return answer(SubmissionSchema, await transport.submission(submissionId, ctxOf(ctx)), 'civil_status');
      } catch (e) {
        throw toCivilStatusError(e);
      }
    },
    /**
     * Polls until the submission is registered or rejected (or `timeoutMs` passes: then the last status,
     * still `processing`, is returned; poll again later).
     */
    async waitForResult(
      submissionId: string,
      ctx: CivilStatusContext,
      opts: { intervalMs?: number; timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
    ): Promise<Submission> {
      const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      const until = Date.now() + (opts.timeoutMs ?? 60_000);
      for (;;) {
        const s = await client.getSubmission(submissionId, ctx);
        if (s.status !== 'processing' || Date.now() >= until) return s;
        await sleep(opts.intervalMs ?? 1000);
      }
    },
  };
  return client;
}

/** The client made by {@link createCivilStatusClient}. */
export type CivilStatusClient = ReturnType<typeof createCivilStatusClient>;

/**
 * A client of the social-insurance system (Vietnam Social Security) for the one call a commune makes in the
 * newborn procedure: a free health-insurance card for a child under six (Law on Health Insurance Art. 12).
 *
 * @example
 * ```ts
 * import { createHealthInsuranceClient } from '@motcua/civil-status';
 * const bhxh = createHealthInsuranceClient({ baseUrl, auth });
 * const card = await bhxh.requestChildCard(
 *   { personalId: '025226000004', fullName: 'Nguyễn Văn Út', dateOfBirth: '2026-11-20', provinceCode: '25' },
 *   { idempotencyKey: 'HS-05152-2026-000123:card' },
 * );
 * card.cardNumber; // 'TE1250000000004'
 * ```
 */
export function createHealthInsuranceClient(options: HttpClientOptions) {
  const http = createHttpClient(options);
  return {
    async requestChildCard(input: CardRequest, opts: SubmitOptions = {}): Promise<HealthInsuranceCard> {
      const body = parseWith(CardRequestSchema, input);
      try {
        const r = await http.post('health-insurance/cards', {
          json: body,
          idempotencyKey: opts.idempotencyKey ?? globalThis.crypto.randomUUID(),
        });
        return answer(HealthInsuranceCardSchema, r.data, 'social_insurance');
      } catch (e) {
        throw toCivilStatusError(e);
      }
    },
    async getCard(personalId: string): Promise<HealthInsuranceCard | undefined> {
      try {
        const r = await http.get(`health-insurance/cards/${encodeURIComponent(personalId)}`);
        return answer(HealthInsuranceCardSchema, r.data, 'social_insurance');
      } catch (e) {
        const err = toCivilStatusError(e);
        if ((e as { status?: number }).status === 404) return undefined;
        throw err;
      }
    },
  };
}

/** The client made by {@link createHealthInsuranceClient}. */
export type HealthInsuranceClient = ReturnType<typeof createHealthInsuranceClient>;
