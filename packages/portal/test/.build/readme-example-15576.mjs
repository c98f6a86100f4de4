// test/.build/readme-example.ts
import { MemoryOutboxStore, Outbox } from '@motcua/http';
import { createPortalClient, createPortalSync } from '@motcua/portal';
import { startPortalSimulator } from '@motcua/portal/testing';

var sim = await startPortalSimulator({ generated: 5, faults: { dropRate: 0.2, seed: 3 } });
var portal = createPortalClient({
  baseUrl: sim.url,
  auth: sim.oauth2,
  unitCode: '05152',
  retry: { limit: 5 },
});
var page = await portal.pullDossiers();
var d = page.dossiers[0];
var { deadline } = portal.receiptDeadline(d);
var outbox = new Outbox({ store: new MemoryOutboxStore(), deliver: (m) => sync.deliver(m), baseDelayMs: 10 });
var sync = createPortalSync(portal, outbox);
var code = 'HS-05152-2026-000123';
var now = /* @__PURE__ */ new Date().toISOString();
var { late } = await sync.acknowledge(d, { dossierCode: code, at: now });
await sync.publish(d.portalId, { dossierCode: code, sequence: 2, event: { type: 'resolved', at: now } });
while ((await outbox.stats()).pending > 0) {
  await outbox.runOnce();
  await new Promise((r) => setTimeout(r, 20));
}
console.log({ deadline, late, portal: await portal.view(d.portalId) });
await sim.close();
console.log('README example: ran to the end');
