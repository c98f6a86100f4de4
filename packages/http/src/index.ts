// @motcua/http: the public surface. Re-exports only.

export { type Auth, oauth2TokenSource } from './auth.js';
export { CircuitBreaker, type CircuitOptions, type CircuitState } from './circuit.js';
export {
  type CallOptions,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  type Logger,
  type RetryOptions,
} from './client.js';
export { HttpError, retryableStatus } from './errors.js';
export { maskForLog, maskText } from './mask.js';
export {
  MemoryOutboxStore,
  newOutboxMessage,
  Outbox,
  type OutboxInput,
  type OutboxMessage,
  type OutboxOptions,
  type OutboxStore,
} from './outbox.js';
export { type Middleware, Pipeline, type RequestContext, STEP_NAMES } from './pipeline.js';
export { signTestPayload, signWebhookPayload, verifyWebhook } from './webhook.js';
