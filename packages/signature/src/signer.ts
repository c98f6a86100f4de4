import { z } from 'zod';

/**
 * The signature algorithms a {@link RemoteSigner} may use.
 *
 * @example
 * ```ts
 * SignatureAlgorithmSchema.parse('ECDSA-P256');
 * ```
 */
export const SignatureAlgorithmSchema = z.enum(['RSASSA-PKCS1-v1_5', 'ECDSA-P256']);
/** A signature algorithm: RSA PKCS#1 v1.5 or ECDSA on P-256, always with SHA-256. */
export type SignatureAlgorithm = z.infer<typeof SignatureAlgorithmSchema>;

/**
 * Anything that can sign a SHA-256 digest: a local key, a CSC credential, or a Vietnamese
 * asynchronous provider. `signDigest` receives the SHA-256 digest of the DER of the signed attributes
 * (with the DER of the signed attributes beside it) and returns the raw signature (PKCS#1 v1.5 bytes for RSA, DER-encoded ECDSA-Sig-Value for ECDSA).
 *
 * @example
 * ```ts
 * const signer = await createLocalSigner(privateKey, certificateDer);
 * const cms = await signCms(data, signer);
 * ```
 */
export interface RemoteSigner {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Extra certificates to embed (issuing CAs), DER. */
  readonly chain?: readonly Uint8Array[];
  readonly algorithm: SignatureAlgorithm;
  /**
   * Signs `digest` (SHA-256 of `signedAttributes`). Remote signers send only the digest; a local key
   * may sign `signedAttributes` itself because Node's crypto cannot sign a pre-computed ECDSA digest.
   */
  signDigest(digest: Uint8Array, signedAttributes: Uint8Array): Promise<Uint8Array>;
}
