import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../server/db/database.ts';
import ExcelJS from 'exceljs';
import { rssOf, withRssSampling } from './measure.ts';
import { getJson, writeHeaders } from './server.ts';
import type { ScenarioContext, ScenarioResult } from './scenarios.ts';

const ROWS = 100_000;

/**
 * Writes an N-row project list the way offices keep them: a title, a note row with the unit (单位：万元), one header
 * row, group headings (一、投产达产 …), money in 万元 with two decimals, and a 合计 row — streamed, so it costs
 * little memory. Names are numbered so that every row is a new project.
 */
export async function makeWorkbook(file: string, spec: { rows: number; units: string[]; region: string; year: number }): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('重点项目');
  ws.addRow([`${spec.year}年重点项目清单`]).commit();
  ws.addRow([null, null, null, null, null, null, null, null, null, null, '单位：万元']).commit();
  ws.addRow(['序号', '项目名称', '所属地区', '责任单位', '建设性质', '项目类别', '建设单位', '建设地点', '建设规模及内容', '建设起止年限', '总投资']).commit();
  const groups = ['一、投产达产', '二、加快建设', '三、促进开工', '四、前期储备'];
  const natures = ['新建', '续建', '扩建', '改建', '技改'];
  const categories = ['产业', '基础设施', '社会民生', '生态环保'];
  const subjects = ['智能制造产业园', '新能源汽车零部件', '生物医药研发中心', '污水处理厂提标改造', '保障性租赁住房', '数字经济产业园'];
  const perGroup = Math.ceil(spec.rows / groups.length);
  let n = 0;
  for (const heading of groups) {
    ws.addRow([heading]).commit();
    for (let i = 0; i < perGroup && n < spec.rows; i++) {
      n++;
      const total = Math.round((500 + ((n * 7919) % 200_000)) * 100) / 100;
      ws.addRow([
        n, `导入${subjects[n % subjects.length]}项目${n}号`, spec.region, spec.units[n % spec.units.length], natures[n % natures.length],
        categories[n % categories.length], `苏州导入${n % 977}发展有限公司`, `${spec.region}${n % 50}号地块`, '建设厂房、研发中心及配套设施',
        `${spec.year}-${spec.year + 2}`, total,
      ]).commit();
    }
  }
  ws.addRow(['合计']).commit();
  ws.commit();
  await wb.commit();
}

/** Township units of the county, by name: the responsible units the generated workbook names. */
async function countyUnitNames(ctx: ScenarioContext): Promise<string[]> {
  const database = openDatabase({ dataDir: ctx.target.dataDir, databaseUrl: ctx.target.databaseUrl });
  try {
    const rows = await database.db.selectFrom('units').select('name').where('kind', '=', 'township').where('region_code', 'like', `${ctx.county}%`).orderBy('id').execute();
    return rows.map((r) => r.name);
  } finally {
    await database.destroy();
  }
}

/**
 * 6. Imports a generated 100k-row project-list workbook (merged two-row header, group headings, 合计 row) through
 * `POST /api/v1/imports/apply`, then exports the county's list — now over 100k rows — through
 * `GET /api/v1/exports/projects.xlsx`; each bounded in time, with the server's peak RSS.
 */
export async function importExport(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const title = 'Excel 导入导出 import a 100k-row workbook, export 100k+ rows';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-xlsx-'));
  try {
    const file = path.join(dir, 'projects-100k.xlsx');
    const units = await countyUnitNames(ctx);
    const t0 = performance.now();
    await makeWorkbook(file, { rows: ROWS, units, region: ctx.county, year: ctx.year });
    const makeSeconds = (performance.now() - t0) / 1000;
    const bytes = fs.statSync(file).size;

    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(file)]), 'projects-100k.xlsx');
    const headers = writeHeaders(ctx.session);
    delete headers['content-type'];
    const before = rssOf(ctx.server.pid);
    const ti = performance.now();
    const imported = await withRssSampling(ctx.server.pid, async () => {
      const res = await fetch(`${ctx.server.base}/api/v1/imports/apply?kind=projects&year=${ctx.year}`, {
        method: 'POST', headers, body: form, signal: AbortSignal.timeout(240_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`import: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as { summary: { rows: number; created: number; updated: number; errorRows: number } };
    });
    const importSeconds = (performance.now() - ti) / 1000;
    const s = imported.result.summary;

    const exportUrl = `/api/v1/exports/projects.xlsx?region=${ctx.county}`;
    const listed = await getJson(ctx.server.base, `/api/v1/projects?region=${ctx.county}&page_size=1`, ctx.session.cookie) as { totals: { count: number } };
    const te = performance.now();
    const exported = await withRssSampling(ctx.server.pid, async () => {
      const res = await fetch(ctx.server.base + exportUrl, { headers: { cookie: ctx.session.cookie }, signal: AbortSignal.timeout(240_000) });
      if (!res.ok) throw new Error(`export: ${res.status} ${(await res.text()).slice(0, 300)}`);
      return (await res.arrayBuffer()).byteLength;
    });
    const exportSeconds = (performance.now() - te) / 1000;
    const ok = s.created + s.updated === ROWS && s.errorRows === 0;
    return [
      {
        id: '6 import', title, status: ok ? 'ok' : 'failed',
        ...(ok ? {} : { note: `imported ${s.created} + ${s.updated} of ${ROWS} rows, ${s.errorRows} rows with errors` }),
        figures: {
          rows: ROWS, workbook_mb: Math.round(bytes / 1e5) / 10, make_workbook_s: Math.round(makeSeconds * 10) / 10,
          import_s: Math.round(importSeconds * 10) / 10, created: s.created, updated: s.updated, error_rows: s.errorRows, max_rss_mb: imported.maxRssMb, max_anon_mb: imported.maxAnonMb, rss_before_mb: before.rssMb,
        },
      },
      {
        id: '6 export', title, status: 'ok',
        figures: { rows: listed.totals.count, export_s: Math.round(exportSeconds * 10) / 10, workbook_mb: Math.round(exported.result / 1e5) / 10, max_rss_mb: exported.maxRssMb },
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
