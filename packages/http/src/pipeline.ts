/** What a middleware sees: one call, mutable until it is sent. */
export interface RequestContext {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Headers;
  /** JSON body, when there is one. */
  json?: unknown;
  /** Raw body, when there is one (takes precedence over `json`). */
  body?: RequestInit['body'];
  /** Request ID (X-Request-Id) for the whole call, retries included. */
  requestId: string;
  /** Idempotency key (Idempotency-Key), when the call carries one. */
  idempotencyKey?: string;
  /** Timeout of one attempt, ms. */
  timeoutMs: number;
  /** Epoch ms after which no attempt starts (overall deadline). */
  deadline: number;
  /** Attempt number, from 1 (set by the retry step). */
  attempt: number;
  /** Free space for custom steps. */
  meta: Record<string, unknown>;
}

/** A step: do something, call `next` to continue, return (or change) the response. */
export type Middleware = (
  ctx: RequestContext,
  next: (ctx: RequestContext) => Promise<Response>,
) => Promise<Response>;

/** The standard step names, in order. */
export const STEP_NAMES = ['build', 'auth', 'retry', 'audit', 'send'] as const;

/**
 * An ordered list of named steps (as the AWS SDK v3's middleware stack): replace one (e.g. a province
 * gateway's own token or signing as `auth`), add one before or after another, or remove one.
 *
 * @example
 * ```ts
 * client.pipeline.replace('auth', async (ctx, next) => { ctx.headers.set('X-LGSP-Token', await lgspToken()); return next(ctx); });
 * client.pipeline.addAfter('auth', 'sign', signRequest);
 * ```
 */
export class Pipeline {
  readonly #steps: { name: string; fn: Middleware }[] = [];

  constructor(steps: [string, Middleware][] = []) {
    for (const [name, fn] of steps) this.#steps.push({ name, fn });
  }

  /** The names of the steps, in order. */
  names(): string[] {
    return this.#steps.map((s) => s.name);
  }

  #index(name: string): number {
    const i = this.#steps.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`no step named "${name}" (steps: ${this.names().join(', ')})`);
    return i;
  }

  replace(name: string, fn: Middleware): this {
    this.#steps[this.#index(name)]!.fn = fn;
    return this;
  }

  addBefore(name: string, newName: string, fn: Middleware): this {
    this.#steps.splice(this.#index(name), 0, { name: newName, fn });
    return this;
  }

  addAfter(name: string, newName: string, fn: Middleware): this {
    this.#steps.splice(this.#index(name) + 1, 0, { name: newName, fn });
    return this;
  }

  remove(name: string): this {
    this.#steps.splice(this.#index(name), 1);
    return this;
  }

  /** Runs the steps; the last one must not call `next`. */
  run(ctx: RequestContext): Promise<Response> {
    const steps = this.#steps.slice();
    const call = (i: number, c: RequestContext): Promise<Response> => {
      const step = steps[i];
      if (!step) return Promise.reject(new Error('the pipeline ended without a send step'));
      return step.fn(c, (next) => call(i + 1, next));
    };
    return call(0, ctx);
  }
}
