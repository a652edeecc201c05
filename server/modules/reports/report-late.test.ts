import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { ReportRepository } from './report.repository.ts';

// Issue 16: the 催报 list's late submitters are kept per unit (report_late, migration 2026-12-14-30, kept by
// triggers) instead of reading every report submitted on or after the deadline day. Whatever changes a report, its
// project or its period's deadline, the kept rows must equal a recount by the service's own deadline rule.
describe.each(DIALECTS)('kept late submitters on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const req = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', cookie: LoginHeaders, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });
  const drift = () => new ReportRepository(t.db).keptReportCountsDrift();
  /** May's 催报 list: unit id → [late project ids, missing project ids]. */
  const lateOfMay = async (query = '') => {
    const res = await req('GET', w.office, `/api/v1/reporting/periods/2026/5/missing${query}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ units: Array<{ unit_id: number; late: Array<{ project_id: number }>; missing: Array<{ project_id: number }> }> }>();
    return Object.fromEntries(body.units.map((u) => [u.unit_id, [u.late.map((l) => l.project_id), u.missing.map((m) => m.project_id)]]));
  };
  const setDeadline = (month: number, deadline: string | null) =>
    t.db.updateTable('reporting_periods').set({ deadline }).where('year', '=', 2026).where('month', '=', month).execute();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    expect((await req('POST', w.office, '/api/v1/reporting/years', { year: 2026 })).statusCode).toBe(201);
    expect((await req('PATCH', w.office, '/api/v1/reporting/periods/2026/5', { status: 'open' })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('lists a submission after the deadline day as late until it is returned, again once resubmitted, and follows the deadline and the project', async () => {
    // Submitted today (after May's deadline day): late.
    await setDeadline(5, '2026-05-25');
    const saved = await req('PUT', w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/5`, { amount_month: 1_000_000 });
    const sent = await req('POST', w.reporterA, `/api/v1/reports/${saved.json().id}/submit`, { version: saved.json().version });
    expect(sent.statusCode).toBe(200);
    expect(await lateOfMay()).toEqual({ [w.unitA]: [[w.pa1], [w.pa2]], [w.unitB]: [[], [w.pb1]] });
    // Returned, it is missing (not late); resubmitted, late again (the first submission time is kept).
    const returned = await req('POST', w.office, `/api/v1/reports/${sent.json().id}/return`, { version: sent.json().version, reason: '数据需核实' });
    expect(returned.statusCode).toBe(200);
    expect(await lateOfMay()).toEqual({ [w.unitA]: [[], [w.pa1, w.pa2]], [w.unitB]: [[], [w.pb1]] });
    const again = await req('POST', w.reporterA, `/api/v1/reports/${sent.json().id}/submit`, { version: returned.json().version });
    expect(again.statusCode).toBe(200);
    expect(await lateOfMay()).toEqual({ [w.unitA]: [[w.pa1], [w.pa2]], [w.unitB]: [[], [w.pb1]] });
    // A deadline after the submission: on time; back before it: late again; none: nothing is late.
    await setDeadline(5, '2099-12-31');
    expect((await lateOfMay())[w.unitA]).toEqual([[], [w.pa2]]);
    await setDeadline(5, '2026-05-25');
    expect((await lateOfMay())[w.unitA]).toEqual([[w.pa1], [w.pa2]]);
    await setDeadline(5, null);
    expect((await lateOfMay())[w.unitA]).toEqual([[], [w.pa2]]);
    await setDeadline(5, '2026-05-25');
    // Moved to 临湖镇, its late report is listed there, and within that unit's filter only.
    await t.db.updateTable('projects').set({ unit_id: w.unitB }).where('id', '=', w.pa1).execute();
    expect(await lateOfMay()).toEqual({ [w.unitA]: [[], [w.pa2]], [w.unitB]: [[w.pa1], [w.pb1]] });
    expect(await lateOfMay(`?unit=${w.unitA}`)).toEqual({ [w.unitA]: [[], [w.pa2]] });
    await t.db.updateTable('projects').set({ unit_id: w.unitA }).where('id', '=', w.pa1).execute();
    expect(await drift()).toEqual([]);
  });

  it('equals a recount after a random run of submissions, returns, resubmissions, deadline changes and project moves', async () => {
    // A seeded generator (mulberry32): a failure replays the same run.
    let seed = 16_2026;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const extra: number[] = [];
    for (let i = 0; i < 5; i++) extra.push(await buildProject(t.db, { name: `随机项目${i}-${dialect}`, unit_id: pick([w.unitA, w.unitB]), stage: 'started' }));
    const projects = [w.pa1, w.pa2, w.pb1, w.reserve, ...extra];
    const months = [3, 4, 5, 6];
    // Instants around a deadline day: the end of that day in China time is 16:00 UTC.
    const instant = (month: number) => {
      const day = `2026-${String(month).padStart(2, '0')}-2${pick(['3', '4', '5', '6'])}`;
      return `${day}T${pick(['01:00:00.000', '15:59:59.999', '16:00:00.000', '23:30:00.000'])}Z`;
    };
    const now = new Date().toISOString();
    const steps: string[] = [];
    for (let step = 0; step < 240; step++) {
      const op = random();
      const project = pick(projects);
      const month = pick(months);
      const report = () => t.db.selectFrom('monthly_reports').select(['id', 'first_submitted_at']).where('project_id', '=', project).where('year', '=', 2026).where('month', '=', month).executeTakeFirst();
      if (op < 0.3) {
        // A save, submission or approval: the report is written, the first submission time set once.
        const existing = await report();
        const status = pick(['draft', 'submitted', 'approved', 'submitted'] as const);
        const first = status === 'draft' ? existing?.first_submitted_at ?? null : existing?.first_submitted_at ?? instant(month);
        if (existing) await t.db.updateTable('monthly_reports').set({ status, first_submitted_at: first, updated_at: now }).where('id', '=', existing.id).execute();
        else await t.db.insertInto('monthly_reports').values({ project_id: project, year: 2026, month, status, first_submitted_at: first, created_at: now, updated_at: now }).execute();
        steps.push(`${status} ${project} ${month} ${first}`);
      } else if (op < 0.45) {
        const existing = await report();
        if (existing) await t.db.updateTable('monthly_reports').set({ status: 'returned', return_reason: '退回' }).where('id', '=', existing.id).execute();
        steps.push(`return ${project} ${month}`);
      } else if (op < 0.5) {
        await t.db.deleteFrom('monthly_reports').where('project_id', '=', project).where('year', '=', 2026).where('month', '=', month).execute();
        steps.push(`delete report ${project} ${month}`);
      } else if (op < 0.62) {
        const deadline = pick([`2026-0${month}-23`, `2026-0${month}-24`, `2026-0${month}-25`, null]);
        await setDeadline(month, deadline);
        steps.push(`deadline ${month} ${deadline}`);
      } else if (op < 0.74) {
        const unit = pick([w.unitA, w.unitB]);
        await t.db.updateTable('projects').set({ unit_id: unit }).where('id', '=', project).execute();
        steps.push(`move ${project} to unit ${unit}`);
      } else if (op < 0.8) {
        const region = pick(['320506', '320505']);
        await t.db.updateTable('projects').set({ region_code: region }).where('id', '=', project).execute();
        steps.push(`move ${project} to region ${region}`);
      } else if (op < 0.87) {
        const tier = pick(['implementation', 'implementation', 'reserve'] as const);
        await t.db.updateTable('projects').set({ tier }).where('id', '=', project).execute();
        steps.push(`tier ${project} ${tier}`);
      } else if (op < 0.93) {
        const deleted = pick([null, null, '2026-06-01T00:00:00.000Z']);
        await t.db.updateTable('projects').set({ deleted_at: deleted }).where('id', '=', project).execute();
        steps.push(`deleted ${project} ${deleted}`);
      } else {
        const listYear = pick([null, 2026, 2027]);
        await t.db.updateTable('projects').set({ list_year: listYear }).where('id', '=', project).execute();
        steps.push(`list year ${project} ${listYear}`);
      }
      if (step % 40 === 39) expect({ after: steps.slice(-40), drift: await drift() }).toEqual({ after: steps.slice(-40), drift: [] });
    }
    // Something was late at the end, and something on time: the run covered both sides of the rule.
    const kept = await t.db.selectFrom('report_late').select('project_id').execute();
    const submitted = await t.db.selectFrom('monthly_reports').select('id').where('status', 'in', ['submitted', 'approved']).execute();
    expect(kept.length).toBeGreaterThan(0);
    expect(submitted.length).toBeGreaterThan(kept.length);
    // A project hard-deleted with its reports takes its late rows with it.
    const gone = extra[0]!;
    await t.db.deleteFrom('monthly_reports').where('project_id', '=', gone).execute();
    await t.db.deleteFrom('projects').where('id', '=', gone).execute();
    expect(await t.db.selectFrom('report_late').select('project_id').where('project_id', '=', gone).execute()).toEqual([]);
    expect(await drift()).toEqual([]);
  });

  it('a drifted late row shows in the drift check, and the rebuild (docket verify --fix) recounts it exactly', async () => {
    await setDeadline(5, '2026-05-25');
    await t.db.updateTable('projects').set({ tier: 'reserve' }).where('id', '=', w.reserve).execute();
    // pa2 back on May's list with a report submitted three days after the deadline (the random run moved things).
    await t.db.updateTable('projects').set({ tier: 'implementation', deleted_at: null, list_year: null }).where('id', '=', w.pa2).execute();
    await t.db.deleteFrom('monthly_reports').where('project_id', '=', w.pa2).where('year', '=', 2026).where('month', '=', 5).execute();
    const at = '2026-05-28T00:00:00.000Z';
    await t.db.insertInto('monthly_reports').values({ project_id: w.pa2, year: 2026, month: 5, status: 'submitted', first_submitted_at: at, created_at: at, updated_at: at }).execute();
    const before = await lateOfMay();
    const kept = await t.db.selectFrom('report_late').selectAll().where('year', '=', 2026).where('month', '=', 5).execute();
    expect(kept.length).toBeGreaterThan(0);
    await t.db.deleteFrom('report_late').where('year', '=', 2026).where('month', '=', 5).where('project_id', '=', kept[0]!.project_id).execute();
    await t.db.insertInto('report_late').values({ year: 2026, month: 5, project_id: w.reserve, unit_id: w.unitA, region_code: '320506', first_submitted_at: '2026-05-30T00:00:00.000Z' }).execute();
    const drifted = await drift();
    expect(drifted).toContain(`late 2026/5/${w.reserve}: kept ${w.unitA} 320506 2026-05-30T00:00:00.000Z, counted none`);
    expect(drifted.some((d) => d.startsWith(`late 2026/5/${kept[0]!.project_id}: kept none, counted `))).toBe(true);
    await t.db.transaction().execute((tx) => new ReportRepository(tx).rebuildKeptReportCounts());
    expect(await drift()).toEqual([]);
    expect(await lateOfMay()).toEqual(before);
  });

  it('pages the units that owe something: the same units, counts and first rows as the whole list, page by page', async () => {
    type Unit = { unit_id: number; missing_count: number; late_count: number; missing: unknown[]; late: unknown[] };
    type Answer = { period: unknown; units: Unit[]; total?: number };
    const get = async (cookie: LoginHeaders, url: string) => {
      const res = await req('GET', cookie, url);
      expect(res.statusCode).toBe(200);
      return res.json<Answer>();
    };
    let compared = 0;
    // Pages of several units whose rows per_unit cut: on PostgreSQL one LATERAL statement reads them all, and the
    // limit must apply to each unit, not to the statement.
    let cutAcrossUnits = 0;
    // Two more projects without a report in each unit: every month has pages of two units with rows to cut.
    for (const unit of [w.unitA, w.unitB]) {
      for (let i = 0; i < 2; i++) await buildProject(t.db, { name: `分页项目${unit}-${i}-${dialect}`, unit_id: unit, stage: 'started' });
    }
    for (const [cookie, query] of [[w.office, ''], [w.office, `unit=${w.unitB}&`], [w.reporterA, '']] as const) {
      for (const month of [3, 4, 5, 6]) {
        const whole = await get(cookie, `/api/v1/reporting/periods/2026/${month}/missing${query ? `?${query.slice(0, -1)}` : ''}`);
        expect(whole.total).toBeUndefined();
        const owing = whole.units.filter((u) => u.missing_count > 0 || u.late_count > 0);
        for (const [pageSize, perUnit] of [[1, 1], [2, undefined], [2, 1], [50, 1], [50, 0]] as const) {
          for (let page = 1; page <= Math.ceil(owing.length / pageSize) + 1; page++) {
            const paged = await get(cookie, `/api/v1/reporting/periods/2026/${month}/missing?${query}page=${page}&page_size=${pageSize}${perUnit === undefined ? '' : `&per_unit=${perUnit}`}`);
            const cut = (rows: unknown[]) => (perUnit === undefined ? rows : rows.slice(0, perUnit));
            expect(paged).toEqual({
              period: whole.period, total: owing.length,
              units: owing.slice((page - 1) * pageSize, page * pageSize).map((u) => ({ ...u, missing: cut(u.missing), late: cut(u.late) })),
            });
            compared += paged.units.length;
            if (perUnit === 1 && paged.units.length > 1 && owing.slice((page - 1) * pageSize, page * pageSize).some((u) => u.missing.length > 1 || u.late.length > 1)) cutAcrossUnits += 1;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
    expect(cutAcrossUnits).toBeGreaterThan(0);
  });
});
