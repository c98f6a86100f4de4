import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import { type ContentStore, ContentStoreError } from './documents.js';

/** Options of {@link S3ContentStore}. */
export interface S3ContentStoreOptions {
  bucket: string;
  /** The region the requests are signed for. Default `us-east-1` (MinIO and most S3-compatible servers accept it). */
  region?: string;
  /**
   * The service's base URL, e.g. `http://127.0.0.1:9000` for MinIO. Default AWS S3 in `region`
   * (`https://s3.<region>.amazonaws.com`).
   */
  endpoint?: string;
  /**
   * Address the bucket in the path (`<endpoint>/<bucket>/<key>`) rather than in the host name
   * (`<bucket>.<endpoint host>/<key>`). Default true with an `endpoint` (MinIO and the like), false on AWS.
   */
  forcePathStyle?: boolean;
  /** Prepended to every object key, e.g. `documents/`. Default none. */
  prefix?: string;
  /** Credentials. Default from the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`. */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Per request, ms. Default 30,000. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
}

const HEX64 = /^[0-9a-f]{64}$/;
const sha256hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The content-addressed documents store in an S3-compatible bucket (AWS S3, MinIO, Ceph, Viettel/VNPT/FPT
 * object storage…): the object key is the SHA-256 of the bytes (`<prefix>ab/cd/abcd…`), so writing the same
 * bytes twice keeps one copy. Requests are signed with AWS Signature V4 (`aws4fetch`). The hash is checked
 * both ways: a write sends the payload's SHA-256 as the signed `x-amz-content-sha256` header (the server
 * refuses bytes that differ), and a read recomputes it: an object whose bytes do not match its key is refused
 * with {@link ContentStoreError} `store.content_integrity` rather than handed out.
 *
 * @example
 * ```ts
 * import { openStore, S3ContentStore } from '@motcua/store';
 * const content = new S3ContentStore({
 *   bucket: 'motcua-documents',
 *   endpoint: 'http://127.0.0.1:9000', // MinIO; omit for AWS S3
 *   region: 'us-east-1',
 * }); // credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 * const store = await openStore({ databaseUrl: process.env.DATABASE_URL, content });
 * ```
 */
export class S3ContentStore implements ContentStore {
  readonly bucket: string;
  readonly #client: AwsClient;
  readonly #base: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: S3ContentStoreOptions) {
    const accessKeyId = options.accessKeyId ?? process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = options.secretAccessKey ?? process.env.AWS_SECRET_ACCESS_KEY;
    const sessionToken = options.sessionToken ?? process.env.AWS_SESSION_TOKEN;
    if (!accessKeyId || !secretAccessKey)
      throw new ContentStoreError(
        'store.content_config',
        'S3 content store: no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
        'Kho tài liệu S3: thiếu thông tin xác thực (đặt AWS_ACCESS_KEY_ID và AWS_SECRET_ACCESS_KEY)',
      );
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket))
      throw new ContentStoreError(
        'store.content_config',
        'S3 content store: the bucket name is not valid',
        'Kho tài liệu S3: tên bucket không hợp lệ',
      );
    const region = options.region ?? 'us-east-1';
    const endpoint = new URL(options.endpoint ?? `https://s3.${region}.amazonaws.com`);
    const pathStyle = options.forcePathStyle ?? options.endpoint !== undefined;
    const origin = pathStyle ? endpoint.origin : `${endpoint.protocol}//${options.bucket}.${endpoint.host}`;
    const basePath = endpoint.pathname.replace(/\/+$/, '');
    this.bucket = options.bucket;
    this.#base = `${origin}${basePath}${pathStyle ? `/${options.bucket}` : ''}/`;
    this.#prefix = options.prefix ?? '';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
    this.#client = new AwsClient({
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      service: 's3',
      region,
      retries: 0,
    });
  }

  /** The object's URL (the key is the hash: no characters to escape but the prefix's). */
  #url(sha256: string) {
    if (!HEX64.test(sha256)) throw new RangeError('not a SHA-256 hex digest');
    const key = `${this.#prefix}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
    return this.#base + key.split('/').map(encodeURIComponent).join('/');
  }

  async #send(
    method: string,
    sha256: string,
    init: { body?: Uint8Array; headers?: Record<string, string> } = {},
  ) {
    const request = await this.#client.sign(this.#url(sha256), {
      method,
      headers: {
        // Signed: the server checks the payload against it (the empty body's hash for reads).
        'x-amz-content-sha256': init.body ? sha256hex(init.body) : sha256hex(new Uint8Array()),
        ...init.headers,
      },
      ...(init.body ? { body: init.body } : {}),
    });
    try {
      return await this.#fetch(request, { signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (e) {
      throw new ContentStoreError(
        'store.content_unavailable',
        `S3 content store: ${method} failed: the service could not be reached (${(e as Error).message})`,
        `Kho tài liệu S3: không kết nối được dịch vụ (${method})`,
        e,
      );
    }
  }

  async #fail(method: string, res: Response): Promise<never> {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${res.status}`;
    throw new ContentStoreError(
      res.status >= 500 || res.status === 429 ? 'store.content_unavailable' : 'store.content_refused',
      `S3 content store: ${method} refused by the service: ${code}`,
      `Kho tài liệu S3: dịch vụ từ chối yêu cầu ${method}: ${code}`,
    );
  }

  /** Whether an object with these bytes is stored. */
  async has(sha256: string): Promise<boolean> {
    const res = await this.#send('HEAD', sha256);
    if (res.status === 404) return false;
    if (!res.ok) return this.#fail('HEAD', res);
    return true;
  }

  async put(bytes: Uint8Array) {
    const sha256 = sha256hex(bytes);
    if (!(await this.has(sha256))) {
      const res = await this.#send('PUT', sha256, {
        body: bytes,
        headers: {
          'content-type': 'application/octet-stream',
          // S3 checks this too (flexible checksums); servers that do not know it ignore it.
          'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64'),
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) await this.#fail('PUT', res);
    }
    return { sha256, size: bytes.byteLength };
  }

  async get(sha256: string) {
    const res = await this.#send('GET', sha256);
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return undefined;
    }
    if (!res.ok) return this.#fail('GET', res);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (sha256hex(bytes) !== sha256)
      throw new ContentStoreError(
        'store.content_integrity',
        'S3 content store: the stored object does not match its SHA-256 (altered or corrupted); refused',
        'Kho tài liệu S3: nội dung lưu trữ không khớp mã băm SHA-256 (đã bị sửa đổi hoặc hỏng); từ chối',
      );
    return bytes;
  }

  /** Removes the object (content addressing: only when no document refers to these bytes any more). */
  async delete(sha256: string): Promise<void> {
    const res = await this.#send('DELETE', sha256);
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok && res.status !== 404) await this.#fail('DELETE', res);
  }
}
