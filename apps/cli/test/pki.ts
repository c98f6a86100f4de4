import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * openssl's own check of a detached DER CMS signature over `content`, with `caFile` as trust anchor: throws
 * (with openssl's message) when it fails, else returns what openssl printed on stdout.
 */
export function opensslVerifyCms(cms: string, content: string, caFile: string): string {
  return execFileSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      cms,
      '-content',
      content,
      '-CAfile',
      caFile,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** A synthetic PKI made with openssl: a root CA, a signer, a revoked signer and the CA's CRL (all PEM). */
export interface TestPki {
  dir: string;
  caCert: string;
  signerKey: string;
  signerCert: string;
  revokedKey: string;
  revokedCert: string;
  /** A key that matches no certificate. */
  strayKey: string;
  /** A CA nobody trusts. */
  otherCaCert: string;
  crl: string;
}

const openssl = (cwd: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

const CA_CONFIG = `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
crlnumber = crlnumber
default_md = sha256
default_days = 365
default_crl_days = 30
policy = any
unique_subject = no
[ any ]
commonName = supplied
organizationName = optional
countryName = optional
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
[ dn ]
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_signer ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** Makes the PKI in `dir` (ECDSA P-256 keys; names are synthetic). */
export function makePki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  const key = (name: string) =>
    openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', name);
  const ca = (name: string, subject: string) => {
    key(`${name}.key`);
    openssl(
      dir,
      'req',
      '-config',
      'ca.cnf',
      '-new',
      '-x509',
      '-utf8',
      '-key',
      `${name}.key`,
      '-subj',
      subject,
      '-days',
      '3650',
      '-extensions',
      'v3_ca',
      '-out',
      `${name}.pem`,
    );
  };
  const signer = (name: string, subject: string) => {
    key(`${name}.key`);
    openssl(
      dir,
      'req',
      '-config',
      'ca.cnf',
      '-new',
      '-utf8',
      '-key',
      `${name}.key`,
      '-subj',
      subject,
      '-out',
      `${name}.csr`,
    );
    openssl(
      dir,
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-utf8',
      '-cert',
      'ca.pem',
      '-keyfile',
      'ca.key',
      '-extensions',
      'v3_signer',
      '-startdate',
      '20250101000000Z',
      '-days',
      '3000',
      '-notext',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
    );
  };
  ca('ca', '/C=VN/O=Motcua Test CA/CN=Motcua Test Root CA');
  ca('other-ca', '/C=VN/O=Nobody/CN=Untrusted Test CA');
  signer('signer', '/C=VN/O=UBND xã Thử Nghiệm/CN=Cán Bộ Thử Nghiệm');
  signer('revoked', '/C=VN/O=UBND xã Thử Nghiệm/CN=Cán Bộ Đã Nghỉ');
  key('stray.key');
  openssl(
    dir,
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.pem',
    '-keyfile',
    'ca.key',
    '-revoke',
    'revoked.pem',
    '-crl_reason',
    'keyCompromise',
  );
  openssl(
    dir,
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.pem',
    '-keyfile',
    'ca.key',
    '-gencrl',
    '-out',
    'ca.crl',
  );
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p('ca.pem'),
    signerKey: p('signer.key'),
    signerCert: p('signer.pem'),
    revokedKey: p('revoked.key'),
    revokedCert: p('revoked.pem'),
    strayKey: p('stray.key'),
    otherCaCert: p('other-ca.pem'),
    crl: p('ca.crl'),
  };
}

/** A minimal one-page PDF (with a correct cross-reference table) showing `text` (ASCII). */
export function minimalPdf(text: string): Uint8Array {
  const content = `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
