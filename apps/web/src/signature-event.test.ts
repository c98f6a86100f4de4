import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCatalogue } from '@motcua/procedures';
import { startCscSimulator } from '@motcua/signature/testing';
import { openStore, SigningStore, type Store } from '@motcua/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from './log.js';
import { type RunningServer, startServer } from './server.js';
import { login } from './test-support.js';

const PASSWORD = 'một-mật-khẩu-dài-thử';

describe('a signature and its `signed` event are written together', () => {
  let csc: Awaited<ReturnType<typeof startCscSimulator>>;
  let server: RunningServer;
  beforeAll(async () => {
    csc = await startCscSimulator({ seed: 'signature-event' });
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-signature-event-'));
    const setup = await openStore({ dataDir });
    await setup.upsertUnit({
      code: '05152',
      name: 'Xã Vân Sơn',
      provinceCode: '25',
      agencyCode: 'H25.X05152',
    });
    await setup.upsertProcedures(
      '05152',
      seedCatalogue()
        .at('2026-12-01')
        .filter((p) => p.code === '1.004873'),
    );
    const officer = await setup.createUser({
      username: 'chuyenvien.vanson',
      fullName: 'Chuyên viên Xã Vân Sơn',
      password: PASSWORD,
      roles: [
        { role: 'receptionist', unitCode: '05152' },
        { role: 'specialist', unitCode: '05152' },
      ],
    });
    const cred = csc.credentials.find((c) => c.credentialID === 'cred-rsa-an')!;
    await new SigningStore(setup.db).setCredential({
      userId: officer.id,
      unitCode: '05152',
      provider: 'csc',
      credentialId: cred.credentialID,
      certificate: cred.certificate,
      actor: 'test',
    });
    await setup.close();
    server = await startServer({
      port: 0,
      dataDir,
      demo: false,
      worker: false,
      log: silentLogger,
      integrations: {
        signing: {
          csc: {
            baseUrl: csc.url,
            oauth2: {
              tokenUrl: csc.tokenUrl,
              clientId: csc.oauth2.clientId,
              clientSecret: csc.oauth2.clientSecret,
            },
          },
          trustAnchors: [
            `-----BEGIN CERTIFICATE-----\n${Buffer.from(csc.pki.root.der).toString('base64')}\n-----END CERTIFICATE-----`,
          ],
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await csc?.close();
  });

  it('a failure after the signature is written (a process killed there) leaves neither: the retry signs once, with one event', async () => {
    const { headers } = await login(server.url, 'chuyenvien.vanson', PASSWORD);
    const intake = await fetch(`${server.url}/api/units/05152/dossiers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        procedureCode: '1.004873',
        applicant: { kind: 'person', person: { fullName: 'Nguyễn Thị Mẫu' } },
      }),
    });
    const { dossier } = (await intake.json()) as { dossier: { id: string } };

    // The `signed` event's transaction fails after everything in it was written (as a process killed
    // before its commit would leave it).
    const store = server.store as Store;
    const appendEvent = store.appendEvent.bind(store);
    let failNext = true;
    store.appendEvent = (id, event, actor, options = {}) =>
      appendEvent(id, event, actor, {
        ...options,
        within: async (tx, d) => {
          await options.within?.(tx, d);
          if (event.type === 'signed' && failNext) {
            failNext = false;
            throw new Error('the process died before the commit');
          }
        },
      });
    const sign = () =>
      fetch(`${server.url}/api/dossiers/${dossier.id}/signatures`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          purpose: 'result',
          step: 'specialist',
          pin: csc.credentials.find((c) => c.credentialID === 'cred-rsa-an')!.pin,
        }),
      });
    const signing = new SigningStore(store.db);
    const signedEvents = async () =>
      (await store.events(dossier.id)).filter((e) => e.event.type === 'signed').length;
    try {
      expect((await sign()).status).toBe(500);
      expect(await signing.signedDocuments(dossier.id)).toEqual([]);
      expect(await signedEvents()).toBe(0);

      const retry = await sign();
      expect(retry.status).toBe(201);
      const docs = await signing.signedDocuments(dossier.id);
      expect(docs).toHaveLength(1);
      expect(docs[0]!.signatures.map((s) => s.step)).toEqual(['specialist']);
      expect(await signedEvents()).toBe(1);
    } finally {
      store.appendEvent = appendEvent;
    }
  }, 60_000);
});
