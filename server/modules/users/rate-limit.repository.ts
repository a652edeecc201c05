import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** All SQL of the database-kept rate limits: fixed one-minute windows per key, shared by every server. */
export class RateLimitRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** Counts `by` hits of the key in the window atomically (an upsert) and returns the window's hits so far. */
  async hit(key: string, windowStart: string, by = 1): Promise<number> {
    const r = await this.db.insertInto('rate_limits').values({ key, window_start: windowStart, hits: by })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limits.hits + ${by}` }))
      .returning('hits').executeTakeFirstOrThrow();
    return Number(r.hits);
  }

  /** Drops windows that ended before the given time. */
  async deleteBefore(windowStart: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('window_start', '<', windowStart).execute();
  }
}
