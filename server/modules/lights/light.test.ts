import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildPlan, buildReport } from '../../../test/indicator-factories.ts';
import { DEFAULT_RULE_SET } from '../../../core/lights.ts';
import { systemActor } from '../../context.ts';
import { LightRepository } from './light.repository.ts';

const YI = 100_000_000;

describe.each(DIALECTS)('lights API on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;
  let unitA: number;
  let lagging: number;
  let onTrack: number;
  let unstarted: number;
  const get = async (url: string, cookie = office) => {
    const res = await t.app.inject({ url, headers: cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const lightOf = (body: { items: { project_id: number; overall: string }[] }, id: number) => body.items.find((i) => i.project_id === id)?.overall;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '发改局', kind: 'office' });
    unitA = (await buildUnit(t.db, { name: '甲镇', parentId: root.id })).id;
    const unitB = (await buildUnit(t.db, { name: '乙镇', parentId: root.id })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'reporterA', role: 'reporter', unitId: unitA });
    // Plan 12 亿: time progress is 1 亿 per month. April 2.4 亿 (20% vs 33.3%: 13.3 below, yellow), May 3 亿
    // (25% vs 41.7%: 16.7 below, yellow → second yellow in a row, red), June 7 亿 (58.3% vs 50%: green).
    lagging = await buildProject(t.db, { name: '滞后项目', unit_id: unitA, stage: 'started', actual_start_date: '2025-06-01', stats_entered: 1 });
    await buildPlan(t.db, { project_id: lagging, year: 2026, planned_investment: 12 * YI });
    await buildReport(t.db, { project_id: lagging, year: 2026, month: 3, amount_ytd: 2.4 * YI });
    await buildReport(t.db, { project_id: lagging, year: 2026, month: 4, amount_ytd: 2.4 * YI });
    await buildReport(t.db, { project_id: lagging, year: 2026, month: 5, amount_ytd: 3 * YI });
    await buildReport(t.db, { project_id: lagging, year: 2026, month: 6, amount_ytd: 7 * YI });
    onTrack = await buildProject(t.db, { name: '正常项目', unit_id: unitB, stage: 'started', actual_start_date: '2025-06-01', stats_entered: 1 });
    await buildPlan(t.db, { project_id: onTrack, year: 2026, planned_investment: 12 * YI });
    await buildReport(t.db, { project_id: onTrack, year: 2026, month: 3, amount_ytd: 4 * YI }); // carried into April: on time
    await buildReport(t.db, { project_id: onTrack, year: 2026, month: 5, amount_ytd: 6 * YI });
    // Planned to start in March, not started, no investment plan: start light only (and not entered: no stats light).
    unstarted = await buildProject(t.db, { name: '未开工项目', unit_id: unitB, stage: 'preliminary' });
    await buildPlan(t.db, { project_id: unstarted, year: 2026, planned_investment: 0, plan_new_start: 1, plan_start_month: 3 });
    office = await t.login('office1');
    reporter = await t.login('reporterA');
  });
  afterAll(async () => t?.close());

  it('lights each project per dimension with the rule and figures, counts them, lists red and yellow first', async () => {
    const body = await get('/api/v1/lights?year=2026&month=4');
    expect(body.counts).toEqual({ green: 1, yellow: 2, red: 0, none: 0 });
    expect(body.items.map((i: { project_id: number }) => i.project_id)).toEqual([lagging, unstarted]);
    const item = body.items[0];
    expect(item.reasons).toEqual(['完成率20.0%，低于序时进度13.3个百分点']);
    const inv = item.dimensions.find((d: { dimension: string }) => d.dimension === 'investment');
    expect(inv).toMatchObject({ light: 'yellow', rule_id: 'investment-points-gap', rule_kind: 'points_gap', figures: { completion_rate_text: '20.0', time_progress_text: '33.3' } });
    expect(body.items[1].reasons).toEqual(['计划3月开工，已逾期1个月未开工']);
    expect(body.by_dimension.start).toEqual({ green: 0, yellow: 1, red: 0, none: 2 });
  });

  it('turns a second yellow month red, and a third month late start red', async () => {
    const may = await get('/api/v1/lights?year=2026&month=5');
    expect(lightOf(may, lagging)).toBe('red');
    const d = may.items.find((i: { project_id: number }) => i.project_id === lagging).dimensions[0];
    expect(d).toMatchObject({ escalated: true, rule_id: 'investment-two-yellows' });
    expect(lightOf(await get('/api/v1/lights?year=2026&month=6'), lagging)).toBeUndefined(); // green, not listed
    expect(lightOf(await get('/api/v1/lights?year=2026&month=6'), unstarted)).toBe('red');
    const green = await get('/api/v1/lights?year=2026&month=6&light=green');
    expect(green.items.map((i: { project_id: number }) => i.project_id).sort()).toEqual([lagging, onTrack].sort());
  });

  it('finds by a search term through the resolved names (issue 16) with the answers of the sub-query form', async () => {
    // The sub-query form: the unresolved filter, as the lights read it before.
    const subQuery = async (q: string, region?: string) =>
      (await new LightRepository(t.db).listFacts({ q, region }, systemActor().scope, 2026)).map((r) => r.project_id).sort((a, b) => a - b);
    const cases: Array<[string, string | undefined, number[]]> = [
      ['甲镇', undefined, [lagging]], ['乙镇', undefined, [onTrack, unstarted]], ['滞后', undefined, [lagging]],
      ['zhxm', undefined, [lagging]], ['吴中', '320500', [lagging, onTrack, unstarted]], ['苏州', '320506', [lagging, onTrack, unstarted]],
      ['南京', '320500', []], ['发改', undefined, []], ['100%', undefined, []],
    ];
    for (const [q, region, expected] of cases) {
      const want = [...expected].sort((a, b) => a - b);
      expect(await subQuery(q, region), q).toEqual(want);
      const url = `/api/v1/lights?year=2026&month=5&light=red,yellow,green,none&page_size=500&q=${encodeURIComponent(q)}${region ? `&region=${region}` : ''}`;
      const body = await get(url);
      expect(body.items.map((i: { project_id: number }) => i.project_id).sort((a: number, b: number) => a - b), q).toEqual(want);
      expect(Object.values(body.counts as Record<string, number>).reduce((a, b) => a + b, 0), q).toBe(want.length);
    }
  });

  it('judges a past month by the rule version in force then', async () => {
    const strict = DEFAULT_RULE_SET.rules.map((r) => (r.kind === 'points_gap' ? { ...r, yellow_points: 5, red_points: 15 } : r));
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/lights/rules/2026', headers: office, payload: { rules: strict, effective_month: 5, note: '年中从严' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().versions).toHaveLength(1);
    expect(put.json().in_force.map((m: { version: number | null }) => m.version)).toEqual([null, null, null, null, 1, 1, 1, 1, 1, 1, 1, 1]);
    // April still uses the default (13.3 below: yellow); May uses the strict set (16.7 below > 15: red on its own).
    expect(lightOf(await get('/api/v1/lights?year=2026&month=4'), lagging)).toBe('yellow');
    const may = await get('/api/v1/lights?year=2026&month=5');
    expect(may.rule_version).toBe(1);
    expect(may.items.find((i: { project_id: number }) => i.project_id === lagging).dimensions[0]).toMatchObject({ light: 'red', escalated: false, rule_id: 'investment-points-gap' });
    const rules = await get('/api/v1/lights/rules/2026', reporter);
    expect(rules.versions[0]).toMatchObject({ version: 1, effective_month: 5, note: '年中从严' });
    expect(rules.default).toEqual(DEFAULT_RULE_SET);
  });

  it('validates rule sets and lets only the office change them', async () => {
    const badKind = await t.app.inject({ method: 'PUT', url: '/api/v1/lights/rules/2026', headers: office, payload: { rules: [{ id: 'x', kind: 'magic' }] } });
    expect(badKind.statusCode).toBe(400);
    const inverted = await t.app.inject({ method: 'PUT', url: '/api/v1/lights/rules/2026', headers: office, payload: { rules: [{ id: 'x', kind: 'points_gap', yellow_points: 30, red_points: 10 }] } });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json().error.message).toContain('红灯阈值');
    const denied = await t.app.inject({ method: 'PUT', url: '/api/v1/lights/rules/2026', headers: reporter, payload: { rules: [] } });
    expect(denied.statusCode).toBe(403);
  });

  it('an accepted excuse suppresses a light, records who and why, and can be revoked', async () => {
    const denied = await t.app.inject({ method: 'POST', url: '/api/v1/lights/excuses', headers: reporter, payload: { project_id: unstarted, year: 2026, month_from: 3, reason: '用地指标未下达' } });
    expect(denied.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/lights/excuses', headers: office, payload: { project_id: unstarted, year: 2026, month_from: 3, dimension: 'start', reason: '用地指标未下达' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ accepted_by_name: 'office1', reason: '用地指标未下达', dimension: 'start' });
    const june = await get('/api/v1/lights?year=2026&month=6&light=green');
    const item = june.items.find((i: { project_id: number }) => i.project_id === unstarted);
    expect(item.dimensions.find((d: { dimension: string }) => d.dimension === 'start')).toMatchObject({ light: 'green', computed_light: 'red', excuse: { reason: '用地指标未下达', accepted_by_name: 'office1' } });
    expect(june.excused).toBe(1);
    expect((await get('/api/v1/lights/excuses?year=2026')).items).toHaveLength(1);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/lights/excuses/${res.json().id}`, headers: office });
    expect(del.statusCode).toBe(200);
    expect(lightOf(await get('/api/v1/lights?year=2026&month=6'), unstarted)).toBe('red');
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/lights/excuses/${res.json().id}`, headers: office });
    expect(again.statusCode).toBe(409);
  });

  it('limits a reporter to its own projects', async () => {
    const body = await get('/api/v1/lights?year=2026&month=4&light=green,yellow,red,none', reporter);
    expect(body.items.map((i: { unit_id: number }) => i.unit_id)).toEqual([unitA]);
    expect(body.counts.yellow).toBe(1);
  });
});
