import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { IndicatorRepository } from '../indicators/index.ts';

describe.each(DIALECTS)('a unit’s period, review queue and 催报 on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const req = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', cookie: LoginHeaders, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });
  const reportOf = (projectId: number, month: number) =>
    t.db.selectFrom('monthly_reports').selectAll().where('project_id', '=', projectId).where('year', '=', 2026).where('month', '=', month).executeTakeFirst();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    await req('POST', w.office, '/api/v1/reporting/years', { year: 2026 });
    for (const m of [4, 5, 6]) await req('PATCH', w.office, `/api/v1/reporting/periods/2026/${m}`, { status: 'open' });
    // April, approved: pa1 5,000,000 with 40 workers; pa2 2,000,000.
    for (const [id, amount] of [[w.pa1, 5_000_000], [w.pa2, 2_000_000]] as const) {
      const r = (await req('PUT', w.reporterA, `/api/v1/projects/${id}/reports/2026/4`, { amount_month: amount, workers: 40, progress_text: '基础施工' })).json();
      const s = (await req('POST', w.reporterA, `/api/v1/reports/${r.id}/submit`, { version: r.version })).json();
      await req('POST', w.office, `/api/v1/reports/${r.id}/approve`, { version: s.version });
    }
  });
  afterAll(async () => t?.close());

  it("gives a unit the grid of its reporting projects with plan and last month's figures", async () => {
    const grid = (await req('GET', w.reporterA, '/api/v1/reporting/periods/2026/5/grid')).json();
    expect(grid.period).toMatchObject({ year: 2026, month: 5, label: '5月', status: 'open' });
    expect(grid.rows.map((r: { project: { id: number } }) => r.project.id)).toEqual([w.pa1, w.pa2]);
    expect(grid.rows[0]).toMatchObject({
      project: { name: '甪直智能装备产业园', unit_name: '甪直镇', stage: 'preliminary' },
      plan: { planned_investment: 120_000_000, completed_before_year: 30_000_000 },
      previous: { month: 4, amount_month: 5_000_000, amount_ytd: 5_000_000, amount_since_start: 35_000_000, workers: 40 },
      report: null,
    });
    const office = (await req('GET', w.office, `/api/v1/reporting/periods/2026/5/grid?unit=${w.unitB}`)).json();
    expect(office.rows.map((r: { project: { id: number } }) => r.project.id)).toEqual([w.pb1]);
    expect((await req('GET', w.office, '/api/v1/reporting/periods/2026/5/grid')).json().rows).toHaveLength(3);
    expect((await req('GET', w.reporterB, `/api/v1/reporting/periods/2026/5/grid?unit=${w.unitA}`)).json().rows).toEqual([]);
  });

  it('saves nothing when one row is wrong, naming each wrong row in Chinese', async () => {
    const res = await req('PUT', w.reporterA, '/api/v1/reporting/periods/2026/5/batch', {
      rows: [
        { project_id: w.pa1, amount_month: 1_000_000 },
        { project_id: w.pa2, amount_ytd: 1_500_000 },
        { project_id: w.pb1, amount_month: 1 },
      ],
    });
    expect(res.statusCode).toBe(422);
    const error = res.json().error;
    expect(error.message).toContain('共有 2 行有误，本次未保存任何数据');
    expect(error.details.rows).toEqual([
      { row: 2, project_id: w.pa2, project_name: '甪直污水处理厂提标改造', code: 'validation_failed', message: expect.stringContaining('核减原因'), field: 'negative_reason' },
      { row: 3, project_id: w.pb1, project_name: null, code: 'not_found', message: expect.stringContaining('不存在或无权访问'), field: null },
    ]);
    expect(await reportOf(w.pa1, 5)).toBeUndefined();
    const dup = await req('PUT', w.reporterA, '/api/v1/reporting/periods/2026/5/batch', { rows: [{ project_id: w.pa1 }, { project_id: w.pa1 }] });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.message).toContain('第2行的项目在本次提交中重复出现');
  });

  it('rolls back saved rows when submitting one of them fails (stage move without a photo)', async () => {
    const res = await req('PUT', w.reporterA, '/api/v1/reporting/periods/2026/5/batch', {
      submit: true,
      rows: [
        { project_id: w.pa2, amount_month: 500_000 },
        { project_id: w.pa1, amount_month: 1_000_000, stage: 'started', stage_date: '2026-05-08' },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.rows).toEqual([expect.objectContaining({ row: 2, project_id: w.pa1, message: expect.stringContaining('现场照片') })]);
    expect(await reportOf(w.pa2, 5)).toBeUndefined();
    expect(await reportOf(w.pa1, 5)).toBeUndefined();
  });

  it('fills and submits every row at once, deriving each pair from last month', async () => {
    const res = await req('PUT', w.reporterA, '/api/v1/reporting/periods/2026/5/batch', {
      submit: true,
      rows: [
        { project_id: w.pa1, amount_ytd: 8_000_000, workers: 55, progress_text: '主体施工' },
        { project_id: w.pa2, amount_month: 500_000, workers: 40, progress_text: '基础施工' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ saved: 2, submitted: 2 });
    expect(await reportOf(w.pa1, 5)).toMatchObject({ status: 'submitted', amount_month: 3_000_000, amount_ytd: 8_000_000, amount_since_start: 38_000_000 });
    expect(await reportOf(w.pa2, 5)).toMatchObject({ status: 'submitted', amount_month: 500_000, amount_ytd: 2_500_000 });
    const again = await req('PUT', w.reporterA, '/api/v1/reporting/periods/2026/5/batch', { rows: [{ project_id: w.pa1, version: 2, workers: 1 }] });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.details.rows[0].message).toContain('已提交待审核');
  });

  it('submits all of a unit’s drafts together or none, and lists projects still without a report', async () => {
    const draft = (await req('PUT', w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/6`, { amount_month: 100 })).json();
    await req('PUT', w.reporterA, `/api/v1/projects/${w.pa2}/reports/2026/6`, { amount_month: 200 });
    // A started → completed move with no photo blocks the whole submission.
    const pa2June = (await reportOf(w.pa2, 6))!;
    await req('PUT', w.reporterA, `/api/v1/projects/${w.pa2}/reports/2026/6`, { version: pa2June.version, stage: 'completed', stage_date: '2026-06-20' });
    const blocked = await req('POST', w.reporterA, '/api/v1/reporting/periods/2026/6/submit-all', {});
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().error.details.rows).toHaveLength(1);
    expect((await reportOf(w.pa1, 6))!.status).toBe('draft');
    const fixed = (await reportOf(w.pa2, 6))!;
    await req('PUT', w.reporterA, `/api/v1/projects/${w.pa2}/reports/2026/6`, { version: fixed.version, stage: null, stage_date: null });
    const ok = await req('POST', w.reporterA, '/api/v1/reporting/periods/2026/6/submit-all', {});
    expect(ok.json()).toEqual({ submitted: 2, already_submitted: 0, missing: [] });
    expect((await reportOf(w.pa1, 6))!.status).toBe('submitted');
    expect(draft.status).toBe('draft');
    const b = await req('POST', w.reporterB, '/api/v1/reporting/periods/2026/6/submit-all', {});
    expect(b.json()).toEqual({ submitted: 0, already_submitted: 0, missing: [{ project_id: w.pb1, project_name: '临湖生态湿地公园' }] });
  });

  it('refuses a batch for a closed period as a whole', async () => {
    await req('PATCH', w.office, '/api/v1/reporting/periods/2026/4', { status: 'closed' });
    const res = await req('PUT', w.reporterB, '/api/v1/reporting/periods/2026/4/batch', { rows: [{ project_id: w.pb1, amount_month: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('已关闭');
    expect(await reportOf(w.pb1, 4)).toBeUndefined();
  });

  it('queues submitted reports for the office with what changed since last month', async () => {
    expect((await req('GET', w.reporterA, '/api/v1/reporting/periods/2026/5/review-queue')).statusCode).toBe(403);
    const queue = (await req('GET', w.office, '/api/v1/reporting/periods/2026/5/review-queue')).json();
    expect(queue.items.map((i: { project: { id: number } }) => i.project.id).sort()).toEqual([w.pa1, w.pa2].sort());
    const pa1 = queue.items.find((i: { project: { id: number } }) => i.project.id === w.pa1);
    expect(pa1.previous).toMatchObject({ month: 4, amount_month: 5_000_000 });
    expect(pa1.changes).toEqual([
      { field: 'amount_month', label: '本月完成投资', from: 5_000_000, to: 3_000_000 },
      { field: 'progress_text', label: '形象进度', from: '基础施工', to: '主体施工' },
      { field: 'workers', label: '在岗人数', from: 40, to: 55 },
    ]);
    const pa2 = queue.items.find((i: { project: { id: number } }) => i.project.id === w.pa2);
    expect(pa2.changes).toEqual([{ field: 'amount_month', label: '本月完成投资', from: 2_000_000, to: 500_000 }]);
    expect((await req('GET', w.office, `/api/v1/reporting/periods/2026/5/review-queue?unit=${w.unitB}`)).json().items).toEqual([]);
  });

  it('lists missing and late reports per unit (催报)', async () => {
    await req('PATCH', w.office, '/api/v1/reporting/periods/2026/5', { deadline: '2099-12-25' });
    const early = (await req('GET', w.office, '/api/v1/reporting/periods/2026/5/missing')).json();
    expect(early.period).toMatchObject({ deadline: '2099-12-25', is_past_deadline: false });
    expect(early.units).toEqual([
      { unit_id: w.unitB, unit_name: '临湖镇', expected: 1, submitted: 0, missing_count: 1, late_count: 0, late: [],
        missing: [{ project_id: w.pb1, project_name: '临湖生态湿地公园', status: 'none', is_overdue: false }] },
      { unit_id: w.unitA, unit_name: '甪直镇', expected: 2, submitted: 2, missing_count: 0, late_count: 0, late: [], missing: [] },
    ]);
    await req('PUT', w.reporterB, `/api/v1/projects/${w.pb1}/reports/2026/5`, { amount_month: 1 });
    await req('PATCH', w.office, '/api/v1/reporting/periods/2026/5', { deadline: '2026-01-25' });
    const late = (await req('GET', w.office, '/api/v1/reporting/periods/2026/5/missing')).json();
    expect(late.period.is_past_deadline).toBe(true);
    expect(late.units[0].missing).toEqual([{ project_id: w.pb1, project_name: '临湖生态湿地公园', status: 'draft', is_overdue: true }]);
    expect(late.units[1].late.map((l: { project_id: number }) => l.project_id).sort()).toEqual([w.pa1, w.pa2].sort());
    const own = (await req('GET', w.reporterA, '/api/v1/reporting/periods/2026/5/missing')).json();
    expect(own.units.map((u: { unit_id: number }) => u.unit_id)).toEqual([w.unitA]);
    const queue = (await req('GET', w.office, '/api/v1/reporting/periods/2026/5/review-queue')).json();
    expect(queue.items.every((i: { is_late: boolean }) => i.is_late)).toBe(true);
  });
  it('keeps the indicator rollup equal to a full recomputation after every reporting step', async () => {
    const ytd = await t.db.selectFrom('indicator_ytd').selectAll().where('project_id', '=', w.pa1).where('year', '=', 2026).executeTakeFirstOrThrow();
    // April approved (5,000,000), May submitted (1–5月 8,000,000), June submitted (+100).
    expect([ytd.ytd_04, ytd.ytd_05, ytd.ytd_06]).toEqual([5_000_000, 8_000_000, 8_000_100]);
    const pb1 = await t.db.selectFrom('indicator_ytd').selectAll().where('project_id', '=', w.pb1).executeTakeFirst();
    expect(pb1).toBeUndefined(); // only a draft: not counted
    expect(await new IndicatorRepository(t.db).diffRollup()).toMatchObject({ expected: [], stored: [], expectedCount: 0, storedCount: 0 });
  });
});
