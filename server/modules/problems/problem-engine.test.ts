import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { createDeps } from '../../deps.ts';
import type { Actor } from '../../platform/context.ts';
import { findDeadline, listDeadlines, runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';
import { createCalendarService } from '../calendar/index.ts';
import { createMatterService } from '../supervision/index.ts';
import { createProblemService, registerProblemScopes } from './index.ts';

// Enterprise problems on the tracked-item engine (issue 17): their three time limits are engine deadlines counted
// on the office's working-day calendar, the reminders of the handling limit are claimed once in the database, and
// an escalated problem's matter links back to it.
describe.each(DIALECTS)('problems on the case engine on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let at = new Date('2026-09-30T02:00:00Z'); // Wednesday, the eve of 国庆节 (10-01…10-07; Saturday 10-10 is worked)
  const clock = { now: () => at };
  let deps: ReturnType<typeof createDeps>;
  let office: Actor, dept: Actor;
  let land: { id: number; path: string };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db;
    await buildRegions(db);
    const root = await buildUnit(db, { name: '吴中区', kind: 'office', regionCode: '320506' });
    land = await buildUnit(db, { name: '区自然资源局', parentId: root.id, regionCode: '320506' });
    const officeId = await buildUser(db, { username: 'eng_office', role: 'office', unitId: root.id });
    const deptId = await buildUser(db, { username: 'eng_dept', role: 'reporter', unitId: land.id });
    office = { userId: officeId, username: 'eng_office', displayName: '督查室', role: 'office', unitId: root.id, scope: { all: true, unitPaths: [], regionPaths: [] } };
    dept = { userId: deptId, username: 'eng_dept', displayName: '资规局', role: 'reporter', unitId: land.id, scope: { all: false, unitPaths: [land.path], regionPaths: [] } };
    deps = createDeps(db, { clock });
    registerProblemScopes(deps);
    await createProblemService(deps).putCategory(office, { code: 'land', name: '用地', owner_unit_id: land.id, sort: 1 });
  });
  afterAll(async () => database?.destroy());

  const problems = () => createProblemService(deps);
  const act = async (actor: Actor, id: number, action: string, body: object = {}) => {
    const cur = await problems().get(office, id);
    return problems().act(actor, id, action, { version: cur.version, ...body });
  };
  const deadline = (id: number, kind: string) => findDeadline(database.db, { entityType: 'problem', entityId: id, kind });

  it('holds the route, 签收 and handling limits as engine deadlines over 国庆 2026, on the calendar the office keeps', async () => {
    const id = await problems().raise(office, { title: '国庆前受理的问题', description: '节前受理', source: 'enterprise', category_code: 'land', level: 'county', is_major: false, co_unit_ids: [], region_code: '320506' });
    // Received 09-30: routed within 1 working day, i.e. by Thursday 10-08 after the holiday.
    expect(await problems().get(office, id)).toMatchObject({ status: 'pending', route_due: '2026-10-08', current_due: { kind: 'route', due: '2026-10-08' } });
    expect(await deadline(id, 'route')).toMatchObject({ status: 'open', dueOn: '2026-10-08', unitId: null });
    expect(await deadline(id, 'solve')).toBeUndefined();

    // The office declares Tuesday 10-13 a day off (a local holiday) before the problem is routed on 10-08.
    const calendar = createCalendarService(deps);
    const year = await calendar.getYear(2026);
    await calendar.putYear(office, 2026, [...year.days, { day: '2026-10-13', kind: 'holiday', name: '地方假日' }]);
    at = new Date('2026-10-08T02:00:00Z');
    const assigned = await act(office, id, 'assign');
    // 签收 within 3 working days: Fri 10-09, Sat 10-10 (调休), Mon 10-12; solved within 7: … 10-14, 15, 16, Mon 19.
    expect(assigned).toMatchObject({ status: 'assigned', feedback_due: '2026-10-12', solve_due: '2026-10-19', due_state: 'ok' });
    expect(await deadline(id, 'route')).toMatchObject({ status: 'done', doneOn: '2026-10-08' });
    expect(await deadline(id, 'feedback')).toMatchObject({ status: 'open', dueOn: '2026-10-12', unitId: land.id });
    expect(await deadline(id, 'solve')).toMatchObject({ status: 'open', dueOn: '2026-10-19', unitId: land.id });

    at = new Date('2026-10-09T02:00:00Z');
    await act(dept, id, 'sign');
    expect(await deadline(id, 'feedback')).toMatchObject({ status: 'done', doneOn: '2026-10-09' });
    expect((await problems().get(office, id)).moves.map((m) => m.action)).toEqual(['raise', 'assign', 'sign']);
    // A refused answer (no text) changes nothing: the move and the engine's writes share one transaction.
    await expect(act(dept, id, 'reply', { reply: ' ' })).rejects.toThrow('答复须填写办理结果');
    expect(await deadline(id, 'solve')).toMatchObject({ status: 'open' });
    expect((await problems().get(office, id)).moves).toHaveLength(3);
  });

  it('takes each reminder step of the handling limit once, however many servers run the job', async () => {
    const [p] = (await database.db.selectFrom('problems').select('id').execute());
    const id = p!.id;
    // Friday 10-16 is the working day before the limit (Mon 10-19): two servers run the job at once.
    await Promise.all([runDeadlineSteps(database.db, new Date('2026-10-16T02:00:00Z')), runDeadlineSteps(database.db, new Date('2026-10-16T02:00:01Z'))]);
    await runDeadlineSteps(database.db, new Date('2026-10-16T03:00:00Z'));
    const d = (await deadline(id, 'solve'))!;
    const steps = await database.db.selectFrom('deadline_steps').select(['step', 'due_on']).where('deadline_id', '=', d.id).execute();
    expect(steps).toEqual([{ step: 'remind', due_on: '2026-10-19' }]);
    const reminders = await database.db.selectFrom('todos').select(['key', 'title']).where('entity_type', '=', 'problem').where('entity_id', '=', id).where('kind', '=', 'problem.remind').execute();
    expect(reminders).toEqual([{ key: `problem:${id}:remind:remind:2026-10-19`, title: '问题办理时限提醒（明日到期，时限 2026-10-19）：国庆前受理的问题' }]);
    // The route and 签收 limits have no reminder steps (their to-do's due date reminds).
    expect((await listDeadlines(database.db, 'problem', id)).map((x) => [x.kind, x.ladder.length])).toEqual([['feedback', 0], ['route', 0], ['solve', 3]]);
  });

  it('escalates an overdue problem into a matter that links back to it, and the problem shows the matter', async () => {
    const [p] = (await database.db.selectFrom('problems').select('id').execute());
    const id = p!.id;
    at = new Date('2026-10-21T02:00:00Z');
    const cur = await problems().get(office, id);
    expect(cur.due_state).toBe('overdue');
    const after = await problems().escalate(office, id, { version: cur.version });
    expect(after.matter).toMatchObject({ visible: true, status: 'pending_sign' });
    const m = await createMatterService(deps).detail(office, after.matter!.id);
    expect(m.matter).toMatchObject({ source: 'problem', sourceId: id, sourceRef: `问题 #${id}：国庆前受理的问题`, leadUnitId: land.id });
    // The problem's timeline (the engine's): its moves, the reminder step and the escalation with the matter's number.
    expect(after.timeline.map((x) => x.title)).toEqual([
      '登记：待受理', '交办：待受理 → 已交办', '签收：已交办 → 已签收', '办理时限提醒：明日到期（时限 2026-10-19）', `转督办：${m.matter.number}（问题逾期未办结）`,
    ]);
    expect(after.deadlines.find((x) => x.kind === 'solve')).toMatchObject({ due_on: '2026-10-19', status: 'open', overdue: true, working_days: 2 });
    // The problem keeps its own deadline: the matter has its own, on the same engine.
    expect(await deadline(id, 'solve')).toMatchObject({ status: 'open', dueOn: '2026-10-19' });
    expect(await findDeadline(database.db, { entityType: 'matter', entityId: m.matter.id, kind: 'complete' })).toMatchObject({ status: 'open' });
  });
});
