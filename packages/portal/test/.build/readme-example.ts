import { MemoryOutboxStore, Outbox } from '@motcua/http';
import { createPortalClient, createPortalSync } from '@motcua/portal';
import { startPortalSimulator } from '@motcua/portal/testing';

const sim = await startPortalSimulator({ generated: 5, faults: { dropRate: 0.2, seed: 3 } });
const portal = createPortalClient({
  baseUrl: sim.url,
  auth: sim.oauth2,
  unitCode: '05152',
  retry: { limit: 5 },
});

// 1. Pull what arrived since the saved cursor (the same cursor gives the same page: safe to retry).
const page = await portal.pullDossiers();
const d = page.dossiers[0]!;
const { deadline } = portal.receiptDeadline(d); // official receipt due by this instant

// 2. Confirm receipt and push the rest of the life, durably (a FileOutboxStore survives kill -9).
const outbox = new Outbox({
  store: new MemoryOutboxStore(),
  deliver: (m) => sync.deliver(m),
  baseDelayMs: 10,
});
const sync = createPortalSync(portal, outbox);
const code = 'HS-05152-2026-000123';
const now = new Date().toISOString();
const { late } = await sync.acknowledge(d, { dossierCode: code, at: now });
await sync.publish(d.portalId, { dossierCode: code, sequence: 2, event: { type: 'resolved', at: now } });
while ((await outbox.stats()).pending > 0) {
  await outbox.runOnce();
  await new Promise((r) => setTimeout(r, 20));
}
console.log({ deadline, late, portal: await portal.view(d.portalId) }); // status 'resultReady'
await sim.close();

console.log('README example: ran to the end');
