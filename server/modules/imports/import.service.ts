import crypto from 'node:crypto';
import type { Insertable, Kysely, Updateable } from 'kysely';
import { formatWan, parseMoney } from '../../../core/money.ts';
import { PLAN_MONTH_COLUMNS } from '../../db/schema.ts';
import { parseDate, parseYearRange } from '../../../core/dates.ts';
import { foldText, searchTextOf } from '../../../core/search.ts';
import { checkProjectCode, normalizeProjectCode } from '../../../core/project-code.ts';
import type { Actor } from '../../context.ts';
import type { Executor } from '../../db/database.ts';
import type { AnnualPlanTable, DB, ProjectTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { roleHas } from '../../plugins/permissions.ts';
import { cellText, columnLetter, isCellError, type CellScalar } from './cell.ts';
import { unneutralize } from '../../../core/formula-text.ts';
import {
  codeOf, LEVEL_CODES, MONTHLY_FIELDS, parseBool, parseLevels, parseSeq, parseTick, PLAN_FIELDS, PROJECT_LIST_FIELDS, tickKey, type FieldDef,
} from './columns.ts';
import { IndicatorService } from '../indicators/index.ts';
import { refreshLightsAfterBulkWrite } from '../lights/index.ts';
import { ReportBulkService, ReportRepository, type BulkReportInput, type BulkReportStatus } from '../reports/index.ts';
import { DEFAULT_LIMITS, type UploadLimits } from './file-guard.ts';
import { classifyRow, detectLayout, HEADER_SEARCH_ROWS, type MappedColumn, type SheetLayout } from './layout.ts';
import { openUpload, type SheetRow, type SheetSource } from './sheet-reader.ts';
import type { ImportRepository, ProjectKey } from './import.repository.ts';
import { inferPeriod, describePeriod } from './period-inference.ts';
import { firstDayContext, applyFirstDayCreations, type FirstDayProposals } from './first-day.ts';
import { writeImportedProgress, type ProgressWrite } from './project-progress.ts';
import { derivePlanFields, headingHints, type HeadingHints } from './project-hints.ts';
import { TotalsCheck } from './totals-check.ts';
import type { Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { yieldToEventLoop, YIELD_EVERY_ROWS, type ChunkBoundary, type ChunkHook } from '../../platform/yield.ts';

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
    columns: { letter: string; header: string; field: string; label: string; unit?: MappedColumn['unit']; unitSource?: MappedColumn['unitSource'] }[];
    unmapped: { letter: string; header: string }[];
    dataRows: number;
    note?: string;
    /** The year and period inferred for a project list, and where from ("2025年1-5月（年度取自标题行…）"). */
    period?: string;
    /** A table whose rows are imported (false: no table, or another sheet was chosen). */
    chosen?: boolean;
  }[];
  /** Project list: what to do with unit and area names that do not exist yet (unit-proposals.ts). */
  proposals?: FirstDayProposals;
  /** Project list: the progress to date written as approved monthly reports. */
  progress?: { year: number; month: number; rows: number; created: number; updated: number };
  /**
   * `rows` counts each data row once: a package and each of its sub-items are one row (and one project) each;
   * `packages` and `subItems` say how many of them are packages and sub-items.
   */
  summary: {
    rows: number; created: number; updated: number; unchanged: number; skipped: number; errorRows: number; errors: number; warnings: number;
    plansCreated: number; plansUpdated: number; packages: number; subItems: number;
    /**
     * Project list with a 是否入库纳统 column: the new projects whose cell is blank, imported as not entered (an
     * office's list leaves the cell blank for "no"); without the column they stay unknown (stats_unknown).
     */
    statsBlank?: number;
  };
  problems: ImportProblem[];
  problemsTruncated: number;
  outcomes: RowOutcome[];
  outcomesTruncated: number;
  elapsedMs: number;
  /** Where the time went: reading the file, checking and matching rows, writing (apply only). */
  phaseMs: { read: number; check: number; write: number };
  /**
   * Repeated projects: the rows that name one project (the first is the one imported when duplicates are
   * skipped), or a row whose name + region fit `stored` projects. Listed whichever the duplicates option.
   */
  duplicates: ImportDuplicate[];
  /** Monthly progress: the status the imported reports were given. */
  reportStatus?: BulkReportStatus;
}

/** One repeated project of a file (see ImportReport.duplicates). */
export interface ImportDuplicate {
  sheet: string;
  rows: number[];
  name: string;
  region: string | null;
  /** Several stored projects share this name and region (the row cannot tell which): how many. */
  stored?: number;
  /** The rows were skipped (duplicates: 'skip') rather than refused. */
  skipped: boolean;
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
  /**
   * The sheet to import when the workbook holds several tables. Without it such a workbook is refused, each of its
   * tables reported (what was found in it), so the office chooses rather than the import silently taking one.
   */
  sheet?: string;
  onProgress?: (p: { phase: 'read' | 'check' | 'write'; done: number; total?: number }) => void;
  /**
   * Called at each chunk boundary of a monthly import, after its yield to the event loop (tests issue a request
   * there: issue 23); the import resumes when the returned promise settles.
   */
  onChunk?: ChunkHook;
  /** Project list: create the units and custom areas (开发区/园区) the file names that do not exist yet. */
  createMissing?: boolean;
  /** Project list: per unit name of the file, an existing unit to use instead, 'create', or 'skip' (neither). */
  unitMap?: Record<string, number | 'create' | 'skip'>;
  /** Project list: the responsible unit of rows that name none (lists that carry only the builder, 项目业主). */
  defaultUnitId?: number;
  /**
   * Rows naming a project an earlier row already named (same code, or same name + region), and monthly rows whose
   * name + region fit several stored projects: 'refuse' (the default) makes them errors, so nothing is imported;
   * 'skip' imports every other row (the first of a repeated pair included) and lists them in `duplicates`.
   */
  duplicates?: 'refuse' | 'skip';
  /** Monthly progress: what the imported reports become — drafts (default), submitted, or approved (office only). */
  reportStatus?: BulkReportStatus;
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
  /** The package row above this sub-item, placed by its 序号 ("1.1", "（1）", "①") or a "其中：" name. */
  parentRow?: ParsedRow;
  titleYear?: number;
  titleMonth?: number;
  hasError: boolean;
  /** The name began with "其中：". */
  qizhong?: boolean;
  /** What the group headings above the row imply (新开工项目 → planned new start), for a project list. */
  hints?: HeadingHints;
  /** The folded name, once computed. */
  nameKey?: string;
  /** Skipped as a repeat of the project an earlier row (this row number) named (duplicates: 'skip'). */
  duplicateOf?: number;
  /** The search text of `name`, computed while a worker thread reads the rest of the file (see searchTextFor). */
  searchText?: { name: string; text: string };
}

/** A row's search text for this name: the one computed while reading, if the name is still the same. */
function searchTextFor(row: ParsedRow, name: string): string {
  return row.searchText?.name === name ? row.searchText.text : searchTextOf(name);
}

/** "其中：" before a sub-item's name (also 其中:, 其中, with spaces). */
const QIZHONG = /^\s*其\s*中\s*[:：]?\s*/;

const PROJECT_COLUMN: Record<string, keyof ProjectTable> = {
  code: 'code', stats_code: 'stats_code', name: 'name', list_year: 'list_year', batch: 'batch', is_key_of_key: 'is_key_of_key',
  nature: 'nature', category: 'category', industry_code: 'industry_code', investment_type: 'investment_type', is_attraction: 'is_attraction',
  is_central_budget: 'is_central_budget', is_special_bond: 'is_special_bond', campaign_group: 'campaign_group', address: 'address',
  builder_name: 'builder_name', builder_uscc: 'builder_uscc', builder_legal_person: 'builder_legal_person', builder_contact: 'builder_contact',
  builder_phone: 'builder_phone', leader_name: 'leader_name', leader_post: 'leader_post', scope_content: 'scope_content',
  start_year: 'start_year', end_year: 'end_year', planned_start_date: 'planned_start_date', actual_start_date: 'actual_start_date',
  planned_completion_date: 'planned_completion_date', actual_completion_date: 'actual_completion_date', planned_production_date: 'planned_production_date',
  actual_production_date: 'actual_production_date',
  total_investment: 'total_investment', fund_central: 'fund_central', fund_province: 'fund_province', fund_city: 'fund_city', fund_county: 'fund_county',
  fund_bank_loan: 'fund_bank_loan', fund_self: 'fund_self', fund_special_bond: 'fund_special_bond', stage: 'stage', stats_entered: 'stats_entered',
  region: 'region_code', unit: 'unit_id',
};
const PLAN_COLUMN: Record<string, keyof AnnualPlanTable> = {
  planned_investment: 'planned_investment', completed_before_year: 'completed_before_year', plan_new_start: 'plan_new_start',
  plan_start_month: 'plan_start_month', plan_completion: 'plan_completion', plan_completion_month: 'plan_completion_month',
  plan_production: 'plan_production', plan_production_month: 'plan_production_month', progress_target: 'progress_target', list_kind: 'list_kind',
  ...Object.fromEntries(PLAN_MONTH_COLUMNS.map((c) => [c, c])),
};
const PLAN_KEYS = Object.keys(PLAN_COLUMN);
// The column defaults, spelled out: a multi-row INSERT on SQLite binds NULL (not DEFAULT) for a column that some
// rows leave out, and these columns are NOT NULL — rows differ whenever a cell is blank in some rows only.
const PROJECT_DEFAULTS = {
  tier: 'implementation', stage: 'preliminary', total_investment: 0, is_key_of_key: 0, is_attraction: 0, is_central_budget: 0, is_special_bond: 0,
  stats_entered: 0, is_package: 0,
} as const;
const PLAN_DEFAULTS = { planned_investment: 0, completed_before_year: 0, plan_new_start: 0, plan_completion: 0, plan_production: 0, list_kind: 'initial' } as const;
const FUNDS = ['fund_central', 'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond'];

/** `keyOfKey`: a 项目级别 cell that names the city's 重中之重 marker. */
type Read = { ok: true; value: Value; warning?: string; keyOfKey?: boolean } | { ok: false; reason: string } | undefined;

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
    case 'levels': {
      const r = parseLevels(text);
      if ('unknown' in r) return { ok: false, reason: `无法识别“${r.unknown}”，可填 国家重点、省重点、市重点、县重点（可多选，用顿号分隔，如“省重点、市重点”），市级重中之重填“市重中之重”` };
      return { ok: true, value: r.levels.join(','), keyOfKey: r.keyOfKey };
    }
    case 'tick': {
      const b = parseTick(typeof cell === 'boolean' || typeof cell === 'number' ? cell : text);
      return b === undefined ? { ok: false, reason: `应打“√”或填“是”“否”：${text}` } : { ok: true, value: b ? 1 : 0 };
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
  private readonly deps: Deps;
  private readonly db: Kysely<DB>;
  private readonly repositoryFor: (executor: Executor) => ImportRepository;
  private readonly bulkChunkRows: number | undefined;
  constructor(deps: Deps, repositoryFor: (executor: Executor) => ImportRepository, options: { bulkChunkRows?: number } = {}) {
    this.deps = deps;
    this.db = deps.db;
    this.repositoryFor = repositoryFor;
    this.bulkChunkRows = options.bulkChunkRows;
  }

  /** Rows per batch between two yields of the read and matching loops (the write chunk size when one is set). */
  private get yieldEvery(): number {
    return Math.max(1, this.bulkChunkRows ?? YIELD_EVERY_ROWS);
  }

  /** A chunk boundary of a long import: other requests run, then the test hook (if any). */
  private async pause(opts: ImportOptions, phase: ChunkBoundary['phase'], done: number): Promise<void> {
    await yieldToEventLoop();
    await opts.onChunk?.({ phase, done });
  }

  /**
   * Reads the upload, reports every problem and what would happen to each row; unless `dryRun`, applies all of it
   * in one transaction when there is no error (all or nothing). Importing the same file twice changes nothing.
   */
  async importFile(actor: Actor, buf: Buffer, opts: ImportOptions): Promise<ImportReport> {
    const started = performance.now(); // a duration, not "now": the monotonic clock
    const fileSha256 = crypto.createHash('sha256').update(buf).digest('hex');
    const limits = opts.limits ?? DEFAULT_LIMITS;
    // The sheets are held only while reading: the streaming reader keeps every shared string, which matching and
    // writing never need.
    let sheets: AsyncGenerator<SheetSource> | undefined;
    const info = await openUpload(buf, opts.fileName, { limits, mode: opts.mode }).then((o) => {
      sheets = o.sheets;
      return o.info;
    });
    const fields = opts.kind === 'plans' ? PLAN_FIELDS : opts.kind === 'monthly' ? MONTHLY_FIELDS : PROJECT_LIST_FIELDS;
    const log = new ProblemLog();
    const report: ImportReport = {
      kind: opts.kind, fileName: opts.fileName, format: info.format, reader: info.reader, encoding: info.encoding, dryRun: opts.dryRun, applied: false,
      sheets: [], summary: { rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errorRows: 0, errors: 0, warnings: 0, plansCreated: 0, plansUpdated: 0, packages: 0, subItems: 0 },
      problems: log.items, problemsTruncated: 0, outcomes: [], outcomesTruncated: 0, elapsedMs: 0, phaseMs: { read: 0, check: 0, write: 0 },
      duplicates: [],
    };
    const outcome = (o: RowOutcome) => {
      if (o.action === 'skip') report.summary.skipped++;
      if (report.outcomes.length < REPORT_CAP) report.outcomes.push(o);
      else report.outcomesTruncated++;
    };

    const parsed: ParsedRow[] = [];
    // The rows are read (and a CSV parsed) in batches with a yield to the event loop between them.
    let sinceYield = 0;
    const precomputeSearch = info.reader === 'stream' && opts.kind === 'projects';
    for await (const sheet of sheets!) {
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
      if (opts.sheet !== undefined && sheet.name !== opts.sheet) {
        // Another sheet was chosen: say what this one holds, import none of it.
        for (const row of head) if (row.number > layout.headerBottom && classifyRow(row, layout).type === 'data') sheetReport.dataRows++;
        while (!next.done) {
          if (classifyRow(next.value, layout).type === 'data') sheetReport.dataRows++;
          next = await rows.next();
        }
        sheetReport.chosen = false;
        sheetReport.note = '未选择该工作表，未导入';
        continue;
      }
      sheetReport.chosen = true;
      if (opts.kind === 'projects') {
        // Year and 1–N月 from headers, title rows and the sheet name (the wizard or CLI overrides).
        const period = inferPeriod(sheet.name, head, layout, { year: opts.year, month: opts.month });
        layout.titleYear = period.year;
        layout.titleMonth = period.month;
        sheetReport.period = describePeriod(period);
        for (const c of period.conflicts) log.add({ sheet: sheet.name, row: null, column: null, severity: 'error', message: `${c}：请改正，或在导入时指定年度和月份` });
      }
      this.checkLayout(sheet.name, layout, opts.kind, log, opts.defaultUnitId !== undefined);
      let group: string | undefined;
      // Hints of the last top heading (一、) and of the heading below it (（一）).
      const totals = opts.kind === 'projects' ? new TotalsCheck(layout) : undefined;
      let topHints: HeadingHints = {};
      let hints: HeadingHints = {};
      const letters = new Map<string, string>();
      for (const c of layout.columns) {
        letters.set(c.field.key, c.letter);
        if (c.field.key === 'years') letters.set('start_year', c.letter).set('end_year', c.letter);
      }
      // Packages: the last row that is no sub-item, its 序号, and whether a "其中：" block is open under it.
      let top: ParsedRow | undefined;
      let topSeq: string | undefined;
      let topStyle: string | undefined;
      let qizhong = false;
      const nameCol = layout.columns.find((c) => c.field.key === 'name')?.col;
      const take = (row: SheetRow) => {
        if (row.number <= layout.headerBottom) return;
        const cls = classifyRow(row, layout);
        if (cls.type === 'blank') return;
        if (cls.type !== 'data') {
          top = undefined;
          qizhong = false;
        }
        if (cls.type === 'total') totals?.total(row, cls.text);
        if (cls.type === 'heading') totals?.heading();
        if (cls.type === 'total') return outcome({ sheet: sheet.name, row: row.number, action: 'skip', reason: `合计行：${cls.text}` });
        if (cls.type === 'heading') {
          if (cls.group || cls.top) group = cls.group;
          if (cls.top) topHints = hints = headingHints(cls.text);
          else hints = { ...topHints, ...headingHints(cls.text) };
          return outcome({ sheet: sheet.name, row: row.number, action: 'skip', reason: `分组标题：${cls.text}` });
        }
        const nameCell = nameCol ? row.cells[nameCol - 1] : null;
        if (typeof nameCell === 'string' && /^\s*其\s*中\s*[:：]?\s*$/.test(nameCell) && top) {
          qizhong = true;
          return outcome({ sheet: sheet.name, row: row.number, action: 'skip', reason: `子项目标记行：${nameCell.trim()}` });
        }
        sheetReport.dataRows++;
        const p = this.parseRow(sheet.name, row, layout, letters, group, log);
        if (opts.kind === 'projects') p.hints = hints;
        // Pinyin costs ~8 µs a name: while the worker parses the workbook, this thread has the time.
        if (precomputeSearch && typeof p.values.name === 'string') p.searchText = { name: p.values.name, text: searchTextOf(p.values.name) };
        parsed.push(p);
        if (parsed.length % 5000 === 0) opts.onProgress?.({ phase: 'read', done: parsed.length });
        // A 所属打包项目 cell names the package itself; otherwise the numbering places the row.
        if (typeof p.values.package === 'string') {
          totals?.data(p.values, { packageName: p.values.package });
          return;
        }
        const seqCell = layout.seqCol ? row.cells[layout.seqCol - 1] ?? null : null;
        const seq = parseSeq(typeof seqCell === 'string' || typeof seqCell === 'number' ? seqCell : null);
        // Rows numbered （1）（2）… or ①② straight under a heading are a list of their own, not sub-items.
        const style = seq.kind === 'sub' ? seq.style : seq.kind;
        const sub = p.qizhong || (seq.kind === 'sub' && top !== undefined && style !== topStyle) || (qizhong && seq.kind === 'none' && layout.seqCol !== undefined);
        // The 合计/小计 check counts a package once, not again through its sub-items.
        totals?.data(p.values, { sub });
        if (!sub) {
          top = p;
          topSeq = seq.kind === 'major' ? seq.n : undefined;
          topStyle = style;
          qizhong = false;
          return;
        }
        const letter = layout.seqCol ? columnLetter(layout.seqCol) : null;
        if (!top) {
          p.hasError = true;
          log.add({ sheet: sheet.name, row: row.number, column: letters.get('name') ?? null, severity: 'error', message: '“其中：”子项目上方没有所属的打包项目行' });
          return;
        }
        if (seq.kind === 'sub' && seq.parent !== undefined && topSeq !== undefined && seq.parent !== topSeq) {
          p.hasError = true;
          log.add({ sheet: sheet.name, row: row.number, column: letter, severity: 'error', message: `子项目序号 ${cellText(seqCell)} 与上方打包项目的序号 ${topSeq} 不一致` });
          return;
        }
        p.parentRow = top;
        if (p.qizhong) qizhong = true;
      };
      for (const row of head) take(row);
      while (!next.done) {
        take(next.value);
        if (++sinceYield === this.yieldEvery) {
          sinceYield = 0;
          await this.pause(opts, 'read', parsed.length);
        }
        next = await rows.next();
      }
      for (const w of totals?.finish() ?? []) log.add({ sheet: sheet.name, row: w.row, column: w.column, severity: 'warning', message: w.message });
    }
    sheets = undefined;
    const tables = report.sheets.filter((sh) => sh.headerRows);
    if (opts.sheet !== undefined && !tables.some((sh) => sh.name === opts.sheet)) {
      const names = report.sheets.map((sh) => sh.name);
      throw new AppError('validation_failed', names.includes(opts.sheet)
        ? `工作表“${opts.sheet}”中未找到表头；含表格的工作表：${tables.map((sh) => sh.name).join('、') || '无'}`
        : `工作簿中没有名为“${opts.sheet}”的工作表；工作表有：${names.join('、')}`, report);
    }
    if (opts.sheet === undefined && tables.length > 1) {
      // Every table was read and checked (the report says what each holds); nothing is written until one is chosen.
      log.add({ sheet: '', row: null, column: null, severity: 'error', message: `工作簿中有 ${tables.length} 个工作表含表格：${tables.map((sh) => `「${sh.name}」（${sh.dataRows} 行${sh.period ? `，${sh.period.replace(/（.*$/, '')}` : ''}）`).join('、')}。请选择要导入的一个工作表（命令行 --sheet，导入向导中选择工作表）` });
      // Rows are not matched across sheets (two periods of one list would read as repeated projects): the report
      // says what each sheet holds, and the choice comes first.
      for (const sh of tables) sh.chosen = false;
      report.outcomes = [];
      report.outcomesTruncated = 0;
      report.summary.rows = parsed.length;
      report.summary.errors = log.errors;
      report.summary.warnings = log.warnings;
      report.problemsTruncated = log.truncated;
      report.elapsedMs = Math.round(performance.now() - started);
      return report;
    }
    opts.onProgress?.({ phase: 'read', done: parsed.length, total: parsed.length });
    report.phaseMs.read = Math.round(performance.now() - started);
    if (!report.sheets.some((s) => s.headerRows)) {
      throw new AppError('unprocessable', report.sheets.length ? '文件中没有可识别的表格：未找到包含“项目名称”等列的表头。请使用系统模板，或检查表头文字' : '文件中没有工作表或内容为空', report);
    }
    if (!parsed.length) {
      log.add({ sheet: report.sheets[0]!.name, row: null, column: null, severity: 'error', message: '表头下没有数据行' });
    }

    // Matching below probes indexes chunk by chunk: the planner must know how large the tables have become.
    await this.repositoryFor(this.db).refreshPlannerStatistics();
    if (opts.kind === 'monthly') {
      await this.importMonthly(actor, parsed, opts, log, outcome, report, fileSha256);
    } else {
      await this.importProjects(actor, parsed, opts, log, outcome, report, fileSha256);
    }
    report.summary.rows = parsed.length;
    report.summary.errors = log.errors;
    report.summary.warnings = log.warnings;
    report.problemsTruncated = log.truncated;
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  }

  private async importProjects(actor: Actor, parsed: ParsedRow[], opts: ImportOptions, log: ProblemLog, outcome: (o: RowOutcome) => void, report: ImportReport, fileSha256: string): Promise<void> {
    const run = async (executor: Executor, write: boolean) => {
      const checking = performance.now();
      report.duplicates.length = 0;
      const plan = await this.planRows(actor, this.repositoryFor(executor), parsed, opts, log, outcome, executor, report.duplicates);
      Object.assign(report.summary, plan.counts);
      report.proposals = plan.fd.proposals(plan.areaNames);
      report.phaseMs.check = Math.round(performance.now() - checking);
      if (write && log.errors === 0) {
        const writing = performance.now();
        const progress = await this.write(actor, this.repositoryFor(executor), plan, opts, executor);
        if (progress) report.progress = progress;
        report.phaseMs.write = Math.round(performance.now() - writing);
        await this.recordApply(executor, actor, opts, fileSha256, plan.counts, plan.audit);
        report.applied = true;
      }
    };
    if (opts.dryRun || log.errors > 0) {
      await run(this.db, false);
    } else {
      await inTransaction(this.db, async (trx) => run(trx, true));
      // A large import changes the tables' sizes by orders of magnitude: let every later query plan for that.
      await this.repositoryFor(this.db).refreshPlannerStatistics();
      // What the first read would otherwise recompute (indicator groups, light snapshots) is brought up to date now.
      if (report.applied) {
        await IndicatorService.syncAfterBulkWrite(this.db);
        await refreshLightsAfterBulkWrite(this.db);
      }
    }
  }

  /**
   * The audit trail of an applied import, in its transaction: one event for the file with its counts, and (up to
   * AUDIT_PER_PROJECT_LIMIT updated projects) one per updated project with the changed fields before and after.
   */
  private async recordApply(executor: Executor, actor: Actor, opts: ImportOptions, fileSha256: string, counts: Record<string, number | string>, changes: Map<number, ProjectChange>): Promise<void> {
    const perProject = changes.size <= AUDIT_PER_PROJECT_LIMIT;
    await this.deps.audit.record(executor, actor, {
      action: 'import.apply', entityType: 'import', entityId: fileSha256,
      details: { file_name: opts.fileName, sha256: fileSha256, kind: opts.kind, ...counts, per_project_events: perProject },
    });
    if (!perProject) return;
    for (const [id, change] of changes) {
      await this.deps.audit.record(executor, actor, {
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

  private checkLayout(sheet: string, layout: SheetLayout, kind: ImportKind, log: ProblemLog, hasDefaultUnit = false): void {
    const has = (k: string) => layout.columns.some((c) => c.field.key === k);
    if (!has('name')) log.add({ sheet, row: layout.headerTop, column: null, severity: 'error', message: '缺少“项目名称”列' });
    if (kind === 'projects' && !has('unit') && !hasDefaultUnit) {
      log.add({ sheet, row: layout.headerTop, column: null, severity: 'warning', message: has('lead_unit') ? '没有“责任单位”列：以“牵头单位”作为责任单位' : '缺少“责任单位”列：新项目无法建立，只能更新已有项目' });
    }
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
      if (r.keyOfKey && values.is_key_of_key === undefined) values.is_key_of_key = 1;
      if (col.field.key === 'years' && typeof r.value === 'string') {
        const [start, end] = r.value.split('-').map(Number);
        values.start_year = start!;
        values.end_year = end!;
      } else {
        values[col.field.key] = r.value;
      }
    }
    if (values.campaign_group === undefined && group) values.campaign_group = group;
    // "其中：道路工程": a sub-item of the package above; the marker is not part of its name.
    if (typeof values.name === 'string' && QIZHONG.test(values.name)) {
      const name = values.name.replace(QIZHONG, '').trim();
      if (name) values.name = name;
      else delete values.name;
      parsed.qizhong = true;
    }
    const total = values.total_investment;
    const funds = FUNDS.reduce((s, k) => s + Number(values[k] ?? 0), 0);
    if (typeof total === 'number' && funds > total) {
      log.add({ sheet, row: row.number, column: letters.get('total_investment') ?? null, severity: 'warning', message: '资金来源合计大于总投资，请核对' });
    }
    // A month-by-month plan: blank months are 0, and the months must add up to the year's plan.
    if (PLAN_MONTH_COLUMNS.some((c) => values[c] !== undefined)) {
      for (const c of PLAN_MONTH_COLUMNS) values[c] ??= 0;
      const sum = PLAN_MONTH_COLUMNS.reduce((acc, c) => acc + Number(values[c]), 0);
      const planned = values.planned_investment;
      const column = letters.get(PLAN_MONTH_COLUMNS.find((c) => letters.has(c))!) ?? null;
      if (typeof planned !== 'number') {
        parsed.hasError = true;
        log.add({ sheet, row: row.number, column, severity: 'error', message: '填写分月计划时须同时填写年度计划投资' });
      } else if (sum !== planned) {
        parsed.hasError = true;
        log.add({ sheet, row: row.number, column, severity: 'error', message: `各月计划之和（${formatWan(sum)} 万元）与年度计划投资（${formatWan(planned)} 万元）不一致` });
      }
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
    if (opts.reportStatus === 'approved' && !roleHas(actor.role, 'report.review')) {
      throw new AppError('forbidden', '只有审核人员（发改部门）可以将导入的月报直接作为已审核数据');
    }
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
    const codes = [...new Set(parsed.map((r) => r.values.code).filter((c): c is string => typeof c === 'string'))];
    const names = [...new Set(parsed.map((r) => r.values.name).filter((n): n is string => typeof n === 'string').map(foldText))];
    const regions = await repo.listRegions();
    // The keys are read a batch of codes and names at a time, with a yield between batches (the lookups of 100k
    // rows are a few hundred synchronous queries on SQLite).
    const keyById = new Map<number, ProjectKey>();
    for (let i = 0; i < Math.max(codes.length, names.length); i += this.yieldEvery) {
      for (const k of await repo.listProjectKeys(codes.slice(i, i + this.yieldEvery), names.slice(i, i + this.yieldEvery), actor.scope)) keyById.set(k.id, k);
      await this.pause(opts, 'match', i);
    }
    const keys = [...keyById.values()];
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
      const name = k.name_key;
      const list = idsByName.get(name);
      if (list) list.push({ id: k.id, region: k.region_code });
      else idsByName.set(name, [{ id: k.id, region: k.region_code }]);
    }
    const targets: { row: ParsedRow; projectId: number }[] = [];
    const seen = new Map<number, ParsedRow>();
    const skip = opts.duplicates === 'skip';
    const repeats = new Map<ParsedRow, ImportDuplicate>();
    for (const [i, row] of parsed.entries()) {
      if (i > 0 && i % this.yieldEvery === 0) await this.pause(opts, 'match', i);
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
        else if (found.length > 1) {
          report.duplicates.push({ sheet: row.sheet, rows: [row.row], name: String(v.name), region: typeof v.region === 'string' ? v.region : null, stored: found.length, skipped: skip && !row.hasError });
          if (skip && !row.hasError) {
            row.duplicateOf = 0;
            log.add({ sheet: row.sheet, row: row.row, column: row.letters.get('region') ?? null, severity: 'warning', message: `有 ${found.length} 个同名同地区项目，无法确定是哪一个，已跳过本行（请填写项目代码）` });
            continue;
          }
          err(row, 'region', `有 ${found.length} 个同名项目，请填写项目代码或所属地区（或选择跳过重复行导入其余行）`);
        }
      }
      if (projectId === undefined) {
        if (!row.hasError) err(row, typeof v.code === 'string' ? 'code' : 'name', `未找到项目“${String(v.name ?? v.code ?? '')}”（按项目代码或名称+地区匹配）`);
        continue;
      }
      const first = seen.get(projectId);
      if (first !== undefined) {
        let d = repeats.get(first);
        if (!d) {
          d = { sheet: first.sheet, rows: [first.row], name: String(first.values.name ?? v.name ?? ''), region: typeof first.values.region === 'string' ? first.values.region : null, skipped: skip };
          repeats.set(first, d);
          report.duplicates.push(d);
        }
        d.rows.push(row.row);
        if (skip) {
          row.duplicateOf = first.row;
          log.add({ sheet: row.sheet, row: row.row, column: row.letters.get('name') ?? null, severity: 'warning', message: `与第 ${first.row} 行是同一项目，已跳过本行（以第 ${first.row} 行为准）` });
          continue;
        }
        err(row, 'name', `与第 ${first.row} 行是同一项目，请删除重复行（或选择跳过重复行导入其余行）`);
      } else seen.set(projectId, row);
      if (v.stage === 'planning' || v.stage === 'paused') err(row, 'stage', '月报中的建设阶段只能是前期、签约、开工在建、竣工或投产（停工、复工请在项目中办理）');
      if (!row.hasError) targets.push({ row, projectId });
    }

    const FIELDS = ['amount_month', 'amount_ytd', 'negative_reason', 'stage', 'stage_date', 'progress_text', 'workers', 'problems', 'next_plan', 'stats_entered', 'stats_code', 'stats_reason'] as const;
    const status = opts.reportStatus ?? 'draft';
    report.reportStatus = status;
    const actions = new Map<ParsedRow, { action: RowAction; projectId: number; changes?: string[] }>();
    if (period && log.errors === 0) {
      const { year, month } = period;
      const inputs: BulkReportInput[] = targets.map((t) => {
        const fields: Record<string, unknown> = {};
        for (const f of FIELDS) if (t.row.values[f] !== undefined) fields[f] = t.row.values[f];
        return { project_id: t.projectId, fields: fields };
      });
      const label = (f: string) => MONTHLY_FIELDS.find((d) => d.key === f)?.label ?? f;
      // Rows are read and checked outside the write transaction (other requests interleave meanwhile); the
      // transaction holds only the set-based writes, which re-check versions and re-chain from the month written.
      const run = async (write: boolean) => {
        const bulk = new ReportBulkService(this.deps, { chunkRows: this.bulkChunkRows, onChunk: opts.onChunk });
        const checked = await bulk.checkMonth(actor, year, month, inputs, status);
        report.phaseMs.check = checked.checkMs;
        for (const e of checked.errors) err(targets[e.index]!.row, e.field, e.message);
        for (const [i, o] of checked.outcomes.entries()) {
          if (o) actions.set(targets[i]!.row, { action: o.action, projectId: targets[i]!.projectId, changes: o.changed?.map(label) });
        }
        if (!write || log.errors > 0) return;
        const writing = performance.now();
        // Up to BULK_CHUNK_ROWS rows are one transaction; a larger file commits in chunks (see writeMonth) and the
        // file's audit event commits with the last.
        await bulk.writeMonth(actor, checked, record);
        report.phaseMs.write = Math.round(performance.now() - writing);
        report.applied = true;
      };
      const record = async (executor: Executor) => {
        const tally = { created: 0, updated: 0, unchanged: 0 };
        for (const a of actions.values()) {
          if (a.action === 'create') tally.created++;
          else if (a.action === 'update') tally.updated++;
          else if (a.action === 'unchanged') tally.unchanged++;
        }
        // One summary event for the whole file: the reports themselves carry who saved, submitted or approved them.
        await this.recordApply(executor, actor, opts, fileSha256, { ...tally, year, month, status, skipped_duplicates: parsed.filter((r) => r.duplicateOf !== undefined).length }, new Map());
      };
      try {
        await run(!opts.dryRun);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        log.add({ sheet: parsed[0]!.sheet, row: null, column: null, severity: 'error', message: e.message });
      }
      if (report.applied) {
        const writing = performance.now();
        // What a read would otherwise recompute lazily is brought up to date now: group facts of projects that
        // approved rows moved (stage, statistics entry), light snapshots of the year.
        await IndicatorService.syncAfterBulkWrite(this.db);
        await refreshLightsAfterBulkWrite(this.db, { year, month });
        report.phaseMs.write += Math.round(performance.now() - writing);
      }
    }
    const counts = { created: 0, updated: 0, unchanged: 0, errorRows: 0 };
    for (const row of parsed) {
      if (row.duplicateOf !== undefined && !row.hasError) {
        outcome({ sheet: row.sheet, row: row.row, action: 'skip', name: String(row.values.name ?? ''), reason: row.duplicateOf ? `与第 ${row.duplicateOf} 行重复，已跳过` : '同名同地区项目不唯一，已跳过' });
        continue;
      }
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

  /**
   * Resolves references, matches projects, and decides per row: create, update, unchanged or error. Packages first:
   * a sub-item's parent (a row of the file or a stored project) is resolved before the sub-item itself.
   */
  private async planRows(actor: Actor, repo: ImportRepository, rows: ParsedRow[], opts: ImportOptions, log: ProblemLog, outcome: (o: RowOutcome) => void, executor: Executor, duplicates: ImportDuplicate[] = []) {
    // Only the projects the file can name are read: by code, by folded name, by a package's name or code.
    const fileCodes = new Set<string>();
    const fileNames = new Set<string>();
    for (const row of rows) {
      const { code, name, package: pkg } = row.values;
      if (typeof code === 'string') fileCodes.add(code);
      if (typeof name === 'string') fileNames.add((row.nameKey = foldText(name)));
      if (typeof pkg === 'string') {
        const asCode = normalizeProjectCode(pkg);
        if (!checkProjectCode(asCode)) fileCodes.add(asCode);
        else fileNames.add(foldText(pkg));
      }
    }
    const [regions, units, keys] = await Promise.all([repo.listRegions(), repo.listUnits(), repo.listProjectKeys([...fileCodes], [...fileNames])]);
    // The office's jurisdiction, region names resolved inside it, unit names matched or proposed (first-day.ts).
    const fd = await firstDayContext(executor, regions, units);
    const knownUnitIds = new Set(units.map((u) => u.id));
    const areaNames = new Map<string, number>();
    const noted = new Set<string>();
    if (opts.defaultUnitId !== undefined && !knownUnitIds.has(opts.defaultUnitId)) {
      log.add({ sheet: rows[0]?.sheet ?? '', row: null, column: null, severity: 'error', message: `所选的默认责任单位（编号 ${opts.defaultUnitId}）不存在` });
    }
    // Region and unit names repeat on every row: fold each distinct text once.
    const folded = new Map<string, string>();
    const fold = (text: string) => {
      let f = folded.get(text);
      if (f === undefined) folded.set(text, (f = foldText(text)));
      return f;
    };
    const regionsByName = groupBy(regions, (r) => [fold(r.name)]);
    const unitById = new Map(units.map((u) => [u.id, u]));
    const keyById = new Map(keys.map((k) => [k.id, k]));
    const keyByCode = new Map(keys.filter((k) => k.code).map((k) => [k.code!, k]));
    const keysByNameRegion = groupBy(keys, (k) => [`${k.name_key}|${k.region_code}`]);
    const keysByName = groupBy(keys, (k) => [k.name_key]);
    const subByParentName = new Map(keys.filter((k) => k.parent_id !== null).map((k) => [`${k.parent_id}|${k.name_key}`, k]));

    const resolved = new Map<ParsedRow, Resolved>();
    const claimed = new Map<string, ParsedRow>(); // target key → first row
    // Repeated projects, listed in the report whichever the duplicates option.
    const repeats = new Map<ParsedRow, ImportDuplicate>();
    const repeatOf = (first: ParsedRow, row: ParsedRow, name: string, region: string | null) => {
      let d = repeats.get(first);
      if (!d) {
        d = { sheet: first.sheet, rows: [first.row], name, region, skipped: false };
        repeats.set(first, d);
        duplicates.push(d);
      }
      d.rows.push(row.row);
      return d;
    };
    const err = (row: ParsedRow, field: string | null, message: string) => {
      row.hasError = true;
      log.add({ sheet: row.sheet, row: row.row, column: field ? row.letters.get(field) ?? null : null, severity: 'error', message });
    };
    // A negative id stands for a unit this import creates (write() swaps in the real one).
    const findUnit = (row: ParsedRow, field: 'unit' | 'lead_unit', text: string): number | undefined => {
      const a = fd.unit(text, field === 'unit' ? '责任单位' : '牵头单位', opts, knownUnitIds);
      if ('error' in a) {
        err(row, field, a.error);
        return undefined;
      }
      if (a.note && !noted.has(text)) {
        noted.add(text);
        log.add({ sheet: row.sheet, row: row.row, column: row.letters.get(field) ?? null, severity: 'warning', message: a.note });
      }
      return a.id;
    };
    // Stand-alone projects first, then sub-items (a lone sub-item with that name is matched too).
    const pickByName = (candidates: ProjectKey[] | undefined): ProjectKey | undefined => {
      if (!candidates?.length) return undefined;
      const tops = candidates.filter((k) => k.parent_id === null);
      if (tops.length) return tops[0];
      return candidates.length === 1 ? candidates[0] : undefined;
    };

    /** Resolves one row; `parent` is set for a sub-item of a package. */
    const resolve = (row: ParsedRow, parent?: ParentRef): Resolved => {
      const v = row.values;
      const name = v.name as string;
      const nameFold = row.nameKey ?? foldText(name);
      const parentKey = parent?.id !== undefined ? keyById.get(parent.id) : undefined;
      const parentId = parent?.resolved?.projectId ?? parent?.id;
      // Unit; a sheet without a 责任单位 column takes the lead unit as the responsible unit.
      let unitId: number | undefined;
      const unitText = row.letters.has('unit') ? v.unit : v.lead_unit;
      if (typeof unitText === 'string') unitId = findUnit(row, row.letters.has('unit') ? 'unit' : 'lead_unit', unitText);
      else if (opts.defaultUnitId !== undefined && !parent) unitId = opts.defaultUnitId;
      let leadUnitId: number | undefined;
      if (typeof v.lead_unit === 'string') leadUnitId = unitId !== undefined && !row.letters.has('unit') ? unitId : findUnit(row, 'lead_unit', v.lead_unit);
      // Region
      let regionCode: string | undefined;
      const regionText = v.region;
      if (typeof regionText === 'string') {
        const t = regionText.normalize('NFKC').trim();
        const res = fd.resolver.resolve(t);
        if (res.ok) regionCode = res.code;
        else {
          // Still ambiguous: the responsible unit's region may tell.
          let found = regionsByName.get(fold(t)) ?? [];
          if (found.length > 1 && unitId !== undefined && unitId > 0) {
            const unitRegion = unitById.get(unitId)?.region_code;
            const unitPath = unitRegion ? fd.resolver.find(unitRegion)?.path : undefined;
            found = unitPath ? found.filter((r) => r.path.startsWith(unitPath) || unitPath.startsWith(r.path)) : [];
          } else found = [];
          if (found.length === 1) regionCode = found[0]!.code;
          else if (res.area !== undefined) {
            areaNames.set(res.area, (areaNames.get(res.area) ?? 0) + 1);
            if (opts.createMissing && fd.jurisdiction) regionCode = fd.area(res.area);
            else err(row, 'region', res.message);
          } else err(row, 'region', res.message);
        }
      } else if (unitId !== undefined && !parent) {
        regionCode = (unitId < 0 ? fd.pendingUnitRegion(unitId) : unitById.get(unitId)?.region_code) ?? undefined;
      }
      // A list without a 所属地区 column is the office's own jurisdiction.
      if (!regionCode && v.region === undefined && !parent && fd.jurisdiction) regionCode = fd.jurisdiction.code;
      // A new sub-item left blank takes its package's region and unit (the region also serves to match it).
      const inheritsRegion = parent !== undefined && v.region === undefined;
      if (inheritsRegion) regionCode = parent.resolved?.regionCode ?? parentKey?.region_code;
      const inheritedUnit = parent && unitText === undefined ? (parent.resolved?.unitId ?? parentKey?.unit_id) : undefined;
      // Match: national code first, else (a sub-item) name within its package, else name + region.
      const code = v.code;
      let projectId: number | undefined;
      if (typeof code === 'string') projectId = keyByCode.get(code)?.id;
      if (projectId === undefined && parentId !== undefined) projectId = subByParentName.get(`${parentId}|${nameFold}`)?.id;
      if (projectId === undefined && regionCode) {
        const candidates = keysByNameRegion.get(`${nameFold}|${regionCode}`);
        // A sub-item may take over a stand-alone project of that name, never another package's sub-item.
        const byName = parent ? candidates?.find((k) => k.parent_id === null && !k.is_package) : pickByName(candidates);
        if (byName) {
          if (typeof code === 'string' && byName.code && byName.code !== code) {
            err(row, 'code', `同名同地区的已有项目代码为 ${byName.code}，与本行 ${code} 不一致`);
          } else {
            projectId = byName.id;
          }
        }
      }
      if (typeof code === 'string' && projectId !== undefined && keyByCode.has(code) && keyByCode.get(code)!.id !== projectId) {
        err(row, 'code', `项目代码 ${code} 已被其他项目使用`);
      }
      if (parent && projectId !== undefined) {
        const matched = keyById.get(projectId);
        if (projectId === parentId) err(row, 'name', '子项目不能是其所属打包项目本身');
        else if (matched?.is_package && matched.parent_id === null) err(row, 'name', `“${name}”已是有子项目的打包项目，不能再作为子项目`);
      }
      if (projectId === undefined && !row.hasError) {
        if (opts.kind === 'plans') err(row, 'name', `未找到项目“${name}”（按项目代码或名称+地区匹配），请先导入项目清单`);
        else {
          if (unitId === undefined && inheritedUnit === undefined && unitText === undefined) err(row, 'unit', '新项目须填写责任单位');
          if (!regionCode && v.region === undefined) err(row, 'region', '新项目须填写所属地区');
        }
      }
      // One file may not name the same project twice.
      const parentTarget = parent?.resolved?.target ?? (parent?.id !== undefined ? `id:${parent.id}` : '');
      const target = projectId !== undefined ? `id:${projectId}` : typeof code === 'string' ? `code:${code}`
        : parent ? `sub:${parentTarget}|${nameFold}` : `name:${nameFold}|${regionCode ?? ''}`;
      const first = claimed.get(target);
      if (first !== undefined) {
        const d = repeatOf(first, row, name, typeof v.region === 'string' ? v.region : regionCode ?? null);
        if (opts.duplicates === 'skip') {
          row.duplicateOf = first.row;
          log.add({ sheet: row.sheet, row: row.row, column: row.letters.get('name') ?? null, severity: 'warning', message: `与第 ${first.row} 行是同一项目，已跳过本行（以第 ${first.row} 行为准）` });
        } else {
          err(row, 'name', `与第 ${first.row} 行是同一项目，请删除重复行（或选择跳过重复行导入其余行）`);
        }
        d.skipped = opts.duplicates === 'skip';
      } else claimed.set(target, row);
      // Plan year.
      const year = (v.list_year as number | undefined) ?? row.titleYear ?? opts.year;
      // A list's plan carries the year's planned starts, completions and productions by heading or by date.
      if (opts.kind === 'projects' && year !== undefined && v.planned_investment !== undefined) derivePlanFields(v, year, row.hints);
      const hasPlan = PLAN_KEYS.some((k) => v[k] !== undefined);
      if (hasPlan && year === undefined) err(row, 'planned_investment', '无法确定计划年度：请增加“年度”列，或在表头上方标题中写明年份');
      // Progress to date (1–N月累计, 形象进度) needs its period; text alone without one is left out.
      let progress: { year: number; month: number } | undefined;
      if (v.progress_ytd !== undefined || v.progress_text !== undefined) {
        const month = row.titleMonth ?? opts.month;
        if (year !== undefined && month !== undefined) progress = { year, month };
        else if (v.progress_ytd !== undefined) err(row, 'progress_ytd', '无法确定累计完成投资所属的填报期：请在列标题或标题中写明“1-N月”（如“1-5月累计完成投资”），或在导入时指定年度和月份');
      }
      // A stored project keeps its own region and unit where the file leaves them blank.
      const inherits = projectId !== undefined;
      return {
        row, projectId, regionCode: inherits && inheritsRegion ? undefined : regionCode, unitId: unitId ?? (inherits ? undefined : inheritedUnit),
        leadUnitId, year: hasPlan ? year : undefined, target, parent, progress,
      };
    };

    // Pass 1: rows that are no sub-item. Pass 2: sub-items, whose packages are resolved by then.
    const isSub = (row: ParsedRow) => row.parentRow !== undefined || typeof row.values.package === 'string';
    // Rows by name and code, for 所属打包项目 cells only: 100k entries cost memory when no row needs them.
    const hasPackageColumn = rows.some((r) => typeof r.values.package === 'string');
    const topsByName = new Map<string, Resolved[]>();
    const topsByCode = new Map<string, Resolved>();
    let n = 0;
    for (const pass of [1, 2]) {
      for (const row of rows) {
        if ((pass === 1) === isSub(row)) continue;
        if (++n % 5000 === 0) opts.onProgress?.({ phase: 'check', done: n, total: rows.length });
        if (typeof row.values.name !== 'string') {
          if (!row.hasError) err(row, 'name', '项目名称为空');
          continue;
        }
        let parent: ParentRef | undefined;
        if (pass === 2) {
          parent = this.findPackage(row, resolved, topsByName, topsByCode, keyByCode, keysByName, err);
          if (!parent) continue;
        }
        const r = resolve(row, parent);
        resolved.set(row, r);
        if (pass === 1 && hasPackageColumn) {
          if (typeof row.values.code === 'string') topsByCode.set(row.values.code, r);
          const key = row.nameKey ?? foldText(row.values.name);
          const list = topsByName.get(key);
          if (list) list.push(r);
          else topsByName.set(key, [r]);
        }
      }
    }

    // Scope: rows may only touch projects the actor can see.
    const all = [...resolved.values()];
    const matchedIds = [...new Set(all.map((r) => r.projectId).filter((x): x is number => x !== undefined))];
    const packageIds = [...new Set(all.map((r) => r.parent?.id).filter((x): x is number => x !== undefined))];
    const inScope = await repo.listIdsInScope([...new Set([...matchedIds, ...packageIds])], actor.scope);
    const current = new Map((await repo.listProjects(matchedIds.filter((id) => inScope.has(id)))).map((p) => [p.id, p]));
    const currentLevels = await repo.listLevels(matchedIds.filter((id) => inScope.has(id)));
    const planKeys = new Map<number, number[]>();
    for (const r of all) {
      if (r.projectId === undefined || r.year === undefined) continue;
      const ids = planKeys.get(r.year);
      if (ids) ids.push(r.projectId);
      else planKeys.set(r.year, [r.projectId]);
    }
    const plans = new Map<string, Awaited<ReturnType<ImportRepository['listPlans']>>[number]>();
    for (const [year, ids] of planKeys) for (const p of await repo.listPlans(ids, year)) plans.set(`${p.project_id}|${year}`, p);
    // Rows that sub-items follow become packages.
    const packageRows = new Set(all.map((r) => r.parent?.resolved).filter((x): x is Resolved => x !== undefined));

    const creates: CreateWrite[] = [];
    const updates: UpdateWrite[] = [];
    const planInserts: { projectId: number; plan: PlanWrite }[] = [];
    const planUpdates: { id: number; projectId: number; year: number; version: number; patch: Updateable<AnnualPlanTable> }[] = [];
    const levelWrites: { projectId: number; levels: string[] }[] = [];
    const markPackages = new Set<number>();
    const progressRows: Resolved[] = [];
    const counts = { created: 0, updated: 0, unchanged: 0, errorRows: 0, plansCreated: 0, plansUpdated: 0, packages: 0, subItems: 0, statsBlank: 0 };
    // Per updated project, the changed fields before and after (plans under `plan_<year>`), for the audit trail.
    const audit = new Map<number, ProjectChange>();
    const changeOf = (id: number): ProjectChange => {
      let c = audit.get(id);
      if (!c) audit.set(id, (c = { before: {}, after: {} }));
      return c;
    };

    for (const row of rows) {
      const r = resolved.get(row);
      const name = typeof row.values.name === 'string' ? row.values.name : '';
      if (r?.projectId !== undefined && !inScope.has(r.projectId)) err(row, 'name', '该项目不在您的管理范围内，不能修改');
      if (r?.parent?.id !== undefined && !inScope.has(r.parent.id)) err(row, 'package', '所属打包项目不在您的管理范围内');
      // A sub-item of a package row with errors cannot be placed.
      const parentRow = r?.parent?.resolved?.row;
      if (parentRow?.hasError && !row.hasError) err(row, 'package', `所属打包项目（第 ${parentRow.row} 行）有错误，请先修正该行`);
      if (row.duplicateOf !== undefined && !row.hasError) {
        outcome({ sheet: row.sheet, row: row.row, action: 'skip', name, reason: `与第 ${row.duplicateOf} 行重复，已跳过` });
        continue;
      }
      if (!r || row.hasError) {
        counts.errorRows++;
        outcome({ sheet: row.sheet, row: row.row, action: 'error', name });
        continue;
      }
      if (r.parent) counts.subItems++;
      if (packageRows.has(r)) counts.packages++;
      const fieldsOf = () => projectValues(r, opts.kind, packageRows.has(r));
      const planOf = (): PlanWrite | undefined => {
        if (r.year === undefined) return undefined;
        const p: Record<string, Value> = {};
        for (const [k, column] of Object.entries(PLAN_COLUMN)) if (row.values[k] !== undefined) p[column] = row.values[k];
        return { year: r.year, values: p };
      };
      // A package created by this file gets its id only when written.
      const deferredParent = r.parent?.resolved && r.parent.resolved.projectId === undefined ? r.parent.resolved : undefined;
      if (r.parent?.id !== undefined) {
        const key = keyById.get(r.parent.id);
        if (key && !key.is_package) markPackages.add(r.parent.id);
      }
      const plan = planOf();
      if (r.progress) progressRows.push(r);
      const levels = opts.kind === 'plans' ? undefined : levelsOf(row, r.projectId !== undefined ? currentLevels.get(r.projectId) ?? [] : []);
      if (r.projectId === undefined) {
        counts.created++;
        if (plan) counts.plansCreated++;
        if (statsBlank(row)) counts.statsBlank++;
        // The row's column values are built when written, batch by batch: 100k copies held meanwhile cost ~100 MB.
        creates.push({ r, isPackage: packageRows.has(r), plan, levels, deferredParent });
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
      if (deferredParent) changes.push(labelFor('parent_id'));
      if (levels) {
        const before = LEVEL_CODES.filter((l) => currentLevels.get(r.projectId!)?.includes(l));
        if (before.join(',') !== levels.join(',')) {
          levelWrites.push({ projectId: r.projectId, levels });
          changes.push(labelFor('levels'));
          const c = changeOf(r.projectId);
          c.before.levels = before;
          c.after.levels = levels;
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
      if (Object.keys(patch).length || deferredParent) updates.push({ r, id: r.projectId, version: cur.version, patch: patch, deferredParent });
      if (changes.length) {
        counts.updated++;
        outcome({ sheet: row.sheet, row: row.row, action: 'update', name, projectId: r.projectId, changes });
      } else {
        counts.unchanged++;
        outcome({ sheet: row.sheet, row: row.row, action: 'unchanged', name, projectId: r.projectId });
      }
    }
    return { creates, updates, planInserts, planUpdates, levelWrites, markPackages: [...markPackages], counts, audit, fd, areaNames, progressRows };
  }

  /**
   * The package of a sub-item: the row above it that its 序号 or "其中：" placed it under, or the project its
   * 所属打包项目 cell names (a row of this file first, else a stored project, by code or by name). Undefined,
   * with the problem logged, when none or several fit.
   */
  private findPackage(row: ParsedRow, resolved: Map<ParsedRow, Resolved>, topsByName: Map<string, Resolved[]>, topsByCode: Map<string, Resolved>, keyByCode: Map<string, ProjectKey>,
    keysByName: Map<string, ProjectKey[]>, err: (row: ParsedRow, field: string | null, message: string) => void): ParentRef | undefined {
    const text = row.values.package;
    if (typeof text !== 'string') {
      const parent = resolved.get(row.parentRow!);
      if (parent) return { resolved: parent };
      err(row, 'name', `所属打包项目（第 ${row.parentRow!.row} 行）有错误，请先修正该行`);
      return undefined;
    }
    const region = typeof row.values.region === 'string' ? row.values.region.normalize('NFKC').trim() : undefined;
    const asCode = normalizeProjectCode(text);
    if (!checkProjectCode(asCode)) {
      const inFile = topsByCode.get(asCode);
      if (inFile) return { resolved: inFile };
      const key = keyByCode.get(asCode);
      if (key && key.parent_id === null) return { id: key.id };
      err(row, 'package', key ? `项目代码 ${asCode} 对应的项目本身是子项目，不能作为打包项目` : `所属打包项目代码 ${asCode} 不存在`);
      return undefined;
    }
    const nameFold = foldText(text);
    let inFile = topsByName.get(nameFold) ?? [];
    if (inFile.length > 1 && region) inFile = inFile.filter((r) => r.regionCode === region || r.row.values.region === row.values.region);
    if (inFile.length === 1) return { resolved: inFile[0]! };
    if (inFile.length > 1) {
      err(row, 'package', `本文件中有 ${inFile.length} 个名为“${text}”的项目，请改填打包项目的项目代码`);
      return undefined;
    }
    let stored = (keysByName.get(nameFold) ?? []).filter((k) => k.parent_id === null);
    if (stored.length > 1 && region) stored = stored.filter((k) => k.region_code === region);
    if (stored.length === 1) return { id: stored[0]!.id };
    err(row, 'package', stored.length > 1
      ? `系统中有 ${stored.length} 个名为“${text}”的项目，请改填打包项目的项目代码`
      : `所属打包项目“${text}”不存在：请在本文件中列出该打包项目，或先导入它`);
    return undefined;
  }

  private async write(actor: Actor, repo: ImportRepository, plan: Awaited<ReturnType<ImportService['planRows']>>, opts: ImportOptions, executor: Executor): Promise<ImportReport['progress']> {
    const now = this.deps.clock.now().toISOString();
    // Units and custom areas the file names that did not exist (createMissing), then their real ids and codes.
    const made = await applyFirstDayCreations(executor, plan.fd, now);
    const realUnit = (id: number | null | undefined) => (typeof id === 'number' && id < 0 ? made.units.get(id)! : id);
    const realRegion = (code: string | undefined) => (code?.startsWith('new:') ? made.areas.get(code)! : code);
    for (const c of plan.creates) {
      c.r.unitId = realUnit(c.r.unitId) ?? undefined;
      c.r.leadUnitId = realUnit(c.r.leadUnitId) ?? undefined;
      c.r.regionCode = realRegion(c.r.regionCode);
    }
    for (const u of plan.updates) {
      if (typeof u.patch.unit_id === 'number') u.patch.unit_id = realUnit(u.patch.unit_id) ?? undefined;
      if (typeof u.patch.lead_unit_id === 'number') u.patch.lead_unit_id = realUnit(u.patch.lead_unit_id);
      if (typeof u.patch.region_code === 'string') u.patch.region_code = realRegion(u.patch.region_code);
    }
    const total = plan.creates.length + plan.updates.length + plan.planInserts.length + plan.planUpdates.length;
    let done = 0;
    const tick = (k: number) => {
      done += k;
      opts.onProgress?.({ phase: 'write', done, total });
    };
    // Rows are built batch by batch so that 100k new projects never exist twice in memory. Packages created by
    // this file go first: their sub-items need their ids.
    const BATCH = 2000;
    // Two new projects may share a name and region only with different codes (the file's duplicate check).
    const keyOf = (parentId: number | null | undefined, nameKey: string, region: string | undefined, code: string | null | undefined) => `${parentId ?? ''}|${nameKey}|${region}|${code ?? ''}`;
    for (const wave of [plan.creates.filter((c) => !c.deferredParent), plan.creates.filter((c) => c.deferredParent)]) {
      for (let i = 0; i < wave.length; i += BATCH) {
        const part = wave.slice(i, i + BATCH);
        const rows: Insertable<ProjectTable>[] = part.map((c) => {
          const values = projectValues(c.r, opts.kind, c.isPackage) as unknown as Insertable<ProjectTable>;
          return {
            ...PROJECT_DEFAULTS, ...values,
            // A list without a 是否入库纳统 column leaves the project unknown, not "not entered"; a blank cell of a list
            // that has the column means "not entered", as in the office's own workbooks (issue 12).
            ...(values.stats_entered === undefined || values.stats_entered === null ? (c.r.row.letters.has('stats_entered') ? { stats_entered: 0 } : { stats_unknown: 1 }) : {}),
            ...(c.deferredParent ? { parent_id: c.deferredParent.newId } : {}),
            search_text: searchTextFor(c.r.row, values.name), created_at: now, updated_at: now, created_by: actor.userId, updated_by: actor.userId,
          };
        });
        const ids = new Map((await repo.insertProjects(rows)).map((p) => [keyOf(p.parent_id, p.search_text.split('|')[0]!, p.region_code, p.code), p.id]));
        part.forEach((c, k) => {
          const row = rows[k]!;
          const id = ids.get(keyOf(row.parent_id, c.r.row.nameKey ?? foldText(row.name), row.region_code, row.code));
          if (id === undefined) throw new AppError('internal', `新建项目“${row.name}”后未能找回其编号`);
          c.r.newId = id;
        });
        tick(rows.length);
      }
    }
    for (const u of plan.updates) {
      const patch: Updateable<ProjectTable> = { ...u.patch, updated_at: now, updated_by: actor.userId };
      if (u.deferredParent) patch.parent_id = u.deferredParent.newId;
      if (typeof u.patch.name === 'string') patch.search_text = searchTextFor(u.r.row, u.patch.name);
      if (!(await repo.updateProject(u.id, u.version, patch))) {
        throw new AppError('version_conflict', `第 ${u.r.row.row} 行的项目在导入期间被他人修改，本次导入未写入任何数据，请重新导入`);
      }
      tick(1);
    }
    await repo.markPackages(plan.markPackages);
    await repo.replaceLevels([
      ...plan.creates.filter((c) => c.levels?.length).map((c) => ({ projectId: c.r.newId!, levels: c.levels! })),
      ...plan.levelWrites,
    ]);
    const planRows: Insertable<AnnualPlanTable>[] = [];
    const planRow = (projectId: number, p: PlanWrite): Insertable<AnnualPlanTable> => ({ ...PLAN_DEFAULTS, ...p.values, project_id: projectId, year: p.year, created_at: now, updated_at: now });
    for (const c of plan.creates) if (c.plan) planRows.push(planRow(c.r.newId!, c.plan));
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
      // Appended in place: copying the list per plan made 100k new plans quadratic.
      const ids = rebase.get(r.year);
      if (ids) ids.push(r.project_id);
      else rebase.set(r.year, [r.project_id]);
    }
    for (const [year, ids] of rebase) await new ReportRepository(executor).rebaseSinceStart(ids, year);
    if (!plan.progressRows.length) return undefined;
    const writes: ProgressWrite[] = plan.progressRows.map((r) => ({
      projectId: r.projectId ?? r.newId!, year: r.progress!.year, month: r.progress!.month,
      ytd: typeof r.row.values.progress_ytd === 'number' ? r.row.values.progress_ytd : undefined,
      text: typeof r.row.values.progress_text === 'string' ? r.row.values.progress_text : undefined, where: `${r.row.sheet} 第${r.row.row}行`,
    }));
    const progress = await writeImportedProgress(executor, writes, opts.fileName, actor.userId, now);
    const first = writes[0]!;
    return { year: first.year, month: first.month, rows: writes.length, created: progress.created, updated: progress.updated };
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
  ['lead_unit_id', '牵头单位'], ['parent_id', '所属打包项目'], ['is_package', '设为打包项目'], ['levels', '项目级别'],
]);

/** A resolved row: the project it matches (or none: a new one), its references and, for a sub-item, its package. */
interface Resolved {
  row: ParsedRow;
  projectId?: number;
  regionCode?: string;
  unitId?: number;
  leadUnitId?: number;
  year?: number;
  /** The duplicate-check key this row claimed. */
  target: string;
  parent?: ParentRef;
  /** The id given when this file creates the project. */
  newId?: number;
  /** The period of the row's progress to date (1–N月累计, 形象进度), written as an imported monthly report. */
  progress?: { year: number; month: number };
}

/** A sub-item's package: a row of the file, or a stored project. */
interface ParentRef {
  resolved?: Resolved;
  id?: number;
}

interface CreateWrite {
  r: Resolved;
  isPackage: boolean;
  plan?: PlanWrite;
  levels?: string[];
  /** The package row created by this file, whose id the sub-item takes once written. */
  deferredParent?: Resolved;
}

interface UpdateWrite {
  r: Resolved;
  id: number;
  version: number;
  patch: Updateable<ProjectTable>;
  deferredParent?: Resolved;
}

/** The project columns a resolved row writes (none for a plan-only import). */
/** A row of a list that has a 是否入库纳统 column, with that cell blank (imported as not entered, and counted). */
function statsBlank(row: ParsedRow): boolean {
  return row.letters.has('stats_entered') && (row.values.stats_entered === undefined || row.values.stats_entered === null);
}

function projectValues(r: Resolved, kind: ImportKind, isPackage: boolean): Record<string, Value> {
  const out: Record<string, Value> = {};
  if (kind === 'plans') return out;
  for (const [k, v] of Object.entries(r.row.values)) {
    const column = PROJECT_COLUMN[k];
    if (column && k !== 'region' && k !== 'unit') out[column] = v;
  }
  if (r.regionCode) out.region_code = r.regionCode;
  if (r.unitId !== undefined) out.unit_id = r.unitId;
  if (r.leadUnitId !== undefined) out.lead_unit_id = r.leadUnitId;
  if (r.parent?.id !== undefined) out.parent_id = r.parent.id;
  else if (r.parent?.resolved?.projectId !== undefined) out.parent_id = r.parent.resolved.projectId;
  if (isPackage) out.is_package = 1;
  return out;
}

/** Items grouped under each of their keys. */
function groupBy<T>(items: readonly T[], keysOf: (item: T) => string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of keysOf(item)) {
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
  }
  return out;
}

/**
 * The level set a row asks for, undefined when it says nothing. A 项目级别 cell names the whole set; tick columns
 * then add (√) or remove (否) their level, and a blank tick counts as "no" when the row ticks another level and
 * has no 项目级别 cell. Levels without a column keep their stored state.
 */
function levelsOf(row: ParsedRow, current: readonly string[]): string[] | undefined {
  const v = row.values;
  const ticked = LEVEL_CODES.some((l) => v[tickKey(l)] !== undefined);
  if (v.levels === undefined && !ticked) return undefined;
  const set = new Set(v.levels !== undefined ? String(v.levels).split(',').filter(Boolean) : current);
  for (const l of LEVEL_CODES) {
    const tick = v[tickKey(l)];
    if (tick === 1) set.add(l);
    else if (tick === 0 || (tick === undefined && row.letters.has(tickKey(l)) && v.levels === undefined)) set.delete(l);
  }
  return LEVEL_CODES.filter((l) => set.has(l));
}

function labelFor(column: string): string {
  return LABELS.get(column) ?? column;
}
