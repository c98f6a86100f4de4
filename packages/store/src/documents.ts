import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MotcuaError } from '@motcua/core';

/**
 * A failure of a content store: `store.content_integrity` (the stored bytes do not match their SHA-256: altered
 * or corrupted, refused), `store.content_unavailable` (the storage service cannot be reached or answers 5xx),
 * `store.content_refused` (it refused the request: credentials, signature, permissions), `store.content_config`.
 *
 * @example
 * ```ts
 * try {
 *   await content.get(sha256);
 * } catch (e) {
 *   if (e instanceof ContentStoreError && e.code === 'store.content_integrity') alertTheAdmin(sha256);
 * }
 * ```
 */
export class ContentStoreError extends MotcuaError {
  constructor(code: string, en: string, vi: string, cause?: unknown) {
    super(code, en, { vi, ...(cause === undefined ? {} : { cause }) });
    this.name = 'ContentStoreError';
  }
}

/**
 * Where the bytes of documents live, addressed by their SHA-256 (the database keeps the hash): a local
 * directory ({@link DirectoryContentStore}, the default) or an S3-compatible bucket ({@link S3ContentStore}).
 * `get` returns undefined for bytes never stored, and throws {@link ContentStoreError} `store.content_integrity`
 * for stored bytes that no longer match their hash.
 */
export interface ContentStore {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | undefined>;
}

/**
 * A content-addressed store in a local directory (`<dir>/ab/cd/abcd…`): writing the same bytes twice keeps
 * one copy; a write goes to a temporary file then is renamed, so a crash never leaves half a document. A read
 * recomputes the hash: altered bytes are refused. An S3-compatible bucket ({@link S3ContentStore}) can take
 * its place through the same interface.
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
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await readFile(this.#path(sha256)));
    } catch {
      return undefined;
    }
    if (createHash('sha256').update(bytes).digest('hex') !== sha256)
      throw new ContentStoreError(
        'store.content_integrity',
        'The stored document does not match its SHA-256 (altered or corrupted); refused',
        'Tài liệu lưu trữ không khớp mã băm SHA-256 (đã bị sửa đổi hoặc hỏng); từ chối',
      );
    return bytes;
  }
}
