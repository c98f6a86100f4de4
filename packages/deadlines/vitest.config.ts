import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // The JSON report feeds the repository-wide summary line of `npm test`.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
  bench: { include: ['bench/**/*.bench.ts'] },
});
