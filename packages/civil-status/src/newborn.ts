import { MotcuaError } from '@motcua/core';
import type { PopulationClient } from '@motcua/population';
import type { CivilStatusClient, HealthInsuranceClient } from './client.js';
import { CivilStatusError } from './errors.js';
import type { BirthRegistration, CivilStatusContext } from './schemas.js';

/** The steps of the newborn procedure, in order. */
export const NEWBORN_STEPS = ['birth', 'residence', 'card'] as const;
export type NewbornStep = (typeof NEWBORN_STEPS)[number];

/** What the newborn procedure needs: the birth, the household the child joins, the province of the card. */
export interface NewbornInput {
  /** The one-stop dossier code: the workflow's ID and the root of every idempotency key. */
  dossierCode: string;
  birth: BirthRegistration;
  /** The parents' household the child is registered into. */
  householdId: string;
  /** Two-digit province code of the health-insurance card. */
  provinceCode: string;
}

/** Where a newborn workflow stands; saved after every step, so a restart resumes where it stopped. */
export interface NewbornState {
  id: string;
  input: NewbornInput;
  status: 'running' | 'done' | 'needsAttention';
  birth?: { submissionId: string; registrationNumber: string; personalId: string };
  residence?: { registrationId: string };
  card?: { cardNumber: string; validTo: string };
  /** The last failure: retryable ones are tried again on `resume`; the others wait for an officer. */
  lastError?: { step: NewbornStep; code: string; message: string; retryable: boolean };
  attempts: number;
  updatedAt: string;
}

/** Where workflow states live: memory here, a file in `@motcua/civil-status/node`, the database in the app. */
export interface WorkflowStore {
  load(id: string): Promise<NewbornState | undefined>;
  save(state: NewbornState): Promise<void>;
  list(): Promise<NewbornState[]>;
}

/**
 * States in memory (tests; apps that accept losing them on restart).
 *
 * @example
 * ```ts
 * import { createNewbornWorkflow, MemoryWorkflowStore } from '@motcua/civil-status';
 * const store = new MemoryWorkflowStore();
 * const newborn = createNewbornWorkflow({ civilStatus, population, insurance, store, context });
 * await store.save(state); // a copy: changing `state` later does not change what is stored
 * (await store.load(state.id))?.status; // 'running'
 * await store.load('HS-unknown'); // undefined
 * ```
 */
export class MemoryWorkflowStore implements WorkflowStore {
  readonly #states = new Map<string, NewbornState>();
  async load(id: string) {
    const s = this.#states.get(id);
    return s ? structuredClone(s) : undefined;
  }
  async save(state: NewbornState) {
    this.#states.set(state.id, structuredClone(state));
  }
  async list() {
    return [...this.#states.values()].map((s) => structuredClone(s));
  }
}

/** Options of {@link createNewbornWorkflow}. */
export interface NewbornWorkflowOptions {
  civilStatus: CivilStatusClient;
  population: PopulationClient;
  insurance: HealthInsuranceClient;
  store: WorkflowStore;
  /** The officer and the commune. */
  context: CivilStatusContext;
  /** The legal purpose stated to the population database. */
  purpose?: string;
}

const now = () => new Date().toISOString();

/**
 * The interconnected procedure for a newborn (liên thông: birth registration, permanent residence and a
 * health-insurance card for a child under six, one dossier; Decree 63/2024/NĐ-CP as we read it) as a
 * workflow that survives a failure half way: each step's result is saved before the next starts; every call
 * carries an idempotency key derived from the dossier code and the step, so a step retried after a lost
 * answer or a restart happens once; a line failure leaves the workflow `running` for `resume`; a refusal
 * for a rule puts it in `needsAttention` with the reason, and what was done stays done.
 *
 * @example
 * ```ts
 * import { createNewbornWorkflow, MemoryWorkflowStore } from '@motcua/civil-status';
 * const newborn = createNewbornWorkflow({ civilStatus, population, insurance, store: new MemoryWorkflowStore(),
 *   context: { officerId: 'tp-hotich-01', communeCode: '05152' } });
 * let state = await newborn.start({ dossierCode: 'HS-05152-2026-000123', birth, householdId: 'HK-05152-0001', provinceCode: '25' });
 * while (state.status === 'running') state = await newborn.resume(state.id); // (with a pause, or from a timer)
 * state.card?.cardNumber;
 * ```
 */
export function createNewbornWorkflow(options: NewbornWorkflowOptions) {
  const { civilStatus, population, insurance, store, context } = options;
  const purpose =
    options.purpose ?? 'Liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi';
  const key = (s: NewbornState, step: NewbornStep) => `${s.id}:${step}`;

  const steps: Record<NewbornStep, (s: NewbornState) => Promise<void>> = {
    async birth(s) {
      const r = await civilStatus.registerBirth(s.input.birth, context, { idempotencyKey: key(s, 'birth') });
      const done =
        r.status === 'processing'
          ? await civilStatus.waitForResult(r.submissionId, context, { timeoutMs: 30_000 })
          : r;
      if (done.status === 'processing')
        throw new CivilStatusError(
          'processing',
          'The registration is still being processed',
          'Đang xử lý đăng ký',
          true,
        );
      if (done.status === 'rejected' || !done.personalId || !done.registrationNumber)
        throw new CivilStatusError(
          done.rejection?.code ?? 'rejected',
          done.rejection?.message ?? 'The birth registration was rejected',
          'Đăng ký khai sinh bị từ chối',
          false,
        );
      s.birth = {
        submissionId: done.submissionId,
        registrationNumber: done.registrationNumber,
        personalId: done.personalId,
      };
    },
    async residence(s) {
      const child = s.input.birth.child;
      const r = await population.registerResidence(
        {
          personalId: s.birth!.personalId,
          householdId: s.input.householdId,
          relation: 'child',
          fullName: child.fullName,
          dateOfBirth: child.dateOfBirth,
          sex: child.sex,
        },
        { purpose, officerId: context.officerId },
        { idempotencyKey: key(s, 'residence') },
      );
      s.residence = { registrationId: r.registrationId };
    },
    async card(s) {
      const child = s.input.birth.child;
      const card = await insurance.requestChildCard(
        {
          personalId: s.birth!.personalId,
          fullName: child.fullName,
          dateOfBirth: child.dateOfBirth,
          provinceCode: s.input.provinceCode,
        },
        { idempotencyKey: key(s, 'card') },
      );
      s.card = { cardNumber: card.cardNumber, validTo: card.validTo };
    },
  };

  const run = async (state: NewbornState): Promise<NewbornState> => {
    if (state.status === 'done') return state;
    state.status = 'running';
    state.attempts++;
    for (const step of NEWBORN_STEPS) {
      if (state[step]) continue;
      try {
        await steps[step](state);
        delete state.lastError;
        state.updatedAt = now();
        await store.save(state);
      } catch (e) {
        const retryable =
          e instanceof CivilStatusError ? e.retryable : (e as { retryable?: boolean }).retryable === true;
        state.lastError = {
          step,
          code: e instanceof MotcuaError ? e.code : 'unknown',
          message: e instanceof Error ? e.message.slice(0, 300) : String(e).slice(0, 300),
          retryable,
        };
        if (!retryable) state.status = 'needsAttention';
        state.updatedAt = now();
        await store.save(state);
        return state;
      }
    }
    state.status = 'done';
    state.updatedAt = now();
    await store.save(state);
    return state;
  };

  return {
    /** Starts the workflow for a dossier (or resumes it when it exists: starting twice is harmless). */
    async start(input: NewbornInput): Promise<NewbornState> {
      const existing = await store.load(input.dossierCode);
      if (existing) return run(existing);
      const state: NewbornState = {
        id: input.dossierCode,
        input: structuredClone(input),
        status: 'running',
        attempts: 0,
        updatedAt: now(),
      };
      await store.save(state);
      return run(state);
    },
    /** Runs the steps left. An officer calls it again after fixing a `needsAttention` cause. */
    async resume(id: string): Promise<NewbornState> {
      const s = await store.load(id);
      if (!s)
        throw new MotcuaError('civil_status.workflow_not_found', `no newborn workflow ${id}`, {
          vi: `không có hồ sơ liên thông ${id}`,
        });
      return run(s);
    },
    /** Resumes every running workflow (after a restart, or from a timer). */
    async resumeAll(): Promise<NewbornState[]> {
      const out: NewbornState[] = [];
      for (const s of await store.list()) if (s.status === 'running') out.push(await run(s));
      return out;
    },
  };
}
