import type { Writable } from 'node:stream';
import { DEFAULT_TEMPLATE } from '../../../core/bulletins/template.ts';
import type { DocBlock } from '../../../core/bulletins/compose.ts';
import { chineseDate } from '../../../core/bulletins/phrases.ts';
import { renderBulletinDocx } from '../bulletins/index.ts';
import { XlsxStream, type TableColumn } from '../exports/index.ts';
import type { SnapshotBody } from './evaluation.service.ts';

/** The title of a month's 讲评 sheet. */
function titleOf(s: SnapshotBody): string {
  return `${s.year}年重点项目${s.period_label}考评讲评`;
}
const rankChange = (c: number | null) => (c === null ? '—' : c > 0 ? `↑${c}` : c < 0 ? `↓${-c}` : '—');
const names = (s: SnapshotBody, keys: string[]) => keys.map((k) => s.units.find((u) => u.key === k)?.name ?? k);

/** The 讲评 workbook: the ranking with every leaf's figure and score, then 红榜/黄榜 and 十快/十慢, streamed. */
export function sheetWorkbook(s: SnapshotBody, status: string): { fileName: string; write: (out: Writable) => Promise<void> } {
  const columns: TableColumn[] = [
    { header: '名次', kind: 'text', width: 6 },
    { header: '单位', kind: 'text', width: 20 },
    { header: '总分', kind: 'points', width: 9 },
    { header: '较上月名次', kind: 'text', width: 9 },
    { header: '较上月得分', kind: 'points', width: 9 },
    { header: '与第一名差', kind: 'points', width: 9 },
    ...s.leaves.flatMap((l): TableColumn[] => [
      { header: `${l.name}（${l.unit || '值'}）`, kind: 'text', width: 12 },
      { header: `${l.name}得分`, kind: 'points', width: 9 },
    ]),
    { header: '加扣分', kind: 'points', width: 8 },
    { header: '说明', kind: 'text', width: 30 },
  ];
  const note = `考评方案：${s.scheme.name}；${status}；分数按未舍入值计算，显示保留一位小数`;
  const write = async (out: Writable) => {
    const book = await XlsxStream.open(out);
    const sheet = book.sheet({ name: '考评排名', title: titleOf(s), note, columns });
    for (const u of s.units) {
      sheet.row([
        String(u.rank), u.name, Number(u.total_text), rankChange(u.rank_change), u.score_change_text === null ? null : Number(u.score_change_text),
        Number(u.gap_to_leader_text),
        ...s.leaves.flatMap((l) => [u.nodes[l.key]?.value_text ?? '—', Number(u.nodes[l.key]?.contribution_text ?? 0)]),
        Number(u.adjustment_text), u.vetoed ? `一票否决：${u.veto_reasons.join('；')}` : '',
      ]);
    }
    sheet.commit();
    const boards = book.sheet({ name: '红黄榜', title: `${titleOf(s)}红榜、黄榜`, note, columns: [
      { header: '榜', kind: 'text', width: 6 }, { header: '指标', kind: 'text', width: 20 }, { header: '单位', kind: 'text', width: 20 },
      { header: '数值', kind: 'text', width: 12 }, { header: '得分', kind: 'points', width: 9 },
    ] });
    for (const [label, list] of [['红榜', s.red], ['黄榜', s.yellow]] as const) {
      for (const b of list) boards.row([label, b.leaf_name, b.unit_name, b.value_text, Number(b.score_text)]);
    }
    boards.commit();
    for (const [name, list] of [['十快项目', s.fast], ['十慢项目', s.slow]] as const) {
      const p = book.sheet({ name, title: `${titleOf(s)}${name}`, note, columns: [
        { header: '序号', kind: 'seq' }, { header: '项目名称', kind: 'text', width: 36 }, { header: '责任单位', kind: 'text', width: 20 },
        { header: '投资完成率（%）', kind: 'text', width: 12 }, { header: '与序时进度差（百分点）', kind: 'text', width: 14 },
      ] });
      for (const x of list) p.row([null, x.name, x.unit_name, x.completion_rate_text, x.gap_points_text]);
      p.commit();
    }
    await book.commit();
  };
  return { fileName: `考评讲评-${s.year}年${s.period_label}.xlsx`, write };
}

/** The 讲评 as a GB/T 9704 document through the bulletin layout: summary, ranking table, lists. */
export async function sheetDocx(s: SnapshotBody, issuedOn: string): Promise<{ fileName: string; docx: Buffer }> {
  const center = (header: string, width: number) => ({ header, width, align: 'center' as const });
  const left = (header: string, width: number) => ({ header, width, align: 'left' as const });
  const right = (header: string, width: number) => ({ header, width, align: 'right' as const });
  const leader = s.units[0];
  const body: DocBlock[] = [
    { kind: 'paragraph', text: `根据《${s.scheme.name}》，现将${s.year}年${s.period_label}各单位考评情况讲评如下：` },
    { kind: 'heading', level: 1, number: '一、', text: '考评排名' },
    { kind: 'table', title: null, columns: [center('名次', 8), left('单位', 24), right('总分', 12), center('较上月', 10), right('与第一名差', 14)],
      rows: s.units.map((u) => [String(u.rank), u.name, u.total_text, rankChange(u.rank_change), u.gap_to_leader_text]),
      note: s.units.some((u) => u.vetoed) ? `注：${s.units.filter((u) => u.vetoed).map((u) => `${u.name}${u.veto_reasons.join('；')}`).join('；')}。` : null },
    { kind: 'heading', level: 1, number: '二、', text: '先进与后进' },
    { kind: 'paragraph', text: `先进单位：${names(s, s.advanced).join('、') || '（无）'}${leader ? `，第一名${leader.name}得${leader.total_text}分` : ''}。后进单位：${names(s, s.lagging).join('、') || '（无）'}。` },
    { kind: 'heading', level: 1, number: '三、', text: '红榜与黄榜' },
    { kind: 'paragraph', text: `红榜：${s.red.map((b) => `${b.leaf_name}${b.unit_name}（${b.value_text}）`).join('；') || '（无）'}。` },
    { kind: 'paragraph', text: `黄榜：${s.yellow.map((b) => `${b.leaf_name}${b.unit_name}（${b.value_text}）`).join('；') || '（无）'}。` },
    { kind: 'heading', level: 1, number: '四、', text: '十快十慢项目' },
    { kind: 'paragraph', text: `推进较快：${s.fast.map((p) => `${p.name}（${p.completion_rate_text}%）`).join('、') || '（无）'}。` },
    { kind: 'paragraph', text: `推进较慢：${s.slow.map((p) => `${p.name}（${p.completion_rate_text}%）`).join('、') || '（无）'}。` },
  ];
  const date = chineseDate(issuedOn);
  const docx = await renderBulletinDocx({
    head: { red_head: '重点项目考评讲评', issue: `${s.year}年${s.period_label}`, doc_number: null, issuer: '重点项目建设领导小组办公室', date, marker: null },
    title: titleOf(s), recipients: '各镇（街道）、开发区，区各有关部门：', body, annex_list: [], signature: '重点项目建设领导小组办公室', date,
    annexes: [], cc: '', printed_by: '重点项目建设领导小组办公室', printed_date: `${date}印发`, fonts: DEFAULT_TEMPLATE.fonts,
  });
  return { fileName: `考评讲评-${s.year}年${s.period_label}.docx`, docx };
}
