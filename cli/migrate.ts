import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

/** `docket migrate`: apply pending migrations. */
export function registerMigrate(program: Command): void {
  program.command('migrate').description('apply pending database migrations').action(async (_opts: unknown, cmd: Command) => {
    const database = openDatabase(configFrom(cmd));
    try {
      const result = await migrateToLatest(database.db);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await database.destroy();
    }
  });
}
