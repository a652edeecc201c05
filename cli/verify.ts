import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createIndicatorService } from '../server/modules/indicators/index.ts';
import { createLightService } from '../server/modules/lights/index.ts';
import { ReportRepository } from '../server/modules/reports/index.ts';
import { ProjectRepository } from '../server/modules/projects/index.ts';
import { createDeps } from '../server/deps.ts';
import { inTransaction } from '../server/platform/tx.ts';

/**
 * `docket verify [--fix]`: recompute every rollup from the source rows and report any difference: the indicator
 * rollups, the light snapshots, the kept 催报 counts (reporting_unit_projects, report_unit_counts) and the project
 * list's kept totals (project_list_totals).
 */
export function registerVerify(program: Command): void {
  program.command('verify')
    .description('recompute the indicator rollups, light snapshots, kept 催报 counts and project list totals and report any difference (--fix rebuilds them)')
    .option('--fix', 'rebuild the rollups when they differ')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { fix?: boolean; json?: boolean }, cmd: Command) => {
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const started = Date.now();
        const result = await createIndicatorService(createDeps(database.db)).verify({ fix: opts.fix });
        // Light snapshots are judged from the rollup: checked after it (and after --fix rebuilt it).
        const lights = await createLightService(createDeps(database.db)).verifySnapshots({ fix: opts.fix });
        // The kept 催报 counts (migration 2026-12-09-40): a difference from a recount is listed, --fix recounts them.
        const drift = await new ReportRepository(database.db).keptReportCountsDrift();
        if (drift.length && opts.fix) await inTransaction(database.db, (tx) => new ReportRepository(tx).rebuildKeptReportCounts());
        const reportCounts = { ok: drift.length === 0, differences: drift, fixed: drift.length > 0 && !!opts.fix };
        // The project list's kept totals (migration 2026-12-12-50), likewise.
        // With them, the search's narrow copy of the list keys (SQLite, migration 2026-12-15-10): a differing project is listed.
        const totalsDrift = [...await new ProjectRepository(database.db).keptListTotalsDrift(), ...await new ProjectRepository(database.db).listRowsDrift()];
        if (totalsDrift.length && opts.fix) {
          await inTransaction(database.db, async (tx) => {
            await new ProjectRepository(tx).rebuildKeptListTotals();
            await new ProjectRepository(tx).rebuildListRows();
          });
        }
        const listTotals = { ok: totalsDrift.length === 0, differences: totalsDrift, fixed: totalsDrift.length > 0 && !!opts.fix };
        if (opts.json) {
          console.log(JSON.stringify({ ...result, lights, report_counts: reportCounts, list_totals: listTotals }, null, 2));
        } else if (result.ok) {
          console.log(`指标汇总表与全量重算一致 / rollups match a full recomputation (${Date.now() - started} ms)`);
        } else {
          console.log(`发现差异 / rollups differ: indicator_ytd 重算有而存储缺失或不同 ${result.expected_rows_differing} 行 (recomputed rows missing or different), 存储多余或不同 ${result.stored_rows_differing} 行 (stored rows extra or different); indicator_facts ${result.facts_rows_differing} 行; indicator_groups ${result.groups_rows_differing} 行`);
          for (const d of result.differences.slice(0, 20)) {
            console.log(`  project ${d.project_id} year ${d.year}: stored ${d.stored ? d.stored.join(',') : '(missing)'} expected ${d.expected ? d.expected.join(',') : '(none)'}`);
          }
          console.log(result.fixed ? '已重建 / rebuilt from the monthly reports' : '运行 docket verify --fix 重建 / run docket verify --fix to rebuild');
        }
        if (!opts.json) {
          if (lights.ok) {
            console.log(`灯色快照与按规则全量重判一致 / light snapshots match a judgement from scratch (${lights.rows_checked} 行 rows)`);
          } else {
            console.log(`灯色快照有差异 / light snapshots differ: ${lights.rows_differing} 行 rows`);
            for (const d of lights.differences.slice(0, 20)) {
              console.log(`  ${d.year}-${d.month} project ${d.project_id}: stored ${d.stored ?? '(missing)'} expected ${d.expected ?? '(none)'}`);
            }
            console.log(lights.fixed ? '已删除有差异年份的快照，下次读取时重判 / dropped the years that differ; the next read judges them again' : '运行 docket verify --fix 修复 / run docket verify --fix');
          }
        }
        if (!opts.json) {
          if (reportCounts.ok) {
            console.log('催报计数与全量重数一致 / kept 催报 counts match a full recount');
          } else {
            console.log(`催报计数有差异 / kept 催报 counts differ: ${drift.length} 项 keys`);
            for (const d of drift.slice(0, 20)) console.log(`  ${d}`);
            console.log(reportCounts.fixed ? '已按全量重数重建 / rebuilt from a full recount' : '运行 docket verify --fix 重建 / run docket verify --fix to rebuild');
          }
        }
        if (!opts.json) {
          if (listTotals.ok) {
            console.log('项目列表合计与全量重算一致 / kept project list totals match a full recount');
          } else {
            console.log(`项目列表合计有差异 / kept project list totals differ: ${totalsDrift.length} 项 keys`);
            for (const d of totalsDrift.slice(0, 20)) console.log(`  ${d}`);
            console.log(listTotals.fixed ? '已按全量重算重建 / rebuilt from a full recount' : '运行 docket verify --fix 重建 / run docket verify --fix to rebuild');
          }
        }
        if ((!result.ok && !result.fixed) || (!lights.ok && !lights.fixed) || (!reportCounts.ok && !reportCounts.fixed) || (!listTotals.ok && !listTotals.fixed)) process.exitCode = 1;
      } finally {
        await database.destroy();
      }
    });
}
