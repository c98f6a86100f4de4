import {
  type BirthRegistration,
  type CivilStatusClient,
  createCivilStatusClient,
  createHealthInsuranceClient,
  createNewbornWorkflow,
  type HealthInsuranceClient,
  NEWBORN_STEPS,
  type NewbornState,
  type WorkflowStore,
} from '@motcua/civil-status';
import { startCivilStatusSimulator, startSocialInsuranceSimulator } from '@motcua/civil-status/testing';
import { type Applicant, type DossierEvent, maskIdentifier } from '@motcua/core';
import { syntheticPeople } from '@motcua/core/testing';
import {
  type Auth,
  HttpError,
  newOutboxMessage,
  Outbox,
  type OutboxInput,
  type OutboxMessage,
} from '@motcua/http';
import {
  createEmailNotifier,
  createSmsNotifier,
  type Notice,
  type Notifier,
  renderNotice,
} from '@motcua/notify';
import { startSmsGatewaySimulator, startSmtpSimulator } from '@motcua/notify/testing';
import { createPopulationClient, type PopulationClient } from '@motcua/population';
import { startPopulationSimulator } from '@motcua/population/testing';
import { createPortalClient, type PortalClient } from '@motcua/portal';
import { sampleOnlineDossier, startPortalSimulator } from '@motcua/portal/testing';
import type { DossierSummary, PaymentRecord, Store } from '@motcua/store';
import {
  type CollectionStatus,
  createPaymentClient,
  createTreasuryClient,
  type FeeLine,
  type PaymentClient,
  type RevenueRecord,
  revenueRecord,
  type TreasuryClient,
} from '@motcua/treasury';
import { startPaymentSimulator, startTreasurySimulator } from '@motcua/treasury/testing';
import { DEMO_PASSWORD, DEMO_TREASURY_ACCOUNTS, seedDemoTreasury } from './demo.js';
import type { Logger } from './log.js';
import { startDemoSigning } from './signing.js';
import { treasuryUnitConfig } from './treasury-config.js';

/** Where a national system is reached (a province gateway, or a simulator in demo mode). */
export interface Endpoint {
  baseUrl: string;
  auth?: Auth;
}

/** The app's connections to the national systems (each optional: a missing one is simply not used). */
export interface IntegrationEndpoints {
  population?: Endpoint;
  civilStatus?: Endpoint;
  /** Social insurance (the health-insurance card of the newborn bundle). */
  socialInsurance?: Endpoint;
  portal?: Endpoint & { unitCodes: string[] };
  sms?: Endpoint & { sender: string };
  /** E-mail notices over SMTP (nodemailer options) from `from`. */
  email?: { smtp: Parameters<typeof createEmailNotifier>[0]['smtp']; from: string };
  /** The payment platform (VietQR and its payer page); its callbacks are signed with `callbackSecret`. */
  payment?: Endpoint & { callbackSecret: string | string[] };
  /**
   * The State Treasury's collection channel (Motcua's format, `@motcua/treasury` openapi.yaml): each paid fee's
   * revenue record is submitted to it, and the payment is remitted when the treasury credits it. A record
   * still `submitted` is asked about again after `pollMs` (default one minute), doubling up to 30 minutes.
   */
  treasury?: Endpoint & { pollMs?: number };
}

export const TOPICS = {
  verify: 'population.verify',
  register: 'civilstatus.register',
  newborn: 'civilstatus.newborn',
  portal: 'portal.status',
  notice: 'notify.sms',
  email: 'notify.email',
  treasury: 'treasury.revenue',
} as const;

/** The longest wait between two questions to the treasury about a record not yet credited. */
const TREASURY_MAX_POLL_MS = 30 * 60_000;

/** A failure that will not change by trying again: the outbox dead-letters it at once with its reason. */
const permanent = (code: string, message: string) =>
  Object.assign(new Error(message), { code, retryable: false });

/** What the app knows of a dossier when it decides what to tell the national systems. */
interface DossierFacts {
  dossier: Pick<
    DossierSummary,
    'id' | 'code' | 'procedureCode' | 'procedureName' | 'appointment' | 'unitCode'
  >;
  applicant: Applicant | undefined;
  form: Record<string, unknown>;
  portalId: string | null;
  civilStatus: boolean;
  unitName: string;
}

const dateOf = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The national integrations of the reference app: every call goes through the transactional outbox in the
 * database (written with the dossier change that caused it), a worker delivers with retries and idempotency
 * keys, refusals are dead-lettered with their reason and shown in the integration-health panel.
 *
 * - intake → the applicant is verified against the population database (pending while the line is down);
 * - an online dossier's every event → the Portal, in order;
 * - supplement request, extension, result → a notice to the applicant by SMS;
 * - a resolved civil-status dossier with its registration in the form → registered in the civil-status
 *   system, the number written back to the dossier.
 */
export class Integrations {
  readonly store: Store;
  readonly log: Logger;
  readonly population: PopulationClient | undefined;
  readonly civilStatus: CivilStatusClient | undefined;
  readonly insurance: HealthInsuranceClient | undefined;
  readonly portal: PortalClient | undefined;
  readonly sms: Notifier | undefined;
  readonly email: Notifier | undefined;
  /** The payment platform's client and its callback secret(s) (routes/fees.ts uses them). */
  readonly payments: { client: PaymentClient; callbackSecret: string | string[] } | undefined;
  /** The State Treasury's collection channel (revenue records of paid fees). */
  readonly treasury: TreasuryClient | undefined;
  readonly #treasuryPollMs: number;
  readonly outbox: Outbox;
  readonly #portalUnits: string[];
  readonly #closers: (() => Promise<void>)[] = [];
  /** In demo mode: the simulators in process (tests and the demo pages use them). */
  demo: Awaited<ReturnType<typeof startDemoSimulators>> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #portalTimer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    store: Store,
    log: Logger,
    endpoints: IntegrationEndpoints,
    options: {
      concurrency?: number;
      baseDelayMs?: number;
      maxDelayMs?: number;
      leaseMs?: number;
      maxAttempts?: number;
    } = {},
  ) {
    this.store = store;
    this.log = log;
    const common = {
      timeoutMs: 5000,
      retry: { limit: 1 },
      logger: { info() {}, warn() {}, error: (m: string, d?: unknown) => log.warn(m, d as never) },
    };
    const client = (e: Endpoint) => ({ baseUrl: e.baseUrl, ...(e.auth ? { auth: e.auth } : {}), ...common });
    this.population = endpoints.population ? createPopulationClient(client(endpoints.population)) : undefined;
    this.civilStatus = endpoints.civilStatus
      ? createCivilStatusClient(client(endpoints.civilStatus))
      : undefined;
    this.insurance = endpoints.socialInsurance
      ? createHealthInsuranceClient(client(endpoints.socialInsurance))
      : undefined;
    this.#portalUnits = endpoints.portal?.unitCodes ?? [];
    this.portal = endpoints.portal
      ? createPortalClient({
          ...client(endpoints.portal),
          unitCode: endpoints.portal.unitCodes[0] ?? '00000',
        })
      : undefined;
    if (endpoints.portal) this.#portalOptions = { ...client(endpoints.portal) };
    this.sms = endpoints.sms
      ? createSmsNotifier({ ...client(endpoints.sms), sender: endpoints.sms.sender })
      : undefined;
    this.email = endpoints.email
      ? createEmailNotifier({ smtp: endpoints.email.smtp, from: endpoints.email.from })
      : undefined;
    this.payments = endpoints.payment
      ? {
          client: createPaymentClient(client(endpoints.payment)),
          callbackSecret: endpoints.payment.callbackSecret,
        }
      : undefined;
    this.treasury = endpoints.treasury ? createTreasuryClient(client(endpoints.treasury)) : undefined;
    this.#treasuryPollMs = endpoints.treasury?.pollMs ?? 60_000;
    this.outbox = new Outbox({
      store: store.outbox,
      deliver: (m) => this.#deliver(m),
      concurrency: options.concurrency ?? 4,
      baseDelayMs: options.baseDelayMs ?? 2000,
      maxDelayMs: options.maxDelayMs ?? 10 * 60_000,
      leaseMs: options.leaseMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 12,
    });
  }

  /** Closes simulators started for the demo, after the worker stops. */
  onClose(fn: () => Promise<void>) {
    this.#closers.push(fn);
  }

  // ---- what to send, decided in the transaction of the change ----

  /** Messages for a new dossier: the applicant's verification. */
  messagesForIntake(facts: Omit<DossierFacts, 'dossier'>, officerId: string | null) {
    return (d: { id: string; code: string }): OutboxInput[] => {
      const p = facts.applicant?.kind === 'person' ? facts.applicant.person : undefined;
      if (!this.population || !p?.personalId || !p.dateOfBirth) return [];
      return [
        {
          topic: TOPICS.verify,
          orderingKey: `${d.code}:population`,
          key: `${d.code}:verify`,
          payload: {
            dossierId: d.id,
            dossierCode: d.code,
            personalId: p.personalId,
            fullName: p.fullName,
            dateOfBirth: p.dateOfBirth,
            officerId: officerId ?? 'system',
          },
        },
      ];
    };
  }

  /** Messages for a lifecycle event: the Portal, the applicant's notice, the civil-status registration. */
  messagesForEvent(facts: DossierFacts, event: DossierEvent) {
    return (d: { id: string; code: string; seq: number }): OutboxInput[] => {
      const out: OutboxInput[] = [];
      if (this.portal && facts.portalId && event.type !== 'received')
        out.push({
          topic: TOPICS.portal,
          orderingKey: `${d.code}:portal`,
          key: `${d.code}:portal:${d.seq}`,
          payload: { portalId: facts.portalId, update: { dossierCode: d.code, sequence: d.seq - 1, event } },
        });
      const contact =
        facts.applicant?.kind === 'person' ? facts.applicant.person : facts.applicant?.representative;
      const phone = contact?.phone;
      const email = (contact as { email?: string } | undefined)?.email;
      const common = {
        dossierCode: d.code,
        procedureName: facts.dossier.procedureName,
        unitName: facts.unitName,
      };
      let notice: Notice | undefined;
      if (event.type === 'supplementRequested')
        notice = {
          kind: 'supplementRequest',
          ...common,
          reasons: event.reasons,
          deadline: addDays(dateOf(event.at), 15),
        };
      else if (event.type === 'extended' && facts.dossier.appointment)
        notice = {
          kind: 'extension',
          ...common,
          originalDate: dateOf(facts.dossier.appointment),
          newDate: dateOf(event.newAppointment),
          reason: event.reason,
        };
      else if (event.type === 'resolved')
        // Before the appointment's day: the early-result notice (Decree 118 Art. 22), else result ready.
        notice =
          facts.dossier.appointment && dateOf(event.at) < dateOf(facts.dossier.appointment)
            ? {
                kind: 'earlyResult',
                ...common,
                appointmentDate: dateOf(facts.dossier.appointment),
                readyDate: dateOf(event.at),
                place: `Bộ phận một cửa ${facts.unitName}`,
              }
            : {
                kind: 'resultReady',
                ...common,
                readyDate: dateOf(event.at),
                place: `Bộ phận một cửa ${facts.unitName}`,
              };
      if (this.sms && phone && notice)
        out.push({
          topic: TOPICS.notice,
          orderingKey: `${d.code}:notice`,
          key: `${d.code}:notice:${d.seq}`,
          payload: { phone, notice },
        });
      if (this.email && email && notice)
        out.push({
          topic: TOPICS.email,
          orderingKey: `${d.code}:email`,
          key: `${d.code}:email:${d.seq}`,
          payload: { email, notice, name: contact?.fullName },
        });
      const newborn = facts.form.newborn as { birth?: unknown; householdId?: unknown } | undefined;
      if (this.#bundles && facts.civilStatus && event.type === 'resolved' && newborn?.birth)
        out.push({
          topic: TOPICS.newborn,
          orderingKey: `${d.code}:civil-status`,
          key: `${d.code}:newborn`,
          payload: {
            dossierId: d.id,
            dossierCode: d.code,
            unitCode: facts.dossier.unitCode,
            birth: newborn.birth,
            householdId: newborn.householdId,
          },
        });
      else if (this.civilStatus && facts.civilStatus && event.type === 'resolved' && facts.form.birth)
        out.push({
          topic: TOPICS.register,
          orderingKey: `${d.code}:civil-status`,
          key: `${d.code}:civil-status`,
          payload: {
            dossierId: d.id,
            dossierCode: d.code,
            unitCode: facts.dossier.unitCode,
            registration: facts.form.birth,
          },
        });
      return out;
    };
  }

  /**
   * The message of a paid fee for the State Treasury (its revenue record), written in the payment's own
   * transaction (`store.fees.recordPayment({ messages })`); none without a treasury channel.
   *
   * @example
   * ```ts
   * const messages = integrations.messagesForPayment();
   * await store.fees.recordPayment({ dossierId, method: 'counter', amount, actor, ...(messages ? { messages } : {}) });
   * ```
   */
  messagesForPayment() {
    if (!this.treasury) return undefined;
    return (p: { id: string; dossierCode: string; unitCode: string }): OutboxInput[] => [
      {
        topic: TOPICS.treasury,
        key: `treasury:${p.id}`,
        orderingKey: `${p.dossierCode}:treasury`,
        payload: { paymentId: p.id, dossierCode: p.dossierCode, unitCode: p.unitCode },
      },
    ];
  }

  // ---- delivery ----

  async #deliver(m: OutboxMessage): Promise<void> {
    const p = m.payload as Record<string, unknown>;
    switch (m.topic) {
      case TOPICS.verify: {
        if (!this.population) throw new Error('population: not configured');
        const r = await this.population.verifyCitizen(
          {
            personalId: p.personalId as string,
            fullName: p.fullName as string,
            dateOfBirth: p.dateOfBirth as string,
          },
          { purpose: `Tiếp nhận hồ sơ ${p.dossierCode as string}`, officerId: p.officerId as string },
        );
        await this.store.setIntegration(
          p.dossierId as string,
          'population',
          r.match ? 'verified' : r.found ? 'mismatch' : 'notFound',
          {
            ...(r.fields ? { fields: r.fields } : {}),
          },
        );
        return;
      }
      case TOPICS.portal: {
        if (!this.portal) throw new Error('portal: not configured');
        const { portalId, update } = p as { portalId: string; update: never };
        await this.portal.pushEvent(portalId, update, { idempotencyKey: m.key });
        return;
      }
      case TOPICS.notice: {
        if (!this.sms) throw new Error('sms: not configured');
        const rendered = renderNotice(p.notice as Notice, { channel: 'sms', unaccented: true });
        await this.sms.send({
          to: p.phone as string,
          text: rendered.text,
          dossierCode: (p.notice as Notice).dossierCode,
          idempotencyKey: m.key,
        });
        return;
      }
      case TOPICS.email: {
        if (!this.email) throw new Error('email: not configured');
        const rendered = renderNotice(p.notice as Notice, {
          channel: 'email',
          ...(typeof p.name === 'string' ? { recipientName: p.name } : {}),
        });
        await this.email.send({
          to: p.email as string,
          subject: rendered.subject,
          text: rendered.text,
          dossierCode: (p.notice as Notice).dossierCode,
          idempotencyKey: m.key,
        });
        return;
      }
      case TOPICS.register: {
        if (!this.civilStatus) throw new Error('civil status: not configured');
        const officer = { officerId: 'system', communeCode: p.unitCode as string };
        const s = await this.civilStatus.registerBirth(p.registration as BirthRegistration, officer, {
          idempotencyKey: m.key,
        });
        const done =
          s.status === 'processing'
            ? await this.civilStatus.waitForResult(s.submissionId, officer, { timeoutMs: 10_000 })
            : s;
        if (done.status !== 'registered') throw new Error(`civil status: ${done.status}`);
        const dossierId = p.dossierId as string;
        // The event first (checked against the history, so a retry after a crash does not add it twice),
        // then the status: a crash between the two leaves a state the retry completes.
        const already = (await this.store.events(dossierId)).some(
          (e) => e.event.type === 'registered' && e.event.system === 'civilStatus',
        );
        if (!already)
          await this.store.appendEvent(
            dossierId,
            {
              type: 'registered',
              at: new Date().toISOString(),
              system: 'civilStatus',
              ...(done.registrationNumber ? { registrationNumber: done.registrationNumber } : {}),
            },
            null,
          );
        await this.store.setIntegration(dossierId, 'civilStatus', 'registered', {
          registrationNumber: done.registrationNumber,
          submissionId: done.submissionId,
          ...(done.personalId ? { childPersonalId: maskIdentifier(done.personalId, 3, 3) } : {}),
        });
        return;
      }
      case TOPICS.newborn:
        return this.#newborn(p);
      case TOPICS.treasury:
        return this.#revenue(m);
      default:
        throw Object.assign(new Error(`no handler for topic ${m.topic}`), { retryable: false });
    }
  }

  /**
   * A paid fee to the State Treasury: its revenue record(s) made with `revenueRecord` of @motcua/treasury from
   * the unit's configuration (one per fee item, idempotent at the treasury on the record ID), submitted, and
   * the answer kept on the payment: `credited` remits the payment at the credited time with the treasury's
   * reference; `submitted` asks again later (a new message after a growing delay); `rejected` is dead with its
   * reason. A unit not configured, or a configuration the record cannot be made from, is dead at once with
   * the reason (`treasury.not_configured`, `budget.*`) and sent again when the unit admin saves the
   * configuration. A payment remitted by hand is not sent.
   */
  async #revenue(m: OutboxMessage) {
    const p = m.payload as { paymentId: string; dossierCode: string; unitCode: string; check?: number };
    if (!this.treasury) throw new Error('treasury: not configured');
    const payment = await this.store.fees.payment(p.paymentId);
    if (payment?.status !== 'paid')
      throw permanent('treasury.payment_not_paid', `dossier ${p.dossierCode}: the payment is not paid`);
    if (payment.treasuryStatus === 'credited') return;
    if (payment.remittedAt && payment.treasuryStatus === null) return; // remitted by hand
    const records = await this.#records(payment);
    const answers: CollectionStatus[] = [];
    for (const r of records) answers.push(await this.#submit(r, payment));
    const recordId = records.map((r) => r.recordId).join(',');
    const rejected = answers.find((a) => a.status === 'rejected');
    if (rejected) {
      const reason = rejected.reason ?? 'rejected';
      await this.store.fees.recordTreasuryAnswer(payment.id, { recordId, status: 'rejected', reason });
      throw permanent('treasury.rejected', `${reason} (record ${rejected.recordId})`);
    }
    if (answers.every((a) => a.status === 'credited')) {
      const creditedAt = answers
        .map((a) => a.creditedAt ?? a.submittedAt)
        .reduce((x, y) => (Date.parse(x) >= Date.parse(y) ? x : y));
      await this.store.fees.recordTreasuryAnswer(payment.id, {
        recordId,
        status: 'credited',
        creditedAt,
        treasuryReference: answers.map((a) => a.treasuryReference ?? '').join(', '),
      });
      return;
    }
    await this.store.fees.recordTreasuryAnswer(payment.id, { recordId, status: 'submitted' });
    // Not credited yet: ask again later, in a new message of the same lane (this one is delivered).
    const check = (p.check ?? 0) + 1;
    const next = newOutboxMessage(
      {
        topic: TOPICS.treasury,
        key: `treasury:${payment.id}:check:${check}`,
        orderingKey: m.orderingKey ?? `${p.dossierCode}:treasury`,
        payload: { ...p, check },
      },
      Date.now(),
    );
    next.nextAttemptAt = Date.now() + Math.min(TREASURY_MAX_POLL_MS, this.#treasuryPollMs * 2 ** (check - 1));
    await this.store.outbox.append(next);
  }

  /**
   * After a unit's treasury configuration is saved: its revenue messages dead for want of a configuration,
   * for a configuration the record could not be made from, or rejected by the treasury, are sent again.
   * Returns how many.
   *
   * @example
   * ```ts
   * await store.fees.setTreasuryConfig('05152', config, user.id);
   * await integrations.resendTreasury('05152'); // 2
   * ```
   */
  async resendTreasury(unitCode: string): Promise<number> {
    if (!this.treasury) return 0;
    const fixable = /^(treasury\.not_configured|treasury\.record|treasury\.rejected|budget\.)/;
    let n = 0;
    for (const m of await this.store.outbox.deadLetters(1000)) {
      const p = m.payload as { unitCode?: string } | null;
      if (m.topic !== TOPICS.treasury || p?.unitCode !== unitCode || !fixable.test(m.lastError ?? ''))
        continue;
      await this.outbox.resend(m.id);
      n++;
    }
    return n;
  }

  /** The revenue records of a paid fee: one per fee item with an amount, from the unit's configuration. */
  async #records(payment: PaymentRecord): Promise<RevenueRecord[]> {
    const [config, fee] = await Promise.all([
      this.store.fees.treasuryConfig(payment.unitCode),
      this.store.fees.fee(payment.dossierId),
    ]);
    const where = `dossier ${payment.dossierCode ?? payment.dossierId}`;
    if (!config?.configured || !config.chapter || !config.collectingAgency)
      throw permanent(
        'treasury.not_configured',
        `${where}: unit ${payment.unitCode} has no treasury configuration (chapter, collecting agency): set it in Unit admin, Fee accounts; the message is sent again when it is saved`,
      );
    const items = new Map<string, { kind: 'fee' | 'charge'; amount: number }>();
    for (const l of (fee?.lines ?? []) as Partial<FeeLine>[]) {
      if (!l.itemId || (l.kind !== 'fee' && l.kind !== 'charge') || typeof l.amount !== 'number') continue;
      const it = items.get(l.itemId) ?? { kind: l.kind, amount: 0 };
      it.amount += l.amount;
      items.set(l.itemId, it);
    }
    const lines = [...items].filter(([, x]) => x.amount > 0);
    const paid = payment.paidAmount ?? payment.amount;
    if (!fee || lines.length === 0 || lines.reduce((s, [, x]) => s + x.amount, 0) !== paid)
      throw permanent(
        'treasury.fee_lines',
        `${where}: the fee's lines do not add up to the ${paid} VND paid`,
      );
    const unitConfig = treasuryUnitConfig({
      ...config,
      chapter: config.chapter,
      collectingAgency: config.collectingAgency,
    });
    const calendar = await this.store.calendarOf(payment.unitCode);
    try {
      return lines.map(([itemId, x]) =>
        revenueRecord(
          {
            feeId: lines.length === 1 ? fee.id : `${fee.id}.${itemId}`,
            dossierCode: payment.dossierCode ?? payment.dossierId,
            itemId,
            kind: x.kind,
            amount: x.amount,
            method: payment.method === 'counter' ? 'counter' : 'online',
            paidAt: payment.paidAt!,
            paymentId: payment.platformPaymentId ?? payment.id,
            reference: payment.reference,
          },
          unitConfig,
          { calendar: calendar as never },
        ),
      );
    } catch (e) {
      // A configuration the record cannot be made from (a district chapter, a sub-item missing...): fixed by
      // the unit admin, then sent again.
      const code = (e as { code?: string }).code ?? 'treasury.record';
      throw permanent(code, `${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Submits a record, or asks its status when the treasury has it already; a refusal is a rejection. */
  async #submit(record: RevenueRecord, payment: PaymentRecord): Promise<CollectionStatus> {
    const client = this.treasury!;
    try {
      if (payment.treasuryStatus === 'submitted')
        try {
          return await client.status(record.recordId);
        } catch (e) {
          if (!(e instanceof HttpError && e.status === 404)) throw e; // not there (a restarted treasury): submit
        }
      return await client.submit(record);
    } catch (e) {
      if (e instanceof HttpError && !e.retryable)
        return {
          recordId: record.recordId,
          status: 'rejected',
          submittedAt: new Date().toISOString(),
          reason: e.serverCode ?? e.code,
        };
      throw e;
    }
  }

  /** The newborn bundle needs all three systems. */
  get #bundles() {
    return Boolean(this.civilStatus && this.population && this.insurance);
  }

  /**
   * The newborn bundle (birth, permanent residence, health-insurance card) as one dossier: the workflow of
   * @motcua/civil-status, its state saved in the database after each step, so a retry of the message (after
   * a dropped line or a killed process) resumes at the step it stopped and each system is called once. A
   * refusal for a rule is a permanent failure: the message is dead-lettered with the reason for an officer.
   */
  async #newborn(p: Record<string, unknown>) {
    const dossierId = p.dossierId as string;
    const unitCode = p.unitCode as string;
    const unit = await this.store.getUnit(unitCode);
    const workflow = createNewbornWorkflow({
      civilStatus: this.civilStatus!,
      population: this.population!,
      insurance: this.insurance!,
      store: settingsWorkflowStore(this.store),
      context: { officerId: 'system', communeCode: unitCode },
    });
    const state = await workflow.start({
      dossierCode: p.dossierCode as string,
      birth: p.birth as BirthRegistration,
      householdId: p.householdId as string,
      provinceCode: unit?.provinceCode ?? unitCode.slice(0, 2),
    });
    await this.store.setIntegration(dossierId, 'newborn', state.status, newbornDetail(state));
    if (state.status !== 'done') {
      const e = state.lastError;
      throw Object.assign(new Error(`newborn bundle, step ${e?.step}: ${e?.code} ${e?.message ?? ''}`), {
        retryable: state.status === 'running',
      });
    }
    // Each system's registration as an event of the one dossier (checked against the history, so a retry
    // after a crash adds none twice).
    const have = new Set(
      (await this.store.events(dossierId)).flatMap((e) =>
        e.event.type === 'registered' ? [e.event.system] : [],
      ),
    );
    const at = new Date().toISOString();
    const add = async (system: 'civilStatus' | 'population' | 'socialInsurance', number?: string) => {
      if (have.has(system)) return;
      await this.store.appendEvent(
        dossierId,
        { type: 'registered', at, system, ...(number ? { registrationNumber: number } : {}) },
        null,
      );
    };
    await add('civilStatus', state.birth?.registrationNumber);
    await add('population', state.residence?.registrationId);
    await add('socialInsurance');
  }

  /** Pulls new online dossiers from the Portal and receives them (once each: the Portal ID is unique). */
  async pollPortal(): Promise<number> {
    if (!this.portal) return 0;
    let received = 0;
    for (const unitCode of this.#portalUnits) {
      const key = `portal-cursor:${unitCode}`;
      const cursor = await this.store.getSetting<string>(key);
      const page = await this.#pull(unitCode, cursor);
      for (const d of page.dossiers) {
        if (await this.store.dossierByPortalId(d.portalId)) continue;
        const procedure = (await this.store.getProcedure(unitCode, d.procedureCode)) as
          | { code: string; name: { vi: string }; limit: never; civilStatus?: boolean }
          | undefined;
        if (!procedure) {
          this.log.warn('portal dossier for an unknown procedure', {
            portalId: d.portalId,
            procedureCode: d.procedureCode,
          });
          continue;
        }
        try {
          await this.store.createDossier({
            unitCode,
            procedure,
            channel: 'online',
            applicant: {
              kind: 'person',
              person: {
                fullName: d.applicant.fullName,
                personalId: d.applicant.personalId,
                ...(d.applicant.phone ? { phone: d.applicant.phone } : {}),
              },
            },
            receivedAt: d.submittedAt,
            actor: null,
            form: d.form,
            portalId: d.portalId,
          });
          received++;
        } catch (e) {
          if (!(await this.store.dossierByPortalId(d.portalId))) throw e; // another process took it: fine
        }
      }
      if (page.nextCursor !== cursor) await this.store.setSetting(key, page.nextCursor);
    }
    return received;
  }

  #clients = new Map<string, PortalClient>();
  async #pull(unitCode: string, cursor: string | undefined) {
    let c = this.#clients.get(unitCode);
    if (!c) {
      c = createPortalClient({ ...this.#portalOptions!, unitCode });
      this.#clients.set(unitCode, c);
    }
    return c.pullDossiers(cursor ? { cursor } : {});
  }
  #portalOptions: (Endpoint & { timeoutMs: number }) | undefined;

  /** Starts the worker (every `intervalMs`) and the Portal poller. */
  start(intervalMs = 1000, portalEveryMs = 10_000) {
    const tick = () => {
      this.#running ??= this.outbox
        .runOnce()
        .catch((e: unknown) =>
          this.log.warn('outbox run failed', { error: e instanceof Error ? e.message : String(e) }),
        )
        .finally(() => {
          this.#running = undefined;
        });
    };
    this.#timer = setInterval(tick, intervalMs);
    if (this.portal)
      this.#portalTimer = setInterval(() => {
        this.pollPortal().catch((e: unknown) =>
          this.log.warn('portal poll failed', { error: e instanceof Error ? e.message : String(e) }),
        );
      }, portalEveryMs);
  }

  async stop() {
    clearInterval(this.#timer);
    clearInterval(this.#portalTimer);
    await this.#running;
    for (const c of this.#closers.splice(0)) await c();
  }

  /** Per system: pending, oldest age, dead letters with reasons, last success. */
  async health() {
    const now = Date.now();
    const topics = await this.store.outbox.health(now);
    const dead = await this.store.outbox.deadLetters(50);
    const configured = {
      population: Boolean(this.population),
      civilStatus: Boolean(this.civilStatus),
      socialInsurance: Boolean(this.insurance),
      portal: Boolean(this.portal),
      sms: Boolean(this.sms),
      email: Boolean(this.email),
      payment: Boolean(this.payments),
      treasury: Boolean(this.treasury),
    };
    return {
      configured,
      topics,
      deadLetters: dead.map((m) => ({
        id: m.id,
        topic: m.topic,
        key: m.key,
        attempts: m.attempts,
        reason: m.lastError ?? '',
      })),
    };
  }
}

/**
 * Demo mode: every simulator in process on 127.0.0.1 (population with the demo applicants, civil status,
 * the Portal with online dossiers for the demo communes, an SMS gateway), and the app's integrations
 * pointed at them.
 */
async function startDemoSimulators(unitCodes: string[], seed: number) {
  const people = syntheticPeople({ seed, fromYear: 1950, toYear: 2006 });
  const citizens = Array.from({ length: 400 }, () => people.next().value).map((p) => ({
    personalId: p.personalId,
    fullName: p.fullName,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    permanentAddress: { detail: 'Thôn Mẫu', communeCode: unitCodes[0]!, provinceCode: p.provinceCode },
    householdId: `HK-${p.personalId.slice(-6)}`,
  }));
  // Households of the demo: the generated ones (the newborn bundle registers a child into one of them).
  const population = await startPopulationSimulator({
    citizens,
    households: [],
    generatedHouseholds: 50,
    seed,
  });
  const civil = await startCivilStatusSimulator({ seed });
  const insurance = await startSocialInsuranceSimulator();
  const portal = await startPortalSimulator({
    dossiers: unitCodes.flatMap((u, i) =>
      [1, 2, 3].map((n) => ({ ...sampleOnlineDossier(n + i * 10, u, seed), procedureCode: '1.004873' })),
    ),
  });
  const sms = await startSmsGatewaySimulator({ senders: ['MOTCUA'] });
  // One mailbox that does not exist, to show (and test) a refused recipient.
  const smtp = await startSmtpSimulator({ unknownRecipients: ['khong.co@example.vn'] });
  // The payment platform: a VietQR for each fee; the citizen "pays" from the fee panel's demo button.
  const payment = await startPaymentSimulator({ callbackSecret: `whsec_demo_${seed}` });
  // The State Treasury: knows the demo units' accounts (the provinces' designated ones, the ward's own).
  const treasury = await startTreasurySimulator({ accounts: DEMO_TREASURY_ACCOUNTS });
  const credits = demoTreasuryCredits(treasury);
  return {
    population,
    civil,
    insurance,
    portal,
    sms,
    smtp,
    payment,
    treasury,
    /** The demo treasury's crediting: `enabled = false` and the test credits records itself. */
    treasuryAutoCredit: credits.control,
    stopTreasuryCredits: credits.stop,
  };
}

/**
 * Demo mode: the treasury credits each record it received `afterMs` after it first saw it (a real treasury
 * takes hours; tests turn it off with `enabled = false` and credit by hand).
 */
function demoTreasuryCredits(sim: Awaited<ReturnType<typeof startTreasurySimulator>>, afterMs = 3000) {
  const seen = new Map<string, number>();
  const control = { enabled: true, afterMs };
  const timer = setInterval(() => {
    if (!control.enabled) return;
    const now = Date.now();
    for (const r of sim.records()) {
      const first = seen.get(r.recordId);
      if (first === undefined) seen.set(r.recordId, now);
      else if (first > 0 && now - first >= control.afterMs) {
        sim.credit(r.recordId);
        seen.set(r.recordId, 0); // credited once: a second credit would change its reference
      }
    }
  }, 500);
  timer.unref();
  return { control, stop: () => clearInterval(timer) };
}

/**
 * Demo mode: every simulator in process on 127.0.0.1 (population with the demo applicants, civil status,
 * the Portal with online dossiers for the demo communes, an SMS gateway), and the app's integrations
 * pointed at them.
 */
export async function startDemoIntegrations(
  store: Store,
  log: Logger,
  unitCodes: string[],
  options: {
    seed?: number;
    concurrency?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    leaseMs?: number;
  } = {},
) {
  const sims = await startDemoSimulators(unitCodes, options.seed ?? 2025);
  await seedDemoTreasury(store);
  const integrations = new Integrations(
    store,
    log,
    {
      population: { baseUrl: sims.population.url, auth: sims.population.oauth2 },
      civilStatus: { baseUrl: sims.civil.url, auth: sims.civil.oauth2 },
      socialInsurance: { baseUrl: sims.insurance.url, auth: sims.insurance.oauth2 },
      portal: { baseUrl: sims.portal.url, auth: sims.portal.oauth2, unitCodes },
      sms: { baseUrl: sims.sms.url, auth: sims.sms.oauth2, sender: 'MOTCUA' },
      email: { smtp: sims.smtp.smtp, from: '"Bộ phận một cửa (demo)" <motcua@demo.motcua.invalid>' },
      payment: {
        baseUrl: sims.payment.url,
        auth: sims.payment.oauth2,
        callbackSecret: sims.payment.callbackSecret,
      },
      treasury: { baseUrl: sims.treasury.url, auth: sims.treasury.oauth2, pollMs: 2000 },
    },
    options,
  );
  integrations.demo = sims;
  const signing = await startDemoSigning(store, unitCodes, { password: DEMO_PASSWORD });
  integrations.onClose(() => signing.close());
  integrations.onClose(async () => {
    await Promise.all([
      sims.population.close(),
      sims.civil.close(),
      sims.insurance.close(),
      sims.portal.close(),
      sims.sms.close(),
      sims.smtp.close(),
      sims.payment.close(),
      sims.treasury.close(),
    ]);
    sims.stopTreasuryCredits();
  });
  return { integrations, simulators: sims };
}

/** The newborn workflows' states in the database (settings `newborn:<dossier code>`), one per dossier. */
function settingsWorkflowStore(store: Store): WorkflowStore {
  const key = (id: string) => `newborn:${id}`;
  return {
    load: (id) => store.getSetting<NewbornState>(key(id)),
    save: (state) => store.setSetting(key(state.id), state),
    list: async () => (await store.settingsWithPrefix<NewbornState>('newborn:')).map(([, v]) => v),
  };
}

/** What the integration panel shows of a newborn workflow: steps done, the last failure; no personal data. */
function newbornDetail(s: NewbornState) {
  return {
    done: NEWBORN_STEPS.filter((step) => s[step]),
    attempts: s.attempts,
    ...(s.birth ? { registrationNumber: s.birth.registrationNumber } : {}),
    ...(s.residence ? { residenceRegistration: s.residence.registrationId } : {}),
    ...(s.card ? { cardValidTo: s.card.validTo } : {}),
    ...(s.lastError ? { lastError: { step: s.lastError.step, code: s.lastError.code } } : {}),
  };
}
