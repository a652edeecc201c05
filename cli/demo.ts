import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { generateDemo } from '../server/modules/demo/index.ts';

/** Parses a count such as 2000, 10k, 100k or 1m. */
export function parseCount(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(value.trim());
  if (!m) return Number.NaN;
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(m[1]) * factor);
}

/** `docket demo`: fill an empty database with a realistic, deterministic portfolio. */
export function registerDemo(program: Command): void {
  program.command('demo')
    .description('load demo data: regions, a unit tree, accounts, N projects with plans and monthly reports (deterministic by --seed and --projects)')
    .option('--projects <n>', 'number of projects (2000, 100k, 1m)', parseCount, 2000)
    .option('--seed <s>', 'random seed', (v) => Number(v), 1)
    .option('--months <m>', 'months with approved reports (default: every month completed this year)', (v) => Number(v))
    .option('--as-of <date>', 'the day the data describes, YYYY-MM-DD (default: today)')
    .action(async (opts: { projects: number; seed: number; months?: number; asOf?: string }, cmd: Command) => {
      if (!Number.isInteger(opts.projects) || opts.projects < 1) throw new Error('--projects 必须是正整数');
      if (!Number.isInteger(opts.seed)) throw new Error('--seed 必须是整数');
      const database = openDatabase(configFrom(cmd));
      const bar = process.stdout.isTTY
        ? new cliProgress.SingleBar({ format: '生成演示数据 / demo data [{bar}] {percentage}% {value}/{total} 项目 | {duration}s', hideCursor: true }, cliProgress.Presets.shades_classic)
        : undefined;
      const started = Date.now();
      try {
        await migrateToLatest(database.db);
        bar?.start(opts.projects, 0);
        const result = await generateDemo(database, {
          projects: opts.projects, seed: opts.seed, months: opts.months, asOf: opts.asOf,
          onProgress: (done) => bar?.update(done),
        });
        bar?.stop();
        if (result.skipped) {
          console.log('演示数据已存在，未重复生成 / demo data already present');
          console.log('演示账号 / demo logins: office, reporter, leader — 密码 / password Docket#2026');
          return;
        }
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`演示数据已生成 / demo data created: ${result.projects} 个项目 / projects, ${result.reports} 条月报 / monthly reports (${result.year} 年 1–${result.months} 月), ${seconds}s`);
        console.log('演示账号 / demo logins:');
        for (const a of result.accounts) console.log(`  ${a.username.padEnd(9)} / ${a.password}   ${a.role.padEnd(8)} ${a.unit}`);
      } finally {
        bar?.stop();
        await database.destroy();
      }
    });
}
