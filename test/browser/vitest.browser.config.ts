import { defineConfig } from 'vitest/config';

/** Browser tests: a real server over a fresh SQLite demo database, driven by Debian Chromium through playwright-core. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/build-web.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    // CI retries a failed test once; test/flaky-reporter.ts records every test that needed it and scripts/test.sh
    // prints the list, so an accident of a loaded machine is visible without refusing the whole run.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default', './test/flaky-reporter.ts'],
    pool: 'forks',
    // One Chromium at a time keeps a 2-core machine responsive.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
