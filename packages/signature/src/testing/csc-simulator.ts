import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type Simulator,
  type SimulatorFaults,
  type SimulatorRequest,
  type SimulatorResponse,
  startSimulator,
} from '@motcua/http/testing';
import { checkCredentialList } from './credential-list.js';
import { seededBytes, signDigestWithKey } from './keys.js';
import type { IssuedCertificate } from './pki.js';
import { type SimulatedPki, startSimulatedPki } from './pki-services.js';

/** A credential of the CSC simulator, as a test sees it (PINs are synthetic). */
export interface SimulatedCredential {
  credentialID: string;
  userID: string;
  /** Synthetic officer name on the certificate. */
  name: string;
  kind: 'rsa' | 'ec';
  /** `valid`, or the trouble this credential is there to show. */
  trouble: 'none' | 'revoked' | 'expired' | 'disabled';
  pin: string;
  /** Whether an OTP (sent by `credentials/sendOTP`) is needed besides the PIN. */
  otp: boolean;
  certificate: Uint8Array;
  chain: Uint8Array[];
}

/** Options of {@link startCscSimulator}. */
export interface CscSimulatorOptions {
  /** Everything derives from it: keys, serials, PINs, OTPs, tokens' order. Default `'motcua'`. */
  seed?: string;
  /** The clock. Default the real clock. */
  now?: () => Date;
  /** Lifetime of a SAD, seconds. Default 300. */
  sadTtlSec?: number;
  /** Wrong PINs before a credential is locked. Default 3. */
  maxPinTries?: number;
  /** Most hashes one authorization may cover. Default 10. */
  multisign?: number;
  /** OAuth2 clients (`client_id` → `client_secret`). Default `{ 'test-client': 'test-secret' }`. */
  clients?: Record<string, string>;
  faults?: SimulatorFaults;
  /** Share a PKI with another simulator (default: a new one). */
  pki?: SimulatedPki;
  /**
   * The credentials the simulator holds, instead of {@link DEFAULT_CSC_CREDENTIALS}: each gets a certificate
   * of the simulated PKI naming `name` as its holder (CN), and a PIN (and an OTP when `otp`) the simulator
   * asks for as it does for the defaults. IDs must be unique.
   *
   * @example
   * ```ts
   * const sim = await startCscSimulator({
   *   credentials: [
   *     { credentialID: 'demo-tiepnhan', userID: 'tiepnhan', name: 'Cán bộ tiếp nhận Thử Nghiệm', kind: 'rsa' },
   *     { credentialID: 'demo-chuyenvien', userID: 'chuyenvien', name: 'Chuyên viên Thử Nghiệm', otp: true },
   *   ],
   * });
   * const pin = sim.credentials.find((c) => c.credentialID === 'demo-chuyenvien')!.pin;
   * ```
   */
  credentials?: readonly CscSimulatorCredential[];
}

/** A running CSC simulator. */
export interface CscSimulator {
  /** Base URL of the CSC API: `http://127.0.0.1:<port>/csc/v2/`. */
  url: string;
  /** The OAuth2 token endpoint of the CSC API (`oauth2/token`). */
  tokenUrl: string;
  /** An `auth` option (client credentials) for `createCscClient`. */
  oauth2: { type: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string };
  credentials: SimulatedCredential[];
  /** The PKI: trust anchor `pki.root.der`, OCSP, CRL and time-stamping URLs. */
  pki: SimulatedPki;
  /** The last OTP sent to a credential's owner (the test reads the "SMS"). */
  lastOtp(credentialID: string): string | undefined;
  /** The base simulator (stats, faults, token revocation). */
  http: Simulator;
  close(): Promise<void>;
}

const DAY = 86_400_000;

const cscError = (status: number, error: string, description: string): SimulatorResponse => ({
  status,
  body: { error, error_description: description },
});

/**
 * A credential to give the CSC simulator (option `credentials` of {@link startCscSimulator}): its certificate
 * is issued by the simulated PKI at start, its key derived from the seed and the credential ID.
 *
 * @example
 * ```ts
 * const officer: CscSimulatorCredential = { credentialID: 'demo-chuyenvien', userID: 'chuyenvien', name: 'Chuyên viên Thử Nghiệm', otp: true };
 * ```
 */
export interface CscSimulatorCredential {
  /** The credential ID (`credentialID`), unique within the simulator. */
  credentialID: string;
  /** Who holds it (`userID` of `credentials/list`, `login_hint` of `oauth2/authorize`). Default the credential ID. */
  userID?: string;
  /** The holder's name: the certificate subject's CN (synthetic in tests and demos). */
  name: string;
  /** The key: `ec` (P-256, the default) or `rsa` (RSA-2048, about half a second to derive). */
  kind?: 'rsa' | 'ec';
  /** Whether an OTP (sent by `credentials/sendOTP`) is needed besides the PIN. Default `false`. */
  otp?: boolean;
  /** The PIN, 4 to 8 digits. Default 6 digits derived from the seed. */
  pin?: string;
  /** The trouble this credential is there to show: revoked, expired certificate, or key disabled. Default `none`. */
  trouble?: 'none' | 'revoked' | 'expired' | 'disabled';
}

/**
 * The CSC simulator's credentials when no `credentials` option is given: a working RSA credential (PIN), a
 * working P-256 credential (PIN + OTP), and a revoked, an expired and a disabled one. Synthetic names. Add
 * to them by passing `[...mine, ...DEFAULT_CSC_CREDENTIALS]`.
 *
 * @example
 * ```ts
 * const sim = await startCscSimulator({ credentials: [...DEFAULT_CSC_CREDENTIALS, { credentialID: 'x', name: 'Cán bộ X' }] });
 * ```
 */
export const DEFAULT_CSC_CREDENTIALS: readonly CscSimulatorCredential[] = Object.freeze([
  Object.freeze({ credentialID: 'cred-rsa-an', userID: 'officer-an', name: 'Nguyễn Văn An', kind: 'rsa' }),
  Object.freeze({
    credentialID: 'cred-ec-binh',
    userID: 'officer-binh',
    name: 'Trần Thị Bình',
    kind: 'ec',
    otp: true,
  }),
  Object.freeze({
    credentialID: 'cred-ec-cuong',
    userID: 'officer-cuong',
    name: 'Lê Văn Cường',
    kind: 'ec',
    trouble: 'revoked',
  }),
  Object.freeze({
    credentialID: 'cred-ec-dung',
    userID: 'officer-dung',
    name: 'Phạm Thị Dung',
    kind: 'ec',
    trouble: 'expired',
  }),
  Object.freeze({
    credentialID: 'cred-ec-em',
    userID: 'officer-em',
    name: 'Hoàng Văn Em',
    kind: 'ec',
    trouble: 'disabled',
  }),
]);

const isB64Digest = (v: unknown): v is string =>
  typeof v === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32;

/**
 * A Cloud Signature Consortium API v2 simulator: a real HTTP server on 127.0.0.1 built on
 * `startSimulator` from `@motcua/http/testing` (OAuth2 tokens, idempotency, seeded faults) with `info`,
 * `oauth2/authorize` + `oauth2/token` (authorization code with PKCE, and client credentials),
 * `credentials/list`, `credentials/info`, `credentials/sendOTP`, `credentials/authorize` (PIN, OTP, tries
 * and lock-out; a SAD that expires and is good for N listed hashes) and `signatures/signHash`, over a
 * synthetic PKI with OCSP, CRL and a time-stamping authority. Its roster is the `credentials` option, by
 * default {@link DEFAULT_CSC_CREDENTIALS}: a working RSA credential (PIN), a working P-256 credential
 * (PIN + OTP), and a revoked, an expired and a disabled one.
 *
 * @example
 * ```ts
 * import { startCscSimulator } from '@motcua/signature/testing';
 * const sim = await startCscSimulator({ seed: 'demo' });
 * const csc = createCscClient({ baseUrl: sim.url, auth: sim.oauth2 });
 * const { credentialIDs } = await csc.listCredentials({ userID: 'officer-an' });
 * await sim.close();
 * ```
 */
export async function startCscSimulator(options: CscSimulatorOptions = {}): Promise<CscSimulator> {
  const seed = options.seed ?? 'motcua';
  const ownPki = !options.pki;
  const pki =
    options.pki ?? (await startSimulatedPki({ seed, ...(options.now ? { now: options.now } : {}) }));
  const now = () => pki.now().getTime();
  const start = now();
  const sadTtl = options.sadTtlSec ?? 300;
  const maxTries = options.maxPinTries ?? 3;
  const multisign = options.multisign ?? 10;
  const clients = options.clients ?? { 'test-client': 'test-secret' };
  const random = seededBytes(seed, 'csc');
  const digits = (n: number) => Array.from(random(n), (b) => String(b % 10)).join('');

  const roster = options.credentials ?? DEFAULT_CSC_CREDENTIALS;
  checkCredentialList(
    roster.map((r) => ({ ...r, id: r.credentialID })),
    'startCscSimulator: credentials',
  );
  for (const [i, r] of roster.entries())
    if (r.trouble !== undefined && !['none', 'revoked', 'expired', 'disabled'].includes(r.trouble))
      throw new Error(`startCscSimulator: credentials[${i}]: trouble is none, revoked, expired or disabled`);
  const creds = roster.map((spec) => {
    const r = {
      id: spec.credentialID,
      user: spec.userID ?? spec.credentialID,
      name: spec.name,
      kind: spec.kind ?? 'ec',
      trouble: spec.trouble ?? 'none',
      otp: spec.otp ?? false,
    };
    const cert: IssuedCertificate = pki.issue({
      label: r.id,
      name: r.name,
      kind: r.kind,
      ...(r.trouble === 'expired'
        ? { notBefore: new Date(start - 400 * DAY), notAfter: new Date(start - 10 * DAY) }
        : {}),
    });
    if (r.trouble === 'revoked') pki.revoke(cert.serial, new Date(start - 2 * DAY));
    // The seeded PIN is drawn even when one is given, so the others' PINs do not depend on it.
    const seeded = digits(6);
    return { ...r, cert, pin: spec.pin ?? seeded, tries: 0 };
  });
  const otps = new Map<string, { otp: string; expiresAt: number }>();
  const sads = new Map<
    string,
    { credentialID: string; hashes: Set<string>; left: number; expiresAt: number }
  >();
  const codes = new Map<
    string,
    { clientId: string; user: string; redirectUri: string; challenge?: string; expiresAt: number }
  >();
  const tokenUsers = new Map<string, string>();
  let http: Simulator | undefined;

  const userOf = (req: SimulatorRequest) => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    return bearer ? tokenUsers.get(bearer[1] ?? '') : undefined;
  };
  const body = (req: SimulatorRequest): Record<string, unknown> | undefined =>
    req.body && typeof req.body === 'object' && !Array.isArray(req.body)
      ? (req.body as Record<string, unknown>)
      : undefined;
  const credentialFor = (req: SimulatorRequest, b: Record<string, unknown>) => {
    const id = b.credentialID;
    if (typeof id !== 'string' || id.length === 0)
      return cscError(400, 'invalid_request', 'Missing (or invalid type) string parameter credentialID');
    const c = creds.find((x) => x.id === id);
    const user = userOf(req);
    if (!c || (user !== undefined && c.user !== user))
      return cscError(400, 'invalid_request', 'Invalid parameter credentialID');
    return c;
  };
  const certStatus = (c: (typeof creds)[number]) =>
    c.trouble === 'revoked' ? 'revoked' : c.cert.cert.notAfter.value.getTime() < now() ? 'expired' : 'valid';
  const describe = (c: (typeof creds)[number], b: Record<string, unknown>) => {
    const which = b.certificates ?? 'single';
    return {
      description: `Chứng thư ký số của ${c.name} (giả lập)`,
      key: {
        status: c.trouble === 'disabled' ? 'disabled' : 'enabled',
        algo:
          c.kind === 'ec'
            ? ['1.2.840.10045.2.1', '1.2.840.10045.4.3.2']
            : ['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.11'],
        len: c.kind === 'ec' ? 256 : 2048,
        ...(c.kind === 'ec' ? { curve: '1.2.840.10045.3.1.7' } : {}),
      },
      cert: {
        status: certStatus(c),
        ...(which === 'none'
          ? {}
          : {
              certificates: (which === 'chain' ? [c.cert.der, pki.issuing.der] : [c.cert.der]).map((d) =>
                Buffer.from(d).toString('base64'),
              ),
            }),
        ...(b.certInfo
          ? {
              issuerDN: 'CN=Motcua Synthetic Public-Service CA,O=Motcua Synthetic PKI,C=VN',
              serialNumber: c.cert.serial,
              subjectDN: `CN=${c.name}`,
              validFrom: c.cert.cert.notBefore.value.toISOString(),
              validTo: c.cert.cert.notAfter.value.toISOString(),
            }
          : {}),
      },
      ...(b.authInfo
        ? {
            auth: {
              mode: 'explicit',
              expression: c.otp ? 'PIN AND OTP' : 'PIN',
              objects: [
                { type: 'Password', id: 'PIN', format: 'N', label: 'PIN' },
                ...(c.otp ? [{ type: 'Password', id: 'OTP', format: 'N', label: 'OTP' }] : []),
              ],
            },
          }
        : {}),
      scal: '2',
      multisign,
      lang: 'vi-VN',
    };
  };
  const safeEqual = (a: string, b: string) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };

  const routes: [
    string,
    string,
    (req: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>,
  ][] = [
    [
      'POST',
      '/csc/v2/info',
      () => ({
        status: 200,
        body: {
          specs: '2.0.0.2',
          name: 'Motcua CSC simulator',
          logo: '',
          region: 'VN',
          lang: 'vi-VN',
          description: 'Dịch vụ ký số từ xa giả lập (dữ liệu tổng hợp)',
          authType: ['oauth2client', 'oauth2code'],
          oauth2: `${http?.url ?? ''}csc/v2/`,
          methods: [
            'oauth2/authorize',
            'oauth2/token',
            'credentials/list',
            'credentials/info',
            'credentials/authorize',
            'credentials/sendOTP',
            'signatures/signHash',
          ],
        },
      }),
    ],
    [
      'GET',
      '/csc/v2/oauth2/authorize',
      (req) => {
        const q = req.query;
        const redirect = q.get('redirect_uri') ?? '';
        if (q.get('response_type') !== 'code')
          return cscError(400, 'unsupported_response_type', 'response_type must be code');
        if (!clients[q.get('client_id') ?? ''])
          return cscError(400, 'invalid_client', 'Invalid parameter client_id');
        if (!/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(redirect))
          return cscError(400, 'invalid_request', 'Invalid parameter redirect_uri');
        const user = q.get('login_hint') ?? '';
        if (!creds.some((c) => c.user === user))
          return cscError(400, 'access_denied', 'Unknown user (login_hint)');
        if (q.get('code_challenge') && q.get('code_challenge_method') !== 'S256')
          return cscError(400, 'invalid_request', 'Invalid parameter code_challenge_method');
        const code = Buffer.from(random(18)).toString('base64url');
        codes.set(code, {
          clientId: q.get('client_id') ?? '',
          user,
          redirectUri: redirect,
          ...(q.get('code_challenge') ? { challenge: q.get('code_challenge') ?? '' } : {}),
          expiresAt: now() + 60_000,
        });
        const to = new URL(redirect);
        to.searchParams.set('code', code);
        if (q.get('state')) to.searchParams.set('state', q.get('state') ?? '');
        return { status: 302, headers: { location: to.toString() } };
      },
    ],
    [
      'POST',
      '/csc/v2/oauth2/token',
      async (req) => {
        const form = new URLSearchParams(req.rawBody);
        let clientId = form.get('client_id') ?? '';
        let secret = form.get('client_secret') ?? '';
        const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
        if (basic) {
          const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
          clientId = decodeURIComponent(decoded.slice(0, decoded.indexOf(':')));
          secret = decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1));
        }
        const expected = clients[clientId];
        if (expected === undefined || !safeEqual(expected, secret))
          return cscError(401, 'invalid_client', 'Invalid client credentials');
        const grant = form.get('grant_type');
        let user: string | undefined;
        if (grant === 'authorization_code') {
          const code = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          if (!code || code.expiresAt < now() || code.clientId !== clientId)
            return cscError(400, 'invalid_grant', 'Invalid or expired authorization code');
          if (code.redirectUri !== form.get('redirect_uri'))
            return cscError(400, 'invalid_grant', 'Invalid parameter redirect_uri');
          if (code.challenge) {
            const verifier = form.get('code_verifier') ?? '';
            if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge)
              return cscError(400, 'invalid_grant', 'Invalid parameter code_verifier');
          }
          user = code.user;
        } else if (grant !== 'client_credentials')
          return cscError(
            400,
            'unsupported_grant_type',
            'grant_type must be authorization_code or client_credentials',
          );
        // The token itself comes from the base simulator, which enforces it on every other route.
        const r = await fetch(http?.tokenUrl ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: secret,
          }),
        });
        const t = (await r.json()) as { access_token: string; expires_in: number };
        if (user) tokenUsers.set(t.access_token, user);
        return {
          status: 200,
          body: { access_token: t.access_token, token_type: 'Bearer', expires_in: t.expires_in },
          headers: { 'cache-control': 'no-store' },
        };
      },
    ],
    [
      'POST',
      '/csc/v2/credentials/list',
      (req) => {
        const b = body(req) ?? {};
        const tokenUser = userOf(req);
        if (tokenUser && b.userID !== undefined && b.userID !== tokenUser)
          return cscError(
            400,
            'invalid_request',
            'Invalid parameter userID (a user-specific token cannot list another user)',
          );
        const user = tokenUser ?? b.userID;
        if (typeof user !== 'string' || user.length === 0)
          return cscError(400, 'invalid_request', 'Missing (or invalid type) string parameter userID');
        const mine = creds.filter(
          (c) => c.user === user && (!b.onlyValid || (c.trouble === 'none' && certStatus(c) === 'valid')),
        );
        return {
          status: 200,
          body: {
            credentialIDs: mine.map((c) => c.id),
            ...(b.credentialInfo
              ? {
                  credentialInfos: mine.map((c) => ({
                    credentialID: c.id,
                    ...describe(c, { certificates: 'chain', certInfo: true, authInfo: true }),
                  })),
                }
              : {}),
          },
        };
      },
    ],
    [
      'POST',
      '/csc/v2/credentials/info',
      (req) => {
        const b = body(req);
        if (!b) return cscError(400, 'invalid_request', 'The request body must be a JSON object');
        if (b.certificates !== undefined && !['none', 'single', 'chain'].includes(String(b.certificates)))
          return cscError(400, 'invalid_request', 'Invalid parameter certificates');
        const c = credentialFor(req, b);
        if ('status' in c) return c;
        return { status: 200, body: describe(c, b) };
      },
    ],
    [
      'POST',
      '/csc/v2/credentials/sendOTP',
      (req) => {
        const b = body(req);
        if (!b) return cscError(400, 'invalid_request', 'The request body must be a JSON object');
        const c = credentialFor(req, b);
        if ('status' in c) return c;
        if (!c.otp) return cscError(400, 'invalid_request', 'This credential does not use an online OTP');
        otps.set(c.id, { otp: digits(6), expiresAt: now() + 300_000 });
        return { status: 204 };
      },
    ],
    [
      'POST',
      '/csc/v2/credentials/authorize',
      (req) => {
        const b = body(req);
        if (!b) return cscError(400, 'invalid_request', 'The request body must be a JSON object');
        const c = credentialFor(req, b);
        if ('status' in c) return c;
        const n = b.numSignatures;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
          return cscError(
            400,
            'invalid_request',
            'Missing (or invalid type) integer parameter numSignatures',
          );
        if (n > multisign) return cscError(400, 'invalid_request', 'Numbers of signatures is too large');
        const hashes = b.hashes;
        if (!Array.isArray(hashes) || hashes.length !== n || !hashes.every(isB64Digest))
          return cscError(400, 'invalid_request', 'Missing (or invalid type) array parameter hashes');
        if (b.hashAlgorithmOID !== '2.16.840.1.101.3.4.2.1')
          return cscError(400, 'invalid_request', 'Invalid parameter hashAlgorithmOID');
        if (c.trouble === 'disabled')
          return cscError(400, 'invalid_request', 'The signing key of the credential is disabled');
        if (certStatus(c) === 'expired')
          return cscError(400, 'invalid_request', 'The signing certificate is expired');
        if (certStatus(c) === 'revoked')
          return cscError(400, 'invalid_request', 'The signing certificate is revoked');
        if (c.tries >= maxTries)
          return cscError(400, 'invalid_pin', 'The PIN is locked (too many wrong tries)');
        const authData = Array.isArray(b.authData) ? (b.authData as { id?: unknown; value?: unknown }[]) : [];
        const value = (id: string) => authData.find((a) => a && a.id === id)?.value;
        const pin = value('PIN');
        if (typeof pin !== 'string')
          return cscError(400, 'invalid_request', 'Missing (or invalid type) parameter authData PIN');
        if (!safeEqual(pin, c.pin)) {
          c.tries++;
          const left = maxTries - c.tries;
          return left > 0
            ? cscError(400, 'invalid_pin', `The PIN is invalid (${left} tries left)`)
            : cscError(400, 'invalid_pin', 'The PIN is invalid and is now locked');
        }
        if (c.otp) {
          const otp = value('OTP');
          const sent = otps.get(c.id);
          if (typeof otp !== 'string' || !sent || sent.expiresAt < now() || !safeEqual(otp, sent.otp))
            return cscError(400, 'invalid_otp', 'The OTP is invalid or expired');
          otps.delete(c.id);
        }
        c.tries = 0;
        const sad = randomBytes(24).toString('base64url');
        sads.set(sad, {
          credentialID: c.id,
          hashes: new Set(hashes as string[]),
          left: n,
          expiresAt: now() + sadTtl * 1000,
        });
        return { status: 200, body: { SAD: sad, expiresIn: sadTtl } };
      },
    ],
    [
      'POST',
      '/csc/v2/signatures/signHash',
      (req) => {
        const b = body(req);
        if (!b) return cscError(400, 'invalid_request', 'The request body must be a JSON object');
        const c = credentialFor(req, b);
        if ('status' in c) return c;
        const hashes = b.hashes;
        if (!Array.isArray(hashes) || hashes.length === 0 || !hashes.every(isB64Digest))
          return cscError(400, 'invalid_request', 'Missing (or invalid type) array parameter hashes');
        if (b.hashAlgorithmOID !== '2.16.840.1.101.3.4.2.1')
          return cscError(400, 'invalid_request', 'Invalid parameter hashAlgorithmOID');
        const algo = c.kind === 'ec' ? '1.2.840.10045.4.3.2' : '1.2.840.113549.1.1.11';
        if (b.signAlgo !== algo) return cscError(400, 'invalid_request', 'Invalid parameter signAlgo');
        if (typeof b.SAD !== 'string')
          return cscError(400, 'invalid_request', 'Missing (or invalid type) string parameter SAD');
        const sad = sads.get(b.SAD);
        if (!sad || sad.credentialID !== c.id)
          return cscError(400, 'invalid_request', 'Invalid parameter SAD');
        if (sad.expiresAt < now()) {
          sads.delete(b.SAD);
          return cscError(400, 'invalid_request', 'The SAD is expired');
        }
        if (hashes.length > sad.left)
          return cscError(400, 'invalid_request', 'The number of hashes exceeds the SAD');
        if (!(hashes as string[]).every((h) => sad.hashes.has(h)))
          return cscError(400, 'invalid_request', 'Invalid parameter hashes (not authorized by the SAD)');
        sad.left -= hashes.length;
        for (const h of hashes as string[]) sad.hashes.delete(h);
        const signatures = (hashes as string[]).map((h) =>
          Buffer.from(signDigestWithKey(c.cert.key, Buffer.from(h, 'base64'))).toString('base64'),
        );
        return { status: 200, body: { signatures } };
      },
    ],
  ];
  http = await startSimulator({
    name: 'csc',
    routes,
    auth: { clients },
    ...(options.faults ? { faults: options.faults } : {}),
    publicPaths: ['/csc/v2/info', '/csc/v2/oauth2/authorize', '/csc/v2/oauth2/token'],
  });
  const url = `${http.url}csc/v2/`;
  const [clientId, clientSecret] = Object.entries(clients)[0] ?? ['', ''];
  return {
    url,
    tokenUrl: `${url}oauth2/token`,
    oauth2: { type: 'oauth2', tokenUrl: `${url}oauth2/token`, clientId, clientSecret },
    credentials: creds.map((c) => ({
      credentialID: c.id,
      userID: c.user,
      name: c.name,
      kind: c.kind,
      trouble: c.trouble,
      pin: c.pin,
      otp: c.otp,
      certificate: c.cert.der,
      chain: [pki.issuing.der],
    })),
    pki,
    lastOtp: (id) => otps.get(id)?.otp,
    http,
    async close() {
      await http?.close();
      if (ownPki) await pki.close();
    },
  };
}
