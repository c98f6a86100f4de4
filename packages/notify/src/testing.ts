// @motcua/notify/testing: simulators of an SMS gateway, an SMTP server and a webhook receiver.
export { decodeHeader, type ParsedMail, parseMail } from './testing/mail-parse.js';
export {
  type SentSms,
  type SmsGatewaySimulator,
  type SmsGatewaySimulatorOptions,
  startSmsGatewaySimulator,
} from './testing/sms-simulator.js';
export {
  type ReceivedMail,
  type SmtpSimulator,
  type SmtpSimulatorOptions,
  startSmtpSimulator,
} from './testing/smtp-simulator.js';
export {
  type ReceivedNotice,
  startWebhookReceiver,
  type WebhookReceiver,
} from './testing/webhook-receiver.js';
