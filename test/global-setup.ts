import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './pg-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/** Starts one PostgreSQL for the whole run unless DOCKET_TEST_PG_URL names one; each test file makes its own database. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DOCKET_TEST_PG_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    return async () => {};
  }
  const pg = await startEmbeddedPostgres();
  project.provide('pgAdminUrl', pg.url);
  return pg.stop;
}
