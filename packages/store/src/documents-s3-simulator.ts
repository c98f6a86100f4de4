import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AwsV4Signer } from 'aws4fetch';

/** Options of {@link startS3Simulator}. */
export interface S3SimulatorOptions {
  /** Buckets that exist. Default `['motcua-test']`. */
  buckets?: string[];
  /** Access key ID → secret. Default one pair, `{ AKIDMOTCUATEST: 'motcua-test-secret' }`. */
  credentials?: Record<string, string>;
  /** How far a request's `x-amz-date` may be from the clock, ms. Default 15 minutes (as S3). */
  maxSkewMs?: number;
}

/** A running simulator. */
export interface S3Simulator {
  /** `http://127.0.0.1:<port>`: path-style addressing (`/<bucket>/<key>`). */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The stored objects by `<bucket>/<key>` (tests alter them to play a corrupted disk or an intruder). */
  objects: Map<string, Uint8Array>;
  /** Requests refused, by S3 error code. */
  refusals: Record<string, number>;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const xmlError = (res: ServerResponse, status: number, code: string, message: string) => {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
};

/**
 * A small S3-compatible server on 127.0.0.1 for tests: PutObject, GetObject, HeadObject and DeleteObject
 * with path-style addressing. Every request must carry a valid AWS Signature V4 (checked by signing the
 * request again with `aws4fetch`'s signer and the secret of its access key): a wrong secret, an altered
 * header, path or date is refused 403 `SignatureDoesNotMatch`; an unknown key 403 `InvalidAccessKeyId`; a
 * body whose SHA-256 differs from the signed `x-amz-content-sha256` 400 `XAmzContentSHA256Mismatch`.
 */
export async function startS3Simulator(options: S3SimulatorOptions = {}): Promise<S3Simulator> {
  const buckets = new Set(options.buckets ?? ['motcua-test']);
  const credentials = options.credentials ?? { AKIDMOTCUATEST: 'motcua-test-secret' };
  const maxSkew = options.maxSkewMs ?? 15 * 60_000;
  const objects = new Map<string, Uint8Array>();
  const refusals: Record<string, number> = {};
  const requests: S3Simulator['requests'] = [];
  const refuse = (res: ServerResponse, status: number, code: string, message: string) => {
    refusals[code] = (refusals[code] ?? 0) + 1;
    xmlError(res, status, code, message);
  };

  async function verify(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    const auth =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
        req.headers.authorization ?? '',
      );
    if (!auth) {
      refuse(res, 403, 'AccessDenied', 'A Signature V4 Authorization header is required');
      return false;
    }
    const [, keyId, day, region, signedHeaders, signature] = auth as unknown as string[];
    const secret = credentials[keyId!];
    if (!secret) {
      refuse(res, 403, 'InvalidAccessKeyId', 'The access key ID does not exist');
      return false;
    }
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const at = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (!Number.isFinite(at) || amzDate.slice(0, 8) !== day) {
      refuse(res, 403, 'AccessDenied', 'x-amz-date is missing or does not match the credential scope');
      return false;
    }
    if (Math.abs(Date.now() - at) > maxSkew) {
      refuse(res, 403, 'RequestTimeTooSkewed', 'The request time is too far from the server time');
      return false;
    }
    const names = signedHeaders!.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date') || !names.includes('x-amz-content-sha256')) {
      refuse(res, 403, 'AccessDenied', 'host, x-amz-date and x-amz-content-sha256 must be signed');
      return false;
    }
    const headers: Record<string, string> = {};
    for (const n of names) if (n !== 'host') headers[n] = String(req.headers[n] ?? '');
    const expected = await new AwsV4Signer({
      method: req.method!,
      url: `http://${req.headers.host}${req.url}`,
      headers,
      accessKeyId: keyId!,
      secretAccessKey: secret,
      service: 's3',
      region: region!,
      datetime: amzDate,
      allHeaders: true,
    }).signature();
    const a = Buffer.from(expected);
    const b = Buffer.from(signature!);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      refuse(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match');
      return false;
    }
    const payloadHash = headers['x-amz-content-sha256'];
    if (
      payloadHash !== 'UNSIGNED-PAYLOAD' &&
      createHash('sha256').update(body).digest('hex') !== payloadHash
    ) {
      refuse(res, 400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 does not match');
      return false;
    }
    const checksum = req.headers['x-amz-checksum-sha256'];
    if (checksum && createHash('sha256').update(body).digest('base64') !== checksum) {
      refuse(res, 400, 'BadDigest', 'The sha256 checksum does not match');
      return false;
    }
    return true;
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.push({ method: req.method ?? '', path });
      verify(req, body, res)
        .then((ok) => {
          if (!ok) return;
          const m = /^\/([^/]+)\/(.+)$/.exec(path);
          if (!m || !buckets.has(m[1]!)) return refuse(res, 404, 'NoSuchBucket', 'The bucket does not exist');
          const key = `${m[1]}/${decodeURIComponent(m[2]!)}`;
          const stored = objects.get(key);
          switch (req.method) {
            case 'PUT':
              objects.set(key, new Uint8Array(body));
              return res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
            case 'GET':
            case 'HEAD':
              if (!stored)
                return req.method === 'HEAD'
                  ? res.writeHead(404).end()
                  : refuse(res, 404, 'NoSuchKey', 'The key does not exist');
              res.writeHead(200, {
                'content-type': 'application/octet-stream',
                'content-length': String(stored.byteLength),
              });
              return res.end(req.method === 'GET' ? Buffer.from(stored) : undefined);
            case 'DELETE':
              objects.delete(key);
              return res.writeHead(204).end();
            default:
              return refuse(res, 405, 'MethodNotAllowed', 'Not supported by this simulator');
          }
        })
        .catch(() => {
          if (!res.headersSent) xmlError(res, 500, 'InternalError', 'simulator error');
        });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const [accessKeyId, secretAccessKey] = Object.entries(credentials)[0]!;
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accessKeyId,
    secretAccessKey,
    objects,
    refusals,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
