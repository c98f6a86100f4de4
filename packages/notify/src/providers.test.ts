import { syntheticPeople } from '@motcua/core/testing';
import { createHttpClient, type HttpError } from '@motcua/http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailNotifier } from './email.js';
import { NotifyError } from './errors.js';
import { createSmsNotifier } from './sms.js';
import { startSmsGatewaySimulator } from './testing/sms-simulator.js';
import { startSmtpSimulator } from './testing/smtp-simulator.js';
import { startWebhookReceiver } from './testing/webhook-receiver.js';
import { createWebhookNotifier } from './webhook.js';

const closers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((s) => s.close()));
});
const track = <T extends { close: () => Promise<void> }>(s: T): T => {
  closers.push(s);
  return s;
};
const people = syntheticPeople({ seed: 42 });
const person = people.next().value;
const fast = { sleep: async () => {}, random: () => 0, circuit: false as const };
const rejection = async (p: Promise<unknown>): Promise<NotifyError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof NotifyError) return e;
    throw e;
  }
  throw new Error('expected a NotifyError');
};

describe('SMS gateway provider against the simulator', () => {
  it('sends with an OAuth2 token and the idempotency key; the simulator records the number in E.164', async () => {
    const sim = track(await startSmsGatewaySimulator({ senders: ['UBND-VANSON'] }));
    const sms = createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'UBND-VANSON', ...fast });
    const r = await sms.send({
      to: person.phone,
      text: 'Ho so da co ket qua',
      idempotencyKey: 'k-1.sms',
      dossierCode: '000.00.19.H57-250701-0001',
    });
    expect(r.channel).toBe('sms');
    expect(sim.sent).toHaveLength(1);
    expect(sim.sent[0]).toMatchObject({
      messageId: r.providerMessageId,
      to: `+84${person.phone.slice(1)}`,
      sender: 'UBND-VANSON',
      reference: '000.00.19.H57-250701-0001',
      idempotencyKey: 'k-1.sms',
      encoding: 'gsm7',
      segments: 1,
    });
    expect(sim.stats.tokensIssued).toBe(1);
  });

  it('a repeated send with the same key is one SMS with the same provider ID', async () => {
    const sim = track(await startSmsGatewaySimulator());
    const sms = createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...fast });
    const msg = { to: person.phone, text: 'Hồ sơ đã có kết quả', idempotencyKey: 'same-key' };
    const a = await sms.send(msg);
    const b = await sms.send(msg);
    expect(b.providerMessageId).toBe(a.providerMessageId);
    expect(sim.sent).toHaveLength(1);
    expect(sim.stats.idempotentReplays).toBe(1);
  });

  it('refuses a landline or a non-number before sending, naming field and rule, without the number', async () => {
    const sim = track(await startSmsGatewaySimulator());
    const sms = createSmsNotifier({ baseUrl: sim.url, auth: sim.oauth2, sender: 'MOTCUA', ...fast });
    const landline = await rejection(sms.send({ to: '024 3825 1234', text: 'x', idempotencyKey: 'a' }));
    expect(landline).toMatchObject({ code: 'notify.invalid_recipient', retryable: false, channel: 'sms' });
    expect(landline.message).toContain('phone.not_mobile');
    expect(landline.localized.vi).toContain('số cố định');
    expect(landline.message).not.toContain('3825');
    const junk = await rejection(sms.send({ to: '12345', text: 'x', idempotencyKey: 'b' }));
    expect(junk.message).toContain('to: not a Vietnamese mobile number (rule phone.invalid)');
    expect(sim.stats.requests).toBe(0);
  });

  it('the simulator validates numbers, rejects over-long messages and calls without a token', async () => {
    const sim = track(await startSmsGatewaySimulator({ maxSegments: 2 }));
    const http = createHttpClient({ baseUrl: sim.url, auth: sim.oauth2, retry: false, circuit: false });
    const post = (json: unknown) => http.post('messages', { json }).catch((e: HttpError) => e);
    const bad = (await post({ to: '0123', sender: 'MOTCUA', text: 'x' })) as HttpError;
    expect([bad.status, bad.serverCode]).toEqual([400, 'phone.invalid']);
    const land = (await post({ to: '02438251234', sender: 'MOTCUA', text: 'x' })) as HttpError;
    expect([land.status, land.serverCode]).toEqual([422, 'phone.not_mobile']);
    const long = (await post({ to: person.phone, sender: 'MOTCUA', text: 'ă'.repeat(135) })) as HttpError;
    expect([long.status, long.serverCode]).toEqual([400, 'message_too_long']);
    const ok = await http.post<{ segments: number }>('messages', {
      json: { to: person.phone, sender: 'MOTCUA', text: 'ă'.repeat(134) },
    });
    expect(ok.data.segments).toBe(2);
    const sender = (await post({ to: person.phone, sender: 'OTHER', text: 'x' })) as HttpError;
    expect([sender.status, sender.serverCode]).toEqual([403, 'sender.not_registered']);
    const anon = await fetch(`${sim.url}messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: person.phone, sender: 'MOTCUA', text: 'x' }),
    });
    expect(anon.status).toBe(401);
    expect(sim.sent).toHaveLength(1);
    expect(JSON.stringify(sim.refused)).not.toContain(person.phone.slice(1));
  });

  it('a message longer than the local limit never leaves; a gateway refusal is permanent, a 503 retryable', async () => {
    const sim = track(await startSmsGatewaySimulator({ maxSegments: 1, unreachable: [person.phone] }));
    const local = createSmsNotifier({
      baseUrl: sim.url,
      auth: sim.oauth2,
      sender: 'MOTCUA',
      maxSegments: 1,
      ...fast,
    });
    const tooLong = await rejection(
      local.send({ to: person.phone, text: 'a'.repeat(161), idempotencyKey: 'l' }),
    );
    expect(tooLong).toMatchObject({ code: 'notify.sms_too_long', retryable: false });
    const loose = createSmsNotifier({
      baseUrl: sim.url,
      auth: sim.oauth2,
      sender: 'MOTCUA',
      maxSegments: 5,
      ...fast,
    });
    const refusedLong = await rejection(
      loose.send({ to: '0987000111', text: 'a'.repeat(161), idempotencyKey: 'm' }),
    );
    expect(refusedLong).toMatchObject({ code: 'notify.rejected', retryable: false });
    expect(refusedLong.message).toContain('message_too_long');
    const unreachable = await rejection(local.send({ to: person.phone, text: 'x', idempotencyKey: 'n' }));
    expect(unreachable).toMatchObject({ code: 'notify.rejected', retryable: false });
    expect(unreachable.message).toContain('recipient.unreachable');
    sim.setFaults({ failureRate: 1, retryAfterSec: 0 });
    const noRetry = createSmsNotifier({
      baseUrl: sim.url,
      auth: sim.oauth2,
      sender: 'MOTCUA',
      retry: false,
      circuit: false,
    });
    const down = await rejection(noRetry.send({ to: '0987000111', text: 'x', idempotencyKey: 'o' }));
    expect(down).toMatchObject({ code: 'notify.unavailable', retryable: true });
    expect(sim.sent).toHaveLength(0);
  });
});

describe('e-mail provider against the SMTP simulator', () => {
  it('sends a Vietnamese subject and text; the Message-ID comes from the idempotency key', async () => {
    const smtp = track(await startSmtpSimulator({ users: { motcua: 'secret' } }));
    const email = createEmailNotifier({
      smtp: smtp.smtp,
      from: '"UBND xã Vân Sơn" <motcua@vanson.example.vn>',
    });
    const text = `Kính gửi ông/bà ${person.fullName},\nHồ sơ 000.00.19.H57-250701-0001 đã có kết quả.\nNgày nhận: 03/07/2025.`;
    const r = await email.send({
      to: 'mau.nguyen@example.vn',
      subject: '[Hồ sơ 000.00.19.H57-250701-0001] Hồ sơ đã có kết quả',
      text,
      dossierCode: '000.00.19.H57-250701-0001',
      idempotencyKey: 'notice-7.email',
    });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['mau.nguyen@example.vn']);
    expect(mail.from).toBe('motcua@vanson.example.vn');
    expect(mail.subject).toBe('[Hồ sơ 000.00.19.H57-250701-0001] Hồ sơ đã có kết quả');
    expect(mail.text).toBe(text);
    expect(mail.messageId).toBe('notice-7.email@vanson.example.vn');
    expect(r.providerMessageId).toBe(`<${mail.messageId}>`);
    expect(mail.headers['x-motcua-dossier']).toBe('000.00.19.H57-250701-0001');
  });

  it('a mailbox that does not exist is permanent; a 451 and a closed port are retryable', async () => {
    const smtp = track(await startSmtpSimulator({ unknownRecipients: ['khongco@example.vn'] }));
    const email = createEmailNotifier({ smtp: smtp.smtp, from: 'motcua@vanson.example.vn' });
    const unknown = await rejection(email.send({ to: 'khongco@example.vn', text: 'x', idempotencyKey: 'a' }));
    expect(unknown).toMatchObject({ code: 'notify.rejected', retryable: false, channel: 'email' });
    expect(unknown.message).toContain('SMTP 550');
    expect(unknown.message).not.toContain('khongco');
    smtp.setTempFailureRate(1);
    const later = await rejection(email.send({ to: 'mau@example.vn', text: 'x', idempotencyKey: 'b' }));
    expect(later).toMatchObject({ code: 'notify.unavailable', retryable: true });
    expect(later.message).toContain('SMTP 451');
    const bad = await rejection(email.send({ to: 'not-an-address', text: 'x', idempotencyKey: 'c' }));
    expect(bad).toMatchObject({ code: 'notify.invalid_recipient', retryable: false });
    const port = smtp.port;
    await smtp.close();
    closers.pop();
    const closed = createEmailNotifier({
      smtp: { host: '127.0.0.1', port, ignoreTLS: true },
      from: 'm@x.vn',
    });
    const down = await rejection(closed.send({ to: 'mau@example.vn', text: 'x', idempotencyKey: 'd' }));
    expect(down.retryable).toBe(true);
    expect(smtp.received).toHaveLength(0);
  });
});

describe('webhook provider', () => {
  it('signs with HMAC; the receiver verifies the signature and refuses a wrong secret', async () => {
    const rx = track(await startWebhookReceiver({ secret: 'whsec_test' }));
    const hook = createWebhookNotifier({ baseUrl: rx.url, secret: 'whsec_test', ...fast });
    const r = await hook.send({
      to: 'follower-123',
      subject: 'Kết quả',
      text: 'Hồ sơ đã có kết quả',
      idempotencyKey: 'w1',
    });
    expect(r.providerMessageId).toBe('wh-1');
    expect(rx.received).toEqual([
      {
        id: 'w1',
        to: 'follower-123',
        subject: 'Kết quả',
        text: 'Hồ sơ đã có kết quả',
        dossierCode: undefined,
      },
    ]);
    const forged = createWebhookNotifier({ baseUrl: rx.url, secret: 'wrong', ...fast });
    const e = await rejection(forged.send({ to: 'follower-123', text: 'x', idempotencyKey: 'w2' }));
    expect(e).toMatchObject({ code: 'notify.rejected', retryable: false, channel: 'webhook' });
    expect(e.message).toContain('webhook.signature');
    expect(rx.badSignatures).toBe(1);
    expect(rx.received).toHaveLength(1);
  });
});
