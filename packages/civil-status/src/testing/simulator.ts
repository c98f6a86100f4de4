import { personalIdProvinceCodes, todayInVietnam } from '@motcua/core';
import { syntheticPeople } from '@motcua/core/testing';
import {
  problem,
  type Simulator,
  type SimulatorAuth,
  type SimulatorFaults,
  type SimulatorRequest,
  type SimulatorResponse,
  startSimulator,
} from '@motcua/http/testing';
import type { z } from 'zod';
import {
  BirthRegistrationSchema,
  CardRequestSchema,
  DeathRegistrationSchema,
  ExtractCopyRequestSchema,
  type HealthInsuranceCard,
  MaritalStatusRequestSchema,
  MarriageRegistrationSchema,
  type Submission,
  type SubmissionKind,
} from '../schemas.js';

/** A person the civil-status records know. */
export interface RecordedPerson {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'male' | 'female';
  spouseId?: string;
  dateOfDeath?: string;
}

/** Options of {@link startCivilStatusSimulator}. */
export interface CivilStatusSimulatorOptions {
  /** People on record besides the generated ones. */
  people?: RecordedPerson[];
  /** How many synthetic people to generate from `seed`. Default 200. */
  generatedPeople?: number;
  seed?: number;
  auth?: SimulatorAuth;
  faults?: SimulatorFaults;
  /** GETs of a submission that answer `processing` before the result. Default 0. */
  processingPolls?: number;
  /** Today (`YYYY-MM-DD`), for the future-date and age rules. Default: today at UTC+7. */
  today?: () => string;
}

/** The simulator started by {@link startCivilStatusSimulator}. */
export interface CivilStatusSimulator extends Simulator {
  people: ReadonlyMap<string, RecordedPerson>;
  /** Every registration made, by book number (`123/2026`). */
  registrations: ReadonlyMap<string, { kind: SubmissionKind; submissionId: string; communeCode: string }>;
  /** Registered births per (mother, child's date of birth, child's name). */
  births: () => number;
}

const fold = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
const invalid = (error: z.ZodError) =>
  problem(400, 'invalid_request', error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

/**
 * Full years between two ISO dates.
 *
 * @example
 * ```ts
 * import { ageOn } from '@motcua/civil-status/testing';
 * ageOn('2008-03-15', '2026-03-14'); // 17
 * ageOn('2008-03-15', '2026-03-15'); // 18
 * ageOn('2008-02-29', '2026-02-28'); // 17 (a 29 February birthday counts from 1 March in other years)
 * ```
 */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * A civil-status simulator: a real HTTP server on 127.0.0.1 speaking `openapi.yaml`, with OAuth2 tokens,
 * idempotency keys and seeded faults from `@motcua/http/testing`, and the rules of the real registry: a birth
 * cannot be registered twice and not in the future, a mother is a woman; a death once, of a known person; the
 * parties to a marriage are of legal age (man 20, woman 18), distinct, of different sex (Law on Marriage and
 * Family 2014 Art. 8) and not married; unknown people and numbers are "not found" (404), not server errors.
 * A registered birth gets a book number and the child a personal ID that agrees with sex, year and province.
 *
 * @example
 * ```ts
 * import { startCivilStatusSimulator } from '@motcua/civil-status/testing';
 * const sim = await startCivilStatusSimulator({ seed: 1, faults: { dropRate: 0.3, seed: 2 } });
 * const civil = createCivilStatusClient({ baseUrl: sim.url, auth: sim.oauth2 });
 * ```
 */
export async function startCivilStatusSimulator(
  options: CivilStatusSimulatorOptions = {},
): Promise<CivilStatusSimulator> {
  const today = options.today ?? (() => todayInVietnam());
  const people = new Map<string, RecordedPerson>();
  const generator = syntheticPeople({ seed: options.seed ?? 1, toYear: 2006 });
  for (let i = 0; i < (options.generatedPeople ?? 200); i++) {
    const p = generator.next().value;
    people.set(p.personalId, {
      personalId: p.personalId,
      fullName: p.fullName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
    });
  }
  for (const p of options.people ?? []) people.set(p.personalId, { ...p });
  const births = new Map<string, string>(); // fingerprint → submissionId
  const submissions = new Map<string, Submission & { polls: number }>();
  const registrations = new Map<
    string,
    { kind: SubmissionKind; submissionId: string; communeCode: string }
  >();
  const books = new Map<string, number>();
  const idCodes = personalIdProvinceCodes();
  let serial = 0;

  const register = (kind: SubmissionKind, communeCode: string, extra: Partial<Submission> = {}) => {
    const year = today().slice(0, 4);
    const book = `${kind}:${communeCode}:${year}`;
    const n = (books.get(book) ?? 0) + 1;
    books.set(book, n);
    const submissionId = `CS-${communeCode}-${year}-${String(submissions.size + 1).padStart(6, '0')}`;
    const registrationNumber = `${n}/${year}`;
    const s: Submission & { polls: number } = {
      submissionId,
      kind,
      status: 'registered',
      submittedAt: new Date().toISOString(),
      registrationNumber,
      book: `${kind}-01/${year}`,
      ...extra,
      polls: options.processingPolls ?? 0,
    };
    submissions.set(submissionId, s);
    registrations.set(`${kind}:${communeCode}:${registrationNumber}`, { kind, submissionId, communeCode });
    const { polls: _polls, ...visible } = s;
    return { status: 202, body: { ...visible, status: s.polls > 0 ? 'processing' : 'registered' } };
  };

  const newPersonalId = (provinceCode: string, sex: 'male' | 'female', dateOfBirth: string) => {
    const year = Number(dateOfBirth.slice(0, 4));
    const code =
      idCodes.find(
        (c) => c.currentProvinceCode === provinceCode && Number(c.code) === Number(provinceCode),
      ) ??
      idCodes.find((c) => c.currentProvinceCode === provinceCode) ??
      idCodes[0]!;
    const g = (Math.floor(year / 100) - 19) * 2 + (sex === 'female' ? 1 : 0);
    let id: string;
    do {
      serial++;
      id = `${code.code}${g}${String(year % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
    } while (people.has(id));
    return id;
  };

  const withContext =
    (handler: (req: SimulatorRequest, communeCode: string) => SimulatorResponse) =>
    (req: SimulatorRequest) => {
      const officer = req.headers['x-officer-id'];
      const commune = String(req.headers['x-commune-code'] ?? '');
      if (!officer || !/^\d{5}$/.test(commune))
        return problem(
          400,
          'context_required',
          'every call names the officer (x-officer-id) and the commune (x-commune-code)',
        );
      return handler(req, commune);
    };

  const handlers: Record<SubmissionKind, (req: SimulatorRequest, commune: string) => SimulatorResponse> = {
    birth: (req, commune) => {
      const r = BirthRegistrationSchema.safeParse(req.body);
      if (!r.success) return invalid(r.error);
      const { child, mother } = r.data;
      if (child.dateOfBirth > today())
        return problem(422, 'birth.date_in_future', "the child's date of birth is in the future");
      if (Number(mother.personalId[3]) % 2 === 0)
        return problem(422, 'birth.mother_not_female', "the mother's personal ID is a man's");
      const fingerprint = `${mother.personalId}|${child.dateOfBirth}|${fold(child.fullName)}`;
      if (births.has(fingerprint))
        return problem(409, 'birth.already_registered', 'this birth is already registered');
      const personalId = newPersonalId(child.placeOfBirth.provinceCode, child.sex, child.dateOfBirth);
      people.set(personalId, {
        personalId,
        fullName: child.fullName,
        dateOfBirth: child.dateOfBirth,
        sex: child.sex,
      });
      const answer = register('birth', commune, { personalId });
      births.set(fingerprint, (answer.body as { submissionId: string }).submissionId);
      return answer;
    },
    death: (req, commune) => {
      const r = DeathRegistrationSchema.safeParse(req.body);
      if (!r.success) return invalid(r.error);
      const p = people.get(r.data.deceased.personalId);
      if (!p) return problem(404, 'person.not_found', 'no such person on record');
      if (p.dateOfDeath) return problem(409, 'death.already_registered', 'this death is already registered');
      if (r.data.deceased.dateOfDeath > today())
        return problem(422, 'death.date_in_future', 'the date of death is in the future');
      p.dateOfDeath = r.data.deceased.dateOfDeath;
      return register('death', commune);
    },
    marriage: (req, commune) => {
      const r = MarriageRegistrationSchema.safeParse(req.body);
      if (!r.success) return invalid(r.error);
      const { partyA, partyB } = r.data;
      if (partyA.personalId === partyB.personalId)
        return problem(422, 'marriage.same_person', 'both parties are the same person');
      const a = people.get(partyA.personalId);
      const b = people.get(partyB.personalId);
      if (!a || !b || a.dateOfDeath || b.dateOfDeath)
        return problem(404, 'person.not_found', 'a party is not on record');
      if (a.sex === b.sex) return problem(422, 'marriage.same_sex', 'the parties are of the same sex');
      const on = today();
      for (const p of [a, b])
        if (ageOn(p.dateOfBirth, on) < (p.sex === 'male' ? 20 : 18))
          return problem(422, 'marriage.underage', 'a party is under the legal age');
      const married = (p: RecordedPerson) => p.spouseId !== undefined && !people.get(p.spouseId)?.dateOfDeath;
      if (married(a) || married(b))
        return problem(409, 'marriage.already_married', 'a party is already married');
      a.spouseId = b.personalId;
      b.spouseId = a.personalId;
      return register('marriage', commune);
    },
    'marital-status': (req, commune) => {
      const r = MaritalStatusRequestSchema.safeParse(req.body);
      if (!r.success) return invalid(r.error);
      const p = people.get(r.data.person.personalId);
      if (!p) return problem(404, 'person.not_found', 'no such person on record');
      const spouse = p.spouseId ? people.get(p.spouseId) : undefined;
      const maritalStatus = !spouse ? 'single' : spouse.dateOfDeath ? 'widowed' : 'married';
      return register('marital-status', commune, { maritalStatus });
    },
    'extract-copy': (req, commune) => {
      const r = ExtractCopyRequestSchema.safeParse(req.body);
      if (!r.success) return invalid(r.error);
      const found = [...registrations.keys()].some((k) =>
        k.endsWith(`:${commune}:${r.data.registrationNumber}`),
      );
      if (!found)
        return problem(
          404,
          'extract.registration_not_found',
          'no registration with this number in this commune',
        );
      return register('extract-copy', commune);
    },
  };

  const sim = await startSimulator({
    name: 'civil-status',
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      [
        'POST',
        '/submissions/:kind',
        withContext((req, commune) => {
          const handler = handlers[req.params.kind as SubmissionKind];
          return handler ? handler(req, commune) : problem(404, 'no_route', 'unknown kind of submission');
        }),
      ],
      [
        'GET',
        '/submissions/:id',
        withContext((req) => {
          const s = submissions.get(req.params.id!);
          if (!s) return problem(404, 'submission.not_found', 'no such submission');
          const { polls, ...visible } = s;
          if (polls > 0) {
            s.polls--;
            return { status: 200, body: { ...visible, status: 'processing' } };
          }
          return { status: 200, body: visible };
        }),
      ],
    ],
  });
  return Object.assign(sim, { people, registrations, births: () => births.size });
}

/** Options of {@link startSocialInsuranceSimulator}. */
export interface SocialInsuranceSimulatorOptions {
  auth?: SimulatorAuth;
  faults?: SimulatorFaults;
  today?: () => string;
}

/** The day before a date's sixth anniversary: the last day a child's free card is valid (72 months). */
function lastDayUnderSix(dateOfBirth: string): string {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y + 6, m - 1, d) - 86_400_000);
  return t.toISOString().slice(0, 10);
}

/**
 * A small social-insurance simulator: issues health-insurance cards to children under six (`TE1` + province
 * + ten digits, valid from birth to the day before the sixth birthday), once per child, with OAuth2, idempotency
 * and faults like the others.
 *
 * @example
 * ```ts
 * import { startSocialInsuranceSimulator } from '@motcua/civil-status/testing';
 * const bhxh = await startSocialInsuranceSimulator();
 * const client = createHealthInsuranceClient({ baseUrl: bhxh.url, auth: bhxh.oauth2 });
 * ```
 */
export async function startSocialInsuranceSimulator(
  options: SocialInsuranceSimulatorOptions = {},
): Promise<Simulator & { cards: ReadonlyMap<string, HealthInsuranceCard> }> {
  const today = options.today ?? (() => todayInVietnam());
  const cards = new Map<string, HealthInsuranceCard>();
  const sim = await startSimulator({
    name: 'social-insurance',
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      [
        'POST',
        '/health-insurance/cards',
        (req) => {
          const r = CardRequestSchema.safeParse(req.body);
          if (!r.success) return invalid(r.error);
          const { personalId, dateOfBirth, provinceCode } = r.data;
          if (cards.has(personalId))
            return problem(409, 'card.already_issued', 'a card was already issued to this child');
          if (dateOfBirth > today() || ageOn(dateOfBirth, today()) >= 6)
            return problem(422, 'card.over_six', 'free cards are for children under six');
          const card = {
            cardNumber: `TE1${provinceCode}${personalId.slice(2)}`,
            personalId,
            validFrom: dateOfBirth,
            validTo: lastDayUnderSix(dateOfBirth),
          };
          cards.set(personalId, card);
          return { status: 201, body: card };
        },
      ],
      [
        'GET',
        '/health-insurance/cards/:personalId',
        (req) => {
          const card = cards.get(req.params.personalId!);
          return card
            ? { status: 200, body: card }
            : problem(404, 'card.not_found', 'no card for this person');
        },
      ],
    ],
  });
  return Object.assign(sim, { cards });
}
