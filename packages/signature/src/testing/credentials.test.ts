// The simulators' `credentials` option: a caller's own credentials, certificates naming their holders,
// and the simulators' rules (token, PIN, OTP, user-specific tokens) as for the fixed roster.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsyncSigningProvider } from '../async-provider.js';
import { signCms } from '../cms.js';
import { createCscClient, createCscProvider } from '../csc-client.js';
import { SignatureError } from '../errors.js';
import { providerSigner } from '../provider.js';
import { verifyCms } from '../verify-cms.js';
import {
  type AsyncSigningSimulator,
  DEFAULT_ASYNC_CREDENTIALS,
  startAsyncSigningSimulator,
} from './async-simulator.js';
import { type CscSimulator, DEFAULT_CSC_CREDENTIALS, startCscSimulator } from './csc-simulator.js';
import { type SimulatedPki, startSimulatedPki } from './pki-services.js';

const data = new TextEncoder().encode('Kết quả giải quyết hồ sơ (giả lập)');
const digest = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());
const errorOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SignatureError);
  return e as SignatureError;
};

let pki: SimulatedPki;
let csc: CscSimulator;
let phone: AsyncSigningSimulator;
beforeAll(async () => {
  pki = await startSimulatedPki({ seed: 'own-credentials' });
  csc = await startCscSimulator({
    seed: 'own-credentials',
    pki,
    credentials: [
      { credentialID: 'own-ec', userID: 'chuyenvien.1', name: 'Chuyên viên Xã Thử Nghiệm', otp: true },
      { credentialID: 'own-pin', userID: 'tiepnhan.1', name: 'Cán bộ tiếp nhận Xã Thử Nghiệm', pin: '2468' },
    ],
  });
  phone = await startAsyncSigningSimulator({
    seed: 'own-credentials',
    pki,
    credentials: [{ credentialId: 'own-phone', name: 'Lãnh đạo Xã Thử Nghiệm' }],
  });
});
afterAll(async () => {
  await phone?.close();
  await csc?.close();
  await pki?.close();
});

describe('the CSC simulator with credentials of its caller', () => {
  const client = () => createCscClient({ baseUrl: csc.url, auth: csc.oauth2, retry: false });

  it('holds exactly those credentials, defaults filled in (P-256, no OTP, a seeded PIN)', async () => {
    expect(
      csc.credentials.map(({ credentialID, userID, name, kind, otp, trouble }) => ({
        credentialID,
        userID,
        name,
        kind,
        otp,
        trouble,
      })),
    ).toEqual([
      {
        credentialID: 'own-ec',
        userID: 'chuyenvien.1',
        name: 'Chuyên viên Xã Thử Nghiệm',
        kind: 'ec',
        otp: true,
        trouble: 'none',
      },
      {
        credentialID: 'own-pin',
        userID: 'tiepnhan.1',
        name: 'Cán bộ tiếp nhận Xã Thử Nghiệm',
        kind: 'ec',
        otp: false,
        trouble: 'none',
      },
    ]);
    expect(csc.credentials[0]!.pin).toMatch(/^\d{6}$/);
    expect(csc.credentials[1]!.pin).toBe('2468');
    const c = client();
    expect((await c.listCredentials({ userID: 'chuyenvien.1' })).credentialIDs).toEqual(['own-ec']);
    expect((await c.listCredentials({ userID: 'officer-an' })).credentialIDs).toEqual([]);
    expect((await errorOf(c.credentialInfo('cred-rsa-an'))).code).toBe('signature.credential_unknown');
    const info = await c.credentialInfo('own-ec', 'chain');
    expect(info.cert?.subjectDN).toBe('CN=Chuyên viên Xã Thử Nghiệm');
    expect(info.auth?.expression).toBe('PIN AND OTP');
  });

  it('signs with the PIN and OTP it asks for; the certificate names the holder and chains to the root', async () => {
    const c = client();
    const own = csc.credentials[0]!;
    const h = [digest('own')];
    expect((await errorOf(c.authorize({ credentialID: 'own-ec', hashes: h, pin: own.pin }))).code).toBe(
      'signature.otp_invalid',
    );
    const wrong = own.pin === '000000' ? '111111' : '000000';
    await c.sendOtp('own-ec');
    expect(
      (
        await errorOf(
          c.authorize({ credentialID: 'own-ec', hashes: h, pin: wrong, otp: csc.lastOtp('own-ec') }),
        )
      ).code,
    ).toBe('signature.pin_invalid');
    const provider = createCscProvider(c, {
      authData: async (id) => {
        await c.sendOtp(id);
        return { pin: own.pin, otp: csc.lastOtp(id) ?? '' };
      },
    });
    const cms = await signCms(data, await providerSigner(provider, 'own-ec'));
    const report = await verifyCms(cms, data, { trustAnchors: [pki.root.der], revocation: 'none' });
    expect(report.failures).toEqual([]);
    expect(report.signer?.subject).toMatch(/2\.5\.4\.3=Chuyên viên Xã Thử Nghiệm$/);
  });

  it('a given PIN is the one asked for', async () => {
    const c = client();
    const h = [digest('pin')];
    expect((await errorOf(c.authorize({ credentialID: 'own-pin', hashes: h, pin: '1357' }))).code).toBe(
      'signature.pin_invalid',
    );
    const sad = await c.authorize({ credentialID: 'own-pin', hashes: h, pin: '2468' });
    expect(
      await c.signHash({ credentialID: 'own-pin', sad, hashes: h, algorithm: 'ECDSA-P256' }),
    ).toHaveLength(1);
  });

  it('without the option the fixed roster is there, with the same PINs as before the option existed', async () => {
    const a = await startCscSimulator({ seed: 'own-credentials', pki });
    const b = await startCscSimulator({ seed: 'own-credentials', pki, credentials: DEFAULT_CSC_CREDENTIALS });
    try {
      expect(a.credentials.map((x) => x.credentialID)).toEqual([
        'cred-rsa-an',
        'cred-ec-binh',
        'cred-ec-cuong',
        'cred-ec-dung',
        'cred-ec-em',
      ]);
      expect(b.credentials.map((x) => [x.credentialID, x.pin, x.trouble, x.otp])).toEqual(
        a.credentials.map((x) => [x.credentialID, x.pin, x.trouble, x.otp]),
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a list with a duplicate ID, a missing name or a PIN that is not digits', async () => {
    const bad = [
      [
        { credentialID: 'x', name: 'A' },
        { credentialID: 'x', name: 'B' },
      ],
      [{ credentialID: 'x', name: ' ' }],
      [{ credentialID: '', name: 'A' }],
      [{ credentialID: 'x', name: 'A', pin: '12ab' }],
    ];
    for (const credentials of bad)
      await expect(startCscSimulator({ seed: 'own-credentials', pki, credentials })).rejects.toThrow(
        /startCscSimulator: credentials\[\d\]/,
      );
  });
});

describe('the asynchronous simulator with credentials of its caller', () => {
  it('holds exactly those credentials; a confirmed signature names the holder', async () => {
    expect(phone.credentialIds).toEqual(['own-phone']);
    const provider = createAsyncSigningProvider({ baseUrl: phone.url, auth: phone.auth, retry: false });
    expect((await errorOf(provider.describe('async-ec-giang'))).code).toBe('signature.credential_unknown');
    // The holder confirms on the phone while the signer polls.
    const signer = await providerSigner(provider, 'own-phone', {
      sleep: async () => {
        for (const t of phone.transactions())
          if (t.status === 'pending' && t.credentialId === 'own-phone') await phone.confirm(t.transactionId);
      },
    });
    const cms = await signCms(data, signer);
    const report = await verifyCms(cms, data, { trustAnchors: [pki.root.der], revocation: 'none' });
    expect(report.failures).toEqual([]);
    expect(report.signer?.subject).toMatch(/2\.5\.4\.3=Lãnh đạo Xã Thử Nghiệm$/);
  });

  it('without the option the fixed pair is there', async () => {
    const a = await startAsyncSigningSimulator({ seed: 'own-credentials', pki });
    try {
      expect(a.credentialIds).toEqual(DEFAULT_ASYNC_CREDENTIALS.map((c) => c.credentialId));
    } finally {
      await a.close();
    }
    await expect(
      startAsyncSigningSimulator({
        pki,
        credentials: [
          { credentialId: 'y', name: 'A' },
          { credentialId: 'y', name: 'A' },
        ],
      }),
    ).rejects.toThrow(/credential ID y is given twice/);
  });
});
