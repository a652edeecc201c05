import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'core/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // CI retries a failed test once; test/flaky-reporter.ts records every test that needed it and scripts/test.sh
    // prints the list, so an accident of a loaded machine is visible without refusing the whole run.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default', './test/flaky-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
