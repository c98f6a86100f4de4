import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-utils/readme.js';

describe('README', () => {
  it('the example runs to the end against the simulator', () => {
    const r = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain("dateOfBirth: 'mismatch'");
    expect(r.stdout).toContain('{ found: false, match: false }');
    expect(r.stdout).toContain('001******009');
    expect(r.stdout).not.toContain('001090000009');
    expect(r.stdout).toContain('README example: ran to the end');
    expect(r.status).toBe(0);
  }, 90_000);
});
