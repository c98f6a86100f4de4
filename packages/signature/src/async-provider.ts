import { createHttpClient, type HttpClientOptions } from '@motcua/http';
import { z } from 'zod';
import { SignatureError } from './errors.js';
import {
  type CredentialDescription,
  type SigningOperation,
  type SigningProvider,
  SigningStateSchema,
} from './provider.js';
import { SignatureAlgorithmSchema } from './signer.js';

const b64 = z.string().regex(/^[A-Za-z0-9+/=]*$/);
const CredentialSchema = z.object({
  credentialId: z.string(),
  certificate: b64.min(1),
  chain: z.array(b64),
  algorithm: SignatureAlgorithmSchema,
});
const TransactionSchema = z.object({
  transactionId: z.string().min(1).max(200),
  status: SigningStateSchema,
  signature: b64.optional(),
  expiresAt: z.string().optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new SignatureError(
      'signature.invalid_response',
      `The signing provider sent an invalid answer to ${what}.`,
      `Nhà cung cấp dịch vụ ký trả lời ${what} không đúng định dạng.`,
      r.error,
      { operation: what },
    );
  return r.data;
}

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/**
 * A {@link SigningProvider} for the asynchronous hash-signing protocol of Vietnamese remote-signing
 * services, as the simulator of `@motcua/signature/testing` speaks it: `GET credentials/:id`,
 * `POST signatures` (a SHA-256 hash; the officer confirms on a phone), `GET signatures/:id` (polling), and an
 * HMAC-signed callback (see `handleSigningCallback`). A real provider (SmartCA, MySign…) is adapted by a
 * provider of its own implementing the same interface.
 *
 * @example
 * ```ts
 * const provider = createAsyncSigningProvider({ baseUrl: 'https://ky-so.example.vn/v1/', auth: { type: 'apiKey', key } });
 * const { operationId } = await startPdfSignature(pdf, provider, { credentialId, store, reason, location });
 * ```
 */
export function createAsyncSigningProvider(options: HttpClientOptions & { name?: string }): SigningProvider {
  const http = createHttpClient(options);
  const wrap = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      const code = (e as { serverCode?: string }).serverCode;
      if (code === 'credential_unknown')
        throw new SignatureError(
          'signature.credential_unknown',
          'The signing provider does not know this credential.',
          'Nhà cung cấp dịch vụ ký không có chứng thư này.',
          e,
        );
      if (code === 'transaction_unknown')
        throw new SignatureError(
          'signature.operation_unknown',
          'The signing provider does not know this signing request.',
          'Nhà cung cấp dịch vụ ký không có yêu cầu ký này.',
          e,
        );
      throw e;
    }
  };
  const op = (t: z.infer<typeof TransactionSchema>): SigningOperation => ({
    operationId: t.transactionId,
    state: t.status,
    ...(t.signature ? { signature: fromB64(t.signature) } : {}),
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
  });
  return {
    name: options.name ?? 'async',
    async describe(credentialId): Promise<CredentialDescription> {
      const r = await wrap(http.get(`credentials/${encodeURIComponent(credentialId)}`));
      const c = parse(CredentialSchema, r.data, 'credentials');
      return { certificate: fromB64(c.certificate), chain: c.chain.map(fromB64), algorithm: c.algorithm };
    },
    async requestSignature(request) {
      const r = await wrap(
        http.post('signatures', {
          json: {
            credentialId: request.credentialId,
            hash: Buffer.from(request.digest).toString('base64'),
            hashAlgorithm: 'SHA-256',
            description: request.description,
            ...(request.callbackUrl ? { callbackUrl: request.callbackUrl } : {}),
          },
        }),
      );
      return op(parse(TransactionSchema, r.data, 'signatures'));
    },
    async getOperation(operationId) {
      const r = await wrap(http.get(`signatures/${encodeURIComponent(operationId)}`));
      return op(parse(TransactionSchema, r.data, 'signatures/:id'));
    },
  };
}
