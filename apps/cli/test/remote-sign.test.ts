import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCscSimulator } from '@motcua/signature/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslVerifyCms } from './pki.js';
import { tempDir } from './run.js';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;
let sim: Awaited<ReturnType<typeof startCscSimulator>>;
beforeAll(async () => {
  sim = await startCscSimulator({ seed: 'cli' });
});
afterAll(async () => {
  await sim?.close();
});

// Asynchronous: the simulator answers from this process, so the test must not block its event loop.
const sign = (file: string, env: Record<string, string>, ...extra: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [
        BIN,
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
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', MOTCUA_CSC_SECRET: sim.oauth2.clientSecret, ...env },
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('motcua sign --credential (remote signing through the CSC API v2 simulator)', () => {
  it('signs with the PIN: a detached CMS openssl verifies against the simulated CA', async () => {
    const dir = tempDir();
    const file = join(dir, 'bao-cao.csv');
    writeFileSync(file, 'ma_ho_so;trang_thai\nH25.X05152-261203-0001;resolved\n');
    const pin = sim.credentials.find((c) => c.credentialID === 'cred-rsa-an')!.pin;
    const r = await sign(file, { MOTCUA_SIGNING_PIN: pin });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { out: string; format: string; signer: string };
    expect(out.format).toBe('cms-detached');
    expect(out.signer).toContain('Nguyễn Văn An');
    const ca = join(dir, 'ca.pem');
    const toPem = (der: Uint8Array) => new X509Certificate(Buffer.from(der)).toString();
    const cred = sim.credentials.find((c) => c.credentialID === 'cred-rsa-an')!;
    writeFileSync(ca, cred.chain.map(toPem).join('') + toPem(sim.pki.root.der));
    const verified = opensslVerifyCms(out.out, file, ca);
    expect(verified).toBe('');
  });

  it('a wrong PIN is refused with the CSC error mapped, and nothing is written', async () => {
    const dir = tempDir();
    const file = join(dir, 'x.txt');
    writeFileSync(file, 'x');
    const r = await sign(file, { MOTCUA_SIGNING_PIN: '000000' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/pin/i);
    expect(spawnSync('ls', [`${file}.p7s`]).status).not.toBe(0);
  });

  it('needs either a local key or a credential', () => {
    const r = spawnSync(process.execPath, [BIN, 'sign', 'x.pdf'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--credential');
  });
});
