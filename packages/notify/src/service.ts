import { type DossierEvent, parseWith, ValidationError } from '@motcua/core';
import {
  type Logger,
  MemoryOutboxStore,
  Outbox,
  type OutboxMessage,
  type OutboxOptions,
  type OutboxStore,
} from '@motcua/http';
import { NotifyError } from './errors.js';
import { maskRecipient } from './mask.js';
import type { Notifier, NotifyChannel } from './notifier.js';
import { type Contact, ContactSchema, type Notice, type NoticeKind } from './schemas.js';
import { renderNotice } from './templates.js';

/**
 * The outbox topic of notices (to tell them apart in a store shared with other integrations).
 *
 * @example
 * ```ts
 * import { NOTICE_TOPIC } from '@motcua/notify';
 * const queued = (await store.list()).filter((m) => m.topic === NOTICE_TOPIC);
 * ```
 */
export const NOTICE_TOPIC = 'notify.notice';

/** One way to deliver a queued notice: a channel, its address, and the text rendered for it. */
export interface NoticeRoute {
  channel: NotifyChannel;
  to: string;
  subject: string;
  text: string;
}

/** What a queued notice holds in the outbox (addresses are personal data: keep the store protected). */
export interface NoticePayload {
  dossierCode: string;
  kind: NoticeKind;
  /** Channels in the order to try them: the first is the citizen's preference, the rest fallbacks. */
  routes: NoticeRoute[];
}

/** A notice that was delivered. */
export interface DeliveredNotice {
  dossierCode: string;
  kind: NoticeKind;
  channel: NotifyChannel;
  providerMessageId: string;
  /** The outbox message's ID and idempotency key. */
  messageId: string;
  key: string;
  /** A `notified` event to append to the dossier. */
  event: Extract<DossierEvent, { type: 'notified' }>;
}

/** A dead-lettered notice, with its reason (masked). */
export interface DeadNotice {
  messageId: string;
  dossierCode: string;
  kind: NoticeKind;
  attempts: number;
  reason: string;
}

/** Options of {@link createNotificationService}. */
export interface NotificationServiceOptions {
  /** One provider per channel you use. */
  notifiers: Partial<Record<NotifyChannel, Notifier>>;
  /** Where the outbox keeps notices (the file store of `@motcua/http/node`, the database store…). Default: memory. */
  store?: OutboxStore;
  /** Outbox tuning: attempts, backoff, clock. */
  outbox?: Omit<OutboxOptions, 'store' | 'deliver'>;
  /** SMS without diacritics (GSM-7: 160 characters a part instead of 70). Default false. */
  smsUnaccented?: boolean;
  /** The most SMS parts a notice may take. Default 3. */
  maxSmsSegments?: number;
  /** Receives masked log lines (no phone number, e-mail address or name). */
  logger?: Logger;
  /** Called once a notice is delivered (e.g. to append the `notified` event to the dossier). */
  onDelivered?: (delivered: DeliveredNotice) => void | Promise<void>;
  /** The clock of the `notified` events. Default `Date.now`. */
  now?: () => number;
}

const iso7 = (ms: number) => `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

/**
 * Wraps the outbox's store so that a notice every channel refused for good is dead-lettered at once
 * instead of being retried up to `maxAttempts` (the Outbox itself retries whatever `deliver` throws).
 */
class PermanentFailureStore implements OutboxStore {
  readonly permanent = new Set<string>();
  constructor(readonly inner: OutboxStore) {}
  append(m: OutboxMessage) {
    return this.inner.append(m);
  }
  update(id: string, patch: Partial<OutboxMessage>) {
    if (this.permanent.has(id) && patch.status === undefined && patch.lastError !== undefined) {
      this.permanent.delete(id);
      return this.inner.update(id, { ...patch, status: 'dead' });
    }
    return this.inner.update(id, patch);
  }
  get(id: string) {
    return this.inner.get(id);
  }
  list() {
    return this.inner.list();
  }
}

/**
 * Notices to citizens through the durable outbox of `@motcua/http`. `notify` renders the notice from its
 * Vietnamese template for each channel the citizen can be reached on (in the order of their preferences,
 * limited to the channels with a provider), and enqueues it with the dossier code as ordering key (notices of
 * one dossier go out in order) and one idempotency key per notice (`<key>.<channel>` to each provider, so a
 * gateway that honours it sends it once however many times the line drops). `runOnce` delivers what is due:
 * a retryable failure leaves the notice queued for a later attempt (capped backoff); a permanent one
 * (a landline, a mailbox that does not exist) falls back to the next channel; when every channel refused
 * for good, or after the last attempt, the notice is dead-lettered with its reason and can be resent.
 *
 * @example
 * ```ts
 * import { createNotificationService, createSmsNotifier, createEmailNotifier } from '@motcua/notify';
 * const notices = createNotificationService({
 *   notifiers: {
 *     sms: createSmsNotifier({ baseUrl: smsUrl, auth, sender: 'UBND-VANSON' }),
 *     email: createEmailNotifier({ smtp: { host, port }, from: 'motcua@vanson.example.vn' }),
 *   },
 *   smsUnaccented: true,
 * });
 * await notices.notify(
 *   { kind: 'resultReady', dossierCode: '000.00.19.H57-250701-0001', procedureName: 'Đăng ký khai sinh', readyDate: '2025-07-03', place: 'Bộ phận một cửa' },
 *   { phone: '0912345678', email: 'mau@example.vn', preferences: ['sms', 'email'] },
 * );
 * await notices.runOnce(); // in a loop or a timer
 * ```
 */
export function createNotificationService(options: NotificationServiceOptions) {
  const store = new PermanentFailureStore(options.store ?? new MemoryOutboxStore());
  const log = options.logger;
  const now = options.now ?? Date.now;
  // Channels that refused a message for good, so a later attempt starts at the next one (lost on restart:
  // then the refused channel is asked again with the same key and refuses again, at no cost).
  const refused = new Map<string, Set<NotifyChannel>>();

  const deliver = async (m: OutboxMessage): Promise<void> => {
    const p = m.payload as NoticePayload;
    const skip = refused.get(m.id) ?? new Set<NotifyChannel>();
    const reasons: string[] = [];
    for (const route of p.routes) {
      if (skip.has(route.channel)) continue;
      const notifier = options.notifiers[route.channel];
      const who = {
        dossierCode: p.dossierCode,
        kind: p.kind,
        channel: route.channel,
        to: maskRecipient(route.channel, route.to),
      };
      if (!notifier) {
        reasons.push(`${route.channel}: notify.no_provider`);
        continue;
      }
      try {
        const sent = await notifier.send({
          to: route.to,
          subject: route.subject,
          text: route.text,
          dossierCode: p.dossierCode,
          idempotencyKey: `${m.key}.${route.channel}`,
        });
        refused.delete(m.id);
        log?.info('notify delivered', {
          ...who,
          providerMessageId: sent.providerMessageId,
          attempt: m.attempts + 1,
        });
        await options.onDelivered?.({
          dossierCode: p.dossierCode,
          kind: p.kind,
          channel: route.channel,
          providerMessageId: sent.providerMessageId,
          messageId: m.id,
          key: m.key,
          event: {
            type: 'notified',
            at: iso7(now()),
            via: route.channel,
            note: `${p.kind} ${sent.providerMessageId}`.slice(0, 200),
          },
        });
        return;
      } catch (e) {
        const err =
          e instanceof NotifyError
            ? e
            : new NotifyError(
                'notify.unavailable',
                { en: 'the provider failed', vi: 'nhà cung cấp gặp lỗi' },
                { retryable: true, channel: route.channel, cause: e },
              );
        if (err.retryable) {
          log?.warn('notify retry later', { ...who, code: err.code, attempt: m.attempts + 1 });
          throw err;
        }
        log?.warn('notify channel refused, falling back', { ...who, code: err.code });
        skip.add(route.channel);
        refused.set(m.id, skip);
        reasons.push(`${route.channel}: ${err.code}: ${err.message}`);
      }
    }
    refused.delete(m.id);
    store.permanent.add(m.id);
    log?.error('notify dead letter', { dossierCode: p.dossierCode, kind: p.kind, reasons });
    throw new NotifyError(
      'notify.all_channels_failed',
      {
        en: `every channel refused the notice: ${reasons.join(' | ')}`,
        vi: `mọi kênh đều từ chối thông báo: ${reasons.join(' | ')}`,
      },
      { retryable: false, details: { reasons } },
    );
  };

  const outbox = new Outbox({ ...options.outbox, store, deliver });

  const routesFor = (notice: Notice, contact: Contact): NoticeRoute[] => {
    const c = parseWith(ContactSchema, contact);
    const routes: NoticeRoute[] = [];
    for (const channel of new Set(c.preferences)) {
      if (!options.notifiers[channel]) continue;
      const to = channel === 'sms' ? c.phone : channel === 'email' ? c.email : c.webhookId;
      if (!to) continue;
      const r = renderNotice(notice, {
        channel,
        ...(options.smsUnaccented !== undefined ? { unaccented: options.smsUnaccented } : {}),
        ...(options.maxSmsSegments !== undefined ? { maxSmsSegments: options.maxSmsSegments } : {}),
        ...(channel === 'email' && c.name ? { recipientName: c.name } : {}),
      });
      routes.push({ channel, to, subject: r.subject, text: r.text });
    }
    if (routes.length === 0)
      throw ValidationError.of('notify.no_channel', ['contact', 'preferences'], {
        en: 'No preferred channel has both an address and a provider',
        vi: 'Không kênh ưu tiên nào có cả địa chỉ nhận và nhà cung cấp',
      });
    return routes;
  };

  return {
    /**
     * Renders and enqueues a notice (validation errors are thrown here, not queued). `idempotencyKey`
     * makes a repeated call for the same event enqueue nothing new.
     */
    async notify(
      notice: Notice,
      contact: Contact,
      call: { idempotencyKey?: string } = {},
    ): Promise<{ messageId: string; key: string; channels: NotifyChannel[] }> {
      const routes = routesFor(notice, contact);
      if (call.idempotencyKey) {
        const existing = (await store.list()).find(
          (m) => m.topic === NOTICE_TOPIC && m.key === call.idempotencyKey,
        );
        if (existing)
          return {
            messageId: existing.id,
            key: existing.key,
            channels: (existing.payload as NoticePayload).routes.map((r) => r.channel),
          };
      }
      const payload: NoticePayload = { dossierCode: notice.dossierCode, kind: notice.kind, routes };
      const m = await outbox.enqueue({
        topic: NOTICE_TOPIC,
        orderingKey: notice.dossierCode,
        payload,
        ...(call.idempotencyKey ? { key: call.idempotencyKey } : {}),
      });
      log?.info('notify queued', {
        dossierCode: notice.dossierCode,
        kind: notice.kind,
        channels: routes.map((r) => r.channel),
        to: routes.map((r) => maskRecipient(r.channel, r.to)),
      });
      return { messageId: m.id, key: m.key, channels: routes.map((r) => r.channel) };
    },
    /** Delivers every notice due now (one per dossier at a time, oldest first). */
    runOnce: () => outbox.runOnce(),
    /** Puts a dead-lettered notice back in the queue. */
    resend: (messageId: string) => outbox.resend(messageId),
    /** Pending, oldest pending age, delivered, dead. */
    stats: () => outbox.stats(),
    /** Dead-lettered notices with their reasons. */
    async deadLetters(): Promise<DeadNotice[]> {
      return (await store.list())
        .filter((m) => m.topic === NOTICE_TOPIC && m.status === 'dead')
        .map((m) => {
          const p = m.payload as NoticePayload;
          return {
            messageId: m.id,
            dossierCode: p.dossierCode,
            kind: p.kind,
            attempts: m.attempts,
            reason: m.lastError ?? '',
          };
        });
    },
    /** The outbox itself (for a worker loop or a dashboard). */
    outbox,
  };
}

/** The service made by {@link createNotificationService}. */
export type NotificationService = ReturnType<typeof createNotificationService>;
