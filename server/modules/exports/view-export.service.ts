import type { Writable } from 'node:stream';
import { DIMENSION_LABELS, DIMENSIONS, LIGHT_LABELS, type LightOrNone } from '../../../core/lights.ts';
import type { Indicators } from '../../../core/indicators.ts';
import type { Actor } from '../../context.ts';
import type { Breakdown, IndicatorQuery, IndicatorService } from '../indicators/index.ts';
import type { LightService, LightsQuery } from '../lights/index.ts';
import type { MonthlyReportService } from '../reports/index.ts';
import { chineseOrdinal, percentCell, today, XlsxStream, type CellInput, type TableColumn } from './table-writer.ts';

/**
 * Writes a prepared workbook to a stream. The view is computed (and its errors thrown) before this is returned,
 * so a bad period or scope answers a JSON error instead of a broken download.
 */
export type WorkbookWriter = (out: Writable) => Promise<void>;

const BREAKDOWN_LABELS: Record<Breakdown, string> = {
  region: '按地区分', unit: '按责任单位分', level: '按项目级别分', category: '按项目类别分', nature: '按建设性质分', investment_type: '按投资类型分',
};
/** What the indicator table breaks down by when the query names nothing: the bulletin's three tables. */
export const DEFAULT_BREAKDOWNS: readonly Breakdown[] = ['nature', 'category', 'investment_type'];

/** The breakdown table's figures for one group (or the overall 合计), in column order. */
function indicatorCells(label: string, x: Indicators, planToDate: boolean): CellInput[] {
  const s = x.sums;
  return [
    label, s.count, s.total_investment, s.planned_investment, s.completed_ytd, percentCell(x.completion_rate.text), percentCell(x.gap_points.text),
    ...(planToDate ? [s.planned_to_date, percentCell(x.plan_to_date_rate.text)] : []),
    s.planned_starts, s.started, percentCell(x.start_rate.whole_year.text),
    s.planned_starts_to_date, s.started_to_date, percentCell(x.start_rate.to_date.text),
  ];
}

/**
 * 指标分组表: the indicators of a scope and period broken down as asked (default: by nature, category and investment
 * type), each block under a heading and closed by the scope's overall figures, as a bulletin's table prints them.
 */
export async function indicatorWorkbook(service: IndicatorService, actor: Actor, query: IndicatorQuery): Promise<{ fileName: string; write: WorkbookWriter }> {
  const breakdown = query.breakdown?.length ? query.breakdown : [...DEFAULT_BREAKDOWNS];
  const result = await service.getIndicators(actor, { ...query, breakdown });
  const overall = result.indicators;
  const label = overall.period_label;
  const planToDate = overall.sums.monthly_planned > 0;
  const columns: TableColumn[] = [
    { header: '分组', kind: 'text', width: 24 },
    { header: '项目个数（个）', kind: 'count', sum: true, width: 10 },
    { header: '总投资（万元）', kind: 'money', sum: true },
    { header: `${query.year}年计划投资（万元）`, kind: 'money', sum: true },
    { header: `${label}完成投资（万元）`, kind: 'money', sum: true },
    { header: '投资完成率（%）', kind: 'percent', width: 10 },
    { header: `与序时进度（${overall.time_progress.text}%）差（百分点）`, kind: 'points', width: 14 },
    // Offices that plan month by month (计划完成表) also print completion against the plan up to month N.
    ...(planToDate ? [
      { header: `${label}分月计划（万元）`, kind: 'money', sum: true },
      { header: `完成${label}投资计划（%）`, kind: 'percent', width: 12 },
    ] satisfies TableColumn[] : []),
    { header: '全年计划新开工（个）', kind: 'count', width: 10 },
    { header: '已开工（个）', kind: 'count', width: 10 },
    { header: `${overall.start_rate.whole_year.label}（%）`, kind: 'percent', width: 14 },
    { header: `${label}计划新开工（个）`, kind: 'count', width: 10 },
    { header: `${label}已开工（个）`, kind: 'count', width: 10 },
    { header: `${overall.start_rate.to_date.label}（%）`, kind: 'percent', width: 14 },
  ];
  const write: WorkbookWriter = async (out) => {
    const book = await XlsxStream.open(out);
    const sheet = book.sheet({
      name: '指标分组', title: `${query.year}年重点项目${label}推进情况分组统计表`, columns,
      note: `序时进度 ${overall.time_progress.text}%（${overall.time_progress.source === 'curve' ? '按本单位序时进度曲线' : '按月份÷12'}）；导出时间：${today()}`,
    });
    breakdown.forEach((kind, i) => {
      sheet.heading(`${chineseOrdinal(i + 1)}、${BREAKDOWN_LABELS[kind]}`);
      for (const item of result.breakdowns[kind] ?? []) sheet.row(indicatorCells(item.label, item.indicators, planToDate));
      // A project of several levels counts in each of them: the level block's rows may add up to more than this.
      sheet.summary('合计', indicatorCells('合计', overall, planToDate));
    });
    sheet.commit();
    await book.commit();
  };
  return { fileName: `重点项目指标分组表-${query.year}年${label}.xlsx`, write };
}

const LIGHT_ORDER: readonly LightOrNone[] = ['red', 'yellow', 'green', 'none'];

/**
 * 红黄绿灯清单: every project of the view's list (all pages) with its overall light and each dimension's light and
 * reason, and a second sheet with the counts. Called through LightService's public method only.
 */
export async function lightsWorkbook(service: LightService, actor: Actor, query: Omit<LightsQuery, 'page' | 'page_size'>): Promise<{ fileName: string; write: WorkbookWriter }> {
  const result = await service.getLights(actor, { ...query, page: 1, page_size: Number.MAX_SAFE_INTEGER });
  const period = `${query.year}年${query.month}月`;
  const columns: TableColumn[] = [
    { header: '序号', kind: 'seq' },
    { header: '项目名称', kind: 'text', width: 36, counts: true },
    { header: '责任单位', kind: 'text' },
    { header: '综合灯色', kind: 'text', width: 10 },
    ...DIMENSIONS.flatMap((d): TableColumn[] => [
      { header: `${DIMENSION_LABELS[d]}灯色`, kind: 'text', width: 10 },
      { header: `${DIMENSION_LABELS[d]}亮灯原因`, kind: 'text', width: 36 },
    ]),
    { header: '正当理由', kind: 'text', width: 30 },
  ];
  const write: WorkbookWriter = async (out) => {
    const book = await XlsxStream.open(out);
    const list = book.sheet({
      name: '亮灯清单', title: `${period}重点项目红黄绿灯清单`, columns,
      note: `列出：${query.light.map((l) => LIGHT_LABELS[l]).join('、')}${query.dimension ? `（按${DIMENSION_LABELS[query.dimension]}）` : ''}；规则版本：${result.rule_version ?? '默认'}；导出时间：${today()}`,
    });
    for (const item of result.items) {
      const byDimension = new Map(item.dimensions.map((d) => [d.dimension, d]));
      list.row([
        null, item.name, item.unit_name, `${LIGHT_LABELS[item.overall]}${item.is_paused ? '（停工）' : ''}`,
        ...DIMENSIONS.flatMap((d) => {
          const x = byDimension.get(d);
          return x ? [LIGHT_LABELS[x.light], x.light === 'yellow' || x.light === 'red' ? x.reason : null] : [null, null];
        }),
        item.dimensions.filter((d) => d.excuse).map((d) => `${DIMENSION_LABELS[d.dimension]}：${d.excuse!.reason}`).join('；') || null,
      ]);
    }
    list.total();
    list.commit();
    const counts = book.sheet({
      name: '灯色统计', title: `${period}重点项目亮灯统计`,
      note: `范围内项目共 ${LIGHT_ORDER.reduce((s, l) => s + result.counts[l], 0)} 个，其中 ${result.excused} 个有已认可的正当理由`,
      columns: [
        { header: '维度', kind: 'text' },
        ...LIGHT_ORDER.map((l): TableColumn => ({ header: `${LIGHT_LABELS[l]}（个）`, kind: 'count', width: 10 })),
        { header: '合计（个）', kind: 'count', width: 10 },
      ],
    });
    const countRow = (name: string, c: Record<LightOrNone, number>) => [name, ...LIGHT_ORDER.map((l) => c[l]), LIGHT_ORDER.reduce((s, l) => s + c[l], 0)];
    counts.row(countRow('综合', result.counts));
    for (const d of DIMENSIONS) counts.row(countRow(DIMENSION_LABELS[d], result.by_dimension[d]));
    counts.commit();
    await book.commit();
  };
  return { fileName: `重点项目红黄绿灯清单-${period}.xlsx`, write };
}

const MISSING_STATUS: Record<'none' | 'draft' | 'returned', string> = { none: '未填报', draft: '已填未提交', returned: '退回未重报' };

/** 催报清单: per unit, how many reports were due, in, missing and late, then the missing and late projects by unit. */
/**
 * 审核清单: the period's submitted reports awaiting review (the review queue), each with last month's cumulative,
 * the fields that changed since then, photos and whether it came late, with totals of the amounts.
 */
export async function reviewWorkbook(service: MonthlyReportService, actor: Actor, year: number, month: number, unit: number | undefined): Promise<{ fileName: string; write: WorkbookWriter }> {
  const result = await service.reviewQueue(actor, year, month, unit);
  const period = `${year}年${result.period.label}`;
  const write: WorkbookWriter = async (out) => {
    const book = await XlsxStream.open(out);
    const sheet = book.sheet({
      name: '待审核月报', title: `${period}月度填报待审核清单`, note: `共 ${result.items.length} 份；导出时间：${today()}`,
      columns: [
        { header: '序号', kind: 'seq' },
        { header: '项目名称', kind: 'text', width: 36, counts: true },
        { header: '责任单位', kind: 'text', width: 20 },
        { header: '本月完成投资（万元）', kind: 'money', sum: true },
        { header: `${result.period.ytd_label}累计完成投资（万元）`, kind: 'money', sum: true },
        { header: '上期累计完成投资（万元）', kind: 'money', sum: true },
        { header: '较上期变化的内容', kind: 'text', width: 40 },
        { header: '现场照片（张）', kind: 'count', width: 10 },
        { header: '是否迟报', kind: 'text', width: 8 },
        { header: '提交时间', kind: 'text', width: 20 },
      ],
    });
    for (const item of result.items) {
      sheet.row([
        null, item.project.name, item.project.unit_name, item.report.amount_month, item.report.amount_ytd, item.previous?.amount_ytd ?? null,
        item.changes.map((c) => c.label).join('、') || null, item.report.photo_count, item.is_late ? '迟报' : '否',
        item.report.submitted_at ? item.report.submitted_at.slice(0, 16).replace('T', ' ') : null,
      ]);
    }
    sheet.total();
    sheet.commit();
    await book.commit();
  };
  return { fileName: `重点项目月报待审核清单-${period}.xlsx`, write };
}

export async function missingWorkbook(service: MonthlyReportService, actor: Actor, year: number, month: number, unit: number | undefined): Promise<{ fileName: string; write: WorkbookWriter }> {
  const result = await service.missing(actor, year, month, unit);
  const period = `${year}年${result.period.label}`;
  const write: WorkbookWriter = async (out) => {
    const book = await XlsxStream.open(out);
    const summary = book.sheet({
      name: '催报汇总', title: `${period}月度填报催报汇总`,
      note: `填报截止：${result.period.deadline ?? '未设定'}${result.period.is_past_deadline ? '（已过截止日）' : ''}；导出时间：${today()}`,
      columns: [
        { header: '序号', kind: 'seq' },
        { header: '责任单位', kind: 'text', width: 24 },
        { header: '应报项目（个）', kind: 'count', sum: true, width: 12 },
        { header: '已报（个）', kind: 'count', sum: true, width: 10 },
        { header: '未报（个）', kind: 'count', sum: true, width: 10 },
        { header: '迟报（个）', kind: 'count', sum: true, width: 10 },
      ],
    });
    for (const u of result.units) summary.row([null, u.unit_name, u.expected, u.submitted, u.missing_count, u.late_count]);
    summary.total();
    summary.commit();
    const detail = book.sheet({
      name: '未报迟报明细', title: `${period}未报、迟报项目明细`, note: `导出时间：${today()}`,
      columns: [
        { header: '序号', kind: 'seq' },
        { header: '项目名称', kind: 'text', width: 36, counts: true },
        { header: '情况', kind: 'text', width: 12 },
        { header: '是否逾期', kind: 'text', width: 10 },
        { header: '首次提交时间', kind: 'text', width: 20 },
      ],
    });
    const pending = result.units.filter((u) => u.missing_count + u.late_count > 0);
    pending.forEach((u, i) => {
      detail.heading(`${chineseOrdinal(i + 1)}、${u.unit_name}（未报 ${u.missing_count} 个，迟报 ${u.late_count} 个）`);
      for (const m of u.missing) detail.row([null, m.project_name, MISSING_STATUS[m.status], m.is_overdue ? '是' : '否', null]);
      for (const l of u.late) detail.row([null, l.project_name, '迟报', '是', l.first_submitted_at.slice(0, 16).replace('T', ' ')]);
      detail.subtotal();
    });
    detail.total();
    detail.commit();
    await book.commit();
  };
  return { fileName: `月度填报催报清单-${period}.xlsx`, write };
}
