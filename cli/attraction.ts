import type { Command } from 'commander';
import { LEAD_STAGE_LABELS } from '../core/attraction/lead.ts';
import { formatYi } from '../core/money.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createDeps } from '../server/deps.ts';
import { systemActor } from '../server/platform/context.ts';
import { createAttractionService } from '../server/modules/attraction/index.ts';
import { configFrom } from './config.ts';

const pct = (r: { rate: number | null }) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);

/** `docket attraction figures`: the attraction figures (招商引资) of a year or quarter, by team, region, industry or month. */
export function registerAttraction(program: Command): void {
  const attraction = program.command('attraction').description('investment attraction (招商引资)');
  attraction.command('figures')
    .description('signed count and amount (亿元以上 separately), starts, 履约率 by group; funnel; signed-but-not-started and stale lists')
    .requiredOption('--year <year>', 'the year', (v) => Number(v))
    .option('--quarter <q>', 'a quarter 1-4', (v) => Number(v))
    .option('--month <m>', 'a month 1-12', (v) => Number(v))
    .option('--group-by <g>', 'team | region | industry | month', 'team')
    .option('--json', 'print JSON')
    .action(async (opts: { year: number; quarter?: number; month?: number; groupBy: string; json?: boolean }, cmd: Command) => {
      if (!['team', 'region', 'industry', 'month'].includes(opts.groupBy)) throw new Error('--group-by 只能是 team、region、industry 或 month');
      if (!Number.isInteger(opts.year) || opts.year < 2000 || opts.year > 2100) throw new Error('--year 应为 2000-2100 的年份');
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const f = await createAttractionService(createDeps(database.db)).figures(systemActor(), {
          year: opts.year, quarter: opts.quarter, month: opts.month, group_by: opts.groupBy as 'team',
        });
        if (opts.json) {
          console.log(JSON.stringify(f, null, 2));
          return;
        }
        console.log(`招商引资统计 ${f.period.from} 至 ${f.period.to}（今天 ${f.today}；开工期限 ${f.start_limit_months} 个月，跟进超期 ${f.stale_days} 天）`);
        console.log('分组\t签约个数\t签约额(亿元)\t亿元以上个数\t亿元以上签约额(亿元)\t开工\t投产\t履约率');
        for (const g of [...f.groups, f.total]) {
          console.log(`${g.label}\t${g.signed_count}\t${formatYi(g.signed_amount)}\t${g.signed_big_count}\t${formatYi(g.signed_big_amount)}\t${g.started_count}\t${g.producing_count}\t${pct(g.performance)}`);
        }
        console.log(`漏斗：${f.funnel.map((s) => `${LEAD_STAGE_LABELS[s.stage]} ${s.reached}${s.conversion ? `（${pct(s.conversion)}）` : ''}`).join(' → ')}`);
        console.log(`签约未按期开工 ${f.overdue_start.length} 个；跟进超期 ${f.stale.length} 个`);
        for (const l of f.overdue_start) console.log(`  未开工\t${l.name}\t${l.team_name ?? ''}\t签约 ${l.signed_on}\t应开工 ${l.due_on}\t逾期 ${l.overdue_days} 天`);
      } finally {
        await database.destroy();
      }
    });
}
