// Generates a realistic N-row project-list workbook (title, note-row unit, two-row merged header, group headings,
// 合计 row) with exceljs's streaming writer, for import benchmarks. Reusable:
//   node bench/make-workbook.ts --rows 100000 -o /tmp/projects-100k.xlsx [--units 长桥街道人民政府,越溪街道人民政府] [--region 吴中区]
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { rng } from '../core/random.ts';

const PLACES = ['苏州湾', '太湖', '东山', '木渎', '甪直', '临湖', '胥口', '越溪', '城南', '郭巷', '横泾', '光福'];
const SUBJECTS = ['新能源汽车零部件', '高端装备制造', '生物医药产业园', '数字经济产业园', '集成电路封测', '智能制造基地', '污水处理厂提标改造', '人民医院新院区', '实验学校', '快速路改造工程', '综合管廊', '保障性租赁住房', '冷链物流中心', '光伏发电', '文旅综合体'];
const NATURES = ['新建', '续建', '扩建', '改建', '技改'];
const GROUPS = ['一、投产达产', '二、加快建设', '三、促进开工', '四、前期储备'];

export interface WorkbookSpec {
  rows: number;
  /** Responsible unit names that exist in the target database. */
  units: string[];
  /** A region name or code that exists in the target database. */
  region: string;
  seed?: number;
  year?: number;
}

/** Writes the workbook to `file` and returns the number of project rows written. */
export async function makeProjectWorkbook(file: string, spec: WorkbookSpec): Promise<number> {
  const rand = rng(spec.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('重点项目');
  const header = ['序号', '项目名称', '项目代码', '所属地区', '责任单位', '建设性质', '项目类别', '建设单位', '建设地点', '建设规模及内容', '建设起止年限', '计划开工时间', '总投资', '资金来源', null, `${spec.year ?? 2026}年计划投资`];
  ws.addRow([`${spec.year ?? 2026}年重点项目清单`]);
  ws.addRow([null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, '单位：万元']);
  ws.addRow(header);
  // Merges must be declared before their rows are committed.
  const sub = ws.addRow([null, null, null, null, null, null, null, null, null, null, null, null, null, '中央资金', '企业自筹', null]);
  ws.mergeCells('A1:P1');
  for (const c of 'ABCDEFGHIJKLMP') ws.mergeCells(`${c}3:${c}4`);
  ws.mergeCells('N3:O3');
  sub.commit();
  const perGroup = Math.ceil(spec.rows / GROUPS.length);
  let written = 0;
  for (const [g, heading] of GROUPS.entries()) {
    ws.addRow([`${heading}（项目共计：${Math.min(perGroup, spec.rows - g * perGroup)}个）`]).commit();
    for (let i = 0; i < perGroup && written < spec.rows; i++) {
      written++;
      const total = Math.round(Math.exp(Math.log(2e4) + 1.2 * (rand() * 2 - 1)) * 100) / 100; // 万元, two decimals
      const central = Math.round(total * rand() * 20) / 100;
      const start = 2024 + Math.floor(rand() * 3);
      ws.addRow([
        written, `${pick(PLACES)}${pick(SUBJECTS)}项目${written}`, null, spec.region, pick(spec.units), pick(NATURES), pick(['产业', '基础设施', '社会民生', '生态环保']),
        `苏州${pick(PLACES)}发展有限公司`, `${pick(PLACES)}片区`, `总建筑面积${Math.floor(rand() * 90_000 + 10_000)}平方米，建设厂房、研发中心及配套设施`,
        `${start}-${start + 1 + Math.floor(rand() * 3)}`, `${start}年${1 + Math.floor(rand() * 12)}月`, total, central, Math.round((total - central) * 100) / 100,
        Math.round(total * 0.3 * 100) / 100,
      ]).commit();
    }
  }
  ws.addRow(['合计']).commit();
  ws.commit();
  await wb.commit();
  return written;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: {
    rows: { type: 'string', default: '100000' }, output: { type: 'string', short: 'o' }, units: { type: 'string' }, region: { type: 'string', default: '吴中区' }, seed: { type: 'string', default: '1' },
  } });
  if (!values.output) throw new Error('usage: node bench/make-workbook.ts --rows N -o FILE [--units a,b] [--region 吴中区]');
  const units = values.units ? values.units.split(',') : ['长桥街道人民政府', '越溪街道人民政府', '郭巷街道人民政府', '横泾街道人民政府', '香山街道人民政府', '城南街道人民政府'];
  const started = Date.now();
  const n = await makeProjectWorkbook(values.output, { rows: Number(values.rows), units, region: values.region, seed: Number(values.seed) });
  console.log(`${n} rows → ${values.output} (${(fs.statSync(values.output).size / 1024 / 1024).toFixed(1)} MB, ${Date.now() - started} ms)`);
}
