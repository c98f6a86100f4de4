import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  type CscClient,
  createAsyncSigningProvider,
  createCscClient,
  createTsaClient,
  type PadesLevel,
  parseCertificate,
  type SigningProvider,
  type TsaClient,
} from '@motcua/signature';
import {
  type AsyncSigningSimulator,
  type AsyncSimulatorCredential,
  type CscSimulator,
  type CscSimulatorCredential,
  DEFAULT_ASYNC_CREDENTIALS,
  DEFAULT_CSC_CREDENTIALS,
  type SimulatedPki,
  startAsyncSigningSimulator,
  startCscSimulator,
  startSimulatedPki,
} from '@motcua/signature/testing';
import { type SigningProviderKind, SigningStore, type Store } from '@motcua/store';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import type { SigningConfig } from './config.js';
import { DEMO_UNITS } from './demo.js';

/**
 * The remote-signing services of the app: a CSC API v2 service (signs at once with the officer's PIN/OTP), an
 * asynchronous provider (the officer confirms on a phone), a time-stamping authority, and the trust anchors
 * the verification report chains to. In demo mode they are simulators in process ({@link startDemoSigning}).
 */
export interface SigningServices {
  csc?: CscClient;
  async?: SigningProvider;
  tsa?: TsaClient;
  /** Root certificates (DER) signatures must chain to: the national root and licensed CAs in production. */
  trustAnchors: Uint8Array[];
  /**
   * The HMAC secret of the asynchronous provider's callbacks (`x-motcua-signature: t=…,v1=…`): with it, the
   * provider is asked to call `POST /api/signing/callback` when the officer answers; polling works either way.
   */
  callbackSecret?: string;
  /** PAdES level of the signatures made. Default `B-LT` with a TSA, `B-B` without. */
  level?: PadesLevel;
  /** Demo mode: the simulators, so the demo "phone" page can confirm and show the synthetic PINs. */
  demo?: DemoSigning;
  close(): Promise<void>;
}

/** The demo's signing simulators and who holds which credential. */
export interface DemoSigning {
  pki: SimulatedPki;
  csc: CscSimulator;
  async: AsyncSigningSimulator;
  /** username → the credential given to that demo officer. */
  assignments: { username: string; provider: SigningProviderKind; credentialId: string }[];
}

const registry = new WeakMap<Store, SigningServices>();

/**
 * Gives the app's signing routes their services for this store (the routes look them up per request, so an
 * app made before or after works). Without it, signing answers 503 `signature.not_configured`.
 *
 * @example
 * ```ts
 * attachSigning(store, { csc: createCscClient({ baseUrl, auth }), trustAnchors: [rootDer], close: async () => {} });
 * ```
 */
export function attachSigning(store: Store, services: SigningServices): void {
  registry.set(store, services);
}

/** The signing services attached to a store, if any. */
export function signingServicesOf(store: Store): SigningServices | undefined {
  return registry.get(store);
}

/**
 * How each demo officer who signs does it, per role prefix of the demo user names: receptionist and specialist
 * with a CSC credential (PIN; the specialist an OTP too), leader and deputy by a confirmation on the phone.
 * Each officer gets a credential of their own, `demo-<username>`, whose certificate names them.
 */
const DEMO_SIGNERS: { prefix: string; provider: SigningProviderKind; kind: 'rsa' | 'ec'; otp?: boolean }[] = [
  { prefix: 'tiepnhan', provider: 'csc', kind: 'rsa' },
  { prefix: 'chuyenvien', provider: 'csc', kind: 'ec', otp: true },
  { prefix: 'lanhdao', provider: 'async', kind: 'ec' },
  { prefix: 'pholanhdao', provider: 'async', kind: 'rsa' },
];

/** The credential ID the demo gives an officer. */
export const demoCredentialId = (username: string) => `demo-${username}`;

/** The deputy the demo gives each commune's leader (a specialist who may sign for the leader when delegated). */
export const demoDeputy = (unitCode: string) => {
  const unit = DEMO_UNITS.find((u) => u.code === unitCode);
  return {
    username: `pholanhdao.${unitCode}`,
    fullName: unit ? `Phó lãnh đạo ${unit.name}` : 'Phó lãnh đạo (được ủy quyền ký)',
  };
};

/**
 * Demo mode: a synthetic PKI with OCSP, CRL and time-stamping, the CSC API v2 simulator and the asynchronous
 * (phone confirmation) simulator, all in process on 127.0.0.1; each demo commune gets a deputy leader, and
 * each demo officer who signs gets a credential of their own (`demo-<username>`) whose certificate holder is
 * the officer's name: receptionist and specialist by PIN, the specialist with an OTP too; leader and deputy
 * by phone confirmation. The unit admin has none, so the readiness panel shows a gap; the simulators also
 * hold their fixed synthetic credentials (`cred-rsa-an`, `async-ec-giang`, the revoked and expired ones…),
 * assigned to nobody, for trying the unit admin's set-up panel.
 */
export async function startDemoSigning(
  store: Store,
  unitCodes: readonly string[],
  options: { seed?: string; password?: string } = {},
): Promise<SigningServices> {
  const seed = options.seed ?? 'motcua-demo';
  const signing = new SigningStore(store.db);
  // The staff first: each signing officer's credential is made for them.
  const officers: {
    unitCode: string;
    userId: string;
    username: string;
    provider: SigningProviderKind;
    credentialId: string;
  }[] = [];
  const cscCredentials: CscSimulatorCredential[] = [];
  const asyncCredentials: AsyncSimulatorCredential[] = [];
  for (const unitCode of unitCodes) {
    const deputy = demoDeputy(unitCode);
    if (
      options.password &&
      !(await signing.unitStaff(unitCode)).some((u) => u.username === deputy.username)
    ) {
      try {
        await store.createUser({
          ...deputy,
          password: options.password,
          demo: true,
          roles: [{ role: 'specialist', unitCode }],
        });
      } catch {
        // another process made it
      }
    }
    for (const u of await signing.unitStaff(unitCode)) {
      const how = DEMO_SIGNERS.find((x) => u.username === `${x.prefix}.${unitCode}`);
      if (!how) continue;
      const credentialId = demoCredentialId(u.username);
      if (how.provider === 'csc')
        cscCredentials.push({
          credentialID: credentialId,
          userID: u.username,
          name: u.fullName,
          kind: how.kind,
          ...(how.otp ? { otp: true } : {}),
        });
      else asyncCredentials.push({ credentialId, name: u.fullName, kind: how.kind });
      officers.push({ unitCode, userId: u.id, username: u.username, provider: how.provider, credentialId });
    }
  }
  const pki = await startSimulatedPki({ seed });
  const csc = await startCscSimulator({
    seed,
    pki,
    maxPinTries: 5,
    credentials: [...cscCredentials, ...DEFAULT_CSC_CREDENTIALS],
  });
  const callbackSecret = `whsec_demo_${seed}`;
  const asyncSim = await startAsyncSigningSimulator({
    seed,
    pki,
    ttlSec: 600,
    callbackSecret,
    credentials: [...asyncCredentials, ...DEFAULT_ASYNC_CREDENTIALS],
  });
  const cscClient = createCscClient({ baseUrl: csc.url, auth: csc.oauth2, timeoutMs: 10_000 });
  const asyncProvider = createAsyncSigningProvider({
    baseUrl: asyncSim.url,
    auth: asyncSim.auth,
    timeoutMs: 10_000,
    name: 'async-demo',
  });
  const assignments: DemoSigning['assignments'] = [];
  for (const o of officers) {
    const certificate =
      o.provider === 'csc'
        ? csc.credentials.find((c) => c.credentialID === o.credentialId)!.certificate
        : (await asyncProvider.describe(o.credentialId)).certificate;
    await signing.setCredential({
      userId: o.userId,
      unitCode: o.unitCode,
      provider: o.provider,
      credentialId: o.credentialId,
      certificate,
      actor: 'demo',
    });
    assignments.push({ username: o.username, provider: o.provider, credentialId: o.credentialId });
  }
  const services: SigningServices = {
    csc: cscClient,
    async: asyncProvider,
    tsa: createTsaClient({ url: pki.tsaUrl }),
    trustAnchors: [pki.root.der],
    callbackSecret,
    level: 'B-LT',
    demo: { pki, csc, async: asyncSim, assignments },
    async close() {
      await asyncSim.close();
      await csc.close();
      await pki.close();
    },
  };
  attachSigning(store, services);
  return services;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * Trust anchors (DER) from the config: each entry a PEM certificate, or the path of a PEM file (one or more
 * certificates) or of a DER certificate. Each is checked to parse; an error names the entry.
 */
export function loadTrustAnchors(entries: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `integrations.signing.trustAnchors[${i}]`;
    let bytes: Uint8Array;
    if (entry.includes('-----BEGIN ')) bytes = new TextEncoder().encode(entry);
    else
      try {
        bytes = readFileSync(entry);
      } catch (e) {
        throw new Error(`${where}: cannot read ${entry} (${(e as NodeJS.ErrnoException).code ?? e})`);
      }
    const text = Buffer.from(bytes).toString('latin1');
    const ders = text.includes('-----BEGIN ')
      ? [...text.matchAll(PEM_CERTIFICATE)].map((m) => new Uint8Array(Buffer.from(m[1]!, 'base64')))
      : [new Uint8Array(bytes)];
    if (ders.length === 0) throw new Error(`${where}: no CERTIFICATE block in the PEM`);
    for (const der of ders) {
      try {
        parseCertificate(der);
      } catch {
        throw new Error(`${where}: not an X.509 certificate (PEM or DER)`);
      }
      out.push(der);
    }
  }
  return out;
}

/**
 * Production: the signing services of the config file's `integrations.signing` (a CSC API v2 service, an
 * optional time-stamping authority, the trust anchors), attached to the store for the signing routes.
 *
 * @example
 * ```ts
 * startConfiguredSigning(store, {
 *   csc: { baseUrl: 'https://ky-so.example.vn/csc/v2/', oauth2: { tokenUrl, clientId, clientSecret } },
 *   trustAnchors: ['/etc/motcua/root-ca.pem'],
 * });
 * ```
 */
export function startConfiguredSigning(store: Store, config: SigningConfig): SigningServices {
  const trustAnchors = loadTrustAnchors(config.trustAnchors);
  const services: SigningServices = {
    csc: createCscClient({
      baseUrl: config.csc.baseUrl,
      ...(config.csc.oauth2 ? { auth: { type: 'oauth2' as const, ...config.csc.oauth2 } } : {}),
      timeoutMs: 10_000,
      // The officer is waiting: a dropped call is tried again at once rather than after 200 ms, 400 ms…
      retry: { limit: 3, baseDelayMs: 50 },
      ...(config.circuit !== undefined ? { circuit: config.circuit } : {}),
    }),
    ...(config.tsaUrl ? { tsa: createTsaClient({ url: config.tsaUrl }) } : {}),
    trustAnchors,
    ...(config.level ? { level: config.level } : {}),
    async close() {},
  };
  attachSigning(store, services);
  return services;
}

let font: Promise<Uint8Array> | undefined;
const loadFont = () => {
  font ??= (async () => {
    const dir = createRequire(import.meta.url)
      .resolve('dejavu-fonts-ttf/package.json')
      .replace(/package\.json$/, 'ttf/');
    return new Uint8Array(await readFile(`${dir}DejaVuSans.ttf`));
  })();
  return font;
};

/**
 * The draft of a dossier's result for signature when no result document was uploaded: an A4 page naming the
 * unit, the dossier and the procedure, with room at the bottom for the specialist's and the leader's visible
 * signatures.
 */
export async function resultDraftPdf(input: {
  unitName: string;
  dossierCode: string;
  procedureName: string;
}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`Kết quả giải quyết hồ sơ ${input.dossierCode}`);
  doc.setLanguage('vi-VN');
  const f = await doc.embedFont(await loadFont(), { subset: true });
  const page = doc.addPage([595.28, 841.89]);
  const lines: [string, number][] = [
    [input.unitName.toUpperCase(), 11],
    ['', 11],
    ['KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH', 14],
    ['', 11],
    [`Hồ sơ: ${input.dossierCode}`, 11],
    [`Thủ tục: ${input.procedureName}`, 11],
    ['', 11],
    ['Văn bản được ký số bởi chuyên viên thẩm định và lãnh đạo phê duyệt.', 11],
    ['(Bản mẫu của ứng dụng tham khảo Motcua)', 9],
  ];
  let y = 780;
  for (const [text, size] of lines) {
    if (text) page.drawText(text.slice(0, 95), { x: 56, y, size, font: f });
    y -= size + 9;
  }
  return doc.save();
}

/** A scanned image (JPEG or PNG) as a one-page PDF, so that the officer's PAdES signature can certify it. */
export async function imageToPdf(bytes: Uint8Array, contentType: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const img = contentType === 'image/png' ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
  const scale = Math.min(1, 539 / img.width, 700 / img.height);
  const page = doc.addPage([595.28, 841.89]);
  page.drawImage(img, {
    x: 28,
    y: 841.89 - 28 - img.height * scale,
    width: img.width * scale,
    height: img.height * scale,
  });
  return doc.save();
}
