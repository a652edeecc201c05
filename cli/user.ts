import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { UserRepository } from '../server/modules/users/user.repository.ts';
import { UserService } from '../server/modules/users/user.service.ts';
import { SecurityRepository } from '../server/modules/security/security.repository.ts';
import { AuditRepository } from '../server/modules/audit/audit.repository.ts';
import { AuditService } from '../server/modules/audit/audit.service.ts';

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
        const db = database.db;
        const { id } = await new UserService(new UserRepository(db), new SecurityRepository(db), new AuditService(new AuditRepository(db))).createUser(null, {
          username, displayName: opts.name ?? username, password: opts.password, role: opts.role, unitId: opts.unit ?? null,
        });
        console.log(`created user ${username} (id ${id})`);
      } finally {
        await database.destroy();
      }
    });
}
