import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A synthetic PKI made with openssl at test time: root CA -> officer certificate. */
export interface TestPki {
  dir: string;
  rootDer: Uint8Array;
  rootPem: string;
  officerDer: Uint8Array;
  officerCertPath: string;
  officerKeyPem: string;
  officerKeyPath: string;
}

function run(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function der(pemPath: string, cwd: string, out: string): Uint8Array {
  run(['x509', '-in', pemPath, '-outform', 'DER', '-out', out], cwd);
  return new Uint8Array(readFileSync(join(cwd, out)));
}

export function makePki(
  kind: 'rsa' | 'ec',
  opts: { days?: number; keyUsage?: string; startsInPast?: boolean } = {},
): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-sig-'));
  const keyArgs =
    kind === 'rsa'
      ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
      : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  run(['genpkey', ...keyArgs, '-out', 'root.key'], dir);
  run(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'root.key',
      '-subj',
      '/CN=Motcua Test Root CA/O=Synthetic',
      '-days',
      '3650',
      '-out',
      'root.pem',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  run(['genpkey', ...keyArgs, '-out', 'officer.key'], dir);
  run(
    [
      'req',
      '-new',
      '-key',
      'officer.key',
      '-subj',
      '/CN=Nguyen Van Thu/O=UBND xa Thu Nghiem',
      '-out',
      'officer.csr',
    ],
    dir,
  );
  writeFileSync(
    join(dir, 'ext.cnf'),
    `basicConstraints=CA:FALSE\nkeyUsage=critical,${opts.keyUsage ?? 'digitalSignature,nonRepudiation'}\n`,
  );
  run(
    [
      'x509',
      '-req',
      '-in',
      'officer.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-days',
      String(opts.days ?? 365),
      '-extfile',
      'ext.cnf',
      '-out',
      'officer.pem',
    ],
    dir,
  );
  return {
    dir,
    rootDer: der('root.pem', dir, 'root.der'),
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    officerDer: der('officer.pem', dir, 'officer.der'),
    officerCertPath: join(dir, 'officer.pem'),
    officerKeyPem: readFileSync(join(dir, 'officer.key'), 'utf8'),
    officerKeyPath: join(dir, 'officer.key'),
  };
}
