import { build } from 'vite';

/** Builds the web app once before the browser tests so they never run against a stale dist/web. */
export default async function setup(): Promise<void> {
  if (process.env.DOCKET_SKIP_WEB_BUILD === '1') return;
  // Vitest sets NODE_ENV=test, which would make Vite (and antd) build in development mode: test what ships.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: 'vite.config.ts', mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
