import { defineConfig } from 'vitest/config';

/** The test configuration of every package: tests beside the code and in test/, benchmarks in bench/. */
export const packageTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Full property runs (MOTCUA_PROPERTY_RUNS) take minutes; a normal run keeps a three-minute limit per test
    // (a 2-core CI machine running every package at once is slow), and a minute for set-up hooks.
    testTimeout: process.env.MOTCUA_PROPERTY_RUNS ? 3_600_000 : 180_000,
    hookTimeout: 60_000,
    // The JSON report feeds the repository-wide summary line of `npm test`.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
  bench: { include: ['bench/**/*.bench.ts'] },
});
