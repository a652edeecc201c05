import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, makeImage, multipart, type TestApp } from '../../../test/reporting.ts';
import { buildProject } from '../../../test/factories.ts';
import { ReportRepository } from './report.repository.ts';
import { IndicatorRepository } from '../indicators/index.ts';

describe.each(DIALECTS)('monthly reports on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const put = (cookie: LoginHeaders, projectId: number, month: number, payload: object) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/reports/2026/${month}`, headers: cookie, payload });
  const get = (cookie: LoginHeaders, url: string) => t.app.inject({ url, headers: cookie });
  const post = (cookie: LoginHeaders, url: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: cookie, payload });
  const patchPeriod = (month: number, payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/reporting/periods/2026/${month}`, headers: w.office, payload });
  const upload = (cookie: LoginHeaders, reportId: number, data: Buffer) => {
    const body = multipart([{ filename: 'site.jpg', data }]);
    return t.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/photos`, headers: { ...cookie, ...body.headers }, payload: body.payload });
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    const res = await post(w.office, '/api/v1/reporting/years', { year: 2026 });
    expect(res.statusCode).toBe(201);
    for (const m of [4, 5, 6]) expect((await patchPeriod(m, { status: 'open' })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  describe('calendar', () => {
    it('creates twelve periods due on the 25th, refuses a second calendar for the year and lets only the office do it', async () => {
      const list = (await get(w.reporterA, '/api/v1/reporting/years/2026/periods')).json().items;
      expect(list).toHaveLength(12);
      expect(list[4]).toMatchObject({ month: 5, first_month: 5, deadline: '2026-05-25', status: 'open', label: '5月', ytd_label: '1–5月' });
      expect(list[6]).toMatchObject({ month: 7, status: 'pending' });
      const again = await post(w.office, '/api/v1/reporting/years', { year: 2026 });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('已经建立');
      expect((await post(w.reporterA, '/api/v1/reporting/years', { year: 2030 })).statusCode).toBe(403);
    });

    it('merges 1–2月 on request and takes the deadline day from the settings', async () => {
      const merged = (await post(w.office, '/api/v1/reporting/years', { year: 2027, merge_jan_feb: true })).json().items;
      expect(merged).toHaveLength(11);
      expect(merged[0]).toMatchObject({ month: 2, first_month: 1, label: '1–2月', deadline: '2027-02-25' });
      const settings = await t.app.inject({ method: 'PUT', url: '/api/v1/reporting/settings', headers: w.office, payload: { deadline_day: 5, deadline_month_offset: 1 } });
      expect(settings.json()).toEqual({ deadline_day: 5, deadline_month_offset: 1, remind_working_days: 2 }); // a PUT without the lead time leaves it
      const next = (await post(w.office, '/api/v1/reporting/years', { year: 2028 })).json().items;
      expect(next[0].deadline).toBe('2028-02-05');
      expect(next[11].deadline).toBe('2029-01-05');
      await t.app.inject({ method: 'PUT', url: '/api/v1/reporting/settings', headers: w.office, payload: { deadline_day: 25, deadline_month_offset: 0 } });
    });

    it('answers a month that is not a period of a merged year with a Chinese 404', async () => {
      const res = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${w.pa1}/reports/2027/1`, headers: w.reporterA, payload: { amount_month: 1 } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toContain('1–2月合并填报时为 2 月');
    });
  });

  describe('amounts', () => {
    it('derives 1–N月 from the monthly figure and since-start from the annual plan', async () => {
      const res = await put(w.reporterA, w.pa1, 4, { amount_month: 5_000_000, progress_text: '完成场地平整' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'draft', version: 1, revision: 1, amount_month: 5_000_000, amount_ytd: 5_000_000, amount_since_start: 35_000_000 });
      expect(res.json().allowed_actions).toEqual(['edit', 'submit']);
    });

    it('derives the monthly figure when the unit enters the 1–N月 cumulative', async () => {
      const res = await put(w.reporterA, w.pa1, 5, { amount_ytd: 8_000_000 });
      expect(res.json()).toMatchObject({ amount_month: 3_000_000, amount_ytd: 8_000_000, amount_since_start: 38_000_000 });
      expect(res.json().previous).toMatchObject({ month: 4, amount_ytd: 5_000_000 });
    });

    it('keeps later cumulatives equal to the sum of monthly figures when an earlier month changes', async () => {
      const april = (await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/4`)).json();
      expect((await put(w.reporterA, w.pa1, 4, { version: april.version, amount_month: 6_000_000 })).statusCode).toBe(200);
      const may = (await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/5`)).json();
      expect(may).toMatchObject({ amount_month: 3_000_000, amount_ytd: 9_000_000, amount_since_start: 39_000_000 });
      const year = (await get(w.office, `/api/v1/projects/${w.pa1}/reports/2026`)).json().items;
      expect(year.map((r: { amount_ytd: number }) => r.amount_ytd)).toEqual([6_000_000, 9_000_000]);
    });

    it('refuses a monthly and a cumulative figure that disagree', async () => {
      const may = (await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/5`)).json();
      const res = await put(w.reporterA, w.pa1, 5, { version: may.version, amount_month: 1_000_000, amount_ytd: 99_000_000 });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('不一致');
    });

    it('refuses a negative monthly figure without a reason, typed or derived, and accepts it with one', async () => {
      const typed = await put(w.reporterA, w.pa2, 4, { amount_month: -200_000 });
      expect(typed.statusCode).toBe(400);
      expect(typed.json().error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('请填写核减原因') });
      expect((await put(w.reporterA, w.pa2, 4, { amount_month: 1_000_000 })).statusCode).toBe(200);
      const derived = await put(w.reporterA, w.pa2, 5, { amount_ytd: 700_000 });
      expect(derived.statusCode).toBe(400);
      expect(derived.json().error.message).toContain('-300000');
      const ok = await put(w.reporterA, w.pa2, 5, { amount_ytd: 700_000, negative_reason: '统计部门核减重复计算部分' });
      expect(ok.json()).toMatchObject({ amount_month: -300_000, amount_ytd: 700_000, negative_reason: '统计部门核减重复计算部分' });
    });

    it('rejects a stale version with 409 and the current report', async () => {
      const res = await put(w.reporterA, w.pa1, 4, { version: 1, amount_month: 1 });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('version_conflict');
      expect(res.json().error.details.current).toMatchObject({ amount_month: 6_000_000, version: 2 });
      const noVersion = await put(w.reporterA, w.pa1, 4, { amount_month: 1 });
      expect(noVersion.statusCode).toBe(409);
    });

    it('requires a statistics code when entered and a reason when not', async () => {
      const may = (await get(w.reporterA, `/api/v1/projects/${w.pa2}/reports/2026/5`)).json();
      const bad = await put(w.reporterA, w.pa2, 5, { version: may.version, stats_entered: 1 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('纳统编码');
      const noReason = await put(w.reporterA, w.pa2, 5, { version: may.version, stats_entered: 0 });
      expect(noReason.json().error.message).toContain('未纳统原因');
      const ok = await put(w.reporterA, w.pa2, 5, { version: may.version, stats_entered: 1, stats_code: '3205062026000123' });
      expect(ok.json()).toMatchObject({ stats_entered: 1, stats_code: '3205062026000123', amount_month: -300_000 });
    });
  });

  describe('periods and scope', () => {
    it('makes a closed period read-only and a pending one not yet writable, while still readable', async () => {
      await put(w.reporterA, w.pa1, 6, { amount_month: 1_000_000 });
      expect((await patchPeriod(6, { status: 'closed' })).json()).toMatchObject({ status: 'closed' });
      const june = (await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/6`)).json();
      expect(june.allowed_actions).toEqual([]);
      const write = await put(w.reporterA, w.pa1, 6, { version: june.version, amount_month: 2 });
      expect(write.statusCode).toBe(409);
      expect(write.json().error.message).toContain('2026年6月填报期已关闭，数据只读');
      const submit = await post(w.reporterA, `/api/v1/reports/${june.id}/submit`, { version: june.version });
      expect(submit.statusCode).toBe(409);
      const pending = await put(w.reporterA, w.pa1, 7, { amount_month: 1 });
      expect(pending.statusCode).toBe(409);
      expect(pending.json().error.message).toContain('尚未开放');
      expect((await patchPeriod(6, { status: 'open' })).json().status).toBe('open');
    });

    it("hides other units' and non-reporting projects' reports as 404", async () => {
      const april = (await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/4`)).json();
      expect((await get(w.reporterB, `/api/v1/projects/${w.pa1}/reports/2026/4`)).statusCode).toBe(404);
      expect((await get(w.reporterB, `/api/v1/reports/${april.id}`)).statusCode).toBe(404);
      expect((await get(w.reporterB, `/api/v1/reports/${april.id}/revisions`)).statusCode).toBe(404);
      expect((await put(w.reporterB, w.pa1, 4, { version: april.version, amount_month: 1 })).statusCode).toBe(404);
      expect((await post(w.reporterB, `/api/v1/reports/${april.id}/submit`, { version: april.version })).statusCode).toBe(404);
      expect((await put(w.reporterA, w.reserve, 4, { amount_month: 1 })).statusCode).toBe(404);
      expect((await get(w.leader, `/api/v1/reports/${april.id}`)).statusCode).toBe(200);
      expect((await put(w.leader, w.pa1, 4, { version: april.version, amount_month: 1 })).statusCode).toBe(403);
    });
  });

  describe('stage moves and workflow', () => {
    let reportId: number;

    it('needs a date to move the stage, and a site photo to submit a start', async () => {
      const may = (await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/5`)).json();
      reportId = may.id;
      const noDate = await put(w.reporterA, w.pa1, 5, { version: may.version, stage: 'started' });
      expect(noDate.statusCode).toBe(400);
      expect(noDate.json().error.message).toContain('开工在建日期');
      const back = await put(w.reporterA, w.pa2, 5, { version: (await get(w.reporterA, `/api/v1/projects/${w.pa2}/reports/2026/5`)).json().version, stage: 'preliminary' });
      expect(back.json().error.message).toContain('不能回退');
      const saved = await put(w.reporterA, w.pa1, 5, { version: may.version, stage: 'started', stage_date: '2026-05-12', workers: 80 });
      expect(saved.statusCode).toBe(200);
      const noPhoto = await post(w.reporterA, `/api/v1/reports/${reportId}/submit`, { version: saved.json().version });
      expect(noPhoto.statusCode).toBe(422);
      expect(noPhoto.json().error.message).toContain('须上传至少一张现场照片');
      expect((await upload(w.reporterA, reportId, await makeImage())).statusCode).toBe(201);
      const submitted = await post(w.reporterA, `/api/v1/reports/${reportId}/submit`, { version: saved.json().version });
      expect(submitted.statusCode).toBe(200);
      expect(submitted.json()).toMatchObject({ status: 'submitted', allowed_actions: [] });
      expect(submitted.json().submitted_at).toBeTruthy();
      const project = await t.db.selectFrom('projects').select(['stage', 'actual_start_date']).where('id', '=', w.pa1).executeTakeFirstOrThrow();
      expect(project).toEqual({ stage: 'preliminary', actual_start_date: null });
    });

    it('locks a submitted report against edits and lets only the office review', async () => {
      const cur = (await get(w.office, `/api/v1/reports/${reportId}`)).json();
      expect(cur.allowed_actions).toEqual(['approve', 'return']);
      const edit = await put(w.reporterA, w.pa1, 5, { version: cur.version, workers: 1 });
      expect(edit.statusCode).toBe(409);
      expect(edit.json().error.message).toContain('已提交待审核');
      expect((await post(w.reporterA, `/api/v1/reports/${reportId}/approve`, { version: cur.version })).statusCode).toBe(403);
      const noReason = await post(w.office, `/api/v1/reports/${reportId}/return`, { version: cur.version });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.message).toContain('退回原因');
    });

    it('returns with a reason, takes edits and a resubmission', async () => {
      const cur = (await get(w.office, `/api/v1/reports/${reportId}`)).json();
      const returned = await post(w.office, `/api/v1/reports/${reportId}/return`, { version: cur.version, reason: '形象进度描述过简' });
      expect(returned.json()).toMatchObject({ status: 'returned', return_reason: '形象进度描述过简' });
      expect((await post(w.office, `/api/v1/reports/${reportId}/approve`, { version: returned.json().version })).statusCode).toBe(409);
      const edited = await put(w.reporterA, w.pa1, 5, { version: returned.json().version, progress_text: '主体结构开工，完成桩基 120 根' });
      expect(edited.json()).toMatchObject({ status: 'returned', progress_text: '主体结构开工，完成桩基 120 根' });
      const again = await post(w.reporterA, `/api/v1/reports/${reportId}/submit`, { version: edited.json().version });
      expect(again.json().status).toBe('submitted');
      expect(again.json().first_submitted_at).toBe(cur.first_submitted_at);
    });

    it('approves, locks the report and moves the project with its start date and stage history', async () => {
      const cur = (await get(w.office, `/api/v1/reports/${reportId}`)).json();
      const approved = await post(w.office, `/api/v1/reports/${reportId}/approve`, { version: cur.version });
      expect(approved.json()).toMatchObject({ status: 'approved', revision: 1 });
      const project = await t.db.selectFrom('projects').select(['stage', 'actual_start_date']).where('id', '=', w.pa1).executeTakeFirstOrThrow();
      expect(project).toEqual({ stage: 'started', actual_start_date: '2026-05-12' });
      const history = await t.db.selectFrom('project_stage_history').selectAll().where('project_id', '=', w.pa1).execute();
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ from_stage: 'preliminary', to_stage: 'started', event_date: '2026-05-12' });
      const locked = await put(w.reporterA, w.pa1, 5, { version: approved.json().version, workers: 1 });
      expect(locked.statusCode).toBe(409);
      expect(locked.json().error.message).toContain('已锁定');
      expect((await post(w.reporterA, `/api/v1/reports/${reportId}/submit`, { version: approved.json().version })).statusCode).toBe(409);
      expect((await post(w.office, `/api/v1/reports/${reportId}/return`, { version: approved.json().version, reason: 'x' })).statusCode).toBe(409);
      const photo = (await get(w.reporterA, `/api/v1/reports/${reportId}/photos`)).json().items[0];
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-photos/${photo.id}`, headers: w.reporterA })).statusCode).toBe(409);
    });

    it('copies an approved statistics entry to the project', async () => {
      const may = (await get(w.reporterA, `/api/v1/projects/${w.pa2}/reports/2026/5`)).json();
      const sub = (await post(w.reporterA, `/api/v1/reports/${may.id}/submit`, { version: may.version })).json();
      await post(w.office, `/api/v1/reports/${may.id}/approve`, { version: sub.version });
      const project = await t.db.selectFrom('projects').select(['stats_entered', 'stats_code', 'stats_entered_date', 'stage']).where('id', '=', w.pa2).executeTakeFirstOrThrow();
      expect(project).toMatchObject({ stats_entered: 1, stats_code: '3205062026000123', stage: 'started' });
      expect(project.stats_entered_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
  });

  describe('corrections after approval', () => {
    const path = () => `/api/v1/projects/${w.pa1}/reports/2026/5`;

    it('needs a reason, keeps the approved revision and sends a unit correction back to review', async () => {
      const cur = (await get(w.reporterA, path())).json();
      expect(cur.allowed_actions).toEqual(['correct']);
      const noReason = await post(w.reporterA, `/api/v1/reports/${cur.id}/correct`, { version: cur.version, amount_month: 3_500_000 });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.message).toContain('更正原因');
      const fixed = await post(w.reporterA, `/api/v1/reports/${cur.id}/correct`, { version: cur.version, amount_month: 3_500_000, reason: '漏报设备款' });
      expect(fixed.statusCode).toBe(200);
      expect(fixed.json()).toMatchObject({ status: 'submitted', revision: 2, amount_month: 3_500_000, amount_ytd: 9_500_000, amount_since_start: 39_500_000 });
      // June's cumulative follows May's corrected figure.
      expect((await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/6`)).json()).toMatchObject({ amount_month: 1_000_000, amount_ytd: 10_500_000 });
      const history = (await get(w.office, `/api/v1/reports/${cur.id}/revisions`)).json();
      expect(history.current).toMatchObject({ revision: 2, amount_month: 3_500_000 });
      expect(history.revisions).toHaveLength(1);
      expect(history.revisions[0]).toMatchObject({ revision: 1, reason: '漏报设备款', user_name: 'reporterA' });
      expect(history.revisions[0].snapshot).toMatchObject({ amount_month: 3_000_000, status: 'approved', revision: 1 });
    });

    it("keeps an office correction approved and every earlier revision in the history", async () => {
      let cur = (await get(w.office, path())).json();
      cur = (await post(w.office, `/api/v1/reports/${cur.id}/approve`, { version: cur.version })).json();
      const fixed = await post(w.office, `/api/v1/reports/${cur.id}/correct`, { version: cur.version, workers: 95, reason: '在岗人数以考勤为准' });
      expect(fixed.json()).toMatchObject({ status: 'approved', revision: 3, workers: 95, amount_month: 3_500_000 });
      const history = (await get(w.reporterA, `/api/v1/reports/${cur.id}/revisions`)).json();
      expect(history.revisions.map((r: { revision: number; reason: string }) => [r.revision, r.reason])).toEqual([[1, '漏报设备款'], [2, '在岗人数以考勤为准']]);
      expect(history.revisions[1].snapshot).toMatchObject({ workers: 80, amount_month: 3_500_000 });
      // The stage already moved once: no second history row.
      expect(await t.db.selectFrom('project_stage_history').select('id').where('project_id', '=', w.pa1).execute()).toHaveLength(1);
    });

    it('refuses correcting a report that is not approved', async () => {
      const april = (await get(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/4`)).json();
      const res = await post(w.reporterA, `/api/v1/reports/${april.id}/correct`, { version: april.version, amount_month: 1, reason: 'x' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toContain('可直接修改');
    });
  });
  describe('edge cases', () => {
    it('refuses a date that does not exist', async () => {
      const res = await patchPeriod(5, { deadline: '2026-02-31' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('日期不存在');
    });

    it('approves an earlier month after a later one moved the project on, without moving it back', async () => {
      const april = (await put(w.reporterB, w.pb1, 4, { amount_month: 100, stage: 'started' })).json();
      const aprilSubmitted = (await post(w.reporterB, `/api/v1/reports/${april.id}/submit`, { version: april.version })).json();
      const may = (await put(w.reporterB, w.pb1, 5, { amount_month: 100, stage: 'completed', stage_date: '2026-05-30' })).json();
      expect((await upload(w.reporterB, may.id, await makeImage())).statusCode).toBe(201);
      const maySubmitted = (await post(w.reporterB, `/api/v1/reports/${may.id}/submit`, { version: may.version })).json();
      expect((await post(w.office, `/api/v1/reports/${may.id}/approve`, { version: maySubmitted.version })).json().status).toBe('approved');
      const res = await post(w.office, `/api/v1/reports/${april.id}/approve`, { version: aprilSubmitted.version });
      expect(res.statusCode).toBe(200);
      // April still states 开工在建: a correction of its figures is not refused for that history.
      const corrected = await post(w.office, `/api/v1/reports/${april.id}/correct`, { version: res.json().version, amount_month: 120, reason: '核对台账' });
      expect(corrected.json()).toMatchObject({ status: 'approved', stage: 'started', amount_month: 120, revision: 2 });
      const restate = await post(w.office, `/api/v1/reports/${april.id}/correct`, { version: corrected.json().version, stage: 'signed', reason: 'x' });
      expect(restate.statusCode).toBe(400);
      const project = await t.db.selectFrom('projects').select(['stage', 'actual_completion_date']).where('id', '=', w.pb1).executeTakeFirstOrThrow();
      expect(project).toEqual({ stage: 'completed', actual_completion_date: '2026-05-30' });
    });

    it('refuses a correction that moves the stage to a start or completion without photos', async () => {
      const june = (await put(w.reporterA, w.pa2, 6, { amount_month: 10 })).json();
      const sub = (await post(w.reporterA, `/api/v1/reports/${june.id}/submit`, { version: june.version })).json();
      const ok = (await post(w.office, `/api/v1/reports/${june.id}/approve`, { version: sub.version })).json();
      const res = await post(w.reporterA, `/api/v1/reports/${june.id}/correct`, { version: ok.version, stage: 'completed', stage_date: '2026-06-28', reason: '漏报竣工' });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.message).toContain('请在下期月报中填报阶段变更');
      expect((await get(w.reporterA, `/api/v1/reports/${june.id}/revisions`)).json().revisions).toEqual([]);
    });

    it('turns a second creation of the same report (a race lost on the unique key) into 409, not a server error', async () => {
      const row = await t.db.selectFrom('monthly_reports').selectAll().where('project_id', '=', w.pa1).where('month', '=', 4).executeTakeFirstOrThrow();
      const { id: _id, ...copy } = row;
      await expect(new ReportRepository(t.db).insertReport(copy)).rejects.toMatchObject({ code: 'version_conflict', status: 409 });
    });
  });
  it('rewrites since-start of filed reports when the plan\'s completed-before-year changes or the plan is deleted', async () => {
    const id = await buildProject(t.db, { name: '甪直以前年度累计测试项目', unit_id: w.unitA, stage: 'started', actual_start_date: '2025-03-01' });
    const plan = (payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1/projects/${id}/plans/2026`, headers: w.office, payload });
    const first = await plan({ planned_investment: 50_000_000, completed_before_year: 10_000_000 });
    expect(first.statusCode).toBe(200);
    const april = (await put(w.reporterA, id, 4, { amount_month: 2_000_000 })).json();
    const may = (await put(w.reporterA, id, 5, { amount_month: 3_000_000 })).json();
    const submitted = (await post(w.reporterA, `/api/v1/reports/${april.id}/submit`, { version: april.version })).json();
    await post(w.office, `/api/v1/reports/${april.id}/approve`, { version: submitted.version });
    expect([april.amount_since_start, may.amount_since_start]).toEqual([12_000_000, 15_000_000]);
    // The office corrects the figure carried over from earlier years: both reports follow, the approved one too.
    expect((await plan({ planned_investment: 50_000_000, completed_before_year: 14_000_000, version: first.json().version })).statusCode).toBe(200);
    const after = (month: number) => get(w.office, `/api/v1/projects/${id}/reports/2026/${month}`).then((r) => r.json());
    expect([(await after(4)).amount_since_start, (await after(5)).amount_since_start]).toEqual([16_000_000, 19_000_000]);
    expect([(await after(4)).amount_ytd, (await after(4)).status]).toEqual([2_000_000, 'approved']);
    // Without a plan nothing was completed before the year as far as Docket knows.
    const version = (await get(w.office, `/api/v1/projects/${id}/plans`)).json().items.find((p: { year: number }) => p.year === 2026).version;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${id}/plans/2026?version=${version}`, headers: w.office })).statusCode).toBeLessThan(300);
    expect((await after(5)).amount_since_start).toBe(5_000_000);
  });

  it('leaves the indicator rollup equal to a full recomputation after corrections, returns and rechaining', async () => {
    expect(await new IndicatorRepository(t.db).diffRollup()).toMatchObject({ expected: [], stored: [], expectedCount: 0, storedCount: 0 });
    const row = await t.db.selectFrom('indicator_ytd').selectAll().where('project_id', '=', w.pa1).where('year', '=', 2026).executeTakeFirstOrThrow();
    // May (approved after two corrections) holds 1–5月 9,500,000; June is a draft and not counted.
    expect([row.ytd_05, row.ytd_06]).toEqual([9_500_000, 9_500_000]);
  });

  it('leaves the 催报 counts equal to a recount after submissions, returns, approvals and corrections', async () => {
    expect(await new ReportRepository(t.db).keptReportCountsDrift()).toEqual([]);
    // Some were counted: the check is not over empty tables.
    expect((await t.db.selectFrom('report_unit_counts').select('submitted').execute()).some((r) => Number(r.submitted) > 0)).toBe(true);
  });
});
