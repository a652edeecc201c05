import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';

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
});
