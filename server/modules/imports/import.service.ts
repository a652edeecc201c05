import crypto from 'node:crypto';
import type { Insertable, Kysely, Updateable } from 'kysely';
import { parseMoney } from '../../../core/money.ts';
import { parseDate, parseYearRange } from '../../../core/dates.ts';
import { foldText, searchTextOf } from '../../../core/search.ts';
import { checkProjectCode, normalizeProjectCode } from '../../../core/project-code.ts';
import type { Actor } from '../../context.ts';
import type { Executor } from '../../db/database.ts';
import type { AnnualPlanTable, DB, ProjectTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { cellText, isCellError, unneutralize, type CellScalar } from './cell.ts';
import { codeOf, MONTHLY_FIELDS, parseBool, PLAN_FIELDS, PROJECT_LIST_FIELDS, type FieldDef } from './columns.ts';
import { MonthlyReportService } from '../reports/monthly-report.service.ts';
import { ReportRepository } from '../reports/report.repository.ts';
import type { ReportWrite } from '../reports/report.schema.ts';
import { DEFAULT_LIMITS, type UploadLimits } from './file-guard.ts';
import { classifyRow, detectLayout, HEADER_SEARCH_ROWS, type SheetLayout } from './layout.ts';
import { openUpload, type SheetRow } from './sheet-reader.ts';
import type { ImportRepository } from './import.repository.ts';

/** What a workbook holds: the project list (creates and updates projects) or a year's plans of known projects. */
export type ImportKind = 'projects' | 'plans' | 'monthly';

/** A problem found in the file, located by sheet, row and column letter, with a Chinese reason. */
export interface ImportProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  severity: 'error' | 'warning';
  message: string;
}

export type RowAction = 'create' | 'update' | 'unchanged' | 'skip' | 'error';

export interface RowOutcome {
  sheet: string;
  row: number;
  action: RowAction;
  name?: string;
  projectId?: number;
  /** Labels of the fields that would change. */
  changes?: string[];
  reason?: string;
}

export interface ImportReport {
  kind: ImportKind;
  fileName: string;
  format: string;
  reader: string;
  encoding?: string;
  dryRun: boolean;
  applied: boolean;
  sheets: {
    name: string;
    headerRows: string | null;
    columns: { letter: string; header: string; field: string; label: string; unit?: string; unitSource?: string }[];
    unmapped: { letter: string; header: string }[];
    dataRows: number;
    note?: string;
  }[];
  summary: { rows: number; created: number; updated: number; unchanged: number; skipped: number; errorRows: number; errors: number; warnings: number; plansCreated: number; plansUpdated: number };
  problems: ImportProblem[];
  problemsTruncated: number;
  outcomes: RowOutcome[];
  outcomesTruncated: number;
  elapsedMs: number;
}

export interface ImportOptions {
  kind: ImportKind;
  fileName: string;
  dryRun: boolean;
  limits?: UploadLimits;
  mode?: 'memory' | 'stream';
  /** The plan year (or report year) when neither a 年度 column nor the title names one. */
  year?: number;
  /** The report month for monthly progress when neither a 月份 column nor the title names one. */
  month?: number;
  onProgress?: (p: { phase: 'read' | 'check' | 'write'; done: number; total?: number }) => void;
}

/** Most problems and row outcomes kept in a report; the rest are counted. */
export const REPORT_CAP = 2000;

/**
 * Up to this many updated projects, an applied import records one audit event per project with the changed fields
 * before and after; beyond it only the file's summary event (each event costs three statements in the transaction).
 */
export const AUDIT_PER_PROJECT_LIMIT = 1000;

type Value = string | number | null;

interface ParsedRow {
  sheet: string;
  row: number;
  /** Field key → converted value; absent when the cell was empty. A plain object: 100k rows must stay small. */
  values: Record<string, Value>;
  /** Field key → column letter, shared by every row of the sheet. */
  letters: Map<string, string>;
  group?: string;
  titleYear?: number;
  titleMonth?: number;
  hasError: boolean;
}

const PROJECT_COLUMN: Record<string, keyof ProjectTable> = {
  code: 'code', stats_code: 'stats_code', name: 'name', list_year: 'list_year', batch: 'batch', is_key_of_key: 'is_key_of_key',
  nature: 'nature', category: 'category', industry_code: 'industry_code', investment_type: 'investment_type', is_attraction: 'is_attraction',
  is_central_budget: 'is_central_budget', is_special_bond: 'is_special_bond', campaign_group: 'campaign_group', address: 'address',
  builder_name: 'builder_name', builder_uscc: 'builder_uscc', builder_legal_person: 'builder_legal_person', builder_contact: 'builder_contact',
  builder_phone: 'builder_phone', leader_name: 'leader_name', leader_post: 'leader_post', scope_content: 'scope_content',
  start_year: 'start_year', end_year: 'end_year', planned_start_date: 'planned_start_date', actual_start_date: 'actual_start_date',
  planned_completion_date: 'planned_completion_date', actual_completion_date: 'actual_completion_date', planned_production_date: 'planned_production_date',
  total_investment: 'total_investment', fund_central: 'fund_central', fund_province: 'fund_province', fund_city: 'fund_city', fund_county: 'fund_county',
  fund_bank_loan: 'fund_bank_loan', fund_self: 'fund_self', fund_special_bond: 'fund_special_bond', stage: 'stage', stats_entered: 'stats_entered',
  region: 'region_code', unit: 'unit_id',
};
const PLAN_COLUMN: Record<string, keyof AnnualPlanTable> = {
  planned_investment: 'planned_investment', completed_before_year: 'completed_before_year', plan_new_start: 'plan_new_start',
  plan_start_month: 'plan_start_month', plan_completion: 'plan_completion', plan_completion_month: 'plan_completion_month',
  plan_production: 'plan_production', plan_production_month: 'plan_production_month', progress_target: 'progress_target', list_kind: 'list_kind',
};
const PLAN_KEYS = Object.keys(PLAN_COLUMN);
const FUNDS = ['fund_central', 'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond'];

type Read = { ok: true; value: Value; warning?: string } | { ok: false; reason: string } | undefined;

/** Converts one cell for its field. Undefined for an empty cell: empty cells never clear stored values. */
function readCell(field: FieldDef, cell: CellScalar, unit: Parameters<typeof parseMoney>[1]): Read {
  if (cell === null) return undefined;
  if (isCellError(cell)) return { ok: false, reason: `单元格是公式错误 ${cell.error}，请修正公式或改填数值` };
  const text = unneutralize(cellText(cell).trim());
  if (text === '') return undefined;
  switch (field.kind) {
    case 'text': {
      if (field.key === 'code') {
        const code = normalizeProjectCode(text);
        const problem = checkProjectCode(code);
        return problem ? { ok: false, reason: problem } : { ok: true, value: code };
      }
      if (field.maxLength && text.length > field.maxLength) return { ok: false, reason: `${field.label}过长（${text.length} 字，最多 ${field.maxLength} 字）` };
      return { ok: true, value: text };
    }
    case 'money': {
      const r = typeof cell === 'number' ? parseMoney(cell, unit) : parseMoney(text, unit);
      if (!r.ok) return r;
      // Only a month's figure may be negative (a statistical correction, with its reason).
      if (r.yuan < 0 && field.key !== 'amount_month') return { ok: false, reason: `${field.label}不能为负数` };
      return { ok: true, value: r.yuan };
    }
    case 'date': {
      const r = parseDate(cell instanceof Date || typeof cell === 'number' ? cell : text);
      if (!r.ok) return r;
      return { ok: true, value: r.date, warning: r.precision === 'year' ? `${field.label}只有年份，按 ${r.date} 记录` : undefined };
    }
    case 'years': {
      const r = parseYearRange(typeof cell === 'number' ? cell : text);
      return r.ok ? { ok: true, value: `${r.start}-${r.end}` } : r;
    }
    case 'year': {
      const m = /^((?:19|20|21)\d{2})(年|年度)?$/.exec(text.normalize('NFKC'));
      return m ? { ok: true, value: Number(m[1]) } : { ok: false, reason: `年度应为四位年份，如 2026：${text}` };
    }
    case 'month': {
      if (cell instanceof Date) return { ok: true, value: cell.getUTCMonth() + 1 };
      const m = /^(?:\d{4}[年.\-/])?(\d{1,2})月?(?:份)?$/.exec(text.normalize('NFKC'));
      const month = m ? Number(m[1]) : NaN;
      return month >= 1 && month <= 12 ? { ok: true, value: month } : { ok: false, reason: `月份应为 1–12：${text}` };
    }
    case 'bool': {
      const b = parseBool(typeof cell === 'boolean' || typeof cell === 'number' ? cell : text);
      return b === undefined ? { ok: false, reason: `应填“是”或“否”：${text}` } : { ok: true, value: b ? 1 : 0 };
    }
    case 'int': {
      const n = Number(text.replace(/,/g, ''));
      return Number.isInteger(n) ? { ok: true, value: n } : { ok: false, reason: `应为整数：${text}` };
    }
    case 'coded': {
      const code = codeOf(field, text);
      if (code === undefined) return { ok: false, reason: `${field.label}只能填写：${[...new Set(Object.keys(field.codes ?? {}))].join('、')}（实为“${text}”）` };
      return { ok: true, value: code };
    }
  }
}

class ProblemLog {
  readonly items: ImportProblem[] = [];
  errors = 0;
  warnings = 0;
  add(p: ImportProblem): void {
    if (p.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.items.length < REPORT_CAP) this.items.push(p);
  }
  get truncated(): number {
    return this.errors + this.warnings - this.items.length;
  }
}

/** Imports workbooks: read and check everything first, then (when asked) write all of it in one transaction. */
export class ImportService {
  private readonly db: Kysely<DB>;
  private readonly repositoryFor: (executor: Executor) => ImportRepository;
  constructor(db: Kysely<DB>, repositoryFor: (executor: Executor) => ImportRepository) {
    this.db = db;
    this.repositoryFor = repositoryFor;
  }

  /**
   * Reads the upload, reports every problem and what would happen to each row; unless `dryRun`, applies all of it
   * in one transaction when there is no error (all or nothing). Importing the same file twice changes nothing.
   */
  async importFile(actor: Actor, buf: Buffer, opts: ImportOptions): Promise<ImportReport> {
    const started = Date.now();
    const fileSha256 = crypto.createHash('sha256').update(buf).digest('hex');
    const limits = opts.limits ?? DEFAULT_LIMITS;
    const { info, sheets } = await openUpload(buf, opts.fileName, { limits, mode: opts.mode });
    const fields = opts.kind === 'plans' ? PLAN_FIELDS : opts.kind === 'monthly' ? MONTHLY_FIELDS : PROJECT_LIST_FIELDS;
    const log = new ProblemLog();
    const report: ImportReport = {
      kind: opts.kind, fileName: opts.fileName, format: info.format, reader: info.reader, encoding: info.encoding, dryRun: opts.dryRun, applied: false,
      sheets: [], summary: { rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errorRows: 0, errors: 0, warnings: 0, plansCreated: 0, plansUpdated: 0 },
      problems: log.items, problemsTruncated: 0, outcomes: [], outcomesTruncated: 0, elapsedMs: 0,
    };
    const outcome = (o: RowOutcome) => {
      if (o.action === 'skip') report.summary.skipped++;
      if (report.outcomes.length < REPORT_CAP) report.outcomes.push(o);
      else report.outcomesTruncated++;
    };

    const parsed: ParsedRow[] = [];
    for await (const sheet of sheets) {
      const head: SheetRow[] = [];
      const rows = sheet.rows[Symbol.asyncIterator]();
      let next = await rows.next();
      while (!next.done && head.length < HEADER_SEARCH_ROWS) {
        head.push(next.value);
        next = await rows.next();
      }
      const layout = detectLayout(head, sheet.merges, fields);
      if (!layout) {
        // Drain the sheet so the streaming reader can move on; count its rows against the limit.
        while (!next.done) next = await rows.next();
        report.sheets.push({ name: sheet.name, headerRows: null, columns: [], unmapped: [], dataRows: 0, note: head.length ? '未找到表头（需含“项目名称”等列），已跳过该工作表' : '空工作表，已跳过' });
        continue;
      }
      const sheetReport = this.describeSheet(sheet.name, layout);
      report.sheets.push(sheetReport);
      this.checkLayout(sheet.name, layout, opts.kind, log);
      let group: string | undefined;
      const letters = new Map<string, string>();
      for (const c of layout.columns) {
        letters.set(c.field.key, c.letter);
        if (c.field.key === 'years') letters.set('start_year', c.letter).set('end_year', c.letter);
      }
      const take = (row: SheetRow) => {
        if (row.number <= layout.headerBottom) return;
        const cls = classifyRow(row, layout);
        if (cls.type === 'blank') return;
        if (cls.type === 'total') return outcome({ sheet: sheet.name, row: row.number, action: 'skip', reason: `合计行：${cls.text}` });
        if (cls.type === 'heading') {
          if (cls.group || cls.top) group = cls.group;
          return outcome({ sheet: sheet.name, row: row.number, action: 'skip', reason: `分组标题：${cls.text}` });
        }
        sheetReport.dataRows++;
        parsed.push(this.parseRow(sheet.name, row, layout, letters, group, log));
        if (parsed.length % 5000 === 0) opts.onProgress?.({ phase: 'read', done: parsed.length });
      };
      for (const row of head) take(row);
      while (!next.done) {
        take(next.value);
        next = await rows.next();
      }
    }
    opts.onProgress?.({ phase: 'read', done: parsed.length, total: parsed.length });
    if (!report.sheets.some((s) => s.headerRows)) {
      throw new AppError('unprocessable', report.sheets.length ? '文件中没有可识别的表格：未找到包含“项目名称”等列的表头。请使用系统模板，或检查表头文字' : '文件中没有工作表或内容为空', report);
    }
    if (!parsed.length) {
      log.add({ sheet: report.sheets[0]!.name, row: null, column: null, severity: 'error', message: '表头下没有数据行' });
    }

    if (opts.kind === 'monthly') {
      await this.importMonthly(actor, parsed, opts, log, outcome, report, fileSha256);
    } else {
      await this.importProjects(actor, parsed, opts, log, outcome, report, fileSha256);
    }
    report.summary.rows = parsed.length;
    report.summary.errors = log.errors;
    report.summary.warnings = log.warnings;
    report.problemsTruncated = log.truncated;
    report.elapsedMs = Date.now() - started;
    return report;
  }

  private async importProjects(actor: Actor, parsed: ParsedRow[], opts: ImportOptions, log: ProblemLog, outcome: (o: RowOutcome) => void, report: ImportReport, fileSha256: string): Promise<void> {
    const run = async (executor: Executor, write: boolean) => {
      const plan = await this.planRows(actor, this.repositoryFor(executor), parsed, opts, log, outcome);
      Object.assign(report.summary, plan.counts);
      if (write && log.errors === 0) {
        await this.write(actor, this.repositoryFor(executor), plan, opts, executor);
        await this.recordApply(executor, actor, opts, fileSha256, plan.counts, plan.audit);
        report.applied = true;
      }
    };
    if (opts.dryRun || log.errors > 0) {
      await run(this.db, false);
    } else {
      await this.db.transaction().execute(async (trx) => run(trx, true));
    }
  }

  /**
   * The audit trail of an applied import, in its transaction: one event for the file with its counts, and (up to
   * AUDIT_PER_PROJECT_LIMIT updated projects) one per updated project with the changed fields before and after.
   */
  private async recordApply(executor: Executor, actor: Actor, opts: ImportOptions, fileSha256: string, counts: Record<string, number>, changes: Map<number, ProjectChange>): Promise<void> {
    const perProject = changes.size <= AUDIT_PER_PROJECT_LIMIT;
    await recordAudit(executor, actor, {
      action: 'import.apply', entityType: 'import', entityId: fileSha256,
      details: { file_name: opts.fileName, sha256: fileSha256, kind: opts.kind, ...counts, per_project_events: perProject },
    });
    if (!perProject) return;
    for (const [id, change] of changes) {
      await recordAudit(executor, actor, {
        action: 'project.import_update', entityType: 'project', entityId: id, before: change.before, after: change.after,
        details: { file_name: opts.fileName, sha256: fileSha256 },
      });
    }
  }

  private describeSheet(name: string, layout: SheetLayout): ImportReport['sheets'][number] {
    return {
      name,
      headerRows: layout.headerTop === layout.headerBottom ? String(layout.headerTop) : `${layout.headerTop}-${layout.headerBottom}`,
      columns: layout.columns.map((c) => ({ letter: c.letter, header: c.header, field: c.field.key, label: c.field.label, unit: c.unit, unitSource: c.unitSource })),
      unmapped: layout.unmapped,
      dataRows: 0,
    };
  }

  private checkLayout(sheet: string, layout: SheetLayout, kind: ImportKind, log: ProblemLog): void {
    const has = (k: string) => layout.columns.some((c) => c.field.key === k);
    if (!has('name')) log.add({ sheet, row: layout.headerTop, column: null, severity: 'error', message: '缺少“项目名称”列' });
    if (kind === 'projects' && !has('unit')) log.add({ sheet, row: layout.headerTop, column: null, severity: 'warning', message: '缺少“责任单位”列：新项目无法建立，只能更新已有项目' });
    if (kind === 'plans' && !has('planned_investment')) log.add({ sheet, row: layout.headerTop, column: null, severity: 'error', message: '缺少“年度计划投资”列' });
    if (kind === 'monthly' && !has('amount_month') && !has('amount_ytd')) log.add({ sheet, row: layout.headerTop, column: null, severity: 'error', message: '缺少“本月完成投资”或“1-N月累计完成投资”列' });
    for (const c of layout.columns) {
      if (c.unitSource === 'default') log.add({ sheet, row: layout.headerTop, column: c.letter, severity: 'warning', message: `“${c.header}”未注明单位，按万元读取` });
    }
    for (const u of layout.unmapped) log.add({ sheet, row: layout.headerTop, column: u.letter, severity: 'warning', message: `未识别的列“${u.header}”，已忽略` });
  }

  private parseRow(sheet: string, row: SheetRow, layout: SheetLayout, letters: Map<string, string>, group: string | undefined, log: ProblemLog): ParsedRow {
    const parsed: ParsedRow = { sheet, row: row.number, values: {}, letters, group, titleYear: layout.titleYear, titleMonth: layout.titleMonth, hasError: false };
    const values = parsed.values;
    for (const col of layout.columns) {
      const r = readCell(col.field, row.cells[col.col - 1] ?? null, col.unit);
      if (!r) continue;
      if (!r.ok) {
        parsed.hasError = true;
        log.add({ sheet, row: row.number, column: col.letter, severity: 'error', message: `${col.field.label}：${r.reason}` });
        continue;
      }
      if (r.warning) log.add({ sheet, row: row.number, column: col.letter, severity: 'warning', message: r.warning });
      if (col.field.key === 'years' && typeof r.value === 'string') {
        const [start, end] = r.value.split('-').map(Number);
        values.start_year = start!;
        values.end_year = end!;
      } else {
        values[col.field.key] = r.value;
      }
    }
    if (values.campaign_group === undefined && group) values.campaign_group = group;
    const total = values.total_investment;
    const funds = FUNDS.reduce((s, k) => s + Number(values[k] ?? 0), 0);
    if (typeof total === 'number' && funds > total) {
      log.add({ sheet, row: row.number, column: letters.get('total_investment') ?? null, severity: 'warning', message: '资金来源合计大于总投资，请核对' });
    }
    const start = values.planned_start_date;
    const end = values.planned_completion_date;
    if (typeof start === 'string' && typeof end === 'string' && end < start) {
      log.add({ sheet, row: row.number, column: letters.get('planned_completion_date') ?? null, severity: 'warning', message: '计划竣工时间早于计划开工时间' });
    }
    return parsed;
  }

  /**
   * Monthly progress: rows become a batch of monthly reports for one period, saved through the reporting rules
   * (open period, amounts derived and chained, negative figures need a reason, stage moves checked). The batch
   * runs inside a transaction that a dry run rolls back, so the dry run reports exactly what apply would refuse.
   */
  private async importMonthly(actor: Actor, parsed: ParsedRow[], opts: ImportOptions, log: ProblemLog, outcome: (o: RowOutcome) => void, report: ImportReport, fileSha256: string): Promise<void> {
    const err = (row: ParsedRow, field: string | null, message: string) => {
      row.hasError = true;
      log.add({ sheet: row.sheet, row: row.row, column: field ? row.letters.get(field) ?? null : null, severity: 'error', message });
    };
    // One period per file.
    let period: { year: number; month: number } | undefined;
    for (const row of parsed) {
      const year = (row.values.year as number | undefined) ?? row.titleYear ?? opts.year;
      const month = (row.values.month as number | undefined) ?? row.titleMonth ?? opts.month;
      if (year === undefined || month === undefined) {
        err(row, year === undefined ? 'year' : 'month', '无法确定填报年月：请增加“年份”“月份”列，或在标题中写明（如“2026年1-5月”）');
        continue;
      }
      if (!period) period = { year, month };
      else if (period.year !== year || period.month !== month) err(row, 'month', `一个文件只能包含一个填报期（首行为 ${period.year}年${period.month}月，本行为 ${year}年${month}月）`);
    }
    const repo = this.repositoryFor(this.db);
    const [regions, keys] = await Promise.all([repo.listRegions(), repo.listProjectKeys()]);
    const regionCodesByName = new Map<string, string[]>();
    for (const r of regions) {
      const k = foldText(r.name);
      const list = regionCodesByName.get(k);
      if (list) list.push(r.code);
      else regionCodesByName.set(k, [r.code]);
    }
    const idByCode = new Map<string, number>();
    const idsByName = new Map<string, { id: number; region: string }[]>();
    for (const k of keys) {
      if (k.code) idByCode.set(k.code, k.id);
      const name = k.search_text.split('|')[0]!;
      const list = idsByName.get(name);
      if (list) list.push({ id: k.id, region: k.region_code });
      else idsByName.set(name, [{ id: k.id, region: k.region_code }]);
    }
    const targets: { row: ParsedRow; projectId: number }[] = [];
    const seen = new Map<number, number>();
    for (const row of parsed) {
      const v = row.values;
      let projectId = typeof v.code === 'string' ? idByCode.get(v.code) : undefined;
      if (projectId === undefined && typeof v.name === 'string') {
        let found = idsByName.get(foldText(v.name)) ?? [];
        if (typeof v.region === 'string') {
          const t = v.region.normalize('NFKC').trim();
          const codes = /^\d{6,12}$/.test(t) ? [t] : regionCodesByName.get(foldText(t)) ?? [];
          found = found.filter((p) => codes.includes(p.region));
        }
        if (found.length === 1) projectId = found[0]!.id;
        else if (found.length > 1) err(row, 'region', `有 ${found.length} 个同名项目，请填写项目代码或所属地区`);
      }
      if (projectId === undefined) {
        if (!row.hasError) err(row, typeof v.code === 'string' ? 'code' : 'name', `未找到项目“${String(v.name ?? v.code ?? '')}”（按项目代码或名称+地区匹配）`);
        continue;
      }
      const first = seen.get(projectId);
      if (first !== undefined) err(row, 'name', `与第 ${first} 行是同一项目，请删除重复行`);
      else seen.set(projectId, row.row);
      if (v.stage === 'planning' || v.stage === 'paused') err(row, 'stage', '月报中的建设阶段只能是前期、签约、开工在建、竣工或投产（停工、复工请在项目中办理）');
      if (!row.hasError) targets.push({ row, projectId });
    }

    const FIELDS = ['amount_month', 'amount_ytd', 'negative_reason', 'stage', 'stage_date', 'progress_text', 'workers', 'problems', 'next_plan', 'stats_entered', 'stats_code', 'stats_reason'] as const;
    const ROLLBACK = new Error('dry run: roll back');
    const actions = new Map<ParsedRow, { action: RowAction; projectId: number; changes?: string[] }>();
    if (period && log.errors === 0) {
      const { year, month } = period;
      try {
        await this.db.transaction().execute(async (trx) => {
          const reports = new ReportRepository(trx);
          const batch: (ReportWrite & { project_id: number })[] = [];
          const batchRows: ParsedRow[] = [];
          for (const t of targets) {
            const existing = await reports.findReport(t.projectId, year, month);
            const input: ReportWrite & { project_id: number } = { project_id: t.projectId };
            const changes: string[] = [];
            for (const f of FIELDS) {
              const value = t.row.values[f];
              if (value === undefined) continue;
              (input as Record<string, unknown>)[f] = value;
              if (!existing || (existing as unknown as Record<string, unknown>)[f] !== value) changes.push(MONTHLY_FIELDS.find((d) => d.key === f)?.label ?? f);
            }
            if (existing && changes.length === 0) {
              actions.set(t.row, { action: 'unchanged', projectId: t.projectId });
              continue;
            }
            if (existing) input.version = existing.version;
            batch.push(input);
            batchRows.push(t.row);
            actions.set(t.row, { action: existing ? 'update' : 'create', projectId: t.projectId, changes: existing ? changes : undefined });
          }
          if (batch.length) {
            try {
              await new MonthlyReportService(reports).saveBatch(actor, year, month, { rows: batch, submit: false });
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              const rows = (e.details as { rows?: { row: number; message: string }[] } | null)?.rows;
              if (rows) {
                for (const r of rows) err(batchRows[r.row - 1]!, null, r.message);
              } else {
                log.add({ sheet: parsed[0]!.sheet, row: null, column: null, severity: 'error', message: e.message });
              }
            }
          }
          if (opts.dryRun || log.errors > 0) throw ROLLBACK;
          // Each saved report already has its own report.save event (before/after) from the batch.
          const tally = { created: 0, updated: 0, unchanged: 0 };
          for (const a of actions.values()) {
            if (a.action === 'create') tally.created++;
            else if (a.action === 'update') tally.updated++;
            else if (a.action === 'unchanged') tally.unchanged++;
          }
          await this.recordApply(trx, actor, opts, fileSha256, { ...tally, year, month }, new Map());
          report.applied = true;
        });
      } catch (e) {
        if (e !== ROLLBACK) throw e;
      }
    }
    const counts = { created: 0, updated: 0, unchanged: 0, errorRows: 0 };
    for (const row of parsed) {
      const a = row.hasError ? { action: 'error' as const, projectId: undefined, changes: undefined } : actions.get(row);
      if (!a) continue;
      if (a.action === 'create') counts.created++;
      else if (a.action === 'update') counts.updated++;
      else if (a.action === 'unchanged') counts.unchanged++;
      else counts.errorRows++;
      outcome({ sheet: row.sheet, row: row.row, action: a.action, name: String(row.values.name ?? ''), projectId: a.projectId, changes: a.changes });
    }
    Object.assign(report.summary, counts);
  }

  /** Resolves references, matches projects, and decides per row: create, update, unchanged or error. */
  private async planRows(actor: Actor, repo: ImportRepository, rows: ParsedRow[], opts: ImportOptions, log: ProblemLog, outcome: (o: RowOutcome) => void) {
    const [regions, units, keys] = await Promise.all([repo.listRegions(), repo.listUnits(), repo.listProjectKeys()]);
    const regionByCode = new Map(regions.map((r) => [r.code, r]));
    // Region and unit names repeat on every row: fold each distinct text once.
    const folded = new Map<string, string>();
    const fold = (text: string) => {
      let f = folded.get(text);
      if (f === undefined) folded.set(text, (f = foldText(text)));
      return f;
    };
    const regionsByName = new Map<string, typeof regions>();
    for (const r of regions) {
      const k = fold(r.name);
      const list = regionsByName.get(k);
      if (list) list.push(r);
      else regionsByName.set(k, [r]);
    }
    const unitById = new Map(units.map((u) => [u.id, u]));
    const unitsByName = new Map<string, typeof units>();
    for (const u of units) {
      for (const n of new Set([u.name, u.short_name].filter((x): x is string => !!x).map(fold))) {
        const list = unitsByName.get(n);
        if (list) list.push(u);
        else unitsByName.set(n, [u]);
      }
    }
    const idByCode = new Map<string, number>();
    const idByNameRegion = new Map<string, number>();
    const codeById = new Map<number, string | null>();
    for (const k of keys) {
      if (k.code) idByCode.set(k.code, k.id);
      idByNameRegion.set(`${k.search_text.split('|')[0]}|${k.region_code}`, k.id);
      codeById.set(k.id, k.code);
    }

    interface Resolved { row: ParsedRow; projectId?: number; regionCode?: string; unitId?: number; year?: number }
    const resolved: Resolved[] = [];
    const claimed = new Map<string, number>(); // target key → first row number
    const err = (row: ParsedRow, field: string | null, message: string) => {
      row.hasError = true;
      log.add({ sheet: row.sheet, row: row.row, column: field ? row.letters.get(field) ?? null : null, severity: 'error', message });
    };
    let n = 0;
    for (const row of rows) {
      if (++n % 5000 === 0) opts.onProgress?.({ phase: 'check', done: n, total: rows.length });
      const v = row.values;
      const name = v.name;
      if (typeof name !== 'string') {
        if (!row.hasError) err(row, 'name', '项目名称为空');
        continue;
      }
      const nameFold = foldText(name);
      // Unit
      let unitId: number | undefined;
      const unitText = v.unit;
      if (typeof unitText === 'string') {
        const found = unitsByName.get(fold(unitText)) ?? [];
        if (found.length === 1) unitId = found[0]!.id;
        else if (found.length > 1) err(row, 'unit', `责任单位“${unitText}”有重名，请填写全称`);
        else err(row, 'unit', `责任单位“${unitText}”不存在，请检查名称或先在系统中建立该单位`);
      }
      // Region
      let regionCode: string | undefined;
      const regionText = v.region;
      if (typeof regionText === 'string') {
        const t = regionText.normalize('NFKC').trim();
        if (/^\d{6,12}$/.test(t)) {
          if (regionByCode.has(t)) regionCode = t;
          else err(row, 'region', `行政区划代码不存在：${t}`);
        } else {
          let found = regionsByName.get(fold(t)) ?? [];
          if (found.length > 1 && unitId !== undefined) {
            const unitRegion = unitById.get(unitId)?.region_code;
            const unitPath = unitRegion ? regionByCode.get(unitRegion)?.path : undefined;
            if (unitPath) found = found.filter((r) => r.path.startsWith(unitPath) || unitPath.startsWith(r.path));
          }
          if (found.length === 1) regionCode = found[0]!.code;
          else if (found.length > 1) err(row, 'region', `地区名称“${t}”对应多个行政区划，请填写 6 位区划代码`);
          else err(row, 'region', `所属地区“${t}”不存在`);
        }
      } else if (unitId !== undefined) {
        regionCode = unitById.get(unitId)?.region_code ?? undefined;
      }
      // Match: national code first, else name + region.
      const code = v.code;
      let projectId: number | undefined;
      if (typeof code === 'string') projectId = idByCode.get(code);
      if (projectId === undefined && regionCode) {
        const byName = idByNameRegion.get(`${nameFold}|${regionCode}`);
        if (byName !== undefined) {
          const existing = codeById.get(byName);
          if (typeof code === 'string' && existing && existing !== code) {
            err(row, 'code', `同名同地区的已有项目代码为 ${existing}，与本行 ${code} 不一致`);
          } else {
            projectId = byName;
          }
        }
      }
      if (typeof code === 'string' && projectId !== undefined && idByCode.has(code) && idByCode.get(code) !== projectId) {
        err(row, 'code', `项目代码 ${code} 已被其他项目使用`);
      }
      if (projectId === undefined && !row.hasError) {
        if (opts.kind === 'plans') err(row, 'name', `未找到项目“${name}”（按项目代码或名称+地区匹配），请先导入项目清单`);
        else {
          if (unitId === undefined && v.unit === undefined) err(row, 'unit', '新项目须填写责任单位');
          if (!regionCode && v.region === undefined) err(row, 'region', '新项目须填写所属地区');
        }
      }
      // One file may not name the same project twice.
      const target = projectId !== undefined ? `id:${projectId}` : typeof code === 'string' ? `code:${code}` : `name:${nameFold}|${regionCode ?? ''}`;
      const first = claimed.get(target);
      if (first !== undefined) err(row, 'name', `与第 ${first} 行是同一项目，请删除重复行`);
      else claimed.set(target, row.row);
      // Plan year.
      const hasPlan = PLAN_KEYS.some((k) => v[k] !== undefined);
      const year = (v.list_year as number | undefined) ?? row.titleYear ?? opts.year;
      if (hasPlan && year === undefined) err(row, 'planned_investment', '无法确定计划年度：请增加“年度”列，或在表头上方标题中写明年份');
      resolved.push({ row, projectId, regionCode, unitId, year: hasPlan ? year : undefined });
    }

    // Scope: rows may only touch projects the actor can see.
    const matchedIds = [...new Set(resolved.map((r) => r.projectId).filter((x): x is number => x !== undefined))];
    const inScope = await repo.listIdsInScope(matchedIds, actor.scope);
    const current = new Map((await repo.listProjects(matchedIds.filter((id) => inScope.has(id)))).map((p) => [p.id, p]));
    const planKeys = new Map<number, number[]>();
    for (const r of resolved) {
      if (r.projectId === undefined || r.year === undefined) continue;
      const ids = planKeys.get(r.year);
      if (ids) ids.push(r.projectId);
      else planKeys.set(r.year, [r.projectId]);
    }
    const plans = new Map<string, Awaited<ReturnType<ImportRepository['listPlans']>>[number]>();
    for (const [year, ids] of planKeys) for (const p of await repo.listPlans(ids, year)) plans.set(`${p.project_id}|${year}`, p);

    const creates: { row: ParsedRow; values: Insertable<ProjectTable>; plan?: PlanWrite }[] = [];
    const updates: { row: ParsedRow; id: number; version: number; patch: Updateable<ProjectTable> }[] = [];
    const planInserts: { projectId: number; plan: PlanWrite }[] = [];
    const planUpdates: { id: number; projectId: number; year: number; version: number; patch: Updateable<AnnualPlanTable> }[] = [];
    const counts = { created: 0, updated: 0, unchanged: 0, errorRows: 0, plansCreated: 0, plansUpdated: 0 };
    // Per updated project, the changed fields before and after (plans under `plan_<year>`), for the audit trail.
    const audit = new Map<number, ProjectChange>();
    const changeOf = (id: number): ProjectChange => {
      let c = audit.get(id);
      if (!c) audit.set(id, (c = { before: {}, after: {} }));
      return c;
    };

    for (const r of resolved) {
      const { row } = r;
      const name = row.values.name as string;
      if (r.projectId !== undefined && !inScope.has(r.projectId)) err(row, 'name', '该项目不在您的管理范围内，不能修改');
      if (row.hasError) {
        counts.errorRows++;
        outcome({ sheet: row.sheet, row: row.row, action: 'error', name });
        continue;
      }
      const fieldsOf = (): Record<string, Value> => {
        const out: Record<string, Value> = {};
        if (opts.kind === 'plans') return out;
        for (const [k, v] of Object.entries(row.values)) {
          const column = PROJECT_COLUMN[k];
          if (column && k !== 'region' && k !== 'unit') out[column] = v;
        }
        if (r.regionCode) out.region_code = r.regionCode;
        if (r.unitId !== undefined) out.unit_id = r.unitId;
        return out;
      };
      const planOf = (): PlanWrite | undefined => {
        if (r.year === undefined) return undefined;
        const p: Record<string, Value> = {};
        for (const [k, column] of Object.entries(PLAN_COLUMN)) if (row.values[k] !== undefined) p[column] = row.values[k];
        return { year: r.year, values: p };
      };
      const plan = planOf();
      if (r.projectId === undefined) {
        counts.created++;
        if (plan) counts.plansCreated++;
        creates.push({ row, values: fieldsOf() as unknown as Insertable<ProjectTable>, plan });
        outcome({ sheet: row.sheet, row: row.row, action: 'create', name });
        continue;
      }
      const cur = current.get(r.projectId)!;
      const changes: string[] = [];
      const patch: Record<string, Value> = {};
      for (const [column, v] of Object.entries(fieldsOf())) {
        if ((cur as unknown as Record<string, Value>)[column] !== v) {
          patch[column] = v;
          changes.push(labelFor(column));
          const c = changeOf(r.projectId);
          c.before[column] = (cur as unknown as Record<string, Value>)[column];
          c.after[column] = v;
        }
      }
      if (plan) {
        const existing = plans.get(`${r.projectId}|${plan.year}`);
        if (!existing) {
          planInserts.push({ projectId: r.projectId, plan });
          counts.plansCreated++;
          const c = changeOf(r.projectId);
          c.before[`plan_${plan.year}`] = null;
          c.after[`plan_${plan.year}`] = plan.values;
          changes.push(`${plan.year}年计划（新增）`);
        } else {
          const planPatch: Record<string, Value> = {};
          for (const [column, v] of Object.entries(plan.values)) {
            if ((existing as unknown as Record<string, Value>)[column] !== v) {
              planPatch[column] = v;
              changes.push(`${plan.year}年${labelFor(column)}`);
            }
          }
          if (Object.keys(planPatch).length) {
            planUpdates.push({ id: existing.id, projectId: r.projectId, year: plan.year, version: existing.version, patch: planPatch });
            counts.plansUpdated++;
            const c = changeOf(r.projectId);
            c.before[`plan_${plan.year}`] = Object.fromEntries(Object.keys(planPatch).map((k) => [k, (existing as unknown as Record<string, Value>)[k]]));
            c.after[`plan_${plan.year}`] = planPatch;
          }
        }
      }
      if (Object.keys(patch).length) updates.push({ row, id: r.projectId, version: cur.version, patch: patch });
      if (changes.length) {
        counts.updated++;
        outcome({ sheet: row.sheet, row: row.row, action: 'update', name, projectId: r.projectId, changes });
      } else {
        counts.unchanged++;
        outcome({ sheet: row.sheet, row: row.row, action: 'unchanged', name, projectId: r.projectId });
      }
    }
    return { creates, updates, planInserts, planUpdates, counts, audit };
  }

  private async write(actor: Actor, repo: ImportRepository, plan: Awaited<ReturnType<ImportService['planRows']>>, opts: ImportOptions, executor: Executor): Promise<void> {
    const now = new Date().toISOString();
    const total = plan.creates.length + plan.updates.length + plan.planInserts.length + plan.planUpdates.length;
    let done = 0;
    const tick = (k: number) => {
      done += k;
      opts.onProgress?.({ phase: 'write', done, total });
    };
    // Rows are built batch by batch so that 100k new projects never exist twice in memory.
    const BATCH = 2000;
    const inserted: { id: number; search_text: string; region_code: string }[] = [];
    for (let i = 0; i < plan.creates.length; i += BATCH) {
      const rows: Insertable<ProjectTable>[] = plan.creates.slice(i, i + BATCH).map((c) => ({
        tier: 'implementation', stage: 'preliminary', total_investment: 0, ...c.values,
        search_text: searchTextOf(c.values.name), created_at: now, updated_at: now, created_by: actor.userId, updated_by: actor.userId,
      }));
      for (const r of await repo.insertProjects(rows)) inserted.push(r);
      tick(rows.length);
    }
    const idByKey = new Map(inserted.map((p) => [`${p.search_text.split('|')[0]}|${p.region_code}`, p.id]));
    for (const u of plan.updates) {
      const patch: Updateable<ProjectTable> = { ...u.patch, updated_at: now, updated_by: actor.userId };
      if (typeof u.patch.name === 'string') patch.search_text = searchTextOf(u.patch.name);
      if (!(await repo.updateProject(u.id, u.version, patch))) {
        throw new AppError('version_conflict', `第 ${u.row.row} 行的项目在导入期间被他人修改，本次导入未写入任何数据，请重新导入`);
      }
      tick(1);
    }
    const planRows: Insertable<AnnualPlanTable>[] = [];
    const planRow = (projectId: number, p: PlanWrite): Insertable<AnnualPlanTable> => ({ ...p.values, project_id: projectId, year: p.year, created_at: now, updated_at: now });
    for (const c of plan.creates) {
      if (!c.plan) continue;
      const id = idByKey.get(`${foldText(c.values.name)}|${c.values.region_code}`);
      if (id === undefined) throw new AppError('internal', `新建项目“${c.values.name}”后未能找回其编号`);
      planRows.push(planRow(id, c.plan));
    }
    for (const p of plan.planInserts) planRows.push(planRow(p.projectId, p.plan));
    for (let i = 0; i < planRows.length; i += BATCH) {
      await repo.insertPlans(planRows.slice(i, i + BATCH));
      tick(Math.min(BATCH, planRows.length - i));
    }
    for (const p of plan.planUpdates) {
      if (!(await repo.updatePlan(p.id, p.version, { ...p.patch, updated_at: now }))) {
        throw new AppError('version_conflict', '年度计划在导入期间被他人修改，本次导入未写入任何数据，请重新导入');
      }
      tick(1);
    }
    // Reports already filed for a plan written here carry since-start = completed-before-year + 1–N月.
    const rebase = new Map<number, number[]>();
    for (const r of [...planRows, ...plan.planUpdates.filter((p) => 'completed_before_year' in p.patch).map((p) => ({ project_id: p.projectId, year: p.year }))]) {
      rebase.set(r.year, [...(rebase.get(r.year) ?? []), r.project_id]);
    }
    for (const [year, ids] of rebase) await new ReportRepository(executor).rebaseSinceStart(ids, year);
  }
}

/** The changed fields of one updated project, before and after. */
interface ProjectChange {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

interface PlanWrite {
  year: number;
  values: Record<string, Value>;
}

const LABELS = new Map<string, string>([
  ...PROJECT_LIST_FIELDS.map((f) => [PROJECT_COLUMN[f.key] ?? PLAN_COLUMN[f.key] ?? f.key, f.label] as [string, string]),
  ['region_code', '所属地区'], ['unit_id', '责任单位'], ['start_year', '建设起始年份'], ['end_year', '建设结束年份'],
]);

function labelFor(column: string): string {
  return LABELS.get(column) ?? column;
}
