import { Agent, fetch as undiciFetch } from 'undici';

/** PEM material of a client certificate for mutual TLS. */
export interface MtlsOptions {
  /** The client certificate (PEM), with its chain if the gateway needs it. */
  cert: string | Buffer;
  /** Its private key (PEM). */
  key: string | Buffer;
  /** The CA that issued the gateway's server certificate, when it is not a public one. */
  ca?: string | Buffer;
  /** Passphrase of an encrypted key. */
  passphrase?: string;
}

/**
 * A `fetch` that presents a client certificate (mutual TLS), for the gateways that require one. Pass it as
 * the `fetch` option of `createHttpClient` (or of any Motcua client factory).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { createHttpClient } from '@motcua/http';
 * import { mtlsFetch } from '@motcua/http/node';
 * const client = createHttpClient({
 *   baseUrl: 'https://ndxp.example.gov.vn/',
 *   fetch: mtlsFetch({ cert: readFileSync('client.crt'), key: readFileSync('client.key'), ca: readFileSync('ca.crt') }),
 * });
 * ```
 */
export function mtlsFetch(options: MtlsOptions): typeof fetch {
  const dispatcher = new Agent({
    connect: {
      cert: options.cert,
      key: options.key,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    },
  });
  // ky hands over a Request of Node's built-in fetch; undici's own fetch gets its parts, not the object.
  const call = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    if (typeof input === 'object' && !(input instanceof URL)) {
      const req = input as Request;
      const body = req.body ? await req.arrayBuffer() : undefined;
      return undiciFetch(req.url, {
        method: req.method,
        headers: [...req.headers],
        ...(body && body.byteLength > 0 ? { body: new Uint8Array(body) } : {}),
        signal: init?.signal ?? req.signal,
        dispatcher,
      });
    }
    return undiciFetch(input, { ...(init as object), dispatcher } as never);
  };
  return call as unknown as typeof fetch;
}
