import type { Writable } from 'node:stream';
import { PROBLEM_LEVEL_LABELS, PROBLEM_SOURCE_LABELS, PROBLEM_STATE_LABELS, VISIT_RESULT_LABELS, type ProblemLevel, type ProblemSource, type ProblemStatus, type VisitResult } from '../../../core/problems/problem-workflow.ts';
import { percentCell, today, XlsxStream, type CellInput, type TableColumn } from '../exports/index.ts';
import type { Actor } from '../../platform/context.ts';
import type { ProblemListQuery } from './problem.schema.ts';
import type { FigureGroup, ProblemService } from './problem.service.ts';

const COLUMNS: TableColumn[] = [
  { header: '序号', kind: 'seq' },
  { header: '编号', kind: 'text', width: 8 },
  { header: '问题标题', kind: 'text', width: 32 },
  { header: '问题描述', kind: 'text', width: 40 },
  { header: '来源', kind: 'text', width: 10 },
  { header: '企业', kind: 'text', width: 24 },
  { header: '项目', kind: 'text', width: 24 },
  { header: '分类', kind: 'text', width: 12 },
  { header: '解决层级', kind: 'text', width: 8 },
  { header: '重大问题', kind: 'text', width: 8 },
  { header: '提出单位', kind: 'text', width: 16 },
  { header: '责任部门', kind: 'text', width: 16 },
  { header: '状态', kind: 'text', width: 10 },
  { header: '受理日期', kind: 'text', width: 12 },
  { header: '交办日期', kind: 'text', width: 12 },
  { header: '办结时限', kind: 'text', width: 12 },
  { header: '答复日期', kind: 'text', width: 12 },
  { header: '回访结果', kind: 'text', width: 10 },
  { header: '重办次数', kind: 'count', width: 8, sum: true },
  { header: '销号日期', kind: 'text', width: 12 },
  { header: '办理结果', kind: 'text', width: 40 },
];

/** The problem ledger (问题台账) as a streamed workbook, with the ledger's filters. */
export function problemLedgerWorkbook(service: ProblemService, actor: Actor, query: ProblemListQuery) {
  const write = async (out: Writable) => {
    const book = await XlsxStream.open(out);
    const sheet = book.sheet({ name: '问题台账', title: '企业和项目问题（诉求）办理台账', note: `导出时间：${today()}`, columns: COLUMNS });
    for await (const page of service.iterate(actor, query)) {
      for (const p of page) {
        sheet.row([null, String(p.id), p.title, p.description, PROBLEM_SOURCE_LABELS[p.source as ProblemSource] ?? p.source, p.enterprise_name, p.project_name,
          p.parent_category_name ? `${p.parent_category_name}/${p.category_name}` : p.category_name, PROBLEM_LEVEL_LABELS[p.level as ProblemLevel] ?? p.level,
          p.is_major ? '是' : '否', p.raised_unit_name, p.owner_unit_name, PROBLEM_STATE_LABELS[p.status as ProblemStatus] ?? p.status, p.received_on,
          p.assigned_on, p.solve_due, p.replied_on, p.visit_result ? VISIT_RESULT_LABELS[p.visit_result as VisitResult] : null, p.redo_count, p.closed_on, p.reply]);
      }
      await sheet.drained();
    }
    sheet.total();
    sheet.commit();
    await book.commit();
  };
  return { fileName: `问题台账-${today()}.xlsx`, write };
}

/** What a breakdown's first column is called. */
const GROUP_HEADERS: Record<FigureGroup, string> = { department: '责任部门', category: '问题分类', unit: '提出单位', source: '问题来源', level: '解决层级', month: '受理月份' };

/** The figures of one group (or the whole year) as a row after the group column. */
function figureCells(f: Awaited<ReturnType<ProblemService['figures']>>['total']): CellInput[] {
  return [f.total, f.accepted, f.closed, percentCell(f.closed_rate.text), percentCell(f.on_time_rate.text), f.visited, percentCell(f.satisfied_rate.text),
    percentCell(f.first_time_rate.text), percentCell(f.redo_rate.text), percentCell(f.average_days.text), f.overdue];
}

/**
 * The problem figures (问题办理情况统计) as a workbook: one row per group of the breakdown, the year's 合计 (computed over
 * all the problems, not summed from the rows' rates), and a second sheet with each figure's written definition.
 */
export function problemFiguresWorkbook(service: ProblemService, actor: Actor, year: number, groupBy: FigureGroup) {
  const write = async (out: Writable) => {
    const f = await service.figures(actor, year, groupBy);
    const book = await XlsxStream.open(out);
    const sheet = book.sheet({
      name: '问题办理统计', title: `${year}年企业和项目问题（诉求）办理情况统计（按${GROUP_HEADERS[groupBy]}）`,
      note: `${f.solved_text}；统计范围：${year}年受理的问题，截至${f.today}；导出时间：${today()}`,
      columns: [
        { header: '序号', kind: 'seq' }, { header: GROUP_HEADERS[groupBy], kind: 'text', width: 24 },
        { header: '问题总数', kind: 'count', width: 10 }, { header: '受理件数', kind: 'count', width: 10 }, { header: '办结件数', kind: 'count', width: 10 },
        { header: '办结率（%）', kind: 'percent', width: 11 }, { header: '按期办结率（%）', kind: 'percent', width: 13 }, { header: '已回访件数', kind: 'count', width: 10 },
        { header: '满意率（%）', kind: 'percent', width: 11 }, { header: '一次性解决率（%）', kind: 'percent', width: 14 }, { header: '重办率（%）', kind: 'percent', width: 11 },
        { header: '平均办理时长（工作日）', kind: 'points', width: 14 }, { header: '逾期件数', kind: 'count', width: 10 },
      ],
    });
    for (const g of f.groups) sheet.row([null, g.name, ...figureCells(g.figures)]);
    sheet.summary('合计', [null, null, ...figureCells(f.total)]);
    sheet.commit();
    const defs = book.sheet({ name: '指标口径', title: '问题办理指标口径', columns: [{ header: '序号', kind: 'seq' }, { header: '口径', kind: 'text', width: 90 }] });
    for (const text of Object.values(f.definitions)) defs.row([null, text]);
    defs.commit();
    await book.commit();
  };
  return { fileName: `问题办理统计-${year}.xlsx`, write };
}
