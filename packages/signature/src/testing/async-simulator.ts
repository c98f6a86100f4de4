import { randomUUID } from 'node:crypto';
import { signTestPayload } from '@motcua/http';
import { problem, type Simulator, type SimulatorFaults, startSimulator } from '@motcua/http/testing';
import { checkCredentialList } from './credential-list.js';
import { signDigestWithKey } from './keys.js';
import type { IssuedCertificate } from './pki.js';
import { type SimulatedPki, startSimulatedPki } from './pki-services.js';

/**
 * A credential to give the asynchronous simulator (option `credentials` of {@link startAsyncSigningSimulator}):
 * its certificate is issued by the simulated PKI at start. No PIN: the holder confirms on the phone.
 *
 * @example
 * ```ts
 * const leader: AsyncSimulatorCredential = { credentialId: 'demo-lanhdao', name: 'Lãnh đạo Thử Nghiệm' };
 * ```
 */
export interface AsyncSimulatorCredential {
  /** The credential ID, unique within the simulator. */
  credentialId: string;
  /** The holder's name: the certificate subject's CN (synthetic in tests and demos). */
  name: string;
  /** The key: `ec` (P-256, the default) or `rsa` (RSA-2048, about half a second to derive). */
  kind?: 'rsa' | 'ec';
}

/**
 * The asynchronous simulator's credentials when no `credentials` option is given: `async-ec-giang` (P-256)
 * and `async-rsa-hai` (RSA-2048). Synthetic names. Add to them by passing `[...mine, ...DEFAULT_ASYNC_CREDENTIALS]`.
 *
 * @example
 * ```ts
 * const sim = await startAsyncSigningSimulator({ credentials: [...DEFAULT_ASYNC_CREDENTIALS, { credentialId: 'x', name: 'Cán bộ X' }] });
 * ```
 */
export const DEFAULT_ASYNC_CREDENTIALS: readonly AsyncSimulatorCredential[] = Object.freeze([
  Object.freeze({ credentialId: 'async-ec-giang', name: 'Đỗ Thị Giang', kind: 'ec' }),
  Object.freeze({ credentialId: 'async-rsa-hai', name: 'Vũ Văn Hải', kind: 'rsa' }),
]);

/** Options of {@link startAsyncSigningSimulator}. */
export interface AsyncSigningSimulatorOptions {
  seed?: string;
  now?: () => Date;
  /** How long the officer has to confirm, seconds. Default 300. */
  ttlSec?: number;
  /** The HMAC secret of the callbacks. Default `whsec_test`. */
  callbackSecret?: string;
  /** API keys accepted (header `x-api-key`). Default `['test-key']`. */
  apiKeys?: string[];
  faults?: SimulatorFaults;
  pki?: SimulatedPki;
  /**
   * The credentials the simulator holds, instead of {@link DEFAULT_ASYNC_CREDENTIALS}: each gets a
   * certificate of the simulated PKI naming `name` as its holder (CN). IDs must be unique.
   *
   * @example
   * ```ts
   * const sim = await startAsyncSigningSimulator({
   *   credentials: [{ credentialId: 'demo-lanhdao', name: 'Lãnh đạo Thử Nghiệm' }],
   * });
   * const op = await provider.requestSignature({ credentialId: 'demo-lanhdao', digest, description: 'Ký kết quả' });
   * ```
   */
  credentials?: readonly AsyncSimulatorCredential[];
}

/** One signing request at the simulated provider. */
export interface SimulatedTransaction {
  transactionId: string;
  credentialId: string;
  status: 'pending' | 'awaitingUser' | 'signed' | 'rejected' | 'expired';
  description: string;
  expiresAt: number;
  callbackUrl?: string;
}

/** A running asynchronous provider simulator. */
export interface AsyncSigningSimulator {
  /** Base URL of the API (`.../v1/`). */
  url: string;
  /** An `auth` option for the client. */
  auth: { type: 'apiKey'; key: string };
  pki: SimulatedPki;
  /** Credential IDs: those of the `credentials` option, by default `async-ec-giang` (P-256) and `async-rsa-hai` (RSA-2048). */
  credentialIds: string[];
  /** The officer opens the request in the phone app: pending → awaitingUser. */
  open(transactionId: string): Promise<void>;
  /** The officer confirms: the signature is made, the callback (if any) is sent. */
  confirm(transactionId: string): Promise<void>;
  /** The officer refuses. */
  reject(transactionId: string): Promise<void>;
  transactions(): SimulatedTransaction[];
  /** Callbacks sent and the HTTP status they got (0: not delivered). */
  callbacks: { transactionId: string; status: number }[];
  http: Simulator;
  close(): Promise<void>;
}

/**
 * A simulator of a Vietnamese asynchronous remote-signing provider: the client sends a SHA-256 hash, the
 * officer confirms (or refuses) on a phone, the signature comes back by polling or by an HMAC-signed
 * callback (`x-motcua-signature: t=…,v1=…`). States `pending → awaitingUser → signed | rejected | expired`;
 * the officer's actions are test calls (`open`, `confirm`, `reject`, or `POST /test/transactions/:id/confirm`).
 * Its credentials are the `credentials` option, by default {@link DEFAULT_ASYNC_CREDENTIALS}.
 * A real HTTP server on 127.0.0.1 on `startSimulator` (API keys, idempotency, seeded faults).
 *
 * @example
 * ```ts
 * const sim = await startAsyncSigningSimulator();
 * const provider = createAsyncSigningProvider({ baseUrl: sim.url, auth: sim.auth });
 * const op = await provider.requestSignature({ credentialId: 'async-ec-giang', digest, description: 'Ký kết quả' });
 * await sim.confirm(op.operationId);
 * ```
 */
export async function startAsyncSigningSimulator(
  options: AsyncSigningSimulatorOptions = {},
): Promise<AsyncSigningSimulator> {
  const seed = options.seed ?? 'motcua';
  const ownPki = !options.pki;
  const pki =
    options.pki ?? (await startSimulatedPki({ seed, ...(options.now ? { now: options.now } : {}) }));
  const now = () => pki.now().getTime();
  const ttl = (options.ttlSec ?? 300) * 1000;
  const secret = options.callbackSecret ?? 'whsec_test';
  const roster = options.credentials ?? DEFAULT_ASYNC_CREDENTIALS;
  checkCredentialList(
    roster.map((r) => ({ ...r, id: r.credentialId })),
    'startAsyncSigningSimulator: credentials',
  );
  const creds = new Map<string, IssuedCertificate>(
    roster.map((r) => [
      r.credentialId,
      pki.issue({ label: r.credentialId, name: r.name, kind: r.kind ?? 'ec' }),
    ]),
  );
  const txs = new Map<string, SimulatedTransaction & { hash: string; signature?: string }>();
  const callbacks: { transactionId: string; status: number }[] = [];
  const current = (t: SimulatedTransaction) => {
    if ((t.status === 'pending' || t.status === 'awaitingUser') && t.expiresAt <= now()) t.status = 'expired';
    return t;
  };
  const view = (t: SimulatedTransaction & { signature?: string }) => ({
    transactionId: t.transactionId,
    status: t.status,
    expiresAt: new Date(t.expiresAt).toISOString(),
    ...(t.signature ? { signature: t.signature } : {}),
  });
  const notify = async (t: SimulatedTransaction & { signature?: string }) => {
    if (!t.callbackUrl) return;
    const payload = JSON.stringify(view(t));
    try {
      const r = await fetch(t.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-motcua-signature': await signTestPayload(payload, secret),
        },
        body: payload,
      });
      callbacks.push({ transactionId: t.transactionId, status: r.status });
    } catch {
      callbacks.push({ transactionId: t.transactionId, status: 0 });
    }
  };
  const act = async (id: string, action: 'open' | 'confirm' | 'reject') => {
    const t = txs.get(id);
    if (!t) return problem(404, 'transaction_unknown', 'no such transaction');
    current(t);
    if (t.status !== 'pending' && t.status !== 'awaitingUser')
      return problem(409, 'transaction_final', `the transaction is already ${t.status}`);
    if (action === 'open') t.status = 'awaitingUser';
    else if (action === 'reject') t.status = 'rejected';
    else {
      const key = creds.get(t.credentialId);
      if (!key) return problem(404, 'credential_unknown', 'no such credential');
      t.signature = Buffer.from(signDigestWithKey(key.key, Buffer.from(t.hash, 'base64'))).toString('base64');
      t.status = 'signed';
    }
    if (t.status === 'signed' || t.status === 'rejected') await notify(t);
    return { status: 200, body: view(t) };
  };
  const http = await startSimulator({
    name: 'async-signing',
    auth: { apiKeys: options.apiKeys ?? ['test-key'] },
    ...(options.faults ? { faults: options.faults } : {}),
    routes: [
      [
        'GET',
        '/v1/credentials/:id',
        (req) => {
          const c = creds.get(req.params.id ?? '');
          if (!c) return problem(404, 'credential_unknown', 'no such credential');
          return {
            status: 200,
            body: {
              credentialId: req.params.id,
              certificate: Buffer.from(c.der).toString('base64'),
              chain: [Buffer.from(pki.issuing.der).toString('base64')],
              algorithm: c.algorithm,
            },
          };
        },
      ],
      [
        'POST',
        '/v1/signatures',
        (req) => {
          const b = (req.body ?? {}) as Record<string, unknown>;
          if (typeof b.credentialId !== 'string' || !creds.has(b.credentialId))
            return problem(404, 'credential_unknown', 'credentialId: no such credential');
          if (typeof b.hash !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(b.hash))
            return problem(400, 'invalid_hash', 'hash: 32 bytes of SHA-256 in base64 are required');
          if (b.hashAlgorithm !== 'SHA-256')
            return problem(400, 'invalid_hash_algorithm', 'hashAlgorithm: SHA-256 only');
          if (typeof b.description !== 'string' || b.description.length === 0 || b.description.length > 200)
            return problem(400, 'invalid_description', 'description: 1 to 200 characters');
          if (
            b.callbackUrl !== undefined &&
            (typeof b.callbackUrl !== 'string' || !/^https?:\/\//.test(b.callbackUrl))
          )
            return problem(400, 'invalid_callback', 'callbackUrl: an http(s) URL');
          const t = {
            transactionId: randomUUID(),
            credentialId: b.credentialId,
            status: 'pending' as const,
            description: b.description,
            expiresAt: now() + ttl,
            hash: b.hash,
            ...(typeof b.callbackUrl === 'string' ? { callbackUrl: b.callbackUrl } : {}),
          };
          txs.set(t.transactionId, t);
          return { status: 202, body: view(t) };
        },
      ],
      [
        'GET',
        '/v1/signatures/:id',
        (req) => {
          const t = txs.get(req.params.id ?? '');
          if (!t) return problem(404, 'transaction_unknown', 'no such transaction');
          return { status: 200, body: view(current(t)) };
        },
      ],
      [
        'POST',
        '/test/transactions/:id/:action',
        async (req) => {
          const action = req.params.action;
          if (action !== 'open' && action !== 'confirm' && action !== 'reject')
            return problem(404, 'no_route', 'open, confirm or reject');
          return act(req.params.id ?? '', action);
        },
      ],
    ],
  });
  const call = async (id: string, action: 'open' | 'confirm' | 'reject') => {
    const r = await act(id, action);
    if (r.status !== 200)
      throw new Error(`${action}: ${(r.body as { message?: string }).message ?? r.status}`);
  };
  return {
    url: `${http.url}v1/`,
    auth: { type: 'apiKey', key: (options.apiKeys ?? ['test-key'])[0] ?? '' },
    pki,
    credentialIds: [...creds.keys()],
    open: (id) => call(id, 'open'),
    confirm: (id) => call(id, 'confirm'),
    reject: (id) => call(id, 'reject'),
    transactions: () => [...txs.values()].map(({ hash: _h, signature: _s, ...t }) => ({ ...t })),
    callbacks,
    http,
    async close() {
      await http.close();
      if (ownPki) await pki.close();
    },
  };
}
