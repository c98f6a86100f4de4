import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where the bytes of documents live, addressed by their SHA-256 (the database keeps the hash). */
export interface ContentStore {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | undefined>;
}

/**
 * A content-addressed store in a local directory (`<dir>/ab/cd/abcd…`): writing the same bytes twice keeps
 * one copy; a write goes to a temporary file then is renamed, so a crash never leaves half a document.
 * An S3-compatible bucket can take its place through the same interface.
 *
 * @example
 * ```ts
 * const files = new DirectoryContentStore('./.motcua-data/documents');
 * const { sha256 } = await files.put(new TextEncoder().encode('scan'));
 * ```
 */
export class DirectoryContentStore implements ContentStore {
  readonly #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
  }
  #path(sha256: string) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError('not a SHA-256 hex digest');
    return join(this.#dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
  async put(bytes: Uint8Array) {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.#path(sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes, { flush: true });
      await rename(tmp, path);
    }
    return { sha256, size: bytes.byteLength };
  }
  async get(sha256: string) {
    try {
      return new Uint8Array(await readFile(this.#path(sha256)));
    } catch {
      return undefined;
    }
  }
}
