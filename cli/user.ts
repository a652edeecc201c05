import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createDeps } from '../server/deps.ts';
import { createUserService } from '../server/modules/users/index.ts';

/** `docket user add`: create an account from the command line. */
export function registerUser(program: Command): void {
  const user = program.command('user').description('manage accounts');
  user.command('add <username>')
    .description('create an account')
    .requiredOption('--role <role>', 'sysadmin | secadmin | auditor | office | reporter | leader | supervisor')
    .requiredOption('--password <password>', 'initial password (must be changed at first sign-in)')
    .option('--name <displayName>', 'display name')
    .option('--unit <id>', 'unit id', (v) => Number(v))
    .action(async (username: string, opts: { role: string; password: string; name?: string; unit?: number }, cmd: Command) => {
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const { id } = await createUserService(createDeps(database.db)).createUser(null, {
          username, displayName: opts.name ?? username, password: opts.password, role: opts.role, unitId: opts.unit ?? null,
        });
        console.log(`created user ${username} (id ${id})`);
      } finally {
        await database.destroy();
      }
    });
}
