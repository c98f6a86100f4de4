import { HttpError } from '@motcua/http';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCscClient, createCscProvider } from './csc-client.js';
import { SignatureError } from './errors.js';
import { signPdf } from './pades.js';
import { providerSigner } from './provider.js';
import type { RemoteSigner } from './signer.js';
import { type CscSimulator, startCscSimulator } from './testing/csc-simulator.js';

let sim: CscSimulator;
let signer: RemoteSigner;
let pdf: Uint8Array;
beforeAll(async () => {
  sim = await startCscSimulator({ seed: 'signer-errors' });
  const csc = createCscClient({ baseUrl: sim.url, auth: sim.oauth2, retry: false, circuit: false });
  const cred = sim.credentials.find((c) => c.credentialID === 'cred-rsa-an')!;
  signer = await providerSigner(
    createCscProvider(csc, { authData: async () => ({ pin: cred.pin }) }),
    cred.credentialID,
  );
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  pdf = await doc.save();
});
afterAll(() => sim.close());

const options = { reason: 'Phê duyệt kết quả', location: 'UBND xã Thử Nghiệm' };

describe('signPdf when the remote signer fails', () => {
  it('the signing service’s line down (every call dropped) is signature.remote_unavailable, worth a retry; back up, it signs', async () => {
    sim.http.setFaults({ dropRate: 1, seed: 1 });
    const e = await signPdf(pdf, signer, options).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SignatureError);
    expect(e).toMatchObject({ code: 'signature.remote_unavailable' });
    expect((e as SignatureError).cause).toBeInstanceOf(HttpError);
    sim.http.setFaults({});
    expect((await signPdf(pdf, signer, options)).length).toBeGreaterThan(pdf.length);
  });

  it('a refusal that is no line failure stays signature.signer_failed', async () => {
    const refusing: RemoteSigner = {
      ...signer,
      signDigest: async () => {
        throw new HttpError('http.status_400', 400, false, '-', 'bad request', 'yêu cầu sai');
      },
    };
    await expect(signPdf(pdf, refusing, options)).rejects.toMatchObject({ code: 'signature.signer_failed' });
  });
});
