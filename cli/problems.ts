import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { createDeps } from '../server/deps.ts';
import { createProblemImport, type ProblemImportReport } from '../server/modules/problems/index.ts';
import { configFrom } from './config.ts';

/** Prints a ledger import's report: the summary, then each finding by row and column. */
export function printProblemImport(report: ProblemImportReport, maxProblems = 50): void {
  const s = report.summary;
  console.log(`文件 / file: ${report.fileName}（问题台账）`);
  for (const sheet of report.sheets) console.log(`  工作表「${sheet.name}」 表头行 ${sheet.headerRows ?? '-'}，数据 ${sheet.dataRows} 行`);
  console.log(`${report.dryRun ? '试导入（未写入）' : report.applied ? '已导入' : '未导入（存在错误，未写入任何数据）'}: 新增 ${s.created}，跳过 ${s.skipped}，错误行 ${s.errorRows}；错误 ${s.errors} 处，提示 ${s.warnings} 处`);
  for (const p of report.problems.slice(0, maxProblems)) {
    console.log(`  ${p.severity === 'error' ? '错误' : '提示'}  ${p.sheet}${p.row ? ` 第${p.row}行` : ''}${p.column ? ` ${p.column}列` : ''}：${p.message}`);
  }
  const more = report.problems.length - Math.min(report.problems.length, maxProblems) + report.problemsTruncated;
  if (more > 0) console.log(`  …另有 ${more} 处问题（用 --json 查看完整报告）`);
}

/** `docket problems import FILE [--apply]`: imports a problem ledger (问题台账), a dry run unless --apply. */
export function registerProblems(program: Command): void {
  const problems = program.command('problems').description('enterprise and project problems (问题台账, issue 18)');
  problems.command('import <file>')
    .description('import a problem ledger (.xlsx): a dry run by default; --apply writes it (all rows or none)')
    .option('--apply', 'write the problems (nothing is written when any row is wrong)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { apply?: boolean; json?: boolean }, cmd: Command) => {
      const data = fs.readFileSync(file);
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const report = await createProblemImport(createDeps(database.db)).importFile(systemActor(), data, { fileName: path.basename(file), dryRun: !opts.apply });
        if (opts.json) console.log(JSON.stringify(report, null, 2));
        else printProblemImport(report);
        if (report.summary.errors > 0) process.exitCode = 2;
      } finally {
        await database.destroy();
      }
    });
}
