import type { Executor } from '../../db/database.ts';
import { loadDivisionRows } from './region-data.ts';

/** Loads the national division tree into an empty regions table; returns how many rows were inserted. */
export async function seedRegions(db: Executor, opts: { townships: boolean }): Promise<number> {
  const existing = await db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return 0;
  const rows = loadDivisionRows(opts);
  // Parent-first order keeps the foreign key satisfied; chunks stay under both engines' parameter limits.
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('regions').values(rows.slice(i, i + 500)).execute();
  }
  return rows.length;
}
