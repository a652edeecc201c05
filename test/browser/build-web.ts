import { build } from 'vite';

/** Builds the web app once before the browser tests so they never run against a stale dist/web. */
export default async function setup(): Promise<void> {
  if (process.env.DOCKET_SKIP_WEB_BUILD === '1') return;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
