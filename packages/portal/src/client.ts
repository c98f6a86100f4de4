import { MotcuaError, parseWith, ValidationError } from '@motcua/core';
import {
  type Appointment,
  computeAppointment,
  type DeadlinePolicyInput,
  type WorkingCalendar,
} from '@motcua/deadlines';
import {
  createHttpClient,
  type HttpClientOptions,
  HttpError,
  type Outbox,
  type OutboxMessage,
  verifyWebhook,
} from '@motcua/http';
import {
  type DossierPage,
  DossierPageSchema,
  type OnlineDossier,
  OnlineDossierSchema,
  type PortalView,
  PortalViewSchema,
  type StatusUpdate,
  StatusUpdateSchema,
} from './schemas.js';

/** The calls a Portal connection answers; the default speaks `openapi.yaml`, an adapter maps a real one. */
export interface PortalTransport {
  pull(unitCode: string, cursor: string | undefined, limit: number): Promise<unknown>;
  push(portalId: string, update: unknown, idempotencyKey: string): Promise<unknown>;
  view(portalId: string): Promise<unknown>;
}

/**
 * The HTTP transport of the documented protocol.
 *
 * @example
 * ```ts
 * import { createPortalClient, httpPortalTransport } from '@motcua/portal';
 * const http = httpPortalTransport({ baseUrl, auth });
 * await http.pull('05152', undefined, 2); // { dossiers: [{ portalId: 'DVC-05152-0000001', … }, { … }], nextCursor: 'cG9zOjI' }
 * // as the Portal sent it: the client validates it. Wrap it (to log, to count) or replace it with an adapter:
 * const portal = createPortalClient({ baseUrl, auth, unitCode: '05152', transport: { ...http, pull: (unit, cursor, limit) => http.pull(unit, cursor, limit) } });
 * ```
 */
export function httpPortalTransport(options: HttpClientOptions): PortalTransport {
  const http = createHttpClient(options);
  return {
    pull: async (unit, cursor, limit) =>
      (await http.get('dossiers', { searchParams: { unit, limit, ...(cursor ? { cursor } : {}) } })).data,
    push: async (portalId, update, idempotencyKey) =>
      (await http.post(`dossiers/${encodeURIComponent(portalId)}/events`, { json: update, idempotencyKey }))
        .data,
    view: async (portalId) => (await http.get(`dossiers/${encodeURIComponent(portalId)}`)).data,
  };
}

const answer = <T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: unknown } },
  value: unknown,
): T => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError(
    [
      {
        path: ['response'],
        code: 'portal.invalid_response',
        message: {
          en: 'The Portal sent an answer off the protocol',
          vi: 'Cổng Dịch vụ công trả dữ liệu không đúng giao thức',
        },
      },
    ],
    { cause: r.error },
  );
};

/** What the Portal refused, in words for the desk. */
const REFUSALS: Record<string, { en: string; vi: string }> = {
  'event.out_of_order': {
    en: 'The Portal expected another event first (events go in order per dossier)',
    vi: 'Cổng cần nhận sự kiện trước đó (sự kiện gửi theo thứ tự từng hồ sơ)',
  },
  'supplement.already_requested': {
    en: 'A supplement was already requested for this dossier: only one is allowed (Decree 118/2025 Art. 11.2.c, 16.3, 17.2.a)',
    vi: 'Hồ sơ đã được yêu cầu bổ sung: chỉ được yêu cầu một lần (Nghị định 118/2025 Điều 11.2.c, 16.3, 17.2.a)',
  },
  'receipt.first': {
    en: 'An online dossier first gets official receipt or a supplement request',
    vi: 'Hồ sơ trực tuyến phải được tiếp nhận hoặc yêu cầu bổ sung trước',
  },
  'dossier.not_found': { en: 'The Portal has no such dossier', vi: 'Cổng không có hồ sơ này' },
  'dossier.other_unit': { en: 'This dossier belongs to another unit', vi: 'Hồ sơ thuộc đơn vị khác' },
};

/**
 * A call to the Portal that failed: a refusal for a rule (`retryable: false`) or a failed line.
 *
 * @example
 * ```ts
 * import { PortalError } from '@motcua/portal';
 * try { await portal.view('DVC-05152-9999999'); } catch (e) {
 *   if (e instanceof PortalError && !e.retryable) console.log(e.code); // 'portal.dossier.not_found'
 * }
 * ```
 */
export class PortalError extends MotcuaError {
  readonly retryable: boolean;
  constructor(code: string, en: string, vi: string, retryable: boolean, cause?: unknown) {
    super(`portal.${code}`, en, { vi, cause });
    this.name = 'PortalError';
    this.retryable = retryable;
  }
}

const portalError = (e: unknown): unknown => {
  if (!(e instanceof HttpError)) return e;
  const known = e.serverCode ? REFUSALS[e.serverCode] : undefined;
  if (known && e.serverCode) return new PortalError(e.serverCode, known.en, known.vi, false, e);
  return new PortalError(
    e.retryable ? 'unavailable' : (e.serverCode ?? 'refused'),
    `The Portal ${e.retryable ? 'could not be reached' : 'refused the call'} (${e.serverCode ?? e.code})`,
    `Cổng Dịch vụ công ${e.retryable ? 'không kết nối được' : 'từ chối yêu cầu'} (${e.serverCode ?? e.code})`,
    e.retryable,
    e,
  );
};

/** Options of {@link createPortalClient}. */
export interface PortalClientOptions extends HttpClientOptions {
  /** The receiving unit (5-digit commune code). */
  unitCode: string;
  /** The secret of signed pushes (when the Portal pushes instead of being pulled). */
  pushSecret?: string;
  transport?: PortalTransport;
  /** The unit's calendar and policy, for the 8-working-hour receipt rule. */
  calendar?: WorkingCalendar;
  policy?: DeadlinePolicyInput;
}

/** The deadline of the officer's answer to an online dossier (Decree 118/2025 Art. 17.2). */
export interface ReceiptDeadline {
  /** By when official receipt or a supplement request must be sent (ISO 8601, +07:00). */
  deadline: string;
  /** The computation, with its explanation for the officer. */
  appointment: Appointment;
  /** Whether an answer at `at` is late. */
  isLate(at: string | number): boolean;
}

/**
 * A client of the National Public Service Portal (through the province's processing system): receives
 * online dossiers (pull with a cursor, or a signed push), computes the 8-working-hour deadline of official
 * receipt, and pushes every lifecycle event back in order per dossier: directly with `pushEvent`, or
 * durably through the outbox with {@link createPortalSync}.
 *
 * @example
 * ```ts
 * import { createPortalClient } from '@motcua/portal';
 * const portal = createPortalClient({ baseUrl, auth, unitCode: '05152' });
 * let cursor: string | undefined;
 * const page = await portal.pullDossiers({ cursor });
 * for (const d of page.dossiers) portal.receiptDeadline(d).deadline; // '2026-12-04T09:30:00+07:00'
 * cursor = page.nextCursor; // keep it: the next pull starts there
 * ```
 */
export function createPortalClient(options: PortalClientOptions) {
  const transport = options.transport ?? httpPortalTransport(options);
  const unitCode = parseWith(OnlineDossierSchema.shape.unitCode, options.unitCode);
  const seen = new Set<string>();
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw portalError(e);
    }
  };
  const client = {
    unitCode,
    /** One page of online dossiers after `cursor` (from the start without one). */
    async pullDossiers(opts: { cursor?: string; limit?: number } = {}): Promise<DossierPage> {
      return answer(
        DossierPageSchema,
        await call(() => transport.pull(unitCode, opts.cursor, opts.limit ?? 50)),
      );
    },
    /** Every page after `cursor`, until the Portal has nothing newer. */
    async *allDossiers(cursor?: string): AsyncGenerator<DossierPage> {
      let c = cursor;
      for (;;) {
        const page = await client.pullDossiers(c === undefined ? {} : { cursor: c });
        yield page;
        if (page.dossiers.length === 0 || page.nextCursor === c) return;
        c = page.nextCursor;
      }
    },
    /**
     * A dossier the Portal pushed: the signature (HMAC, timestamp window, no replay) is checked before the
     * body is read; a dossier for another unit is refused.
     */
    async receivePush(rawBody: string, signatureHeader: string | undefined): Promise<OnlineDossier> {
      if (!options.pushSecret)
        throw new MotcuaError('portal.push_not_configured', 'No push secret is configured', {
          vi: 'Chưa cấu hình khóa nhận hồ sơ đẩy từ Cổng',
        });
      await verifyWebhook({ payload: rawBody, header: signatureHeader, secret: options.pushSecret, seen });
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch (e) {
        throw new MotcuaError('portal.invalid_push', 'The pushed body is not JSON', {
          vi: 'Nội dung Cổng đẩy sang không phải JSON',
          cause: e,
        });
      }
      const d = parseWith(OnlineDossierSchema, body);
      if (d.unitCode !== unitCode) {
        const r = REFUSALS['dossier.other_unit']!;
        throw new PortalError('dossier.other_unit', r.en, r.vi, false);
      }
      return d;
    },
    /** The 8 working hours of Art. 17.2 from the dossier's arrival, on the unit's calendar. */
    receiptDeadline(dossier: Pick<OnlineDossier, 'submittedAt'>): ReceiptDeadline {
      const appointment = computeAppointment({
        receivedAt: dossier.submittedAt,
        limit: { unit: 'workingHours', value: 8 },
        channel: 'online',
        ...(options.calendar ? { calendar: options.calendar } : {}),
        ...(options.policy ? { policy: options.policy } : {}),
      });
      const deadlineMs = Date.parse(appointment.appointment);
      return {
        deadline: appointment.appointment,
        appointment,
        isLate: (at) => (typeof at === 'number' ? at : Date.parse(at)) > deadlineMs,
      };
    },
    /** Pushes one event now (not durable: prefer {@link createPortalSync}). */
    async pushEvent(
      portalId: string,
      update: StatusUpdate,
      opts: { idempotencyKey?: string } = {},
    ): Promise<PortalView> {
      const body = parseWith(StatusUpdateSchema, update);
      const key = opts.idempotencyKey ?? `${body.dossierCode}:${body.sequence}`;
      return answer(PortalViewSchema, await call(() => transport.push(portalId, body, key)));
    },
    /** What the Portal shows the citizen. */
    async view(portalId: string): Promise<PortalView> {
      return answer(PortalViewSchema, await call(() => transport.view(portalId)));
    },
  };
  return client;
}

/** The client made by {@link createPortalClient}. */
export type PortalClient = ReturnType<typeof createPortalClient>;

/** The outbox topic of Portal status updates. */
export const PORTAL_TOPIC = 'portal.status';

/**
 * Durable status sync: every event goes into the outbox (in the same step as the change that caused it),
 * ordered per Portal dossier, with the idempotency key `dossierCode:sequence`, and reaches the Portal at
 * least once and in order however the line behaves. Official receipt and the supplement request check the
 * 8-working-hour rule and say when the answer is late (it is still sent: the Portal scores it).
 *
 * @example
 * ```ts
 * import { Outbox } from '@motcua/http';
 * import { FileOutboxStore } from '@motcua/http/node';
 * import { createPortalClient, createPortalSync } from '@motcua/portal';
 * const portal = createPortalClient({ baseUrl, auth, unitCode: '05152' });
 * const outbox = new Outbox({ store: new FileOutboxStore('portal.jsonl'), deliver: (m) => sync.deliver(m) });
 * const sync = createPortalSync(portal, outbox);
 * const { late } = await sync.acknowledge(dossier, { dossierCode: 'HS-05152-2026-000123', at: new Date().toISOString(), appointment });
 * await outbox.runOnce();
 * ```
 */
export function createPortalSync(client: PortalClient, outbox: Outbox) {
  const publish = (portalId: string, update: StatusUpdate) => {
    const body = parseWith(StatusUpdateSchema, update);
    return outbox.enqueue({
      topic: PORTAL_TOPIC,
      orderingKey: `portal:${portalId}`,
      key: `${body.dossierCode}:${body.sequence}`,
      payload: { portalId, update: body },
    });
  };
  return {
    /** Queues one lifecycle event (sequence 1, 2, 3... per dossier). */
    publish,
    /** Official receipt (event 1, `accepted`), with the appointment; `late` when past 8 working hours. */
    async acknowledge(
      dossier: Pick<OnlineDossier, 'portalId' | 'submittedAt'>,
      input: { dossierCode: string; at: string; appointment?: string; sequence?: number },
    ): Promise<{ message: OutboxMessage; late: boolean; deadline: string }> {
      const d = client.receiptDeadline(dossier);
      const message = await publish(dossier.portalId, {
        dossierCode: input.dossierCode,
        sequence: input.sequence ?? 1,
        event: {
          type: 'accepted',
          at: input.at,
          ...(input.appointment ? { appointment: input.appointment } : {}),
        },
      });
      return { message, late: d.isLate(input.at), deadline: d.deadline };
    },
    /** The supplement request with all its reasons (one per dossier); `late` when past 8 working hours of arrival. */
    async requestSupplement(
      dossier: Pick<OnlineDossier, 'portalId' | 'submittedAt'>,
      input: { dossierCode: string; at: string; reasons: string[]; sequence?: number },
    ): Promise<{ message: OutboxMessage; late: boolean; deadline: string }> {
      const d = client.receiptDeadline(dossier);
      const message = await publish(dossier.portalId, {
        dossierCode: input.dossierCode,
        sequence: input.sequence ?? 1,
        event: { type: 'supplementRequested', at: input.at, reasons: input.reasons },
      });
      return { message, late: d.isLate(input.at), deadline: d.deadline };
    },
    /** The outbox's `deliver` for Portal messages. */
    async deliver(message: OutboxMessage): Promise<void> {
      const { portalId, update } = message.payload as { portalId: string; update: StatusUpdate };
      await client.pushEvent(portalId, update, { idempotencyKey: message.key });
    },
  };
}
