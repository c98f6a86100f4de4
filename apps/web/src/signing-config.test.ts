import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCscSimulator } from '@motcua/signature/testing';
import { openStore } from '@motcua/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';
import { silentLogger } from './log.js';
import { type RunningServer, startServer } from './server.js';
import { loadTrustAnchors } from './signing.js';
import { login as signInAs } from './test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: the answers of the API under test
type Json = Record<string, any>;

const PASSWORD = 'một-mật-khẩu-dài-thử';
const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

describe('remote signing configured for production (integrations.signing in the config file)', () => {
  let csc: Awaited<ReturnType<typeof startCscSimulator>>;
  let dir: string;
  beforeAll(async () => {
    csc = await startCscSimulator({ seed: 'signing-config' });
    dir = mkdtempSync(join(tmpdir(), 'motcua-signing-config-'));
  }, 60_000);
  afterAll(async () => {
    await csc?.close();
  });

  const setUp = async (dataDir: string) => {
    const store = await openStore({ dataDir });
    await store.upsertUnit({
      code: '05152',
      name: 'Xã Vân Sơn',
      provinceCode: '25',
      agencyCode: 'H25.X05152',
    });
    const { seedCatalogue } = await import('@motcua/procedures');
    await store.upsertProcedures(
      '05152',
      seedCatalogue()
        .at('2026-12-01')
        .filter((p) => p.code === '1.004873'),
    );
    await store.createUser({
      username: 'quantri.vanson',
      fullName: 'Quản trị Xã Vân Sơn',
      password: PASSWORD,
      roles: [{ role: 'unitAdmin', unitCode: '05152' }],
    });
    const specialist = await store.createUser({
      username: 'chuyenvien.vanson',
      fullName: 'Chuyên viên Xã Vân Sơn',
      password: PASSWORD,
      roles: [
        { role: 'receptionist', unitCode: '05152' },
        { role: 'specialist', unitCode: '05152' },
      ],
    });
    await store.close();
    return specialist.id;
  };
  const login = async (server: RunningServer, username: string) =>
    (await signInAs(server.url, username, PASSWORD)).headers;
  const call = async (
    server: RunningServer,
    headers: Record<string, string>,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, body: (await r.json()) as Json };
  };

  it('the officer’s credential is read from the CSC service, the result is signed with the PIN, time-stamped, and verifies against the configured root', async () => {
    const dataDir = join(dir, 'configured');
    const specialistId = await setUp(dataDir);
    // The root as a DER file and as PEM text: both forms are accepted.
    const derFile = join(dir, 'root.der');
    writeFileSync(derFile, csc.pki.root.der);
    const file = join(dir, 'motcua.json');
    writeFileSync(
      file,
      JSON.stringify({
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
            tsaUrl: csc.pki.tsaUrl,
            level: 'B-T',
            trustAnchors: [pem(csc.pki.root.der), derFile],
          },
        },
        worker: false,
      }),
    );
    const config = configFromEnv({ MOTCUA_CONFIG: file, MOTCUA_DATA_DIR: dataDir });
    expect(config.integrations?.signing?.level).toBe('B-T');
    const server = await startServer({ ...config, port: 0, demo: false, log: silentLogger });
    try {
      const admin = await login(server, 'quantri.vanson');
      const officer = await login(server, 'chuyenvien.vanson');
      const cred = csc.credentials.find((c) => c.credentialID === 'cred-rsa-an')!;
      const setup = await call(server, admin, 'PUT', `/api/units/05152/signing/credentials/${specialistId}`, {
        provider: 'csc',
        credentialId: cred.credentialID,
      });
      expect(setup.status).toBe(200);
      expect(Date.parse(setup.body.notAfter)).toBeGreaterThan(Date.now());

      const intake = await call(server, officer, 'POST', '/api/units/05152/dossiers', {
        procedureCode: '1.004873',
        applicant: { kind: 'person', person: { fullName: 'Nguyễn Thị Mẫu' } },
      });
      expect(intake.status).toBe(201);
      const id = intake.body.dossier.id as string;
      const wrong = await call(server, officer, 'POST', `/api/dossiers/${id}/signatures`, {
        purpose: 'result',
        step: 'specialist',
        pin: cred.pin === '000000' ? '111111' : '000000',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.issues[0]).toMatchObject({ path: 'pin', code: 'signature.pin_invalid' });

      const signed = await call(server, officer, 'POST', `/api/dossiers/${id}/signatures`, {
        purpose: 'result',
        step: 'specialist',
        pin: cred.pin,
      });
      expect(signed.status).toBe(201);
      expect(signed.body.signedDocument).toMatchObject({ status: 'partial', version: 1 });
      const report = await call(server, officer, 'GET', `/api/dossiers/${id}/signatures`);
      expect(report.status).toBe(200);
      const v = report.body.documents[0].verification;
      expect(v.valid).toBe(true);
      expect(v.signatures).toHaveLength(1);
      expect(v.signatures[0].level).toBe('B-T');
    } finally {
      await server.close();
    }
  }, 120_000);

  it('without it, signing answers 503 signature.not_configured', async () => {
    const dataDir = join(dir, 'none');
    await setUp(dataDir);
    const server = await startServer({ port: 0, dataDir, demo: false, worker: false, log: silentLogger });
    try {
      const officer = await login(server, 'chuyenvien.vanson');
      const intake = await call(server, officer, 'POST', '/api/units/05152/dossiers', {
        procedureCode: '1.004873',
        applicant: { kind: 'person', person: { fullName: 'Nguyễn Thị Mẫu' } },
      });
      const r = await call(server, officer, 'POST', `/api/dossiers/${intake.body.dossier.id}/signatures`, {
        purpose: 'result',
        pin: '123456',
      });
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('signature.not_configured');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a level that needs a time-stamp without a TSA, or a trust anchor that is no certificate, is refused naming the field', () => {
    const file = join(dir, 'bad.json');
    const signing = {
      csc: { baseUrl: 'https://ky-so.example.vn/csc/v2/' },
      level: 'B-LT',
      trustAnchors: [pem(csc.pki.root.der)],
    };
    writeFileSync(file, JSON.stringify({ integrations: { signing } }));
    expect(() => configFromEnv({ MOTCUA_CONFIG: file })).toThrow(/tsaUrl/);
    writeFileSync(file, JSON.stringify({ integrations: { signing: { ...signing, trustAnchors: [] } } }));
    expect(() => configFromEnv({ MOTCUA_CONFIG: file })).toThrow(/trustAnchors/);
    // The circuit breaker of the calls to the CSC service: off, or tuned; a breaker that never closes is refused.
    const circuit = (c: unknown) => {
      writeFileSync(
        file,
        JSON.stringify({ integrations: { signing: { ...signing, level: 'B-B', circuit: c } } }),
      );
      return configFromEnv({ MOTCUA_CONFIG: file }).integrations?.signing?.circuit;
    };
    expect(circuit(false)).toBe(false);
    expect(circuit({ failures: 10, resetMs: 5000 })).toEqual({ failures: 10, resetMs: 5000 });
    expect(() => circuit({ failures: 0, resetMs: 5000 })).toThrow(/failures/);

    expect(() => loadTrustAnchors([join(dir, 'nowhere.pem')])).toThrow(/trustAnchors\[0\]: cannot read/);
    const junk = join(dir, 'junk.der');
    writeFileSync(junk, 'not a certificate');
    expect(() => loadTrustAnchors([pem(csc.pki.root.der), junk])).toThrow(
      /trustAnchors\[1\]: not an X\.509 certificate/,
    );
    expect(loadTrustAnchors([pem(csc.pki.root.der)])[0]).toEqual(new Uint8Array(csc.pki.root.der));
  });
});
