import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentStoreError, DirectoryContentStore } from './documents.js';
import { S3ContentStore } from './documents-s3.js';
import { type S3Simulator, startS3Simulator } from './documents-s3-simulator.js';
import { openStore } from './store.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<ContentStoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ContentStoreError);
    return e as ContentStoreError;
  }
  throw new Error('expected a rejection');
}

describe('S3ContentStore against an S3-compatible server on 127.0.0.1 (Signature V4 checked)', () => {
  let sim: S3Simulator;
  let s3: S3ContentStore;
  beforeAll(async () => {
    sim = await startS3Simulator({ buckets: ['motcua-docs'] });
    s3 = new S3ContentStore({
      bucket: 'motcua-docs',
      endpoint: sim.endpoint,
      accessKeyId: sim.accessKeyId,
      secretAccessKey: sim.secretAccessKey,
      prefix: 'documents/',
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('stores by SHA-256, keeps one copy of the same bytes, reads them back; unknown is undefined', async () => {
    const scan = bytes('Bản sao CCCD — dữ liệu giả lập');
    const r = await s3.put(scan);
    expect(r).toEqual({ sha256: sha(scan), size: scan.byteLength });
    expect([...sim.objects.keys()]).toContain(
      `motcua-docs/documents/${r.sha256.slice(0, 2)}/${r.sha256.slice(2, 4)}/${r.sha256}`,
    );
    const puts = () => sim.requests.filter((q) => q.method === 'PUT').length;
    const before = puts();
    await s3.put(scan);
    expect(puts()).toBe(before);
    expect(await s3.get(r.sha256)).toEqual(scan);
    expect(await s3.has(r.sha256)).toBe(true);
    expect(await s3.get(sha(bytes('never stored')))).toBeUndefined();
    await s3.delete(r.sha256);
    expect(await s3.has(r.sha256)).toBe(false);
    await expect(s3.get('../../etc/passwd')).rejects.toThrow(RangeError);
    expect(sim.refusals).toEqual({ NoSuchKey: 1 });
  });

  it('refuses an object whose bytes were altered in the bucket', async () => {
    const { sha256 } = await s3.put(bytes('giấy khai sinh'));
    const key = [...sim.objects.keys()].find((k) => k.endsWith(sha256))!;
    sim.objects.set(key, bytes('giấy khai sinh (đã sửa)'));
    const e = await rejection(s3.get(sha256));
    expect(e.code).toBe('store.content_integrity');
    expect(e.localized.vi).toContain('không khớp');
  });

  it('a wrong secret is refused 403 SignatureDoesNotMatch; an unknown key InvalidAccessKeyId', async () => {
    const wrong = new S3ContentStore({
      bucket: 'motcua-docs',
      endpoint: sim.endpoint,
      accessKeyId: sim.accessKeyId,
      secretAccessKey: 'not-the-secret',
    });
    // A write starts with HEAD, whose refusal has no body (as on S3): the status is all there is.
    const e = await rejection(wrong.put(bytes('x')));
    expect(e.code).toBe('store.content_refused');
    expect(e.message).toContain('HTTP 403');
    expect([...sim.objects.keys()].some((k) => k.endsWith(sha(bytes('x'))))).toBe(false);
    const g = await rejection(wrong.get(sha(bytes('x'))));
    expect(g.code).toBe('store.content_refused');
    expect(g.message).toContain('SignatureDoesNotMatch');
    expect(sim.refusals.SignatureDoesNotMatch).toBeGreaterThan(0);
    const unknown = new S3ContentStore({
      bucket: 'motcua-docs',
      endpoint: sim.endpoint,
      accessKeyId: 'AKIDNOBODY',
      secretAccessKey: 'x',
    });
    expect((await rejection(unknown.get(sha(bytes('x'))))).message).toContain('InvalidAccessKeyId');
  });

  it('the simulator checks the signature over path, headers and payload hash', async () => {
    const aws = new AwsClient({
      accessKeyId: sim.accessKeyId,
      secretAccessKey: sim.secretAccessKey,
      service: 's3',
      region: 'us-east-1',
    });
    const url = `${sim.endpoint}/motcua-docs/a/b`;
    // Signed for one body, sent with another.
    const signed = await aws.sign(url, {
      method: 'PUT',
      body: bytes('the real bytes'),
      headers: { 'x-amz-content-sha256': sha(bytes('the real bytes')) },
    });
    const swapped = await fetch(url, {
      method: 'PUT',
      headers: signed.headers,
      body: bytes('other bytes'),
    });
    expect(swapped.status).toBe(400);
    expect(await swapped.text()).toContain('XAmzContentSHA256Mismatch');
    // Signed for one path, sent to another.
    const get = await aws.sign(url, { method: 'GET', headers: { 'x-amz-content-sha256': sha(bytes('')) } });
    const moved = await fetch(`${sim.endpoint}/motcua-docs/a/c`, { headers: get.headers });
    expect(moved.status).toBe(403);
    expect(await moved.text()).toContain('SignatureDoesNotMatch');
    // A signed header altered.
    const headers = new Headers(get.headers);
    headers.set('x-amz-date', '20200101T000000Z');
    expect((await fetch(url, { headers })).status).toBe(403);
    // Not signed at all.
    expect((await fetch(url)).status).toBe(403);
    // The genuine request passes (the key does not exist: 404).
    expect((await fetch(url, { headers: get.headers })).status).toBe(404);
  });

  it('an unreachable service is store.content_unavailable; bad settings are refused at construction', async () => {
    const closed = await startS3Simulator();
    const endpoint = closed.endpoint;
    await closed.close();
    const gone = new S3ContentStore({
      bucket: 'motcua-docs',
      endpoint,
      accessKeyId: 'a',
      secretAccessKey: 'b',
      timeoutMs: 2000,
    });
    expect((await rejection(gone.put(bytes('x')))).code).toBe('store.content_unavailable');
    expect(
      () =>
        new S3ContentStore({
          bucket: 'Not_A_Bucket',
          endpoint,
          accessKeyId: 'a',
          secretAccessKey: 'b',
        }),
    ).toThrow(ContentStoreError);
    const env = { ...process.env };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      expect(() => new S3ContentStore({ bucket: 'motcua-docs' })).toThrow(/credentials/);
    } finally {
      Object.assign(process.env, env);
    }
  });

  it('addresses AWS S3 in the host name (virtual-hosted), signed for the region', async () => {
    const seen: Request[] = [];
    const aws = new S3ContentStore({
      bucket: 'motcua-docs',
      region: 'ap-southeast-1',
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      fetch: (async (input: Request) => {
        seen.push(input);
        return new Response(null, { status: 404 });
      }) as typeof fetch,
    });
    const h = sha(bytes('y'));
    expect(await aws.get(h)).toBeUndefined();
    expect(seen[0]!.url).toBe(
      `https://motcua-docs.s3.ap-southeast-1.amazonaws.com/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`,
    );
    expect(seen[0]!.headers.get('authorization')).toMatch(/\/ap-southeast-1\/s3\/aws4_request/);
  });

  it('serves as the dossier store’s documents (openStore({ content }))', async () => {
    const store = await openStore({
      inMemory: true,
      dataDir: mkdtempSync(join(tmpdir(), 'motcua-s3-')),
      content: s3,
    });
    try {
      const scan = bytes('đơn đề nghị');
      const { sha256 } = await store.content.put(scan);
      expect(await store.content.get(sha256)).toEqual(scan);
      expect(store.content).toBe(s3);
    } finally {
      await store.close();
    }
  });
});

describe('DirectoryContentStore', () => {
  it('refuses a file altered on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-docs-'));
    const files = new DirectoryContentStore(dir);
    const { sha256 } = await files.put(bytes('scan'));
    expect(await files.get(sha256)).toEqual(bytes('scan'));
    writeFileSync(join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256), 'altered');
    expect((await rejection(files.get(sha256))).code).toBe('store.content_integrity');
    expect(await files.get(sha(bytes('never')))).toBeUndefined();
  });
});
