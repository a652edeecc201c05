import type { Kysely } from 'kysely';
import type { Dialect } from './database.ts';

/**
 * Which engine a Kysely instance or transaction talks to, from its adapter. The one place that asks; repositories
 * branch on it where the SQL differs (advisory locks, ANALYZE, bulk inserts, string functions).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations hold a Kysely<any>; the adapter is all we read
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter' ? 'postgres' : 'sqlite';
}
