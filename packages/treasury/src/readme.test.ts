import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-utils/readme.js';

describe('README', () => {
  it('the example runs to the end against the simulators', () => {
    const r = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('README example: ran to the end');
    expect(r.status).toBe(0);
  }, 90_000);
});
