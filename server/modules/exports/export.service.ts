import type { Writable } from 'node:stream';
import { periodLabel } from '../../../core/indicators.ts';
import { commonPath } from '../../../core/tree-path.ts';
import type { Actor } from '../../context.ts';
import type { ProjectFilter } from '../../platform/project-filter.ts';
import {
  CAMPAIGN_GROUPS, INVESTMENT_TYPE_CODES, labelOf, LEVEL_CODES, LEVEL_LABELS, NATURE_CODES, STAGE_CODES, TEMPLATE_COLUMNS, templateHeader, type FieldDef,
} from '../imports/index.ts';
import type { ExportRepository, GroupBy, GroupSelector, PageWindow } from './export.repository.ts';
import { beijingDateTime, groupHeading, percentOf, today, XlsxStream, type CellInput, type TableColumn, type TableSheet } from './table-writer.ts';

/** The export's columns: the project-list template's (so an export imports back), without the year's plan. */
const EXPORT_FIELDS: FieldDef[] = (TEMPLATE_COLUMNS.projects.templateKeys ?? TEMPLATE_COLUMNS.projects.keys)
  .filter((k) => k !== 'list_year' && k !== 'planned_investment')
  .map((k) => TEMPLATE_COLUMNS.projects.fields.find((f) => f.key === k)!);
const PAGE = 2000;
/** Projects that report monthly: the monthly progress table lists these unless the filter names a tier. */
const REPORTING_TIER = 'implementation';

const labels = (codes: Record<string, string>) => {
  const out = new Map<string, string>();
  for (const code of new Set(Object.values(codes))) out.set(code, labelOf(codes, code));
  return out;
};
const NATURE_LABELS = labels(NATURE_CODES);
const INVESTMENT_TYPE_LABELS = labels(INVESTMENT_TYPE_CODES);
const STAGE_NAMES = labels(STAGE_CODES);
const label = (map: Map<string, string>, code: string | null) => (code ? map.get(code) ?? code : null);
const stageName = (code: string | null) => label(STAGE_NAMES, code);

/** A report's status as the table prints it. */
export const REPORT_STATUS_LABELS: Record<string, string> = { draft: '草稿', submitted: '已提交', approved: '已审核', returned: '已退回' };

/** A project of the list export with its levels and package name (read per page). */
type ProjectRow = Awaited<ReturnType<ExportRepository['listPage']>>[number] & { levels: string[]; package_name: string | null };
type ProgressRow = Awaited<ReturnType<ExportRepository['listProgressPage']>>[number];

interface Names {
  units: Map<number, { name: string; path: string }>;
  regions: Map<string, string>;
}

function cellOf(f: FieldDef, p: ProjectRow, names: Names): CellInput {
  switch (f.key) {
    case 'region': return names.regions.get(p.region_code) ?? p.region_code;
    case 'unit': return names.units.get(p.unit_id)?.name;
    case 'nature': return label(NATURE_LABELS, p.nature);
    case 'investment_type': return label(INVESTMENT_TYPE_LABELS, p.investment_type);
    case 'stage': return stageName(p.stage);
    case 'years': return p.start_year ? (p.end_year && p.end_year !== p.start_year ? `${p.start_year}-${p.end_year}` : String(p.start_year)) : null;
    case 'is_attraction': return p.is_attraction ? '是' : '否';
    case 'lead_unit': return p.lead_unit_id === null ? null : names.units.get(p.lead_unit_id)?.name;
    case 'package': return p.package_name;
    // As the import reads it back: "省重点、市重点", with the city's 重中之重 marker as "市重中之重".
    case 'levels': return [...LEVEL_CODES.filter((l) => p.levels.includes(l)).map((l) => LEVEL_LABELS[l]), ...(p.is_key_of_key ? ['市重中之重'] : [])].join('、') || null;
    default: return (p as unknown as Record<string, string | number | null>)[f.key];
  }
}

/** One group of rows to write: its heading name, row count and page selector (none when ungrouped). */
interface Pass {
  name: string;
  count: number;
  selector?: GroupSelector;
}

function campaignRank(group: string): number {
  const i = CAMPAIGN_GROUPS.indexOf(group);
  return i < 0 ? 500 : i;
}

/** Options common to the streamed project tables. */
export interface TableOptions {
  groupBy?: GroupBy;
  title?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Streams project lists and the monthly progress table to .xlsx: template headers, 万元, frozen header, totals, groups. */
export class ExportService {
  private readonly repo: ExportRepository;
  constructor(repo: ExportRepository) {
    this.repo = repo;
  }

  /** The groups of a filter in print order, named, with their counts; one pass without grouping. */
  private async passes(filter: ProjectFilter, actor: Actor, names: Names, by: GroupBy | undefined): Promise<{ passes: Pass[]; total: number }> {
    const counts = await this.repo.countByGroup(filter, actor.scope, by);
    const total = counts.reduce((s, g) => s + g.count, 0);
    if (!by) return { passes: [{ name: '', count: total }], total };
    if (by === 'region') return { passes: await this.regionPasses(filter, counts), total };
    const nameOf = (key: string | number | null): string => {
      if (key === null) return by === 'category' ? '未分类' : '未分组';
      if (by === 'unit') return names.units.get(Number(key))?.name ?? String(key);
      return String(key);
    };
    const order = (key: string | number | null): string => {
      if (by === 'unit') return names.units.get(Number(key))?.path ?? '';
      if (by === 'campaign_group') return String(campaignRank(String(key))).padStart(4, '0') + String(key);
      return String(key);
    };
    const passes = counts
      .sort((a, b) => (a.key === null ? 1 : 0) - (b.key === null ? 1 : 0) || order(a.key).localeCompare(order(b.key), 'zh-CN'))
      .map((g) => ({ name: nameOf(g.key), count: g.count, selector: { by, key: g.key } }));
    return { passes, total };
  }

  /**
   * Region groups one level below the filter's region (or below the lowest region holding them all): a district
   * with its towns is one group whose 小计 includes them, headed by the district's name; projects registered at
   * that parent level itself form a "（本级）" group.
   */
  private async regionPasses(filter: ProjectFilter, counts: { key: string | number | null; count: number }[]): Promise<Pass[]> {
    const regions = await this.repo.listRegions(counts.map((g) => String(g.key ?? '')).filter(Boolean));
    const byCode = new Map(regions.map((r) => [r.code, r]));
    const parentPath = (filter.region ? await this.repo.findRegionPath(filter.region) : undefined)
      ?? commonPath(regions.length === 1 ? [regions[0]!.path.replace(/[^/]+\/$/, '')] : regions.map((r) => r.path));
    const parentCode = parentPath.split('/').filter(Boolean).pop() ?? null;
    const folded = new Map<string, { count: number; codes: string[] }>();
    for (const g of counts) {
      const code = String(g.key ?? '');
      const path = byCode.get(code)?.path ?? '';
      const below = path.startsWith(parentPath) && path !== parentPath ? path.slice(parentPath.length).split('/')[0] : undefined;
      const key = below ?? (path === parentPath && parentCode ? parentCode : code);
      const group = folded.get(key) ?? { count: 0, codes: [] };
      group.count += g.count;
      group.codes.push(code);
      folded.set(key, group);
    }
    const names = new Map((await this.repo.listRegions([...folded.keys()])).map((r) => [r.code, r.name]));
    return [...folded].sort(([a], [b]) => (a === parentCode ? -1 : b === parentCode ? 1 : a.localeCompare(b)))
      .map(([key, g]) => ({
        name: key === parentCode ? `${names.get(key) ?? key}（本级）` : names.get(key) ?? key,
        count: g.count, selector: { by: 'region' as const, key, regionCodes: g.codes },
      }));
  }

  /**
   * Writes every pass (a heading, its rows, a 小计 row when grouped), then the 合计 row. Rows are read in keyset
   * windows of ids sized so that one holds about a page of the pass's rows (its count over the id range), each read
   * in pages of at most PAGE rows; after each page the writer waits for the zip to take it.
   */
  private async writePasses<T extends { id: number }>(sheet: TableSheet, passes: Pass[], total: number, fetch: (window: PageWindow) => Promise<T[]>,
    toRow: (row: T) => CellInput[], onProgress?: (done: number, total: number) => void): Promise<void> {
    const maxId = await this.repo.findMaxId();
    for (const [i, pass] of passes.entries()) {
      if (pass.selector) sheet.heading(groupHeading(i, pass.name, pass.count));
      const span = Math.max(PAGE, Math.ceil((PAGE * maxId) / Math.max(1, pass.count)));
      let afterId = 0;
      while (pass.count > 0 && afterId < maxId) {
        const upTo = afterId + span;
        for (;;) {
          const page = await fetch({ afterId, upTo, limit: PAGE, group: pass.selector });
          for (const row of page) sheet.row(toRow(row));
          await sheet.drained();
          onProgress?.(sheet.rows, total);
          if (page.length < PAGE) break;
          afterId = page[page.length - 1]!.id;
        }
        afterId = upTo;
      }
      if (pass.selector) sheet.subtotal();
    }
    sheet.total();
  }

  /**
   * Writes every project the filter selects (within the actor's scope) to `out` as an .xlsx, reading the database
   * in pages and committing each row, so memory stays flat whatever the size. Cells that a spreadsheet would run as
   * formulas (= + - @) are neutralized.
   */
  async exportProjects(actor: Actor, asked: ProjectFilter, out: Writable, opts: TableOptions = {}): Promise<{ rows: number }> {
    const filter = await this.repo.resolveSearch(asked);
    const names: Names = { units: await this.repo.mapUnits(), regions: await this.repo.mapRegionNames(filter, actor.scope) };
    const { passes, total } = await this.passes(filter, actor, names, opts.groupBy);
    const columns: TableColumn[] = [
      { header: '序号', kind: 'seq' },
      ...EXPORT_FIELDS.map((f): TableColumn => ({
        header: templateHeader(f),
        kind: f.kind === 'money' ? 'money' : 'text',
        sum: f.kind === 'money',
        counts: f.key === 'name',
        width: f.key === 'name' || f.key === 'scope_content' ? 36 : f.kind === 'money' ? 14 : 16,
      })),
    ];
    const book = await XlsxStream.open(out);
    const sheet = book.sheet({
      name: '项目清单', title: opts.title ?? '重点项目清单', columns,
      note: `导出时间：${beijingDateTime()}（北京时间），共 ${total} 个项目`,
    });
    const page = async (window: PageWindow): Promise<ProjectRow[]> => {
      const rows = await this.repo.listPage(filter, actor.scope, window);
      const { levels, parents } = await this.repo.pageExtras(rows.map((r) => r.id), rows.flatMap((r) => (r.parent_id === null ? [] : [r.parent_id])));
      return rows.map((r) => ({ ...r, levels: levels.get(r.id) ?? [], package_name: r.parent_id === null ? null : parents.get(r.parent_id) ?? null }));
    };
    await this.writePasses(sheet, passes, total, page,
      (p) => [null, ...EXPORT_FIELDS.map((f) => cellOf(f, p, names))], opts.onProgress);
    sheet.commit();
    await book.commit();
    return { rows: sheet.rows };
  }

  /**
   * 月度进展表: one row per project of the filter (reporting projects unless it names a tier) with its plan for the
   * year and its report of the month, in 万元, optionally grouped with subtotals, streamed like the project list.
   */
  async exportMonthlyProgress(actor: Actor, filter: ProjectFilter, year: number, month: number, out: Writable, opts: TableOptions = {}): Promise<{ rows: number }> {
    const scoped: ProjectFilter = await this.repo.resolveSearch(filter.tier ? filter : { ...filter, tier: REPORTING_TIER });
    const names: Names = { units: await this.repo.mapUnits(), regions: await this.repo.mapRegionNames(scoped, actor.scope) };
    const { passes, total } = await this.passes(scoped, actor, names, opts.groupBy);
    const ytdLabel = month === 1 ? '1月' : `1-${month}月`;
    const columns: TableColumn[] = [
      { header: '序号', kind: 'seq' },
      { header: '项目名称', kind: 'text', width: 36, counts: true },
      { header: '责任单位', kind: 'text' },
      { header: '所属地区', kind: 'text' },
      { header: '总投资（万元）', kind: 'money', sum: true },
      { header: `${year}年计划投资（万元）`, kind: 'money', sum: true },
      { header: '本月完成投资（万元）', kind: 'money', sum: true },
      { header: `${ytdLabel}累计完成投资（万元）`, kind: 'money', sum: true },
      { header: '投资完成率（%）', kind: 'percent', ratioOf: [7, 5], width: 10 },
      { header: '自开工累计完成投资（万元）', kind: 'money', sum: true },
      { header: '项目阶段', kind: 'text', width: 10 },
      { header: '形象进度', kind: 'text', width: 40 },
      { header: '存在问题', kind: 'text', width: 30 },
      { header: '填报状态', kind: 'text', width: 10 },
    ];
    const book = await XlsxStream.open(out);
    const sheet = book.sheet({
      name: '月度进展', title: opts.title ?? `${year}年重点项目${periodLabel(month)}推进情况表`, columns,
      note: `填报期：${year}年${month}月；导出时间：${today()}；共 ${total} 个项目`,
    });
    const toRow = (p: ProgressRow): CellInput[] => {
      const reported = p.report_id !== null;
      return [
        null, p.name, names.units.get(p.unit_id)?.name, names.regions.get(p.region_code) ?? p.region_code,
        p.total_investment, p.planned_investment,
        reported ? p.amount_month : null, reported ? p.amount_ytd : null,
        reported && p.planned_investment ? percentOf(p.amount_ytd ?? 0, p.planned_investment) : null,
        reported ? p.amount_since_start : null,
        stageName(p.report_stage ?? p.stage), p.progress_text, p.problems,
        reported ? (REPORT_STATUS_LABELS[p.status ?? ''] ?? p.status) : '未填报',
      ];
    };
    await this.writePasses(sheet, passes, total, (window) => this.repo.listProgressPage(scoped, actor.scope, year, month, window),
      toRow, opts.onProgress);
    sheet.commit();
    await book.commit();
    return { rows: sheet.rows };
  }
}
