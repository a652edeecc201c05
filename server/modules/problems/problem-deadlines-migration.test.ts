import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { down, up } from '../../db/migrations/2026-12-14-10-problem-deadlines.ts';
import { createDeps } from '../../deps.ts';
import { listDeadlines } from '../../platform/deadlines/deadlines.ts';
import { createProblemService } from './index.ts';

// Problems' route (交办) and 签收 limits became engine deadlines (migration 2026-12-14-10): problems written before
// get the deadlines they would have now, open or ended by their state, and down takes them away again.
describe.each(DIALECTS)('problem limits become engine deadlines on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.destroy());

  it('converts problems created under the old shape, both ways, and the service moves them on', async () => {
    const db = database.db as unknown as Parameters<typeof up>[0];
    await buildRegions(database.db);
    const root = await buildUnit(database.db, { name: '吴中区', kind: 'office', regionCode: '320506' });
    const land = await buildUnit(database.db, { name: '区自然资源局', parentId: root.id, regionCode: '320506' });
    const officeId = await buildUser(database.db, { username: 'mig_office', role: 'office', unitId: root.id });
    // The database as it stood before: problems with their limits in columns, only the handling one a deadline.
    await down(db);
    const now = '2026-09-01T02:00:00.000Z';
    await db.updateTable('problem_categories').set({ owner_unit_id: land.id }).where('code', '=', 'land').execute();
    const base = { description: '旧问题', source: 'enterprise', category_code: 'land', level: 'county', region_code: '320506', created_at: now, updated_at: now, received_on: '2026-09-01', route_due: '2026-09-02' };
    const insert = async (title: string, extra: object) => (await db.insertInto('problems').values({ ...base, title, ...extra }).returning('id').executeTakeFirstOrThrow()).id as number;
    const pending = await insert('待受理旧问题', { status: 'pending' });
    const assigned = await insert('已交办旧问题', { status: 'assigned', owner_unit_id: land.id, assigned_on: '2026-09-02', feedback_due: '2026-09-07', solve_due: '2026-09-11' });
    const signed = await insert('已签收旧问题', { status: 'signed', owner_unit_id: land.id, assigned_on: '2026-09-02', signed_on: '2026-09-03', feedback_due: '2026-09-07', solve_due: '2026-09-11' });
    const rejected = await insert('不予受理旧问题', { status: 'rejected' });
    await db.insertInto('deadlines').values({ entity_type: 'problem', entity_id: signed, kind: 'solve', start_on: '2026-09-01', due_on: '2026-09-11', original_due_on: '2026-09-11', status: 'open', paused_days: 0, ladder: '[]', unit_id: land.id, created_at: now, updated_at: now }).execute();

    await up(db);
    const shape = async (id: number) => (await listDeadlines(database.db, 'problem', id)).map((d) => [d.kind, d.status, d.dueOn, d.doneOn, d.unitId]);
    expect(await shape(pending)).toEqual([['route', 'open', '2026-09-02', null, null]]);
    expect(await shape(assigned)).toEqual([['feedback', 'open', '2026-09-07', null, land.id], ['route', 'done', '2026-09-02', '2026-09-02', null]]);
    expect(await shape(signed)).toEqual([['feedback', 'done', '2026-09-07', '2026-09-03', land.id], ['route', 'done', '2026-09-02', '2026-09-02', null], ['solve', 'open', '2026-09-11', null, land.id]]);
    expect(await shape(rejected)).toEqual([['route', 'cancelled', '2026-09-02', null, null]]);
    // Running it again adds nothing.
    await up(db);
    expect(await shape(assigned)).toHaveLength(2);

    // The service carries a converted problem on: routing it ends its route deadline and opens the 签收 one.
    const office = { userId: officeId, username: 'mig_office', displayName: '督查室', role: 'office' as const, unitId: root.id, scope: { all: true, unitPaths: [], regionPaths: [] } };
    const problems = createProblemService(createDeps(database.db, { clock: { now: () => new Date('2026-09-02T02:00:00Z') } }));
    await problems.act(office, pending, 'assign', { version: 1, owner_unit_id: land.id });
    expect((await shape(pending)).map((d) => d.slice(0, 2))).toEqual([['feedback', 'open'], ['route', 'done'], ['solve', 'open']]);

    await down(db);
    expect(await shape(assigned)).toEqual([]);
    expect(await shape(signed)).toEqual([['solve', 'open', '2026-09-11', null, land.id]]);
  });
});
