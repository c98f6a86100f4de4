import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { openStore, type Store } from './store.js';

const procedure = {
  code: '2.000815',
  name: { vi: 'Chứng thực bản sao từ bản chính' },
  limit: { unit: 'sameDay' as const, cutoff: '15:00' },
};
const applicant = { kind: 'person' as const, person: { fullName: 'Nguyễn Văn Mẫu' } };
const lines = [{ type: 'item', itemId: 'certified-copy', kind: 'fee', amount: 14000 }];

function suite(name: string, open: () => Promise<Store | undefined>) {
  describe(`the units' treasury configuration and the treasury's answers on ${name}`, () => {
    let store: Store;
    let skip = false;
    beforeAll(async () => {
      const s = await open();
      if (!s) {
        skip = true;
        return;
      }
      store = s;
      await store.upsertUnit({
        code: '05152',
        name: 'Xã Vân Sơn',
        provinceCode: '25',
        agencyCode: 'H25.X05152',
      });
      await store.upsertUnit({
        code: '26740',
        name: 'Phường Sài Gòn',
        provinceCode: '79',
        agencyCode: 'H79.X26740',
        treasuryAccount: '0111/3511.1.1234567',
      });
      await store.fees.setProvinceAccount('25', {
        account: '1769/3511.0.9000025',
        holder: 'Sở Tài chính tỉnh Phú Thọ',
      });
    }, 60_000);
    afterAll(async () => {
      await store?.close();
    });
    const guard = () => {
      if (skip) console.warn(`*** ${name} not available: test skipped ***`);
      return skip;
    };
    const paidDossier = async (
      unitCode: string,
      messages?: Parameters<Store['fees']['recordPayment']>[0]['messages'],
    ) => {
      const { dossier } = await store.createDossier({
        unitCode,
        procedure,
        channel: 'direct',
        applicant,
        actor: null,
      });
      await store.fees.setFee({
        dossierId: dossier.id,
        amount: 14000,
        lines,
        request: {},
        reference: dossier.code,
        actor: 't',
      });
      const { payment } = await store.fees.recordPayment({
        dossierId: dossier.id,
        method: 'counter',
        amount: 14000,
        actor: 't',
        ...(messages ? { messages } : {}),
      });
      return { dossier, payment };
    };

    it('the migration 0007_treasury is applied once', async () => {
      if (guard()) return;
      expect(await store.migrate()).toEqual([]);
      const names = (
        await store.db
          .selectFrom('kysely_migration' as never)
          .select('name' as never)
          .execute()
      ).map((r) => (r as { name: string }).name);
      expect(names).toContain('0007_treasury');
    });

    it('a unit without configuration: not configured, its own account parsed, the province’s designated one', async () => {
      if (guard()) return;
      expect(await store.fees.treasuryConfig('99999')).toBeUndefined();
      expect(await store.fees.treasuryConfig('05152')).toMatchObject({
        unitCode: '05152',
        unitName: 'Xã Vân Sơn',
        configured: false,
        chapter: null,
        collectingAgency: null,
        account: null,
        provinceDesignatedAccount: {
          treasuryCode: '1769',
          accountNumber: '3511.0.9000025',
          holder: 'Sở Tài chính tỉnh Phú Thọ',
        },
        subItems: {},
      });
      expect((await store.fees.treasuryConfig('26740'))?.account).toEqual({
        treasuryCode: '0111',
        accountNumber: '3511.1.1234567',
        holder: 'Phường Sài Gòn',
      });
    });

    it('setting the configuration writes the unit’s account too, so the collecting account follows it', async () => {
      if (guard()) return;
      const set = await store.fees.setTreasuryConfig(
        '26740',
        {
          chapter: '805',
          collectingAgency: '1234567',
          account: { treasuryCode: '0112', accountNumber: '3511.1.7654321', holder: 'UBND phường Sài Gòn' },
          subItems: { 'certified-copy': '2716' },
        },
        'admin-1',
      );
      expect(set).toMatchObject({
        configured: true,
        chapter: '805',
        collectingAgency: '1234567',
        account: { treasuryCode: '0112', accountNumber: '3511.1.7654321', holder: 'UBND phường Sài Gòn' },
        subItems: { 'certified-copy': '2716' },
        updatedBy: 'admin-1',
      });
      expect((await store.getUnit('26740'))?.treasuryAccount).toBe('0112/3511.1.7654321');
      expect(await store.fees.collectingAccount('26740')).toEqual({
        account: '0112/3511.1.7654321',
        holder: 'UBND phường Sài Gòn',
        designated: false,
      });
      // No account of its own: the province's designated one.
      await store.fees.setTreasuryConfig(
        '05152',
        { chapter: '805', collectingAgency: '7654321', account: null, subItems: {} },
        'admin-2',
      );
      expect(await store.fees.collectingAccount('05152')).toMatchObject({ designated: true });
      // The database refuses a chapter that is not 3 digits, and nothing changes.
      await expect(
        store.fees.setTreasuryConfig(
          '05152',
          { chapter: '8050', collectingAgency: '7654321', account: null },
          'x',
        ),
      ).rejects.toThrow();
      expect((await store.fees.treasuryConfig('05152'))?.chapter).toBe('805');
      await expect(
        store.fees.setTreasuryConfig(
          '99999',
          { chapter: '805', collectingAgency: '7654321', account: null },
          'x',
        ),
      ).rejects.toMatchObject({ code: 'store.unit_not_found' });
      const audit = await store.db
        .selectFrom('audit_log')
        .select(['actor', 'unit_code'])
        .where('action', '=', 'treasury.config')
        .execute();
      expect(audit).toEqual(
        expect.arrayContaining([
          { actor: 'admin-1', unit_code: '26740' },
          { actor: 'admin-2', unit_code: '05152' },
        ]),
      );
    });

    it('the revenue message is written in the payment’s transaction, naming the payment', async () => {
      if (guard()) return;
      const { dossier, payment } = await paidDossier('05152', (p) => [
        {
          topic: 'treasury.revenue',
          key: `treasury:${p.id}`,
          orderingKey: `${p.dossierCode}:treasury`,
          payload: p,
        },
      ]);
      const m = (await store.outbox.list()).filter((x) => x.key === `treasury:${payment.id}`);
      expect(m).toHaveLength(1);
      expect(m[0]).toMatchObject({
        topic: 'treasury.revenue',
        orderingKey: `${dossier.code}:treasury`,
        payload: { id: payment.id, dossierId: dossier.id, dossierCode: dossier.code, unitCode: '05152' },
      });
      // A refused payment (already paid) writes no message.
      await expect(
        store.fees.recordPayment({
          dossierId: dossier.id,
          method: 'counter',
          amount: 14000,
          actor: 't',
          messages: () => [{ topic: 'treasury.revenue', payload: {} }],
        }),
      ).rejects.toMatchObject({ code: 'fee.already_paid' });
      expect((await store.outbox.list()).filter((x) => x.topic === 'treasury.revenue')).toHaveLength(1);
    });

    it('the treasury’s answers: submitted, then credited remits the payment at the credited time, once', async () => {
      if (guard()) return;
      const { payment } = await paidDossier('26740');
      expect(await store.fees.payment(payment.id)).toMatchObject({ treasuryStatus: null, remittedAt: null });
      expect((await store.fees.unremitted('26740')).map((p) => p.id)).not.toContain(payment.id);
      expect((await store.fees.unremitted('26740', { withoutDeadline: true })).map((p) => p.id)).toContain(
        payment.id,
      );
      await store.fees.recordTreasuryAnswer(payment.id, {
        recordId: `26740-${payment.feeId}`,
        status: 'submitted',
      });
      expect(await store.fees.payment(payment.id)).toMatchObject({
        treasuryStatus: 'submitted',
        treasuryRecordId: `26740-${payment.feeId}`,
        remittedAt: null,
      });
      const credited = await store.fees.recordTreasuryAnswer(payment.id, {
        recordId: `26740-${payment.feeId}`,
        status: 'credited',
        creditedAt: '2026-03-02T15:00:00+07:00',
        treasuryReference: 'KB0001',
      });
      expect(credited).toMatchObject({
        treasuryStatus: 'credited',
        treasuryReference: 'KB0001',
        creditedAt: '2026-03-02T15:00:00+07:00',
        remittedAt: '2026-03-02T15:00:00+07:00',
      });
      // A late "submitted" answer does not undo the credit.
      await store.fees.recordTreasuryAnswer(payment.id, {
        recordId: `26740-${payment.feeId}`,
        status: 'submitted',
      });
      expect((await store.fees.payment(payment.id))?.treasuryStatus).toBe('credited');
      expect(
        (await store.fees.unremitted('26740', { withoutDeadline: true })).map((p) => p.id),
      ).not.toContain(payment.id);
      expect(await store.fees.payment('not-a-uuid')).toBeUndefined();
    });

    it('a rejection keeps its reason and leaves the payment unremitted; remitted by hand keeps its time when credited', async () => {
      if (guard()) return;
      const { payment } = await paidDossier('05152');
      const rejected = await store.fees.recordTreasuryAnswer(payment.id, {
        recordId: 'R',
        status: 'rejected',
        reason: 'collection.unknown_account',
      });
      expect(rejected).toMatchObject({
        treasuryStatus: 'rejected',
        treasuryReason: 'collection.unknown_account',
        remittedAt: null,
      });
      expect(await store.fees.markRemitted('05152', [payment.id], '2026-03-01T10:00:00+07:00', 'u')).toBe(1);
      const later = await store.fees.recordTreasuryAnswer(payment.id, {
        recordId: 'R',
        status: 'credited',
        creditedAt: '2026-03-02T10:00:00+07:00',
        treasuryReference: 'KB2',
      });
      expect(later).toMatchObject({
        treasuryStatus: 'credited',
        treasuryReason: null,
        remittedAt: '2026-03-01T10:00:00+07:00',
        creditedAt: '2026-03-02T10:00:00+07:00',
      });
    });
  });
}

suite('PGlite (embedded)', () =>
  openStore({ inMemory: true, dataDir: '/tmp/motcua-store-fees-treasury-test' }));

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  if (!pg) return undefined;
  return openStore({ databaseUrl: await pg.createDatabase('motcua_store_fees_treasury_test') });
});
afterAll(async () => {
  await pg?.stop();
});
