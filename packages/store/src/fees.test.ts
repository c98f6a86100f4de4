import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { openStore, type Store } from './store.js';

const procedure = {
  code: '2.000815',
  name: { vi: 'Chứng thực bản sao từ bản chính' },
  limit: { unit: 'sameDay' as const, cutoff: '15:00' },
};
const applicant = { kind: 'person' as const, person: { fullName: 'Nguyễn Văn Mẫu' } };
const lines = [{ type: 'item', itemId: 'certified-copy', amount: 14000, legalBasis: 'TT 226/2016/TT-BTC' }];

function suite(name: string, open: () => Promise<Store | undefined>) {
  describe(`fees on ${name}`, () => {
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
    }, 60_000);
    afterAll(async () => {
      await store?.close();
    });
    const guard = () => {
      if (skip) console.warn(`*** ${name} not available: test skipped ***`);
      return skip;
    };
    const dossier = async (unitCode = '05152') =>
      (await store.createDossier({ unitCode, procedure, channel: 'direct', applicant, actor: null })).dossier;

    it('the migration 0004_fees is applied once', async () => {
      if (guard()) return;
      expect(await store.migrate()).toEqual([]);
      const names = (
        await store.db
          .selectFrom('kysely_migration' as never)
          .select('name' as never)
          .execute()
      ).map((r) => (r as { name: string }).name);
      expect(names).toContain('0004_fees');
    });

    it('a counter payment is recorded with the paid event, a receipt number, and refused the second time', async () => {
      if (guard()) return;
      const d = await dossier();
      const fee = await store.fees.setFee({
        dossierId: d.id,
        amount: 14000,
        lines,
        request: { documents: [{ pages: 5, copies: 2 }] },
        reference: 'H25X051522612030001',
        actor: 'test',
      });
      expect(fee).toMatchObject({ status: 'due', amount: 14000, unitCode: '05152' });
      await expect(
        store.fees.recordPayment({ dossierId: d.id, method: 'counter', amount: 13000, actor: 'test' }),
      ).rejects.toMatchObject({ code: 'fee.amount_mismatch', status: 409 });
      const { payment, duplicate } = await store.fees.recordPayment({
        dossierId: d.id,
        method: 'counter',
        amount: 14000,
        actor: 'test',
        officer: { id: 'u-1', name: 'Cán bộ tiếp nhận' },
      });
      expect(duplicate).toBe(false);
      expect(payment).toMatchObject({ method: 'counter', status: 'paid', paidAmount: 14000, remitBy: null });
      expect(payment.receipt?.number).toMatch(/^\d{7}$/);
      const events = await store.events(d.id);
      expect(events.at(-1)?.event).toMatchObject({ type: 'paid', amount: 14000, method: 'counter' });
      expect((await store.fees.fee(d.id))?.status).toBe('paid');
      await expect(
        store.fees.recordPayment({ dossierId: d.id, method: 'counter', amount: 14000, actor: 'test' }),
      ).rejects.toMatchObject({ code: 'fee.already_paid', status: 409 });
      expect((await store.events(d.id)).filter((e) => e.event.type === 'paid')).toHaveLength(1);
      // A paid fee is not recomputed.
      const again = await store.fees.setFee({
        dossierId: d.id,
        amount: 99000,
        lines: [],
        request: {},
        reference: 'X',
        actor: 'test',
      });
      expect(again).toMatchObject({ status: 'paid', amount: 14000 });
    });

    it('two desks collecting the same fee at once: one payment, one paid event', async () => {
      if (guard()) return;
      const d = await dossier();
      await store.fees.setFee({
        dossierId: d.id,
        amount: 8000,
        lines,
        request: {},
        reference: 'R2',
        actor: 't',
      });
      const results = await Promise.allSettled(
        [1, 2, 3].map(() =>
          store.fees.recordPayment({ dossierId: d.id, method: 'counter', amount: 8000, actor: 't' }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'fee.already_paid' });
      expect(await store.fees.payments(d.id)).toHaveLength(1);
      expect((await store.events(d.id)).filter((e) => e.event.type === 'paid')).toHaveLength(1);
    });

    it('a platform callback settles the pending payment once: a repeat of its event ID changes nothing', async () => {
      if (guard()) return;
      const d = await dossier('26740');
      await store.fees.setFee({
        dossierId: d.id,
        amount: 10000,
        lines,
        request: {},
        reference: 'R3',
        actor: 't',
      });
      const asked = await store.fees.requestPayment({
        dossierId: d.id,
        method: 'vietqr',
        amount: 10000,
        reference: 'R3',
        platformPaymentId: `PAY-${d.id}`,
        vietQr: '000201…',
        expiresAt: '2026-12-03T10:15:00+07:00',
        actor: 't',
      });
      expect(asked.status).toBe('pending');
      const account = await store.fees.collectingAccount('26740');
      expect(account).toEqual({
        account: '0111/3511.1.1234567',
        holder: 'Phường Sài Gòn',
        designated: false,
      });
      const input = {
        dossierId: d.id,
        method: 'vietqr' as const,
        amount: 10000,
        paidAt: '2026-12-03T16:30:00+07:00',
        platformPaymentId: `PAY-${d.id}`,
        transactionId: 'FT1',
        inbox: { source: 'payment', eventId: `PAY-${d.id}:payment.paid` },
        account: account!,
        remitBy: '2026-12-04T16:30:00+07:00',
        actor: null,
      };
      const first = await store.fees.recordPayment(input);
      const second = await store.fees.recordPayment(input);
      expect(first.duplicate).toBe(false);
      expect(second.duplicate).toBe(true);
      expect(second.payment).toEqual(first.payment);
      expect(first.payment).toMatchObject({
        id: asked.id,
        status: 'paid',
        treasuryAccount: '0111/3511.1.1234567',
        designatedAccount: false,
        remitBy: '2026-12-04T16:30:00+07:00',
      });
      expect(await store.fees.payments(d.id)).toHaveLength(1);
      expect((await store.events(d.id)).filter((e) => e.event.type === 'paid')).toHaveLength(1);
      const day = await store.fees.paymentsOfDay('26740', '2026-12-03');
      expect(day.map((p) => p.dossierCode)).toContain(d.code);
      const open = await store.fees.unremitted('26740');
      expect(open.map((p) => p.id)).toContain(asked.id);
      expect(await store.fees.markRemitted('05152', [asked.id], '2026-12-04T09:00:00+07:00', 't')).toBe(0);
      expect(await store.fees.markRemitted('26740', [asked.id], '2026-12-04T09:00:00+07:00', 't')).toBe(1);
      expect((await store.fees.unremitted('26740')).map((p) => p.id)).not.toContain(asked.id);
      const share = await store.fees.paymentShare(['26740']);
      expect(share.online).toBeGreaterThanOrEqual(1);
    });

    it('a callback with another amount is kept and flagged, the fee stays due', async () => {
      if (guard()) return;
      const d = await dossier();
      await store.fees.setFee({
        dossierId: d.id,
        amount: 10000,
        lines,
        request: {},
        reference: 'R4',
        actor: 't',
      });
      await store.fees.requestPayment({
        dossierId: d.id,
        method: 'vietqr',
        amount: 10000,
        reference: 'R4',
        platformPaymentId: `PAY-${d.id}`,
        vietQr: '000201…',
        actor: 't',
      });
      const flag = {
        platformPaymentId: `PAY-${d.id}`,
        status: 'flagged' as const,
        paidAmount: 9000,
        paidAt: '2026-12-03T09:00:00+07:00',
        flags: ['amount_mismatch'],
        inbox: { source: 'payment', eventId: `PAY-${d.id}:payment.paid` },
      };
      expect((await store.fees.flagPayment(flag)).payment).toMatchObject({
        status: 'flagged',
        paidAmount: 9000,
        flags: ['amount_mismatch'],
      });
      expect((await store.fees.flagPayment(flag)).duplicate).toBe(true);
      expect((await store.fees.fee(d.id))?.status).toBe('due');
      expect((await store.events(d.id)).some((e) => e.event.type === 'paid')).toBe(false);
    });

    it('a commune without an account collects into the province-designated one; a free fee is waived', async () => {
      if (guard()) return;
      expect(await store.fees.collectingAccount('05152')).toBeUndefined();
      await store.fees.setProvinceAccount('25', {
        account: '1769/3511',
        holder: 'Sở Tài chính tỉnh Phú Thọ',
      });
      expect(await store.fees.collectingAccount('05152')).toEqual({
        account: '1769/3511',
        holder: 'Sở Tài chính tỉnh Phú Thọ',
        designated: true,
      });
      const d = await dossier();
      const fee = await store.fees.setFee({
        dossierId: d.id,
        amount: 0,
        lines: [],
        request: {},
        reference: 'R5',
        actor: 't',
      });
      expect(fee.status).toBe('waived');
      await expect(
        store.fees.recordPayment({ dossierId: d.id, method: 'counter', amount: 0, actor: 't' }),
      ).rejects.toMatchObject({ code: 'fee.not_due' });
    });
  });
}

suite('PGlite (embedded)', () => openStore({ inMemory: true, dataDir: '/tmp/motcua-store-fees-test' }));

let pg: TestPostgres | undefined;
suite('PostgreSQL', async () => {
  pg = await startTestPostgres();
  if (!pg) return undefined;
  return openStore({ databaseUrl: await pg.createDatabase('motcua_store_fees_test') });
});
afterAll(async () => {
  await pg?.stop();
});
