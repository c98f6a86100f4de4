// npm run bench: verifyCms per second (RSA-2048, P-256) and signPdf time for a 1 MB PDF with a local key
// (the remote call excluded). Runs against the build (dist/): `npx tsup` first.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createLocalSigner, signCms, signPdf, verifyCms, verifyPdf } from '../dist/index.js';
import { startSimulatedPki } from '../dist/testing.js';

const pki = await startSimulatedPki({ seed: 'bench' });
const data = new TextEncoder().encode('Kết quả giải quyết hồ sơ (dữ liệu giả lập)');
const rows = [];

async function perSecond(fn, ms = 2000) {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

async function median(fn, runs) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const signers = {};
for (const [kind, label] of [
  ['rsa', 'RSA-2048'],
  ['ec', 'ECDSA P-256'],
]) {
  const cert = pki.issue({ label: `bench-${kind}`, name: 'Cán bộ Thử Nghiệm', kind });
  const signer = createLocalSigner(cert.key, cert.der, [pki.issuing.der]);
  signers[kind] = signer;
  const cms = await signCms(data, signer);
  const anchors = [pki.root.der];
  const chainOnly = await perSecond(() =>
    verifyCms(cms, data, { trustAnchors: anchors, revocation: 'none' }),
  );
  const withOcsp = await perSecond(() => verifyCms(cms, data, { trustAnchors: anchors }), 1500);
  const sign = await perSecond(() => signCms(data, signer), 1500);
  rows.push({ label, chainOnly, withOcsp, sign });
}

// A 1 MB PDF: three pages of text and a 1 MB attachment (a scanned paper, incompressible).
const doc = await PDFDocument.create();
const font = await doc.embedFont(StandardFonts.Helvetica);
for (let i = 0; i < 3; i++)
  doc.addPage([595, 842]).drawText(`Trang ${i + 1}`, { x: 50, y: 780, size: 14, font });
await doc.attach(randomBytes(1024 * 1024), 'ban-chup.bin', { mimeType: 'application/octet-stream' });
const pdf = await doc.save({ useObjectStreams: false });
const opts = { reason: 'Phê duyệt kết quả giải quyết hồ sơ', location: 'UBND xã Thử Nghiệm' };
const pdfRows = [];
for (const kind of ['rsa', 'ec']) {
  const invisible = await median(() => signPdf(pdf, signers[kind], opts), 15);
  const visible = await median(() => signPdf(pdf, signers[kind], { ...opts, visible: {} }), 15);
  const signed = await signPdf(pdf, signers[kind], opts);
  const verify = await median(
    () => verifyPdf(signed, { trustAnchors: [pki.root.der], revocation: 'none' }),
    15,
  );
  pdfRows.push({ kind: kind === 'rsa' ? 'RSA-2048' : 'ECDSA P-256', invisible, visible, verify });
}
await pki.close();

const f = (x, d = 0) => x.toFixed(d).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
console.log(`Node ${process.version}, ${(pdf.length / 1024 / 1024).toFixed(2)} MB PDF\n`);
console.log(
  '| key | verifyCms / s (integrity + chain) | verifyCms / s (+ OCSP, local simulator) | signCms / s (local key) |',
);
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.label} | ${f(r.chainOnly)} | ${f(r.withOcsp)} | ${f(r.sign)} |`);
console.log('\n| key | signPdf 1 MB, invisible (ms) | signPdf 1 MB, visible (ms) | verifyPdf 1 MB (ms) |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of pdfRows)
  console.log(`| ${r.kind} | ${f(r.invisible, 1)} | ${f(r.visible, 1)} | ${f(r.verify, 1)} |`);
