import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { RemoteSigner } from './signer.js';

/**
 * A {@link RemoteSigner} backed by a local private key (PEM or KeyObject), for tests and for
 * officers with a key on the machine.
 *
 * @example
 * ```ts
 * const signer = createLocalSigner(readFileSync('key.pem'), certDer);
 * ```
 */
export function createLocalSigner(
  privateKey: KeyObject | string | Uint8Array,
  certificate: Uint8Array,
  chain: readonly Uint8Array[] = [],
): RemoteSigner {
  const key =
    typeof privateKey === 'string' || privateKey instanceof Uint8Array
      ? createPrivateKey(typeof privateKey === 'string' ? privateKey : Buffer.from(privateKey))
      : privateKey;
  const algorithm = key.asymmetricKeyType === 'ec' ? 'ECDSA-P256' : 'RSASSA-PKCS1-v1_5';
  return {
    certificate,
    chain,
    algorithm,
    async signDigest(_digest, signedAttributes) {
      return new Uint8Array(sign('sha256', signedAttributes, key));
    },
  };
}
