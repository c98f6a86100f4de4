import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, minimalPdf, opensslVerifyCms, type TestPki } from './pki.js';
import { motcua, tempDir } from './run.js';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;
let pki: TestPki;
let dir: string;

beforeAll(() => {
  dir = tempDir();
  pki = makePki(join(dir, 'pki'));
});

describe('motcua sign and verify: detached CMS (.p7s)', () => {
  it('signs a file with a local key, openssl verifies it, and motcua verify reports it valid field by field', () => {
    const data = join(dir, 'export.csv');
    writeFileSync(data, '\uFEFFdossierCode;status\r\n000.00.19.H57-260302-0001;done\r\n');
    const s = motcua('sign', data, '--key', pki.signerKey, '--cert', pki.signerCert, '--json');
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const signed = s.json();
    expect(signed.file).toBe(data);
    expect(signed.out).toBe(`${data}.p7s`);
    expect(signed.format).toBe('cms-detached');
    expect(signed.signer).toContain('CN=Cán Bộ Thử Nghiệm');
    expect(signed.serialNumber).toBe('1000');
    expect(signed.bytes).toBe(readFileSync(`${data}.p7s`).length);
    // An independent check: openssl accepts the signature over the data with the CA as trust anchor.
    opensslVerifyCms(`${data}.p7s`, data, pki.caCert);

    const v = motcua(
      'verify',
      `${data}.p7s`,
      '--trust',
      pki.caCert,
      '--crl',
      pki.crl,
      '--revocation',
      'offline',
      '--json',
    );
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const r = v.json();
    expect(r.file).toBe(`${data}.p7s`);
    expect(r.data).toBe(data);
    expect(r.valid).toBe(true);
    expect(r.integrity).toBe(true);
    expect(r.chainTrusted).toBe(true);
    expect(r.signer.subject).toContain('Cán Bộ Thử Nghiệm');
    expect(r.signer.issuer).toContain('Motcua Test Root CA');
    expect(r.signer.serialNumber).toBe('1000');
    expect(r.signingTime).toBe(signed.signingTime);
    expect(r.revocation).toEqual({ status: 'good', source: 'embedded-crl', revokedAt: null });
    expect(r.timestamp).toBeNull();
    expect(r.failures).toEqual([]);
    const human = motcua(
      'verify',
      `${data}.p7s`,
      '--trust',
      pki.caCert,
      '--revocation',
      'none',
      '--lang',
      'en',
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^✓ Valid signature: /);
    expect(human.stdout).toContain('Signer');
  });

  it('reports a changed file, an untrusted chain and a revoked certificate, exit 1 with each failure code', () => {
    const data = join(dir, 'decision.txt');
    writeFileSync(data, 'Quyết định số 1/QĐ-UBND\n');
    expect(motcua('sign', data, '--key', pki.signerKey, '--cert', pki.signerCert).code).toBe(0);
    const tampered = join(dir, 'decision-tampered.txt');
    writeFileSync(tampered, 'Quyết định số 2/QĐ-UBND\n');
    const a = motcua(
      'verify',
      `${data}.p7s`,
      '--data',
      tampered,
      '--trust',
      pki.caCert,
      '--revocation',
      'none',
      '--json',
    );
    expect(a.code).toBe(1);
    expect(a.json()).toMatchObject({ valid: false, integrity: false, chainTrusted: true });
    expect(a.json().failures.map((f: { code: string }) => f.code)).toEqual(['cms.integrity']);

    const b = motcua('verify', `${data}.p7s`, '--trust', pki.otherCaCert, '--revocation', 'none', '--json');
    expect(b.code).toBe(1);
    expect(b.json().failures.map((f: { code: string }) => f.code)).toEqual(['cms.untrusted_chain']);
    const human = motcua('verify', `${data}.p7s`, '--revocation', 'none');
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('--trust');
    expect(human.stdout).toContain('cms.untrusted_chain');

    const other = join(dir, 'notice.txt');
    writeFileSync(other, 'Thông báo\n');
    expect(motcua('sign', other, '--key', pki.revokedKey, '--cert', pki.revokedCert).code).toBe(0);
    const c = motcua(
      'verify',
      `${other}.p7s`,
      '--trust',
      pki.caCert,
      '--crl',
      pki.crl,
      '--revocation',
      'offline',
      '--json',
    );
    expect(c.code).toBe(1);
    const rc = c.json();
    expect(rc.revocation.status).toBe('revoked');
    expect(rc.revocation.source).toBe('embedded-crl');
    expect(rc.failures.map((f: { code: string }) => f.code)).toEqual(['cms.revoked']);
    // Without any revocation data, offline checking cannot tell.
    const d = motcua('verify', `${data}.p7s`, '--trust', pki.caCert, '--revocation', 'offline', '--json');
    expect(d.json().failures.map((f: { code: string }) => f.code)).toEqual(['cms.revocation_unknown']);
  });

  it('a PEM-armoured signature (openssl cms -outform PEM) verifies too; a corrupt one is cms.corrupt', () => {
    const data = join(dir, 'pem-data.txt');
    writeFileSync(data, 'dữ liệu\n');
    execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-in',
      data,
      '-signer',
      pki.signerCert,
      '-inkey',
      pki.signerKey,
      '-outform',
      'PEM',
      '-out',
      `${data}.p7s`,
    ]);
    const r = motcua(
      'verify',
      `${data}.p7s`,
      '--trust',
      pki.caCert,
      '--crl',
      pki.crl,
      '--revocation',
      'offline',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.json().valid).toBe(true);
    writeFileSync(join(dir, 'junk.p7s'), 'not a signature');
    writeFileSync(join(dir, 'junk'), 'x');
    const j = motcua('verify', join(dir, 'junk.p7s'), '--trust', pki.caCert, '--json');
    expect(j.code).toBe(1);
    expect(j.json().failures.map((f: { code: string }) => f.code)).toEqual(['cms.corrupt']);
  });
});

describe('motcua sign and verify: PAdES', () => {
  it('signs a PDF inside it (incremental update) and verifies it, then sees a change made after signing', () => {
    const pdf = join(dir, 'ket-qua.pdf');
    writeFileSync(pdf, minimalPdf('Ket qua giai quyet ho so'));
    const s = motcua(
      'sign',
      pdf,
      '--key',
      pki.signerKey,
      '--cert',
      pki.signerCert,
      '--chain',
      pki.caCert,
      '--reason',
      'Phê duyệt kết quả',
      '--location',
      'UBND xã Thử Nghiệm',
      '--visible',
      '--json',
    );
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const out = join(dir, 'ket-qua.signed.pdf');
    expect(s.json()).toMatchObject({ file: pdf, out, format: 'pades' });
    const original = readFileSync(pdf);
    const signed = readFileSync(out);
    expect(signed.subarray(0, original.length).equals(original)).toBe(true); // an incremental update

    const v = motcua('verify', out, '--trust', pki.caCert, '--revocation', 'none', '--json');
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const r = v.json();
    expect(r.file).toBe(out);
    expect(r.valid).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.signatures).toHaveLength(1);
    const sig = r.signatures[0];
    expect(sig.valid).toBe(true);
    expect(sig.level).toBe('B-B');
    expect(sig.reason).toBe('Phê duyệt kết quả');
    expect(sig.location).toBe('UBND xã Thử Nghiệm');
    expect(sig.coversWholeDocument).toBe(true);
    expect(sig.modifiedAfterSigning).toBe(false);
    expect(sig.cms.integrity).toBe(true);
    expect(sig.cms.chainTrusted).toBe(true);
    expect(sig.cms.signer.subject).toContain('Cán Bộ Thử Nghiệm');

    // Append an incremental update that replaces the page's content: the signature no longer covers it all.
    const text = signed.toString('latin1');
    const prevXref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
    const body = 'BT /F1 18 Tf 72 720 Td (Da sua) Tj ET';
    let tail = `\n5 0 obj\n<< /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\n`;
    const objAt = signed.length + 1;
    const xrefAt = signed.length + Buffer.byteLength(tail, 'latin1');
    const size = Number(/\/Size (\d+)/g.exec(text.slice(text.lastIndexOf('trailer')))?.[1] ?? 0) || 20;
    tail += `xref\n5 1\n${String(objAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size} /Root 1 0 R /Prev ${prevXref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const changed = join(dir, 'ket-qua.changed.pdf');
    writeFileSync(changed, Buffer.concat([signed, Buffer.from(tail, 'latin1')]));
    const c = motcua('verify', changed, '--trust', pki.caCert, '--revocation', 'none', '--json');
    expect(c.code).toBe(1);
    const rc = c.json();
    expect(rc.valid).toBe(false);
    expect(rc.signatures[0].coversWholeDocument).toBe(false);
    expect(rc.signatures[0].failures.map((f: { code: string }) => f.code)).toContain(
      'pdf.modified_after_signing',
    );
  });

  it('a PDF with no signature is a finding; PDF-only misuse of flags is a usage error', () => {
    const pdf = join(dir, 'plain.pdf');
    writeFileSync(pdf, minimalPdf('Khong ky'));
    const r = motcua('verify', pdf, '--trust', pki.caCert, '--json');
    expect(r.code).toBe(1);
    expect(r.json().failures.map((f: { code: string }) => f.code)).toEqual(['pdf.no_signatures']);
    const u = motcua('verify', pdf, '--crl', pki.crl, '--json');
    expect(u.code).toBe(2);
    expect(JSON.parse(u.stderr).error.code).toBe('usage.pdf_option');
  });
});

describe('motcua sign: bad keys, certificates and files', () => {
  it('exit 2 for a key that does not match, a non-certificate, a missing --data; exit 3 for missing files', () => {
    const data = join(dir, 'x.txt');
    writeFileSync(data, 'x');
    const a = motcua('sign', data, '--key', pki.strayKey, '--cert', pki.signerCert, '--json');
    expect(a.code).toBe(2);
    expect(JSON.parse(a.stderr).error.code).toBe('signature.key_mismatch');
    expect(existsSync(`${data}.p7s`)).toBe(false);
    const b = motcua('sign', data, '--key', pki.signerKey, '--cert', data);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`--cert ${data}: not a certificate`);
    const c = motcua('sign', data, '--key', data, '--cert', pki.signerCert, '--json');
    expect(c.code).toBe(2);
    expect(JSON.parse(c.stderr).error.code).toBe('signature.key');
    const d = motcua(
      'sign',
      join(dir, 'missing.pdf'),
      '--key',
      pki.signerKey,
      '--cert',
      pki.signerCert,
      '--json',
    );
    expect(d.code).toBe(3);
    expect(JSON.parse(d.stderr).error).toMatchObject({ code: 'io.ENOENT' });
    expect(JSON.parse(d.stderr).error.message).toContain('missing.pdf');
    const e = motcua('verify', join(dir, 'x.sig'), '--json');
    expect(e.code).toBe(3);
    writeFileSync(join(dir, 'x.sig'), 'y');
    const f = motcua('verify', join(dir, 'x.sig'), '--json');
    expect(f.code).toBe(2);
    expect(JSON.parse(f.stderr).error.code).toBe('usage.data');
    expect(motcua('sign', data, '--key', pki.signerKey).code).toBe(2); // --cert missing
    // An encrypted key: its passphrase comes from an environment variable, never from the command line.
    const enc = join(pki.dir, 'signer-enc.key');
    execFileSync('openssl', [
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-in',
      pki.signerKey,
      '-out',
      enc,
      '-passout',
      'pass:mật-khẩu',
    ]);
    const g = motcua('sign', data, '--key', enc, '--cert', pki.signerCert, '--json');
    expect(g.code).toBe(2);
    expect(JSON.parse(g.stderr).error.code).toBe('signature.key_encrypted');
    const h = spawnSync(
      process.execPath,
      [BIN, 'sign', data, '--key', enc, '--cert', pki.signerCert, '--passphrase-env', 'KEY_PASS', '--json'],
      {
        encoding: 'utf8',
        env: { ...process.env, KEY_PASS: 'sai' },
      },
    );
    expect(h.status).toBe(2);
    expect(JSON.parse(h.stderr).error.code).toBe('signature.key_passphrase');
    expect(h.stderr).not.toContain('sai');
    const k = spawnSync(
      process.execPath,
      [BIN, 'sign', data, '--key', enc, '--cert', pki.signerCert, '--passphrase-env', 'KEY_PASS', '--json'],
      {
        encoding: 'utf8',
        env: { ...process.env, KEY_PASS: 'mật-khẩu' },
      },
    );
    expect(k.status).toBe(0);
    expect(JSON.parse(k.stdout).out).toBe(`${data}.p7s`);
  });
});

describe('motcua demo-credential: a test credential for a new user', () => {
  it('writes a key, a certificate with its CA, a root and a CRL with which sign and verify succeed', () => {
    const demo = join(dir, 'demo');
    const r = motcua('demo-credential', demo, '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({
      key: join(demo, 'officer.key'),
      cert: join(demo, 'officer.pem'),
      root: join(demo, 'root-ca.pem'),
      crl: join(demo, 'ca.crl'),
      subject: 'C=VN, O=Motcua demo (test CA), CN=Cán bộ Thử Nghiệm',
    });
    expect(Date.parse(out.validTo)).toBeGreaterThan(Date.now());
    expect(readFileSync(out.cert, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2); // officer, issuing CA
    // A PDF signed with it verifies against its root.
    const pdf = join(dir, 'demo.pdf');
    writeFileSync(pdf, minimalPdf('Demo'));
    const signed = join(dir, 'demo.signed.pdf');
    expect(
      motcua('sign', pdf, '--key', out.key, '--cert', out.cert, '--location', 'UBND xã Thử Nghiệm').code,
    ).toBe(0);
    const v = motcua('verify', signed, '--trust', out.root, '--revocation', 'none', '--json');
    expect(v.code).toBe(0);
    expect(v.json().signatures[0].cms).toMatchObject({ valid: true, integrity: true, chainTrusted: true });
    // A detached CMS verifies offline with the CRL written beside it, and openssl agrees.
    const data = join(dir, 'demo.csv');
    writeFileSync(data, 'a;b\r\n1;2\r\n');
    expect(motcua('sign', data, '--key', out.key, '--cert', out.cert).code).toBe(0);
    const c = motcua(
      'verify',
      `${data}.p7s`,
      '--trust',
      out.root,
      '--crl',
      out.crl,
      '--revocation',
      'offline',
      '--json',
    );
    expect(c.code).toBe(0);
    expect(c.json()).toMatchObject({ valid: true, revocation: { status: 'good' } });
    opensslVerifyCms(`${data}.p7s`, data, out.root);
    // Never over an existing credential.
    const again = motcua('demo-credential', demo);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('officer.key: exists; give another directory');
  });

  it('sign --help says how to get a credential', () => {
    const help = motcua('sign', '--help').stdout.replace(/\s+/g, ' ');
    expect(help).toContain('`motcua demo-credential` writes a test one');
    expect(help).toContain('--credential with the CSC API URL');
  });
});
