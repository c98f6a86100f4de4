import { createHash } from 'node:crypto';
import { todayInVietnam } from '@motcua/core';
import { syntheticPeople } from '@motcua/core/testing';
import { computeAppointment } from '@motcua/deadlines';
import { signTestPayload } from '@motcua/http';
import {
  problem,
  type Simulator,
  type SimulatorAuth,
  type SimulatorFaults,
  startSimulator,
} from '@motcua/http/testing';
import { type OnlineDossier, OnlineDossierSchema, StatusUpdateSchema } from '../schemas.js';

/** Options of {@link startPortalSimulator}. */
export interface PortalSimulatorOptions {
  /** Dossiers waiting at start. */
  dossiers?: OnlineDossier[];
  /** Generate this many synthetic online dossiers for `unitCode`, filed over the last days. Default 0. */
  generated?: number;
  /** The unit the generated dossiers go to. Default `05152`. */
  unitCode?: string;
  seed?: number;
  auth?: SimulatorAuth;
  faults?: SimulatorFaults;
}

/** How the Portal scores the unit: receipts on time or late (Decree 118/2025 Art. 17.2, 32). */
export interface PortalScore {
  receipts: number;
  lateReceipts: number;
  supplements: number;
  results: number;
}

interface Tracked {
  dossier: OnlineDossier;
  dossierCode?: string;
  lastSequence: number;
  status: string;
  appointment?: string;
  receiptLate?: boolean;
  supplementRequested: boolean;
  events: { sequence: number; type: string; at: string }[];
}

/** The simulator started by {@link startPortalSimulator}. */
export interface PortalSimulator extends Simulator {
  /** Files a new online dossier (as a citizen would on the Portal). */
  file(dossier: OnlineDossier): void;
  /** Pushes a dossier to a unit's endpoint, signed as the Portal signs (`x-portal-signature`). */
  push(dossier: OnlineDossier, endpoint: string, secret: string): Promise<Response>;
  /** What the Portal holds of each dossier: status, events received in order, lateness. */
  tracked(portalId: string): Readonly<Tracked> | undefined;
  score: PortalScore;
}

const STATUS: Record<string, string> = {
  accepted: 'processing',
  supplementRequested: 'waitingForSupplement',
  supplementReceived: 'processing',
  transferred: 'processing',
  paused: 'paused',
  resumed: 'processing',
  extended: 'extended',
  resolved: 'resultReady',
  returned: 'returned',
  refused: 'refused',
  stopped: 'stopped',
  closed: 'closed',
};

/**
 * A synthetic online dossier (tests, demos).
 *
 * @example
 * ```ts
 * import { sampleOnlineDossier } from '@motcua/portal/testing';
 * const d = sampleOnlineDossier(1);
 * d.portalId; // 'DVC-05152-0000001'
 * d.procedureCode; // '2.000815' ('1.001193' for an even n)
 * d.applicant.fullName; // 'Đặng Ngọc Lan': synthetic, the same for the same n and seed
 * d.submittedAt; // yesterday at '…T09:00:00+07:00' (n % 5 days before today, at 8 + n % 9 o'clock,
 * // a day earlier when that hour has not come yet: never in the future)
 * ```
 */
export function sampleOnlineDossier(n: number, unitCode = '05152', seed = 1): OnlineDossier {
  const people = syntheticPeople({ seed: seed * 1000 + n, fromYear: 1960, toYear: 2000 });
  const p = people.next().value;
  const day = new Date(Date.parse(`${todayInVietnam()}T00:00:00+07:00`) - (n % 5) * 86_400_000);
  let at = day.getTime() + (8 + (n % 9)) * 3_600_000;
  if (at > Date.now()) at -= 86_400_000; // never submitted in the future: early in the day, the day before
  const submittedAt = new Date(at + 7 * 3_600_000)
    .toISOString()
    .replace('Z', '')
    .replace(/\.\d+$/, '');
  const bytes = `bản chụp giấy chứng sinh ${n}`;
  return {
    portalId: `DVC-${unitCode}-${String(n).padStart(7, '0')}`,
    procedureCode: n % 2 === 0 ? '1.001193' : '2.000815',
    unitCode,
    submittedAt: `${submittedAt.slice(0, 19)}+07:00`,
    applicant: { fullName: p.fullName, personalId: p.personalId, phone: p.phone },
    form: { note: 'Hồ sơ mẫu (dữ liệu tổng hợp)' },
    attachments: [
      {
        name: 'giay-chung-sinh.pdf',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        url: `https://dichvucong.example.gov.vn/files/${n}.pdf`,
      },
    ],
  };
}

/**
 * A Portal simulator: a real HTTP server on 127.0.0.1 speaking `openapi.yaml` with OAuth2, idempotency and
 * seeded faults (`@motcua/http/testing`). It serves online dossiers by unit with a stable cursor, pushes
 * signed dossiers to a unit's endpoint, and takes status events with the Portal's rules: events in order per
 * dossier (no gap, no step back: 409 `event.out_of_order`), the first one official receipt or a supplement
 * request (409 `receipt.first`), one supplement request per dossier (409 `supplement.already_requested`),
 * and it scores receipts later than 8 working hours after arrival as late.
 *
 * @example
 * ```ts
 * import { startPortalSimulator } from '@motcua/portal/testing';
 * const sim = await startPortalSimulator({ generated: 20, faults: { dropRate: 0.2, seed: 3 } });
 * const portal = createPortalClient({ baseUrl: sim.url, auth: sim.oauth2, unitCode: '05152' });
 * ```
 */
export async function startPortalSimulator(options: PortalSimulatorOptions = {}): Promise<PortalSimulator> {
  const list: OnlineDossier[] = [];
  const tracked = new Map<string, Tracked>();
  const score: PortalScore = { receipts: 0, lateReceipts: 0, supplements: 0, results: 0 };
  const file = (d: OnlineDossier) => {
    const dossier = OnlineDossierSchema.parse(d);
    if (tracked.has(dossier.portalId)) throw new Error(`dossier ${dossier.portalId} already filed`);
    list.push(dossier);
    tracked.set(dossier.portalId, {
      dossier,
      lastSequence: 0,
      status: 'submitted',
      supplementRequested: false,
      events: [],
    });
  };
  for (const d of options.dossiers ?? []) file(d);
  for (let i = 1; i <= (options.generated ?? 0); i++)
    file(sampleOnlineDossier(i, options.unitCode ?? '05152', options.seed ?? 1));

  const sim = await startSimulator({
    name: 'portal',
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      [
        'GET',
        '/dossiers',
        (req) => {
          const unit = req.query.get('unit') ?? '';
          if (!/^\d{5}$/.test(unit)) return problem(400, 'invalid_request', 'unit: a 5-digit commune code');
          const limit = Math.min(200, Math.max(1, Number(req.query.get('limit') ?? 50) || 50));
          const cursor = req.query.get('cursor');
          let from = 0;
          if (cursor) {
            const n = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^pos:/, ''));
            if (!Number.isInteger(n) || n < 0)
              return problem(400, 'invalid_cursor', 'cursor: not one the Portal gave');
            from = n;
          }
          // The cursor is a position in the unit's arrival order: stable, so a retried pull gives the same page.
          const mine = list.filter((d) => d.unitCode === unit);
          const page = mine.slice(from, from + limit);
          const next = Buffer.from(`pos:${from + page.length}`).toString('base64url');
          return { status: 200, body: { dossiers: page, nextCursor: next } };
        },
      ],
      [
        'GET',
        '/dossiers/:portalId',
        (req) => {
          const t = tracked.get(req.params.portalId!);
          if (!t) return problem(404, 'dossier.not_found', 'no such dossier');
          return {
            status: 200,
            body: {
              portalId: t.dossier.portalId,
              ...(t.dossierCode ? { dossierCode: t.dossierCode } : {}),
              status: t.status,
              lastSequence: t.lastSequence,
              ...(t.appointment ? { appointment: t.appointment } : {}),
              ...(t.receiptLate !== undefined ? { receiptLate: t.receiptLate } : {}),
            },
          };
        },
      ],
      [
        'POST',
        '/dossiers/:portalId/events',
        (req) => {
          const t = tracked.get(req.params.portalId!);
          if (!t) return problem(404, 'dossier.not_found', 'no such dossier');
          const r = StatusUpdateSchema.safeParse(req.body);
          if (!r.success)
            return problem(
              400,
              'invalid_request',
              r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
            );
          const { sequence, event, dossierCode } = r.data;
          if (sequence !== t.lastSequence + 1)
            return problem(
              409,
              'event.out_of_order',
              `expected event ${t.lastSequence + 1}, got ${sequence}`,
            );
          if (sequence === 1 && event.type !== 'accepted' && event.type !== 'supplementRequested')
            return problem(
              409,
              'receipt.first',
              'the first event is official receipt or a supplement request',
            );
          if (event.type === 'supplementRequested') {
            if (t.supplementRequested)
              return problem(409, 'supplement.already_requested', 'only one supplement request per dossier');
            t.supplementRequested = true;
            score.supplements++;
          }
          if (sequence === 1) {
            const deadline = computeAppointment({
              receivedAt: t.dossier.submittedAt,
              limit: { unit: 'workingHours', value: 8 },
              channel: 'online',
            }).appointment;
            t.receiptLate = Date.parse(event.at) > Date.parse(deadline);
            score.receipts++;
            if (t.receiptLate) score.lateReceipts++;
          }
          if (event.type === 'accepted' && event.appointment) t.appointment = event.appointment;
          if (event.type === 'extended') t.appointment = event.newAppointment;
          if (event.type === 'resolved' || event.type === 'returned') score.results++;
          t.dossierCode = dossierCode;
          t.lastSequence = sequence;
          t.status = STATUS[event.type] ?? t.status;
          t.events.push({ sequence, type: event.type, at: event.at });
          return {
            status: 200,
            body: {
              portalId: t.dossier.portalId,
              dossierCode,
              status: t.status,
              lastSequence: t.lastSequence,
              ...(t.appointment ? { appointment: t.appointment } : {}),
              ...(t.receiptLate !== undefined ? { receiptLate: t.receiptLate } : {}),
            },
          };
        },
      ],
    ],
  });
  return Object.assign(sim, {
    file,
    async push(dossier: OnlineDossier, endpoint: string, secret: string) {
      const body = JSON.stringify(dossier);
      return fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-portal-signature': await signTestPayload(body, secret),
        },
        body,
      });
    },
    tracked: (id: string) => tracked.get(id),
    score,
  });
}
