// motcua sign --level B-T / B-LT: the built binary signs through the CSC simulator of @motcua/signature,
// time-stamps with the simulated PKI's RFC 3161 authority, and (B-LT) embeds the validation data in a DSS.
// The results are checked with poppler's pdfsig and with the package's own verifier.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyCms, verifyPdf } from '@motcua/signature';
import { startCscSimulator } from '@motcua/signature/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf } from './pki.js';
import { tempDir } from './run.js';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;
let sim: Awaited<ReturnType<typeof startCscSimulator>>;
beforeAll(async () => {
  sim = await startCscSimulator({ seed: 'cli-levels' });
});
afterAll(async () => {
  await sim?.close();
});

// Asynchronous: the simulators answer from this process, so the test must not block its event loop.
const run = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    const pin = sim.credentials.find((c) => c.credentialID === 'cred-rsa-an')!.pin;
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          NO_COLOR: '1',
          MOTCUA_CSC_SECRET: sim.oauth2.clientSecret,
          MOTCUA_SIGNING_PIN: pin,
        },
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const sign = (file: string, ...extra: string[]) =>
  run(
    'sign',
    file,
    '--credential',
    'cred-rsa-an',
    '--csc-url',
    sim.url,
    '--csc-client-id',
    sim.oauth2.clientId,
    '--json',
    ...extra,
  );

/** The PDF's dictionary objects (uncompressed, as the signer writes its updates). */
const pdfText = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** pdfsig's report; exit 0 when every signature is valid. */
const pdfsig = (file: string) =>
  execFileSync('pdfsig', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('motcua sign --level B-T and B-LT (CSC simulator, simulated TSA)', () => {
  it('B-T: a signature time-stamp the verifier finds valid, from the simulated authority; pdfsig: valid', async () => {
    const dir = tempDir();
    const pdf = join(dir, 'ket-qua.pdf');
    writeFileSync(pdf, minimalPdf('Ket qua B-T'));
    const stamped = sim.pki.stats.tsa;
    const r = await sign(pdf, '--location', 'UBND xã Thử Nghiệm', '--level', 'B-T', '--tsa', sim.pki.tsaUrl);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { out: string; format: string; level: string };
    expect(out).toMatchObject({ format: 'pades', level: 'B-T', out: join(dir, 'ket-qua.signed.pdf') });
    expect(sim.pki.stats.tsa).toBe(stamped + 1);
    const bytes = new Uint8Array(readFileSync(out.out));
    const report = await verifyPdf(bytes, { trustAnchors: [sim.pki.root.der] });
    expect(report.valid).toBe(true);
    expect(report.hasDss).toBe(false);
    const s = report.signatures[0]!;
    expect(s.level).toBe('B-T');
    expect(s.cms.timestamp).toMatchObject({ valid: true });
    expect(s.cms.timestamp?.authority).toContain('Motcua Synthetic Time-Stamping Authority');
    expect(pdfText(bytes)).not.toContain('/DSS');
    // openssl, independently: the CMS in /Contents carries a signature time-stamp token (unsigned attribute).
    const hex = /\/Contents\s*<([0-9a-fA-F]+)>/.exec(pdfText(bytes))![1]!.replace(/(00)+$/, '');
    const cms = join(dir, 'contents.der');
    writeFileSync(cms, Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'));
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', cms], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(printed).toContain('id-smime-aa-timeStampToken');
    const poppler = pdfsig(out.out);
    expect(poppler).toContain('Signature is Valid');
    expect(poppler).toContain('ETSI.CAdES.detached');
  });

  it('B-LT: the time-stamp and a DSS with the certificates and OCSP responses; verified offline', async () => {
    const dir = tempDir();
    const pdf = join(dir, 'ket-qua.pdf');
    writeFileSync(pdf, minimalPdf('Ket qua B-LT'));
    const r = await sign(
      pdf,
      '--location',
      'UBND xã Thử Nghiệm',
      '--level',
      'B-LT',
      '--tsa',
      sim.pki.tsaUrl,
      '--visible',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { out: string; level: string };
    expect(out.level).toBe('B-LT');
    const bytes = new Uint8Array(readFileSync(out.out));
    const text = pdfText(bytes);
    expect(text).toMatch(/\/DSS\s+\d+ 0 R/);
    expect(text).toMatch(/\/Certs\s*\[/);
    expect(text).toMatch(/\/OCSPs\s*\[|\/CRLs\s*\[/);
    expect(text).toMatch(/\/VRI\s*<</);
    // Offline: the revocation status must come from what the PDF carries.
    const report = await verifyPdf(bytes, { trustAnchors: [sim.pki.root.der], revocation: 'offline' });
    expect(report.valid).toBe(true);
    expect(report.hasDss).toBe(true);
    const s = report.signatures[0]!;
    expect(s.level).toBe('B-LT');
    expect(s.cms.timestamp).toMatchObject({ valid: true });
    expect(s.cms.revocation.status).toBe('good');
    expect(s.modifiedAfterSigning).toBe(false);
    expect(pdfsig(out.out)).toContain('Signature is Valid');
    // The CLI's own verify says the same.
    const v = await run('verify', out.out, '--trust', writeRoot(dir), '--revocation', 'offline', '--json');
    expect(v.status).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, hasDss: true });
  });

  it('a detached CMS with --level B-T carries the time-stamp', async () => {
    const dir = tempDir();
    const file = join(dir, 'bao-cao.csv');
    writeFileSync(file, 'ma_ho_so;trang_thai\nH25.X05152-261203-0001;resolved\n');
    const r = await sign(file, '--level', 'B-T', '--tsa', sim.pki.tsaUrl);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { out: string; format: string; level: string };
    expect(out).toMatchObject({ format: 'cms-detached', level: 'B-T' });
    const report = await verifyCms(
      new Uint8Array(readFileSync(out.out)),
      new Uint8Array(readFileSync(file)),
      {
        trustAnchors: [sim.pki.root.der],
      },
    );
    expect(report.valid).toBe(true);
    expect(report.timestamp).toMatchObject({ valid: true });
  });

  it('usage: B-T without --tsa, --tsa with B-B, B-LT for a detached CMS (exit 2); an unreachable TSA (exit 3, nothing written)', async () => {
    const dir = tempDir();
    const pdf = join(dir, 'a.pdf');
    writeFileSync(pdf, minimalPdf('x'));
    const noTsa = await sign(pdf, '--location', 'x', '--level', 'B-T');
    expect([noTsa.status, JSON.parse(noTsa.stderr).error.message]).toEqual([
      2,
      '--level B-T needs --tsa <url> (an RFC 3161 time-stamping authority)',
    ]);
    const tsaAlone = await sign(pdf, '--location', 'x', '--tsa', sim.pki.tsaUrl);
    expect([tsaAlone.status, JSON.parse(tsaAlone.stderr).error.message]).toEqual([
      2,
      '--tsa applies to --level B-T or B-LT',
    ]);
    const csv = join(dir, 'a.csv');
    writeFileSync(csv, 'a\n');
    const lt = await sign(csv, '--level', 'B-LT', '--tsa', sim.pki.tsaUrl);
    expect([lt.status, JSON.parse(lt.stderr).error.code]).toEqual([2, 'usage.level']);
    const down = await sign(pdf, '--location', 'x', '--level', 'B-T', '--tsa', 'http://127.0.0.1:9/tsa');
    expect(down.status).toBe(3);
    expect(JSON.parse(down.stderr).error).toMatchObject({ code: 'signature.timestamp_failed' });
    expect(JSON.parse(down.stderr).error.message).toContain('--tsa http://127.0.0.1:9/tsa');
    expect(() => readFileSync(join(dir, 'a.signed.pdf'))).toThrow();
  });
});

function writeRoot(dir: string): string {
  const path = join(dir, 'root.der');
  writeFileSync(path, sim.pki.root.der);
  return path;
}
