import { safeParsePersonalId } from '@motcua/core';
import { syntheticHouseholds } from '@motcua/core/testing';
import {
  problem,
  type Simulator,
  type SimulatorAuth,
  type SimulatorFaults,
  type SimulatorRequest,
  type SimulatorResponse,
  startSimulator,
} from '@motcua/http/testing';
import {
  type Citizen,
  CitizenSchema,
  type Household,
  ResidenceRegistrationSchema,
  VerifyRequestSchema,
} from '../schemas.js';

/** Bad days: see `SimulatorFaults` of `@motcua/http/testing` (drops, hangs, 503, 429, malformed bodies). */
export type Faults = SimulatorFaults;

/** Options of {@link startPopulationSimulator}. */
export interface PopulationSimulatorOptions {
  /** A static API key it also accepts (header x-api-key). Default `test-key`. */
  apiKey?: string;
  /** OAuth2 clients and token lifetime. Default: client `test-client` / `test-secret`. */
  auth?: Omit<SimulatorAuth, 'apiKeys'>;
  citizens?: Citizen[];
  households?: Household[];
  /** Add this many synthetic households (deterministic from `seed`) to the sample ones. */
  generatedHouseholds?: number;
  seed?: number;
  faults?: Faults;
}

/** One call the simulator saw, as its audit trail keeps it (the ID masked). */
export interface AuditEntry {
  at: string;
  method: string;
  path: string;
  purpose: string;
  officerId: string;
  status: number;
  /** Whose data was asked for: the personal ID in the path or the body, masked (`025******001`). */
  subject?: string;
}

/** Synthetic people (never real): a household of three in Xã Vân Sơn (05152), Phú Thọ. */
export const SAMPLE_CITIZENS: Citizen[] = [
  {
    personalId: '025090000001',
    fullName: 'Nguyễn Văn Mẫu',
    dateOfBirth: '1990-01-01',
    sex: 'male',
    permanentAddress: { detail: 'Xóm Mới', communeCode: '05152', provinceCode: '25' },
    householdId: 'HK-05152-0001',
  },
  {
    personalId: '025192000002',
    fullName: 'Trần Thị Thử',
    dateOfBirth: '1992-05-06',
    sex: 'female',
    permanentAddress: { detail: 'Xóm Mới', communeCode: '05152', provinceCode: '25' },
    householdId: 'HK-05152-0001',
  },
  {
    personalId: '025324000003',
    fullName: 'Nguyễn Thị Bé',
    dateOfBirth: '2024-03-10',
    sex: 'female',
    permanentAddress: { detail: 'Xóm Mới', communeCode: '05152', provinceCode: '25' },
    householdId: 'HK-05152-0001',
  },
];

export const SAMPLE_HOUSEHOLDS: Household[] = [
  {
    householdId: 'HK-05152-0001',
    address: { detail: 'Xóm Mới', communeCode: '05152', provinceCode: '25' },
    members: [
      { personalId: '025090000001', fullName: 'Nguyễn Văn Mẫu', relation: 'head' },
      { personalId: '025192000002', fullName: 'Trần Thị Thử', relation: 'spouse' },
      { personalId: '025324000003', fullName: 'Nguyễn Thị Bé', relation: 'child' },
    ],
  },
];

const foldName = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
const maskId = (s: string) => s.replace(/\d{12}/g, (m) => `${m.slice(0, 3)}******${m.slice(-3)}`);
/** Any ID a caller sent, valid or not, kept masked: the first and last three characters at most. */
const maskSubject = (s: string) =>
  s.length > 6 ? `${s.slice(0, 3)}${'*'.repeat(s.length - 6)}${s.slice(-3)}` : '***';

/** The simulator started by {@link startPopulationSimulator}. */
export interface PopulationSimulator extends Simulator {
  apiKey: string;
  /** The calls seen, with their purpose and officer (IDs masked). */
  audit: AuditEntry[];
  /** The citizens it holds now (registrations included). */
  citizens: ReadonlyMap<string, Citizen>;
  households: ReadonlyMap<string, Household>;
}

/**
 * A population-data simulator: a real HTTP server on 127.0.0.1 speaking the protocol of `openapi.yaml`, with
 * synthetic citizens and households (optionally generated from a seed). It issues OAuth2 tokens (and accepts
 * a static API key), enforces the purpose and officer headers, validates input (a personal ID that is not
 * one gives 400; one that does not exist is `found: false` or 404, not an error), answers verification field
 * by field, registers permanent residence (idempotent: the same key registers once; a citizen already in a
 * household is refused), and has bad days on request, reproducibly.
 *
 * @example
 * ```ts
 * import { startPopulationSimulator } from '@motcua/population/testing';
 * const sim = await startPopulationSimulator({ faults: { failureRate: 0.3, seed: 7 } });
 * const client = createPopulationClient({ baseUrl: sim.url, auth: sim.oauth2 });
 * // …
 * await sim.close();
 * ```
 */
export async function startPopulationSimulator(
  options: PopulationSimulatorOptions = {},
): Promise<PopulationSimulator> {
  const apiKey = options.apiKey ?? 'test-key';
  const citizens = new Map(
    (options.citizens ?? SAMPLE_CITIZENS).map((c) => [c.personalId, CitizenSchema.parse(c)]),
  );
  const households = new Map(
    (options.households ?? SAMPLE_HOUSEHOLDS).map((h) => [h.householdId, structuredClone(h)]),
  );
  for (const h of syntheticHouseholds(options.generatedHouseholds ?? 0, { seed: options.seed ?? 1 })) {
    const address = { detail: 'Thôn Mẫu', communeCode: '00000', provinceCode: h.provinceCode };
    households.set(h.householdId, {
      householdId: h.householdId,
      address,
      members: h.members.map((m) => ({
        personalId: m.person.personalId,
        fullName: m.person.fullName,
        relation: m.relation,
      })),
    });
    for (const m of h.members)
      citizens.set(m.person.personalId, {
        personalId: m.person.personalId,
        fullName: m.person.fullName,
        dateOfBirth: m.person.dateOfBirth,
        sex: m.person.sex,
        permanentAddress: address,
        householdId: h.householdId,
      });
  }
  const audit: AuditEntry[] = [];

  /** Every route states purpose and officer; the audit keeps them with the status. */
  const audited =
    (handler: (req: SimulatorRequest) => SimulatorResponse) =>
    (req: SimulatorRequest): SimulatorResponse => {
      const purpose = decodeURIComponent(String(req.headers['x-purpose'] ?? ''));
      const officerId = String(req.headers['x-officer-id'] ?? '');
      const answer =
        purpose.length < 3 || officerId === ''
          ? problem(
              400,
              'purpose_required',
              'every call states its legal purpose (x-purpose) and the officer (x-officer-id)',
            )
          : handler(req);
      const bodyId = (req.body as { personalId?: unknown } | undefined)?.personalId;
      const subject = typeof bodyId === 'string' ? bodyId : /\/citizens\/(\d+)/.exec(req.path)?.[1];
      audit.push({
        at: new Date().toISOString(),
        method: req.method,
        path: maskId(req.path),
        purpose,
        officerId,
        status: answer.status,
        ...(subject ? { subject: maskSubject(subject) } : {}),
      });
      return answer;
    };

  const citizenOr = (id: string, then: (c: Citizen) => SimulatorResponse): SimulatorResponse => {
    if (!safeParsePersonalId(id).ok)
      return problem(400, 'invalid_personal_id', 'not a personal identification number');
    const c = citizens.get(id);
    return c ? then(c) : problem(404, 'not_found', 'no such citizen');
  };

  const sim = await startSimulator({
    name: 'population',
    auth: { ...options.auth, apiKeys: [apiKey] },
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      [
        'POST',
        '/citizens/verify',
        audited((req) => {
          const r = VerifyRequestSchema.safeParse(req.body);
          if (!r.success)
            return problem(400, 'invalid_request', r.error.issues.map((i) => i.path.join('.')).join(', '));
          const c = citizens.get(r.data.personalId);
          if (!c) return { status: 200, body: { found: false, match: false } };
          const fields = {
            fullName: foldName(c.fullName) === foldName(r.data.fullName) ? 'match' : 'mismatch',
            dateOfBirth: c.dateOfBirth === r.data.dateOfBirth ? 'match' : 'mismatch',
          };
          return {
            status: 200,
            body: {
              found: true,
              match: fields.fullName === 'match' && fields.dateOfBirth === 'match',
              fields,
            },
          };
        }),
      ],
      [
        'GET',
        '/citizens/:id',
        audited((req) => citizenOr(req.params.id!, (c) => ({ status: 200, body: c }))),
      ],
      [
        'GET',
        '/citizens/:id/residence',
        audited((req) =>
          citizenOr(req.params.id!, (c) => ({
            status: 200,
            body: { personalId: c.personalId, permanent: c.permanentAddress },
          })),
        ),
      ],
      [
        'GET',
        '/households/:id',
        audited((req) => {
          const h = households.get(req.params.id!);
          return h ? { status: 200, body: h } : problem(404, 'not_found', 'no such household');
        }),
      ],
      [
        'POST',
        '/residence/registrations',
        audited((req) => {
          const r = ResidenceRegistrationSchema.safeParse(req.body);
          if (!r.success)
            return problem(400, 'invalid_request', r.error.issues.map((i) => i.path.join('.')).join(', '));
          const { personalId, householdId, relation, fullName, dateOfBirth, sex } = r.data;
          const h = households.get(householdId);
          if (!h) return problem(404, 'household_not_found', 'no such household');
          if (citizens.get(personalId)?.householdId)
            return problem(
              409,
              'residence.already_registered',
              'this citizen already has a permanent residence',
            );
          citizens.set(personalId, {
            personalId,
            fullName,
            dateOfBirth,
            sex,
            permanentAddress: h.address,
            householdId,
          });
          h.members.push({ personalId, fullName, relation });
          return {
            status: 201,
            body: {
              registrationId: `TT-${householdId}-${h.members.length}`,
              personalId,
              householdId,
              permanent: h.address,
            },
          };
        }),
      ],
    ],
  });
  return Object.assign(sim, { apiKey, audit, citizens, households });
}
