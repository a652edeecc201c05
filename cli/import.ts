import fs from 'node:fs';
import { createDeps } from '../server/deps.ts';
import { createImportService, createListImportService, DEFAULT_LIMITS, type ImportReport, type ListReport } from '../server/modules/imports/index.ts';
import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { createLeadImportService, type LeadImportReport } from '../server/modules/attraction/index.ts';

const PHASES = { read: '读取 / read ', check: '检查 / check', write: '写入 / write' } as const;

/** Prints a report the way a clerk reads it: summary, then problems by sheet, row and column. */
export function printReport(report: ImportReport, maxProblems = 50): void {
  const s = report.summary;
  console.log(`文件 / file: ${report.fileName} (${report.format}, ${report.reader}${report.encoding ? `, ${report.encoding}` : ''})`);
  for (const sheet of report.sheets) {
    console.log(`  工作表「${sheet.name}」 表头行 ${sheet.headerRows ?? '-'}，数据 ${sheet.dataRows} 行${sheet.note ? `：${sheet.note}` : ''}`);
  }
  console.log(`${report.dryRun ? '试导入（未写入）' : report.applied ? '已导入' : '未导入（存在错误，未写入任何数据）'}: ` +
    `新增 ${s.created}，更新 ${s.updated}，无变化 ${s.unchanged}，跳过 ${s.skipped}，错误行 ${s.errorRows}；` +
    `年度计划 新增 ${s.plansCreated} 更新 ${s.plansUpdated}；错误 ${s.errors} 处，提示 ${s.warnings} 处（${report.elapsedMs} ms）`);
  if (s.subItems > 0) console.log(`  其中打包项目 ${s.packages} 个、子项目 ${s.subItems} 个（各计一行）`);
  for (const sheet of report.sheets) if (sheet.period) console.log(`  工作表「${sheet.name}」期间：${sheet.period}`);
  const p = report.proposals;
  if (p?.units.length) {
    console.log(`  系统中尚无的单位 ${p.units.length} 个${p.jurisdiction ? `（将建在 ${p.jurisdiction.office} 下）` : ''}：`);
    for (const u of p.units) console.log(`    ${u.name}（${u.rows} 行）→ ${u.action === 'match' ? `对应已有单位“${u.matchName}”` : `新建（${u.kind}）`}`);
  }
  if (p?.areas.length) console.log(`  行政区划中没有的开发区/园区：${p.areas.map((a) => `${a.name}（${a.rows} 行）`).join('、')}，可作为自定义区域建在 ${p.areas[0]!.parentName} 下`);
  if (!report.dryRun && report.progress) console.log(`  ${report.progress.year}年1-${report.progress.month}月进度：${report.progress.rows} 个项目，新写入月报 ${report.progress.created} 份，更新 ${report.progress.updated} 份（标记为导入）`);
  if (report.reportStatus) console.log(`  月报状态 / report status: ${report.reportStatus}`);
  for (const d of report.duplicates.slice(0, maxProblems)) {
    console.log(`  重复${d.skipped ? '（已跳过）' : ''}  ${d.sheet} 第${d.rows.join('、')}行：${d.name}${d.region ? `（${d.region}）` : ''}${d.stored ? `，同名同地区已有项目 ${d.stored} 个` : ''}`);
  }
  const shown = report.problems.slice(0, maxProblems);
  for (const p of shown) {
    const where = `${p.sheet}${p.row ? ` 第${p.row}行` : ''}${p.column ? ` ${p.column}列` : ''}`;
    console.log(`  ${p.severity === 'error' ? '错误' : '提示'}  ${where}：${p.message}`);
  }
  const more = report.problems.length - shown.length + report.problemsTruncated;
  if (more > 0) console.log(`  …另有 ${more} 处问题（用 --report FILE 保存完整报告）`);
}

/** Prints a unit-list or user-list report: the sheets, the summary, the problems by row and column. */
export function printListReport(report: ListReport | LeadImportReport, maxProblems = 50): void {
  const s = report.summary;
  console.log(`文件 / file: ${report.fileName}（${report.kind === 'units' ? '单位名单' : report.kind === 'users' ? '人员名单' : '招商项目台账'}）`);
  for (const sheet of report.sheets) {
    console.log(`  工作表「${sheet.name}」${sheet.chosen ? '（导入）' : ''} 表头行 ${sheet.headerRows ?? '-'}，数据 ${sheet.dataRows} 行${sheet.note ? `：${sheet.note}` : ''}`);
  }
  console.log(`${report.dryRun ? '试导入（未写入）' : report.applied ? '已导入' : '未导入（存在错误，未写入任何数据）'}: ` +
    `新增 ${s.created}，更新 ${s.updated}，无变化 ${s.unchanged}，错误行 ${s.errorRows}；错误 ${s.errors} 处，提示 ${s.warnings} 处（${report.elapsedMs} ms）`);
  for (const p of report.problems.slice(0, maxProblems)) {
    const where = `${p.sheet}${p.row ? ` 第${p.row}行` : ''}${p.column ? ` ${p.column}列` : ''}`;
    console.log(`  ${p.severity === 'error' ? '错误' : '提示'}  ${where}：${p.message}`);
  }
  if (report.problems.length > maxProblems) console.log(`  …另有 ${report.problems.length - maxProblems} 处问题（用 --report FILE 保存完整报告）`);
}

/** `docket import FILE [--dry-run]`: check a workbook or CSV and import it in one transaction. */
export function registerImport(program: Command): void {
  program.command('import')
    .description('import a project list or annual plan from .xlsx/.csv (all or nothing); --dry-run only reports')
    .argument('<file>', '.xlsx or .csv file')
    .option('--dry-run', 'check and report, write nothing')
    .option('--kind <kind>', 'projects | plans | monthly | units (单位名单) | users (人员名单: accounts with first-login passwords) | leads (招商项目台账)', 'projects')
    .option('--sheet <name>', 'the sheet to import when the workbook holds several tables (the dry run lists them)')
    .option('--move-units', 'units: move the stored units the list names under another parent (the dry run lists each move)')
    .option('--passwords-out <file>', 'users: write the new accounts\' first-login passwords to this .xlsx (instead of printing them)')
    .option('--year <year>', 'plan/report year when the file names none', (v) => Number(v))
    .option('--month <month>', 'report month (monthly) when the file names none', (v) => Number(v))
    .option('--create-missing', 'project list: create the units and custom areas (开发区/园区) the file names that do not exist yet')
    .option('--default-unit <id>', 'project list: responsible unit of rows that name none (lists with only 项目业主)', (v) => Number(v))
    .option('--max-rows <n>', 'row limit', (v) => Number(v), DEFAULT_LIMITS.maxRows)
    .option('--report <file>', 'write the full report as JSON')
    .option('--status <status>', 'monthly: what the reports become — draft | submitted | approved (counted in indicators unless draft)', 'draft')
    .option('--skip-duplicates', 'import the rest when rows repeat a project (listed in the report) instead of refusing the file')
    .action(async (file: string, opts: { dryRun?: boolean; kind: string; sheet?: string; passwordsOut?: string; year?: number; month?: number; maxRows: number; report?: string; status: string; skipDuplicates?: boolean; createMissing?: boolean; defaultUnit?: number }, cmd: Command) => {
      if (opts.kind === 'units' || opts.kind === 'users') return importList(cmd, file, { ...opts, kind: opts.kind });
      if (opts.kind === 'leads') return importLeads(cmd, file, opts);
      if (opts.kind !== 'projects' && opts.kind !== 'plans' && opts.kind !== 'monthly') throw new Error('--kind 只能是 projects、plans、monthly、units、users 或 leads');
      if (opts.status !== 'draft' && opts.status !== 'submitted' && opts.status !== 'approved') throw new Error('--status 只能是 draft、submitted 或 approved');
      const buf = fs.readFileSync(file);
      const database = openDatabase(configFrom(cmd));
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: '{phase} [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
      let phase = '';
      try {
        await migrateToLatest(database.db);
        const service = createImportService(createDeps(database.db));
        const report = await service.importFile(systemActor(), buf, {
          kind: opts.kind, sheet: opts.sheet, fileName: path.basename(file), dryRun: !!opts.dryRun, year: opts.year, month: opts.month,
          createMissing: !!opts.createMissing, defaultUnitId: opts.defaultUnit,
          reportStatus: opts.status, duplicates: opts.skipDuplicates ? 'skip' : 'refuse',
          limits: { ...DEFAULT_LIMITS, maxRows: opts.maxRows },
          onProgress: (p) => {
            if (!bar) return;
            if (p.phase !== phase) {
              if (phase) bar.stop();
              phase = p.phase;
              bar.start(p.total ?? p.done, p.done, { phase: PHASES[p.phase] });
            }
            bar.setTotal(p.total ?? Math.max(p.done, 1));
            bar.update(p.done);
          },
        });
        bar?.stop();
        printReport(report);
        if (opts.report) fs.writeFileSync(opts.report, JSON.stringify(report, null, 2));
        if (report.summary.errors > 0) process.exitCode = 1;
      } finally {
        bar?.stop();
        await database.destroy();
      }
    });
}

/** `docket import FILE --kind leads`: the attraction ledger (招商项目台账), as the system actor. */
async function importLeads(cmd: Command, file: string, opts: { dryRun?: boolean; sheet?: string; report?: string; maxRows: number }): Promise<void> {
  const buf = fs.readFileSync(file);
  const database = openDatabase(configFrom(cmd));
  try {
    await migrateToLatest(database.db);
    const report = await createLeadImportService(createDeps(database.db)).importFile(systemActor(), buf, {
      fileName: path.basename(file), dryRun: !!opts.dryRun, sheet: opts.sheet, limits: { ...DEFAULT_LIMITS, maxRows: opts.maxRows },
    });
    printListReport(report);
    if (opts.report) fs.writeFileSync(opts.report, JSON.stringify(report, null, 2));
    if (report.summary.errors > 0) process.exitCode = 1;
  } finally {
    await database.destroy();
  }
}

/** `docket import FILE --kind units|users`: the office's unit list or its reporters' accounts. */
async function importList(cmd: Command, file: string, opts: { kind: 'units' | 'users'; dryRun?: boolean; sheet?: string; passwordsOut?: string; moveUnits?: boolean; report?: string; maxRows: number }): Promise<void> {
  const buf = fs.readFileSync(file);
  const database = openDatabase(configFrom(cmd));
  try {
    await migrateToLatest(database.db);
    const report = await createListImportService(createDeps(database.db)).importFile(systemActor(), buf, {
      kind: opts.kind, fileName: path.basename(file), dryRun: !!opts.dryRun, sheet: opts.sheet, moveUnits: !!opts.moveUnits, limits: { ...DEFAULT_LIMITS, maxRows: opts.maxRows },
    });
    const { credentials, credentialsXlsx, ...rest } = report;
    printListReport(report);
    // The passwords are shown once: to the .xlsx asked for (readable by its owner only), else on the terminal.
    if (credentials?.length) {
      if (opts.passwordsOut) {
        fs.writeFileSync(opts.passwordsOut, Buffer.from(credentialsXlsx!, 'base64'), { mode: 0o600 });
        console.log(`  ${credentials.length} 个账号的首次登录密码已写入 ${opts.passwordsOut}（仅此一次，首次登录须修改）`);
      } else {
        console.log(`  首次登录密码（仅显示这一次，首次登录须修改）：`);
        for (const c of credentials) console.log(`    ${c.username}\t${c.password}\t${c.name}\t${c.unit}`);
      }
    }
    // The saved report never carries the passwords.
    if (opts.report) fs.writeFileSync(opts.report, JSON.stringify(rest, null, 2));
    if (report.summary.errors > 0) process.exitCode = 1;
  } finally {
    await database.destroy();
  }
}
