/** The channels a notice can go through. `webhook` stands for any other channel (Zalo OA, a province app…). */
export type NotifyChannel = 'sms' | 'email' | 'webhook';

/**
 * The channels, in the default order of preference.
 *
 * @example
 * ```ts
 * import { NOTIFY_CHANNELS } from '@motcua/notify';
 * NOTIFY_CHANNELS; // ['sms', 'email', 'webhook']
 * ```
 */
export const NOTIFY_CHANNELS: readonly NotifyChannel[] = ['sms', 'email', 'webhook'];

/** One message to one recipient over one channel. */
export interface OutgoingMessage {
  /** The recipient's address on the channel: a phone number, an e-mail address, or an ID the webhook receiver knows. */
  to: string;
  /** The text (for SMS: already within the length limit). */
  text: string;
  /** A subject line (e-mail; webhook receivers may show it as a title). */
  subject?: string;
  /** An HTML form of the text (e-mail only). */
  html?: string;
  /** The dossier the message is about; sent as a reference, never personal data. */
  dossierCode?: string;
  /**
   * The idempotency key: a provider that honours it sends the message once however many times it is asked.
   * The outbox gives one per message and channel.
   */
  idempotencyKey: string;
}

/** What a provider answers when it has accepted a message. */
export interface SendResult {
  /** The provider's ID of the message (for look-up and delivery reports). */
  providerMessageId: string;
  channel: NotifyChannel;
}

/**
 * A provider that sends one message to one recipient over one channel. Implementations:
 * {@link createSmsNotifier} (an SMS gateway over HTTP), {@link createEmailNotifier} (SMTP) and
 * {@link createWebhookNotifier} (a signed HTTP callback for other channels). A vendor adapts a real SMS
 * gateway by implementing this interface. `send` throws a {@link NotifyError} whose `retryable` says whether
 * the same channel may succeed later.
 *
 * @example
 * ```ts
 * import type { Notifier } from '@motcua/notify';
 * const zalo: Notifier = {
 *   channel: 'webhook',
 *   async send(message) {
 *     const id = await myZaloAdapter.push(message.to, message.text, message.idempotencyKey);
 *     return { providerMessageId: id, channel: 'webhook' };
 *   },
 * };
 * ```
 */
export interface Notifier {
  readonly channel: NotifyChannel;
  send(message: OutgoingMessage): Promise<SendResult>;
}
