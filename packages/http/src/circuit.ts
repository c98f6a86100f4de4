/** Circuit breaker settings: open after `failures` consecutive failures, probe again after `resetMs`. */
export interface CircuitOptions {
  failures: number;
  resetMs: number;
}

/** The state of one host's circuit. */
export type CircuitState = 'closed' | 'open' | 'halfOpen';

/**
 * A circuit breaker per host: after N consecutive failures it opens (calls fail at once, sparing an
 * unstable line), after `resetMs` it lets one probe through (half-open), and closes again on success.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from '@motcua/http';
 * const breaker = new CircuitBreaker({ failures: 3, resetMs: 30_000 });
 * const host = 'dancu.example.gov.vn';
 * for (const at of [0, 1_000, 2_000]) breaker.failure(host, at);
 * breaker.state(host, 2_000); // 'open'
 * breaker.allow(host, 10_000); // false: the call fails at once
 * breaker.allow(host, 32_000); // true: the one probe of 'halfOpen'
 * breaker.allow(host, 32_001); // false: that probe is still out
 * breaker.success(host);
 * breaker.state(host); // 'closed'
 * ```
 */
export class CircuitBreaker {
  readonly #hosts = new Map<string, { failures: number; openedAt: number; probing: boolean }>();
  constructor(readonly options: CircuitOptions) {}

  state(host: string, now = Date.now()): CircuitState {
    const h = this.#hosts.get(host);
    if (!h || h.failures < this.options.failures) return 'closed';
    return now - h.openedAt >= this.options.resetMs ? 'halfOpen' : 'open';
  }

  /** Whether a call may go out now (in half-open, only one probe at a time). */
  allow(host: string, now = Date.now()): boolean {
    const s = this.state(host, now);
    if (s === 'closed') return true;
    if (s === 'open') return false;
    const h = this.#hosts.get(host)!;
    if (h.probing) return false;
    h.probing = true;
    return true;
  }

  success(host: string): void {
    this.#hosts.delete(host);
  }

  failure(host: string, now = Date.now()): void {
    const h = this.#hosts.get(host) ?? { failures: 0, openedAt: 0, probing: false };
    h.failures++;
    h.probing = false;
    if (h.failures >= this.options.failures) h.openedAt = now;
    this.#hosts.set(host, h);
  }
}
