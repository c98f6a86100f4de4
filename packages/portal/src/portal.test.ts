import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '@motcua/http';
import { FileOutboxStore } from '@motcua/http/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortalClient, createPortalSync, type PortalError } from './client.js';
import type { OnlineDossier } from './schemas.js';
import { sampleOnlineDossier, startPortalSimulator } from './testing/simulator.js';

const closers: { close: () => Promise<void> | void }[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c.close();
});
const fast = { sleep: async () => {}, random: () => 0 };
async function portal(options: Parameters<typeof startPortalSimulator>[0] = {}) {
  const sim = await startPortalSimulator(options);
  closers.push(sim);
  const client = createPortalClient({ baseUrl: sim.url, auth: sim.oauth2, unitCode: '05152', ...fast });
  return { sim, client };
}
const dossier = (n: number, submittedAt: string): OnlineDossier => ({
  ...sampleOnlineDossier(n),
  submittedAt,
});

describe('portal client against the simulator', () => {
  it('pulls online dossiers page by page with a stable cursor, only the unit’s own', async () => {
    const { sim, client } = await portal({ generated: 7 });
    sim.file(sampleOnlineDossier(99, '05155'));
    const seen: string[] = [];
    let cursor: string | undefined;
    for await (const page of client.allDossiers()) {
      seen.push(...page.dossiers.map((d) => d.portalId));
      if (page.dossiers.length) cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.every((id) => id.startsWith('DVC-05152-'))).toBe(true);
    // Nothing new: the saved cursor gives an empty page; a new dossier comes next.
    expect((await client.pullDossiers({ cursor: cursor! })).dossiers).toHaveLength(0);
    sim.file(sampleOnlineDossier(8));
    expect((await client.pullDossiers({ cursor: cursor! })).dossiers.map((d) => d.portalId)).toEqual([
      'DVC-05152-0000008',
    ]);
  });

  it('the same page however often a pull is retried on a bad line', async () => {
    const { sim } = await portal({ generated: 30, faults: { dropRate: 0.3, malformedRate: 0.1, seed: 4 } });
    const client = createPortalClient({
      baseUrl: sim.url,
      auth: sim.oauth2,
      unitCode: '05152',
      retry: { limit: 10 },
      circuit: false,
      ...fast,
    });
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await client
        .pullDossiers({ limit: 4, ...(cursor ? { cursor } : {}) })
        .catch(() => undefined);
      if (!page) continue; // a malformed body: pull again from the same cursor
      ids.push(...page.dossiers.map((d) => d.portalId));
      cursor = page.nextCursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(sim.stats.faults.dropped + sim.stats.faults.malformed).toBeGreaterThan(0);
  });

  it('receives a signed push; refuses a bad signature, a replay and another unit’s dossier', async () => {
    const { sim } = await portal();
    const client = createPortalClient({
      baseUrl: sim.url,
      auth: sim.oauth2,
      unitCode: '05152',
      pushSecret: 'whsec_portal',
    });
    const got: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', async () => {
        try {
          got.push(await client.receivePush(body, req.headers['x-portal-signature'] as string | undefined));
          res.writeHead(200).end();
        } catch (e) {
          res.writeHead(400).end((e as { code: string }).code);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const d = sampleOnlineDossier(1);
    expect((await sim.push(d, endpoint, 'whsec_portal')).status).toBe(200);
    const wrong = await sim.push(sampleOnlineDossier(2), endpoint, 'not-the-secret');
    expect([wrong.status, await wrong.text()]).toEqual([400, 'webhook.signature']);
    const other = await sim.push(sampleOnlineDossier(3, '05155'), endpoint, 'whsec_portal');
    expect(await other.text()).toBe('portal.dossier.other_unit');
    expect(got).toEqual([d]);
    // A replay of the same signed request is refused.
    const body = JSON.stringify(sampleOnlineDossier(4));
    const { signWebhookPayload } = await import('@motcua/http');
    const header = await signWebhookPayload(body, 'whsec_portal');
    await client.receivePush(body, header);
    await expect(client.receivePush(body, header)).rejects.toMatchObject({ code: 'webhook.replay' });
  });

  it('the 8-working-hour receipt deadline (Decree 118/2025 Art. 17.2) skips the night, the weekend and Tết', async () => {
    const client = createPortalClient({ baseUrl: 'http://127.0.0.1:9/', unitCode: '05152' });
    // Friday 15:00: 2.5 hours that day, then Monday from 07:30.
    const fri = client.receiptDeadline({ submittedAt: '2026-12-04T15:00:00+07:00' });
    expect(fri.deadline.slice(0, 10)).toBe('2026-12-07');
    expect(fri.isLate('2026-12-07T08:00:00+07:00')).toBe(false);
    expect(fri.isLate('2026-12-07T17:00:00+07:00')).toBe(true);
    // Filed on Saturday night: counted from Monday's start, due by Monday's end.
    const sat = client.receiptDeadline({ submittedAt: '2026-12-05T22:00:00+07:00' });
    expect(sat.deadline.slice(0, 10)).toBe('2026-12-07');
    // Filed on the eve of Tết Bính Ngọ (Friday 13 Feb 2026, 16:00): due after the holiday.
    const tet = client.receiptDeadline({ submittedAt: '2026-02-13T16:00:00+07:00' });
    expect(tet.deadline.slice(0, 10)).toBe('2026-02-23');
  });

  it('pushes every event in order per dossier through the outbox, once, despite drops and a crash', async () => {
    const { sim } = await portal({ faults: { dropRate: 0.35, failureRate: 0.1, retryAfterSec: 0, seed: 8 } });
    const client = createPortalClient({
      baseUrl: sim.url,
      auth: sim.oauth2,
      unitCode: '05152',
      retry: { limit: 1 },
      circuit: false,
      ...fast,
    });
    const path = join(mkdtempSync(join(tmpdir(), 'motcua-portal-')), 'outbox.jsonl');
    const now = Date.now();
    const dossiers = [1, 2, 3].map((n) => dossier(n, new Date(now - 3_600_000).toISOString()));
    for (const d of dossiers) sim.file(d);
    let store = new FileOutboxStore(path);
    let sync = createPortalSync(
      client,
      new Outbox({
        store,
        deliver: (m) => sync.deliver(m),
        baseDelayMs: 1,
        maxDelayMs: 5,
        concurrency: 3,
        maxAttempts: 50,
      }),
    );
    const at = (min: number) => new Date(now + min * 60_000).toISOString();
    for (const [i, d] of dossiers.entries()) {
      const code = `HS-05152-2026-00000${i + 1}`;
      const ack = await sync.acknowledge(d, { dossierCode: code, at: at(1), appointment: at(60 * 24 * 3) });
      expect(ack.late).toBe(false);
      await sync.publish(d.portalId, {
        dossierCode: code,
        sequence: 2,
        event: { type: 'transferred', at: at(2), step: 'thẩm định' },
      });
      await sync.publish(d.portalId, {
        dossierCode: code,
        sequence: 3,
        event: { type: 'resolved', at: at(3) },
      });
      await sync.publish(d.portalId, {
        dossierCode: code,
        sequence: 4,
        event: { type: 'returned', at: at(4) },
        result: { documentCode: `${d.applicant.personalId}.KS` },
      });
    }
    // Half the work, then the process "dies" (the store is reopened from its journal).
    const outbox1 = new Outbox({
      store,
      deliver: (m) => sync.deliver(m),
      baseDelayMs: 1,
      maxDelayMs: 5,
      concurrency: 3,
      maxAttempts: 50,
    });
    await outbox1.runOnce();
    store.close();
    store = new FileOutboxStore(path);
    const outbox2 = new Outbox({
      store,
      deliver: (m) => sync.deliver(m),
      baseDelayMs: 1,
      maxDelayMs: 5,
      concurrency: 3,
      maxAttempts: 50,
    });
    sync = createPortalSync(client, outbox2);
    for (let i = 0; i < 200 && (await outbox2.stats()).pending > 0; i++) {
      await outbox2.runOnce();
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await outbox2.stats()).toMatchObject({ pending: 0, delivered: 12, dead: 0 });
    store.close();
    for (const d of dossiers) {
      const t = sim.tracked(d.portalId)!;
      expect(t.events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
      expect(t.status).toBe('returned');
      expect(t.receiptLate).toBe(false);
    }
    expect(sim.score).toMatchObject({ receipts: 3, lateReceipts: 0, results: 6 });
    expect(sim.stats.faults.dropped).toBeGreaterThan(0);
  });

  it('the Portal’s rules: order, receipt first, one supplement request; a late receipt is scored late', async () => {
    const { sim, client } = await portal();
    const d = dossier(1, '2026-12-01T09:00:00+07:00');
    sim.file(d);
    const code = 'HS-05152-2026-000001';
    const refuse = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: PortalError) => e.code,
      );
    expect(
      await refuse(
        client.pushEvent(d.portalId, {
          dossierCode: code,
          sequence: 1,
          event: { type: 'resolved', at: '2026-12-01T10:00:00+07:00' },
        }),
      ),
    ).toBe('portal.receipt.first');
    expect(
      await refuse(
        client.pushEvent(d.portalId, {
          dossierCode: code,
          sequence: 2,
          event: { type: 'accepted', at: '2026-12-01T10:00:00+07:00' },
        }),
      ),
    ).toBe('portal.event.out_of_order');
    // Official receipt on 3 December: more than 8 working hours after 1 December 09:00.
    const view = await client.pushEvent(d.portalId, {
      dossierCode: code,
      sequence: 1,
      event: {
        type: 'supplementRequested',
        at: '2026-12-03T09:00:00+07:00',
        reasons: ['Thiếu bản chụp giấy chứng sinh'],
      },
    });
    expect(view).toMatchObject({ status: 'waitingForSupplement', receiptLate: true, lastSequence: 1 });
    await client.pushEvent(d.portalId, {
      dossierCode: code,
      sequence: 2,
      event: { type: 'supplementReceived', at: '2026-12-03T14:00:00+07:00' },
    });
    const second = await refuse(
      client.pushEvent(d.portalId, {
        dossierCode: code,
        sequence: 3,
        event: { type: 'supplementRequested', at: '2026-12-03T15:00:00+07:00', reasons: ['Khác'] },
      }),
    );
    expect(second).toBe('portal.supplement.already_requested');
    expect(sim.score).toMatchObject({ receipts: 1, lateReceipts: 1, supplements: 1 });
    expect((await client.view(d.portalId)).status).toBe('processing');
  });
});
