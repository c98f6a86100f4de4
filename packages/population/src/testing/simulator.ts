import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeParsePersonalId } from '@motcua/core';
import { type Citizen, CitizenSchema, type Household, VerifyRequestSchema } from '../schemas.js';

/** Bad days: failures, slowness and throttling, drawn from a seeded generator so runs repeat. */
export interface Faults {
  /** Share of calls answered 503 with Retry-After (0-1). */
  failureRate?: number;
  /** Added latency of every call, ms. */
  latencyMs?: number;
  /** Retry-After of the 503s, seconds. Default 1. */
  retryAfterSec?: number;
  /** Calls allowed per second before 429. */
  rateLimitPerSecond?: number;
  seed?: number;
}

/** Options of {@link startPopulationSimulator}. */
export interface PopulationSimulatorOptions {
  /** The API key the simulator requires (header x-api-key). Default `test-key`. */
  apiKey?: string;
  citizens?: Citizen[];
  households?: Household[];
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

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(body === undefined ? undefined : JSON.stringify(body));
};
const problem = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) => send(res, status, { code, message }, headers);

const foldName = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A population-data simulator: a real HTTP server on 127.0.0.1 speaking the protocol of `openapi.yaml`, with
 * synthetic citizens. It enforces the API key, the purpose and officer headers, validates the input
 * (a personal ID that is not one gives 400), answers verification field by field, and has bad days on
 * request (503 with Retry-After, latency, 429), reproducibly.
 *
 * @example
 * ```ts
 * import { startPopulationSimulator } from '@motcua/population/testing';
 * const sim = await startPopulationSimulator({ faults: { failureRate: 0.3, seed: 7 } });
 * const client = createPopulationClient({ baseUrl: sim.url, auth: { type: 'apiKey', key: sim.apiKey } });
 * // …
 * await sim.close();
 * ```
 */
export async function startPopulationSimulator(options: PopulationSimulatorOptions = {}) {
  const apiKey = options.apiKey ?? 'test-key';
  const citizens = new Map(
    (options.citizens ?? SAMPLE_CITIZENS).map((c) => [c.personalId, CitizenSchema.parse(c)]),
  );
  const households = new Map((options.households ?? SAMPLE_HOUSEHOLDS).map((h) => [h.householdId, h]));
  const faults = options.faults ?? {};
  const random = rng(faults.seed ?? 1);
  const audit: AuditEntry[] = [];
  const window: number[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/+/, '/');
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const now = Date.now();
    if (faults.rateLimitPerSecond !== undefined) {
      while (window.length && now - window[0]! > 1000) window.shift();
      if (window.length >= faults.rateLimitPerSecond)
        return problem(res, 429, 'rate_limited', 'too many calls', { 'retry-after': '1' });
      window.push(now);
    }
    if (req.headers['x-api-key'] !== apiKey)
      return problem(res, 401, 'unauthorized', 'missing or wrong API key');
    const purpose = decodeURIComponent(String(req.headers['x-purpose'] ?? ''));
    const officerId = String(req.headers['x-officer-id'] ?? '');
    const record = (status: number) =>
      audit.push({
        at: new Date().toISOString(),
        method: req.method ?? '',
        path: path.replace(/\d{12}/, (m) => `${m.slice(0, 3)}******${m.slice(-3)}`),
        purpose,
        officerId,
        status,
      });
    if (purpose.length < 3 || officerId === '') {
      record(400);
      return problem(
        res,
        400,
        'purpose_required',
        'every call states its legal purpose (x-purpose) and the officer (x-officer-id)',
      );
    }
    if (faults.failureRate && random() < faults.failureRate) {
      record(503);
      return problem(res, 503, 'unavailable', 'the line to the national database is down', {
        'retry-after': String(faults.retryAfterSec ?? 1),
      });
    }
    const citizenPath = /^\/citizens\/([^/]+)(\/residence)?$/.exec(path);
    const householdPath = /^\/households\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && path === '/citizens/verify') {
      let input: unknown;
      try {
        input = JSON.parse(body);
      } catch {
        record(400);
        return problem(res, 400, 'invalid_json', 'the body is not JSON');
      }
      const r = VerifyRequestSchema.safeParse(input);
      if (!r.success) {
        record(400);
        return problem(res, 400, 'invalid_request', r.error.issues.map((i) => i.path.join('.')).join(', '));
      }
      const c = citizens.get(r.data.personalId);
      record(200);
      if (!c) return send(res, 200, { found: false, match: false });
      const fields = {
        fullName: foldName(c.fullName) === foldName(r.data.fullName) ? 'match' : 'mismatch',
        dateOfBirth: c.dateOfBirth === r.data.dateOfBirth ? 'match' : 'mismatch',
      };
      return send(res, 200, {
        found: true,
        match: fields.fullName === 'match' && fields.dateOfBirth === 'match',
        fields,
      });
    }
    if (req.method === 'GET' && citizenPath) {
      const m = citizenPath;
      const id = m[1]!;
      if (!safeParsePersonalId(id).ok) {
        record(400);
        return problem(res, 400, 'invalid_personal_id', 'not a personal identification number');
      }
      const c = citizens.get(id);
      if (!c) {
        record(404);
        return problem(res, 404, 'not_found', 'no such citizen');
      }
      record(200);
      return send(res, 200, m[2] ? { personalId: c.personalId, permanent: c.permanentAddress } : c);
    }
    if (req.method === 'GET' && householdPath) {
      const h = households.get(decodeURIComponent(householdPath[1]!));
      if (!h) {
        record(404);
        return problem(res, 404, 'not_found', 'no such household');
      }
      record(200);
      return send(res, 200, h);
    }
    record(404);
    return problem(res, 404, 'no_route', 'unknown endpoint');
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      handle(req, res, body).catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    apiKey,
    /** The calls seen, with their purpose and officer (IDs masked). */
    audit,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
