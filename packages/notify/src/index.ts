// @motcua/notify: the public surface. Re-exports only.
export { createEmailNotifier, type EmailNotifierOptions } from './email.js';
export { NotifyError } from './errors.js';
export { maskPersonName, maskRecipient } from './mask.js';
export {
  NOTIFY_CHANNELS,
  type Notifier,
  type NotifyChannel,
  type OutgoingMessage,
  type SendResult,
} from './notifier.js';
export {
  type Contact,
  ContactSchema,
  EarlyResultNoticeSchema,
  ExtensionNoticeSchema,
  FeeDueNoticeSchema,
  type Notice,
  type NoticeKind,
  NoticeSchema,
  ResultReadyNoticeSchema,
  SupplementRequestNoticeSchema,
} from './schemas.js';
export {
  createNotificationService,
  type DeadNotice,
  type DeliveredNotice,
  NOTICE_TOPIC,
  type NoticePayload,
  type NoticeRoute,
  type NotificationService,
  type NotificationServiceOptions,
} from './service.js';
export { createSmsNotifier, SmsAcceptedSchema, type SmsNotifierOptions } from './sms.js';
export { NOTICE_LEGAL_BASIS, type RenderedNotice, type RenderOptions, renderNotice } from './templates.js';
export {
  containsPersonalId,
  formatDateVi,
  formatVnd,
  PERSONAL_ID_PATTERN,
  type SmsSize,
  smsSize,
  unaccent,
} from './text.js';
export {
  createWebhookNotifier,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookNotifierOptions,
} from './webhook.js';
