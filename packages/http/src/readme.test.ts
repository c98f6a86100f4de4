import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-utils/readme.js';

describe('README', () => {
  it('the example runs to the end against the simulator: one registration per key, the outbox drained', () => {
    const r = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('{ number: 1 }');
    expect(r.stdout).toContain('true false'); // the ID masked in the logs, never in clear
    expect(r.stdout).toContain('{ pending: 0, oldestPendingAgeMs: 0, delivered: 5, dead: 0 } 6');
    expect(r.stdout).toContain('README example: ran to the end');
    expect(r.status).toBe(0);
  }, 90_000);
});
