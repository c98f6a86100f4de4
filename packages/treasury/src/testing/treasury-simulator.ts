import { randomUUID } from 'node:crypto';
import { problem, type SimulatorAuth, type SimulatorFaults, startSimulator } from '@motcua/http/testing';
import type { z } from 'zod';
import { vnInstant } from '../time.js';
import { type CollectionStatus, RevenueRecordSchema } from '../treasury-client.js';

/** Options of {@link startTreasurySimulator}. */
export interface TreasurySimulatorOptions {
  /** Accounts the treasury knows, as `treasuryCode/accountNumber`; records to others are rejected (422). */
  accounts?: string[];
  auth?: SimulatorAuth;
  faults?: SimulatorFaults;
  now?: () => number;
}

/**
 * A State Treasury collection simulator: a real HTTP server on 127.0.0.1 (OAuth2, idempotency keys, seeded
 * faults) speaking Motcua's format (`openapi.yaml`). It validates each record (400 naming the field), refuses
 * accounts it does not know (422 `collection.unknown_account`), is idempotent on the record ID (the same record
 * again: the same answer; another amount under the same ID: 409 `collection.conflict`), and credits records
 * when the test says so.
 *
 * @example
 * ```ts
 * import { startTreasurySimulator } from '@motcua/treasury/testing';
 * const kb = await startTreasurySimulator({ accounts: ['1769/3511'] });
 * const treasury = createTreasuryClient({ baseUrl: kb.url, auth: kb.oauth2 });
 * await treasury.submit(record);
 * kb.credit(record.recordId);
 * ```
 */
export async function startTreasurySimulator(options: TreasurySimulatorOptions = {}) {
  const now = options.now ?? Date.now;
  const known = new Set(options.accounts ?? []);
  const records = new Map<
    string,
    { record: z.output<typeof RevenueRecordSchema>; status: CollectionStatus }
  >();
  const sim = await startSimulator({
    name: 'state treasury',
    auth: options.auth ?? {},
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      [
        'POST',
        '/collections',
        (req) => {
          const r = RevenueRecordSchema.safeParse(req.body);
          if (!r.success) {
            const i = r.error.issues[0]!;
            return problem(400, 'validation_failed', `${i.path.join('.')}: ${i.message}`);
          }
          const rec = r.data;
          const prior = records.get(rec.recordId);
          if (prior) {
            if (prior.record.amount !== rec.amount || prior.record.subItem !== rec.subItem)
              return problem(409, 'collection.conflict', 'this record ID was submitted with other content');
            return { status: 200, body: prior.status };
          }
          if (known.size > 0 && !known.has(`${rec.account.treasuryCode}/${rec.account.accountNumber}`))
            return problem(422, 'collection.unknown_account', 'account: not a treasury account of this unit');
          const status: CollectionStatus = {
            recordId: rec.recordId,
            status: 'submitted',
            submittedAt: vnInstant(now()),
          };
          records.set(rec.recordId, { record: rec, status });
          return { status: 201, body: status };
        },
      ],
      [
        'GET',
        '/collections/:id',
        (req) => {
          const r = records.get(req.params.id!);
          return r ? { status: 200, body: r.status } : problem(404, 'collection.not_found', 'no such record');
        },
      ],
    ],
  });
  return {
    ...sim,
    /**
     * The records received, in order.
     *
     * @example
     * ```ts
     * await treasury.submit(record);
     * kb.records().map((r) => r.recordId); // ['05152-…']
     * ```
     */
    records: () => [...records.values()].map((r) => r.record),
    /**
     * Credits a record to the budget (at `at`, default now) and returns its new status, with the treasury's
     * reference. Throws when the record was never submitted.
     *
     * @example
     * ```ts
     * await treasury.submit(record);
     * kb.credit(record.recordId, '2026-03-02T15:00:00+07:00').status; // 'credited'
     * (await treasury.status(record.recordId)).status; // 'credited'
     * ```
     */
    credit(recordId: string, at?: string) {
      const r = records.get(recordId);
      if (!r) throw new Error(`treasury simulator: no record ${recordId}`);
      r.status = {
        ...r.status,
        status: 'credited',
        creditedAt: at ?? vnInstant(now()),
        treasuryReference: `KB${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
      };
      return r.status;
    },
  };
}

/** A treasury simulator started by {@link startTreasurySimulator}. */
export type TreasurySimulator = Awaited<ReturnType<typeof startTreasurySimulator>>;
