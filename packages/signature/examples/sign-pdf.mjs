// Signs a PDF through the CSC simulator (PAdES B-LT, visible, Vietnamese text) and verifies it.
// Run from packages/signature after `npx tsup`: node examples/sign-pdf.mjs
import { writeFileSync } from 'node:fs';
import {
  createCscClient,
  createCscProvider,
  createTsaClient,
  providerSigner,
  signPdf,
  verifyPdf,
} from '@motcua/signature';
import { startCscSimulator } from '@motcua/signature/testing';
import { PDFDocument } from 'pdf-lib';

const sim = await startCscSimulator({ seed: 'readme' });
try {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  const pdf = await doc.save();

  const csc = createCscClient({ baseUrl: sim.url, auth: sim.oauth2 });
  const officer = sim.credentials.find((c) => c.credentialID === 'cred-rsa-an');
  const provider = createCscProvider(csc, { authData: async () => ({ pin: officer.pin }) });
  const signer = await providerSigner(provider, officer.credentialID);

  const signed = await signPdf(pdf, signer, {
    reason: 'Phê duyệt kết quả giải quyết hồ sơ',
    location: 'UBND xã Thử Nghiệm',
    visible: { page: 0 },
    level: 'B-LT',
    tsa: createTsaClient({ url: sim.pki.tsaUrl }),
  });
  writeFileSync('signed.pdf', signed);

  const report = await verifyPdf(signed, { trustAnchors: [sim.pki.root.der] });
  for (const s of report.signatures)
    console.log(s.fieldName, s.level, s.valid ? 'hợp lệ / valid' : s.failures.map((f) => f.vi));
  console.log('valid:', report.valid);
} finally {
  await sim.close();
}
