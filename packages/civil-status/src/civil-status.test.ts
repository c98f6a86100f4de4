import { parsePersonalId, ValidationError } from '@motcua/core';
import { createPopulationClient } from '@motcua/population';
import { startPopulationSimulator } from '@motcua/population/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createCivilStatusClient, createHealthInsuranceClient } from './client.js';
import { CivilStatusError } from './errors.js';
import { createNewbornWorkflow, MemoryWorkflowStore } from './newborn.js';
import type { BirthRegistration } from './schemas.js';
import {
  type CivilStatusSimulatorOptions,
  startCivilStatusSimulator,
  startSocialInsuranceSimulator,
} from './testing/simulator.js';

const TODAY = '2026-12-03';
const ctx = { officerId: 'tp-hotich-01', communeCode: '05152' };
const closers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((s) => s.close()));
});
const fast = { sleep: async () => {}, random: () => 0 };
const PEOPLE = [
  { personalId: '025090000001', fullName: 'Nguyễn Văn Mẫu', dateOfBirth: '1990-01-01', sex: 'male' as const },
  { personalId: '025192000002', fullName: 'Trần Thị Thử', dateOfBirth: '1992-05-06', sex: 'female' as const },
  { personalId: '025208000005', fullName: 'Lê Văn Trẻ', dateOfBirth: '2008-02-01', sex: 'male' as const },
  { personalId: '025108000006', fullName: 'Phạm Thị Hai', dateOfBirth: '2008-12-04', sex: 'female' as const },
  { personalId: '025099000007', fullName: 'Đỗ Văn Ba', dateOfBirth: '1999-01-01', sex: 'male' as const },
];
async function civil(options: CivilStatusSimulatorOptions = {}) {
  const sim = await startCivilStatusSimulator({ people: PEOPLE, today: () => TODAY, ...options });
  closers.push(sim);
  return { sim, client: createCivilStatusClient({ baseUrl: sim.url, auth: sim.oauth2, ...fast }) };
}
const birth = (over: Partial<BirthRegistration['child']> = {}): BirthRegistration => ({
  child: {
    fullName: 'Nguyễn Văn Út',
    sex: 'male',
    dateOfBirth: '2026-11-20',
    placeOfBirth: { detail: 'Trạm y tế xã', communeCode: '05152', provinceCode: '25' },
    ...over,
  },
  mother: { personalId: '025192000002', fullName: 'Trần Thị Thử' },
  father: { personalId: '025090000001', fullName: 'Nguyễn Văn Mẫu' },
  declarant: { personalId: '025192000002', fullName: 'Trần Thị Thử', relation: 'mother' },
});
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as CivilStatusError,
  );

describe('civil-status client against the simulator', () => {
  it('registers a birth: a book number and a personal ID that agrees with the child', async () => {
    const { client } = await civil();
    const s = await client.registerBirth(birth(), ctx);
    expect(s).toMatchObject({ kind: 'birth', status: 'registered', registrationNumber: '1/2026' });
    const info = parsePersonalId(s.personalId!, { sex: 'male', dateOfBirth: '2026-11-20' });
    expect(info.currentProvinceCode).toBe('25');
    const second = await client.registerBirth(birth({ fullName: 'Nguyễn Thị Hai', sex: 'female' }), ctx);
    expect(second.registrationNumber).toBe('2/2026');
  });

  it('refuses a birth registered twice (Law on Civil Status Art. 13: one registration per birth)', async () => {
    const { client } = await civil();
    await client.registerBirth(birth(), ctx);
    const e = await refusal(client.registerBirth(birth({ fullName: '  nguyễn văn  út ' }), ctx));
    expect(e).toBeInstanceOf(CivilStatusError);
    expect(e!.code).toBe('civil_status.birth.already_registered');
    expect(e!.retryable).toBe(false);
    expect(e!.localized.vi).toBe('Việc khai sinh này đã được đăng ký');
  });

  it("refuses a child's date of birth in the future, and a mother whose ID is a man's", async () => {
    const { client } = await civil();
    expect((await refusal(client.registerBirth(birth({ dateOfBirth: '2026-12-04' }), ctx)))!.code).toBe(
      'civil_status.birth.date_in_future',
    );
    const b = birth();
    b.mother = { personalId: '025090000001', fullName: 'Nguyễn Văn Mẫu' };
    expect((await refusal(client.registerBirth(b, ctx)))!.code).toBe('civil_status.birth.mother_not_female');
  });

  it('validates before sending: a wrong personal ID never leaves the machine', async () => {
    const { sim, client } = await civil();
    const b = birth();
    b.mother.personalId = '12345';
    await expect(client.registerBirth(b, ctx)).rejects.toBeInstanceOf(ValidationError);
    expect(sim.stats.requests).toBe(0);
  });

  it('marriage: legal age (man 20, woman 18; Law on Marriage and Family 2014 Art. 8), not married, not same sex', async () => {
    const { client } = await civil();
    const party = (i: number) => ({ ...PEOPLE[i]! });
    // Lê Văn Trẻ is 18: under 20 for a man.
    expect((await refusal(client.registerMarriage({ partyA: party(2), partyB: party(3) }, ctx)))!.code).toBe(
      'civil_status.marriage.underage',
    );
    // Phạm Thị Hai (born 2008-12-04) is 18 only tomorrow.
    expect((await refusal(client.registerMarriage({ partyA: party(4), partyB: party(3) }, ctx)))!.code).toBe(
      'civil_status.marriage.underage',
    );
    expect((await refusal(client.registerMarriage({ partyA: party(0), partyB: party(4) }, ctx)))!.code).toBe(
      'civil_status.marriage.same_sex',
    );
    const ok = await client.registerMarriage({ partyA: party(4), partyB: party(1) }, ctx);
    expect(ok.status).toBe('registered');
    expect((await refusal(client.registerMarriage({ partyA: party(0), partyB: party(1) }, ctx)))!.code).toBe(
      'civil_status.marriage.already_married',
    );
    const status = await client.confirmMaritalStatus({ person: party(1), purpose: 'Kết hôn' }, ctx);
    expect(status.maritalStatus).toBe('married');
    expect(
      (await client.confirmMaritalStatus({ person: party(0), purpose: 'Vay vốn' }, ctx)).maritalStatus,
    ).toBe('single');
  });

  it('death once, of a known person; the spouse becomes widowed; unknown people are "not found"', async () => {
    const { client } = await civil();
    await client.registerMarriage({ partyA: PEOPLE[4]!, partyB: PEOPLE[1]! }, ctx);
    const death = {
      deceased: {
        personalId: PEOPLE[4]!.personalId,
        fullName: PEOPLE[4]!.fullName,
        dateOfDeath: '2026-11-30',
        placeOfDeath: { detail: 'Nhà riêng', communeCode: '05152', provinceCode: '25' },
      },
      declarant: { ...PEOPLE[1]!, relation: 'vợ' },
    };
    expect((await client.registerDeath(death, ctx)).status).toBe('registered');
    expect((await refusal(client.registerDeath(death, ctx)))!.code).toBe(
      'civil_status.death.already_registered',
    );
    expect(
      (await client.confirmMaritalStatus({ person: PEOPLE[1]!, purpose: 'Kết hôn' }, ctx)).maritalStatus,
    ).toBe('widowed');
    const unknown = { ...death, deceased: { ...death.deceased, personalId: '001090999999' } };
    const e = await refusal(client.registerDeath(unknown, ctx));
    expect(e!.code).toBe('civil_status.person.not_found');
  });

  it('copies of an extract only of a registration that exists in the commune', async () => {
    const { client } = await civil();
    const b = await client.registerBirth(birth(), ctx);
    const copies = await client.requestExtractCopies(
      { registrationNumber: b.registrationNumber!, copies: 2, requester: PEOPLE[1]! },
      ctx,
    );
    expect(copies.status).toBe('registered');
    expect(
      (await refusal(
        client.requestExtractCopies({ registrationNumber: '99/2026', copies: 1, requester: PEOPLE[1]! }, ctx),
      ))!.code,
    ).toBe('civil_status.extract.registration_not_found');
  });

  it('polls a submission until it is registered', async () => {
    const { client } = await civil({ processingPolls: 2 });
    const s = await client.registerBirth(birth(), ctx);
    expect(s.status).toBe('processing');
    let polls = 0;
    const done = await client.waitForResult(s.submissionId, ctx, {
      intervalMs: 1,
      sleep: async () => void polls++,
    });
    expect(done.status).toBe('registered');
    expect(polls).toBe(2);
  });

  it('the same idempotency key registers once however the line behaves', async () => {
    const { sim, client } = await civil({ faults: { dropRate: 0.5, seed: 3 } });
    const c = createCivilStatusClient({
      baseUrl: sim.url,
      auth: sim.oauth2,
      retry: { limit: 12 },
      circuit: false,
      ...fast,
    });
    const a = await c.registerBirth(birth(), ctx, { idempotencyKey: 'HS-1:birth' });
    const b = await c.registerBirth(birth(), ctx, { idempotencyKey: 'HS-1:birth' });
    expect(b.submissionId).toBe(a.submissionId);
    expect(sim.births()).toBe(1);
    expect(sim.stats.faults.dropped).toBeGreaterThan(0);
    void client;
  });

  it('the simulator insists on the officer and the commune, and on a token', async () => {
    const { sim } = await civil();
    const token = await fetch(sim.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa('test-client:test-secret')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const post = (headers: Record<string, string>) =>
      fetch(`${sim.url}submissions/birth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(birth()),
      });
    expect((await post({})).status).toBe(401);
    const r = await post({ authorization: `Bearer ${token.access_token}` });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { code: string }).code).toBe('context_required');
  });
});

describe('the newborn procedure (birth + residence + health-insurance card)', () => {
  async function world(faults?: { civil?: object; population?: object; insurance?: object }) {
    const { sim: cs } = await civil({ ...(faults?.civil ? { faults: faults.civil } : {}) });
    const pop = await startPopulationSimulator(faults?.population ? { faults: faults.population } : {});
    const si = await startSocialInsuranceSimulator({
      today: () => TODAY,
      ...(faults?.insurance ? { faults: faults.insurance } : {}),
    });
    closers.push(pop, si);
    const opts = { retry: { limit: 2 }, circuit: false as const, ...fast };
    return {
      cs,
      pop,
      si,
      clients: {
        civilStatus: createCivilStatusClient({ baseUrl: cs.url, auth: cs.oauth2, ...opts }),
        population: createPopulationClient({ baseUrl: pop.url, auth: pop.oauth2, ...opts }),
        insurance: createHealthInsuranceClient({ baseUrl: si.url, auth: si.oauth2, ...opts }),
      },
    };
  }
  const input = {
    dossierCode: 'HS-05152-2026-000123',
    birth: birth(),
    householdId: 'HK-05152-0001',
    provinceCode: '25',
  };

  it('runs the three steps into one result', async () => {
    const { clients, pop, si } = await world();
    const flow = createNewbornWorkflow({ ...clients, store: new MemoryWorkflowStore(), context: ctx });
    const s = await flow.start(input);
    expect(s.status).toBe('done');
    expect(s.card?.cardNumber).toMatch(/^TE125\d{10}$/);
    expect(s.card?.validTo).toBe('2032-11-19');
    expect(pop.households.get('HK-05152-0001')?.members.at(-1)).toMatchObject({
      personalId: s.birth!.personalId,
      relation: 'child',
    });
    expect(si.cards.size).toBe(1);
  });

  it('survives the social-insurance line being down: what was done stays done, the rest is retried', async () => {
    const { clients, cs, pop, si } = await world();
    si.setFaults({ failureRate: 1, retryAfterSec: 0 });
    const store = new MemoryWorkflowStore();
    const flow = createNewbornWorkflow({ ...clients, store, context: ctx });
    const first = await flow.start(input);
    expect(first.status).toBe('running');
    expect(first.lastError).toMatchObject({ step: 'card', retryable: true });
    expect(first.birth && first.residence).toBeTruthy();
    si.setFaults({});
    // A new process: a new workflow object over the same store.
    const again = createNewbornWorkflow({ ...clients, store, context: ctx });
    const [done] = await again.resumeAll();
    expect(done?.status).toBe('done');
    expect(done?.attempts).toBe(2);
    expect(cs.births()).toBe(1);
    expect(pop.households.get('HK-05152-0001')?.members.filter((m) => m.relation === 'child')).toHaveLength(
      2,
    );
    expect(si.cards.size).toBe(1);
  });

  it('a refusal puts the workflow in needsAttention with the rule, nothing else is done', async () => {
    const { clients, si } = await world();
    const flow = createNewbornWorkflow({ ...clients, store: new MemoryWorkflowStore(), context: ctx });
    const s = await flow.start({ ...input, birth: birth({ dateOfBirth: '2027-01-01' }) });
    expect(s.status).toBe('needsAttention');
    expect(s.lastError).toMatchObject({
      step: 'birth',
      code: 'civil_status.birth.date_in_future',
      retryable: false,
    });
    expect(si.cards.size).toBe(0);
  });

  it('with all three lines dropping calls, repeated resumes finish with one birth, one residence, one card', async () => {
    const bad = { dropRate: 0.4, failureRate: 0.2, retryAfterSec: 0, seed: 9 };
    const { clients, cs, pop, si } = await world({
      civil: bad,
      population: { ...bad, seed: 10 },
      insurance: { ...bad, seed: 11 },
    });
    const store = new MemoryWorkflowStore();
    const flow = createNewbornWorkflow({ ...clients, store, context: ctx });
    let s = await flow.start(input);
    for (let i = 0; s.status === 'running' && i < 50; i++) s = await flow.resume(s.id);
    expect(s.status).toBe('done');
    expect(cs.births()).toBe(1);
    expect(
      pop.households.get('HK-05152-0001')?.members.filter((m) => m.personalId === s.birth!.personalId),
    ).toHaveLength(1);
    expect(si.cards.size).toBe(1);
  });
});
