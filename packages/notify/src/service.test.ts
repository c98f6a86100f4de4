import { ValidationError } from '@motcua/core';
import { syntheticPeople } from '@motcua/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailNotifier } from './email.js';
import type { Notice } from './schemas.js';
import { createNotificationService, type DeliveredNotice } from './service.js';
import { createSmsNotifier } from './sms.js';
import { startSmsGatewaySimulator } from './testing/sms-simulator.js';
import { startSmtpSimulator } from './testing/smtp-simulator.js';

const closers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((s) => s.close()));
});
const track = <T extends { close: () => Promise<void> }>(s: T): T => {
  closers.push(s);
  return s;
};
const gen = syntheticPeople({ seed: 7 });
const people = Array.from({ length: 6 }, () => gen.next().value);
const emailOf = (i: number) => `cong.dan.${i}@example.vn`;
const http = { sleep: async () => {}, random: () => 0, circuit: false as const, retry: { limit: 2 } };
const outbox = { baseDelayMs: 0, maxDelayMs: 0, random: () => 0 };

const dossier = (n: number) => `000.00.19.H57-250701-${String(n).padStart(4, '0')}`;
const notices = (code: string): Notice[] => [
  {
    kind: 'supplementRequest',
    dossierCode: code,
    procedureName: 'Đăng ký khai sinh',
    reasons: ['Thiếu giấy chứng sinh'],
    deadline: '2025-07-20',
  },
  {
    kind: 'extension',
    dossierCode: code,
    procedureName: 'Đăng ký khai sinh',
    originalDate: '2025-07-25',
    newDate: '2025-07-30',
    reason: 'Chờ xác minh',
  },
  {
    kind: 'resultReady',
    dossierCode: code,
    procedureName: 'Đăng ký khai sinh',
    readyDate: '2025-07-29',
    place: 'Bộ phận một cửa',
  },
];

async function drain(
  service: { runOnce: () => Promise<unknown>; stats: () => Promise<{ pending: number }> },
  rounds = 300,
) {
  for (let i = 0; i < rounds && (await service.stats()).pending > 0; i++) await service.runOnce();
}

describe('NotificationService through the outbox', () => {
  it('delivers every notice exactly once, in order per dossier, while the gateway drops calls and answers 503 and 429', async () => {
    const sim = track(
      await startSmsGatewaySimulator({
        faults: { dropRate: 0.3, failureRate: 0.15, throttleRate: 0.15, retryAfterSec: 0, seed: 11 },
      }),
    );
    const delivered: DeliveredNotice[] = [];
    const service = createNotificationService({
      notifiers: {
        sms: createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...http }),
      },
      outbox: { ...outbox, maxAttempts: 100 },
      smsUnaccented: true,
      onDelivered: (d) => {
        delivered.push(d);
      },
    });
    const enqueued: { key: string; dossierCode: string; kind: string }[] = [];
    for (let d = 1; d <= 4; d++)
      for (const n of notices(dossier(d))) {
        const r = await service.notify(n, { phone: people[d]!.phone, preferences: ['sms'] });
        enqueued.push({ key: r.key, dossierCode: n.dossierCode, kind: n.kind });
      }
    await drain(service);
    expect(await service.stats()).toMatchObject({ pending: 0, delivered: 12, dead: 0 });
    // Exactly once: one effect per notice at the gateway, whatever the retries.
    expect(sim.sent).toHaveLength(12);
    expect(new Set(sim.sent.map((s) => s.idempotencyKey))).toEqual(
      new Set(enqueued.map((e) => `${e.key}.sms`)),
    );
    // The faults did happen.
    expect(sim.stats.faults.dropped).toBeGreaterThan(0);
    expect(sim.stats.faults.failed).toBeGreaterThan(0);
    expect(sim.stats.faults.throttled).toBeGreaterThan(0);
    // In order per dossier.
    for (let d = 1; d <= 4; d++) {
      const code = dossier(d);
      const expectedKeys = enqueued.filter((e) => e.dossierCode === code).map((e) => `${e.key}.sms`);
      expect(sim.sent.filter((s) => s.reference === code).map((s) => s.idempotencyKey)).toEqual(expectedKeys);
    }
    expect(new Set(delivered.map((d) => d.key)).size).toBe(12);
    expect(delivered[0]!.event).toMatchObject({ type: 'notified', via: 'sms' });
    expect(delivered[0]!.event.at).toMatch(/\+07:00$/);
  });

  it('delivers e-mail exactly once per notice while the mail server answers 451 at times', async () => {
    const smtp = track(await startSmtpSimulator({ tempFailureRate: 0.4, seed: 5 }));
    const service = createNotificationService({
      notifiers: { email: createEmailNotifier({ smtp: smtp.smtp, from: 'motcua@vanson.example.vn' }) },
      outbox: { ...outbox, maxAttempts: 100 },
    });
    const keys: string[] = [];
    for (const n of notices(dossier(9)))
      keys.push(
        (await service.notify(n, { email: emailOf(9), name: people[0]!.fullName, preferences: ['email'] }))
          .key,
      );
    await drain(service);
    expect(smtp.stats.tempFailures).toBeGreaterThan(0);
    expect(smtp.received).toHaveLength(3);
    expect(smtp.received.map((m) => m.messageId)).toEqual(keys.map((k) => `${k}.email@vanson.example.vn`));
    expect(smtp.received[0]!.text).toContain(`Kính gửi ông/bà ${people[0]!.fullName},`);
    expect(smtp.received[1]!.subject).toContain('Thư xin lỗi và hẹn lại ngày trả kết quả');
  });

  it('falls back to e-mail when the SMS channel refuses for good (unreachable number, landline)', async () => {
    const sim = track(await startSmsGatewaySimulator({ unreachable: [people[1]!.phone] }));
    const smtp = track(await startSmtpSimulator());
    const delivered: DeliveredNotice[] = [];
    const service = createNotificationService({
      notifiers: {
        sms: createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...http }),
        email: createEmailNotifier({ smtp: smtp.smtp, from: 'motcua@vanson.example.vn' }),
      },
      outbox,
      onDelivered: (d) => {
        delivered.push(d);
      },
    });
    const [n] = notices(dossier(1));
    const a = await service.notify(n!, {
      phone: people[1]!.phone,
      email: emailOf(1),
      preferences: ['sms', 'email'],
    });
    const b = await service.notify(
      { ...n!, dossierCode: dossier(2) },
      { phone: '02103123456', email: emailOf(2), preferences: ['sms', 'email'] },
    );
    expect(a.channels).toEqual(['sms', 'email']);
    await service.runOnce();
    expect(await service.stats()).toMatchObject({ pending: 0, delivered: 2, dead: 0 });
    expect(sim.sent).toHaveLength(0);
    expect(sim.refused.map((r) => r.code)).toEqual(['recipient.unreachable']);
    expect(smtp.received.map((m) => m.to[0])).toEqual([emailOf(1), emailOf(2)]);
    expect(delivered.map((d) => [d.key, d.channel])).toEqual([
      [a.key, 'email'],
      [b.key, 'email'],
    ]);
  });

  it('a retryable failure stays queued (no fallback) and goes out once the gateway is back', async () => {
    const sim = track(await startSmsGatewaySimulator({ faults: { failureRate: 1, retryAfterSec: 0 } }));
    const smtp = track(await startSmtpSimulator());
    const service = createNotificationService({
      notifiers: {
        sms: createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...http }),
        email: createEmailNotifier({ smtp: smtp.smtp, from: 'motcua@vanson.example.vn' }),
      },
      outbox,
    });
    const r = await service.notify(notices(dossier(3))[2]!, { phone: people[3]!.phone, email: emailOf(3) });
    for (let i = 0; i < 3; i++) await service.runOnce();
    const s = await service.stats();
    expect(s).toMatchObject({ pending: 1, delivered: 0, dead: 0 });
    const m = await service.outbox.runOnce().then(async () => (await service.deadLetters()).length);
    expect(m).toBe(0);
    expect(smtp.received).toHaveLength(0);
    sim.setFaults({});
    await service.runOnce();
    expect(await service.stats()).toMatchObject({ pending: 0, delivered: 1 });
    expect(sim.sent.map((x) => x.idempotencyKey)).toEqual([`${r.key}.sms`]);
  });

  it('dead-letters with its reason when every channel refuses for good, and a resend queues it again', async () => {
    const sim = track(await startSmsGatewaySimulator({ unreachable: [people[4]!.phone] }));
    const smtp = track(await startSmtpSimulator({ unknownRecipients: [emailOf(4)] }));
    const service = createNotificationService({
      notifiers: {
        sms: createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...http }),
        email: createEmailNotifier({ smtp: smtp.smtp, from: 'motcua@vanson.example.vn' }),
      },
      outbox: { ...outbox, maxAttempts: 8 },
    });
    const r = await service.notify(notices(dossier(4))[0]!, { phone: people[4]!.phone, email: emailOf(4) });
    await service.runOnce();
    expect(await service.stats()).toMatchObject({ pending: 0, dead: 1 });
    const [dead] = await service.deadLetters();
    expect(dead).toMatchObject({
      messageId: r.messageId,
      dossierCode: dossier(4),
      kind: 'supplementRequest',
      attempts: 1,
    });
    expect(dead!.reason).toContain('notify.all_channels_failed');
    expect(dead!.reason).toContain('recipient.unreachable');
    expect(dead!.reason).toContain('SMTP 550');
    expect(dead!.reason).not.toContain(people[4]!.phone.slice(1));
    expect(dead!.reason).not.toContain(emailOf(4));
    await service.resend(r.messageId);
    expect(await service.stats()).toMatchObject({ pending: 1, dead: 0 });
  });

  it('dead-letters after the last attempt when the line never comes back, keeping the reason', async () => {
    const sim = track(await startSmsGatewaySimulator({ faults: { failureRate: 1, retryAfterSec: 0 } }));
    const service = createNotificationService({
      notifiers: {
        sms: createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...http }),
      },
      outbox: { ...outbox, maxAttempts: 3 },
    });
    await service.notify(notices(dossier(5))[2]!, { phone: people[5]!.phone });
    await drain(service, 10);
    const [dead] = await service.deadLetters();
    expect(dead).toMatchObject({ attempts: 3 });
    expect(dead!.reason).toContain('notify.unavailable');
    expect(dead!.reason).toContain('unavailable');
    expect(sim.sent).toHaveLength(0);
  });

  it('masks phone numbers, e-mail addresses and names in every log line', async () => {
    const sim = track(
      await startSmsGatewaySimulator({
        unreachable: [people[1]!.phone],
        faults: { failureRate: 0.5, retryAfterSec: 0, seed: 3 },
      }),
    );
    const smtp = track(await startSmtpSimulator());
    const lines: unknown[] = [];
    const logger = {
      info: (m: string, d?: unknown) => lines.push([m, d]),
      warn: (m: string, d?: unknown) => lines.push([m, d]),
      error: (m: string, d?: unknown) => lines.push([m, d]),
    };
    const service = createNotificationService({
      notifiers: {
        sms: createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...http, logger }),
        email: createEmailNotifier({ smtp: smtp.smtp, from: 'motcua@vanson.example.vn' }),
      },
      outbox: { ...outbox, maxAttempts: 50 },
      logger,
    });
    for (const i of [1, 2])
      await service.notify(notices(dossier(i))[2]!, {
        phone: people[i]!.phone,
        email: emailOf(i),
        name: people[i]!.fullName,
      });
    await drain(service);
    expect(await service.stats()).toMatchObject({ delivered: 2 });
    const log = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(4);
    for (const i of [1, 2]) {
      const digits = people[i]!.phone;
      expect(log).not.toContain(digits.slice(1));
      expect(log).not.toContain(`+84${digits.slice(1)}`);
      expect(log).not.toContain(emailOf(i));
      expect(log).not.toContain(people[i]!.fullName);
      expect(log).toContain(`${digits.slice(0, 3)}****${digits.slice(-3)}`);
    }
    expect(log).toContain('c***@example.vn');
  });

  it('refuses a contact with no usable channel and de-duplicates a notice enqueued twice with one key', async () => {
    const sim = track(await startSmsGatewaySimulator());
    const service = createNotificationService({
      notifiers: {
        sms: createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...http }),
      },
      outbox,
    });
    const n = notices(dossier(6))[2]!;
    const e = await service
      .notify(n, { email: emailOf(6), preferences: ['email', 'sms'] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues[0]).toMatchObject({
      path: ['contact', 'preferences'],
      code: 'notify.no_channel',
    });
    const a = await service.notify(n, { phone: people[0]!.phone }, { idempotencyKey: 'result-ready-6' });
    const b = await service.notify(n, { phone: people[0]!.phone }, { idempotencyKey: 'result-ready-6' });
    expect(b.messageId).toBe(a.messageId);
    await drain(service);
    expect(sim.sent.map((s) => s.idempotencyKey)).toEqual(['result-ready-6.sms']);
  });
});
