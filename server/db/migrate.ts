import type { Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrations } from './migrations/index.ts';

/** Applies every pending migration; throws with the failing migration's name if one fails. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationResultSet> {
  // Dated migrations from parallel branches may land out of name order; each is independent of the ones dated
  // after it, so a database that already ran a later one may still apply an earlier newcomer.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${reason}`, { cause: result.error });
  }
  return result;
}
