import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signTestPayload } from '@motcua/http';
import { verifyPdf } from '@motcua/signature';
import { openStore, type Store } from '@motcua/store';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test-utils/postgres.js';
import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { DEMO_PASSWORD, demoUsers, seedDemo } from './demo.js';
import { jsonLogger } from './log.js';
import { attachSigning, demoCredentialId, type SigningServices, startDemoSigning } from './signing.js';

type App = ReturnType<typeof createApp>;
const UNIT = '05152';
const applicant = { kind: 'person', person: { fullName: 'Nguyễn Văn Mẫu', personalId: '025090000001' } };

let pdfsig = true;
try {
  execFileSync('pdfsig', ['-v'], { stdio: 'pipe' });
} catch {
  pdfsig = false;
  console.warn('\n*** pdfsig (poppler-utils) is not installed: the poppler cross-check is skipped ***\n');
}

async function scanPdf(text: string) {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 12 });
  return doc.save();
}

function suite(name: string, open: (first: boolean) => Promise<Store | undefined>) {
  describe(`signatures on ${name}`, () => {
    let store: Store;
    let app: App;
    let services: SigningServices;
    let skip = false;
    const logs: string[] = [];
    const makeApp = () =>
      createApp({
        store,
        config: configFromEnv({}, { loginRatePerMinute: 1000 }),
        log: jsonLogger((l) => logs.push(l)),
      });

    beforeAll(async () => {
      const s = await open(true);
      if (!s) {
        skip = true;
        return;
      }
      store = s;
      await seedDemo(store, { dossiers: 0, log: jsonLogger(() => {}) });
      services = await startDemoSigning(store, [UNIT, '23110'], {
        password: DEMO_PASSWORD,
        seed: `test-${name}`,
      });
      app = makeApp();
    }, 120_000);
    afterAll(async () => {
      await services?.close();
      await store?.close();
    });

    const login = async (username: string) => {
      const r = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      expect(r.status).toBe(200);
      const { csrfToken, user } = (await r.json()) as { csrfToken: string; user: { id: string } };
      const base = { cookie: r.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
      const headers = { ...base, 'content-type': 'application/json' };
      return {
        id: user.id,
        get: (path: string) => app.request(path, { headers }),
        post: (path: string, body: unknown) =>
          app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }),
        put: (path: string, body: unknown) =>
          app.request(path, { method: 'PUT', headers, body: JSON.stringify(body) }),
        upload: (path: string, bytes: Uint8Array, filename: string, type: string) => {
          const form = new FormData();
          form.set('file', new File([bytes], filename, { type }));
          return app.request(path, { method: 'POST', headers: base, body: form });
        },
      };
    };
    const pinOf = (credentialId: string) =>
      services.demo!.csc.credentials.find((c) => c.credentialID === credentialId)!.pin;
    const newDossier = async () => {
      const rec = await login(`tiepnhan.${UNIT}`);
      const r = await rec.post(`/api/units/${UNIT}/dossiers`, { procedureCode: '1.004873', applicant });
      expect(r.status).toBe(201);
      return ((await r.json()) as { dossier: { id: string; code: string } }).dossier;
    };
    const verifyDownload = async (user: Awaited<ReturnType<typeof login>>, url: string, count: number) => {
      const r = await user.get(url);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/pdf');
      const bytes = new Uint8Array(await r.arrayBuffer());
      const report = await verifyPdf(bytes, { trustAnchors: services.trustAnchors });
      expect(report.signatures).toHaveLength(count);
      for (const s of report.signatures) expect(s.failures).toEqual([]);
      expect(report.valid).toBe(true);
      expect(report.hasDss).toBe(true);
      if (pdfsig) {
        const file = join(mkdtempSync(join(tmpdir(), 'motcua-signed-')), 'signed.pdf');
        writeFileSync(file, bytes);
        let out: string;
        try {
          out = execFileSync('pdfsig', [file], { encoding: 'utf8' });
        } catch (e) {
          out = String((e as { stdout?: string }).stdout ?? e);
        }
        // poppler does not know the synthetic root: the signature itself must be valid.
        expect(out.match(/Signature Validation: Signature is Valid/g)?.length).toBe(count);
      }
      return report;
    };
    /** Plays the officer's phone through the demo page's endpoint. */
    const phone = async (username: string, action: 'confirm' | 'reject') => {
      const u = await login(username);
      const { transactions } = (await (await u.get('/api/demo/signing')).json()) as {
        transactions: { transactionId: string }[];
      };
      expect(transactions.length).toBeGreaterThan(0);
      const r = await u.post(
        `/api/demo/signing/transactions/${transactions.at(-1)!.transactionId}/${action}`,
        {},
      );
      expect(r.status).toBe(200);
    };
    const specialistSigns = async (dossierId: string) => {
      const spec = await login(`chuyenvien.${UNIT}`);
      const { demoOtp } = (await (await spec.post('/api/demo/signing/otp', {})).json()) as {
        demoOtp: string;
      };
      const r = await spec.post(`/api/dossiers/${dossierId}/signatures`, {
        purpose: 'result',
        pin: pinOf(demoCredentialId(`chuyenvien.${UNIT}`)),
        otp: demoOtp,
      });
      expect(r.status).toBe(201);
      return ((await r.json()) as { signedDocument: { id: string; downloadUrl: string } }).signedDocument;
    };

    it('the receptionist certifies a scan (Decree 118 Art. 17.1.c): a wrong PIN is refused naming the field, the right one signs a PDF that verifies; the PIN is never logged', async () => {
      if (skip) return;
      const d = await newDossier();
      const rec = await login(`tiepnhan.${UNIT}`);
      const up = await rec.upload(
        `/api/dossiers/${d.id}/documents`,
        await scanPdf('Ban scan CCCD'),
        'scan.pdf',
        'application/pdf',
      );
      expect(up.status).toBe(201);
      const { id: documentId } = (await up.json()) as { id: string };
      const right = pinOf(demoCredentialId(`tiepnhan.${UNIT}`));
      const wrong = right === '000000' ? '111111' : '000000';
      const bad = await rec.post(`/api/dossiers/${d.id}/signatures`, {
        purpose: 'scan',
        documentId,
        pin: wrong,
      });
      expect(bad.status).toBe(400);
      const p = (await bad.json()) as { code: string; issues: { path: string }[]; triesLeft?: number };
      expect(p.code).toBe('signature.pin_invalid');
      expect(p.issues[0]!.path).toBe('pin');
      const none = await rec.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'scan', documentId });
      expect(none.status).toBe(400);
      expect(((await none.json()) as { code: string }).code).toBe('signature.pin_required');
      const spec = await login(`chuyenvien.${UNIT}`);
      const notReception = await spec.post(`/api/dossiers/${d.id}/signatures`, {
        purpose: 'scan',
        documentId,
        pin: right,
      });
      expect(notReception.status).toBe(403);
      const ok = await rec.post(`/api/dossiers/${d.id}/signatures`, {
        purpose: 'scan',
        documentId,
        pin: right,
      });
      expect(ok.status).toBe(201);
      const { signedDocument } = (await ok.json()) as {
        signedDocument: { downloadUrl: string; status: string };
      };
      expect(signedDocument.status).toBe('complete');
      await verifyDownload(rec, signedDocument.downloadUrl, 1);
      const again = await rec.post(`/api/dossiers/${d.id}/signatures`, {
        purpose: 'scan',
        documentId,
        pin: right,
      });
      expect(again.status).toBe(409);
      expect(((await again.json()) as { code: string }).code).toBe('signature.already_signed');
      // A scan uploaded as an image (PNG) is made into a PDF and signed.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      );
      const img = await rec.upload(
        `/api/dossiers/${d.id}/documents`,
        new Uint8Array(png),
        'to-khai.png',
        'image/png',
      );
      const imgId = ((await img.json()) as { id: string }).id;
      const listed = (await (await rec.get(`/api/dossiers/${d.id}/signatures?verify=0`)).json()) as {
        documentsToSign: { id: string }[];
      };
      expect(listed.documentsToSign.map((x) => x.id)).toEqual([imgId]);
      const imgSigned = await rec.post(`/api/dossiers/${d.id}/signatures`, {
        purpose: 'scan',
        documentId: imgId,
        pin: right,
      });
      expect(imgSigned.status).toBe(201);
      await verifyDownload(
        rec,
        ((await imgSigned.json()) as { signedDocument: { downloadUrl: string } }).signedDocument.downloadUrl,
        1,
      );
      const detail = (await (await rec.get(`/api/dossiers/${d.id}`)).json()) as {
        events: { event: { type: string } }[];
      };
      expect(detail.events.map((e) => e.event.type)).toContain('signed');
      const all = logs.join('\n');
      expect(all).toContain('/signatures');
      expect(all).not.toContain(right);
      expect(all).not.toContain(wrong);
    });

    it('the leader cannot sign a result before the specialist (409 naming the rule); specialist (PIN + OTP) then leader (phone) make a PDF with both signatures valid', async () => {
      if (skip) return;
      const d = await newDossier();
      const leader = await login(`lanhdao.${UNIT}`);
      const early = await leader.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'result' });
      expect(early.status).toBe(409);
      const p = (await early.json()) as { code: string; rule: string; detail: { vi: string } };
      expect(p.code).toBe('signature.order');
      expect(p.rule).toMatch(/specialist.*then.*leader/);
      expect(p.detail.vi).toMatch(/chuyên viên/);
      const spec = await login(`chuyenvien.${UNIT}`);
      const noOtp = await spec.post(`/api/dossiers/${d.id}/signatures`, {
        purpose: 'result',
        pin: pinOf(demoCredentialId(`chuyenvien.${UNIT}`)),
      });
      expect(noOtp.status).toBe(400);
      expect(((await noOtp.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('otp');
      const first = await specialistSigns(d.id);
      await verifyDownload(spec, first.downloadUrl, 1);
      // The specialist's signature is there: signing again (no document given) makes no second draft.
      const again = await spec.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'result', pin: '123456' });
      expect(again.status).toBe(409);
      expect(((await again.json()) as { code: string }).code).toBe('signature.already_signed');
      const approvals = (await (await leader.get(`/api/units/${UNIT}/signing/approvals`)).json()) as {
        id: string;
        dossierCode: string;
      }[];
      expect(approvals.map((a) => a.dossierCode)).toContain(d.code);
      const started = await leader.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'result' });
      expect(started.status).toBe(202);
      const { operationId, pollUrl } = (await started.json()) as {
        operationId: string;
        pollUrl: string;
        status: string;
      };
      expect(((await (await leader.get(pollUrl)).json()) as { status: string }).status).toBe('pending');
      const twice = await leader.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'result' });
      expect(twice.status).toBe(409);
      expect(((await twice.json()) as { code: string }).code).toBe('signature.pending');
      await phone(`lanhdao.${UNIT}`, 'confirm');
      const done = (await (await leader.get(`/api/signing-requests/${operationId}`)).json()) as {
        status: string;
        signedDocument: { downloadUrl: string; status: string; signatures: { step: string }[] };
      };
      expect(done.status).toBe('signed');
      expect(done.signedDocument.status).toBe('complete');
      expect(done.signedDocument.signatures.map((s) => s.step)).toEqual(['specialist', 'leader']);
      await verifyDownload(leader, done.signedDocument.downloadUrl, 2);
      const after = (await (await leader.get(`/api/units/${UNIT}/signing/approvals`)).json()) as {
        dossierCode: string;
      }[];
      expect(after.map((a) => a.dossierCode)).not.toContain(d.code);
      const report = (await (await leader.get(`/api/dossiers/${d.id}/signatures`)).json()) as {
        documents: { purpose: string; verification: { valid: boolean; signatures: unknown[] } }[];
      };
      expect(report.documents).toHaveLength(1);
      expect(report.documents[0]!.verification.valid).toBe(true);
      expect(report.documents[0]!.verification.signatures).toHaveLength(2);
    });

    it('a deputy signs for the leader only within a delegation in force (403 naming the rule otherwise); a rejection on the phone leaves the result unsigned', async () => {
      if (skip) return;
      const d = await newDossier();
      await specialistSigns(d.id);
      const leader = await login(`lanhdao.${UNIT}`);
      const deputy = await login(`pholanhdao.${UNIT}`);
      const attempt = () =>
        deputy.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'result', onBehalfOf: leader.id });
      const denied = await attempt();
      expect(denied.status).toBe(403);
      const p = (await denied.json()) as { code: string; rule: string };
      expect(p.code).toBe('signature.delegation_required');
      expect(p.rule).toMatch(/delegation/);
      const noLeader = await deputy.post(`/api/dossiers/${d.id}/signatures`, {
        purpose: 'result',
        step: 'leader',
      });
      expect(noLeader.status).toBe(403);
      const hour = 3_600_000;
      const future = await leader.post(`/api/units/${UNIT}/delegations`, {
        toUser: deputy.id,
        scope: 'result',
        validFrom: new Date(Date.now() + 24 * hour).toISOString(),
        validUntil: new Date(Date.now() + 48 * hour).toISOString(),
      });
      expect(future.status).toBe(201);
      expect((await attempt()).status).toBe(403); // not yet in force
      const past = await leader.post(`/api/units/${UNIT}/delegations`, {
        toUser: deputy.id,
        validFrom: new Date(Date.now() - 48 * hour).toISOString(),
        validUntil: new Date(Date.now() - 24 * hour).toISOString(),
      });
      expect(past.status).toBe(400);
      expect(((await past.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('validUntil');
      const spec = await login(`chuyenvien.${UNIT}`);
      expect(
        (
          await spec.post(`/api/units/${UNIT}/delegations`, {
            toUser: deputy.id,
            validFrom: new Date().toISOString(),
            validUntil: new Date(Date.now() + hour).toISOString(),
          })
        ).status,
      ).toBe(403);
      const made = await leader.post(`/api/units/${UNIT}/delegations`, {
        toUser: deputy.id,
        scope: 'result',
        validFrom: new Date(Date.now() - hour).toISOString(),
        validUntil: new Date(Date.now() + 24 * hour).toISOString(),
      });
      expect(made.status).toBe(201);
      const delegation = (await made.json()) as { id: string; active: boolean };
      expect(delegation.active).toBe(true);
      const list = (await (await deputy.get(`/api/units/${UNIT}/delegations`)).json()) as {
        id: string;
        active: boolean;
      }[];
      expect(list.filter((x) => x.active).map((x) => x.id)).toEqual([delegation.id]);

      const first = await attempt();
      expect(first.status).toBe(202);
      const op1 = ((await first.json()) as { operationId: string }).operationId;
      await phone(`pholanhdao.${UNIT}`, 'reject');
      expect(
        ((await (await deputy.get(`/api/signing-requests/${op1}`)).json()) as { status: string }).status,
      ).toBe('rejected');
      const still = (await (await leader.get(`/api/units/${UNIT}/signing/approvals`)).json()) as {
        dossierCode: string;
      }[];
      expect(still.map((a) => a.dossierCode)).toContain(d.code);

      const second = await attempt();
      expect(second.status).toBe(202);
      const op2 = ((await second.json()) as { operationId: string }).operationId;
      await phone(`pholanhdao.${UNIT}`, 'confirm');
      // The provider's callback (HMAC-signed) and two polls at once: one signature, every answer "signed".
      const payload = JSON.stringify({ transactionId: op2, status: 'signed' });
      const callback = (header: string) =>
        app.request('/api/signing/callback', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-motcua-signature': header },
          body: payload,
        });
      expect((await callback('t=1,v1=forged')).status).toBe(401);
      const answers = await Promise.all([
        callback(await signTestPayload(payload, services.callbackSecret!)),
        deputy.get(`/api/signing-requests/${op2}`),
        deputy.get(`/api/signing-requests/${op2}`),
      ]);
      for (const r of answers) expect(((await r.json()) as { status: string }).status).toBe('signed');
      const events = (await (await deputy.get(`/api/dossiers/${d.id}`)).json()) as {
        events: { event: { type: string } }[];
      };
      expect(events.events.filter((e) => e.event.type === 'signed')).toHaveLength(2);
      const done = (await (await deputy.get(`/api/signing-requests/${op2}`)).json()) as {
        status: string;
        signedDocument: {
          downloadUrl: string;
          signatures: { step: string; userId: string; onBehalfOf?: { userId: string } }[];
        };
      };
      expect(done.status).toBe('signed');
      expect(done.signedDocument.signatures[1]).toMatchObject({
        step: 'leader',
        userId: deputy.id,
        onBehalfOf: { userId: leader.id },
      });
      await verifyDownload(deputy, done.signedDocument.downloadUrl, 2);

      const revoked = await app.request(`/api/units/${UNIT}/delegations/${delegation.id}`, {
        method: 'DELETE',
        headers: await (async () => {
          const r = await app.request('/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: `lanhdao.${UNIT}`, password: DEMO_PASSWORD }),
          });
          const { csrfToken } = (await r.json()) as { csrfToken: string };
          return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
        })(),
      });
      expect(revoked.status).toBe(200);
      expect(((await revoked.json()) as { active: boolean }).active).toBe(false);
    });

    it('an asynchronous signature pending across a restart is finished by the new process once the officer confirms', async () => {
      if (skip) return;
      const d = await newDossier();
      await specialistSigns(d.id);
      const leader = await login(`lanhdao.${UNIT}`);
      const started = await leader.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'result' });
      expect(started.status).toBe(202);
      const { operationId } = (await started.json()) as { operationId: string };
      // Restart: the database is closed and opened again, a new app is made; the provider lives on.
      await store.close();
      store = (await open(false))!;
      attachSigning(store, services);
      app = makeApp();
      await phone(`lanhdao.${UNIT}`, 'confirm');
      const l2 = await login(`lanhdao.${UNIT}`);
      const pendingList = (await (await l2.get(`/api/units/${UNIT}/signing-requests`)).json()) as {
        operationId: string;
        status: string;
      }[];
      // Listing refreshes: the confirmed one is finished on the way.
      expect(pendingList.find((x) => x.operationId === operationId)?.status).toBe('signed');
      const done = (await (await l2.get(`/api/signing-requests/${operationId}`)).json()) as {
        status: string;
        signedDocument: { downloadUrl: string };
      };
      expect(done.status).toBe('signed');
      await verifyDownload(l2, done.signedDocument.downloadUrl, 2);
      const detail = (await (await l2.get(`/api/dossiers/${d.id}`)).json()) as {
        events: { event: { type: string } }[];
      };
      expect(detail.events.filter((e) => e.event.type === 'signed')).toHaveLength(2);
    });

    it('each demo officer signs with a credential of their own: the certificates name them, and a leader’s demo phone shows only their own confirmations', async () => {
      if (skip) return;
      const OTHER = '23110';
      const cn = (subject: string | undefined) =>
        /(?:^|, )(?:CN|2\.5\.4\.3)=([^,]*)$/.exec(subject ?? '')?.[1];
      const nameOf = (username: string) => demoUsers().find((u) => u.username === username)!.fullName;
      // A result waiting for the leader's confirmation in each of two communes.
      const waiting = async (unit: string) => {
        const rec = await login(`tiepnhan.${unit}`);
        const made = await rec.post(`/api/units/${unit}/dossiers`, { procedureCode: '1.004873', applicant });
        expect(made.status).toBe(201);
        const { dossier } = (await made.json()) as { dossier: { id: string } };
        const spec = await login(`chuyenvien.${unit}`);
        const { demoOtp } = (await (await spec.post('/api/demo/signing/otp', {})).json()) as {
          demoOtp: string;
        };
        const signed = await spec.post(`/api/dossiers/${dossier.id}/signatures`, {
          purpose: 'result',
          pin: pinOf(demoCredentialId(`chuyenvien.${unit}`)),
          otp: demoOtp,
        });
        expect(signed.status).toBe(201);
        const leader = await login(`lanhdao.${unit}`);
        const started = await leader.post(`/api/dossiers/${dossier.id}/signatures`, { purpose: 'result' });
        expect(started.status).toBe(202);
        return { leader, operationId: ((await started.json()) as { operationId: string }).operationId };
      };
      const here = await waiting(UNIT);
      const there = await waiting(OTHER);
      type Phone = {
        credentials: { provider: string; credentialId: string }[];
        transactions: { transactionId: string }[];
      };
      const phoneOf = async (u: typeof here.leader) =>
        (await (await u.get('/api/demo/signing')).json()) as Phone;
      const mine = await phoneOf(here.leader);
      expect(mine.credentials).toEqual([
        { provider: 'async', credentialId: demoCredentialId(`lanhdao.${UNIT}`) },
      ]);
      expect(mine.transactions.map((t) => t.transactionId)).toContain(here.operationId);
      expect(mine.transactions.map((t) => t.transactionId)).not.toContain(there.operationId);
      const theirs = await phoneOf(there.leader);
      expect(theirs.transactions.map((t) => t.transactionId)).toContain(there.operationId);
      expect(theirs.transactions.map((t) => t.transactionId)).not.toContain(here.operationId);
      // Nor can one commune's leader confirm the other's.
      expect(
        (await here.leader.post(`/api/demo/signing/transactions/${there.operationId}/confirm`, {})).status,
      ).toBe(404);
      for (const [unit, { leader, operationId }] of [
        [UNIT, here],
        [OTHER, there],
      ] as const) {
        const r = await leader.post(`/api/demo/signing/transactions/${operationId}/confirm`, {});
        expect(r.status).toBe(200);
        const done = (await (await leader.get(`/api/signing-requests/${operationId}`)).json()) as {
          status: string;
          signedDocument: { downloadUrl: string };
        };
        expect(done.status).toBe('signed');
        const report = await verifyDownload(leader, done.signedDocument.downloadUrl, 2);
        // The holders the verified signatures name are the officers who signed, by their display names.
        expect(report.signatures.map((x) => cn(x.cms.signer?.subject))).toEqual([
          nameOf(`chuyenvien.${unit}`),
          nameOf(`lanhdao.${unit}`),
        ]);
      }
      expect(nameOf(`lanhdao.${UNIT}`)).toBe('Lãnh đạo Xã Vân Sơn');
      // Every demo officer who signs holds a credential of their own; no two share one.
      const held = services.demo!.assignments.map((a) => a.credentialId);
      expect(new Set(held).size).toBe(held.length);
      expect(held).toHaveLength(8);
    });

    it('signing readiness lists who can sign and who cannot; another commune answers 404', async () => {
      if (skip) return;
      const admin = await login(`quantri.${UNIT}`);
      const r = await admin.get(`/api/units/${UNIT}/signing-readiness`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as {
        ready: number;
        officers: {
          username: string;
          ready: boolean;
          provider: string | null;
          notAfter: string | null;
          problems: { code: string }[];
        }[];
      };
      const by = Object.fromEntries(body.officers.map((o) => [o.username, o]));
      expect(by[`tiepnhan.${UNIT}`]).toMatchObject({ ready: true, provider: 'csc' });
      expect(by[`lanhdao.${UNIT}`]).toMatchObject({ ready: true, provider: 'async' });
      expect(by[`quantri.${UNIT}`]!.ready).toBe(false);
      expect(by[`quantri.${UNIT}`]!.problems.map((p) => p.code)).toContain('readiness.no_credential');
      expect(body.ready).toBe(4);
      expect((await admin.get('/api/units/23110/signing-readiness')).status).toBe(404);
      // A signing set-up with a credential the provider does not know is refused naming the field.
      const setUp = await admin.get(`/api/units/${UNIT}/signing-readiness`);
      const quantri = (
        (await setUp.json()) as { officers: { username: string; userId: string }[] }
      ).officers.find((o) => o.username === `quantri.${UNIT}`)!;
      const put = (body: unknown) =>
        admin.put(`/api/units/${UNIT}/signing/credentials/${quantri.userId}`, body);
      const unknown = await put({ provider: 'csc', credentialId: 'nope' });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('credentialId');
      const set = await put({ provider: 'csc', credentialId: 'cred-rsa-an' });
      expect(set.status).toBe(200);
      const after = (await (await admin.get(`/api/units/${UNIT}/signing-readiness`)).json()) as {
        ready: number;
      };
      expect(after.ready).toBe(5);
      const spec = await login(`chuyenvien.${UNIT}`);
      expect(
        (
          await spec.put(`/api/units/${UNIT}/signing/credentials/${quantri.userId}`, {
            provider: 'csc',
            credentialId: 'cred-rsa-an',
          })
        ).status,
      ).toBe(403);
      const other = await login('tiepnhan.23110');
      const d = await newDossier();
      expect((await other.get(`/api/dossiers/${d.id}/signatures`)).status).toBe(404);
      expect((await other.post(`/api/dossiers/${d.id}/signatures`, { purpose: 'result' })).status).toBe(404);
    });
  });
}

suite(
  'PGlite (embedded)',
  (() => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-sign-'));
    return async () => openStore({ dataDir });
  })(),
);

let pg: TestPostgres | undefined;
let pgUrl: string | undefined;
suite('PostgreSQL', async (first) => {
  if (first) {
    pg = await startTestPostgres();
    if (!pg) return undefined;
    pgUrl = await pg.createDatabase('motcua_web_signing');
  }
  return pgUrl ? openStore({ databaseUrl: pgUrl }) : undefined;
});
afterAll(async () => {
  await pg?.stop();
});
