import type { Writable } from 'node:stream';
import { XlsxStream, type CellInput, type SheetSpec } from '../exports/index.ts';
import { MATTER_URGENCY_LABELS, type MatterUrgency } from '../../../core/supervision/matter-workflow.ts';

/**
 * One list as a streamed one-sheet .xlsx (the one table writer): every supervision list export (matters, meetings,
 * weekly batches, a batch's 交办单) is this with its own columns and rows.
 */
export async function listWorkbook(out: Writable, spec: SheetSpec, rows: Iterable<CellInput[]>): Promise<void> {
  const book = await XlsxStream.open(out);
  const sheet = book.sheet(spec);
  for (const row of rows) {
    sheet.row(row);
    await sheet.drained();
  }
  sheet.commit();
  await book.commit();
}

interface ListResult {
  today: string;
  items: { number: string; title: string; sourceLabel: string; type: string; urgency: string; leadUnitName: string; coUnits: { name: string }[]; enterprises: { name: string }[]; statusLabel: string; assignedOn: string; dueOn: string; nextFeedbackOn: string | null; overdue: boolean; closedOn: string | null }[];
}

/** The matter list as a streamed .xlsx (the one table writer). */
export async function matterWorkbook(out: Writable, result: ListResult): Promise<void> {
  await listWorkbook(out, {
    name: '督办事项', title: '督办事项清单', note: `共 ${result.items.length} 项；逾期 ${result.items.filter((i) => i.overdue).length} 项；导出日期：${result.today}`,
    columns: [
      { header: '序号', kind: 'seq' }, { header: '编号', kind: 'text', width: 18 }, { header: '事项', kind: 'text', width: 40 }, { header: '来源', kind: 'text', width: 10 },
      { header: '类别', kind: 'text', width: 10 }, { header: '紧急程度', kind: 'text', width: 8 }, { header: '牵头单位', kind: 'text', width: 20 }, { header: '协办单位', kind: 'text', width: 24 },
      { header: '关联企业', kind: 'text', width: 28 }, { header: '状态', kind: 'text', width: 14 }, { header: '交办日期', kind: 'text', width: 12 }, { header: '办结时限', kind: 'text', width: 12 },
      { header: '下次反馈', kind: 'text', width: 12 }, { header: '是否逾期', kind: 'text', width: 8 }, { header: '办结日期', kind: 'text', width: 12 },
    ],
  }, result.items.map((m) => [null, m.number, m.title, m.sourceLabel, m.type, MATTER_URGENCY_LABELS[m.urgency as MatterUrgency] ?? m.urgency, m.leadUnitName, m.coUnits.map((c) => c.name).join('、') || null,
    m.enterprises.map((e) => e.name).join('、') || null, m.statusLabel, m.assignedOn, m.dueOn, m.nextFeedbackOn, m.overdue ? '逾期' : null, m.closedOn]));
}

interface BatchResult {
  batch: { title: string; issue: string; weekOf: string };
  matters: { number: string; title: string; content: string; leadUnitName: string; coUnits: string[]; statusLabel: string; assignedOn: string; dueOn: string; carried: boolean; overdue: boolean }[];
}

/** The weekly batch's 交办单 as .xlsx: one row per matter, new ones first, then the overdue ones carried forward. */
export async function batchWorkbook(out: Writable, d: BatchResult): Promise<void> {
  const fresh = d.matters.filter((m) => !m.carried).length;
  await listWorkbook(out, {
    name: '周交办单', title: d.batch.title, note: `${d.batch.issue}；${d.batch.weekOf} 当周；新交办 ${fresh} 项，逾期未办结 ${d.matters.length - fresh} 项`,
    columns: [
      { header: '序号', kind: 'seq' }, { header: '类别', kind: 'text', width: 10 }, { header: '编号', kind: 'text', width: 18 }, { header: '事项', kind: 'text', width: 36 },
      { header: '具体内容', kind: 'text', width: 40 }, { header: '牵头单位', kind: 'text', width: 18 }, { header: '协办单位', kind: 'text', width: 22 },
      { header: '交办日期', kind: 'text', width: 12 }, { header: '办结时限', kind: 'text', width: 12 }, { header: '状态', kind: 'text', width: 12 },
    ],
  }, d.matters.map((m) => [null, m.carried ? '逾期未办结' : '新交办', m.number, m.title, m.content || null, m.leadUnitName, m.coUnits.join('、') || null, m.assignedOn, m.dueOn, m.statusLabel]));
}

/** The meetings list as .xlsx: one row per meeting with its decisions' counts (议定事项、已交办、已办结). */
export async function meetingsWorkbook(out: Writable, items: { heldOn: string; kindLabel: string; title: string; chair: string | null; decisions: number; assigned: number; done: number }[]): Promise<void> {
  await listWorkbook(out, {
    name: '会议台账', title: '会议台账', note: `共 ${items.length} 次会议；议定事项 ${items.reduce((n, m) => n + m.decisions, 0)} 项，已办结 ${items.reduce((n, m) => n + m.done, 0)} 项`,
    columns: [
      { header: '序号', kind: 'seq' }, { header: '会议日期', kind: 'text', width: 12 }, { header: '会议类型', kind: 'text', width: 10 }, { header: '会议名称', kind: 'text', width: 36 },
      { header: '主持人', kind: 'text', width: 14 }, { header: '议定事项', kind: 'count', width: 10 }, { header: '已交办', kind: 'count', width: 10 }, { header: '已办结', kind: 'count', width: 10 },
    ],
  }, items.map((m) => [null, m.heldOn, m.kindLabel, m.title, m.chair, m.decisions, m.assigned, m.done]));
}

/** The weekly batches list (周交办) as .xlsx: one row per batch with its counts and 签收/办结 standing. */
export async function batchesWorkbook(out: Writable, items: { issue: string; title: string; weekOf: string; newCount: number; carriedCount: number; statusLabel: string }[]): Promise<void> {
  await listWorkbook(out, {
    name: '周交办', title: '周交办台账', note: `共 ${items.length} 期；新交办 ${items.reduce((n, b) => n + b.newCount, 0)} 项，逾期结转 ${items.reduce((n, b) => n + b.carriedCount, 0)} 项`,
    columns: [
      { header: '序号', kind: 'seq' }, { header: '期号', kind: 'text', width: 16 }, { header: '名称', kind: 'text', width: 40 }, { header: '所属周（周一）', kind: 'text', width: 14 },
      { header: '新交办', kind: 'count', width: 10 }, { header: '逾期结转', kind: 'count', width: 10 }, { header: '状态', kind: 'text', width: 12 },
    ],
  }, items.map((b) => [null, b.issue, b.title, b.weekOf, b.newCount, b.carriedCount, b.statusLabel]));
}
