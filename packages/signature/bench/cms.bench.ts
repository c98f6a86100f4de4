import { bench, describe } from 'vitest';
import { signCms } from '../src/cms.js';
import { createLocalSigner } from '../src/local-signer.js';
import { makePki } from '../src/pki.test-helpers.js';
import { verifyCms } from '../src/verify-cms.js';

const data = new TextEncoder().encode('Kết quả giải quyết hồ sơ');

for (const kind of ['rsa', 'ec'] as const) {
  const pki = makePki(kind);
  const signer = createLocalSigner(pki.officerKeyPem, pki.officerDer);
  const cms = await signCms(data, signer);
  describe(`CMS ${kind === 'rsa' ? 'RSA-2048' : 'P-256'}`, () => {
    bench('signCms (local key)', async () => {
      await signCms(data, signer);
    });
    bench('verifyCms (integrity + chain)', async () => {
      await verifyCms(cms, data, { trustAnchors: [pki.rootDer] });
    });
  });
}
