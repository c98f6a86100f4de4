import { InstantSchema, parseWith, ValidationError, VndSchema } from '@motcua/core';
import { createHttpClient, type HttpClientOptions } from '@motcua/http';
import { z } from 'zod';
import { TreasuryAccountSchema } from './budget.js';

/** A revenue record on the wire (Motcua's documented format, `openapi.yaml`). */
export const RevenueRecordSchema = z.object({
  recordId: z.string().regex(/^[A-Za-z0-9._:/-]{1,100}$/),
  feeId: z.string().min(1),
  dossierCode: z.string().min(1),
  unitCode: z.string().regex(/^\d{5}$/),
  amount: VndSchema.refine((v) => v > 0, 'amount must be positive'),
  kind: z.enum(['fee', 'charge']),
  method: z.enum(['online', 'counter']),
  paidAt: InstantSchema,
  paymentId: z.string().optional(),
  reference: z.string().optional(),
  chapter: z.string().regex(/^\d{3}$/),
  subItem: z.string().regex(/^\d{4}$/),
  classification: z.string().min(1),
  classificationVerified: z.boolean(),
  collectingAgency: z.string().regex(/^\d{7}$/),
  account: TreasuryAccountSchema,
  designatedAccount: z.boolean(),
  remitBy: InstantSchema.optional(),
});

/** The State Treasury's acknowledgement of a record. */
export const CollectionStatusSchema = z.object({
  recordId: z.string(),
  status: z.enum(['submitted', 'credited', 'rejected']),
  submittedAt: InstantSchema,
  /** When the money was credited to the budget. */
  creditedAt: InstantSchema.optional(),
  /** The treasury's document number once credited. */
  treasuryReference: z.string().optional(),
  /** Why a record was rejected (a stable code). */
  reason: z.string().optional(),
});
export type CollectionStatus = z.infer<typeof CollectionStatusSchema>;

/**
 * The channel to the State Treasury. No public specification of the treasury's collection interface exists
 * (DOMAIN.md §9): the default adapter speaks Motcua's documented format (`openapi.yaml`); a vendor maps it to
 * the real channel (a bank's collection service, the province's gateway) by implementing this interface.
 */
export interface TreasuryAdapter {
  submit(record: z.output<typeof RevenueRecordSchema>): Promise<unknown>;
  status(recordId: string): Promise<unknown>;
}

/**
 * The HTTP adapter of Motcua's documented format.
 *
 * @example
 * ```ts
 * import { createTreasuryClient, httpTreasuryAdapter } from '@motcua/treasury';
 * const http = httpTreasuryAdapter({ baseUrl, auth });
 * await http.submit(record); // { recordId: '05152-F1', status: 'submitted', submittedAt: '…' }, not validated
 * const treasury = createTreasuryClient({ baseUrl, auth, adapter: http }); // the default; a vendor's adapter maps the real channel
 * ```
 */
export function httpTreasuryAdapter(options: HttpClientOptions): TreasuryAdapter {
  const http = createHttpClient(options);
  return {
    submit: async (record) => (await http.post('collections', { json: record })).data,
    status: async (id) => (await http.get(`collections/${encodeURIComponent(id)}`)).data,
  };
}

const answer = (value: unknown): CollectionStatus => {
  const r = CollectionStatusSchema.safeParse(value);
  if (!r.success)
    throw new ValidationError(
      [
        {
          path: ['response'],
          code: 'treasury.invalid_response',
          message: {
            en: 'The treasury channel sent an answer that does not follow the protocol',
            vi: 'Kênh kho bạc trả dữ liệu không đúng giao thức',
          },
        },
      ],
      { cause: r.error },
    );
  return r.data;
};

/**
 * A client of the State Treasury collection channel: submit the revenue record of a collected fee
 * (idempotent on the record ID) and confirm it was credited. Records are validated before they leave.
 *
 * @example
 * ```ts
 * import { createTreasuryClient, revenueRecord } from '@motcua/treasury';
 * const treasury = createTreasuryClient({ baseUrl: 'https://kb.example.gov.vn/motcua/v1/', auth });
 * await treasury.submit(revenueRecord(collection, unitConfig));
 * (await treasury.status('05152-F1')).status; // 'credited'
 * ```
 */
export function createTreasuryClient(options: HttpClientOptions & { adapter?: TreasuryAdapter }) {
  const adapter = options.adapter ?? httpTreasuryAdapter(options);
  return {
    async submit(record: z.input<typeof RevenueRecordSchema>): Promise<CollectionStatus> {
      return answer(await adapter.submit(parseWith(RevenueRecordSchema, record)));
    },
    async status(recordId: string): Promise<CollectionStatus> {
      return answer(await adapter.status(recordId));
    },
  };
}
/** The client made by {@link createTreasuryClient}. */
export type TreasuryClient = ReturnType<typeof createTreasuryClient>;
