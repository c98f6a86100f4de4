import { createHttpClient, type HttpClientOptions, type Middleware } from '@motcua/http';
import { z } from 'zod';
import { SignatureError, type SignatureErrorCode } from './errors.js';
import type { CredentialDescription, SigningOperation, SigningProvider } from './provider.js';
import type { SignatureAlgorithm } from './signer.js';

const b64 = z.string().regex(/^[A-Za-z0-9+/=_-]*$/, 'base64 expected');

/**
 * The answer of CSC `info`.
 *
 * @example
 * ```ts
 * const info = CscInfoSchema.parse(await res.json());
 * ```
 */
export const CscInfoSchema = z.object({
  specs: z.string(),
  name: z.string(),
  region: z.string().optional(),
  lang: z.string().optional(),
  description: z.string().optional(),
  authType: z.array(z.string()),
  oauth2: z.string().optional(),
  methods: z.array(z.string()),
});
/** What a CSC service says about itself. */
export type CscInfo = z.infer<typeof CscInfoSchema>;

/**
 * The answer of CSC `credentials/info`.
 *
 * @example
 * ```ts
 * const info = CscCredentialInfoSchema.parse(await res.json());
 * ```
 */
export const CscCredentialInfoSchema = z.object({
  description: z.string().optional(),
  key: z.object({
    status: z.enum(['enabled', 'disabled']),
    algo: z.array(z.string()),
    len: z.number().int(),
    curve: z.string().optional(),
  }),
  cert: z
    .object({
      status: z.enum(['valid', 'expired', 'revoked', 'suspended']).optional(),
      certificates: z.array(b64).optional(),
      issuerDN: z.string().optional(),
      serialNumber: z.string().optional(),
      subjectDN: z.string().optional(),
      validFrom: z.string().optional(),
      validTo: z.string().optional(),
    })
    .optional(),
  auth: z
    .object({
      mode: z.enum(['implicit', 'explicit', 'oauth2code']),
      expression: z.string().optional(),
      objects: z
        .array(
          z.object({
            type: z.string(),
            id: z.string(),
            format: z.string().optional(),
            label: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  scal: z.enum(['1', '2']).optional(),
  multisign: z.number().int().min(1),
  lang: z.string().optional(),
});
/** A credential as CSC describes it. */
export type CscCredentialInfo = z.infer<typeof CscCredentialInfoSchema>;

const ListSchema = z.object({
  credentialIDs: z.array(z.string()),
  credentialInfos: z.array(CscCredentialInfoSchema.extend({ credentialID: z.string() })).optional(),
});
const AuthorizeSchema = z.object({
  SAD: z.string().min(1),
  expiresIn: z.number().int().positive().optional(),
});
const SignHashSchema = z.object({ signatures: z.array(b64).min(1) });
const TokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});

/**
 * OIDs of the algorithms we sign with.
 *
 * @example
 * ```ts
 * CSC_OID.sha256; // '2.16.840.1.101.3.4.2.1'
 * ```
 */
export const CSC_OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** A SAD (signature activation data) from `credentials/authorize`: good for `numSignatures` hashes until it expires. */
export interface Sad {
  sad: string;
  /** Seconds it stays valid, as the server said (default 3600 per CSC). */
  expiresIn: number;
}

/** Options of {@link createCscClient}: those of `createHttpClient`, `baseUrl` ending in `/csc/v2/`. */
export type CscClientOptions = HttpClientOptions;

const MESSAGES: Record<string, { en: string; vi: string }> = {
  'signature.pin_invalid': { en: 'The PIN is wrong.', vi: 'Mã PIN không đúng.' },
  'signature.pin_locked': {
    en: 'The PIN is locked after too many wrong tries; ask the signing service to unlock it.',
    vi: 'Mã PIN đã bị khóa do nhập sai quá số lần cho phép; liên hệ nhà cung cấp dịch vụ ký số để mở khóa.',
  },
  'signature.otp_invalid': {
    en: 'The one-time code (OTP) is wrong or has expired; ask for a new one.',
    vi: 'Mã OTP không đúng hoặc đã hết hạn; hãy yêu cầu mã mới.',
  },
  'signature.sad_expired': {
    en: 'The signing authorization (SAD) has expired or is not valid; enter the PIN again.',
    vi: 'Phiên ủy quyền ký (SAD) đã hết hạn hoặc không hợp lệ; hãy nhập lại mã PIN.',
  },
  'signature.sad_exhausted': {
    en: 'The signing authorization (SAD) was used for all the signatures it allowed; authorize again.',
    vi: 'Phiên ủy quyền ký (SAD) đã dùng hết số chữ ký cho phép; hãy ủy quyền lại.',
  },
  'signature.credential_unknown': {
    en: 'The signing service does not know this credential (credentialID).',
    vi: 'Dịch vụ ký số không có chứng thư (credentialID) này.',
  },
  'signature.credential_disabled': {
    en: 'The signing key of this credential is disabled at the signing service.',
    vi: 'Khóa ký của chứng thư này đã bị vô hiệu hóa tại dịch vụ ký số.',
  },
  'signature.certificate_expired': {
    en: 'The certificate of this credential has expired; the officer needs a renewed certificate.',
    vi: 'Chứng thư số của cán bộ đã hết hạn; cần gia hạn chứng thư số.',
  },
  'signature.certificate_revoked': {
    en: 'The certificate of this credential is revoked or suspended.',
    vi: 'Chứng thư số của cán bộ đã bị thu hồi hoặc tạm dừng.',
  },
  'signature.access_denied': {
    en: 'The signing service refused access (login or authorization missing or expired).',
    vi: 'Dịch vụ ký số từ chối truy cập (chưa đăng nhập hoặc phiên đăng nhập đã hết hạn).',
  },
  'signature.remote_request_invalid': {
    en: 'The signing service refused the request as invalid.',
    vi: 'Dịch vụ ký số từ chối yêu cầu vì không hợp lệ.',
  },
  'signature.remote_unavailable': {
    en: 'The signing service is unavailable; try again later.',
    vi: 'Dịch vụ ký số đang không hoạt động; hãy thử lại sau.',
  },
};

/**
 * Maps an error in the CSC format (`{ error, error_description }`) to a {@link SignatureError}: wrong PIN
 * (with `triesLeft` when the server says it), locked PIN, wrong OTP, SAD expired or used up, unknown or
 * disabled credential, certificate expired or revoked, access denied, invalid request (naming the field).
 *
 * @example
 * ```ts
 * const e = mapCscError(400, { error: 'invalid_pin', error_description: 'The PIN is invalid (2 tries left)' });
 * e.code; // 'signature.pin_invalid'; e.details.triesLeft === 2
 * ```
 */
export function mapCscError(
  status: number,
  body: { error?: unknown; error_description?: unknown },
): SignatureError {
  const error = typeof body.error === 'string' ? body.error : '';
  const text = typeof body.error_description === 'string' ? body.error_description.slice(0, 300) : '';
  const has = (re: RegExp) => re.test(text);
  let code: SignatureErrorCode;
  const details: Record<string, unknown> = { status, cscError: error.slice(0, 64) };
  const param = /parameter\s+([A-Za-z_]\w*)/i.exec(text)?.[1];
  if (error === 'invalid_pin' || (error === 'access_denied' && has(/PIN/i))) {
    code = has(/lock|block/i) ? 'signature.pin_locked' : 'signature.pin_invalid';
  } else if (has(/(PIN|credential).*(locked|blocked)/i)) code = 'signature.pin_locked';
  else if (/^(invalid_grant|invalid_client|invalid_token|unauthorized_client|access_denied)$/.test(error))
    code = 'signature.access_denied';
  else if (error === 'invalid_otp' || has(/OTP.*(invalid|wrong|expired)/i)) code = 'signature.otp_invalid';
  else if (param === 'SAD') code = 'signature.sad_expired';
  else if (param === 'credentialID' && has(/^Invalid parameter/i)) code = 'signature.credential_unknown';
  else if (param) code = 'signature.remote_request_invalid';
  else if (has(/SAD/) && has(/exceed|number of|too many|already used|no more/i))
    code = 'signature.sad_exhausted';
  else if (error === 'expired_sad' || has(/SAD/)) code = 'signature.sad_expired';
  else if (has(/(key|credential).*(disabled)/i)) code = 'signature.credential_disabled';
  else if (has(/certificate.*expired|expired.*certificate/i)) code = 'signature.certificate_expired';
  else if (has(/revoked|suspended/i)) code = 'signature.certificate_revoked';
  else if (has(/unknown credential/i)) code = 'signature.credential_unknown';
  else if (status === 401 || status === 403 || /token|client|grant|access_denied|unauthorized/.test(error))
    code = 'signature.access_denied';
  else if (status >= 500) code = 'signature.remote_unavailable';
  else code = 'signature.remote_request_invalid';
  const tries = /(\d+)\s*(?:tries|attempts|remaining)/i.exec(text);
  if (tries && code === 'signature.pin_invalid') details.triesLeft = Number(tries[1]);
  const field = /parameter\s+([A-Za-z_]\w*)/i.exec(text);
  if (field) details.field = field[1];
  const m = MESSAGES[code] ?? { en: 'The signing service refused.', vi: 'Dịch vụ ký số từ chối.' };
  let en = m.en;
  let vi = m.vi;
  if (typeof details.triesLeft === 'number') {
    en += ` ${details.triesLeft} tries left before the PIN is locked.`;
    vi += ` Còn ${details.triesLeft} lần thử trước khi mã PIN bị khóa.`;
  }
  if (code === 'signature.remote_request_invalid' && field) {
    en += ` Field: ${field[1]}.`;
    vi += ` Trường: ${field[1]}.`;
  }
  return new SignatureError(code, en, vi, undefined, details);
}

/** The pipeline step that turns CSC error answers into {@link SignatureError}s (before auth and retry). */
const cscErrors: Middleware = async (ctx, next) => {
  const res = await next(ctx);
  if (res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return res;
  let body: unknown;
  try {
    body = await res.clone().json();
  } catch {
    return res;
  }
  if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string')
    throw mapCscError(res.status, body as { error: string });
  return res;
};

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new SignatureError(
      'signature.invalid_response',
      `The signing service sent an answer to ${what} that does not follow the CSC API v2.`,
      `Dịch vụ ký số trả lời ${what} không đúng chuẩn CSC API v2.`,
      r.error,
      { operation: what, path: r.error.issues[0]?.path.join('.') },
    );
  return r.data;
}

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const toB64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function requireString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 256)
    throw new SignatureError(
      'signature.invalid_input',
      `${field}: a non-empty text of at most 256 characters is required.`,
      `${field}: bắt buộc, là chuỗi không rỗng tối đa 256 ký tự.`,
      undefined,
      { field },
    );
  return v;
}

function requireDigests(hashes: readonly Uint8Array[]): void {
  if (hashes.length === 0 || hashes.some((h) => !(h instanceof Uint8Array) || h.length !== 32))
    throw new SignatureError(
      'signature.invalid_input',
      'hashes: one or more SHA-256 digests of 32 bytes are required.',
      'hashes: cần ít nhất một giá trị băm SHA-256 dài 32 byte.',
      undefined,
      { field: 'hashes' },
    );
}

/**
 * A client of a Cloud Signature Consortium API v2 service on `createHttpClient` (OAuth2, retries,
 * idempotency keys, timeouts, masked logs). Every answer is validated; errors in the CSC format become
 * `SignatureError`s with a bilingual message (see {@link mapCscError}).
 *
 * @example
 * ```ts
 * const csc = createCscClient({
 *   baseUrl: 'https://ky-so.example.vn/csc/v2/',
 *   auth: { type: 'oauth2', tokenUrl: 'https://ky-so.example.vn/csc/v2/oauth2/token', clientId, clientSecret },
 * });
 * const { credentialIDs } = await csc.listCredentials({ userID: 'officer-an' });
 * const sad = await csc.authorize({ credentialID: credentialIDs[0]!, hashes: [digest], pin: '123456' });
 * const [signature] = await csc.signHash({ credentialID: credentialIDs[0]!, sad, hashes: [digest], algorithm: 'ECDSA-P256' });
 * ```
 */
export function createCscClient(options: CscClientOptions) {
  const http = createHttpClient(options);
  http.pipeline.addBefore('auth', 'csc-errors', cscErrors);
  const post = async <T>(path: string, json: unknown, schema: z.ZodType<T>): Promise<T> => {
    const res = await http.post(path, { json });
    return parse(schema, res.data, path);
  };
  return {
    /** `info`: the service's name, spec version, auth types and methods. */
    info: (lang = 'vi') => post('info', { lang }, CscInfoSchema),
    /** `credentials/list`: a user's credential IDs (with `userID` under service authorization). */
    listCredentials: (input: { userID?: string; credentialInfo?: boolean; onlyValid?: boolean } = {}) =>
      post('credentials/list', input, ListSchema),
    /** `credentials/info`: key status, certificate (`chain`: with the issuing CAs), auth mode, multisign. */
    credentialInfo: async (credentialID: string, certificates: 'none' | 'single' | 'chain' = 'chain') =>
      post(
        'credentials/info',
        {
          credentialID: requireString(credentialID, 'credentialID'),
          certificates,
          certInfo: true,
          authInfo: true,
        },
        CscCredentialInfoSchema,
      ),
    /** `credentials/sendOTP`: asks the service to send the officer a one-time code. */
    async sendOtp(credentialID: string): Promise<void> {
      await http.post('credentials/sendOTP', {
        json: { credentialID: requireString(credentialID, 'credentialID') },
      });
    },
    /**
     * `credentials/authorize` (explicit authorization): PIN and/or OTP give a SAD good for
     * `numSignatures` hashes (the `hashes` given, when the service is SCAL2) until it expires.
     */
    async authorize(input: {
      credentialID: string;
      hashes: readonly Uint8Array[];
      pin?: string;
      otp?: string;
      description?: string;
    }): Promise<Sad> {
      requireString(input.credentialID, 'credentialID');
      requireDigests(input.hashes);
      const authData = [
        ...(input.pin !== undefined ? [{ id: 'PIN', value: input.pin }] : []),
        ...(input.otp !== undefined ? [{ id: 'OTP', value: input.otp }] : []),
      ];
      const r = await post(
        'credentials/authorize',
        {
          credentialID: input.credentialID,
          numSignatures: input.hashes.length,
          hashes: input.hashes.map(toB64),
          hashAlgorithmOID: CSC_OID.sha256,
          authData,
          ...(input.description ? { description: input.description.slice(0, 500) } : {}),
        },
        AuthorizeSchema,
      );
      return { sad: r.SAD, expiresIn: r.expiresIn ?? 3600 };
    },
    /** `signatures/signHash`: raw signatures (PKCS#1 v1.5 or DER ECDSA) over SHA-256 digests. */
    async signHash(input: {
      credentialID: string;
      sad: Sad | string;
      hashes: readonly Uint8Array[];
      algorithm: SignatureAlgorithm;
    }): Promise<Uint8Array[]> {
      requireString(input.credentialID, 'credentialID');
      requireDigests(input.hashes);
      const r = await post(
        'signatures/signHash',
        {
          credentialID: input.credentialID,
          SAD: typeof input.sad === 'string' ? input.sad : input.sad.sad,
          hashes: input.hashes.map(toB64),
          hashAlgorithmOID: CSC_OID.sha256,
          signAlgo: input.algorithm === 'ECDSA-P256' ? CSC_OID.ecdsaWithSha256 : CSC_OID.sha256WithRsa,
        },
        SignHashSchema,
      );
      if (r.signatures.length !== input.hashes.length)
        throw new SignatureError(
          'signature.invalid_response',
          'The signing service returned a different number of signatures than hashes sent.',
          'Dịch vụ ký số trả về số chữ ký khác với số giá trị băm đã gửi.',
        );
      return r.signatures.map(fromB64);
    },
    /** The underlying HTTP client (its pipeline, circuit breaker and token source). */
    http,
  };
}

/** The client made by {@link createCscClient}. */
export type CscClient = ReturnType<typeof createCscClient>;

/**
 * The algorithm of a CSC credential from its key algorithm OIDs.
 *
 * @example
 * ```ts
 * const algorithm = cscAlgorithm(await csc.credentialInfo('cred-rsa-an')); // 'RSASSA-PKCS1-v1_5'
 * ```
 */
export function cscAlgorithm(info: CscCredentialInfo): SignatureAlgorithm {
  const algos = info.key.algo;
  if (algos.includes(CSC_OID.ecPublicKey) || algos.includes(CSC_OID.ecdsaWithSha256)) return 'ECDSA-P256';
  if (algos.includes(CSC_OID.rsaEncryption) || algos.includes(CSC_OID.sha256WithRsa))
    return 'RSASSA-PKCS1-v1_5';
  throw new SignatureError(
    'signature.invalid_response',
    `The credential's key algorithm is not supported (${algos.join(', ').slice(0, 120)}): RSA or ECDSA P-256 expected.`,
    `Thuật toán khóa của chứng thư không được hỗ trợ (${algos.join(', ').slice(0, 120)}): cần RSA hoặc ECDSA P-256.`,
  );
}

/**
 * The URL to send an officer to for the OAuth2 authorization-code flow (CSC `oauth2/authorize`), with
 * PKCE (S256).
 *
 * @example
 * ```ts
 * const url = cscAuthorizeUrl(base, { clientId, redirectUri, state, codeChallenge });
 * ```
 */
export function cscAuthorizeUrl(
  baseUrl: string,
  input: {
    clientId: string;
    redirectUri: string;
    state: string;
    codeChallenge?: string;
    scope?: 'service' | 'credential';
    loginHint?: string;
  },
): string {
  const url = new URL('oauth2/authorize', baseUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', input.scope ?? 'service');
  url.searchParams.set('state', input.state);
  if (input.codeChallenge) {
    url.searchParams.set('code_challenge', input.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  if (input.loginHint) url.searchParams.set('login_hint', input.loginHint);
  return url.toString();
}

/**
 * Exchanges an authorization code for an access token (CSC `oauth2/token`, grant authorization_code);
 * use the token as `auth: { type: 'bearer', token }` of {@link createCscClient}.
 *
 * @example
 * ```ts
 * const { accessToken } = await cscExchangeCode(base, { code, clientId, clientSecret, redirectUri, codeVerifier });
 * ```
 */
export async function cscExchangeCode(
  baseUrl: string,
  input: { code: string; clientId: string; clientSecret: string; redirectUri: string; codeVerifier?: string },
  fetchFn: typeof fetch = globalThis.fetch,
): Promise<{ accessToken: string; expiresIn: number }> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: requireString(input.code, 'code'),
    client_id: input.clientId,
    client_secret: input.clientSecret,
    redirect_uri: input.redirectUri,
    ...(input.codeVerifier ? { code_verifier: input.codeVerifier } : {}),
  });
  let res: Response;
  try {
    res = await fetchFn(new URL('oauth2/token', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  } catch (e) {
    throw new SignatureError(
      'signature.remote_unavailable',
      MESSAGES['signature.remote_unavailable']!.en,
      MESSAGES['signature.remote_unavailable']!.vi,
      e,
    );
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch (e) {
    throw new SignatureError(
      'signature.invalid_response',
      'The token endpoint did not answer JSON.',
      'Máy chủ cấp token không trả về JSON.',
      e,
    );
  }
  if (!res.ok) throw mapCscError(res.status, (json ?? {}) as { error?: unknown });
  const t = parse(TokenSchema, json, 'oauth2/token');
  return { accessToken: t.access_token, expiresIn: t.expires_in ?? 3600 };
}

/** Options of {@link createCscProvider}. */
export interface CscProviderOptions {
  /** The PIN and/or OTP of a credential, asked of the officer when a signature is needed. */
  authData(credentialId: string, info: CscCredentialInfo): Promise<{ pin?: string; otp?: string }>;
}

/**
 * The CSC API v2 as a {@link SigningProvider}: `requestSignature` authorizes (PIN/OTP) and signs at once,
 * so the operation is `signed` (or throws the mapped error).
 *
 * @example
 * ```ts
 * const provider = createCscProvider(csc, { authData: async () => ({ pin: await askPin() }) });
 * const signer = await providerSigner(provider, 'cred-rsa-an');
 * ```
 */
export function createCscProvider(client: CscClient, options: CscProviderOptions): SigningProvider {
  const infos = new Map<string, CscCredentialInfo>();
  const done = new Map<string, SigningOperation>();
  const infoOf = async (id: string) => {
    const hit = infos.get(id);
    if (hit) return hit;
    const info = await client.credentialInfo(id, 'chain');
    infos.set(id, info);
    return info;
  };
  return {
    name: 'csc',
    async describe(credentialId): Promise<CredentialDescription> {
      const info = await infoOf(credentialId);
      const certs = (info.cert?.certificates ?? []).map(fromB64);
      const [certificate, ...chain] = certs;
      if (!certificate)
        throw new SignatureError(
          'signature.invalid_response',
          'The signing service gave no certificate for this credential.',
          'Dịch vụ ký số không trả về chứng thư số của chứng thư này.',
        );
      return { certificate, chain, algorithm: cscAlgorithm(info) };
    },
    async requestSignature(request) {
      const info = await infoOf(request.credentialId);
      const auth = await options.authData(request.credentialId, info);
      const sad = await client.authorize({
        credentialID: request.credentialId,
        hashes: [request.digest],
        ...auth,
        description: request.description,
      });
      const [signature] = await client.signHash({
        credentialID: request.credentialId,
        sad,
        hashes: [request.digest],
        algorithm: cscAlgorithm(info),
      });
      const op: SigningOperation = {
        operationId: globalThis.crypto.randomUUID(),
        state: 'signed',
        ...(signature ? { signature } : {}),
      };
      done.set(op.operationId, op);
      return op;
    },
    async getOperation(operationId) {
      const op = done.get(operationId);
      if (!op)
        throw new SignatureError(
          'signature.operation_unknown',
          'No such signing operation (CSC signs at once; nothing is pending).',
          'Không có yêu cầu ký này (CSC ký ngay, không có yêu cầu chờ).',
          undefined,
          { operationId: operationId.slice(0, 64) },
        );
      return op;
    },
  };
}
