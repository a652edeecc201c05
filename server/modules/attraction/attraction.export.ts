import type { Writable } from 'node:stream';
import { LEAD_STAGE_LABELS, TERMINATION_LABELS, type TerminationKind } from '../../../core/attraction/lead.ts';
import { XlsxStream, type CellInput, type TableColumn } from '../exports/index.ts';
import type { LeadListRow } from './attraction.repository.ts';

// The attraction workbook (招商引资台账): every record in scope, then the quarter's 三个一批 lists for the provincial
// 台账 — through the one streamed table writer (money in integer yuan, printed in 万元, summed exactly).

const LEDGER: TableColumn[] = [
  { header: '序号', kind: 'seq' },
  { header: '项目名称', kind: 'text', width: 36, counts: true },
  { header: '招商小分队', kind: 'text', width: 22 },
  { header: '所属地区', kind: 'text', width: 12 },
  { header: '所属产业', kind: 'text', width: 12 },
  { header: '投资方', kind: 'text', width: 22 },
  { header: '当前阶段', kind: 'text', width: 8 },
  { header: '意向投资额', kind: 'money', sum: true },
  { header: '签约额', kind: 'money', sum: true },
  { header: '合同外资（万美元）', kind: 'count', width: 12 },
  { header: '计划总投资', kind: 'money', sum: true },
  { header: '实际到资', kind: 'money', sum: true },
  { header: '线索日期', kind: 'text', width: 11 },
  { header: '在谈日期', kind: 'text', width: 11 },
  { header: '签约日期', kind: 'text', width: 11 },
  { header: '过审日期', kind: 'text', width: 11 },
  { header: '落地日期', kind: 'text', width: 11 },
  { header: '开工日期', kind: 'text', width: 11 },
  { header: '投产日期', kind: 'text', width: 11 },
  { header: '评审机构', kind: 'text', width: 18 },
  { header: '注册企业', kind: 'text', width: 24 },
  { header: '统一社会信用代码', kind: 'text', width: 20 },
  { header: '最近跟进', kind: 'text', width: 11 },
  { header: '终止情况', kind: 'text', width: 24 },
];

const BATCH: TableColumn[] = [
  { header: '序号', kind: 'seq' },
  { header: '项目名称', kind: 'text', width: 36, counts: true },
  { header: '招商小分队', kind: 'text', width: 22 },
  { header: '所属地区', kind: 'text', width: 12 },
  { header: '所属产业', kind: 'text', width: 12 },
  { header: '投资方/注册企业', kind: 'text', width: 26 },
  { header: '日期', kind: 'text', width: 11 },
  { header: '签约额', kind: 'money', sum: true },
  { header: '计划总投资', kind: 'money', sum: true },
  { header: '实际到资', kind: 'money', sum: true },
];

function ledgerRow(l: LeadListRow): CellInput[] {
  const ended = l.terminated_on ? `${l.terminated_on} ${TERMINATION_LABELS[l.termination_kind as TerminationKind] ?? ''}：${l.termination_reason ?? ''}` : null;
  return [
    null, l.name, l.team_name, l.region_name, l.industry, l.investor, LEAD_STAGE_LABELS[l.stage] ?? l.stage,
    l.intended_amount, l.signed_amount, l.foreign_usd === null ? null : l.foreign_usd / 10_000, l.planned_total, l.funds_in_place,
    l.lead_on, l.negotiating_on, l.signed_on, l.approved_on, l.landed_on, l.started_on, l.producing_on,
    l.review_body, l.company_name, l.company_uscc, l.last_followup_on, ended,
  ];
}

/** Writes the ledger and the quarter's three lists. */
export async function writeAttractionWorkbook(out: Writable, input: {
  leads: readonly LeadListRow[]; year: number; quarter: number; note: string;
  batches: { signed: readonly LeadListRow[]; started: readonly LeadListRow[]; producing: readonly LeadListRow[] };
}): Promise<void> {
  const book = await XlsxStream.open(out);
  const ledger = book.sheet({ name: '招商项目台账', title: '招商引资项目台账', note: input.note, columns: LEDGER });
  for (const l of input.leads) ledger.row(ledgerRow(l));
  ledger.total();
  await ledger.drained();
  ledger.commit();
  const lists = [['签约一批', 'signed', 'signed_on'], ['开工一批', 'started', 'started_on'], ['投产一批', 'producing', 'producing_on']] as const;
  for (const [name, key, field] of lists) {
    const sheet = book.sheet({ name, title: `${input.year}年第${input.quarter}季度“三个一批”${name}项目表`, note: input.note, columns: BATCH });
    for (const l of input.batches[key]) {
      sheet.row([null, l.name, l.team_name, l.region_name, l.industry, l.company_name ?? l.investor, l[field], l.signed_amount, l.planned_total, l.funds_in_place]);
    }
    sheet.total();
    sheet.commit();
  }
  await book.commit();
}
