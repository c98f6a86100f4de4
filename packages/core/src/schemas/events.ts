import { z } from 'zod';
import { ProcedureLimitSchema } from './limits.js';
import { ChannelSchema, InstantSchema, OfficerRefSchema, rule, VndSchema } from './primitives.js';

const base = {
  /** When it happened: ISO 8601 with offset. */
  at: InstantSchema,
  /** The officer who recorded it (absent for the applicant's or a system's own acts). */
  officer: OfficerRefSchema.optional(),
  /** Free note. Never put unmasked personal data in it. */
  note: z.string().optional(),
};

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...base, ...shape });

/** The complete, valid dossier is received (in person, by post, or as filed online). */
export const ReceivedEventSchema = ev('received', {
  channel: ChannelSchema,
  /** The appointment written on the receipt slip, when the slip has one. */
  appointment: InstantSchema.optional(),
  /** The dossier needs verification: the limit's `onVerification` applies. */
  verification: z.boolean().optional(),
});

/** Official receipt of an online dossier by an officer (Decree 118/2025 Art. 17.2: within 8 working hours). */
export const AcceptedEventSchema = ev('accepted', { appointment: InstantSchema.optional() });

/** Handed to a step or an officer, with the step's own share of the limit. */
export const TransferredEventSchema = ev('transferred', {
  step: z.string().min(1),
  to: OfficerRefSchema.optional(),
  stepLimit: ProcedureLimitSchema.optional(),
});

/** A supplement request (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) with all reasons at once. */
export const SupplementRequestedEventSchema = ev('supplementRequested', {
  reasons: z
    .array(z.string().min(1))
    .min(
      1,
      rule(
        'event.supplement_reasons',
        'A supplement request lists its reasons',
        'Yêu cầu bổ sung phải nêu lý do',
      ),
    ),
});
export const SupplementReceivedEventSchema = ev('supplementReceived', {});
/** Time that does not count (e.g. the applicant's time to pay a land-use levy). */
export const PausedEventSchema = ev('paused', { reason: z.string().min(1) });
export const ResumedEventSchema = ev('resumed', {});
/** The appointment is reset, once, with an apology letter (Decree 118/2025 Art. 19.6). */
export const ExtendedEventSchema = ev('extended', {
  newAppointment: InstantSchema,
  reason: z.string().min(1),
  apologyLetter: z.object({ issuedAt: InstantSchema, number: z.string().optional() }),
});
export const ResolvedEventSchema = ev('resolved', {});
export const ReturnedEventSchema = ev('returned', {});
export const RefusedEventSchema = ev('refused', { reason: z.string().min(1) });
/** The applicant withdrew (Decree 118/2025 Art. 21). */
export const StoppedEventSchema = ev('stopped', { reason: z.string().optional() });
/** Closed because the supplement did not arrive in time (Art. 19.5). */
export const ClosedEventSchema = ev('closed', { reason: z.string().optional() });
export const SignedEventSchema = ev('signed', {
  documentId: z.string().optional(),
  signer: OfficerRefSchema.optional(),
});
export const PaidEventSchema = ev('paid', {
  amount: VndSchema,
  /** `counter` (cash or transfer at the desk), `portal` (the Portal's payment platform), `localGateway`. */
  method: z.enum(['counter', 'portal', 'localGateway']),
  reference: z.string().optional(),
});
/**
 * Registered in a national system: the civil-status book (with its registration number), and for the
 * newborn bundle also the permanent residence (population database) and the health-insurance card.
 */
export const RegisteredEventSchema = ev('registered', {
  system: z.enum(['civilStatus', 'population', 'socialInsurance']),
  registrationNumber: z.string().optional(),
});
export const NotifiedEventSchema = ev('notified', {
  via: z.enum(['sms', 'email', 'webhook', 'zalo', 'phone', 'post']),
});

/**
 * One event of a dossier's life, a discriminated union on `type`. Events that move the clock:
 * `received`, `accepted`, `transferred`, `supplementRequested`, `supplementReceived`, `paused`,
 * `resumed`, `extended`, `resolved`, `returned`, `refused`, `stopped`, `closed`. Kept but not moving
 * the clock: `signed`, `paid`, `registered`, `notified`.
 *
 * @example
 * ```ts
 * import { DossierEventSchema } from '@motcua/core';
 * DossierEventSchema.parse({ type: 'received', at: '2026-02-13T10:00:00+07:00', channel: 'direct' });
 * ```
 */
export const DossierEventSchema = z.discriminatedUnion('type', [
  ReceivedEventSchema,
  AcceptedEventSchema,
  TransferredEventSchema,
  SupplementRequestedEventSchema,
  SupplementReceivedEventSchema,
  PausedEventSchema,
  ResumedEventSchema,
  ExtendedEventSchema,
  ResolvedEventSchema,
  ReturnedEventSchema,
  RefusedEventSchema,
  StoppedEventSchema,
  ClosedEventSchema,
  SignedEventSchema,
  PaidEventSchema,
  RegisteredEventSchema,
  NotifiedEventSchema,
]);
export type DossierEvent = z.infer<typeof DossierEventSchema>;
/** The `type` of a dossier event. */
export type DossierEventType = DossierEvent['type'];
/** The event of one type, e.g. `EventOf<'extended'>`. */
export type EventOf<T extends DossierEventType> = Extract<DossierEvent, { type: T }>;

/** Event types that do not move the clock. */
export const PASSIVE_EVENT_TYPES: ReadonlySet<DossierEventType> = new Set([
  'signed',
  'paid',
  'registered',
  'notified',
]);
