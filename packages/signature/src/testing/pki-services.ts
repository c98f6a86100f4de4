import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ecKeyFromSeed, rsaKeyFromSeed, seededBytes } from './keys.js';
import {
  answerOcsp,
  answerTimestamp,
  type IssuedCertificate,
  issueCertificate,
  makeCrl,
  type Revocation,
} from './pki.js';

/** Options of {@link startSimulatedPki}. */
export interface SimulatedPkiOptions {
  /** Everything derives from it: keys, serial numbers. Default `'motcua'`. */
  seed?: string;
  /** The clock (certificate dates, OCSP, CRL, time-stamps). Default the real clock. */
  now?: () => Date;
  /**
   * The port on 127.0.0.1. Default a free one. Officer certificates carry the OCSP and CRL URLs, so with
   * the same seed, clock and port they are byte for byte the same; on another port they differ in those
   * URLs only (same keys, serial numbers, names and dates).
   */
  port?: number;
}

/** Options of {@link SimulatedPki.issue}. */
export interface IssueOfficerOptions {
  /** A label unique within the PKI: the key and serial derive from it. */
  label: string;
  /** Synthetic display name (CN). */
  name: string;
  organization?: string;
  kind: 'rsa' | 'ec';
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: ('digitalSignature' | 'nonRepudiation' | 'keyCertSign' | 'cRLSign')[];
}

/** Counters a test reads. */
export interface PkiStats {
  ocsp: number;
  crl: number;
  tsa: number;
  rejected: number;
}

/**
 * A synthetic PKI with its services on a real HTTP server on 127.0.0.1: root CA → issuing CA → officer
 * certificates (RSA-2048 or ECDSA P-256), an OCSP responder (`POST /ocsp`, RFC 6960), a CRL
 * (`GET /crl/issuing.crl`), the CA certificates (`GET /ca/root.cer`, `/ca/issuing.cer`) and an RFC 3161
 * time-stamping authority (`POST /tsa`). Deterministic from the seed (and, for the URLs inside officer
 * certificates, the `port`).
 */
export interface SimulatedPki {
  url: string;
  root: IssuedCertificate;
  issuing: IssuedCertificate;
  tsa: IssuedCertificate;
  ocspUrl: string;
  crlUrl: string;
  tsaUrl: string;
  /** Issues an officer certificate from the issuing CA. */
  issue(options: IssueOfficerOptions): IssuedCertificate;
  /** Revokes a certificate (OCSP and CRL report it from then on). */
  revoke(serial: string, at: Date): void;
  /** The clock. */
  now(): Date;
  stats: PkiStats;
  close(): Promise<void>;
}

const YEAR = 365 * 86_400_000;
const MAX_BODY = 64 * 1024;

/**
 * Starts a {@link SimulatedPki}.
 *
 * @example
 * ```ts
 * const pki = await startSimulatedPki({ seed: 'test' });
 * const officer = pki.issue({ label: 'a', name: 'Cán bộ Thử Nghiệm', kind: 'ec' });
 * await pki.close();
 * ```
 */
export async function startSimulatedPki(options: SimulatedPkiOptions = {}): Promise<SimulatedPki> {
  const seed = options.seed ?? 'motcua';
  const now = options.now ?? (() => new Date());
  const start = now();
  const serialOf = (label: string) => seededBytes(seed, `serial:${label}`)(16);
  const revoked: Revocation[] = [];
  const stats: PkiStats = { ocsp: 0, crl: 0, tsa: 0, rejected: 0 };
  let tsaSerial = BigInt(`0x${Buffer.from(seededBytes(seed, 'tsa-serial')(4)).toString('hex')}`);
  const sockets = new Set<Socket>();
  // Issued after the server listens (the certificates carry its URLs); filled in below.
  const ca: { root?: IssuedCertificate; issuing?: IssuedCertificate; tsa?: IssuedCertificate } = {};

  const send = (res: ServerResponse, status: number, type: string, body: Uint8Array | string) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    const reject = (status: number, text: string) => {
      stats.rejected++;
      send(res, status, 'text/plain; charset=utf-8', text);
    };
    const { root, issuing, tsa } = ca;
    if (!root || !issuing || !tsa) return reject(503, 'starting');
    if (req.method === 'GET' && path === '/ca/root.cer')
      return send(res, 200, 'application/pkix-cert', root.der);
    if (req.method === 'GET' && path === '/ca/issuing.cer')
      return send(res, 200, 'application/pkix-cert', issuing.der);
    if (req.method === 'GET' && path === '/crl/issuing.crl') {
      stats.crl++;
      return send(res, 200, 'application/pkix-crl', makeCrl(issuing, revoked, now()));
    }
    if (path === '/ocsp' || path.startsWith('/ocsp/')) {
      let der: Uint8Array;
      if (req.method === 'POST') {
        if (type !== 'application/ocsp-request')
          return reject(415, 'content-type must be application/ocsp-request');
        der = body;
      } else if (req.method === 'GET') der = Buffer.from(decodeURIComponent(path.slice(6)), 'base64');
      else return reject(405, 'GET or POST');
      stats.ocsp++;
      const t = now();
      return send(
        res,
        200,
        'application/ocsp-response',
        answerOcsp(
          der,
          issuing,
          (serial) => {
            const r = revoked.find((x) => x.serial === serial && x.revokedAt <= t);
            if (r) return { status: 'revoked', revokedAt: r.revokedAt };
            return issued.has(serial) ? { status: 'good' } : { status: 'unknown' };
          },
          t,
        ),
      );
    }
    if (path === '/tsa') {
      if (req.method !== 'POST') return reject(405, 'POST');
      if (type !== 'application/timestamp-query')
        return reject(415, 'content-type must be application/timestamp-query');
      stats.tsa++;
      tsaSerial++;
      return send(
        res,
        200,
        'application/timestamp-reply',
        await answerTimestamp(body, tsa, [issuing], now(), tsaSerial),
      );
    }
    return reject(404, 'not found');
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        stats.rejected++;
        return send(res, 413, 'text/plain', 'request too large');
      }
      handle(req, res, Buffer.concat(chunks)).catch(() => send(res, 500, 'text/plain', 'internal error'));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error('startSimulatedPki: port is an integer from 0 to 65535');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const ocspUrl = `${url}ocsp`;
  const crlUrl = `${url}crl/issuing.crl`;
  const issued = new Set<string>();
  const root = issueCertificate({
    subject: { C: 'VN', O: 'Motcua Synthetic PKI', CN: 'Motcua Synthetic Root CA' },
    key: rsaKeyFromSeed(seed, 'root'),
    serial: serialOf('root'),
    notBefore: new Date(start.getTime() - YEAR),
    notAfter: new Date(start.getTime() + 20 * YEAR),
    ca: true,
  });
  const issuing = issueCertificate({
    subject: { C: 'VN', O: 'Motcua Synthetic PKI', CN: 'Motcua Synthetic Public-Service CA' },
    key: rsaKeyFromSeed(seed, 'issuing'),
    issuer: root,
    serial: serialOf('issuing'),
    notBefore: new Date(start.getTime() - YEAR),
    notAfter: new Date(start.getTime() + 10 * YEAR),
    ca: true,
  });
  const tsa = issueCertificate({
    subject: { C: 'VN', O: 'Motcua Synthetic PKI', CN: 'Motcua Synthetic Time-Stamping Authority' },
    key: ecKeyFromSeed(seed, 'tsa'),
    issuer: issuing,
    serial: serialOf('tsa'),
    notBefore: new Date(start.getTime() - YEAR),
    notAfter: new Date(start.getTime() + 5 * YEAR),
    keyUsage: ['digitalSignature'],
    extKeyUsage: ['1.3.6.1.5.5.7.3.8'],
  });
  Object.assign(ca, { root, issuing, tsa });
  issued.add(tsa.serial);
  return {
    url,
    root,
    issuing,
    tsa,
    ocspUrl,
    crlUrl,
    tsaUrl: `${url}tsa`,
    issue(o) {
      const cert = issueCertificate({
        subject: { C: 'VN', O: o.organization ?? 'UBND xã Thử Nghiệm (dữ liệu giả lập)', CN: o.name },
        key:
          o.kind === 'rsa'
            ? rsaKeyFromSeed(seed, `officer:${o.label}`)
            : ecKeyFromSeed(seed, `officer:${o.label}`),
        issuer: issuing,
        serial: serialOf(`officer:${o.label}`),
        notBefore: o.notBefore ?? new Date(start.getTime() - 30 * 86_400_000),
        notAfter: o.notAfter ?? new Date(start.getTime() + 2 * YEAR),
        ...(o.keyUsage ? { keyUsage: o.keyUsage } : {}),
        ocspUrl,
        crlUrl,
      });
      issued.add(cert.serial);
      return cert;
    },
    revoke(serial, at) {
      revoked.push({ serial, revokedAt: at });
    },
    now,
    stats,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  };
}
