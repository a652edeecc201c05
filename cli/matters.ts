import type { Command } from 'commander';
import { chinaToday } from '../core/clock.ts';
import { clock } from '../server/clock.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { overdueMatters, supervisionFigures } from '../server/modules/supervision/index.ts';
import { configFrom } from './config.ts';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** `docket matters overdue|figures`: the overdue supervised matters; figures per unit for a month. */
export function registerMatters(program: Command): void {
  const matters = program.command('matters').description('supervised matters (督办事项)');
  matters.command('overdue')
    .description('print the overdue matters (逾期督办事项), most overdue first')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const rows = await overdueMatters(database.db, clock.now());
        if (opts.json) console.log(JSON.stringify(rows, null, 2));
        else {
          console.log(`逾期督办事项 ${rows.length} 项 / overdue matters (${chinaToday(clock.now())})`);
          for (const r of rows) console.log(`${r.number}\t${r.title}\t${r.unitName}\t时限 ${r.dueOn}\t逾期 ${r.workingDaysOverdue} 个工作日`);
        }
      } finally {
        await database.destroy();
      }
    });
  matters.command('figures')
    .description('figures per unit for a month (received, on-time feedback, 按期办结率, overdue, one-pass 销号, average days)')
    .requiredOption('--month <YYYY-MM>', 'the month')
    .option('--json', 'print JSON')
    .action(async (opts: { month: string; json?: boolean }, cmd: Command) => {
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const rows = await supervisionFigures(database.db, opts.month, clock.now());
        if (opts.json) console.log(JSON.stringify(rows, null, 2));
        else {
          console.log('单位\t收到\t按期反馈率\t按期办结率\t逾期\t一次性销号率\t平均用时(天)');
          for (const r of rows) console.log(`${r.unitName}\t${r.received}\t${pct(r.rates.feedbackOnTime)}\t${pct(r.rates.onTimeCompletion)}\t${r.overdue}\t${pct(r.rates.onePassWriteOff)}\t${r.rates.averageDays === null ? '—' : r.rates.averageDays.toFixed(1)}`);
        }
      } finally {
        await database.destroy();
      }
    });
}
