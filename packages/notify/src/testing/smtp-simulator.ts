import type { AddressInfo } from 'node:net';
import { seededRandom } from '@motcua/http/testing';
import { SMTPServer } from 'smtp-server';
import { parseMail } from './mail-parse.js';

/** One mail the SMTP simulator accepted. */
export interface ReceivedMail {
  /** Envelope sender and recipients. */
  from: string;
  to: string[];
  /** The Message-ID header, without angle brackets. */
  messageId: string;
  subject: string;
  text: string;
  html: string | undefined;
  /** Every header, names in lower case, values decoded. */
  headers: Record<string, string>;
  raw: string;
}

/** Options of {@link startSmtpSimulator}. */
export interface SmtpSimulatorOptions {
  /** Accepted logins (`user` → `password`); without it, no login is needed. */
  users?: Record<string, string>;
  /** Recipient addresses that do not exist: answered `550 5.1.1` (a permanent failure). */
  unknownRecipients?: string[];
  /** Share of mails answered `451 4.3.0` after the data was sent (a temporary failure), from `seed`. */
  tempFailureRate?: number;
  seed?: number;
}

/** A running SMTP simulator. */
export interface SmtpSimulator {
  host: '127.0.0.1';
  port: number;
  /** nodemailer SMTP options that reach it. */
  smtp: {
    host: string;
    port: number;
    secure: false;
    ignoreTLS: true;
    auth?: { user: string; pass: string };
  };
  /** Every mail accepted, in order (a mail sent twice is here twice: see {@link SmtpSimulator.uniqueMessageIds}). */
  readonly received: ReceivedMail[];
  /** Distinct Message-IDs received. */
  uniqueMessageIds(): Set<string>;
  /** Figures: mails accepted, temporary failures injected, recipients refused. */
  readonly stats: { accepted: number; tempFailures: number; rejectedRecipients: number };
  /** Change the share of temporary failures while running. */
  setTempFailureRate(rate: number, seed?: number): void;
  close(): Promise<void>;
}

/**
 * An SMTP server on 127.0.0.1 (random port, plain SMTP, optional login) that records the mails it receives,
 * parsed (headers, text and HTML parts), refuses unknown recipients with 550 and injects temporary 451
 * failures from a seed.
 *
 * @example
 * ```ts
 * import { startSmtpSimulator } from '@motcua/notify/testing';
 * import { createEmailNotifier } from '@motcua/notify';
 * const smtp = await startSmtpSimulator();
 * const email = createEmailNotifier({ smtp: smtp.smtp, from: 'motcua@vanson.example.vn' });
 * await email.send({ to: 'mau@example.vn', subject: 'Hồ sơ', text: 'Đã có kết quả', idempotencyKey: 'k1' });
 * smtp.received[0]?.subject; // 'Hồ sơ'
 * await smtp.close();
 * ```
 */
export async function startSmtpSimulator(options: SmtpSimulatorOptions = {}): Promise<SmtpSimulator> {
  const received: ReceivedMail[] = [];
  const unknown = new Set((options.unknownRecipients ?? []).map((a) => a.toLowerCase()));
  const stats = { accepted: 0, tempFailures: 0, rejectedRecipients: 0 };
  let rate = options.tempFailureRate ?? 0;
  let random = seededRandom(options.seed ?? 1);
  const users = options.users;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: users ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !users,
    logger: false,
    size: 1024 * 1024,
    onAuth(auth, _session, cb) {
      if (users && auth.username !== undefined && users[auth.username] === auth.password)
        return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Invalid login'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (unknown.has(address.address.toLowerCase())) {
        stats.rejectedRecipients++;
        return cb(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rate > 0 && random() < rate) {
          stats.tempFailures++;
          return cb(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = parseMail(raw);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: (mail.headers['message-id'] ?? '').replace(/^<|>$/g, ''),
          subject: mail.headers.subject ?? '',
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
          raw,
        });
        stats.accepted++;
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const [user, pass] = Object.entries(users ?? {})[0] ?? [];
  return {
    host: '127.0.0.1',
    port,
    smtp: {
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      ...(user !== undefined && pass !== undefined ? { auth: { user, pass } } : {}),
    },
    received,
    uniqueMessageIds: () => new Set(received.map((m) => m.messageId)),
    stats,
    setTempFailureRate(next, seed) {
      rate = next;
      random = seededRandom(seed ?? options.seed ?? 1);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
