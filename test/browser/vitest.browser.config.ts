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
    // Two files at a time, each with its own server, database and Chromium (ports, data directories and temporary
    // files are each file's own). One file alone leaves part of 2 cores idle while its page settles: two files took
    // 165 s side by side against 215 s one after the other, for the same CPU time. More would only slow each down.
    maxWorkers: 2,
  },
});
