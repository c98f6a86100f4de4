import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCatalogue } from '@motcua/procedures';
import { openStore } from '@motcua/store';
import { startPaymentSimulator } from '@motcua/treasury/testing';
import { describe, expect, it } from 'vitest';
import { silentLogger } from './log.js';
import { startServer } from './server.js';
import { login } from './test-support.js';

const PASSWORD = 'một-mật-khẩu-dài-thử';

describe('a national system failing answers 503 (worth a retry) or 502 (it refused), never 400', () => {
  it('asking the payment platform for a VietQR: line down → 503 naming the failure, refused → 502; nothing recorded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-upstream-'));
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
        .filter((p) => p.code === '2.000815'),
    );
    await setup.createUser({
      username: 'tiepnhan.vanson',
      fullName: 'Tiếp nhận Xã Vân Sơn',
      password: PASSWORD,
      roles: [{ role: 'receptionist', unitCode: '05152' }],
    });
    await setup.close();
    // A platform that knows another client: every call of the app is refused (401).
    const refusing = await startPaymentSimulator({ auth: { clients: { other: 'other-secret' } } });
    const attempt = async (baseUrl: string, tokenUrl?: string) => {
      const server = await startServer({
        port: 0,
        dataDir,
        demo: false,
        worker: false,
        log: silentLogger,
        integrations: {
          payment: {
            baseUrl,
            ...(tokenUrl ? { oauth2: { tokenUrl, clientId: 'motcua', clientSecret: 'wrong-secret' } } : {}),
            callbackSecret: 'whsec_0123456789abcdef',
          },
        },
      });
      try {
        const { headers } = await login(server.url, 'tiepnhan.vanson', PASSWORD);
        const intake = await fetch(`${server.url}/api/units/05152/dossiers`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            procedureCode: '2.000815',
            applicant: { kind: 'person', person: { fullName: 'Phạm Thị Mẫu' } },
            form: { fee: { documents: [{ pages: 5, copies: 2 }] } },
          }),
        });
        expect(intake.status).toBe(201);
        const { dossier } = (await intake.json()) as { dossier: { id: string } };
        const r = await fetch(`${server.url}/api/dossiers/${dossier.id}/fee/vietqr`, {
          method: 'POST',
          headers,
          body: '{}',
        });
        const body = (await r.json()) as { code: string };
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        expect(await server.store.fees.payments(dossier.id)).toEqual([]);
        return { status: r.status, code: body.code };
      } finally {
        await server.close();
      }
    };
    try {
      // Nothing listens on the port any more: the line is down.
      const closed = await startPaymentSimulator();
      const down = closed.url;
      await closed.close();
      expect(await attempt(down)).toEqual({ status: 503, code: 'http.network' });
      const refused = await attempt(refusing.url, refusing.tokenUrl);
      expect(refused.status).toBe(502);
      expect(refused.code).toMatch(/^http\./);
    } finally {
      await refusing.close();
    }
  }, 60_000);
});
