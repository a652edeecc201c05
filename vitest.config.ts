import { defineConfig } from 'vitest/config';

// Test files that set DOCKET_NOW before the server's modules load (server/clock.ts reads it once, when first
// imported): each needs a module graph of its own, and would leave its date to the files after it otherwise.
const OWN_CLOCK = ['server/modules/reports/report-reminders.test.ts', 'server/modules/users/injected-clock.test.ts'];
const ALL = ['server/**/*.test.ts', 'core/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts', 'bench/**/*.test.ts'];

export default defineConfig({
  test: {
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
    projects: [
      {
        // Most files share their worker's module graph: importing the application (Fastify, every module, their
        // libraries) once per worker instead of once per file halves the suite's CPU. Every file builds its own
        // databases and app, and a file that fakes timers or spies restores them after itself.
        extends: true,
        test: { name: 'shared', isolate: false, include: ALL, exclude: ['test/browser/**', 'node_modules/**', ...OWN_CLOCK] },
      },
      { extends: true, test: { name: 'own-clock', isolate: true, include: OWN_CLOCK } },
    ],
  },
});
