import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { indicatorService } from '../server/modules/indicators/indicator.routes.ts';

/** `docket verify [--fix]`: recompute every rollup from the source rows and report any difference. */
export function registerVerify(program: Command): void {
  program.command('verify')
    .description('recompute the indicator rollups from the monthly reports and report any difference (--fix rebuilds them)')
    .option('--fix', 'rebuild the rollups when they differ')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { fix?: boolean; json?: boolean }, cmd: Command) => {
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const started = Date.now();
        const result = await indicatorService(database).verify({ fix: opts.fix });
        if (opts.json) {
          console.log(JSON.stringify(result, null, 2));
        } else if (result.ok) {
          console.log(`指标汇总表与全量重算一致 / rollups match a full recomputation (${Date.now() - started} ms)`);
        } else {
          console.log(`发现差异 / rollups differ: indicator_ytd 重算有而存储缺失或不同 ${result.expected_rows_differing} 行 (recomputed rows missing or different), 存储多余或不同 ${result.stored_rows_differing} 行 (stored rows extra or different); indicator_facts ${result.facts_rows_differing} 行; indicator_groups ${result.groups_rows_differing} 行`);
          for (const d of result.differences.slice(0, 20)) {
            console.log(`  project ${d.project_id} year ${d.year}: stored ${d.stored ? d.stored.join(',') : '(missing)'} expected ${d.expected ? d.expected.join(',') : '(none)'}`);
          }
          console.log(result.fixed ? '已重建 / rebuilt from the monthly reports' : '运行 docket verify --fix 重建 / run docket verify --fix to rebuild');
        }
        if (!result.ok && !result.fixed) process.exitCode = 1;
      } finally {
        await database.destroy();
      }
    });
}
