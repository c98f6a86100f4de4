import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsyncSigningProvider } from './async-provider.js';
import { SignatureError } from './errors.js';
import {
  completePdfSignature,
  FilePendingSignatureStore,
  handleSigningCallback,
  MemoryPendingSignatureStore,
  startPdfSignature,
} from './pending.js';
import { providerSigner } from './provider.js';
import { type AsyncSigningSimulator, startAsyncSigningSimulator } from './testing/async-simulator.js';
import { createTsaClient } from './timestamp.js';
import { verifyPdf } from './verify-pdf.js';

let sim: AsyncSigningSimulator;
let clock = Date.parse('2025-10-01T02:00:00Z');
let pdf: Uint8Array;
const dir = mkdtempSync(join(tmpdir(), 'motcua-async-'));
const opts = {
  reason: 'Ký bản sao chứng thực',
  location: 'UBND xã Thử Nghiệm',
  credentialId: 'async-ec-giang',
};

beforeAll(async () => {
  sim = await startAsyncSigningSimulator({ seed: 'async-test', now: () => new Date(clock), ttlSec: 120 });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  pdf = await doc.save({ useObjectStreams: false });
});
afterAll(() => sim.close());

const provider = () => createAsyncSigningProvider({ baseUrl: sim.url, auth: sim.auth, retry: false });
const anchors = () => ({ trustAnchors: [sim.pki.root.der] });

describe('asynchronous provider (officer confirms on a phone)', () => {
  it('pending → awaitingUser → signed, by polling; the PDF verifies', async () => {
    const store = new MemoryPendingSignatureStore();
    const p = provider();
    const started = await startPdfSignature(pdf, p, { ...opts, store });
    expect(started.state).toBe('pending');
    expect(await completePdfSignature(started.operationId, { provider: p, store })).toEqual({
      state: 'pending',
    });
    await sim.open(started.operationId);
    expect(await completePdfSignature(started.operationId, { provider: p, store })).toEqual({
      state: 'awaitingUser',
    });
    expect((await store.get(started.operationId))?.providerState).toBe('awaitingUser');
    await sim.confirm(started.operationId);
    const done = await completePdfSignature(started.operationId, { provider: p, store });
    expect(done.state).toBe('signed');
    const report = await verifyPdf(done.pdf ?? new Uint8Array(), anchors());
    expect(report.valid).toBe(true);
    expect(report.signatures[0]?.cms.signer?.subject).toContain('Đỗ Thị Giang');
    expect((await store.get(started.operationId))?.status).toBe('completed');
  });

  it('a signature that does not match the certificate is refused and the operation stays pending', async () => {
    const store = new MemoryPendingSignatureStore();
    const started = await startPdfSignature(pdf, provider(), { ...opts, store });
    const err = await completePdfSignature(started.operationId, {
      store,
      operation: { operationId: started.operationId, state: 'signed', signature: new Uint8Array(70).fill(7) },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignatureError);
    expect((err as SignatureError).code).toBe('signature.invalid_response');
    expect((await store.get(started.operationId))?.status).not.toBe('completed');
    // The real signature still completes it.
    await sim.confirm(started.operationId);
    const done = await completePdfSignature(started.operationId, { provider: provider(), store });
    expect(done.state).toBe('signed');
    expect((await verifyPdf(done.pdf ?? new Uint8Array(), anchors())).valid).toBe(true);
  });

  it('a signature confirmed after a restart is still embedded (file store)', async () => {
    const path = join(dir, 'pending.jsonl');
    const started = await startPdfSignature(pdf, provider(), {
      ...opts,
      credentialId: 'async-rsa-hai',
      level: 'B-T',
      store: new FilePendingSignatureStore(path),
    });
    // The process "restarts": nothing but the file survives.
    await sim.confirm(started.operationId);
    const store = new FilePendingSignatureStore(path);
    expect((await store.list('waiting')).map((r) => r.operationId)).toEqual([started.operationId]);
    const done = await completePdfSignature(started.operationId, {
      provider: provider(),
      store,
      tsa: createTsaClient({ url: sim.pki.tsaUrl }),
    });
    const report = await verifyPdf(done.pdf ?? new Uint8Array(), anchors());
    expect(report.valid).toBe(true);
    expect(report.signatures[0]?.level).toBe('B-T');
    const reopened = new FilePendingSignatureStore(path);
    expect((await reopened.get(started.operationId))?.status).toBe('completed');
    expect(await completePdfSignature(started.operationId, { store: reopened })).toMatchObject({
      state: 'signed',
    });
  });

  it('a refusal and an expiry fail the pending record, and a waiting signer says why', async () => {
    const store = new MemoryPendingSignatureStore();
    const p = provider();
    const refused = await startPdfSignature(pdf, p, { ...opts, store });
    await sim.reject(refused.operationId);
    expect(await completePdfSignature(refused.operationId, { provider: p, store })).toEqual({
      state: 'rejected',
    });
    expect((await store.get(refused.operationId))?.status).toBe('failed');
    const late = await startPdfSignature(pdf, p, { ...opts, store });
    clock += 121_000;
    expect(await completePdfSignature(late.operationId, { provider: p, store })).toEqual({
      state: 'expired',
    });
    await expect(sim.confirm(late.operationId)).rejects.toThrow(/already expired/);
    const signer = await providerSigner(p, 'async-ec-giang', {
      pollIntervalMs: 1,
      sleep: async () => {
        const t = sim.transactions().find((x) => x.status === 'pending');
        if (t) await sim.reject(t.transactionId);
      },
    });
    const e = await signer.signDigest(new Uint8Array(32), new Uint8Array(0)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SignatureError);
    expect((e as SignatureError).code).toBe('signature.operation_not_signed');
    expect((e as SignatureError).localized.vi).toMatch(/từ chối/);
  });

  it('an HMAC-signed callback completes the signature; forged and replayed callbacks are refused', async () => {
    const store = new MemoryPendingSignatureStore();
    const seen = new Set<string>();
    const received: { payload: string; header: string | undefined }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        const h = req.headers['x-motcua-signature'];
        received.push({ payload: body, header: typeof h === 'string' ? h : undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
      const started = await startPdfSignature(pdf, provider(), { ...opts, store, callbackUrl: url });
      await sim.confirm(started.operationId);
      expect(sim.callbacks.at(-1)).toEqual({ transactionId: started.operationId, status: 204 });
      const cb = received[0];
      expect(cb).toBeDefined();
      const forged = await handleSigningCallback({
        payload: cb?.payload ?? '',
        header: cb?.header,
        secret: 'wrong-secret',
        store,
      }).catch((x: unknown) => x);
      expect((forged as { code: string }).code).toBe('webhook.signature');
      const done = await handleSigningCallback({
        payload: cb?.payload ?? '',
        header: cb?.header,
        secret: 'whsec_test',
        store,
        seen,
      });
      expect(done.state).toBe('signed');
      expect((await verifyPdf(done.pdf ?? new Uint8Array(), anchors())).valid).toBe(true);
      const replay = await handleSigningCallback({
        payload: cb?.payload ?? '',
        header: cb?.header,
        secret: 'whsec_test',
        store,
        seen,
      }).catch((x: unknown) => x);
      expect((replay as { code: string }).code).toBe('webhook.replay');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('the simulator validates requests and enforces its API key', async () => {
    const p = provider();
    const e = await p
      .requestSignature({ credentialId: 'async-ec-giang', digest: new Uint8Array(32), description: '' })
      .catch((x: unknown) => x);
    expect((e as { serverCode?: string }).serverCode).toBe('invalid_description');
    const unknown = await p.describe('nobody').catch((x: unknown) => x);
    expect((unknown as SignatureError).code).toBe('signature.credential_unknown');
    const anonymous = createAsyncSigningProvider({
      baseUrl: sim.url,
      auth: { type: 'apiKey', key: 'wrong' },
      retry: false,
    });
    const denied = await anonymous.describe('async-ec-giang').catch((x: unknown) => x);
    expect((denied as { status?: number }).status).toBe(401);
  });

  it('the file store ignores a torn last line and names a corrupt line', async () => {
    const path = join(dir, 'torn.jsonl');
    const store = new FilePendingSignatureStore(path);
    await startPdfSignature(pdf, provider(), { ...opts, store });
    appendFileSync(path, '{"op":"put","record":{"operat');
    expect(await new FilePendingSignatureStore(path).list()).toHaveLength(1);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, 'not json\n{"op":"put"}\n');
    const e = (() => {
      try {
        new FilePendingSignatureStore(bad);
      } catch (x) {
        return x;
      }
    })();
    expect((e as SignatureError).code).toBe('signature.store_corrupt');
    expect((e as SignatureError).details.line).toBe(1);
  });

  it('completing an operation that is not in the store is a clear error', async () => {
    const e = await completePdfSignature('nope', { store: new MemoryPendingSignatureStore() }).catch(
      (x: unknown) => x,
    );
    expect((e as SignatureError).code).toBe('signature.operation_unknown');
    expect((e as SignatureError).localized.vi).toMatch(/Không có yêu cầu ký/);
  });
});
