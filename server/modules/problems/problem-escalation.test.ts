import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday } from '../../../core/clock.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { addWorkingDays } from '../../../core/calendar.ts';
import { clock } from '../../clock.ts';
import { findDeadline, loadWorkCalendar, runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';

// 转督办 (issue 18): an overdue or complex problem becomes a supervised matter through the supervision module, and
// the problem follows the matter (its state and its timeline); the problem's moves leave to-dos in the inbox.
describe.each(DIALECTS)('problem escalation and reminders on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders, dept: LoginHeaders, leader: LoginHeaders;
  let units: Record<string, number>;
  let projectId: number;
  const today = chinaToday(clock.now());

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区', kind: 'office', regionCode: '320506' });
    const land = await buildUnit(t.db, { name: '区自然资源局', parentId: root.id, regionCode: '320506' });
    const power = await buildUnit(t.db, { name: '区供电公司', parentId: root.id, regionCode: '320506' });
    units = { root: root.id, land: land.id, power: power.id };
    await buildUser(t.db, { username: 'esc_office', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'esc_dept', role: 'reporter', unitId: land.id });
    await buildUser(t.db, { username: 'esc_leader', role: 'leader', unitId: root.id });
    projectId = await buildProject(t.db, { unit_id: land.id, name: '转督办测试项目' });
    [office, dept, leader] = await Promise.all(['esc_office', 'esc_dept', 'esc_leader'].map((u) => t.login(u))) as [LoginHeaders, LoginHeaders, LoginHeaders];
    await t.app.inject({ method: 'PUT', url: '/api/v1/problem-categories', headers: office, payload: { code: 'land', name: '用地', owner_unit_id: land.id, sort: 1 } });
  });
  afterAll(async () => t?.close());

  const raise = async (title: string, extra: object = {}) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/problems', headers: office, payload: { title, description: `${title}的情况`, source: 'project', project_id: projectId, category_code: 'land', co_unit_ids: [units.power!], ...extra } });
    expect(r.statusCode).toBe(201);
    return r.json<{ id: number; version: number }>();
  };
  const escalate = (id: number, headers: LoginHeaders, body: object) => t.app.inject({ method: 'POST', url: `/api/v1/problems/${id}/escalate`, headers, payload: body });

  it('escalates a complex problem into a matter led by its department, only with a reason, once, and not by a department', async () => {
    const p = await raise('征地拆迁矛盾复杂');
    const noReason = await escalate(p.id, office, { version: p.version });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.message).toBe('该问题未逾期且非重大问题，转督办须说明理由（复杂问题）');
    expect((await escalate(p.id, dept, { version: p.version, reason: '涉及多部门' })).statusCode).toBe(403);
    // A bad lead unit loses everything: no matter, no link.
    const before = (await t.db.selectFrom('matters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const badLead = await escalate(p.id, office, { version: p.version, reason: '涉及多部门', lead_unit_id: 999999 });
    expect(badLead.statusCode).toBe(422);
    expect(badLead.json().error.message).toBe('牵头单位不存在');
    expect(Number((await t.db.selectFrom('matters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(Number(before));
    expect((await t.db.selectFrom('problems').select('matter_id').where('id', '=', p.id).executeTakeFirstOrThrow()).matter_id).toBeNull();

    const res = await escalate(p.id, office, { version: p.version, reason: '涉及多部门，需区级协调' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.can_escalate).toBe(false);
    expect(body.matter).toMatchObject({ visible: true, status: 'pending_sign', status_label: '待签收', lead_unit_name: '区自然资源局' });
    expect(body.matter.number).toBeTruthy();
    const m = (await t.app.inject({ url: `/api/v1/matters/${body.matter_id}`, headers: office })).json().matter;
    expect(m).toMatchObject({ source: 'problem', sourceId: p.id, title: '征地拆迁矛盾复杂', leadUnitId: units.land });
    expect(m.coUnits.map((u: { name: string }) => u.name)).toEqual(['区供电公司']);
    expect(m.content).toContain('转督办理由：涉及多部门，需区级协调');
    const again = await escalate(p.id, office, { version: body.version, reason: '再次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('该问题已转为督办事项');
    // A stale version is refused.
    expect((await escalate((await raise('另一个问题')).id, office, { version: 99, reason: 'x' })).statusCode).toBe(409);
  });

  it('lets the problem follow its matter: the department signs the matter and the problem shows it, with the shared timeline', async () => {
    const p = await raise('用地指标跨年度调剂', { is_major: true });
    // A major problem needs no reason.
    const esc = await escalate(p.id, leader, { version: p.version });
    expect(esc.statusCode).toBe(200);
    const matterId = esc.json().matter_id as number;
    const mv = (await t.app.inject({ url: `/api/v1/matters/${matterId}`, headers: dept })).json().matter.version;
    const signed = await t.app.inject({ method: 'POST', url: `/api/v1/matters/${matterId}/actions`, headers: dept, payload: { action: 'sign', version: mv } });
    expect(signed.statusCode).toBe(200);
    const seen = (await t.app.inject({ url: `/api/v1/problems/${p.id}`, headers: dept })).json();
    expect(seen.matter).toMatchObject({ id: matterId, status: 'in_progress', status_label: '办理中' });
    expect(seen.matter.timeline.map((i: { title: string }) => i.title)).toEqual(expect.arrayContaining([expect.stringContaining('签收')]));
    // The escalation itself is on the problem's record.
    const events = await t.db.selectFrom('events').select(['name', 'entity_id']).where('entity_type', '=', 'problem').where('entity_id', '=', p.id).execute();
    expect(events.map((e) => e.name)).toContain('problem.escalated');
  });

  it('lets the department answer in one step with the closed matter\'s outcome, and shows a returned matter with its reason', async () => {
    const matterAct = async (headers: LoginHeaders, matterId: number, action: string, reason?: string) => {
      const mv = (await t.app.inject({ url: `/api/v1/matters/${matterId}`, headers: office })).json().matter.version;
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/matters/${matterId}/actions`, headers, payload: { action, version: mv, ...(reason ? { reason } : {}) } });
      expect(r.statusCode).toBe(200);
    };
    const problem = async (id: number, headers: LoginHeaders = dept) => (await t.app.inject({ url: `/api/v1/problems/${id}`, headers })).json();
    const adopt = async (id: number, headers: LoginHeaders, body: object = {}) =>
      t.app.inject({ method: 'POST', url: `/api/v1/problems/${id}/actions/adopt_matter`, headers, payload: { version: (await problem(id, office)).version, ...body } });

    // A matter the department sends back (退回) shows on the problem with its reason; no one-step answer.
    const back = await raise(`退回测试-${dialect}`, { is_major: true });
    const backMatter = (await escalate(back.id, office, { version: back.version })).json().matter_id as number;
    await matterAct(dept, backMatter, 'send_back', '应由区发改局牵头');
    const seenBack = await problem(back.id);
    expect(seenBack.matter).toMatchObject({ status: 'returned', outcome_state: 'returned', returned_reason: '应由区发改局牵头', outcome: null });
    expect(seenBack.actions).not.toContain('adopt_matter');
    expect((await adopt(back.id, office)).statusCode).toBe(409);

    const p = await raise(`按督办结果办结-${dialect}`, { is_major: true });
    const matterId = (await escalate(p.id, office, { version: p.version })).json().matter_id as number;
    // The problem is routed and signed by its department while the matter runs.
    for (const [h, a] of [[office, 'assign'], [dept, 'sign']] as const) {
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${p.id}/actions/${a}`, headers: h, payload: { version: (await problem(p.id, office)).version } });
      expect(r.statusCode).toBe(200);
    }
    await matterAct(dept, matterId, 'sign');
    await matterAct(dept, matterId, 'apply_close', '用地指标已于年内调剂到位');
    // Not closed yet (申请办结 awaits review): no one-step answer, and the API refuses it with the matter's state.
    expect((await problem(p.id)).actions).not.toContain('adopt_matter');
    const early = await adopt(p.id, dept);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/当前状态为“申请办结”，办结后才能按督办结果办结$/);
    await matterAct(office, matterId, 'approve_close');
    const seen = await problem(p.id);
    expect(seen.matter).toMatchObject({ status: 'closed', outcome_state: 'closed', outcome: '用地指标已于年内调剂到位', returned_reason: null });
    expect(seen.actions).toContain('adopt_matter');
    // A stale version changes nothing.
    const stale = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${p.id}/actions/adopt_matter`, headers: dept, payload: { version: seen.version - 1 } });
    expect(stale.statusCode).toBe(409);
    expect((await problem(p.id)).status).toBe('signed');
    const dayBefore = chinaToday(clock.now());
    const res = await adopt(p.id, dept);
    const dayAfter = chinaToday(clock.now());
    expect(res.statusCode).toBe(200);
    const done = res.json();
    // The answer's date is the day it was given (either side of a midnight the call may straddle).
    expect([dayBefore, dayAfter]).toContain(done.replied_on);
    const number = seen.matter.number as string;
    expect(done).toMatchObject({ status: 'replied', reply: `按督办事项${number}办结结果：用地指标已于年内调剂到位` });
    expect(done.rounds).toEqual([expect.objectContaining({ round: 1, reply: done.reply, replied_on: done.replied_on })]);
    expect(done.moves.at(-1)).toMatchObject({ from: 'signed', to: 'replied', action: 'adopt_matter', reason: done.reply });
    expect(done.actions).not.toContain('adopt_matter');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'problem.adopt_matter').execute();
    expect(audit.map((a) => String(a.entity_id))).toContain(String(p.id));
    expect((await findDeadline(t.db, { entityType: 'problem', entityId: p.id, kind: 'solve' }))!.status).toBe('done');
    // The 回访 is still someone else's (the handler may not visit) and 销号 follows as usual.
    const v = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${p.id}/actions/visit`, headers: leader, payload: { version: done.version, result: 'satisfied' } });
    expect(v.statusCode).toBe(200);
    expect(v.json().status).toBe('visited');
    // Once answered, the one step is gone.
    expect((await adopt(p.id, dept)).statusCode).toBe(409);
  });

  it('escalates an overdue problem without a reason, and refuses a closed or refused one', async () => {
    const now = clock.now().toISOString();
    const { id } = await t.db.insertInto('problems').values({ title: '逾期未办结问题', description: '逾期', source: 'project', project_id: projectId, category_code: 'land', level: 'county',
      region_code: '320506', owner_unit_id: units.land!, status: 'in_progress', received_on: '2025-03-02', assigned_on: '2025-03-02', route_due: '2025-03-03', solve_due: '2025-03-11', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const res = await escalate(id, office, { version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json().due_state).toBe('overdue');
    expect(res.json().matter.status).toBe('pending_sign');
    const { id: refused } = await t.db.insertInto('problems').values({ title: '已不予受理问题', description: '—', source: 'meeting', category_code: 'land', level: 'county',
      region_code: '320506', status: 'rejected', received_on: today, route_due: today, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const r2 = await escalate(refused, office, { version: 1, reason: '复杂' });
    expect(r2.statusCode).toBe(409);
    expect(r2.json().error.message).toBe('已销号或不予受理的问题不能转督办');
  });

  it('puts each next step in the inbox as a to-do with its deadline, and reminds the department before, on and after the handling deadline', async () => {
    const todos = async (headers: LoginHeaders) => (await t.app.inject({ url: '/api/v1/todos?kind=problem.route,problem.sign,problem.reply,problem.visit,problem.close,problem.remind', headers })).json().items as { key: string; kind: string; title: string; dueOn: string | null; link: string }[];
    const mine = (list: Awaited<ReturnType<typeof todos>>, id: number) => list.filter((x) => x.key.startsWith(`problem:${id}:`));
    const p = await raise('施工临时用电报装');
    const routed = mine(await todos(office), p.id);
    expect(routed).toEqual([expect.objectContaining({ kind: 'problem.route', title: '受理交办问题：施工临时用电报装', link: `/problems?open=${p.id}` })]);
    expect(routed[0]!.dueOn).toBeTruthy();
    expect(mine(await todos(dept), p.id)).toEqual([]);
    const act = async (headers: LoginHeaders, action: string, body: object = {}) => {
      const cur = (await t.app.inject({ url: `/api/v1/problems/${p.id}`, headers: office })).json();
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${p.id}/actions/${action}`, headers, payload: { version: cur.version, ...body } });
      expect(r.statusCode).toBe(200);
      return r.json();
    };
    const assigned = await act(office, 'assign');
    expect(mine(await todos(office), p.id)).toEqual([]);
    expect(mine(await todos(dept), p.id)).toEqual([expect.objectContaining({ kind: 'problem.sign', dueOn: assigned.feedback_due })]);
    await act(dept, 'sign');
    expect(mine(await todos(dept), p.id)).toEqual([expect.objectContaining({ kind: 'problem.reply', dueOn: assigned.solve_due })]);
    // The handling deadline is a platform deadline; its steps remind the department (the job runs on a given day).
    const deadline = await findDeadline(t.db, { entityType: 'problem', entityId: p.id, kind: 'solve' });
    expect(deadline).toMatchObject({ status: 'open', dueOn: assigned.solve_due, unitId: units.land });
    const cal = await loadWorkCalendar(t.db);
    const dayBefore = addWorkingDays(assigned.solve_due, -1, cal);
    await runDeadlineSteps(t.db, new Date(`${dayBefore}T02:00:00Z`));
    const reminded = mine(await todos(dept), p.id).filter((x) => x.kind === 'problem.remind');
    expect(reminded.map((x) => x.title)).toEqual([`问题办理时限提醒（明日到期，时限 ${assigned.solve_due}）：施工临时用电报装`]);
    await runDeadlineSteps(t.db, new Date(`${assigned.solve_due}T02:00:00Z`));
    expect(mine(await todos(dept), p.id).filter((x) => x.kind === 'problem.remind')).toHaveLength(2);
    // Answering finishes the department's to-dos and the deadline; the office now has the 回访.
    await act(dept, 'reply', { reply: '已完成报装' });
    expect(mine(await todos(dept), p.id)).toEqual([]);
    expect(mine(await todos(office), p.id).map((x) => x.kind)).toEqual(['problem.visit']);
    expect((await findDeadline(t.db, { entityType: 'problem', entityId: p.id, kind: 'solve' }))!.status).toBe('done');
    await runDeadlineSteps(t.db, new Date(`${addWorkingDays(assigned.solve_due, 1, cal)}T02:00:00Z`));
    expect(mine(await todos(dept), p.id)).toEqual([]);
    // 不满意 reopens: the department is held to a fresh deadline again.
    const reopened = await act(leader, 'visit', { result: 'unsatisfied', reason: '尚未通电' });
    expect(mine(await todos(dept), p.id)).toEqual([expect.objectContaining({ kind: 'problem.reply', dueOn: reopened.solve_due })]);
    expect((await findDeadline(t.db, { entityType: 'problem', entityId: p.id, kind: 'solve' }))!).toMatchObject({ status: 'open', dueOn: reopened.solve_due });
    await act(dept, 'reply', { reply: '已通电' });
    await act(leader, 'visit', { result: 'satisfied' });
    expect(mine(await todos(office), p.id).map((x) => x.kind)).toEqual(['problem.close']);
    await act(office, 'close');
    expect(mine(await todos(office), p.id)).toEqual([]);
  });
});
