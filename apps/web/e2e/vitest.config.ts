import { defineConfig } from 'vitest/config';

/** The browser tests: the built client served by the real server, driven by Debian's Chromium through Playwright. */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
