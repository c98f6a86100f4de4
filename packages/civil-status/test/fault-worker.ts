// A delivery worker for the fault test: drains the outbox journal into the civil-status simulator.
// Started, SIGKILLed at random points and restarted by src/fault.test.ts.

import { Outbox } from '@motcua/http';
import { FileOutboxStore } from '@motcua/http/node';
import { createCivilStatusClient } from '../src/client.js';
import type { BirthRegistration } from '../src/schemas.js';

const [path, baseUrl, tokenUrl] = process.argv.slice(2) as [string, string, string];
const civil = createCivilStatusClient({
  baseUrl,
  auth: { type: 'oauth2', tokenUrl, clientId: 'test-client', clientSecret: 'test-secret' },
  timeoutMs: 300,
  retry: { limit: 1, baseDelayMs: 10 },
  circuit: false,
});
const ctx = { officerId: 'tp-hotich-01', communeCode: '05152' };
const store = new FileOutboxStore(path);
const outbox = new Outbox({
  store,
  concurrency: 16,
  baseDelayMs: 20,
  maxDelayMs: 400,
  maxAttempts: 40,
  deliver: async (m) => {
    await civil.registerBirth(m.payload as BirthRegistration, ctx, { idempotencyKey: m.key });
  },
});
for (;;) {
  const r = await outbox.runOnce();
  const s = await outbox.stats();
  process.stdout.write(
    `${JSON.stringify({ ...r, pending: s.pending, delivered: s.delivered, dead: s.dead })}\n`,
  );
  if (s.pending === 0) break;
  await new Promise((r) => setTimeout(r, 10));
}
store.close();
