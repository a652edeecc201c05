import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, makeImage, multipart, type TestApp } from '../../../test/reporting.ts';
import { buildWorkbook, multipartBody } from '../../../test/workbooks.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');

interface Event {
  seq: number;
  action: string;
  username: string | null;
  entity_type: string | null;
  entity_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
}

// The explicit before/after events of reports, periods, photos, imports, light rules, excuses and indicator
// settings, written in the same transaction as the change, and the chain still verifying after them.
describe.each(DIALECTS)('audit events of reporting, imports and lights on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const post = (cookie: LoginHeaders, url: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: cookie, payload });
  const put = (cookie: LoginHeaders, url: string, payload: object) => t.app.inject({ method: 'PUT', url, headers: cookie, payload });

  /** Explicit events (not the automatic per-request rows) with the action, oldest first. */
  async function events(action: string, entityId?: string | number): Promise<Event[]> {
    let q = t.db.selectFrom('audit_log').selectAll().where('action', '=', action);
    if (entityId !== undefined) q = q.where('entity_id', '=', String(entityId));
    const rows = await q.orderBy('seq').execute();
    const parse = (s: string | null) => (s === null ? null : JSON.parse(s));
    return rows.map((r) => ({
      seq: Number(r.seq), action: r.action, username: r.username, entity_type: r.entity_type, entity_id: r.entity_id,
      before: parse(r.before_json), after: parse(r.after_json), details: parse(r.details_json),
    }));
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    expect((await post(w.office, '/api/v1/reporting/years', { year: 2026 })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/reporting/periods/2026/5', headers: w.office, payload: { status: 'open' } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('records the calendar, opening a period and a settings change with before and after', async () => {
    const [year] = await events('period.create_year', 2026);
    expect(year).toMatchObject({ username: 'office1', entity_type: 'reporting_year', before: null });
    expect(year!.after).toHaveLength(12);
    const [open] = await events('period.open');
    expect(open).toMatchObject({ entity_type: 'reporting_period', before: { month: 5, status: 'pending' }, after: { month: 5, status: 'open' } });
    expect((await put(w.office, '/api/v1/reporting/settings', { deadline_day: 20, deadline_month_offset: 0 })).statusCode).toBe(200);
    const [settings] = await events('reporting.settings_update');
    expect(settings).toMatchObject({ before: { deadline_day: 25, deadline_month_offset: 0 }, after: { deadline_day: 20, deadline_month_offset: 0 } });
  });

  it('records save, submit, approve and correct of a report with the rows before and after and the reason', async () => {
    const saved = await put(w.reporterA, `/api/v1/projects/${w.pa2}/reports/2026/5`, { amount_month: 3_000_000, progress_text: '主体施工' });
    expect(saved.statusCode, saved.body).toBe(200);
    const id = saved.json().id as number;
    const submitted = await post(w.reporterA, `/api/v1/reports/${id}/submit`, { version: saved.json().version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await post(w.office, `/api/v1/reports/${id}/approve`, { version: submitted.json().version });
    expect(approved.statusCode, approved.body).toBe(200);
    const corrected = await post(w.office, `/api/v1/reports/${id}/correct`, { version: approved.json().version, amount_month: 3_500_000, reason: '漏报设备款' });
    expect(corrected.statusCode, corrected.body).toBe(200);

    // The automatic request row names the project of /projects/:projectId/reports/:year/:month, not the year.
    const request = await t.db.selectFrom('audit_log').select(['entity_type', 'entity_id']).where('action', '=', 'request')
      .where('method', '=', 'PUT').where('route', '=', '/api/v1/projects/:projectId/reports/:year/:month').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(request).toEqual({ entity_type: 'project', entity_id: String(w.pa2) });
    const [save] = await events('report.save', id);
    expect(save).toMatchObject({
      username: 'reporterA', entity_type: 'report', before: null,
      after: { id, project_id: w.pa2, status: 'draft', amount_month: 3_000_000, progress_text: '主体施工', version: 1 },
      details: { project_id: w.pa2, year: 2026, month: 5 },
    });
    const [submit] = await events('report.submit', id);
    expect(submit).toMatchObject({ before: { status: 'draft' }, after: { status: 'submitted' } });
    const [approve] = await events('report.approve', id);
    expect(approve).toMatchObject({ username: 'office1', before: { status: 'submitted', version: 2 }, after: { status: 'approved', reviewed_by: expect.any(Number) } });
    const [correct] = await events('report.correct', id);
    expect(correct).toMatchObject({
      username: 'office1',
      before: { status: 'approved', amount_month: 3_000_000, revision: 1 },
      after: { status: 'approved', amount_month: 3_500_000, revision: 2 },
      details: { reason: '漏报设备款', revision_kept: 1, revision: 2, by_reviewer: true },
    });
    expect([save!.seq, submit!.seq, approve!.seq, correct!.seq]).toEqual([...[save!.seq, submit!.seq, approve!.seq, correct!.seq]].sort((a, b) => a - b));
  });

  it('names a report by its project and period: recorded at write time, looked up at read time for older entries', async () => {
    // The report saved by the test above (pa2's May report).
    const [save] = await events('report.save');
    const id = Number(save!.entity_id);
    const project = await t.db.selectFrom('projects').select('name').where('id', '=', w.pa2).executeTakeFirstOrThrow();
    expect(save!.details).toMatchObject({ entity_name: `${project.name} 2026年5月` });

    // An entry written before names were recorded (only the row number) reads by the report's current name.
    const audit = new AuditService(new AuditRepository(t.db));
    await audit.record(t.db, null, { action: 'report.save', entityType: 'report', entityId: id });
    const found = await audit.search({ action: 'report.save', entity_type: 'report', entity_id: String(id), page: 1, page_size: 10 });
    expect(found.items.map((e) => e.entity_name)).toEqual([`${project.name} 2026年5月`, `${project.name} 2026年5月`]);
    const unnamed = found.items.find((e) => !(e.details && typeof e.details === 'object' && 'entity_name' in e.details));
    expect(unnamed).toBeDefined();
  });

  it('records a return with its reason, and nothing for a refused step (the event rolls back with it)', async () => {
    const saved = await put(w.reporterA, `/api/v1/projects/${w.pa1}/reports/2026/5`, { amount_month: 1_000_000 });
    const id = saved.json().id as number;
    const submitted = await post(w.reporterA, `/api/v1/reports/${id}/submit`, { version: saved.json().version });
    const returned = await post(w.office, `/api/v1/reports/${id}/return`, { version: submitted.json().version, reason: '投资额与台账不符' });
    expect(returned.statusCode, returned.body).toBe(200);
    const [ret] = await events('report.return', id);
    expect(ret).toMatchObject({ before: { status: 'submitted' }, after: { status: 'returned', return_reason: '投资额与台账不符' }, details: { reason: '投资额与台账不符' } });
    const stale = await post(w.office, `/api/v1/reports/${id}/approve`, { version: submitted.json().version });
    expect(stale.statusCode).toBe(409);
    expect(await events('report.approve', id)).toEqual([]);
  });

  it('records photo upload and delete as metadata only', async () => {
    const report = (await t.app.inject({ url: `/api/v1/projects/${w.pa1}/reports/2026/5`, headers: w.reporterA })).json();
    const body = multipart([{ filename: 'site.jpg', data: await makeImage('jpeg', 64, 48) }]);
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${report.id}/photos`, headers: { ...w.reporterA, ...body.headers }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(201);
    const photoId = up.json().items[0].id as number;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/report-photos/${photoId}`, headers: w.reporterA })).statusCode).toBe(204);
    const [upload] = await events('report.photo_upload', report.id);
    expect(upload).toMatchObject({ entity_type: 'report', before: [], details: { added: 1 } });
    expect(upload!.after).toEqual([expect.objectContaining({ id: photoId, mime: 'image/jpeg', width: 64, height: 48, original_name: 'site.jpg', sha256: expect.any(String) })]);
    const [del] = await events('report.photo_delete', report.id);
    expect(del).toMatchObject({ before: { id: photoId, mime: 'image/jpeg' }, after: null });
    const raw = JSON.stringify([upload, del]);
    expect(raw).not.toContain('file_path');
    expect(raw).not.toContain('thumb_path');
  });

  it('records one event per report of a batch save and submit', async () => {
    const grid = (await t.app.inject({ url: '/api/v1/reporting/periods/2026/5/grid', headers: w.reporterA })).json();
    const rowOf = (pid: number) => grid.rows.find((r: { project: { id: number } }) => r.project.id === pid).report;
    const before = (await events('report.save')).length;
    const res = await put(w.reporterA, '/api/v1/reporting/periods/2026/5/batch', {
      submit: true, rows: [{ project_id: w.pa1, version: rowOf(w.pa1).version, amount_month: 1_200_000 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await events('report.save')).length).toBe(before + 1);
    const submits = await events('report.submit', rowOf(w.pa1).id);
    expect(submits.at(-1)).toMatchObject({ before: { status: 'returned' }, after: { status: 'submitted', amount_month: 1_200_000 }, details: { batch: true } });
  });

  it('records an import apply with the file, its sha256, counts and the updated project before and after', async () => {
    const head = ['序号', '项目名称', '所属地区', '责任单位', '总投资'];
    const file = await buildWorkbook([{ name: '清单', rows: [head, [1, '甪直污水处理厂提标改造', '吴中区', '甪直镇', 80_000], [2, '甪直新建物流中心', '吴中区', '甪直镇', 20_000]] }]);
    const body = multipartBody('list-2026.xlsx', file);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/apply', headers: { ...body.headers, ...w.office }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ applied: true, summary: { created: 1, updated: 1 } });
    const [apply] = await events('import.apply');
    const sha = crypto.createHash('sha256').update(file).digest('hex');
    expect(apply).toMatchObject({
      username: 'office1', entity_type: 'import', entity_id: sha,
      details: { file_name: 'list-2026.xlsx', sha256: sha, kind: 'projects', created: 1, updated: 1, unchanged: 0, per_project_events: true },
    });
    const [update] = await events('project.import_update', w.pa2);
    expect(update).toMatchObject({ entity_type: 'project', before: { total_investment: expect.any(Number) }, after: { total_investment: 800_000_000 } });
    expect(update!.before!.total_investment).not.toBe(800_000_000);
    // A dry run writes nothing, so it records nothing.
    const dry = multipartBody('list-2026.xlsx', file);
    await t.app.inject({ method: 'POST', url: '/api/v1/imports/dry-run', headers: { ...dry.headers, ...w.office }, payload: dry.payload });
    expect(await events('import.apply')).toHaveLength(1);
  });

  it('records a rule set change, excuses and indicator settings with before and after', async () => {
    const rules = [{ id: 'inv', kind: 'points_gap', yellow_points: 5, red_points: 15 }];
    const first = await put(w.office, '/api/v1/lights/rules/2026', { rules, effective_month: 1 });
    expect(first.statusCode, first.body).toBe(200);
    const stricter = [{ id: 'inv', kind: 'points_gap', yellow_points: 3, red_points: 10 }];
    expect((await put(w.office, '/api/v1/lights/rules/2026', { rules: stricter, effective_month: 6, note: '年中从严' })).statusCode).toBe(200);
    const changes = await events('lights.rules_update', 2026);
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ entity_type: 'light_rule_set', before: null, after: { version: 1, effective_month: 1, rules } });
    expect(changes[1]).toMatchObject({ before: { version: 1, rules }, after: { version: 2, effective_month: 6, rules: stricter, note: '年中从严' } });

    const excuse = await post(w.office, '/api/v1/lights/excuses', { project_id: w.pa1, year: 2026, month_from: 3, reason: '用地指标未下达' });
    expect(excuse.statusCode, excuse.body).toBeLessThan(300);
    const excuseId = excuse.json().id as number;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/lights/excuses/${excuseId}`, headers: w.office })).statusCode).toBeLessThan(300);
    const [accepted] = await events('lights.excuse_accept', excuseId);
    expect(accepted).toMatchObject({ before: null, after: { id: excuseId, reason: '用地指标未下达', revoked_at: null } });
    const [revoked] = await events('lights.excuse_revoke', excuseId);
    expect(revoked).toMatchObject({ before: { revoked_at: null }, after: { revoked_at: expect.any(String) } });

    const curve = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100];
    const settings = await put(w.office, '/api/v1/indicators/settings', { time_curves: { 2026: curve }, counted_statuses: ['approved'] });
    expect(settings.statusCode, settings.body).toBe(200);
    const [ind] = await events('indicator.settings_update');
    expect(ind).toMatchObject({ entity_type: 'indicator_settings', before: { time_curves: { 2026: null } }, after: { time_curves: { 2026: curve }, counted_statuses: ['approved'] } });
    expect(ind!.before!.counted_statuses).toEqual(expect.any(Array));
  });

  it('keeps the chain verifying after all of these events, in process and from the command line', async () => {
    const result = await new AuditService(new AuditRepository(t.db)).verify(t.config.dataDir);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.rows).toBeGreaterThan(20);
    const env = { ...process.env, DATABASE_URL: t.database.url ?? '', DOCKET_DATA_DIR: t.database.dataDir };
    const { stdout } = await run(process.execPath, [path.join(root, 'bin/docket.js'), 'audit', 'verify', '--json'], { env, cwd: root });
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, problems: [] });
  });
});
