import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { chinaMonth, chinaYear } from '../../../core/clock.ts';
import { clock } from '../../clock.ts';

// Issue 13: a real month — next year's list stays out of this year's periods; the period pages open at.
describe.each(DIALECTS)('a real month of reporting on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  let nextYear: number;
  let thisYear: number;
  const req = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', cookie: LoginHeaders, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });
  const ids = (rows: Array<{ project: { id: number } }>) => rows.map((r) => r.project.id);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    await req('POST', w.office, '/api/v1/reporting/years', { year: 2026 });
    await req('PATCH', w.office, '/api/v1/reporting/periods/2026/12', { status: 'open' });
    // The 2027 list, imported in December 2026: projects of unit A with 2027 plans, already in the implementation tier.
    nextYear = await buildProject(t.db, { name: '甪直2027年新开工项目', unit_id: w.unitA, list_year: 2027, stage: 'preliminary' });
    thisYear = await buildProject(t.db, { name: '甪直2026年续建项目', unit_id: w.unitA, list_year: 2026, stage: 'started', actual_start_date: '2026-03-01' });
    const now = new Date().toISOString();
    await t.db.insertInto('annual_plans').values([
      { project_id: nextYear, year: 2027, planned_investment: 80_000_000, completed_before_year: 0, created_at: now, updated_at: now },
      { project_id: thisYear, year: 2026, planned_investment: 10_000_000, completed_before_year: 0, created_at: now, updated_at: now },
    ]).execute();
  });
  afterAll(async () => t?.close());

  it("keeps next year's list out of this year's grid, 催报 list, submit-all and indicators", async () => {
    const grid = (await req('GET', w.reporterA, '/api/v1/reporting/periods/2026/12/grid')).json();
    expect(ids(grid.rows)).toContain(thisYear);
    expect(ids(grid.rows)).not.toContain(nextYear);
    expect(ids(grid.rows)).toEqual([w.pa1, w.pa2, thisYear]);

    const missing = (await req('GET', w.office, '/api/v1/reporting/periods/2026/12/missing')).json();
    const names = missing.units.flatMap((u: { missing: Array<{ project_name: string }> }) => u.missing.map((m) => m.project_name));
    expect(names).toContain('甪直2026年续建项目');
    expect(names).not.toContain('甪直2027年新开工项目');
    expect(missing.units.find((u: { unit_id: number }) => u.unit_id === w.unitA).expected).toBe(3);

    const all = (await req('POST', w.reporterA, '/api/v1/reporting/periods/2026/12/submit-all', {})).json();
    expect(all.missing.map((m: { project_id: number }) => m.project_id)).not.toContain(nextYear);

    // Indicators of 2026 count the projects with a 2026 plan: the 2027 list adds nothing.
    const ind = (await req('GET', w.office, '/api/v1/indicators?year=2026&month=12')).json();
    expect(ind.indicators.sums.count).toBe(3);
  });

  it('answers the period in force and the period being reported from the calendar', async () => {
    const res = await req('GET', w.reporterA, '/api/v1/reporting/current');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body).toHaveProperty('in_force.label');
    expect(body).toHaveProperty('in_force.ytd_label');
  });

  it('labels a paused or excused project in the light list instead of a plain light', async () => {
    await t.db.updateTable('projects').set({ stage: 'paused', stage_before_pause: 'started' }).where('id', '=', w.pa2).execute();
    const excuse = await req('POST', w.office, '/api/v1/lights/excuses', { project_id: w.pa1, year: 2026, month_from: 1, reason: '受汛期影响停工，经专题会议认可' });
    expect(excuse.statusCode).toBe(201);
    const list = (await req('GET', w.office, '/api/v1/lights?year=2026&month=12&light=red,yellow,green,none&page_size=50')).json();
    const byId = new Map(list.items.map((i: { project_id: number }) => [i.project_id, i]));
    expect(byId.get(w.pa2)).toMatchObject({ stage: 'paused', is_paused: true });
    expect(byId.get(thisYear)).toMatchObject({ is_paused: false, is_excused: false });
    expect(byId.get(w.pa1)).toMatchObject({ is_excused: true, is_paused: false });
  });

  it('saves a rule version from the month the page says, and re-judges a closed month only when told to, in the audit', async () => {
    // Whatever the date the suite runs at (DOCKET_NOW): this year and this month in China.
    const year = chinaYear(clock.now());
    const month = chinaMonth(clock.now());
    if (year !== 2026) expect((await req('POST', w.office, '/api/v1/reporting/years', { year })).statusCode).toBe(201);
    const rules = [{ id: 'pg', kind: 'points_gap', enabled: true, yellow_points: 5, red_points: 20 }];
    const put = (body: object) => req('PUT', w.office, `/api/v1/lights/rules/${year}`, { rules, ...body });

    // Left at its default, a first version rules from this month (not January).
    const first = await put({ note: '默认生效月份' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().versions.at(-1)).toMatchObject({ effective_month: month, note: '默认生效月份' });

    // This month closed: starting there would judge a published month again — refused unless chosen explicitly.
    expect((await req('PATCH', w.office, `/api/v1/reporting/periods/${year}/${month}`, { status: 'closed' })).statusCode).toBe(200);
    const refused = await put({ effective_month: month });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain(`${month}月已关闭`);
    expect(refused.json().error.message).toContain('重新判定');
    const defaulted = await put({});
    if (month < 12) expect(defaulted.json().versions.at(-1).effective_month).toBe(month + 1);
    else expect(defaulted.statusCode).toBe(400);
    const versionsBefore = (await req('GET', w.office, `/api/v1/lights/rules/${year}`)).json().versions.length;
    const rejudged = await put({ effective_month: month, rejudge_closed: true, note: '专题会议决定重新判定' });
    expect(rejudged.statusCode, rejudged.body).toBe(200);
    expect(rejudged.json().versions).toHaveLength(versionsBefore + 1);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'details_json']).where('action', '=', 'lights.rules_update')
      .orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details_json ?? '{}')).toMatchObject({ year, effective_month: month, rejudged_closed_months: [month] });
    expect((await req('PATCH', w.office, `/api/v1/reporting/periods/${year}/${month}`, { status: 'open' })).statusCode).toBe(200);
  });
});
