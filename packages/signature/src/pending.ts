import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { verifyWebhook } from '@motcua/http';
import { z } from 'zod';
import { type PreparedCms, prepareCms } from './cms.js';
import { SignatureError } from './errors.js';
import { finishPdfSignature, type PreparedPdf, preparePdfSignature, type SignPdfOptions } from './pades.js';
import { type SigningOperation, type SigningProvider, SigningStateSchema } from './provider.js';
import { SignatureAlgorithmSchema } from './signer.js';
import type { TsaClient } from './timestamp.js';

const b64 = z.string().regex(/^[A-Za-z0-9+/=]*$/);

/**
 * A signature waiting for an officer, as stored: everything needed to embed it after a restart.
 *
 * @example
 * ```ts
 * const record = PendingSignatureRecordSchema.parse(JSON.parse(line).record);
 * ```
 */
export const PendingSignatureRecordSchema = z.object({
  operationId: z.string().min(1).max(200),
  provider: z.string().min(1).max(64),
  credentialId: z.string().min(1).max(256),
  /** `waiting` until the provider answers; then `completed` (with `signedPdf`) or `failed`. */
  status: z.enum(['waiting', 'completed', 'failed']),
  /** The provider's last known state. */
  providerState: SigningStateSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  level: z.enum(['B-B', 'B-T', 'B-LT']),
  preparedPdf: b64,
  byteRange: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  digest: b64,
  reserveBytes: z.number().int(),
  signedAttributes: b64,
  certificate: b64,
  chain: z.array(b64),
  algorithm: SignatureAlgorithmSchema,
  signedPdf: b64.optional(),
});
/** A stored pending signature. */
export type PendingSignatureRecord = z.infer<typeof PendingSignatureRecordSchema>;

/**
 * Where pending signatures live so that one confirmed on a phone after the process restarted is still
 * embedded. Implementations here: {@link MemoryPendingSignatureStore} and {@link FilePendingSignatureStore};
 * the database one comes with `@motcua/store`.
 *
 * @example
 * ```ts
 * const store = new FilePendingSignatureStore('/var/lib/motcua/pending-signatures.jsonl');
 * const waiting = await store.list('waiting');
 * ```
 */
export interface PendingSignatureStore {
  put(record: PendingSignatureRecord): Promise<void>;
  get(operationId: string): Promise<PendingSignatureRecord | undefined>;
  update(operationId: string, patch: Partial<PendingSignatureRecord>): Promise<PendingSignatureRecord>;
  list(status?: PendingSignatureRecord['status']): Promise<PendingSignatureRecord[]>;
}

function unknown(operationId: string): SignatureError {
  return new SignatureError(
    'signature.operation_unknown',
    'No pending signature with this operation ID.',
    'Không có yêu cầu ký đang chờ với mã này.',
    undefined,
    { operationId: operationId.slice(0, 64) },
  );
}

/**
 * Pending signatures in memory (tests, single-run tools): lost on restart.
 *
 * @example
 * ```ts
 * const store = new MemoryPendingSignatureStore();
 * ```
 */
export class MemoryPendingSignatureStore implements PendingSignatureStore {
  protected readonly records = new Map<string, PendingSignatureRecord>();

  async put(record: PendingSignatureRecord): Promise<void> {
    const r = PendingSignatureRecordSchema.parse(record);
    this.records.set(r.operationId, r);
  }

  async get(operationId: string): Promise<PendingSignatureRecord | undefined> {
    return this.records.get(operationId);
  }

  async update(operationId: string, patch: Partial<PendingSignatureRecord>): Promise<PendingSignatureRecord> {
    const r = this.records.get(operationId);
    if (!r) throw unknown(operationId);
    const next = PendingSignatureRecordSchema.parse({
      ...r,
      ...patch,
      operationId,
      updatedAt: new Date().toISOString(),
    });
    this.records.set(operationId, next);
    return next;
  }

  async list(status?: PendingSignatureRecord['status']): Promise<PendingSignatureRecord[]> {
    return [...this.records.values()].filter((r) => !status || r.status === status);
  }
}

/**
 * Pending signatures in an append-only JSON-lines file, each write flushed to disk (fsync); opening it
 * replays the lines. A torn last line (a crash mid-write) is ignored; a corrupt line elsewhere throws
 * `signature.store_corrupt` naming the line.
 *
 * @example
 * ```ts
 * const store = new FilePendingSignatureStore('pending-signatures.jsonl');
 * ```
 */
export class FilePendingSignatureStore extends MemoryPendingSignatureStore {
  readonly path: string;

  constructor(path: string) {
    super();
    this.path = path;
    if (!existsSync(path)) return;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const entry = z
          .object({ op: z.enum(['put', 'update']), record: PendingSignatureRecordSchema })
          .parse(JSON.parse(line));
        this.records.set(entry.record.operationId, entry.record);
      } catch (e) {
        const lastLine = lines.slice(i + 1).every((l) => l.trim() === '');
        if (lastLine) return; // torn write at the end
        throw new SignatureError(
          'signature.store_corrupt',
          `The pending-signature file is corrupt at line ${i + 1}.`,
          `Tệp lưu yêu cầu ký đang chờ bị hỏng ở dòng ${i + 1}.`,
          e,
          { line: i + 1 },
        );
      }
    });
  }

  #append(op: 'put' | 'update', record: PendingSignatureRecord): void {
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify({ op, record })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  override async put(record: PendingSignatureRecord): Promise<void> {
    const r = PendingSignatureRecordSchema.parse(record);
    this.#append('put', r);
    this.records.set(r.operationId, r);
  }

  override async update(
    operationId: string,
    patch: Partial<PendingSignatureRecord>,
  ): Promise<PendingSignatureRecord> {
    const r = this.records.get(operationId);
    if (!r) throw unknown(operationId);
    const next = PendingSignatureRecordSchema.parse({
      ...r,
      ...patch,
      operationId,
      updatedAt: new Date().toISOString(),
    });
    this.#append('update', next);
    this.records.set(operationId, next);
    return next;
  }
}

const toB64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Options of {@link startPdfSignature}. */
export interface StartPdfSignatureOptions extends Omit<SignPdfOptions, 'tsa' | 'fetch'> {
  credentialId: string;
  store: PendingSignatureStore;
  /** Shown to the officer on the phone. Default: the reason. */
  description?: string;
  /** Where the provider posts the result, if it calls back. */
  callbackUrl?: string;
}

/**
 * Starts a PDF signature with a (possibly asynchronous) provider and stores it as pending before anything
 * else can go wrong: the prepared PDF, the signed attributes and the certificate. Finish it with
 * {@link completePdfSignature} (polling) or {@link handleSigningCallback}, in this process or after a restart.
 *
 * @example
 * ```ts
 * const { operationId } = await startPdfSignature(pdf, provider, { credentialId, store, reason, location });
 * // later, even in another process:
 * const done = await completePdfSignature(operationId, { provider, store });
 * if (done.pdf) save(done.pdf);
 * ```
 */
export async function startPdfSignature(
  pdf: Uint8Array,
  provider: SigningProvider,
  options: StartPdfSignatureOptions,
): Promise<{ operationId: string; state: SigningOperation['state'] }> {
  const described = await provider.describe(options.credentialId);
  const prepared = await preparePdfSignature(pdf, described.certificate, options);
  const cms = await prepareCms(prepared.digest, described, { omitSigningTime: true });
  const op = await provider.requestSignature({
    credentialId: options.credentialId,
    digest: cms.toBeSigned,
    description: (options.description ?? options.reason).slice(0, 200),
    ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
  });
  const now = new Date().toISOString();
  await options.store.put({
    operationId: op.operationId,
    provider: provider.name,
    credentialId: options.credentialId,
    status: 'waiting',
    providerState: op.state,
    createdAt: now,
    updatedAt: now,
    level: options.level ?? 'B-B',
    preparedPdf: toB64(prepared.pdf),
    byteRange: prepared.byteRange,
    digest: toB64(prepared.digest),
    reserveBytes: prepared.reserveBytes,
    signedAttributes: toB64(cms.signedAttributes),
    certificate: toB64(cms.certificate),
    chain: cms.chain.map(toB64),
    algorithm: cms.algorithm,
  });
  return { operationId: op.operationId, state: op.state };
}

/** Options of {@link completePdfSignature}. */
export interface CompletePdfSignatureOptions {
  store: PendingSignatureStore;
  /** Asked for the operation's state when no `operation` is given. */
  provider?: SigningProvider;
  /** The operation as a callback delivered it. */
  operation?: SigningOperation;
  /** The time-stamping authority (B-T, B-LT). */
  tsa?: TsaClient;
  fetch?: typeof fetch;
}

/**
 * Finishes a pending PDF signature: when the provider says `signed`, the signature is put into the CMS,
 * time-stamped (B-T, B-LT) and embedded; the signed PDF is stored and returned. While the officer has not
 * answered, returns the state; after a rejection or expiry, marks the record failed.
 *
 * @example
 * ```ts
 * const { state, pdf } = await completePdfSignature(operationId, { provider, store, tsa });
 * ```
 */
export async function completePdfSignature(
  operationId: string,
  options: CompletePdfSignatureOptions,
): Promise<{ state: SigningOperation['state']; pdf?: Uint8Array }> {
  const record = await options.store.get(operationId);
  if (!record) throw unknown(operationId);
  if (record.status === 'completed' && record.signedPdf)
    return { state: 'signed', pdf: fromB64(record.signedPdf) };
  if (record.status === 'failed') return { state: record.providerState };
  let op = options.operation;
  if (!op) {
    if (!options.provider)
      throw new SignatureError(
        'signature.invalid_input',
        'provider: required when no operation is given.',
        'provider: bắt buộc khi không có kết quả ký kèm theo.',
        undefined,
        { field: 'provider' },
      );
    op = await options.provider.getOperation(operationId);
  }
  if (op.state === 'pending' || op.state === 'awaitingUser') {
    if (op.state !== record.providerState)
      await options.store.update(operationId, { providerState: op.state });
    return { state: op.state };
  }
  if (op.state !== 'signed' || !op.signature) {
    await options.store.update(operationId, { status: 'failed', providerState: op.state });
    return { state: op.state };
  }
  const prepared: PreparedPdf = {
    pdf: fromB64(record.preparedPdf),
    byteRange: record.byteRange,
    digest: fromB64(record.digest),
    reserveBytes: record.reserveBytes,
  };
  const cms: PreparedCms = {
    signedAttributes: fromB64(record.signedAttributes),
    toBeSigned: new Uint8Array(
      await globalThis.crypto.subtle.digest('SHA-256', fromB64(record.signedAttributes)),
    ),
    certificate: fromB64(record.certificate),
    chain: record.chain.map(fromB64),
    algorithm: record.algorithm,
  };
  const pdf = await finishPdfSignature(prepared, cms, op.signature, {
    level: record.level,
    ...(options.tsa ? { tsa: options.tsa } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  await options.store.update(operationId, {
    status: 'completed',
    providerState: 'signed',
    signedPdf: toB64(pdf),
  });
  return { state: 'signed', pdf };
}

const CallbackSchema = z.object({
  transactionId: z.string().min(1).max(200),
  status: SigningStateSchema,
  signature: b64.optional(),
});

/**
 * Handles a provider's HMAC-signed callback (`t=…,v1=…` header, replay-protected with `seen`): checks the
 * signature, then completes the pending PDF signature it names. Throws `webhook.*` errors for a bad
 * callback, `signature.operation_unknown` for an operation not in the store.
 *
 * @example
 * ```ts
 * app.post('/signing-callback', async (c) => {
 *   const r = await handleSigningCallback({ payload: await c.req.text(), header: c.req.header('x-motcua-signature'), secret, store });
 *   return c.json({ state: r.state });
 * });
 * ```
 */
export async function handleSigningCallback(input: {
  payload: string;
  header: string | undefined;
  secret: string;
  store: PendingSignatureStore;
  tsa?: TsaClient;
  seen?: Set<string>;
  fetch?: typeof fetch;
}): Promise<{ operationId: string; state: SigningOperation['state']; pdf?: Uint8Array }> {
  await verifyWebhook({
    payload: input.payload,
    header: input.header,
    secret: input.secret,
    ...(input.seen ? { seen: input.seen } : {}),
  });
  let body: z.infer<typeof CallbackSchema>;
  try {
    body = CallbackSchema.parse(JSON.parse(input.payload));
  } catch (e) {
    throw new SignatureError(
      'signature.invalid_response',
      'The signing callback does not have the expected fields (transactionId, status, signature).',
      'Lời gọi lại của dịch vụ ký thiếu các trường bắt buộc (transactionId, status, signature).',
      e,
    );
  }
  const op: SigningOperation = {
    operationId: body.transactionId,
    state: body.status,
    ...(body.signature ? { signature: fromB64(body.signature) } : {}),
  };
  const r = await completePdfSignature(body.transactionId, {
    store: input.store,
    operation: op,
    ...(input.tsa ? { tsa: input.tsa } : {}),
    ...(input.fetch ? { fetch: input.fetch } : {}),
  });
  return { operationId: body.transactionId, ...r };
}
