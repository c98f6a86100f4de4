import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCms } from './cms.js';
import {
  createCscClient,
  createCscProvider,
  cscAuthorizeUrl,
  cscExchangeCode,
  mapCscError,
} from './csc-client.js';
import { SignatureError } from './errors.js';
import { providerSigner } from './provider.js';
import { type CscSimulator, startCscSimulator } from './testing/csc-simulator.js';
import { verifyCms } from './verify-cms.js';

const digest = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());
const data = new TextEncoder().encode('Kết quả giải quyết hồ sơ (giả lập)');

let sim: CscSimulator;
let clock = Date.parse('2025-09-01T03:00:00Z');
beforeAll(async () => {
  sim = await startCscSimulator({ seed: 'csc-test', now: () => new Date(clock), sadTtlSec: 60 });
});
afterAll(() => sim.close());

const client = () => createCscClient({ baseUrl: sim.url, auth: sim.oauth2, retry: false });
const cred = (id: string) => {
  const c = sim.credentials.find((x) => x.credentialID === id);
  if (!c) throw new Error(id);
  return c;
};
const errorOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SignatureError);
  return e as SignatureError;
};

describe('CSC simulator and client', () => {
  it('info is public and describes the service', async () => {
    const info = await client().info();
    expect(info.specs).toBe('2.0.0.2');
    expect(info.methods).toContain('signatures/signHash');
    expect(info.authType).toEqual(['oauth2client', 'oauth2code']);
  });

  it('refuses calls without a token', async () => {
    const anonymous = createCscClient({ baseUrl: sim.url, retry: false });
    const e = await anonymous.listCredentials({ userID: 'officer-an' }).catch((x: unknown) => x);
    expect((e as { code: string }).code).toBe('http.status_401');
  });

  it('credentials/list needs a userID under service authorization, and lists only that user', async () => {
    const c = client();
    expect((await c.listCredentials({ userID: 'officer-an' })).credentialIDs).toEqual(['cred-rsa-an']);
    const e = await errorOf(c.listCredentials({}));
    expect(e.code).toBe('signature.remote_request_invalid');
    expect(e.details.field).toBe('userID');
    const withInfo = await c.listCredentials({ userID: 'officer-binh', credentialInfo: true });
    expect(withInfo.credentialInfos?.[0]?.auth?.expression).toBe('PIN AND OTP');
    expect((await c.listCredentials({ userID: 'officer-em', onlyValid: true })).credentialIDs).toEqual([]);
  });

  it('credentials/info gives the certificate chain, key status and auth mode', async () => {
    const c = client();
    const info = await c.credentialInfo('cred-rsa-an', 'chain');
    expect(info.cert?.certificates).toHaveLength(2);
    expect(info.key.status).toBe('enabled');
    expect(info.key.len).toBe(2048);
    expect(info.auth?.mode).toBe('explicit');
    expect((await c.credentialInfo('cred-ec-em')).key.status).toBe('disabled');
    expect((await c.credentialInfo('cred-ec-dung')).cert?.status).toBe('expired');
    expect((await c.credentialInfo('cred-ec-cuong')).cert?.status).toBe('revoked');
    expect((await errorOf(c.credentialInfo('cred-nobody'))).code).toBe('signature.credential_unknown');
  });

  it('authorize + signHash: a SAD good for the listed hashes only, N times', async () => {
    const c = client();
    const h1 = digest('one');
    const h2 = digest('two');
    const sad = await c.authorize({
      credentialID: 'cred-rsa-an',
      hashes: [h1, h2],
      pin: cred('cred-rsa-an').pin,
    });
    expect(sad.expiresIn).toBe(60);
    const other = await errorOf(
      c.signHash({
        credentialID: 'cred-rsa-an',
        sad,
        hashes: [digest('three')],
        algorithm: 'RSASSA-PKCS1-v1_5',
      }),
    );
    expect(other.code).toBe('signature.remote_request_invalid');
    expect(other.details.field).toBe('hashes');
    const [s1] = await c.signHash({
      credentialID: 'cred-rsa-an',
      sad,
      hashes: [h1],
      algorithm: 'RSASSA-PKCS1-v1_5',
    });
    expect(s1?.length).toBe(256);
    const [s2] = await c.signHash({
      credentialID: 'cred-rsa-an',
      sad,
      hashes: [h2],
      algorithm: 'RSASSA-PKCS1-v1_5',
    });
    expect(s2?.length).toBe(256);
    const used = await errorOf(
      c.signHash({ credentialID: 'cred-rsa-an', sad, hashes: [h1], algorithm: 'RSASSA-PKCS1-v1_5' }),
    );
    expect(used.code).toBe('signature.sad_exhausted');
  });

  it('a SAD expires', async () => {
    const c = client();
    const h = digest('late');
    const sad = await c.authorize({ credentialID: 'cred-rsa-an', hashes: [h], pin: cred('cred-rsa-an').pin });
    clock += 61_000;
    const e = await errorOf(
      c.signHash({ credentialID: 'cred-rsa-an', sad, hashes: [h], algorithm: 'RSASSA-PKCS1-v1_5' }),
    );
    expect(e.code).toBe('signature.sad_expired');
    expect(e.localized.vi).toMatch(/hết hạn/);
  });

  it('a wrong PIN says how many tries are left, then locks', async () => {
    const sim2 = await startCscSimulator({ seed: 'csc-test', maxPinTries: 2 });
    try {
      const c = createCscClient({ baseUrl: sim2.url, auth: sim2.oauth2, retry: false });
      const h = [digest('x')];
      const first = await errorOf(c.authorize({ credentialID: 'cred-rsa-an', hashes: h, pin: '000000x' }));
      expect(first.code).toBe('signature.pin_invalid');
      expect(first.details.triesLeft).toBe(1);
      expect(first.localized.vi).toMatch(/Còn 1 lần thử/);
      const second = await errorOf(c.authorize({ credentialID: 'cred-rsa-an', hashes: h, pin: '000000x' }));
      expect(second.code).toBe('signature.pin_locked');
      const right = await errorOf(
        c.authorize({ credentialID: 'cred-rsa-an', hashes: h, pin: sim2.credentials[0]?.pin ?? '' }),
      );
      expect(right.code).toBe('signature.pin_locked');
    } finally {
      await sim2.close();
    }
  });

  it('PIN + OTP: sendOTP delivers a code, a wrong or reused one is refused', async () => {
    const c = client();
    const h = [digest('otp')];
    const pin = cred('cred-ec-binh').pin;
    expect(
      (await errorOf(c.authorize({ credentialID: 'cred-ec-binh', hashes: h, pin, otp: '123' }))).code,
    ).toBe('signature.otp_invalid');
    await c.sendOtp('cred-ec-binh');
    const otp = sim.lastOtp('cred-ec-binh') ?? '';
    expect(otp).toMatch(/^\d{6}$/);
    const sad = await c.authorize({ credentialID: 'cred-ec-binh', hashes: h, pin, otp });
    const [sig] = await c.signHash({ credentialID: 'cred-ec-binh', sad, hashes: h, algorithm: 'ECDSA-P256' });
    expect(sig?.[0]).toBe(0x30);
    expect((await errorOf(c.authorize({ credentialID: 'cred-ec-binh', hashes: h, pin, otp }))).code).toBe(
      'signature.otp_invalid',
    );
    expect((await errorOf(c.sendOtp('cred-rsa-an'))).code).toBe('signature.remote_request_invalid');
  });

  it('disabled, expired and revoked credentials cannot authorize', async () => {
    const c = client();
    const h = [digest('no')];
    const cases = [
      ['cred-ec-em', 'signature.credential_disabled'],
      ['cred-ec-dung', 'signature.certificate_expired'],
      ['cred-ec-cuong', 'signature.certificate_revoked'],
    ] as const;
    for (const [id, code] of cases) {
      const e = await errorOf(c.authorize({ credentialID: id, hashes: h, pin: cred(id).pin }));
      expect(e.code).toBe(code);
      expect(e.localized.vi.length).toBeGreaterThan(10);
    }
  });

  it('validates inputs before calling, naming the field', async () => {
    const c = client();
    const e = await errorOf(
      c.authorize({ credentialID: 'cred-rsa-an', hashes: [new Uint8Array(5)], pin: '1' }),
    );
    expect(e.code).toBe('signature.invalid_input');
    expect(e.details.field).toBe('hashes');
    expect((await errorOf(c.credentialInfo(''))).details.field).toBe('credentialID');
  });

  it('the server checks the signing algorithm and the hash algorithm', async () => {
    const c = client();
    const h = [digest('alg')];
    const sad = await c.authorize({ credentialID: 'cred-rsa-an', hashes: h, pin: cred('cred-rsa-an').pin });
    const e = await errorOf(
      c.signHash({ credentialID: 'cred-rsa-an', sad, hashes: h, algorithm: 'ECDSA-P256' }),
    );
    expect(e.details.field).toBe('signAlgo');
  });

  it('authorization code with PKCE gives a user-bound token that lists only that user', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://127.0.0.1:9/callback';
    const url = cscAuthorizeUrl(sim.url, {
      clientId: 'test-client',
      redirectUri,
      state: 'st-1',
      codeChallenge: challenge,
      loginHint: 'officer-binh',
    });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') ?? '';
    const bad = await errorOf(
      cscExchangeCode(sim.url, {
        code,
        clientId: 'test-client',
        clientSecret: 'test-secret',
        redirectUri,
        codeVerifier: 'wrong',
      }),
    );
    expect(bad.code).toBe('signature.access_denied');
    // The code was spent by the failed attempt: ask again.
    const res2 = await fetch(url, { redirect: 'manual' });
    const code2 = new URL(res2.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const { accessToken } = await cscExchangeCode(sim.url, {
      code: code2,
      clientId: 'test-client',
      clientSecret: 'test-secret',
      redirectUri,
      codeVerifier: verifier,
    });
    const user = createCscClient({
      baseUrl: sim.url,
      auth: { type: 'bearer', token: accessToken },
      retry: false,
    });
    expect((await user.listCredentials()).credentialIDs).toEqual(['cred-ec-binh']);
    expect((await errorOf(user.listCredentials({ userID: 'officer-an' }))).details.field).toBe('userID');
    expect((await errorOf(user.credentialInfo('cred-rsa-an'))).code).toBe('signature.credential_unknown');
  });

  it('a CSC credential signs a CMS that verifies, through the SigningProvider interface', async () => {
    const provider = createCscProvider(client(), { authData: async (id) => ({ pin: cred(id).pin }) });
    const signer = await providerSigner(provider, 'cred-rsa-an');
    const cms = await signCms(data, signer);
    const report = await verifyCms(cms, data, { trustAnchors: [sim.pki.root.der], revocation: 'none' });
    expect(report.failures).toEqual([]);
    expect(report.signer?.subject).toContain('Nguyễn Văn An');
  });

  it('survives seeded faults thanks to retries and idempotency keys', async () => {
    const c = createCscClient({
      baseUrl: sim.url,
      auth: sim.oauth2,
      retry: { limit: 8, baseDelayMs: 1, maxDelayMs: 5 },
      circuit: false,
    });
    // The token first: @motcua/http's token source does not retry a dropped token call.
    await c.listCredentials({ userID: 'officer-an' });
    sim.http.setFaults({ failureRate: 0.3, dropRate: 0.2, retryAfterSec: 0, seed: 5 });
    try {
      for (let i = 0; i < 5; i++) {
        const h = [digest(`fault-${i}`)];
        const sad = await c.authorize({
          credentialID: 'cred-rsa-an',
          hashes: h,
          pin: cred('cred-rsa-an').pin,
        });
        const [s] = await c.signHash({
          credentialID: 'cred-rsa-an',
          sad,
          hashes: h,
          algorithm: 'RSASSA-PKCS1-v1_5',
        });
        expect(s?.length).toBe(256);
      }
      expect(sim.http.stats.faults.failed + sim.http.stats.faults.dropped).toBeGreaterThan(0);
    } finally {
      sim.http.setFaults({});
    }
  });

  it('is deterministic from the seed', async () => {
    const again = await startCscSimulator({
      seed: 'csc-test',
      now: () => new Date(Date.parse('2025-09-01T03:00:00Z')),
    });
    try {
      expect(again.credentials.map((c) => c.pin)).toEqual(sim.credentials.map((c) => c.pin));
      expect(again.pki.root.der).toEqual(sim.pki.root.der);
    } finally {
      await again.close();
    }
  });
});

describe('mapCscError', () => {
  it.each([
    [400, 'invalid_pin', 'PIN invalid', 'signature.pin_invalid'],
    [400, 'invalid_otp', 'OTP invalid', 'signature.otp_invalid'],
    [400, 'invalid_request', 'Invalid parameter SAD', 'signature.sad_expired'],
    [400, 'invalid_request', 'Invalid parameter credentialID', 'signature.credential_unknown'],
    [401, 'invalid_token', 'expired token', 'signature.access_denied'],
    [503, 'server_error', 'down', 'signature.remote_unavailable'],
    [
      400,
      'invalid_request',
      'Missing (or invalid type) integer parameter numSignatures',
      'signature.remote_request_invalid',
    ],
  ])('%i %s "%s" → %s', (status, error, description, code) => {
    const e = mapCscError(status, { error, error_description: description });
    expect(e.code).toBe(code);
    expect(e.localized.vi).not.toBe(e.localized.en);
  });
});
