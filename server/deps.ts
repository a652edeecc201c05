import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { clock as processClock } from './clock.ts';
import type { DB } from './db/schema.ts';
import type { Deps } from './platform/context.ts';
import { createAuditService } from './modules/audit/index.ts';

/**
 * The dependencies every service factory takes, built once per app (app.ts), per CLI command and per test: the
 * database, the process clock unless one is given (tests pass a fixed one) and the audit recorder.
 */
export function createDeps(db: Kysely<DB>, options: { clock?: Clock } = {}): Deps {
  return { db, clock: options.clock ?? processClock, audit: createAuditService(db) };
}
