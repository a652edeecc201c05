import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { multipartBody } from '../../../test/workbooks.ts';
import { createIndicatorService } from '../indicators/index.ts';
import { createLightService } from '../lights/index.ts';
import type { ImportReport } from '../imports/index.ts';
import { ReportRepository } from './report.repository.ts';
import { createDeps } from '../../deps.ts';

// Bulk writes (issue 23): a month's import saved as drafts, submitted or approved in one step, submit-all, and what
// they leave behind — figures equal to a per-row recomputation (`docket verify`), later months re-chained, light
// snapshots current, one audit event per operation, duplicates listed and skippable; a busy database is a 503.

describe.each(DIALECTS)('bulk report writes on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  let twinA: number;
  let twinB: number;
  const csv = (lines: string[]) => Buffer.from(lines.join('\n') + '\n', 'utf8');
  const post = (url: string, cookie: LoginHeaders, data: Buffer) => {
    const body = multipartBody('月报.csv', data);
    return t.app.inject({ method: 'POST', url, headers: { ...body.headers, ...cookie }, payload: body.payload });
  };
  const report = (projectId: number, month: number) =>
    t.db.selectFrom('monthly_reports').selectAll().where('project_id', '=', projectId).where('year', '=', 2026).where('month', '=', month).executeTakeFirst();
  const auditActions = async (since: number) =>
    (await t.db.selectFrom('audit_log').select(['action', 'details_json as details']).where('seq', '>', since).orderBy('seq').execute());
  const headSeq = async () => Number((await t.db.selectFrom('audit_chain_head').select('seq').executeTakeFirstOrThrow()).seq);
  /** `docket verify`: the rollups and light snapshots equal a recomputation from the reports. */
  const expectVerified = async () => {
    const rollup = await createIndicatorService(createDeps(t.database.db)).verify();
    expect(rollup.ok, JSON.stringify(rollup.differences.slice(0, 3))).toBe(true);
    const lights = await createLightService(createDeps(t.database.db)).verifySnapshots();
    expect(lights.rows_differing + lights.counts_differing).toBe(0);
    // The 催报 list's kept counts (issue 16), kept by triggers through every bulk path.
    expect(await new ReportRepository(t.db).keptReportCountsDrift()).toEqual([]);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    // Two stored projects with one name and region: a name + region row cannot tell them apart.
    twinA = await buildProject(t.db, { name: '甪直标准厂房', unit_id: w.unitA, stage: 'started' });
    twinB = await buildProject(t.db, { name: '甪直标准厂房', unit_id: w.unitA, stage: 'started' });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/reporting/years', headers: w.office, payload: { year: 2026 } })).statusCode).toBe(201);
    for (const m of [4, 5, 6]) {
      expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/reporting/periods/2026/${m}`, headers: w.office, payload: { status: 'open' } })).statusCode).toBe(200);
    }
    // Snapshot months exist (as the warm-up makes them), so the bulk write must bring them up to date.
    for (const m of [5, 6]) await createLightService(createDeps(t.database.db)).ensureSnapshots(2026, m);
  });
  afterAll(async () => t?.close());

  it('imports a month as submitted in one step: counted, re-chained, equal to a recomputation, one audit event', async () => {
    // A June draft exists before May is imported: its 1–N月 must follow May's figure.
    const june = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${w.pa1}/reports/2026/6`, headers: w.reporterA, payload: { amount_month: 1_000_000 } });
    expect(june.statusCode, june.body).toBe(200);
    const since = await headSeq();
    const res = await post('/api/v1/imports/monthly/apply?year=2026&month=5&status=submitted', w.reporterA, csv([
      'name,region,amount_month_wan,progress_text',
      '甪直智能装备产业园,320506,500,桩基施工',
      '甪直污水处理厂提标改造,吴中区,100,设备安装',
    ]));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<ImportReport>();
    expect(body).toMatchObject({ applied: true, reportStatus: 'submitted', summary: { created: 2, errors: 0 } });
    expect(await report(w.pa1, 5)).toMatchObject({ amount_month: 5_000_000, amount_ytd: 5_000_000, amount_since_start: 35_000_000, status: 'submitted', submitted_at: expect.any(String), first_submitted_at: expect.any(String) });
    expect(await report(w.pa1, 6)).toMatchObject({ amount_month: 1_000_000, amount_ytd: 6_000_000, amount_since_start: 36_000_000, version: 2, status: 'draft' });
    const ind = (await t.app.inject({ method: 'GET', url: '/api/v1/indicators?year=2026&month=5', headers: w.office })).json();
    expect(ind.indicators.sums.completed_ytd).toBe(6_000_000);
    await expectVerified();
    const events = await auditActions(since);
    expect(events.filter((e) => e.action === 'import.apply')).toHaveLength(1);
    expect(events.some((e) => e.action === 'report.save')).toBe(false);
    expect(JSON.parse(events.find((e) => e.action === 'import.apply')!.details!)).toMatchObject({ kind: 'monthly', status: 'submitted', created: 2, year: 2026, month: 5 });
  });

  it('lets only the office approve imported figures; approval carries statistics entry to the project', async () => {
    const file = csv(['项目名称,所属地区,本月完成投资（万元）,是否入库纳统,纳统项目编码', '甪直污水处理厂提标改造,吴中区,80,是,TJ-2026-0001']);
    const denied = await post('/api/v1/imports/monthly/apply?year=2026&month=4&status=approved', w.reporterA, file);
    expect(denied.statusCode).toBe(403);
    expect(await report(w.pa2, 4)).toBeUndefined();
    const res = await post('/api/v1/imports/monthly/apply?year=2026&month=4&status=approved', w.office, file);
    expect(res.json<ImportReport>()).toMatchObject({ applied: true, summary: { created: 1 } });
    expect(await report(w.pa2, 4)).toMatchObject({ status: 'approved', amount_ytd: 800_000, reviewed_at: expect.any(String) });
    // May (imported before April existed) is re-chained: 1–N月 = April + May.
    expect(await report(w.pa2, 5)).toMatchObject({ amount_month: 1_000_000, amount_ytd: 1_800_000 });
    const project = await t.db.selectFrom('projects').select(['stats_entered', 'stats_code']).where('id', '=', w.pa2).executeTakeFirstOrThrow();
    expect(project).toEqual({ stats_entered: 1, stats_code: 'TJ-2026-0001' });
    await expectVerified();
  });

  it('lists repeated projects and, by choice, imports the rest', async () => {
    const lines = [
      '项目名称,所属地区,本月完成投资（万元）',
      '甪直智能装备产业园,吴中区,10',
      '甪直污水处理厂提标改造,吴中区,20',
      '甪直智能装备产业园,吴中区,30',
      '甪直标准厂房,吴中区,40',
    ];
    const refused = (await post('/api/v1/imports/monthly/apply?year=2026&month=6', w.office, csv(lines))).json<ImportReport>();
    expect(refused.applied).toBe(false);
    expect(refused.duplicates).toEqual([
      { sheet: 'CSV', rows: [5], name: '甪直标准厂房', region: '吴中区', stored: 2, skipped: false },
      { sheet: 'CSV', rows: [2, 4], name: '甪直智能装备产业园', region: '吴中区', skipped: false },
    ].sort((a, b) => a.rows[0]! - b.rows[0]!));
    expect(await report(w.pa2, 6)).toBeUndefined();
    const applied = (await post('/api/v1/imports/monthly/apply?year=2026&month=6&duplicates=skip', w.office, csv(lines))).json<ImportReport>();
    expect(applied).toMatchObject({ applied: true, summary: { created: 1, updated: 1, skipped: 2, errors: 0 } });
    expect(applied.duplicates.every((d) => d.skipped)).toBe(true);
    expect(applied.outcomes.filter((o) => o.action === 'skip').map((o) => o.row)).toEqual([4, 5]);
    expect(await report(w.pa1, 6)).toMatchObject({ amount_month: 100_000 });
    expect(await report(twinA, 6)).toBeUndefined();
    expect(await report(twinB, 6)).toBeUndefined();
    await expectVerified();
  });

  it('submits a whole month at once with one summary audit event, and the figures count', async () => {
    const since = await headSeq();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reporting/periods/2026/6/submit-all', headers: w.office, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ submitted: 2, already_submitted: 0 });
    expect(res.json().missing.map((m: { project_id: number }) => m.project_id).sort()).toEqual([w.pb1, twinA, twinB].sort());
    expect((await report(w.pa1, 6))!.status).toBe('submitted');
    const events = await auditActions(since);
    expect(events.filter((e) => e.action === 'report.submit_all')).toHaveLength(1);
    expect(events.some((e) => e.action === 'report.submit')).toBe(false);
    const ind = (await t.app.inject({ method: 'GET', url: '/api/v1/indicators?year=2026&month=6', headers: w.office })).json();
    // pa1: May 5,000,000 + June 100,000; pa2: April 800,000 + May 1,000,000 + June 200,000.
    expect(ind.indicators.sums.completed_ytd).toBe(5_100_000 + 2_000_000);
    await expectVerified();
  });

  it.skipIf(dialect !== 'sqlite')('answers 503 with Retry-After, never 500, while another process holds the write lock; reads go on', async () => {
    // Whatever a read would bring up to date lazily is current (the bulk writes above did it themselves).
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/indicators?year=2026&month=6', headers: w.office })).statusCode).toBe(200);
    const other = new SQLite(path.join(t.config.dataDir, 'docket.db'));
    try {
      other.pragma('busy_timeout = 100');
      other.exec('BEGIN IMMEDIATE');
      const read = await t.app.inject({ method: 'GET', url: '/api/v1/indicators?year=2026&month=6', headers: w.office });
      expect(read.statusCode).toBe(200);
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'leader1', password: 'Docket#2026' } });
      // A sign-in writes its session: it waits busy_timeout (5 s), then is told to come back — not a 500.
      expect(login.statusCode, login.body).toBe(503);
      expect(login.headers['retry-after']).toBe('5');
      expect(login.json().error).toMatchObject({ code: 'busy', message: expect.stringContaining('请稍后重试') });
      other.exec('ROLLBACK');
      const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'leader1', password: 'Docket#2026' } });
      expect(again.statusCode).toBe(200);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  }, 120_000);
});
