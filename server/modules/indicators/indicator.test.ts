import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildPlan, buildReport } from '../../../test/indicator-factories.ts';
import { createIndicatorService } from './index.ts';
import { systemActor } from '../../context.ts';
import { clock } from '../../clock.ts';
import { createDeps } from '../../deps.ts';

const YI = 100_000_000;

describe.each(DIALECTS)('indicators API on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;
  let leader: LoginHeaders;
  let unitA: number;
  let unitB: number;
  let p1: number;
  let p2: number;
  let p3: number;
  const get = async (url: string, cookie = office) => {
    const res = await t.app.inject({ url, headers: cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    unitA = (await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506' })).id;
    unitB = (await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'reporterA', role: 'reporter', unitId: unitA });
    await buildUser(t.db, { username: 'leader1', role: 'leader', unitId: root.id });
    await buildUser(t.db, { username: 'admin1', role: 'sysadmin' });
    // domain.md's worked example split over two projects: 100 亿 planned, 45.54 亿 completed 1–5月.
    p1 = await buildProject(t.db, { name: '比亚迪零部件', unit_id: unitA, region_code: '320506', nature: 'new', stage: 'started', total_investment: 200 * YI, actual_start_date: '2026-02-10' });
    p2 = await buildProject(t.db, { name: '吴中大道改造', unit_id: unitB, region_code: '320505', nature: 'continued', stage: 'started', total_investment: 80 * YI });
    p3 = await buildProject(t.db, { name: '未列入年度计划', unit_id: unitB, total_investment: 5 * YI });
    await buildPlan(t.db, { project_id: p1, year: 2026, planned_investment: 60 * YI, plan_new_start: 1, plan_start_month: 3 });
    await buildPlan(t.db, { project_id: p2, year: 2026, planned_investment: 40 * YI, plan_new_start: 1, plan_start_month: 4 });
    await t.db.insertInto('project_levels').values([{ project_id: p1, level: 'province' }, { project_id: p1, level: 'city' }, { project_id: p2, level: 'city' }]).execute();
    await buildReport(t.db, { project_id: p1, year: 2026, month: 2, amount_ytd: 10 * YI, status: 'approved' });
    await buildReport(t.db, { project_id: p1, year: 2026, month: 5, amount_ytd: 30 * YI, status: 'approved' });
    await buildReport(t.db, { project_id: p2, year: 2026, month: 4, amount_ytd: 15.54 * YI, status: 'submitted' });
    await buildReport(t.db, { project_id: p2, year: 2026, month: 5, amount_ytd: 99 * YI, status: 'draft' }); // a draft does not count
    await buildReport(t.db, { project_id: p3, year: 2026, month: 5, amount_ytd: 1 * YI, status: 'approved' }); // not on the list
    await t.db.insertInto('reporting_periods').values({ year: 2026, month: 2, first_month: 1 }).execute();
    office = await t.login('office1');
    reporter = await t.login('reporterA');
    leader = await t.login('leader1');
  });
  afterAll(async () => t?.close());

  it("prints domain.md's worked example: 45.5%, 3.9 points above the 41.7% time progress", async () => {
    const body = await get('/api/v1/indicators?year=2026&month=5');
    const ind = body.indicators;
    expect(ind.sums).toMatchObject({ count: 2, planned_investment: 100 * YI, completed_ytd: 45.54 * YI, total_investment: 280 * YI, by_stage: { started: 2 } });
    expect(ind.completion_rate).toMatchObject({ text: '45.5', value: 0.4554 });
    expect(ind.time_progress.text).toBe('41.7');
    expect(ind.gap_points.text).toBe('3.9');
    expect(ind.period_label).toBe('1–5月');
    // Starts: p1 started in February, a month ahead of its March plan; p2 (planned April) has not started.
    expect(ind.sums).toMatchObject({ planned_starts: 2, planned_starts_to_date: 2, started: 1, early_starts: 1, overdue_starts: 1, late_starts: 0 });
    expect(ind.start_rate.whole_year).toMatchObject({ text: '50.0', label: '开工率（按全年计划新开工项目）' });
    expect(ind.start_rate.to_date).toMatchObject({ text: '50.0', label: '开工率（按1–5月计划新开工项目）' });
  });

  it('gives a month-by-month trend, without January when 1–2月 are merged', async () => {
    const body = await get('/api/v1/indicators?year=2026&month=5');
    expect(body.trend.map((p: { month: number; completed_ytd: number }) => [p.month, p.completed_ytd / YI])).toEqual([[2, 10], [3, 10], [4, 25.54], [5, 45.54]]);
    expect(body.trend[0].period_label).toBe('1–2月');
  });

  it('breaks down by the next region level, unit, level and nature', async () => {
    const body = await get('/api/v1/indicators?year=2026&month=5&region=320500&breakdown=region,unit,level,nature');
    const pick = (xs: { key: string; label: string; indicators: { sums: { completed_ytd: number } } }[]) => xs.map((x) => [x.key, x.label, x.indicators.sums.completed_ytd / YI]);
    expect(pick(body.breakdowns.region)).toEqual([['320505', '虎丘区', 15.54], ['320506', '吴中区', 30]]);
    expect(pick(body.breakdowns.unit)).toEqual([[String(unitA), '甪直镇', 30], [String(unitB), '临湖镇', 15.54]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(pick(body.breakdowns.level)).toEqual([['city', '市重点', 45.54], ['province', '省重点', 30]]);
    expect(pick(body.breakdowns.nature)).toEqual([['continued', '续建', 15.54], ['new', '新建', 30]]);
    expect(body.breakdowns.nature[1].indicators.completion_rate.text).toBe('50.0');
  });

  it('applies the project filter and the data scope: a reporter sees only its unit', async () => {
    expect((await get('/api/v1/indicators?year=2026&month=5&region=320505')).indicators.sums.completed_ytd).toBe(15.54 * YI);
    const mine = await get('/api/v1/indicators?year=2026&month=5', reporter);
    expect(mine.indicators.sums).toMatchObject({ count: 1, completed_ytd: 30 * YI });
    expect((await get('/api/v1/indicators?year=2026&month=5', leader)).indicators.sums.count).toBe(2);
  });

  it('refuses bad input and roles without the permission', async () => {
    const bad = await t.app.inject({ url: '/api/v1/indicators?year=2026&month=13', headers: office });
    expect(bad.statusCode).toBe(400);
    const badGroup = await t.app.inject({ url: '/api/v1/indicators?year=2026&month=5&breakdown=color', headers: office });
    expect(badGroup.statusCode).toBe(400);
    expect(badGroup.json().error.message).toContain('不支持的分组');
    const admin = await t.login('admin1');
    expect((await t.app.inject({ url: '/api/v1/indicators?year=2026&month=5', headers: admin })).statusCode).toBe(403);
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/indicators/settings', headers: reporter, payload: { counted_statuses: ['approved'] } });
    expect(put.statusCode).toBe(403);
  });

  it('counts the statuses the office chooses and follows a custom time curve', async () => {
    const only = await t.app.inject({ method: 'PUT', url: '/api/v1/indicators/settings', headers: office, payload: { counted_statuses: ['approved'] } });
    expect(only.statusCode, only.body).toBe(200);
    expect((await get('/api/v1/indicators?year=2026&month=5')).indicators.sums.completed_ytd).toBe(30 * YI);
    const curve = [5, 10, 20, 30, 40, 50, 58, 66, 75, 83.33, 91.67, 100];
    await t.app.inject({ method: 'PUT', url: '/api/v1/indicators/settings', headers: office, payload: { counted_statuses: ['submitted', 'approved'], time_curves: { 2026: curve } } });
    const body = await get('/api/v1/indicators?year=2026&month=5');
    expect(body.indicators.sums.completed_ytd).toBe(45.54 * YI);
    expect(body.indicators.time_progress).toMatchObject({ text: '40.0', source: 'curve' });
    expect(body.indicators.gap_points.text).toBe('5.5');
    expect(await get('/api/v1/indicators/settings?year=2026')).toEqual({ counted_statuses: ['approved', 'submitted'], year: 2026, time_curve: curve });
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/indicators/settings', headers: office, payload: { time_curves: { 2026: [...curve.slice(0, 11), 90] } } });
    expect(bad.statusCode).toBe(400);
    await t.app.inject({ method: 'PUT', url: '/api/v1/indicators/settings', headers: office, payload: { time_curves: { 2026: null } } });
    expect((await get('/api/v1/indicators?year=2026&month=5')).indicators.time_progress.source).toBe('default');
  });

  it('verify finds a corrupted, a missing and an extra rollup row, and --fix repairs them', async () => {
    const service = createIndicatorService(createDeps(t.database.db));
    expect(await service.verify()).toMatchObject({ ok: true, differences: [] });
    await t.db.updateTable('indicator_ytd').set({ ytd_05: 1 }).where('project_id', '=', p1).where('year', '=', 2026).execute();
    await t.db.deleteFrom('indicator_ytd').where('project_id', '=', p2).execute();
    await t.db.insertInto('indicator_ytd').values({ project_id: p3, year: 2019, ytd_01: 0, ytd_02: 0, ytd_03: 0, ytd_04: 0, ytd_05: 0, ytd_06: 0, ytd_07: 0, ytd_08: 0, ytd_09: 0, ytd_10: 0, ytd_11: 0, ytd_12: 0 }).execute();
    const found = await service.verify();
    expect(found.ok).toBe(false);
    const byProject = Object.fromEntries(found.differences.map((d) => [`${d.project_id}:${d.year}`, d]));
    expect(byProject[`${p1}:2026`]).toMatchObject({ stored: [0, 10 * YI, 10 * YI, 10 * YI, 1, 30 * YI, 30 * YI, 30 * YI, 30 * YI, 30 * YI, 30 * YI, 30 * YI] });
    expect(byProject[`${p1}:2026`]!.expected![4]).toBe(30 * YI);
    expect(byProject[`${p2}:2026`]).toMatchObject({ stored: null });
    expect(byProject[`${p3}:2019`]).toMatchObject({ expected: null });
    expect(found.differences).toHaveLength(3);
    expect((await service.verify({ fix: true })).fixed).toBe(true);
    expect((await service.verify()).ok).toBe(true);
    expect((await get('/api/v1/indicators?year=2026&month=5')).indicators.sums.completed_ytd).toBe(45.54 * YI);
  });

  it('picks up project and plan edits made after the group rollup was built, and verify checks that rollup', async () => {
    expect((await get('/api/v1/indicators?year=2026&month=5&region=320100')).indicators.sums.count).toBe(0);
    const now = clock.now().toISOString();
    await t.db.updateTable('projects').set({ region_code: '320102', stage: 'completed', updated_at: now }).where('id', '=', p2).execute();
    await t.db.updateTable('annual_plans').set({ planned_investment: 50 * YI, updated_at: now }).where('project_id', '=', p2).execute();
    const moved = await get('/api/v1/indicators?year=2026&month=5&region=320100');
    expect(moved.indicators.sums).toMatchObject({ count: 1, completed_ytd: 15.54 * YI, planned_investment: 50 * YI, by_stage: { completed: 1 } });
    expect((await get('/api/v1/indicators?year=2026&month=5&stage=started')).indicators.sums.count).toBe(1);
    const service = createIndicatorService(createDeps(t.database.db));
    expect((await service.verify()).ok).toBe(true);
    await t.db.updateTable('indicator_groups').set({ completed_ytd_m05: 1 }).where('year', '=', 2026).where('region_code', '=', '320102').execute();
    const found = await service.verify();
    expect(found).toMatchObject({ ok: false, groups_rows_differing: 2, facts_rows_differing: 0 });
    expect((await service.verify({ fix: true })).fixed).toBe(true);
    expect((await get('/api/v1/indicators?year=2026&month=5&region=320100')).indicators.sums.completed_ytd).toBe(15.54 * YI);
  });
  it('moves hundreds of changed projects with plans in several years by deltas, in chunks, equal to a rebuild', async () => {
    const now = clock.now().toISOString();
    const rows = Array.from({ length: 620 }, (_, i) => ({
      name: `批量项目${i}`, search_text: `批量项目${i}`, region_code: i % 2 ? '320506' : '320505', unit_id: i % 3 ? unitA : unitB,
      stage: 'started', tier: 'implementation', total_investment: (i + 1) * YI, created_at: now, updated_at: now,
    }));
    const ids = (await t.db.insertInto('projects').values(rows).returning('id').execute()).map((r) => r.id);
    for (const year of [2025, 2026]) {
      await t.db.insertInto('annual_plans').values(ids.map((id, i) => ({ project_id: id, year, planned_investment: (i % 7) * YI, created_at: now, updated_at: now }))).execute();
    }
    // The next read syncs the 620 changed projects (1,240 fact rows); then every one of them moves region at once.
    expect((await get('/api/v1/indicators?year=2026&month=5')).indicators.sums.count).toBeGreaterThanOrEqual(620);
    await t.db.updateTable('projects').set({ region_code: '320102', updated_at: clock.now().toISOString() }).where('id', 'in', ids).execute();
    expect((await get('/api/v1/indicators?year=2026&month=5&region=320100')).indicators.sums.count).toBeGreaterThanOrEqual(620);
    const service = createIndicatorService(createDeps(t.database.db));
    expect(await service.verify()).toMatchObject({ ok: true });
    await t.db.deleteFrom('projects').where('id', 'in', ids).execute();
    await service.verify({ fix: true });
  });

  it('prints completion against the month-by-month plan (计划完成表) once a plan has one, and checks it sums to the year', async () => {
    const plan = (payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1/projects/${p1}/plans/2026`, headers: office, payload });
    const current = (await get(`/api/v1/projects/${p1}/plans`)).items.find((p: { year: number }) => p.year === 2026);
    expect(current.monthly_plan).toBeNull();
    const base = { planned_investment: 60 * YI, plan_new_start: 1, plan_start_month: 3, version: current.version };
    const wrong = await plan({ ...base, monthly_plan: [1, 2, 3, 4, 6, 6, 6, 6, 6, 6, 7, 6].map((x) => x * YI) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toBe('各月计划之和（590,000.00 万元）与年度计划投资（600,000.00 万元）不一致');
    const monthly = [1, 2, 3, 4, 6, 6, 6, 6, 6, 6, 7, 7].map((x) => x * YI);
    const saved = await plan({ ...base, monthly_plan: monthly });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().monthly_plan).toEqual(monthly);
    // 1–5月: p1 planned 16 亿 month by month and completed 30 亿: 187.5%; p2 has no monthly plan and stays out.
    const ind = (await get('/api/v1/indicators?year=2026&month=5')).indicators;
    expect(ind.sums).toMatchObject({ monthly_planned: 1, planned_to_date: 16 * YI, completed_ytd_monthly_planned: 30 * YI });
    expect(ind.plan_to_date_rate).toMatchObject({ text: '187.5', label: '完成1–5月投资计划（1个有分月计划的项目）' });
    // The group rollup (read by an unrestricted scope) agrees with the project scan.
    const viaRollup = await createIndicatorService(createDeps(t.database.db)).getIndicators(systemActor(), { year: 2026, month: 5, breakdown: [] });
    expect(viaRollup.indicators.plan_to_date_rate.text).toBe('187.5');
    const cleared = await plan({ ...base, monthly_plan: null, version: saved.json().version });
    expect(cleared.json().monthly_plan).toBeNull();
    expect((await get('/api/v1/indicators?year=2026&month=5')).indicators.plan_to_date_rate.text).toBe('—');
  });
});
