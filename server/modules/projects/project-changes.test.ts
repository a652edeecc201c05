import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Change { id: string; at: string; user_name: string | null; kind: string; changes: { field: string; old: unknown; new: unknown }[]; reason: string | null; event_date: string | null }

describe.each(DIALECTS)('project change history (变更记录) on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporterA: LoginHeaders;
  let reporterB: LoginHeaders;
  let projectId: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    const unitA = (await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    const unitB = (await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    const officeId = await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await t.db.updateTable('users').set({ display_name: '张科长' }).where('id', '=', officeId).execute();
    await buildUser(t.db, { username: 'reporterA', role: 'reporter', unitId: unitA });
    await buildUser(t.db, { username: 'reporterB', role: 'reporter', unitId: unitB });
    projectId = await buildProject(t.db, { name: '甪直污水处理厂扩建', unit_id: unitA, total_investment: 100_000_000, category: '生态环保' });
    office = await t.login('office1');
    reporterA = await t.login('reporterA');
    reporterB = await t.login('reporterB');
  });
  afterAll(async () => t?.close());

  const changes = async (headers: LoginHeaders, query = '') => t.app.inject({ url: `/api/v1/projects/${projectId}/changes${query}`, headers });

  it('shows an edit with who made it and each changed field old → new, without bookkeeping columns', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${projectId}`, headers: office, payload: { version: 1, name: '甪直污水处理厂扩建（二期）', total_investment: 123_456_789 } });
    expect(res.statusCode).toBe(200);
    // A refused write (stale version) adds nothing to the history.
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${projectId}`, headers: office, payload: { version: 1, category: 'x' } })).statusCode).toBe(409);
    const body = (await changes(reporterA)).json();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ kind: 'update', user_name: '张科长' });
    expect(body.items[0].changes).toEqual([
      { field: 'name', old: '甪直污水处理厂扩建', new: '甪直污水处理厂扩建（二期）' },
      { field: 'total_investment', old: 100_000_000, new: 123_456_789 },
    ]);
  });

  it('answers 404 to a reporter of another unit, as for a project that does not exist', async () => {
    const res = await changes(reporterB);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect((await t.app.inject({ url: '/api/v1/projects/999999/changes', headers: office })).statusCode).toBe(404);
  });

  it('lists stage moves once with their reason, adds moves only the stage history holds, and delete/restore, newest first and paged', async () => {
    const stage = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/stage`, headers: office, payload: { to: 'started', event_date: '2026-03-15', reason: '主体工程开工' } });
    expect(stage.statusCode).toBe(200);
    await pause(5);
    // A move written by monthly-report approval has a stage-history row and no project audit row.
    const users = await t.db.selectFrom('users').select('id').where('username', '=', 'reporterA').executeTakeFirstOrThrow();
    await t.db.insertInto('project_stage_history').values({
      project_id: projectId, from_stage: 'started', to_stage: 'completed', event_date: '2026-10-31', reason: '2026年10月月报审核通过',
      user_id: users.id, created_at: clock.now().toISOString(),
    }).execute();
    await pause(5);
    const version = (await t.app.inject({ url: `/api/v1/projects/${projectId}`, headers: office })).json().version;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${projectId}?version=${version}`, headers: office })).statusCode).toBe(204);
    expect((await changes(office)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/restore`, headers: office })).statusCode).toBe(200);

    const all = (await changes(office)).json();
    expect(all.total).toBe(5);
    const items = all.items as Change[];
    expect(items.map((c) => c.kind)).toEqual(['restore', 'delete', 'stage', 'stage', 'update']);
    expect(items[2]).toMatchObject({ id: expect.stringMatching(/^s/), user_name: 'reporterA', reason: '2026年10月月报审核通过', event_date: '2026-10-31', changes: [{ field: 'stage', old: 'started', new: 'completed' }] });
    expect(items[3]).toMatchObject({ id: expect.stringMatching(/^a/), user_name: '张科长', reason: '主体工程开工', event_date: '2026-03-15' });
    expect(items[3]!.changes).toEqual([
      { field: 'actual_start_date', old: null, new: '2026-03-15' },
      { field: 'stage', old: 'preliminary', new: 'started' },
    ]);
    expect(items[0]).toMatchObject({ user_name: '张科长', changes: [] });

    const page2 = (await changes(office, '?page=2&page_size=2')).json();
    expect(page2).toMatchObject({ total: 5, page: 2, page_size: 2 });
    expect((page2.items as Change[]).map((c) => c.id)).toEqual(items.slice(2, 4).map((c) => c.id));
    expect((await changes(office, '?page=3&page_size=2')).json().items.map((c: Change) => c.id)).toEqual([items[4]!.id]);
    expect((await changes(office, '?page_size=500')).statusCode).toBe(400);
  });
});
