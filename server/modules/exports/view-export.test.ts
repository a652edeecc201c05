import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildUser } from '../../../test/factories.ts';
import { buildPlan } from '../../../test/indicator-factories.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { readWorkbook } from '../../../test/workbooks.ts';
import { clock } from '../../clock.ts';

/** A sheet's rows as arrays of values (column A first), from row `from` on. */
const rowsOf = (ws: ExcelJS.Worksheet, from = 1) =>
  Array.from({ length: ws.rowCount - from + 1 }, (_, i) => Array.from({ length: ws.columnCount }, (_, c) => ws.getCell(from + i, c + 1).value));
const sum = (xs: unknown[]) => Math.round(xs.reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0) * 10_000) / 10_000;

describe.each(DIALECTS)('report view exports on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  let auditor: LoginHeaders;
  const req = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', cookie: LoginHeaders, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });
  const download = async (url: string, cookie: LoginHeaders) => {
    const res = await t.app.inject({ url, headers: cookie });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    return { wb: await readWorkbook(res.rawPayload), disposition: String(res.headers['content-disposition']) };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    await buildUser(t.db, { username: 'auditor1', role: 'auditor' });
    auditor = await t.login('auditor1');
    await t.db.updateTable('projects').set({ campaign_group: '加快建设', nature: 'new', category: '产业', updated_at: clock.now().toISOString() }).where('id', '=', w.pa1).execute();
    await t.db.updateTable('projects').set({ campaign_group: '投产达产', nature: 'continued', category: '社会民生', updated_at: clock.now().toISOString() }).where('id', '=', w.pa2).execute();
    await t.db.updateTable('projects').set({ campaign_group: '加快建设', nature: 'new', total_investment: 55_555_555, updated_at: clock.now().toISOString() }).where('id', '=', w.pb1).execute();
    await buildPlan(t.db, { project_id: w.pb1, year: 2026, planned_investment: 10_000_000 });
    await req('POST', w.office, '/api/v1/reporting/years', { year: 2026 });
    for (const m of [4, 5]) await req('PATCH', w.office, `/api/v1/reporting/periods/2026/${m}`, { status: 'open' });
    // April approved: pa1 5,000,000, pa2 2,000,000. May: pa1 submitted (+3,000,000), pa2 none, pb1 a draft.
    for (const [id, amount] of [[w.pa1, 5_000_000], [w.pa2, 2_000_000]] as const) {
      const r = (await req('PUT', w.reporterA, `/api/v1/projects/${id}/reports/2026/4`, { amount_month: amount, progress_text: '基础施工' })).json();
      const s = (await req('POST', w.reporterA, `/api/v1/reports/${r.id}/submit`, { version: r.version })).json();
      await req('POST', w.office, `/api/v1/reports/${r.id}/approve`, { version: s.version });
    }
    const may = (await req('PUT', w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/5`, {
      amount_month: 3_000_000, progress_text: '=CMD|"/c calc"!A1', problems: '+缺少用地指标',
    })).json();
    expect((await req('POST', w.reporterA, `/api/v1/reports/${may.id}/submit`, { version: may.version })).statusCode).toBe(200);
    expect((await req('PUT', w.reporterB, `/api/v1/projects/${w.pb1}/reports/2026/5`, { amount_month: 1_234_567 })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  describe('月度进展表', () => {
    const url = '/api/v1/exports/monthly-progress.xlsx?year=2026&month=5';

    it('lists every reporting project with its plan and May report in 万元, a rate, a status and a totals row', async () => {
      const { wb, disposition } = await download(url, w.office);
      expect(disposition).toContain("filename*=UTF-8''");
      expect(decodeURIComponent(disposition)).toContain('重点项目月度进展表-2026年5月.xlsx');
      const ws = wb.getWorksheet('月度进展')!;
      expect(ws.getCell(1, 1).value).toBe('2026年重点项目1–5月推进情况表');
      expect(ws.getCell(2, ws.columnCount).value).toBe('单位：万元');
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      expect(rowsOf(ws, 3)[0]).toEqual(['序号', '项目名称', '责任单位', '所属地区', '总投资（万元）', '2026年计划投资（万元）', '本月完成投资（万元）',
        '1-5月累计完成投资（万元）', '投资完成率（%）', '自开工累计完成投资（万元）', '项目阶段', '形象进度', '存在问题', '填报状态']);
      const [pa1, pa2, pb1, total] = rowsOf(ws, 4);
      // pa1: plan 12,000 万; 1–5月 500 + 300 = 800 万 (6.666…% → 6.7); since start 3,000 + 800.
      expect(pa1).toEqual([1, '甪直智能装备产业园', '甪直镇', '吴中区', 10_000, 12_000, 300, 800, 6.7, 3_800, '前期', '\'=CMD|"/c calc"!A1', "'+缺少用地指标", '已提交']);
      expect(pa2).toEqual([2, '甪直污水处理厂提标改造', '甪直镇', '吴中区', 10_000, 6_000, null, null, null, null, expect.any(String), null, null, '未填报']);
      expect(pb1).toEqual([3, '临湖生态湿地公园', '临湖镇', '吴中区', 5_555.5555, 1_000, 123.4567, 123.4567, 12.3, 123.4567, expect.any(String), null, null, '草稿']);
      expect(ws.getCell(4, 5).numFmt).toBe('#,##0.00');
      expect(ws.getCell(4, 9).numFmt).toBe('0.0');
      expect(total!.slice(0, 10)).toEqual(['合计', '3 个项目', null, null, 25_555.5555, 19_000, 423.4567, 923.4567, 4.9, 3_923.4567]);
      for (const col of [4, 5, 6, 7, 9]) expect(total![col]).toBe(sum([pa1, pa2, pb1].map((r) => r![col])));
      expect(ws.rowCount).toBe(7);
    });

    it('groups by campaign group with numbered headings and subtotals', async () => {
      const ws = (await download(`${url}&group_by=campaign_group`, w.office)).wb.getWorksheet('月度进展')!;
      const rows = rowsOf(ws, 4);
      expect(rows.map((r) => r[0])).toEqual(['一、投产达产（项目共计：1个）', 1, '小计', '二、加快建设（项目共计：2个）', 2, 3, '小计', '合计']);
      expect(rows[2]!.slice(1, 9)).toEqual(['1 个项目', null, null, 10_000, 6_000, 0, 0, 0]);
      expect(rows[6]!.slice(1, 9)).toEqual(['2 个项目', null, null, 15_555.5555, 13_000, 423.4567, 923.4567, 7.1]);
      expect(rows[7]![4]).toBe(25_555.5555);
    });

    it('gives a reporter only the projects of its unit, and narrows by any project-list filter', async () => {
      const mine = rowsOf((await download(url, w.reporterB)).wb.getWorksheet('月度进展')!, 4);
      expect(mine.map((r) => r[1])).toEqual(['临湖生态湿地公园', '1 个项目']);
      const narrowed = rowsOf((await download(`${url}&nature=continued`, w.office)).wb.getWorksheet('月度进展')!, 4);
      expect(narrowed.map((r) => r[1])).toEqual(['甪直污水处理厂提标改造', '1 个项目']);
      const reserve = rowsOf((await download(`${url}&tier=reserve`, w.office)).wb.getWorksheet('月度进展')!, 4);
      expect(reserve.map((r) => r[1])).toEqual(['甪直储备项目', '1 个项目']);
    });

    it('answers a bad query with 400 and a Chinese message, and refuses the 三员', async () => {
      for (const [query, message] of [
        ['month=5', '请指定年份'], ['year=2026&month=13', '月份须在 1 到 12 之间'], ['year=2026&month=5&group_by=stage', '不支持的分组方式'],
      ] as const) {
        const res = await req('GET', w.office, `/api/v1/exports/monthly-progress.xlsx?${query}`);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.message).toContain(message);
      }
      expect((await req('GET', auditor, url)).statusCode).toBe(403);
    });

    it('answers January of a year that reports 1–2月 together with a Chinese 404 instead of an empty table', async () => {
      expect((await req('POST', w.office, '/api/v1/reporting/years', { year: 2029, merge_jan_feb: true })).statusCode).toBe(201);
      const res = await req('GET', w.office, '/api/v1/exports/monthly-progress.xlsx?year=2029&month=1');
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('2029年1月不是该年度的填报期（1–2月合并填报时为 2 月）');
      expect((await req('GET', w.office, '/api/v1/exports/monthly-progress.xlsx?year=2029&month=2')).statusCode).toBe(200);
    });

    it('records the download in the audit trail', async () => {
      await download(url, w.office);
      const rows = await t.db.selectFrom('audit_log').select(['route', 'status']).where('route', '=', '/api/v1/exports/monthly-progress.xlsx').execute();
      expect(rows.some((r) => r.status === 200)).toBe(true);
    });
  });

  describe('指标分组表', () => {
    it('breaks indicators down as asked, with the overall figures as the totals row', async () => {
      const { wb, disposition } = await download('/api/v1/exports/indicators.xlsx?year=2026&month=5&breakdown=nature,unit', w.office);
      expect(decodeURIComponent(disposition)).toContain('重点项目指标分组表-2026年1–5月.xlsx');
      const ws = wb.getWorksheet('指标分组')!;
      const header = rowsOf(ws, 3)[0]!;
      expect(header.slice(0, 7)).toEqual(['分组', '项目个数（个）', '总投资（万元）', '2026年计划投资（万元）', '1–5月完成投资（万元）', '投资完成率（%）', '与序时进度（41.7%）差（百分点）']);
      expect(header[9]).toBe('开工率（按全年计划新开工项目）（%）');
      expect(header[12]).toBe('开工率（按1–5月计划新开工项目）（%）');
      const rows = rowsOf(ws, 4);
      expect(rows[0]![0]).toBe('一、按建设性质分');
      const natureRows = rows.slice(1, 3);
      expect(natureRows.map((r) => r[0])).toEqual(['续建', '新建']);
      // Counted: approved and submitted reports. 1–5月: pa1 800 万 (submitted), pa2 200 万 (April, approved); pb1 a draft.
      expect(natureRows[0]!.slice(1, 7)).toEqual([1, 10_000, 6_000, 200, 3.3, -38.3]);
      expect(natureRows[1]!.slice(1, 7)).toEqual([2, 15_555.5555, 13_000, 800, 6.2, -35.5]);
      const total = rows[3]!;
      expect(total.slice(0, 7)).toEqual(['合计', 3, 25_555.5555, 19_000, 1_000, 5.3, -36.4]);
      for (const col of [1, 2, 3, 4]) expect(total[col]).toBe(sum(natureRows.map((r) => r[col])));
      expect(rows[4]![0]).toBe('二、按责任单位分');
      expect(rows.slice(5, 7).map((r) => r[0]).sort()).toEqual(['临湖镇', '甪直镇']);
      expect(rows[7]![0]).toBe('合计');
      expect(ws.rowCount).toBe(3 + 8);
    });

    it('limits a reporter to its unit and answers a bad breakdown in Chinese', async () => {
      const rows = rowsOf((await download('/api/v1/exports/indicators.xlsx?year=2026&month=5&breakdown=nature', w.reporterA)).wb.getWorksheet('指标分组')!, 4);
      expect(rows.at(-1)!.slice(0, 5)).toEqual(['合计', 2, 20_000, 18_000, 1_000]);
      const bad = await req('GET', w.office, '/api/v1/exports/indicators.xlsx?year=2026&month=5&breakdown=colour');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('不支持的分组：colour');
    });

    it('takes group_by as the one breakdown, like the other exports, instead of ignoring it', async () => {
      const ws = (await download('/api/v1/exports/indicators.xlsx?year=2026&month=5&group_by=unit', w.office)).wb.getWorksheet('指标分组')!;
      expect(ws.getCell(4, 1).value).toBe('一、按责任单位分');
      const bad = await req('GET', w.office, '/api/v1/exports/indicators.xlsx?year=2026&month=5&group_by=campaign_group');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('不支持的分组方式');
    });

    it('adds completion against the month-by-month plan (计划完成表) once a project in scope has one', async () => {
      // pa1 plans 12,000 万 for the year: 600 万 in each of 1–5月 (3,000 万 to date), the rest later; 800 万 done.
      const monthly = [6, 6, 6, 6, 6, 18, 18, 18, 18, 18, 0, 0].map((x) => x * 1_000_000);
      // A plan write bumps updated_at, which is how the group rollup learns of it.
      await t.db.updateTable('annual_plans').set({ ...Object.fromEntries(monthly.map((v, i) => [`plan_m${String(i + 1).padStart(2, '0')}`, v])), updated_at: clock.now().toISOString() })
        .where('project_id', '=', w.pa1).where('year', '=', 2026).execute();
      try {
        const ws = (await download('/api/v1/exports/indicators.xlsx?year=2026&month=5&breakdown=nature', w.office)).wb.getWorksheet('指标分组')!;
        const header = rowsOf(ws, 3)[0]!;
        expect(header.slice(7, 9)).toEqual(['1–5月分月计划（万元）', '完成1–5月投资计划（%）']);
        const total = rowsOf(ws, 4).at(-1)!;
        expect(total.slice(7, 9)).toEqual([3_000, 26.7]);
      } finally {
        await t.db.updateTable('annual_plans').set({ ...Object.fromEntries(monthly.map((_, i) => [`plan_m${String(i + 1).padStart(2, '0')}`, null])), updated_at: clock.now().toISOString() })
          .where('project_id', '=', w.pa1).where('year', '=', 2026).execute();
      }
    });

    it('prints the bulletin’s three breakdowns when none is asked', async () => {
      const ws = (await download('/api/v1/exports/indicators.xlsx?year=2026&month=5', w.office)).wb.getWorksheet('指标分组')!;
      const headings = rowsOf(ws, 4).map((r) => r[0]).filter((v) => typeof v === 'string' && /^[一二三]、/.test(v));
      expect(headings).toEqual(['一、按建设性质分', '二、按项目类别分', '三、按投资类型分']);
    });
  });

  describe('红黄绿灯清单', () => {
    it('lists the view’s projects with every dimension’s light and reason, and the counts', async () => {
      const view = (await req('GET', w.office, '/api/v1/lights?year=2026&month=5&light=red,yellow,green,none')).json();
      const { wb } = await download('/api/v1/exports/lights.xlsx?year=2026&month=5&light=red,yellow,green,none', w.office);
      const ws = wb.getWorksheet('亮灯清单')!;
      expect(rowsOf(ws, 3)[0]).toEqual(['序号', '项目名称', '责任单位', '综合灯色', '投资进度灯色', '投资进度亮灯原因', '开工灯色', '开工亮灯原因',
        '入库纳统灯色', '入库纳统亮灯原因', '问题办理灯色', '问题办理亮灯原因', '正当理由']);
      const rows = rowsOf(ws, 4);
      expect(rows).toHaveLength(view.items.length + 1);
      const labels: Record<string, string> = { red: '红灯', yellow: '黄灯', green: '绿灯', none: '不适用' };
      view.items.forEach((item: { name: string; overall: string; dimensions: { dimension: string; light: string; reason: string }[] }, i: number) => {
        expect(rows[i]!.slice(1, 5)).toEqual([item.name, expect.any(String), labels[item.overall], labels[item.dimensions[0]!.light]]);
        const investment = item.dimensions.find((d) => d.dimension === 'investment')!;
        expect(rows[i]![5]).toBe(investment.light === 'red' || investment.light === 'yellow' ? investment.reason : null);
      });
      const pa1 = rows.find((r) => r[1] === '甪直智能装备产业园')!;
      expect(pa1[3]).toBe('红灯');
      expect(pa1[5]).toEqual(expect.stringContaining('序时进度'));
      expect(rows.at(-1)!.slice(0, 2)).toEqual(['合计', `${view.items.length} 个项目`]);
      const counts = rowsOf(wb.getWorksheet('灯色统计')!, 3);
      expect(counts[0]).toEqual(['维度', '红灯（个）', '黄灯（个）', '绿灯（个）', '不适用（个）', '合计（个）']);
      expect(counts[1]).toEqual(['综合', view.counts.red, view.counts.yellow, view.counts.green, view.counts.none,
        view.counts.red + view.counts.yellow + view.counts.green + view.counts.none]);
      expect(counts[2]![1]).toBe(view.by_dimension.investment.red);
    });

    it('lists red and yellow by default, limits a reporter to its unit, and answers a bad light in Chinese', async () => {
      const rows = rowsOf((await download('/api/v1/exports/lights.xlsx?year=2026&month=5', w.reporterB)).wb.getWorksheet('亮灯清单')!, 4);
      expect(rows.every((r) => r[0] === '合计' || r[2] === '临湖镇')).toBe(true);
      expect(rows.slice(0, -1).every((r) => r[3] === '红灯' || r[3] === '黄灯')).toBe(true);
      const bad = await req('GET', w.office, '/api/v1/exports/lights.xlsx?year=2026&month=5&light=blue');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('灯色有误：blue');
    });
  });

  describe('待审核清单', () => {
    it('lists the period\'s submitted reports with last period\'s cumulative, what changed, and totals; only reviewers get it', async () => {
      const view = (await req('GET', w.office, '/api/v1/reporting/periods/2026/5/review-queue')).json();
      const { wb, disposition } = await download('/api/v1/exports/review-queue.xlsx?year=2026&month=5', w.office);
      expect(decodeURIComponent(disposition)).toContain('重点项目月报待审核清单-2026年5月.xlsx');
      const rows = rowsOf(wb.getWorksheet('待审核月报')!, 3);
      expect(rows[0]).toEqual(['序号', '项目名称', '责任单位', '本月完成投资（万元）', '1–5月累计完成投资（万元）', '上期累计完成投资（万元）', '较上期变化的内容', '现场照片（张）', '是否迟报', '提交时间']);
      const items = rows.slice(1, -1);
      expect(items).toHaveLength(view.items.length);
      expect(items.length).toBeGreaterThan(0);
      const first = view.items[0];
      expect(items[0]!.slice(1, 6)).toEqual([first.project.name, first.project.unit_name, first.report.amount_month / 10_000, first.report.amount_ytd / 10_000, first.previous ? first.previous.amount_ytd / 10_000 : null]);
      expect(rows.at(-1)![0]).toBe('合计');
      expect(rows.at(-1)![3]).toBe(sum(items.map((r) => r[3])));
      expect((await req('GET', w.reporterA, '/api/v1/exports/review-queue.xlsx?year=2026&month=5')).statusCode).toBe(403);
    });
  });

  describe('催报清单', () => {
    it('counts due, in, missing and late reports per unit and lists the missing projects by unit', async () => {
      const { wb, disposition } = await download('/api/v1/exports/missing.xlsx?year=2026&month=5', w.office);
      expect(decodeURIComponent(disposition)).toContain('月度填报催报清单-2026年5月.xlsx');
      const summary = rowsOf(wb.getWorksheet('催报汇总')!, 3);
      expect(summary[0]).toEqual(['序号', '责任单位', '应报项目（个）', '已报（个）', '未报（个）', '迟报（个）']);
      expect(summary.slice(1)).toEqual([
        [1, '甪直镇', 2, 1, 1, 1],
        [2, '临湖镇', 1, 0, 1, 0],
        ['合计', null, 3, 1, 2, 1],
      ]);
      const detail = rowsOf(wb.getWorksheet('未报迟报明细')!, 4);
      expect(detail).toEqual([
        // May's deadline (the 25th) has passed: missing reports are overdue and pa1's submission was late.
        ['一、甪直镇（未报 1 个，迟报 1 个）', null, null, null, null],
        [1, '甪直污水处理厂提标改造', '未填报', '是', null],
        [2, '甪直智能装备产业园', '迟报', '是', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)],
        ['小计', '2 个项目', null, null, null],
        ['二、临湖镇（未报 1 个，迟报 0 个）', null, null, null, null],
        [3, '临湖生态湿地公园', '已填未提交', '是', null],
        ['小计', '1 个项目', null, null, null],
        ['合计', '3 个项目', null, null, null],
      ]);
    });

    it('limits a reporter to its unit and answers an unknown period in Chinese', async () => {
      const summary = rowsOf((await download('/api/v1/exports/missing.xlsx?year=2026&month=5', w.reporterA)).wb.getWorksheet('催报汇总')!, 4);
      expect(summary.map((r) => r[1])).toEqual(['甪直镇', null]);
      const none = await req('GET', w.office, '/api/v1/exports/missing.xlsx?year=2030&month=5');
      expect(none.statusCode).toBe(404);
      expect(none.json().error.message).toContain('不是已建立的填报期');
      const bad = await req('GET', w.office, '/api/v1/exports/missing.xlsx?year=2026');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('请指定月份');
    });
  });
});
