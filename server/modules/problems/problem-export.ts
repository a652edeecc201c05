import type { Writable } from 'node:stream';
import { PROBLEM_LEVEL_LABELS, PROBLEM_SOURCE_LABELS, PROBLEM_STATE_LABELS, VISIT_RESULT_LABELS, type ProblemLevel, type ProblemSource, type ProblemStatus, type VisitResult } from '../../../core/problems/problem-workflow.ts';
import { today, XlsxStream, type TableColumn } from '../exports/index.ts';
import type { Actor } from '../../platform/context.ts';
import type { ProblemListQuery } from './problem.schema.ts';
import type { ProblemService } from './problem.service.ts';

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
