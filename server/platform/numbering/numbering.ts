// Numbers handed out in order per series and year (bulletin issues 第N期, letters' 文号 …), shared by every server:
// the counter is a row of `sequences`, advanced inside the caller's transaction. Format with core/numbering.ts.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/**
 * The next number of (series, year), starting at 1. Call it inside the transaction that uses the number: the
 * UPDATE holds the row until commit (PostgreSQL row lock, SQLite's write lock), so concurrent callers on any
 * server get distinct, gap-free numbers, and a rollback returns the number.
 */
export async function next(trx: Executor, series: string, year: number): Promise<number> {
  await trx.insertInto('sequences').values({ series, year, last_value: 0 }).onConflict((oc) => oc.columns(['series', 'year']).doNothing()).execute();
  const row = await trx.updateTable('sequences').set({ last_value: sql<number>`last_value + 1` })
    .where('series', '=', series).where('year', '=', year).returning('last_value').executeTakeFirstOrThrow();
  return Number(row.last_value);
}

/** The last number handed out for (series, year), 0 when none was. */
export async function current(db: Executor, series: string, year: number): Promise<number> {
  const row = await db.selectFrom('sequences').select('last_value').where('series', '=', series).where('year', '=', year).executeTakeFirst();
  return row ? Number(row.last_value) : 0;
}
