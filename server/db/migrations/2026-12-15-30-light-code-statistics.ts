import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Issue 16: the lights page lists a column's red (or yellow …) projects by id: `(code / SHIFT) % 4 = light` over
// light_snapshots. PostgreSQL has no statistics for that expression and guessed 0.5 % of the month's rows (430 of
// 86,100 where 48,000 match), so it read the whole month and sorted it (30 ms at 100k) instead of walking the key in
// id order and stopping at the page (0.4 ms). Expression statistics, one per light column (SHIFT in
// light-snapshot.repository.ts), give it the real shares. SQLite walks the key without them.

const COLUMNS = '((code / 256) % 4), ((code / 64) % 4), ((code / 16) % 4), ((code / 4) % 4), ((code / 1) % 4)';

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql.raw(`CREATE STATISTICS IF NOT EXISTS light_snapshots_columns ON ${COLUMNS} FROM light_snapshots`).execute(db);
  await sql`ANALYZE light_snapshots`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`DROP STATISTICS IF EXISTS light_snapshots_columns`.execute(db);
}
