import { createPrivateKey, type KeyObject, randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @motcua/signature (pkijs, pdf-lib) is slow to load: imported only when sign or verify runs.
import type { CmsVerificationReport, PdfVerificationReport } from '@motcua/signature';
import type { Argv } from 'yargs';
import { requireFile, writeAtomic } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';

type Lang = 'vi' | 'en';

function readBytes(path: string, what: string): Uint8Array {
  requireFile(path, what);
  return new Uint8Array(readFileSync(path));
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The DER blocks of a PEM file (of the given labels), or the file itself when it is DER. */
function derBlocks(bytes: Uint8Array, labels: readonly string[]): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.includes('-----BEGIN ')) return [bytes];
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(PEM_BLOCK))
    if (labels.includes(m[1]!)) out.push(new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')));
  return out;
}

/** Certificates (DER) from a PEM bundle or a DER file; each checked to parse. */
function certificatesFrom(path: string, option: string): Uint8Array[] {
  const blocks = derBlocks(readBytes(path, option), ['CERTIFICATE', 'TRUSTED CERTIFICATE']);
  if (blocks.length === 0)
    throw new CliError(`${option} ${path}: no certificate in the file`, EXIT.usage, 'signature.certificate');
  for (const der of blocks) {
    try {
      new X509Certificate(Buffer.from(der));
    } catch {
      throw new CliError(
        `${option} ${path}: not a certificate (PEM or DER X.509)`,
        EXIT.usage,
        'signature.certificate',
      );
    }
  }
  return blocks;
}

function privateKeyFrom(path: string, passphraseEnv: string | undefined): KeyObject {
  const bytes = readBytes(path, '--key');
  const passphrase = passphraseEnv !== undefined ? process.env[passphraseEnv] : undefined;
  if (passphraseEnv !== undefined && passphrase === undefined)
    throw new CliError(
      `--passphrase-env ${passphraseEnv}: the variable is not set`,
      EXIT.usage,
      'usage.passphrase',
    );
  try {
    const pem = Buffer.from(bytes).toString('latin1').includes('-----BEGIN ');
    return createPrivateKey({
      key: Buffer.from(bytes),
      format: pem ? 'pem' : 'der',
      ...(pem ? {} : { type: 'pkcs8' as const }),
      ...(passphrase !== undefined ? { passphrase } : {}),
    });
  } catch {
    const text = Buffer.from(bytes).toString('latin1');
    const encrypted = text.includes('ENCRYPTED PRIVATE KEY') || text.includes('Proc-Type: 4,ENCRYPTED');
    if (encrypted && passphrase === undefined)
      throw new CliError(
        `--key ${path}: the key is encrypted; put its passphrase in an environment variable and give --passphrase-env <NAME>`,
        EXIT.usage,
        'signature.key_encrypted',
      );
    if (encrypted)
      throw new CliError(
        `--key ${path}: wrong passphrase (from $${passphraseEnv})`,
        EXIT.usage,
        'signature.key_passphrase',
      );
    throw new CliError(`--key ${path}: not a private key (PEM, or DER PKCS#8)`, EXIT.usage, 'signature.key');
  }
}

const isPdf = (bytes: Uint8Array) =>
  Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');

/** A CMS signature from a .p7s file: DER, or PEM (PKCS7 / CMS armour). */
function cmsFrom(path: string): Uint8Array {
  const bytes = readBytes(path, '');
  const blocks = derBlocks(bytes, ['PKCS7', 'CMS']);
  return blocks[0] ?? bytes;
}

function instant(text: string | undefined, option: string): Date | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text))
    throw new CliError(
      `${option} ${text}: expected an instant with its offset, e.g. 2026-03-02T09:00:00+07:00`,
      EXIT.usage,
      'usage.instant',
    );
  return new Date(text);
}

const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};
/** `2.5.4.3=Name, 2.5.4.10=Org` → `CN=Name, O=Org`. */
const dn = (s: string) =>
  s.replace(/(^|, )([\d.]+)=/g, (_, sep: string, oid: string) => `${sep}${NAMES[oid] ?? oid}=`);

const yes = (b: boolean) => (b ? style.green('✓') : style.red('✗'));
const labeller =
  (lang: Lang, indent = '') =>
  (vi: string, en: string) =>
    `${indent}${(lang === 'vi' ? vi : en).padEnd(18)}`;
const verdict = (valid: boolean, lang: Lang) =>
  valid
    ? style.green(lang === 'vi' ? '✓ Chữ ký hợp lệ' : '✓ Valid signature')
    : style.red(lang === 'vi' ? '✗ Chữ ký không hợp lệ' : '✗ Invalid signature');

function humanReport(r: CmsVerificationReport, file: string, lang: Lang): string {
  return [`${verdict(r.valid, lang)}: ${file}`, ...cmsLines(r, lang, '')].join('\n');
}

function humanPdfReport(r: PdfVerificationReport, file: string, lang: Lang): string {
  const L = labeller(lang, '  ');
  return [
    `${verdict(r.valid, lang)}: ${file} (${r.signatures.length} ${lang === 'vi' ? 'chữ ký' : r.signatures.length === 1 ? 'signature' : 'signatures'}${r.hasDss ? ', DSS' : ''})`,
    ...r.failures.map((f) => `${style.red('✗')} ${f.code}: ${lang === 'vi' ? f.vi : f.en}`),
    ...r.signatures.flatMap((sig, i) => [
      `${style.bold(`#${i + 1}`)} ${sig.fieldName ?? '-'} ${verdict(sig.valid, lang)}`,
      `${L('Mức', 'Level')}${sig.level ?? '-'} (${sig.subFilter ?? '-'})`,
      ...(sig.reason ? [`${L('Lý do', 'Reason')}${sig.reason}`] : []),
      ...(sig.location ? [`${L('Nơi ký', 'Location')}${sig.location}`] : []),
      ...(sig.claimedTime ? [`${L('Ngày ký (/M)', 'Signed on (/M)')}${sig.claimedTime}`] : []),
      `${L('Phủ toàn văn bản', 'Covers document')}${yes(sig.coversWholeDocument)}`,
      `${L('Sửa sau khi ký', 'Changed after')}${sig.modifiedAfterSigning ? style.red(lang === 'vi' ? 'có' : 'yes') : lang === 'vi' ? 'không' : 'no'}${sig.changesAfter.length ? `: ${sig.changesAfter.join('; ')}` : ''}`,
      ...cmsLines(sig.cms, lang, '  '),
      ...sig.failures.map((f) => `  ${style.red('✗')} ${f.code}: ${lang === 'vi' ? f.vi : f.en}`),
    ]),
  ].join('\n');
}

const REVOCATION_WORDS: Record<string, { vi: string; en: string }> = {
  good: { vi: 'chưa bị thu hồi', en: 'good (not revoked)' },
  revoked: { vi: 'ĐÃ BỊ THU HỒI', en: 'REVOKED' },
  unknown: { vi: 'không xác định được', en: 'unknown' },
  not_checked: { vi: 'không kiểm tra', en: 'not checked' },
};
const revocationWord = (status: string, lang: Lang) => REVOCATION_WORDS[status]?.[lang] ?? status;

function cmsLines(r: CmsVerificationReport, lang: Lang, indent: string): string[] {
  const L = labeller(lang, indent);
  return [
    `${L('Toàn vẹn', 'Integrity')}${yes(r.integrity)}`,
    `${L('Chuỗi tin cậy', 'Trusted chain')}${yes(r.chainTrusted)}`,
    ...(r.signer
      ? [
          `${L('Người ký', 'Signer')}${dn(r.signer.subject)}`,
          `${L('Cấp bởi', 'Issuer')}${dn(r.signer.issuer)}`,
          `${L('Số hiệu', 'Serial')}${r.signer.serialNumber}`,
          `${L('Hiệu lực', 'Valid')}${r.signer.notBefore} → ${r.signer.notAfter}`,
        ]
      : []),
    ...(r.signingTime ? [`${L('Thời điểm ký', 'Signing time')}${r.signingTime}`] : []),
    `${L('Xét tại', 'Checked at')}${r.checkedAt}`,
    `${L('Thu hồi', 'Revocation')}${revocationWord(r.revocation.status, lang)}${r.revocation.source ? ` (${r.revocation.source})` : ''}${r.revocation.revokedAt ? ` ${r.revocation.revokedAt}` : ''}`,
    ...(r.timestamp
      ? [
          `${L('Dấu thời gian', 'Time-stamp')}${yes(r.timestamp.valid)} ${r.timestamp.time ?? ''} ${r.timestamp.authority ? dn(r.timestamp.authority) : ''}`.trimEnd(),
        ]
      : []),
    ...r.failures.map((f) => `${indent}${style.red('✗')} ${f.code}: ${lang === 'vi' ? f.vi : f.en}`),
  ];
}

const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;

const CREDENTIAL_HELP =
  'No certificate yet? `motcua demo-credential` writes a test one (a simulated CA, not valid in law) to try sign and verify. ' +
  'Real ones: a public digital signature certificate from a licensed CA (VNPT, Viettel, FPT, BKAV…) or, for officials, a public-service certificate of the Government Cipher Committee (Decree 68/2024/NĐ-CP), as a key file, or remotely: --credential with the CSC API URL, client ID and credential ID your provider gives.';

/**
 * `motcua demo-credential [dir]`: a test officer key and certificate from the simulated PKI of
 * `@motcua/signature/testing`, with its root CA and CRL, so a new user can try sign and verify at once.
 */
async function writeDemoCredential(dir: string, name: string) {
  const files = {
    key: join(dir, 'officer.key'),
    cert: join(dir, 'officer.pem'),
    root: join(dir, 'root-ca.pem'),
    crl: join(dir, 'ca.crl'),
  };
  for (const f of Object.values(files))
    if (existsSync(f)) throw new CliError(`${f}: exists; give another directory`, EXIT.usage, 'usage.exists');
  mkdirSync(dir, { recursive: true });
  const { startSimulatedPki } = await import('@motcua/signature/testing');
  // A fresh seed each time: two demo credentials never share a key.
  const pki = await startSimulatedPki({ seed: `motcua-demo-${randomUUID()}` });
  try {
    const officer = pki.issue({
      label: 'demo-officer',
      name,
      organization: 'Motcua demo (test CA)',
      kind: 'ec',
    });
    const crl = new Uint8Array(await (await fetch(pki.crlUrl)).arrayBuffer());
    await writeAtomic(files.key, officer.key.export({ type: 'pkcs8', format: 'pem' }) as string);
    await writeAtomic(files.cert, pem('CERTIFICATE', officer.der) + pem('CERTIFICATE', pki.issuing.der));
    await writeAtomic(files.root, pem('CERTIFICATE', pki.root.der));
    await writeAtomic(files.crl, pem('X509 CRL', crl));
    const x509 = new X509Certificate(Buffer.from(officer.der));
    return {
      ...files,
      subject: x509.subject.replace(/\n/g, ', '),
      validTo: new Date(x509.validTo).toISOString(),
    };
  } finally {
    await pki.close();
  }
}

export function signatureCommands(yargs: Argv<GlobalOptions & { lang: Lang }>) {
  return yargs
    .command(
      'demo-credential [dir]',
      'Write a TEST signing credential to try sign and verify: officer.key, officer.pem (with its issuing CA), root-ca.pem and ca.crl, from a simulated CA (not valid in law; never sign real documents with it).',
      (y) =>
        y
          .positional('dir', { type: 'string', default: 'motcua-demo-credential' })
          .option('name', {
            type: 'string',
            default: 'Cán bộ Thử Nghiệm',
            describe: "the certificate holder's name (CN)",
          })
          .example(
            '$0 demo-credential demo',
            'then: motcua sign x.pdf --key demo/officer.key --cert demo/officer.pem …',
          ),
      async (argv) => {
        const r = await writeDemoCredential(argv.dir, argv.name);
        const vi = argv.lang === 'vi';
        print(argv, r, () =>
          [
            `${style.green('✓')} ${vi ? 'Chứng thư thử nghiệm' : 'Test credential'}: ${r.subject} (${vi ? 'đến' : 'until'} ${r.validTo.slice(0, 10)})`,
            ...[r.key, r.cert, r.root, r.crl].map((f) => `  → ${f}`),
            style.yellow(
              vi
                ? '  Chỉ để thử: CA giả lập, không có giá trị pháp lý.'
                : '  For trying only: a simulated CA, not valid in law.',
            ),
            `  motcua sign ket-qua.pdf --key ${r.key} --cert ${r.cert} --location "UBND xã Thử Nghiệm"`,
            `  motcua verify ket-qua.signed.pdf --trust ${r.root} --revocation none`,
            `  motcua sign export.csv --key ${r.key} --cert ${r.cert}`,
            `  motcua verify export.csv.p7s --trust ${r.root} --crl ${r.crl} --revocation offline`,
          ].join('\n'),
        );
      },
    )
    .command(
      'sign <file>',
      'Sign a file with a local key and certificate, or remotely with a CSC API v2 credential (--credential): a PDF gets a PAdES signature inside it (to <name>.signed.pdf; --level B-T or B-LT with --tsa for a time-stamp and validation data), any other file (or --detached) a detached CMS signature (to <file>.p7s).',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true })
          .option('key', { type: 'string', describe: 'private key, PEM or DER (PKCS#8)' })
          .option('cert', {
            type: 'string',
            describe: "the signer's certificate, PEM or DER (a PEM bundle: the signer's first, then its CAs)",
          })
          .option('credential', {
            type: 'string',
            describe: 'remote signing: the CSC credential ID (instead of --key/--cert)',
          })
          .option('csc-url', {
            type: 'string',
            describe: 'the CSC API v2 base URL, e.g. https://ky-so.example.vn/csc/v2/',
          })
          .option('csc-token-url', {
            type: 'string',
            describe: 'its OAuth2 token URL (default <csc-url>oauth2/token)',
          })
          .option('csc-client-id', { type: 'string', describe: 'OAuth2 client ID' })
          .option('csc-secret-env', {
            type: 'string',
            default: 'MOTCUA_CSC_SECRET',
            describe: 'environment variable holding the OAuth2 client secret',
          })
          .option('pin-env', {
            type: 'string',
            default: 'MOTCUA_SIGNING_PIN',
            describe: "environment variable holding the credential's PIN",
          })
          .option('otp-env', {
            type: 'string',
            default: 'MOTCUA_SIGNING_OTP',
            describe: 'environment variable holding the one-time password, when the credential needs one',
          })
          .check((a) => {
            // A usage error: exit 2, one line (JSON with --json).
            const problem = (a.credential ? a.key || a.cert : !a.key || !a.cert)
              ? 'give either --key and --cert (a local key) or --credential with --csc-url (remote signing)'
              : a.credential && (!a['csc-url'] || !a['csc-client-id'])
                ? 'remote signing needs --csc-url and --csc-client-id'
                : undefined;
            if (problem) throw new CliError(problem, EXIT.usage, 'usage');
            return true;
          })
          .option('chain', { type: 'string', array: true, describe: 'issuing CA certificates to embed' })
          .option('passphrase-env', {
            type: 'string',
            describe: 'name of the environment variable holding the passphrase of an encrypted key',
          })
          .option('out', { type: 'string', describe: 'output file' })
          .option('detached', {
            type: 'boolean',
            default: false,
            describe: 'write a detached .p7s even for a PDF',
          })
          .option('reason', { type: 'string', default: 'Ký số văn bản', describe: 'PDF: why it is signed' })
          .option('location', {
            type: 'string',
            describe: 'PDF (required): where it is signed, e.g. "UBND xã Thử Nghiệm"',
          })
          .option('visible', {
            type: 'boolean',
            default: false,
            describe: 'PDF: draw the signature box (signer, time, reason) at the bottom right of page 1',
          })
          .option('level', {
            choices: ['B-B', 'B-T', 'B-LT'] as const,
            default: 'B-B' as const,
            describe:
              'PAdES level: B-B; B-T adds an RFC 3161 signature time-stamp from --tsa; B-LT also embeds the validation data (certificates, OCSP responses, CRLs) in a DSS. A detached CMS takes B-B or B-T',
          })
          .option('tsa', {
            type: 'string',
            describe: 'the time-stamping authority (RFC 3161) URL, for --level B-T and B-LT',
          })
          .check((a) => {
            const problem =
              a.level !== 'B-B' && !a.tsa
                ? `--level ${a.level} needs --tsa <url> (an RFC 3161 time-stamping authority)`
                : a.tsa && a.level === 'B-B'
                  ? '--tsa applies to --level B-T or B-LT'
                  : a.tsa && !/^https?:\/\/\S+$/.test(a.tsa)
                    ? `--tsa ${a.tsa}: expected an http(s) URL`
                    : undefined;
            if (problem) throw new CliError(problem, EXIT.usage, 'usage');
            return true;
          })
          .example(
            '$0 sign ket-qua.pdf --key officer.key --cert officer.pem --location "UBND xã Thử Nghiệm" --visible',
            '→ ket-qua.signed.pdf',
          )
          .example(
            '$0 sign ket-qua.pdf --key officer.key --cert officer.pem --location "UBND xã Thử Nghiệm" --level B-LT --tsa https://tsa.example.vn/',
            '→ ket-qua.signed.pdf, time-stamped, with a DSS',
          )
          .example(
            '$0 sign export.csv --key officer.key --cert officer.pem',
            '→ export.csv.p7s (detached CMS)',
          )
          .epilog(CREDENTIAL_HELP),
      async (argv) => {
        const data = readBytes(argv.file, '');
        const sig = await import('@motcua/signature');
        const { signCms, signPdf } = sig;
        const now = new Date(Math.floor(Date.now() / 1000) * 1000); // the precision of a CMS signing time
        let signer: Parameters<typeof signCms>[1];
        let x509: X509Certificate;
        if (argv.credential) {
          // Remote signing: the hash goes to the CSC service, which signs after the PIN (and OTP) authorize it.
          const secret = process.env[argv['csc-secret-env']];
          if (!secret)
            throw new CliError(
              `$${argv['csc-secret-env']}: the OAuth2 client secret is not set`,
              EXIT.usage,
              'usage.secret',
            );
          const baseUrl = argv['csc-url']!.endsWith('/') ? argv['csc-url']! : `${argv['csc-url']}/`;
          const csc = sig.createCscClient({
            baseUrl,
            auth: {
              type: 'oauth2',
              tokenUrl: argv['csc-token-url'] ?? `${baseUrl}oauth2/token`,
              clientId: argv['csc-client-id']!,
              clientSecret: secret,
            },
          });
          const pin = process.env[argv['pin-env']];
          const otp = process.env[argv['otp-env']];
          const provider = sig.createCscProvider(csc, {
            authData: async () => ({ ...(pin ? { pin } : {}), ...(otp ? { otp } : {}) }),
          });
          signer = await sig.providerSigner(provider, argv.credential);
          x509 = new X509Certificate(Buffer.from(signer.certificate));
        } else {
          const key = privateKeyFrom(argv.key!, argv['passphrase-env']);
          const [certificate, ...bundled] = certificatesFrom(argv.cert!, '--cert');
          const chain = [...bundled, ...(argv.chain ?? []).flatMap((c) => certificatesFrom(c, '--chain'))];
          x509 = new X509Certificate(Buffer.from(certificate!));
          if (!x509.checkPrivateKey(key))
            throw new CliError(
              `--key ${argv.key}: does not match the certificate ${argv.cert}`,
              EXIT.usage,
              'signature.key_mismatch',
            );
          signer = sig.createLocalSigner(key, certificate!, chain);
        }
        if (now < new Date(x509.validFrom) || now > new Date(x509.validTo))
          throw new CliError(
            `${argv.credential ? `--credential ${argv.credential}` : `--cert ${argv.cert}`}: not valid now (valid ${new Date(x509.validFrom).toISOString()} → ${new Date(x509.validTo).toISOString()})`,
            EXIT.usage,
            'signature.certificate_expired',
          );
        const pades = isPdf(data) && !argv.detached;
        const out = argv.out ?? (pades ? argv.file.replace(/(\.pdf)?$/i, '.signed.pdf') : `${argv.file}.p7s`);
        if (out === argv.file)
          throw new CliError(`--out ${out}: would overwrite the input`, EXIT.usage, 'usage.out');
        if (!pades && argv.level === 'B-LT')
          throw new CliError(
            `${argv.file}: --level B-LT applies to a PDF (its DSS); a detached CMS takes B-B or B-T`,
            EXIT.usage,
            'usage.level',
          );
        const tsa = argv.tsa ? sig.createTsaClient({ url: argv.tsa }) : undefined;
        let bytes: Uint8Array;
        try {
          if (pades) {
            if (!argv.location?.trim())
              throw new CliError(
                `${argv.file}: signing a PDF needs --location (where it is signed, e.g. "UBND xã …")`,
                EXIT.usage,
                'usage.location',
              );
            bytes = await signPdf(data, signer, {
              reason: argv.reason,
              location: argv.location,
              signingTime: now,
              level: argv.level,
              ...(tsa ? { tsa } : {}),
              ...(argv.visible ? { visible: {} } : {}),
            });
          } else {
            bytes = await signCms(data, signer, { signingTime: now });
            if (tsa) bytes = await sig.timestampCms(bytes, tsa);
          }
        } catch (e) {
          // An unreachable or refusing authority is an I/O failure (exit 3), naming the URL.
          if (e instanceof sig.SignatureError && e.code === 'signature.timestamp_failed')
            throw new CliError(`--tsa ${argv.tsa}: ${e.message}`, EXIT.io, e.code);
          throw e;
        }
        await writeAtomic(out, bytes);
        const result = {
          file: argv.file,
          out,
          format: pades ? 'pades' : 'cms-detached',
          level: argv.level,
          signer: x509.subject.replace(/\n/g, ', '),
          serialNumber: x509.serialNumber.toLowerCase(),
          signingTime: now.toISOString(),
          bytes: bytes.length,
        };
        print(
          argv,
          result,
          () =>
            `${style.green('✓')} ${argv.lang === 'vi' ? 'Đã ký' : 'Signed'} ${argv.file} → ${out} (${pades ? `PAdES ${argv.level}` : `CMS detached${argv.level === 'B-T' ? ', time-stamped' : ''}`})`,
        );
      },
    )
    .command(
      'verify <file>',
      'Verify a signed PDF (PAdES) or a detached CMS signature (.p7s, with --data, default: the file without .p7s): integrity, chain to --trust, validity and revocation at signing time, time-stamp, key usage. Exit 1 if not valid.',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'file.pdf or file.p7s' })
          .option('data', { type: 'string', describe: 'the signed file of a detached signature' })
          .option('trust', {
            type: 'string',
            array: true,
            describe: 'trusted root certificates (PEM bundle or DER); repeat for several',
          })
          .option('crl', {
            type: 'string',
            array: true,
            describe: 'CRL files (DER or PEM) to check revocation offline',
          })
          .option('revocation', {
            choices: ['online', 'offline', 'none'] as const,
            default: 'online' as const,
            describe: 'online: embedded data, then OCSP, then the CRL; offline: embedded data and --crl only',
          })
          .option('at', {
            type: 'string',
            describe: 'judge validity at this instant instead of the signing time',
          })
          .example('$0 verify ket-qua.signed.pdf --trust root-ca.pem', '')
          .example('$0 verify export.csv.p7s --trust root-ca.pem --json', 'the data is export.csv')
          .epilog(
            '--trust takes the root CA certificate(s) you trust (for Vietnam: the national root CA of NEAC, or the Government Cipher Committee root); a self-signed signer certificate is not a CA and does not verify. Try it: `motcua demo-credential` writes a test root-ca.pem.',
          ),
      async (argv) => {
        const trustAnchors = (argv.trust ?? []).flatMap((t) => certificatesFrom(t, '--trust'));
        const crls = (argv.crl ?? []).flatMap((c) => derBlocks(readBytes(c, '--crl'), ['X509 CRL']));
        const at = instant(argv.at, '--at');
        const common = {
          trustAnchors,
          revocation: argv.revocation,
          ...(at ? { at } : {}),
          ...(crls.length ? { revocationData: { crls } } : {}),
        };
        const bytes = readBytes(argv.file, '');
        const { verifyCms, verifyPdf } = await import('@motcua/signature');
        const noTrust = () => {
          if (trustAnchors.length === 0 && !argv.json)
            process.stderr.write(
              `${style.yellow('!')} ${argv.lang === 'vi' ? 'không có --trust: không chuỗi chứng thư nào được tin cậy' : 'no --trust given: no certificate chain can be trusted'}\n`,
            );
        };
        if (isPdf(bytes)) {
          for (const [flag, given] of [
            ['--data', argv.data !== undefined],
            ['--crl', crls.length > 0],
            ['--at', at !== undefined],
          ] as const)
            if (given)
              throw new CliError(
                `${flag} applies to a detached signature (.p7s); a PDF carries its own data and validation material`,
                EXIT.usage,
                'usage.pdf_option',
              );
          const report = await verifyPdf(bytes, { trustAnchors, revocation: argv.revocation });
          noTrust();
          print(argv, { file: argv.file, ...report }, () => humanPdfReport(report, argv.file, argv.lang));
          process.exitCode = report.valid ? EXIT.ok : EXIT.findings;
          return;
        }
        const data = argv.data ?? (argv.file.endsWith('.p7s') ? argv.file.slice(0, -4) : undefined);
        if (data === undefined)
          throw new CliError(
            `${argv.file}: a detached signature needs --data <the signed file>`,
            EXIT.usage,
            'usage.data',
          );
        const report = await verifyCms(cmsFrom(argv.file), readBytes(data, '--data'), common);
        noTrust();
        print(argv, { file: argv.file, data, ...report }, () => humanReport(report, argv.file, argv.lang));
        process.exitCode = report.valid ? EXIT.ok : EXIT.findings;
      },
    );
}
