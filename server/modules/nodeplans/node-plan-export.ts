import type { Writable } from 'node:stream';
import { XlsxStream } from '../exports/index.ts';
import type { NodePlanService } from './node-plan.service.ts';

type PlanView = Awaited<ReturnType<NodePlanService['get']>>;

/** A project's node plan as a streamed one-sheet .xlsx (the one table writer): what the 节点计划 tab shows. */
export async function nodePlanWorkbook(out: Writable, projectName: string, view: PlanView, today: string): Promise<void> {
  const nodes = view.nodes;
  const names = new Map(nodes.map((n) => [n.id, `${n.position}. ${n.name}`]));
  const book = await XlsxStream.open(out);
  const sheet = book.sheet({
    name: '节点计划', title: `${projectName}节点计划（倒排工期）`,
    note: `${view.plan?.target_label ?? '目标'}：${view.plan?.target_on ?? '未定'}；共 ${nodes.length} 个节点，已完成 ${nodes.filter((n) => n.status !== 'pending').length} 个，逾期 ${nodes.filter((n) => n.is_overdue).length} 个；工期按工作日计；导出日期：${today}`,
    columns: [
      { header: '序号', kind: 'seq' }, { header: '节点', kind: 'text', width: 28 }, { header: '责任单位', kind: 'text', width: 18 }, { header: '工期（工作日）', kind: 'count', width: 10 },
      { header: '前置节点', kind: 'text', width: 28 }, { header: '最迟开始', kind: 'text', width: 12 }, { header: '最迟完成', kind: 'text', width: 12 },
      { header: '计划开始', kind: 'text', width: 12 }, { header: '计划完成', kind: 'text', width: 12 }, { header: '状态', kind: 'text', width: 14 },
      { header: '完成日期', kind: 'text', width: 12 }, { header: '是否逾期', kind: 'text', width: 16 }, { header: '佐证要求', kind: 'text', width: 30 }, { header: '督办事项', kind: 'text', width: 18 },
    ],
  });
  for (const n of nodes) {
    sheet.row([
      null, n.name, n.unit_name, n.duration_days, n.predecessor_ids.map((p) => names.get(p)).join('、') || null, n.latest_start, n.latest_finish,
      n.planned_start, n.planned_finish, n.status_label, n.completed_on, n.is_overdue ? `逾期 ${n.overdue_days} 个工作日` : null, n.evidence, n.matter?.number ?? null,
    ]);
    await sheet.drained();
  }
  sheet.commit();
  await book.commit();
}
