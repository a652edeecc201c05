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
        if (!['sysadmin', 'secadmin', 'auditor'].includes(opts.role)) {
          console.log(`账号待安全保密管理员核准后方可登录 / awaiting approval: docket user approve ${username} --as <安全保密管理员> --password <其密码>`);
        }
      } finally {
        await database.destroy();
      }
    });
  // 三员: the security administrator approves, proving it is there with its own password (never the operator's).
  user.command('approve <username>')
    .description('approve a business account awaiting the security administrator (三员: 安全保密管理员核准)')
    .requiredOption('--as <secadmin>', 'the security administrator\'s user name')
    .requiredOption('--password <password>', 'the security administrator\'s password')
    .action(async (username: string, opts: { as: string; password: string }, cmd: Command) => {
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const service = createUserService(createDeps(database.db));
        const actor = await service.findActorByCredentials(opts.as, opts.password);
        if (!actor || actor.role !== 'secadmin') {
          console.error('核准失败：须由安全保密管理员本人以其用户名和密码核准 / approval needs the security administrator\'s own credentials');
          process.exitCode = 1;
          return;
        }
        const target = await service.findAccountByUsername(username);
        if (!target) {
          console.error(`账号不存在：${username}`);
          process.exitCode = 1;
          return;
        }
        await service.approve(actor, target.id);
        console.log(`approved ${username} (核准人 ${actor.username})`);
      } finally {
        await database.destroy();
      }
    });
}
