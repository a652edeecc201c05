import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where test/browser/harness.ts keeps the data directories it seeds once per run and copies for each file. */
    harnessCache: string;
  }
}

/**
 * Builds the web app once before the browser tests so they never run against a stale dist/web, and makes the run's
 * cache of seeded data directories (removed at the end).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-harness-'));
  project.provide('harnessCache', cache);
  const teardown = () => fs.rmSync(cache, { recursive: true, force: true });
  if (process.env.DOCKET_SKIP_WEB_BUILD === '1') return teardown;
  // Vitest sets NODE_ENV=test, which would make Vite (and antd) build in development mode: test what ships.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: 'vite.config.ts', mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
  return teardown;
}
