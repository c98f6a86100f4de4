import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MotcuaError } from '@motcua/core';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsyncSigningProvider } from './async-provider.js';
import { createCscClient, mapCscError } from './csc-client.js';
import { signPdf } from './pades.js';
import { FilePendingSignatureStore } from './pending.js';
import { providerSigner } from './provider.js';
import type { RemoteSigner } from './signer.js';
import { type AsyncSigningSimulator, startAsyncSigningSimulator } from './testing/async-simulator.js';
import { createTsaClient } from './timestamp.js';
import { CmsVerificationReportSchema, verifyCms } from './verify-cms.js';
import { PdfVerificationReportSchema, verifyPdf } from './verify-pdf.js';

// Random and mutated inputs must give a MotcuaError or a failed report: never another exception.
const runs = Math.min(Number(process.env.MOTCUA_PROPERTY_RUNS ?? 100), 2000);
const onlyMotcuaErrors = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof MotcuaError)) throw new Error(`not a MotcuaError: ${String(e)}`, { cause: e });
  }
};
const mutate = (base: Uint8Array) =>
  fc.oneof(
    fc
      .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((flips) => {
        const m = base.slice();
        for (const [i, x] of flips) m[i] = (m[i] ?? 0) ^ x;
        return m;
      }),
    fc.nat(base.length).map((n) => base.slice(0, n)),
    fc.tuple(fc.nat(base.length), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([i, extra]) => {
      const m = new Uint8Array(base.length + extra.length);
      m.set(base.subarray(0, i), 0);
      m.set(extra, i);
      m.set(base.subarray(i), i + extra.length);
      return m;
    }),
  );

let sim: AsyncSigningSimulator;
let signer: RemoteSigner;
let pdf: Uint8Array;
let signed: Uint8Array;
beforeAll(async () => {
  sim = await startAsyncSigningSimulator({ seed: 'fuzz' });
  const provider = createAsyncSigningProvider({ baseUrl: sim.url, auth: sim.auth, retry: false });
  signer = await providerSigner(provider, 'async-ec-giang', {
    pollIntervalMs: 1,
    sleep: async () => {
      for (const t of sim.transactions()) if (t.status === 'pending') await sim.confirm(t.transactionId);
    },
  });
  const doc = await PDFDocument.create();
  doc.addPage([300, 300]);
  pdf = await doc.save({ useObjectStreams: false });
  signed = await signPdf(pdf, signer, { reason: 'Thử', location: 'Xã' });
});
afterAll(() => sim.close());

describe('fuzz', () => {
  it('verifyPdf: random bytes and mutated signed PDFs always give a well-formed report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2000 }), mutate(signed)), async (bytes) => {
        const report = PdfVerificationReportSchema.parse(
          await verifyPdf(bytes, { trustAnchors: [sim.pki.root.der], revocation: 'offline' }),
        );
        expect(report.valid).toBe(report.failures.length === 0 && report.signatures.every((s) => s.valid));
      }),
      { numRuns: runs },
    );
  });

  it('verifyPdf: a random byte appended to a signed PDF is never a valid whole-document signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 32 }), async (tail) => {
        const m = new Uint8Array(signed.length + tail.length);
        m.set(signed);
        m.set(tail, signed.length);
        const r = await verifyPdf(m, { trustAnchors: [sim.pki.root.der], revocation: 'offline' });
        expect(r.signatures.every((s) => !s.coversWholeDocument)).toBe(true);
      }),
      { numRuns: Math.min(runs, 50) },
    );
  });

  it('signPdf: random and mutated PDFs sign or throw a MotcuaError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 500 }), mutate(pdf)), async (bytes) => {
        await onlyMotcuaErrors(signPdf(bytes, signer, { reason: 'Thử', location: 'Xã' }));
      }),
      { numRuns: Math.min(runs, 60) },
    );
  });

  it('verifyCms: random revocation data never throws', async () => {
    const cms = new Uint8Array(0);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 3 }),
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 3 }),
        async (ocsps, crls) => {
          const r = await verifyCms(cms, pdf, {
            trustAnchors: [sim.pki.root.der],
            revocationData: { ocsps, crls },
          });
          CmsVerificationReportSchema.parse(r);
          expect(r.valid).toBe(false);
        },
      ),
      { numRuns: Math.min(runs, 100) },
    );
  });

  it('TSA client: any answer body gives a token or a MotcuaError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(200, 400, 500),
        async (body, status) => {
          const tsa = createTsaClient({
            url: 'http://127.0.0.1:9/tsa',
            fetch: async () => new Response(body, { status }),
          });
          await expect(tsa.timestamp(new Uint8Array(32))).rejects.toBeInstanceOf(MotcuaError);
        },
      ),
      { numRuns: runs },
    );
  });

  it('CSC client and async provider: any JSON answer gives data or a MotcuaError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.constantFrom(200, 400, 401, 500), async (json, status) => {
        const fetchFn = async () =>
          new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
        const csc = createCscClient({
          baseUrl: 'http://127.0.0.1:9/csc/v2/',
          fetch: fetchFn,
          retry: false,
          circuit: false,
        });
        await onlyMotcuaErrors(csc.credentialInfo('cred-1'));
        await onlyMotcuaErrors(
          csc.signHash({
            credentialID: 'c',
            sad: 's',
            hashes: [new Uint8Array(32)],
            algorithm: 'ECDSA-P256',
          }),
        );
        const p = createAsyncSigningProvider({
          baseUrl: 'http://127.0.0.1:9/v1/',
          fetch: fetchFn,
          retry: false,
          circuit: false,
        });
        await onlyMotcuaErrors(p.getOperation('x'));
        await onlyMotcuaErrors(p.describe('x'));
      }),
      { numRuns: runs },
    );
  });

  it('mapCscError: any error body maps to a bilingual SignatureError', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (status, body) => {
          const e = mapCscError(status, body as { error?: unknown });
          expect(e).toBeInstanceOf(MotcuaError);
          expect(e.localized.vi.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: runs },
    );
  });

  it('pending-signature file: any content loads or throws a MotcuaError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-fuzz-'));
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
          { maxLength: 5 },
        ),
        (lines) => {
          const path = join(dir, `f${n++}.jsonl`);
          writeFileSync(path, lines.join('\n'));
          try {
            new FilePendingSignatureStore(path);
          } catch (e) {
            expect(e).toBeInstanceOf(MotcuaError);
          }
        },
      ),
      { numRuns: runs },
    );
  });
});
