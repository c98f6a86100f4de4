import { parsePersonalId, ValidationError } from '@motcua/core';
import { HttpError } from '@motcua/http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPopulationClient, type PopulationTransport } from './client.js';
import { startPopulationSimulator } from './testing/simulator.js';

const ctx = { purpose: 'Đăng ký khai sinh (1.001193)', officerId: 'can-bo-07' };
const sims: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});
async function sim(options: Parameters<typeof startPopulationSimulator>[0] = {}) {
  const s = await startPopulationSimulator(options);
  sims.push(s);
  return s;
}
const fast = { sleep: async () => {}, random: () => 0 };

describe('population client against the simulator', () => {
  it('verifies a citizen field by field, never returning stored values', async () => {
    const s = await sim();
    const c = createPopulationClient({ baseUrl: s.url, auth: s.oauth2 });
    expect(
      await c.verifyCitizen(
        { personalId: '025090000001', fullName: 'nguyễn  văn mẫu', dateOfBirth: '1990-01-01' },
        ctx,
      ),
    ).toEqual({
      found: true,
      match: true,
      fields: { fullName: 'match', dateOfBirth: 'match' },
    });
    expect(
      await c.verifyCitizen(
        { personalId: '025090000001', fullName: 'Nguyễn Văn Mẫu', dateOfBirth: '1990-01-02' },
        ctx,
      ),
    ).toMatchObject({ match: false, fields: { dateOfBirth: 'mismatch' } });
    expect(
      await c.verifyCitizen({ personalId: '001090000001', fullName: 'X', dateOfBirth: '1990-01-01' }, ctx),
    ).toEqual({ found: false, match: false });
    // The audit trail keeps whose data was asked for (masked), also when the ID travels in the body.
    expect(s.audit.map((a) => a.subject)).toEqual(['025******001', '025******001', '001******001']);
    expect(JSON.stringify(s.audit)).not.toContain('025090000001');
  });

  it('gets a record, a household with relations, and residence; states purpose and officer on every call', async () => {
    const s = await sim();
    const c = createPopulationClient({ baseUrl: s.url, auth: s.oauth2 });
    const citizen = await c.getCitizen('025192000002', ctx);
    expect(citizen).toMatchObject({ sex: 'female', householdId: 'HK-05152-0001' });
    const household = await c.getHousehold(citizen.householdId, ctx);
    expect(household.members.map((m) => m.relation)).toEqual(['head', 'spouse', 'child']);
    expect((await c.getResidence('025192000002', ctx)).permanent.communeCode).toBe('05152');
    expect(s.audit.every((a) => a.purpose === ctx.purpose && a.officerId === 'can-bo-07')).toBe(true);
    expect(s.audit.some((a) => a.path.includes('025******002'))).toBe(true);
    expect(JSON.stringify(s.audit)).not.toContain('025192000002');
  });

  it('validates input before sending: a bad ID or a missing purpose never leaves the machine', async () => {
    const s = await sim();
    const c = createPopulationClient({ baseUrl: s.url, auth: s.oauth2 });
    await expect(c.getCitizen('003090000001', ctx)).rejects.toBeInstanceOf(ValidationError);
    await expect(c.getCitizen('025090000001', { purpose: '', officerId: 'x' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(s.audit).toHaveLength(0);
  });

  it('the simulator enforces its rules: API key, purpose, valid IDs, unknown citizens', async () => {
    const s = await sim();
    const raw = (path: string, headers: Record<string, string>) =>
      fetch(new URL(path, s.url), { headers }).then((r) => r.status);
    expect(await raw('citizens/025090000001', {})).toBe(401);
    expect(await raw('citizens/025090000001', { 'x-api-key': s.apiKey })).toBe(400);
    expect(
      await raw('citizens/12345', { 'x-api-key': s.apiKey, 'x-purpose': 'test', 'x-officer-id': 'o' }),
    ).toBe(400);
    expect(
      await raw('citizens/001090000001', { 'x-api-key': s.apiKey, 'x-purpose': 'test', 'x-officer-id': 'o' }),
    ).toBe(404);
    const c = createPopulationClient({ baseUrl: s.url, auth: { type: 'apiKey', key: 'wrong' } });
    await expect(c.getCitizen('025090000001', ctx)).rejects.toMatchObject({
      code: 'http.status_401',
      retryable: false,
    });
  });

  it('survives bad days: 503s with Retry-After are retried until the answer comes', async () => {
    const s = await sim({ faults: { failureRate: 0.5, seed: 42 } });
    const c = createPopulationClient({
      baseUrl: s.url,
      auth: { type: 'apiKey', key: s.apiKey },
      retry: { limit: 8 },
      circuit: { failures: 50, resetMs: 1000 },
      ...fast,
    });
    for (let i = 0; i < 20; i++)
      expect((await c.getCitizen('025090000001', ctx)).fullName).toBe('Nguyễn Văn Mẫu');
    expect(s.stats.faults.failed).toBeGreaterThan(5);
    const none = createPopulationClient({
      baseUrl: s.url,
      auth: { type: 'apiKey', key: s.apiKey },
      retry: false,
      circuit: false,
    });
    const errors = await Promise.all(
      Array.from({ length: 10 }, () => none.getCitizen('025090000001', ctx).catch((e) => e)),
    );
    expect(errors.some((e) => e instanceof HttpError && e.code === 'http.status_503' && e.retryable)).toBe(
      true,
    );
  });

  it('throttles with 429, which the client honours', async () => {
    const s = await sim({ faults: { rateLimitPerSecond: 2 } });
    const delays: number[] = [];
    const c = createPopulationClient({
      baseUrl: s.url,
      auth: { type: 'apiKey', key: s.apiKey },
      sleep: async (ms) => void delays.push(ms),
    });
    for (let i = 0; i < 3; i++) await c.getCitizen('025090000001', ctx).catch(() => undefined);
    expect(s.audit.length).toBeLessThanOrEqual(3);
    expect(delays).toContain(1000);
  });

  it('registers a newborn into the household once, however often the call is retried', async () => {
    const s = await sim({ faults: { dropRate: 0.4, seed: 5 } });
    const c = createPopulationClient({
      baseUrl: s.url,
      auth: s.oauth2,
      retry: { limit: 10 },
      circuit: false,
      ...fast,
    });
    const baby = {
      personalId: '025226000004',
      householdId: 'HK-05152-0001',
      relation: 'child' as const,
      fullName: 'Nguyễn Văn Út',
      dateOfBirth: '2026-11-20',
      sex: 'male' as const,
    };
    const r = await c.registerResidence(baby, ctx, { idempotencyKey: 'newborn-1' });
    const again = await c.registerResidence(baby, ctx, { idempotencyKey: 'newborn-1' });
    expect(again.registrationId).toBe(r.registrationId);
    expect(
      s.households.get('HK-05152-0001')?.members.filter((m) => m.personalId === baby.personalId),
    ).toHaveLength(1);
    expect((await c.getCitizen(baby.personalId, ctx)).permanentAddress.communeCode).toBe('05152');
    await expect(c.registerResidence(baby, ctx, { idempotencyKey: 'another-key' })).rejects.toMatchObject({
      status: 409,
      serverCode: 'residence.already_registered',
    });
  });

  it('accepts a static API key too, and serves generated households deterministically from a seed', async () => {
    const a = await sim({ generatedHouseholds: 20, seed: 3 });
    const b = await sim({ generatedHouseholds: 20, seed: 3 });
    expect([...a.citizens.keys()]).toEqual([...b.citizens.keys()]);
    expect(a.households.size).toBe(21);
    const c = createPopulationClient({ baseUrl: a.url, auth: { type: 'apiKey', key: a.apiKey } });
    const [someone] = [...a.citizens.values()].slice(3);
    const v = await c.verifyCitizen(
      { personalId: someone!.personalId, fullName: someone!.fullName, dateOfBirth: someone!.dateOfBirth },
      ctx,
    );
    expect(v.match).toBe(true);
    const household = await c.getHousehold(someone!.householdId, ctx);
    expect(household.members.some((m) => m.personalId === someone!.personalId)).toBe(true);
    // Every ID agrees with its holder's birth year and sex (parsePersonalId throws otherwise), and a
    // generated household's members were all born in one province (the ID's first three digits).
    const birthProvinces = new Map<string, Set<string>>();
    for (const p of a.citizens.values()) {
      const info = parsePersonalId(p.personalId, { sex: p.sex, dateOfBirth: p.dateOfBirth });
      birthProvinces.set(
        p.householdId,
        (birthProvinces.get(p.householdId) ?? new Set()).add(info.provinceCode),
      );
    }
    expect([...birthProvinces.values()].every((codes) => codes.size === 1)).toBe(true);
  });

  it('takes another transport: an adapter for a province gateway', async () => {
    const calls: string[] = [];
    const gateway: PopulationTransport = {
      verify: async (r) => {
        calls.push(`verify ${r.personalId.slice(0, 3)}`);
        return { found: true, match: true, fields: { fullName: 'match', dateOfBirth: 'match' } };
      },
      citizen: async () => ({ bad: 'shape' }),
      household: async () => ({}),
      residence: async () => ({}),
      registerResidence: async () => ({}),
    };
    const c = createPopulationClient({ baseUrl: 'http://127.0.0.1:9/', transport: gateway });
    expect(
      (await c.verifyCitizen({ personalId: '025090000001', fullName: 'A', dateOfBirth: '1990-01-01' }, ctx))
        .match,
    ).toBe(true);
    await expect(c.getCitizen('025090000001', ctx)).rejects.toMatchObject({
      issues: [{ code: 'population.invalid_response' }],
    });
    expect(calls).toEqual(['verify 025']);
  });
});
