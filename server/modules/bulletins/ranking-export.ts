import type { Writable } from 'node:stream';
import { percentCell, today, XlsxStream, type TableColumn } from '../exports/index.ts';
import type { BulletinService } from './bulletin.service.ts';
import type { RankingQuery } from './bulletin.schema.ts';
import type { Actor } from '../../context.ts';

/**
 * 月讲评 workbook: the unit ranking exactly as the bulletin prints it (rank, ties explained), then the 十快 and
 * 十慢 projects, through the streamed table writer. Computed before the first byte, so errors stay JSON.
 */
export async function rankingWorkbook(service: BulletinService, actor: Actor, query: RankingQuery): Promise<{ fileName: string; write: (out: Writable) => Promise<void> }> {
  const r = await service.getRanking(actor, query);
  const label = r.period_label;
  const unitColumns: TableColumn[] = [
    { header: '名次', kind: 'text', width: 8 },
    { header: '单位', kind: 'text', width: 24 },
    { header: '项目个数（个）', kind: 'count', sum: true, width: 10 },
    { header: `${r.year}年计划投资（万元）`, kind: 'money', sum: true },
    { header: `${label}完成投资（万元）`, kind: 'money', sum: true },
    { header: '投资完成率（%）', kind: 'percent', width: 10, ratioOf: [4, 3] },
    { header: `与序时进度（${r.time_progress_text}%）差（百分点）`, kind: 'points', width: 14 },
    { header: '说明', kind: 'text', width: 40 },
  ];
  const projectColumns: TableColumn[] = [
    { header: '序号', kind: 'seq' },
    { header: '项目名称', kind: 'text', width: 36 },
    { header: '责任单位', kind: 'text', width: 20 },
    { header: `${r.year}年计划投资（万元）`, kind: 'money' },
    { header: `${label}完成投资（万元）`, kind: 'money' },
    { header: '投资完成率（%）', kind: 'percent', width: 10 },
    { header: '与序时进度差（百分点）', kind: 'points', width: 12 },
  ];
  const write = async (out: Writable) => {
    const book = await XlsxStream.open(out);
    const note = `序时进度 ${r.time_progress_text}%；按投资完成率排名，完成率相同者并列；导出时间：${today()}`;
    const units = book.sheet({ name: '单位排名', title: `${r.year}年重点项目${label}各单位推进情况排名`, note, columns: unitColumns });
    for (const u of r.units) {
      units.row([u.rank === null ? '—' : String(u.rank), u.name, u.count, u.planned_investment, u.unrecorded ? null : u.completed_ytd, percentCell(u.completion_rate_text), percentCell(u.gap_points_text), u.note]);
    }
    units.total();
    units.commit();
    for (const [name, list] of [['十快项目', r.fast], ['十慢项目', r.slow]] as const) {
      const sheet = book.sheet({ name, title: `${r.year}年重点项目${label}投资完成率${name === '十快项目' ? '较快' : '较慢'}项目`, note, columns: projectColumns });
      for (const p of list) sheet.row([null, p.name, p.unit_name, p.planned_investment, p.completed_ytd, percentCell(p.completion_rate_text), percentCell(p.gap_points_text)]);
      sheet.commit();
    }
    await book.commit();
  };
  return { fileName: `重点项目单位排名-${r.year}年${label}.xlsx`, write };
}
