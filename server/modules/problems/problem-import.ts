// The problem ledger import (问题台账导入): an office's existing Excel ledger becomes problems, each raised through
// ProblemService.raise (category map, time limits, status log, to-dos) exactly as if typed in. A dry run does the
// whole import in a transaction and rolls it back, so it reports every error the real run would hit; the real run
// writes nothing when any row is wrong. Errors name the row and the column (第 N 行 C 列（问题分类）：…), in Chinese.
import ExcelJS from 'exceljs';
import { checkUscc, normalizeUscc } from '../../../core/uscc.ts';
import { PROBLEM_LEVEL_LABELS, PROBLEM_SOURCE_LABELS, type ProblemLevel, type ProblemSource } from '../../../core/problems/problem-workflow.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { ProblemRepository } from './problem.repository.ts';
import type { ProblemService } from './problem.service.ts';

/** The most rows one ledger may hold. */
export const PROBLEM_IMPORT_MAX_ROWS = 5000;

type Field = 'title' | 'description' | 'enterprise' | 'uscc' | 'category' | 'owner' | 'co' | 'level' | 'major' | 'source' | 'received' | 'meeting';

/** Header texts that real ledgers use for each field (the first match wins). */
const HEADERS: Record<Field, readonly string[]> = {
  title: ['问题标题', '问题名称', '问题简述', '诉求标题'],
  description: ['问题描述', '问题内容', '具体问题', '诉求内容', '问题及诉求', '具体诉求'],
  enterprise: ['企业名称', '企业', '诉求企业', '反映企业'],
  uscc: ['统一社会信用代码', '信用代码', '社会信用代码'],
  category: ['问题分类', '问题类别', '分类', '类别'],
  owner: ['责任部门', '承办单位', '责任单位', '牵头单位'],
  co: ['协办单位', '配合单位', '协办部门'],
  level: ['解决层级', '层级', '办理层级'],
  major: ['是否重大', '重大问题'],
  source: ['问题来源', '来源'],
  received: ['受理日期', '提出日期', '反映日期', '收集日期'],
  meeting: ['会议名称', '会议'],
};
const LABEL: Record<Field, string> = {
  title: '问题标题', description: '问题描述', enterprise: '企业名称', uscc: '统一社会信用代码', category: '问题分类', owner: '责任部门', co: '协办单位',
  level: '层级', major: '是否重大', source: '问题来源', received: '受理日期', meeting: '会议名称',
};

/** One finding of the report, with its place in the workbook. */
export interface ImportFinding { sheet: string; row: number | null; column: string | null; severity: 'error' | 'warning'; message: string }

/** The report: the same shape as the project import's, so the wizard and the CLI print it alike. */
export interface ProblemImportReport {
  fileName: string;
  dryRun: boolean;
  applied: boolean;
  sheets: { name: string; headerRows: string | null; columns: { letter: string; header: string; label: string }[]; dataRows: number; chosen?: boolean }[];
  summary: { rows: number; created: number; updated: number; unchanged: number; skipped: number; errorRows: number; errors: number; warnings: number; packages: number; subItems: number };
  problems: ImportFinding[];
  problemsTruncated: number;
  outcomes: { sheet: string; row: number; action: 'create' | 'skip' | 'error'; name?: string; reason?: string }[];
  outcomesTruncated: number;
}

class Rollback extends Error {}

const letterOf = (col: number) => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return String(v.text).trim();
    return '';
  }
  return String(v).trim();
}

/** A date cell as YYYY-MM-DD: a real date, 2026-3-5, 2026/3/5, 2026.3.5 or 2026年3月5日; undefined when not a date. */
export function parseDay(v: ExcelJS.CellValue): string | undefined {
  if (v instanceof Date) {
    // Excel dates are read as UTC midnight of the day typed.
    return v.toISOString().slice(0, 10);
  }
  const s = cellText(v);
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return dt.toISOString().slice(0, 10);
}

const SOURCE_BY_LABEL = new Map<string, ProblemSource>([
  ...Object.entries(PROBLEM_SOURCE_LABELS).map(([k, v]) => [v, k as ProblemSource] as const),
  ['企业', 'enterprise'], ['项目', 'project'], ['走访', 'visit'], ['会议', 'meeting'], ['企业诉求', 'enterprise'],
]);
const LEVEL_BY_LABEL = new Map<string, ProblemLevel>([
  ...Object.entries(PROBLEM_LEVEL_LABELS).map(([k, v]) => [v, k as ProblemLevel] as const),
  ['县', 'county'], ['区', 'county'], ['县区级', 'county'], ['区级', 'county'], ['市', 'city'], ['省', 'province'],
]);

/** Imports problem ledgers (问题台账). */
export class ProblemImport {
  private readonly deps: Deps;
  private readonly problems: ProblemService;
  private readonly repo: (db: Executor) => ProblemRepository;
  constructor(deps: Deps, problems: ProblemService, repo: (db: Executor) => ProblemRepository) {
    this.deps = deps;
    this.problems = problems;
    this.repo = repo;
  }

  async importFile(actor: Actor, data: Buffer, opts: { fileName: string; dryRun: boolean }): Promise<ProblemImportReport> {
    const report: ProblemImportReport = {
      fileName: opts.fileName, dryRun: opts.dryRun, applied: false, sheets: [], problems: [], problemsTruncated: 0, outcomes: [], outcomesTruncated: 0,
      summary: { rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errorRows: 0, errors: 0, warnings: 0, packages: 0, subItems: 0 },
    };
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw new AppError('unprocessable', '无法读取该文件：请上传 Excel 工作簿（.xlsx）');
    }
    // The first sheet with a title column is the ledger.
    let ws: ExcelJS.Worksheet | undefined;
    let headerRow = 0;
    const cols = new Map<Field, number>();
    for (const sheet of wb.worksheets) {
      for (let r = 1; r <= Math.min(10, sheet.rowCount); r++) {
        const texts = new Map<string, number>();
        sheet.getRow(r).eachCell((c, n) => texts.set(cellText(c.value).replace(/\s+/g, '').replace(/[（(].*[)）]$/, '').replace(/^\*/, ''), n));
        if (!HEADERS.title.some((h) => texts.has(h))) continue;
        ws = sheet;
        headerRow = r;
        for (const f of Object.keys(HEADERS) as Field[]) {
          const h = HEADERS[f].find((x) => texts.has(x));
          if (h) cols.set(f, texts.get(h)!);
        }
        break;
      }
      if (ws) break;
    }
    if (!ws) {
      report.sheets = wb.worksheets.map((s) => ({ name: s.name, headerRows: null, columns: [], dataRows: 0 }));
      this.add(report, { sheet: wb.worksheets[0]?.name ?? '', row: null, column: null, severity: 'error', message: '未找到表头：台账须有“问题标题”（或“问题名称”）一列' });
      return report;
    }
    const sheetName = ws.name;
    for (const f of ['description', 'category'] as const) {
      if (!cols.has(f)) this.add(report, { sheet: sheetName, row: headerRow, column: null, severity: 'error', message: `缺少“${LABEL[f]}”列` });
    }
    const rows: number[] = [];
    for (let r = headerRow + 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      if ([...cols.values()].some((c) => cellText(row.getCell(c).value) !== '')) rows.push(r);
    }
    report.sheets = [{ name: sheetName, headerRows: String(headerRow), chosen: true, dataRows: rows.length,
      columns: [...cols.entries()].sort((a, b) => a[1] - b[1]).map(([f, c]) => ({ letter: letterOf(c), header: cellText(ws.getRow(headerRow).getCell(c).value), label: LABEL[f] })) }];
    report.summary.rows = rows.length;
    if (rows.length > PROBLEM_IMPORT_MAX_ROWS) {
      this.add(report, { sheet: sheetName, row: null, column: null, severity: 'error', message: `台账共 ${rows.length} 行，超过一次导入的上限 ${PROBLEM_IMPORT_MAX_ROWS} 行，请分批导入` });
    }
    if (report.summary.errors > 0) return report;

    const lookups = await this.lookups(this.deps.db);
    const where = (r: number, f: Field) => ({ sheet: sheetName, row: r, column: cols.has(f) ? letterOf(cols.get(f)!) : null });
    try {
      await inTransaction(this.deps.db, async (trx) => {
        for (const r of rows) {
          const row = ws.getRow(r);
          const get = (f: Field) => (cols.has(f) ? cellText(row.getCell(cols.get(f)!).value) : '');
          const errs: ImportFinding[] = [];
          const err = (f: Field, message: string) => errs.push({ ...where(r, f), severity: 'error', message: `${LABEL[f]}：${message}` });
          const title = get('title');
          const description = get('description') || title;
          if (!title) err('title', '不能为空');
          if (title.length > 200) err('title', '不能超过 200 字');
          // The enterprise: by credit code first, then by name.
          let enterpriseId: number | null = null;
          const usccRaw = get('uscc');
          const name = get('enterprise');
          if (usccRaw) {
            const code = normalizeUscc(usccRaw);
            const bad = checkUscc(code);
            if (bad) err('uscc', bad);
            else {
              const e = lookups.enterpriseByUscc.get(code);
              if (e) {
                enterpriseId = e.id;
                if (name && name !== e.name) this.add(report, { ...where(r, 'enterprise'), severity: 'warning', message: `企业名称“${name}”与信用代码登记的“${e.name}”不一致，按信用代码匹配` });
              } else if (!name) err('uscc', `“${code}”未登记为企业，请先在企业名单中登记`);
            }
          }
          if (enterpriseId === null && name) {
            const e = lookups.enterpriseByName.get(name);
            if (e) enterpriseId = e;
            else err('enterprise', `“${name}”未登记，请先在企业名单中登记（或填写已登记企业的统一社会信用代码）`);
          }
          const catText = get('category');
          const category = lookups.category.get(catText);
          if (!catText) err('category', '不能为空');
          else if (!category) err('category', `“${catText}”不在问题分类中（可填分类名称或代码）`);
          let owner: number | undefined;
          const ownerText = get('owner');
          if (ownerText) {
            owner = lookups.unitByName.get(ownerText);
            if (!owner) err('owner', `单位“${ownerText}”不存在`);
          }
          const co: number[] = [];
          for (const u of get('co').split(/[、,，;；\s]+/).filter(Boolean)) {
            const id = lookups.unitByName.get(u);
            if (id) co.push(id);
            else err('co', `单位“${u}”不存在`);
          }
          const levelText = get('level');
          const level = levelText ? LEVEL_BY_LABEL.get(levelText) ?? (['county', 'city', 'province'].includes(levelText) ? levelText as ProblemLevel : undefined) : 'county';
          if (!level) err('level', `“${levelText}”应为县级、市级或省级`);
          const majorText = get('major');
          if (majorText && !['是', '否', '重大', '一般', ''].includes(majorText)) err('major', `“${majorText}”应为“是”或“否”`);
          const sourceText = get('source');
          const source: ProblemSource | undefined = sourceText ? SOURCE_BY_LABEL.get(sourceText) : enterpriseId ? 'enterprise' : 'meeting';
          if (!source) err('source', `“${sourceText}”应为${Object.values(PROBLEM_SOURCE_LABELS).join('、')}之一`);
          let received: string | undefined;
          if (cols.has('received') && get('received')) {
            received = parseDay(row.getCell(cols.get('received')!).value);
            if (!received) err('received', `“${get('received')}”不是日期（如 2026-03-05）`);
            else if (received > lookups.today) err('received', `${received} 晚于今天`);
          }
          if (errs.length > 0) {
            for (const e of errs) this.add(report, e);
            report.summary.errorRows++;
            this.outcome(report, { sheet: sheetName, row: r, action: 'error', name: title, reason: errs.map((e) => e.message).join('；') });
            continue;
          }
          // The same ledger imported twice: a problem with this title, enterprise and date is already there.
          const day = received ?? lookups.today;
          if (await this.repo(trx).existsImported(title, enterpriseId, day)) {
            report.summary.skipped++;
            this.outcome(report, { sheet: sheetName, row: r, action: 'skip', name: title, reason: '已有同名问题（同一企业、同一受理日期），跳过' });
            continue;
          }
          try {
            await this.problems.raise(actor, {
              title, description, source: source!, enterprise_id: enterpriseId, category_code: category!, level: level!, is_major: majorText === '是' || majorText === '重大',
              owner_unit_id: owner ?? null, co_unit_ids: co, received_on: day, meeting: get('meeting') || null,
              // Without an enterprise the problem lies where its department is (the CLI imports with no unit of its own).
              region_code: enterpriseId ? null : lookups.unitRegion.get(owner ?? lookups.categoryOwner.get(category!) ?? -1) ?? null,
            }, trx, { source_ref: `台账导入：${opts.fileName} 第 ${r} 行` });
            report.summary.created++;
            this.outcome(report, { sheet: sheetName, row: r, action: 'create', name: title });
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            this.add(report, { sheet: sheetName, row: r, column: null, severity: 'error', message: e.message });
            report.summary.errorRows++;
            this.outcome(report, { sheet: sheetName, row: r, action: 'error', name: title, reason: e.message });
          }
        }
        // Nothing is written on a dry run, nor when any row is wrong.
        if (opts.dryRun || report.summary.errors > 0) throw new Rollback();
      });
      report.applied = true;
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    if (!report.applied && !opts.dryRun) {
      report.summary.created = 0;
      report.summary.skipped = 0;
    }
    return report;
  }

  private add(report: ProblemImportReport, f: ImportFinding) {
    if (f.severity === 'error') report.summary.errors++;
    else report.summary.warnings++;
    if (report.problems.length < 500) report.problems.push(f);
    else report.problemsTruncated++;
  }

  private outcome(report: ProblemImportReport, o: ProblemImportReport['outcomes'][number]) {
    if (report.outcomes.length < 2000) report.outcomes.push(o);
    else report.outcomesTruncated++;
  }

  /** Names to ids: enterprises by credit code and by name, categories by name and code, units by name. */
  private async lookups(db: Executor) {
    const { enterprises: ents, categories: cats, units } = await this.repo(db).importLookups();
    const category = new Map<string, string>();
    for (const c of cats) category.set(c.code, c.code);
    for (const c of cats) if (!category.has(c.name)) category.set(c.name, c.code);
    return {
      enterpriseByUscc: new Map(ents.filter((e) => e.uscc).map((e) => [e.uscc!, { id: e.id, name: e.name }])),
      enterpriseByName: new Map(ents.map((e) => [e.name, e.id])),
      category,
      unitByName: new Map(units.map((u) => [u.name, u.id])),
      unitRegion: new Map(units.map((u) => [u.id, u.region_code])),
      categoryOwner: new Map(cats.map((c) => [c.code, c.owner_unit_id])),
      today: this.problems.today(),
    };
  }
}
