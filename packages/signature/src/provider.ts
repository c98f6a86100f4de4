import { z } from 'zod';
import { SignatureError } from './errors.js';
import type { RemoteSigner, SignatureAlgorithm } from './signer.js';

/**
 * The states of a signing operation: `pending → awaitingUser → signed | rejected | expired`.
 *
 * @example
 * ```ts
 * SigningStateSchema.parse('awaitingUser');
 * ```
 */
export const SigningStateSchema = z.enum(['pending', 'awaitingUser', 'signed', 'rejected', 'expired']);
/** A state of a {@link SigningOperation}. */
export type SigningState = z.infer<typeof SigningStateSchema>;

/** One signing operation at a provider. `signature` is set once the state is `signed`. */
export interface SigningOperation {
  operationId: string;
  state: SigningState;
  /** The raw signature over the digest (PKCS#1 v1.5 for RSA, DER ECDSA-Sig-Value for P-256). */
  signature?: Uint8Array;
  /** When the provider gives up waiting for the officer (ISO 8601). */
  expiresAt?: string;
}

/** The certificate side of a credential: what goes into the CMS. */
export interface CredentialDescription {
  certificate: Uint8Array;
  chain: readonly Uint8Array[];
  algorithm: SignatureAlgorithm;
}

/** What a provider is asked to sign. */
export interface SignatureRequest {
  credentialId: string;
  /** SHA-256 digest (32 bytes) of the DER signed attributes. */
  digest: Uint8Array;
  /** Shown to the officer on the phone (no personal data of citizens). */
  description: string;
  /** Where an asynchronous provider posts the result (HMAC-signed), if it supports callbacks. */
  callbackUrl?: string;
}

/**
 * One interface for every remote-signing provider (in the spirit of the Vercel AI SDK's provider
 * specification): the Cloud Signature Consortium API v2 (synchronous: the answer is `signed` at once) and
 * the Vietnamese asynchronous providers (the officer confirms on a phone: `pending → awaitingUser →
 * signed | rejected | expired`, by polling or callback).
 *
 * @example
 * ```ts
 * const op = await provider.requestSignature({ credentialId, digest, description: 'Ký kết quả hồ sơ' });
 * const done = op.state === 'signed' ? op : await provider.getOperation(op.operationId);
 * ```
 */
export interface SigningProvider {
  /** A short name for logs and the pending store (`csc`, `async-sim`...). */
  readonly name: string;
  /** The certificate, chain and algorithm of a credential. */
  describe(credentialId: string): Promise<CredentialDescription>;
  /** Asks for a signature over a SHA-256 digest. */
  requestSignature(request: SignatureRequest): Promise<SigningOperation>;
  /** The current state of an operation (polling). */
  getOperation(operationId: string): Promise<SigningOperation>;
}

/** Options of {@link providerSigner}. */
export interface ProviderSignerOptions {
  description?: string;
  /** Poll interval while the officer has not answered, ms. Default 1,000. */
  pollIntervalMs?: number;
  /** Give up after this long, ms. Default 300,000. */
  timeoutMs?: number;
  /** For tests: the sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A {@link RemoteSigner} over a {@link SigningProvider} credential, waiting (polling) until the operation
 * is signed. A rejection or expiry throws a bilingual `SignatureError`. For long waits that must survive a
 * restart, use `startPdfSignature` with a `PendingSignatureStore` instead.
 *
 * @example
 * ```ts
 * const signer = await providerSigner(cscProvider, 'cred-rsa-an');
 * const signed = await signPdf(pdf, signer, { reason: 'Phê duyệt', location: 'UBND xã' });
 * ```
 */
export async function providerSigner(
  provider: SigningProvider,
  credentialId: string,
  options: ProviderSignerOptions = {},
): Promise<RemoteSigner> {
  const described = await provider.describe(credentialId);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    certificate: described.certificate,
    chain: described.chain,
    algorithm: described.algorithm,
    async signDigest(digest) {
      let op = await provider.requestSignature({
        credentialId,
        digest,
        description: options.description ?? 'Ký số văn bản / Sign a document',
      });
      const deadline = Date.now() + (options.timeoutMs ?? 300_000);
      while (op.state === 'pending' || op.state === 'awaitingUser') {
        if (Date.now() > deadline) break;
        await sleep(options.pollIntervalMs ?? 1000);
        op = await provider.getOperation(op.operationId);
      }
      return signatureOf(op);
    },
  };
}

/**
 * The signature of a finished operation, or the bilingual error that explains why there is none.
 *
 * @example
 * ```ts
 * const raw = signatureOf(await provider.getOperation(id)); // throws when rejected or expired
 * ```
 */
export function signatureOf(op: SigningOperation): Uint8Array {
  if (op.state === 'signed' && op.signature) return op.signature;
  if (op.state === 'rejected')
    throw new SignatureError(
      'signature.operation_not_signed',
      'The officer refused to sign on the phone app.',
      'Cán bộ đã từ chối ký trên ứng dụng điện thoại.',
      undefined,
      { state: op.state },
    );
  if (op.state === 'expired')
    throw new SignatureError(
      'signature.operation_not_signed',
      'The officer did not confirm in time; the signing request expired. Send it again.',
      'Cán bộ không xác nhận kịp thời; yêu cầu ký đã hết hạn. Hãy gửi lại yêu cầu.',
      undefined,
      { state: op.state },
    );
  throw new SignatureError(
    'signature.operation_not_signed',
    'The officer has not confirmed the signature yet.',
    'Cán bộ chưa xác nhận ký.',
    undefined,
    { state: op.state },
  );
}
