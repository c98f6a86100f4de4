import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ContentStore } from '@motcua/store';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';
import { silentLogger } from './log.js';
import { startServer } from './server.js';

describe('documents in an S3-compatible bucket, chosen by settings', () => {
  it('reads MOTCUA_S3_* and stores documents in the bucket, signed with the AWS_* credentials', async () => {
    // A stand-in bucket that records what it is sent (the signature itself is checked in @motcua/store's tests).
    const objects = new Map<string, Buffer>();
    const seen: { method: string; url: string; authorization: string }[] = [];
    const bucket = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization ?? '' });
        if (req.method === 'PUT') {
          objects.set(req.url!, Buffer.concat(chunks));
          return res.writeHead(200).end();
        }
        const o = objects.get(req.url!);
        if (!o) return res.writeHead(404).end();
        return res.writeHead(200).end(req.method === 'GET' ? o : undefined);
      });
    });
    await new Promise<void>((r) => bucket.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(bucket.address() as AddressInfo).port}`;
    const env = {
      MOTCUA_S3_BUCKET: 'motcua-docs',
      MOTCUA_S3_ENDPOINT: endpoint,
      MOTCUA_S3_REGION: 'ap-southeast-1',
      MOTCUA_S3_PREFIX: 'tai-lieu/',
      AWS_ACCESS_KEY_ID: 'AKIDWEBTEST',
      AWS_SECRET_ACCESS_KEY: 'web-test-secret',
    };
    expect(configFromEnv(env).documents?.s3).toEqual({
      bucket: 'motcua-docs',
      endpoint,
      region: 'ap-southeast-1',
      prefix: 'tai-lieu/',
    });
    const server = await startServer({
      port: 0,
      demo: false,
      worker: false,
      dataDir: mkdtempSync(join(tmpdir(), 'motcua-web-s3-')),
      log: silentLogger,
      env,
    });
    try {
      expect(server.store.content).toBeInstanceOf(S3ContentStore);
      const scan = new TextEncoder().encode('bản chụp giấy tờ');
      const { sha256 } = await server.store.content.put(scan);
      expect(sha256).toBe(createHash('sha256').update(scan).digest('hex'));
      const put = seen.find((s) => s.method === 'PUT')!;
      expect(put.url).toBe(`/motcua-docs/tai-lieu/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);
      expect(put.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDWEBTEST\/\d{8}\/ap-southeast-1\/s3\//,
      );
      expect(await server.store.content.get(sha256)).toEqual(scan);
    } finally {
      await server.close();
      await new Promise<void>((r) => bucket.close(() => r()));
    }
  }, 120_000);
});
