import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { ReportRepository } from './report.repository.ts';

// Issue 16: the 催报 list sums kept per-unit counts (migration 2026-12-09-40, kept by triggers) instead of passing
// over every reporting project. Whatever changes a project or a report, the counts must equal a recount.
describe.each(DIALECTS)('kept 催报 counts on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const req = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', cookie: LoginHeaders, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });
  const drift = () => new ReportRepository(t.db).keptReportCountsDrift();
  /** The 催报 list's per-unit figures for May: unit id → [expected, submitted, missing project ids]. */
  const figures = async () => {
    const body = (await req('GET', w.office, '/api/v1/reporting/periods/2026/5/missing')).json<{
      units: Array<{ unit_id: number; expected: number; submitted: number; missing: Array<{ project_id: number }> }>;
    }>();
    return Object.fromEntries(body.units.map((u) => [u.unit_id, [u.expected, u.submitted, u.missing.map((m) => m.project_id).sort((a, b) => a - b)]]));
  };
  const submit = async (cookie: LoginHeaders, projectId: number) => {
    const saved = await req('PUT', cookie, `/api/v1/projects/${projectId}/reports/2026/5`, { amount_month: 1_000_000 });
    expect(saved.statusCode).toBe(200);
    const sent = await req('POST', cookie, `/api/v1/reports/${saved.json().id}/submit`, { version: saved.json().version });
    expect(sent.statusCode).toBe(200);
    return sent.json<{ id: number; version: number }>();
  };
  const setProject = (id: number, patch: Record<string, unknown>) => t.db.updateTable('projects').set(patch).where('id', '=', id).execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    expect((await req('POST', w.office, '/api/v1/reporting/years', { year: 2026 })).statusCode).toBe(201);
    expect((await req('PATCH', w.office, '/api/v1/reporting/periods/2026/5', { status: 'open' })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('counts submissions, approvals and returns as the workflow moves', async () => {
    expect(await figures()).toEqual({ [w.unitA]: [2, 0, [w.pa1, w.pa2]], [w.unitB]: [1, 0, [w.pb1]] });
    const a1 = await submit(w.reporterA, w.pa1);
    const a2 = await submit(w.reporterA, w.pa2);
    expect(await figures()).toEqual({ [w.unitA]: [2, 2, []], [w.unitB]: [1, 0, [w.pb1]] });
    expect((await req('POST', w.office, `/api/v1/reports/${a1.id}/approve`, { version: a1.version })).statusCode).toBe(200);
    expect((await req('POST', w.office, `/api/v1/reports/${a2.id}/return`, { version: a2.version, reason: '数据需核实' })).statusCode).toBe(200);
    expect(await figures()).toEqual({ [w.unitA]: [2, 1, [w.pa2]], [w.unitB]: [1, 0, [w.pb1]] });
    expect(await drift()).toEqual([]);
  });

  it('follows a project that moves unit or region, leaves the list, is deleted, restored or hard-deleted', async () => {
    // pa1 (approved) moves to 临湖镇: its report is counted there now.
    await setProject(w.pa1, { unit_id: w.unitB });
    expect(await figures()).toEqual({ [w.unitA]: [1, 0, [w.pa2]], [w.unitB]: [2, 1, [w.pb1]] });
    await setProject(w.pa1, { region_code: '320505' });
    expect(await drift()).toEqual([]);
    // Soft-deleted, it is neither expected nor submitted; restored, it is both again.
    await setProject(w.pa1, { deleted_at: '2026-05-10T00:00:00.000Z' });
    expect(await figures()).toEqual({ [w.unitA]: [1, 0, [w.pa2]], [w.unitB]: [1, 0, [w.pb1]] });
    await setProject(w.pa1, { deleted_at: null });
    expect(await figures()).toEqual({ [w.unitA]: [1, 0, [w.pa2]], [w.unitB]: [2, 1, [w.pb1]] });
    // On next year's list, or moved to the reserve tier, it leaves this year's 催报 list.
    await setProject(w.pa1, { list_year: 2027 });
    expect(await figures()).toEqual({ [w.unitA]: [1, 0, [w.pa2]], [w.unitB]: [1, 0, [w.pb1]] });
    await setProject(w.pa1, { list_year: 2026, tier: 'reserve' });
    expect(await figures()).toEqual({ [w.unitA]: [1, 0, [w.pa2]], [w.unitB]: [1, 0, [w.pb1]] });
    await setProject(w.pa1, { tier: 'implementation' });
    expect(await drift()).toEqual([]);
    // An update that changes none of the counted columns changes nothing.
    await setProject(w.pa1, { unit_id: w.unitB, name: '甪直智能装备产业园（一期）' });
    // A project hard-deleted with its reports (the cascade) takes its counts with it.
    const extra = await buildProject(t.db, { name: `临湖临时项目-${dialect}`, unit_id: w.unitB, stage: 'started' });
    await submit(w.reporterB, extra);
    expect(await figures()).toEqual({ [w.unitA]: [1, 0, [w.pa2]], [w.unitB]: [3, 2, [w.pb1]] });
    await t.db.deleteFrom('monthly_reports').where('project_id', '=', extra).execute();
    expect(Number((await t.db.deleteFrom('projects').where('id', '=', extra).executeTakeFirst()).numDeletedRows)).toBe(1);
    expect(await figures()).toEqual({ [w.unitA]: [1, 0, [w.pa2]], [w.unitB]: [2, 1, [w.pb1]] });
    expect(await drift()).toEqual([]);
  });

  it('a drifted count shows in the drift check, and the rebuild (docket verify --fix) recounts it exactly', async () => {
    const before = await figures();
    await t.db.insertInto('report_unit_counts').values({ year: 2026, month: 5, unit_id: w.unitA, region_code: '999999', submitted: 4 }).execute();
    await t.db.deleteFrom('reporting_unit_projects').where('unit_id', '=', w.unitB).execute();
    const drifted = await drift();
    expect(drifted).toContain(`reports 2026/5/${w.unitA}/999999: kept 4, counted 0`);
    expect(drifted.some((d) => d.startsWith(`projects ${w.unitB}/`))).toBe(true);
    await t.db.transaction().execute((tx) => new ReportRepository(tx).rebuildKeptReportCounts());
    expect(await drift()).toEqual([]);
    expect(await figures()).toEqual(before);
  });

  it('narrows to a unit subtree and to a reporter’s own unit', async () => {
    const one = (await req('GET', w.office, `/api/v1/reporting/periods/2026/5/missing?unit=${w.unitB}`)).json();
    expect(one.units.map((u: { unit_id: number; expected: number }) => [u.unit_id, u.expected])).toEqual([[w.unitB, 2]]);
    const own = (await req('GET', w.reporterA, '/api/v1/reporting/periods/2026/5/missing')).json();
    expect(own.units.map((u: { unit_id: number; expected: number; submitted: number }) => [u.unit_id, u.expected, u.submitted])).toEqual([[w.unitA, 1, 0]]);
  });
});
