import { parseWith, ValidationError } from '@motcua/core';
import { createHttpClient, type HttpClientOptions } from '@motcua/http';
import {
  type CallContext,
  CallContextSchema,
  type Citizen,
  CitizenSchema,
  type Household,
  HouseholdSchema,
  type Residence,
  type ResidenceRegistration,
  type ResidenceRegistrationResult,
  ResidenceRegistrationResultSchema,
  ResidenceRegistrationSchema,
  ResidenceSchema,
  type VerifyRequest,
  VerifyRequestSchema,
  type VerifyResponse,
  VerifyResponseSchema,
} from './schemas.js';

/**
 * The calls a population service answers. The default transport speaks the protocol of `openapi.yaml`
 * over HTTP; a vendor plugs a province gateway's real endpoints in by implementing this interface.
 */
export interface PopulationTransport {
  verify(request: VerifyRequest, ctx: CallContext): Promise<unknown>;
  citizen(personalId: string, ctx: CallContext): Promise<unknown>;
  household(householdId: string, ctx: CallContext): Promise<unknown>;
  residence(personalId: string, ctx: CallContext): Promise<unknown>;
  /** A write: the idempotency key makes a retry register once. */
  registerResidence(
    registration: ResidenceRegistration,
    ctx: CallContext,
    idempotencyKey: string,
  ): Promise<unknown>;
}

/**
 * The HTTP transport of the documented protocol.
 *
 * @example
 * ```ts
 * import { createPopulationClient, httpPopulationTransport } from '@motcua/population';
 * const http = httpPopulationTransport({ baseUrl, auth });
 * await http.citizen('025090000001', { purpose: 'Xác minh hồ sơ khai sinh', officerId: 'u-1' });
 * // { personalId: '025090000001', fullName: 'Nguyễn Văn Mẫu', householdId: 'HK-05152-0001', … }
 * // as the service sent it: the client validates it. Wrap it (to log, to count) or replace it with an adapter:
 * const population = createPopulationClient({ baseUrl, auth, transport: { ...http, citizen: (id, ctx) => http.citizen(id, ctx) } });
 * ```
 */
export function httpPopulationTransport(options: HttpClientOptions): PopulationTransport {
  const http = createHttpClient(options);
  const headers = (ctx: CallContext) => ({
    'x-purpose': encodeURIComponent(ctx.purpose),
    'x-officer-id': ctx.officerId,
  });
  return {
    verify: async (request, ctx) =>
      (await http.post('citizens/verify', { json: request, headers: headers(ctx) })).data,
    citizen: async (id, ctx) => (await http.get(`citizens/${id}`, { headers: headers(ctx) })).data,
    household: async (id, ctx) =>
      (await http.get(`households/${encodeURIComponent(id)}`, { headers: headers(ctx) })).data,
    residence: async (id, ctx) =>
      (await http.get(`citizens/${id}/residence`, { headers: headers(ctx) })).data,
    registerResidence: async (registration, ctx, idempotencyKey) =>
      (
        await http.post('residence/registrations', {
          json: registration,
          headers: headers(ctx),
          idempotencyKey,
        })
      ).data,
  };
}

const answer = <T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: unknown } },
  value: unknown,
): T => {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ValidationError(
      [
        {
          path: ['response'],
          code: 'population.invalid_response',
          message: {
            en: 'The population service sent an answer that does not follow the protocol',
            vi: 'Hệ thống dân cư trả dữ liệu không đúng giao thức',
          },
        },
      ],
      { cause: r.error },
    );
  }
  return r.data;
};

/**
 * A client of the National Population Database (through the province's gateway): verify a citizen (answered
 * field by field), get a record, a household with each member's relation to the head, and residence. Every
 * call states its legal purpose and the officer; inputs and answers are validated with the same schemas.
 *
 * @example
 * ```ts
 * import { createPopulationClient } from '@motcua/population';
 * const population = createPopulationClient({ baseUrl, auth: { type: 'apiKey', key } });
 * const r = await population.verifyCitizen(
 *   { personalId: '001090000001', fullName: 'Nguyễn Văn A', dateOfBirth: '1990-01-01' },
 *   { purpose: 'Đăng ký khai sinh (1.001193)', officerId: 'can-bo-07' },
 * );
 * r.match; // true, or r.fields.dateOfBirth === 'mismatch'
 * ```
 */
export function createPopulationClient(options: HttpClientOptions & { transport?: PopulationTransport }) {
  const transport = options.transport ?? httpPopulationTransport(options);
  const ctxOf = (ctx: CallContext) => parseWith(CallContextSchema, ctx);
  const idOf = (id: string) => parseWith(VerifyRequestSchema.shape.personalId, id);
  return {
    async verifyCitizen(request: VerifyRequest, ctx: CallContext): Promise<VerifyResponse> {
      return answer(
        VerifyResponseSchema,
        await transport.verify(parseWith(VerifyRequestSchema, request), ctxOf(ctx)),
      );
    },
    async getCitizen(personalId: string, ctx: CallContext): Promise<Citizen> {
      return answer(CitizenSchema, await transport.citizen(idOf(personalId), ctxOf(ctx)));
    },
    async getHousehold(householdId: string, ctx: CallContext): Promise<Household> {
      return answer(HouseholdSchema, await transport.household(householdId, ctxOf(ctx)));
    },
    async getResidence(personalId: string, ctx: CallContext): Promise<Residence> {
      return answer(ResidenceSchema, await transport.residence(idOf(personalId), ctxOf(ctx)));
    },
    /**
     * Registers permanent residence into an existing household (a newborn into the parents'). Pass the same
     * `idempotencyKey` when trying again after a failure: the registration happens once.
     */
    async registerResidence(
      registration: ResidenceRegistration,
      ctx: CallContext,
      options: { idempotencyKey?: string } = {},
    ): Promise<ResidenceRegistrationResult> {
      return answer(
        ResidenceRegistrationResultSchema,
        await transport.registerResidence(
          parseWith(ResidenceRegistrationSchema, registration),
          ctxOf(ctx),
          options.idempotencyKey ?? globalThis.crypto.randomUUID(),
        ),
      );
    },
  };
}

/** The client made by {@link createPopulationClient}. */
export type PopulationClient = ReturnType<typeof createPopulationClient>;
