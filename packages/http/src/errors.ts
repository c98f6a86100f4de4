import { MotcuaError } from '@motcua/core';

/**
 * An HTTP call that failed: a status from the server, a timeout, a network error or an open circuit.
 * `code` is stable (`http.status_4xx`, `http.status_5xx`, `http.timeout`, `http.deadline`, `http.network`,
 * `http.circuit_open`, `http.invalid_response`); the message never contains the response body or personal data.
 *
 * @example
 * ```ts
 * try { await client.get('citizens/verify'); } catch (e) {
 *   if (e instanceof HttpError && e.retryable) queueForLater();
 * }
 * ```
 */
export class HttpError extends MotcuaError {
  /** HTTP status, or 0 when no response came. */
  readonly status: number;
  /** Worth trying again later (5xx, 429, 408, timeouts, network errors, open circuit). */
  readonly retryable: boolean;
  /** The request ID sent with the call (X-Request-Id). */
  readonly requestId: string;
  /**
   * The error code the server put in its answer (`{ "code": "birth.already_registered" }`), when it sent one
   * that looks like a code: a stable identifier, never free text, so it is safe to keep and log.
   */
  readonly serverCode: string | undefined;

  constructor(
    code: string,
    status: number,
    retryable: boolean,
    requestId: string,
    en: string,
    vi: string,
    cause?: unknown,
    serverCode?: string,
  ) {
    super(code, `${en} (request ${requestId})`, {
      vi: `${vi} (yêu cầu ${requestId})`,
      details: { status, retryable, requestId, ...(serverCode ? { serverCode } : {}) },
      cause,
    });
    this.name = 'HttpError';
    this.status = status;
    this.retryable = retryable;
    this.requestId = requestId;
    this.serverCode = serverCode;
  }
}

/**
 * Whether a status is worth retrying: 408, 425, 429 and server errors, except 501 Not Implemented and 505
 * HTTP Version Not Supported, which the same request will meet again.
 *
 * @example
 * ```ts
 * import { retryableStatus } from '@motcua/http';
 * retryableStatus(503); // true
 * retryableStatus(429); // true
 * retryableStatus(404); // false
 * retryableStatus(501); // false: not implemented stays not implemented
 * ```
 */
export function retryableStatus(status: number): boolean {
  return (
    status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505)
  );
}
