import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addWorkingDays } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildProject, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';
import { findDeadline, loadWorkCalendar, runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';
import { listMoves } from '../../platform/status-log.ts';
import { overdueMatters } from './index.ts';

describe.each(DIALECTS)('supervised matters on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let sup: LoginHeaders;
  let lead: LoginHeaders;
  let co: LoginHeaders;
  let stranger: LoginHeaders;
  let leader: LoginHeaders;
  let leadUnit: number;
  let coUnit: number;
  let project: number;
  const today = chinaToday(clock.now());
  const later = (n: number) => addDays(today, n);
  beforeAll(async () => {
    t = await createTestApp(dialect);
    leadUnit = (await buildUnit(t.db, { name: '住建局' })).id;
    coUnit = (await buildUnit(t.db, { name: '自然资源局' })).id;
    const other = (await buildUnit(t.db, { name: '教育局' })).id;
    await buildUser(t.db, { username: 'm_sup', role: 'supervisor' });
    await buildUser(t.db, { username: 'm_lead', role: 'reporter', unitId: leadUnit });
    await buildUser(t.db, { username: 'm_co', role: 'reporter', unitId: coUnit });
    await buildUser(t.db, { username: 'm_other', role: 'reporter', unitId: other });
    await buildUser(t.db, { username: 'm_leader', role: 'leader' });
    project = await buildProject(t.db, { unit_id: leadUnit, name: '城东道路改造' });
    sup = await t.login('m_sup');
    lead = await t.login('m_lead');
    co = await t.login('m_co');
    stranger = await t.login('m_other');
    leader = await t.login('m_leader');
  });
  afterAll(async () => t?.close());

  const create = (headers: LoginHeaders, body: Record<string, unknown> = {}) => t.app.inject({
    method: 'POST', url: '/api/v1/matters', headers,
    payload: { title: '城东道路征迁协调', content: '协调完成剩余12户征迁', source: 'project', source_id: project, lead_unit_id: leadUnit, co_unit_ids: [coUnit], project_ids: [project], due_on: later(30), feedback_days: 5, ...body },
  });
  const act = (headers: LoginHeaders, id: number, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/matters/${id}/actions`, headers, payload: body });
  const detail = async (id: number, headers = sup) => (await t.app.inject({ method: 'GET', url: `/api/v1/matters/${id}`, headers })).json();

  it('creates a numbered matter with its deadline, the lead unit 签收 to-do and notifications; scope decides who sees it', async () => {
    const res = await create(sup);
    expect(res.statusCode).toBe(200);
    const { id, number } = res.json();
    expect(number).toBe(`督办〔${today.slice(0, 4)}〕1号`);
    const d = await detail(id, lead);
    expect(d.matter).toMatchObject({ status: 'pending_sign', leadUnitName: '住建局', coUnits: [{ id: coUnit, name: '自然资源局' }], dueOn: later(30) });
    expect(d.projects.map((p: { name: string }) => p.name)).toEqual(['城东道路改造']);
    expect(d.actions.map((a: { action: string }) => a.action)).toEqual(['sign', 'send_back']);
    expect((await detail(id, co)).actions).toEqual([]); // a co-unit sees it but cannot sign
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/matters/${id}`, headers: stranger })).statusCode).toBe(404);
    const todos = (await t.app.inject({ method: 'GET', url: '/api/v1/todos', headers: lead })).json().items;
    expect(todos.map((x: { kind: string; link: string }) => [x.kind, x.link])).toEqual([['matter.sign', `/matters/${id}`]]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/todos/count', headers: co })).json().unread).toBe(1);
    expect(await findDeadline(t.db, { entityType: 'matter', entityId: id, kind: 'complete' })).toMatchObject({ dueOn: later(30), unitId: leadUnit });
    // Lists: the lead unit's 待签收 box, the stranger's empty list, filters.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/matters?box=to_sign', headers: lead })).json().items.map((m: { id: number }) => m.id)).toEqual([id]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/matters', headers: stranger })).json().total).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/matters?q=征迁&source=project', headers: sup })).json().total).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/matters?box=co', headers: co })).json().total).toBe(1);
  });

  it('refuses bad input and wrong actors in Chinese', async () => {
    expect((await create(lead)).statusCode).toBe(403); // a reporter cannot assign
    const bad = await create(sup, { due_on: '2000-01-01' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('早于今天');
    const { id } = (await create(sup, { title: '学校项目用地' })).json();
    const d = await detail(id);
    expect((await act(co, id, { action: 'sign', version: d.matter.version })).statusCode).toBe(403);
    expect((await act(lead, id, { action: 'apply_close', version: d.matter.version, reason: '已完成' })).json().error.message).toContain('不能申请办结');
    expect((await act(lead, id, { action: 'send_back', version: d.matter.version })).statusCode).toBe(422); // needs a reason
    expect((await act(lead, id, { action: 'sign', version: d.matter.version + 5 })).statusCode).toBe(409);
    const back = await act(lead, id, { action: 'send_back', version: d.matter.version, reason: '用地报批属自然资源局职责' });
    expect(back.json().matter.status).toBe('returned');
    const re = await act(sup, id, { action: 'reassign', version: back.json().matter.version, lead_unit_id: coUnit });
    expect(re.json().matter).toMatchObject({ status: 'pending_sign', leadUnitName: '自然资源局' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/todos', headers: co })).json().items.some((x: { kind: string; entityId: number }) => x.kind === 'matter.sign' && x.entityId === id)).toBe(true);
  });

  it('runs the whole life: sign, feedback, extension, suspension, close rejected then approved, 销号; every move logged', async () => {
    const { id } = (await create(sup, { title: '供电线路迁改', due_on: later(20) })).json();
    let d = await detail(id, lead);
    d = (await act(lead, id, { action: 'sign', version: d.matter.version })).json();
    expect(d.matter.status).toBe('in_progress');
    expect(d.matter.nextFeedbackOn).not.toBeNull();
    const fb = await t.app.inject({ method: 'POST', url: `/api/v1/matters/${id}/feedback`, headers: lead, payload: { text: '已与供电公司对接，方案报审中', next_steps: '下周完成方案评审' } });
    expect(fb.statusCode).toBe(200);
    expect(fb.json()).toMatchObject({ onTime: true, nextSteps: '下周完成方案评审' });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/matters/${id}/feedback`, headers: co, payload: { text: '配合提供管线资料' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/matters/${id}/feedback`, headers: stranger, payload: { text: 'x' } })).statusCode).toBe(404);

    d = await detail(id, lead);
    expect((await act(lead, id, { action: 'request_extension', version: d.matter.version, reason: '需等待供电公司停电窗口' })).statusCode).toBe(422); // no date
    d = (await act(lead, id, { action: 'request_extension', version: d.matter.version, reason: '需等待供电公司停电窗口', due_on: later(40) })).json();
    expect(d.matter).toMatchObject({ status: 'extension_requested', dueOn: later(20), requestedDueOn: later(40) });
    d = (await act(sup, id, { action: 'approve_extension', version: d.matter.version })).json();
    expect(d.matter).toMatchObject({ status: 'in_progress', dueOn: later(40), requestedDueOn: null });
    expect((await findDeadline(t.db, { entityType: 'matter', entityId: id, kind: 'complete' }))!.dueOn).toBe(later(40));

    d = (await act(lead, id, { action: 'request_suspend', version: d.matter.version, reason: '等待上级批复' })).json();
    d = (await act(sup, id, { action: 'approve_suspend', version: d.matter.version })).json();
    expect(d.matter.status).toBe('suspended');
    expect((await findDeadline(t.db, { entityType: 'matter', entityId: id, kind: 'complete' }))!.pausedOn).toBe(today);
    d = (await act(sup, id, { action: 'resume', version: d.matter.version })).json();
    expect(d.matter.status).toBe('in_progress');

    d = (await act(lead, id, { action: 'apply_close', version: d.matter.version, reason: '线路已迁改完成' })).json();
    d = (await act(sup, id, { action: 'reject_close', version: d.matter.version, reason: '缺少验收材料' })).json();
    expect(d.matter.status).toBe('in_progress');
    expect(d.matter.closeRejections).toBe(1);
    d = (await act(lead, id, { action: 'apply_close', version: d.matter.version, reason: '补充验收材料' })).json();
    d = (await act(sup, id, { action: 'approve_close', version: d.matter.version })).json();
    expect(d.matter).toMatchObject({ status: 'closed', closedOn: today });
    expect((await findDeadline(t.db, { entityType: 'matter', entityId: id, kind: 'complete' }))!.status).toBe('done');
    d = (await act(sup, id, { action: 'write_off', version: d.matter.version })).json();
    expect(d.matter.status).toBe('written_off');

    const moves = await listMoves(t.db, 'matter', id);
    expect(moves.map((m) => m.action)).toEqual(['assign', 'sign', 'request_extension', 'approve_extension', 'request_suspend', 'approve_suspend', 'resume', 'apply_close', 'reject_close', 'apply_close', 'approve_close', 'write_off']);
    expect(moves.find((m) => m.action === 'reject_close')).toMatchObject({ reason: '缺少验收材料', from: 'closing', to: 'in_progress' });
    expect(d.timeline.filter((x: { kind: string }) => x.kind === 'feedback')).toHaveLength(2);
    // No open to-do is left for a closed matter.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/todos', headers: lead })).json().items.filter((x: { entityId: number }) => x.entityId === id)).toEqual([]);
  });

  it('leaders: 批示 notifies the lead unit; 需要关注; own matters', async () => {
    const { id } = (await create(leader, { title: '产业园配套学校' })).json();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/matters/${id}/instructions`, headers: leader, payload: { text: '请加快推进，月底前见成效' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/matters/${id}/instructions`, headers: sup, payload: { text: 'x' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/matters/${id}/attention`, headers: leader, payload: { attention: true } })).statusCode).toBe(200);
    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/matters?box=mine', headers: leader })).json();
    expect(mine.items.map((m: { id: number }) => m.id)).toEqual([id]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/matters?box=attention', headers: sup })).json().items.map((m: { id: number }) => m.id)).toEqual([id]);
    const todos = (await t.app.inject({ method: 'GET', url: '/api/v1/todos?kind=matter.instruction', headers: lead })).json().items;
    expect(todos[0].title).toContain('请加快推进');
    const d = await detail(id);
    expect(d.instructions[0]).toMatchObject({ text: '请加快推进，月底前见成效' });
    expect(d.timeline.some((x: { title: string }) => x.title.startsWith('领导批示'))).toBe(true);
  });

  it('escalates an overdue matter through the deadline job: a to-do for the unit, a notification, a timeline entry', async () => {
    const { id } = (await create(sup, { title: '污水管网接入', due_on: later(3) })).json();
    // The day the 'overdue' step falls on: the first working day after the due date, by the office calendar.
    const overdueDay = addWorkingDays(later(3), 1, await loadWorkCalendar(t.db));
    const acted = await runDeadlineSteps(t.db, new Date(`${overdueDay}T02:00:00Z`));
    expect(acted.find((c) => c.deadline.entityId === id)?.step.key).toBe('overdue');
    const todos = (await t.app.inject({ method: 'GET', url: '/api/v1/todos?kind=matter.escalation', headers: lead })).json().items;
    expect(todos.map((x: { entityId: number }) => x.entityId)).toContain(id);
    const d = await detail(id);
    expect(d.timeline.some((x: { title: string }) => x.title.includes('逾期督办'))).toBe(true);
  });

  it('figures per unit for the month, and the overdue list', async () => {
    const month = today.slice(0, 7);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/supervision/figures?month=${month}`, headers: sup });
    expect(res.statusCode).toBe(200);
    const byName = new Map(res.json().units.map((u: { unitName: string }) => [u.unitName, u]));
    // 住建局 leads 4 of the matters above (the 学校 one was reassigned to 自然资源局); the 供电 one was written off
    // after one rejected close application, so it does not count as one-pass.
    expect(byName.get('住建局')).toMatchObject({ received: 4, onePassWriteOff: { num: 0, den: 1 }, feedbackOnTime: { num: 1, den: 1 }, rates: { onePassWriteOff: 0 } });
    expect(byName.get('自然资源局')).toMatchObject({ received: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/supervision/figures?month=2026-13', headers: sup })).statusCode).toBe(400);
    const overdueDay = addWorkingDays(later(3), 1, await loadWorkCalendar(t.db));
    const overdue = await overdueMatters(t.db, new Date(`${overdueDay}T02:00:00Z`));
    expect(overdue.map((o) => [o.title, o.workingDaysOverdue])).toEqual([['污水管网接入', 1]]);
  });

  it('exports the filtered list as xlsx', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/matters.xlsx?box=all', headers: sup });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const text = JSON.stringify(wb.worksheets[0]!.getSheetValues());
    expect(text).toContain('供电线路迁改');
    expect(text).toContain('督办事项清单');
  });
});
