import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { generateDemo } from '../server/modules/demo/demo.service.ts';

/** `docket demo`: fill an empty database with a realistic, deterministic portfolio. */
export function registerDemo(program: Command): void {
  program.command('demo')
    .description('load demo data: regions, a unit tree, accounts and N projects (deterministic by --seed and --projects)')
    .option('--projects <n>', 'number of projects', (v) => Number(v), 500)
    .option('--seed <s>', 'random seed', (v) => Number(v), 1)
    .action(async (opts: { projects: number; seed: number }, cmd: Command) => {
      if (!Number.isInteger(opts.projects) || opts.projects < 1) throw new Error('--projects 必须是正整数');
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const result = await generateDemo(database, { projects: opts.projects, seed: opts.seed, onProgress: (done, total) => {
          if (process.stdout.isTTY) process.stdout.write(`\r生成项目 / projects ${done}/${total}`);
        } });
        if (process.stdout.isTTY) process.stdout.write('\n');
        console.log(result.skipped ? '演示数据已存在，未重复生成 / demo data already present' : `演示数据已生成 / demo data created: ${result.projects} projects`);
        console.log('演示账号 / demo logins (password Docket#2026): office; 三员 sysadmin, secadmin, auditor');
      } finally {
        await database.destroy();
      }
    });
}
