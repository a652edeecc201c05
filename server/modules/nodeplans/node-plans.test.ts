import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, calendarOf, CHINA_2026 } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { clock } from '../../clock.ts';
import { runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';
import { DIALECTS } from '../../../test/db.ts';
import type { LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildProject, buildUnit, buildUser } from '../../../test/factories.ts';

interface PlanNode {
  id: number; name: string; status: string; unit_id: number | null; predecessor_ids: number[]; latest_start: string | null; latest_finish: string | null;
  planned_start: string | null; planned_finish: string | null; is_overdue: boolean; overdue_days: number; completed_on: string | null; matter: { id: number; number: string } | null;
  attachments: { id: number; file_name: string }[]; actions: string[];
}
interface Plan {
  access: 'full' | 'nodes'; can_edit: boolean; project: { id: number; name: string; unit_name: string | null }; anchor_id: number | null;
  plan: { id: number; version: number; target_on: string | null; anchor_node_id: number | null } | null; nodes: PlanNode[];
}
interface Todo { key: string; kind: string; title: string; link: string; dueOn: string | null; overdue: boolean }

/** A multipart body with one file under the field "file". */
function upload(fileName: string, data: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----docket${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`), data, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DIALECTS)('node plans (倒排工期) on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const inject = (who: LoginHeaders, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: who, ...(payload ? { payload } : {}) });
  const byName = (plan: Plan, name: string) => plan.nodes.find((n) => n.name === name)!;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
  });
  afterAll(async () => t?.close());

  it('counts backwards from the target across 国庆 2026 and a holiday the office entered, parallel branches joining', async () => {
    // The office enters a local day off (Thursday 24 September) on the 工作日历.
    const year = (await inject(w.office, 'GET', '/api/v1/calendar/2026')).json<{ days: { day: string; kind: string; name: string }[] }>();
    const put = await inject(w.office, 'PUT', '/api/v1/calendar/2026', { days: [...year.days, { day: '2026-09-24', kind: 'holiday', name: '地方停工日' }] });
    expect(put.statusCode).toBe(200);
    const made = await inject(w.reporterA, 'POST', `/api/v1/projects/${w.pa1}/node-plan`, { template: 'empty', target_on: '2026-10-12', target_label: '计划开工' });
    expect(made.statusCode).toBe(201);
    const add = async (name: string, duration_days: number, predecessor_ids: number[]) => {
      const res = await inject(w.reporterA, 'POST', `/api/v1/projects/${w.pa1}/node-plan/nodes`, { name, duration_days, predecessor_ids, evidence: `${name}文件` });
      expect(res.statusCode).toBe(201);
      return byName(res.json<Plan>(), name).id;
    };
    const a = await add('报批', 3, []);
    const b = await add('招标', 5, []);
    const c = await add('许可', 2, [a, b]);
    await add('开工', 1, [c]);
    const plan = (await inject(w.leader, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>();
    expect(byName(plan, '开工')).toMatchObject({ latest_start: '2026-10-12', latest_finish: '2026-10-12', unit_id: w.unitA });
    // Saturday 10 October is a 调休 working day; 1–7 October are off.
    expect(byName(plan, '许可')).toMatchObject({ latest_start: '2026-10-09', latest_finish: '2026-10-10' });
    expect(byName(plan, '报批')).toMatchObject({ latest_start: '2026-09-29', latest_finish: '2026-10-08' });
    // The longer parallel branch starts earlier: 28 Sep, then back over 中秋 (25–27 Sep) and the office's 24 Sep.
    expect(byName(plan, '招标')).toMatchObject({ latest_start: '2026-09-23', latest_finish: '2026-10-08' });
    // Started: forward dates too.
    const started = await inject(w.reporterA, 'PUT', `/api/v1/projects/${w.pa1}/node-plan`, { version: plan.plan!.version, start_on: '2026-09-21' });
    expect(started.statusCode).toBe(200);
    expect(byName(started.json<Plan>(), '报批')).toMatchObject({ planned_start: '2026-09-21', planned_finish: '2026-09-23' });
    expect(byName(started.json<Plan>(), '许可').planned_start).toBe('2026-09-30');
    // A stale version is refused.
    expect((await inject(w.reporterA, 'PUT', `/api/v1/projects/${w.pa1}/node-plan`, { version: plan.plan!.version, target_on: '2026-11-02' })).statusCode).toBe(409);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', 'in', ['node_plan.create', 'node_plan.update', 'plan_node.create']).execute();
    expect(audit.map((x) => x.action).sort()).toEqual(['node_plan.create', 'node_plan.update', 'plan_node.create', 'plan_node.create', 'plan_node.create', 'plan_node.create']);
  });

  it('refuses a cycle with a Chinese message naming its nodes, and changes nothing', async () => {
    const plan = (await inject(w.reporterA, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>();
    const a = byName(plan, '报批');
    const res = await inject(w.reporterA, 'PUT', `/api/v1/plan-nodes/${a.id}`, { name: '报批', duration_days: 3, predecessor_ids: [byName(plan, '开工').id] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toBe('前置关系形成循环：报批 → 许可 → 开工 → 报批，请修改前置节点');
    expect(byName((await inject(w.reporterA, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>(), '报批').predecessor_ids).toEqual([]);
    const bad = await inject(w.reporterA, 'POST', `/api/v1/projects/${w.pa1}/node-plan/nodes`, { name: '验收', duration_days: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('工期至少 1 个工作日');
  });

  it('the responsible unit completes a node with evidence; the office confirms; every move is in the node timeline', async () => {
    const plan = (await inject(w.reporterA, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>();
    const a = byName(plan, '报批');
    const noEvidence = await inject(w.reporterA, 'POST', `/api/v1/plan-nodes/${a.id}/complete`, { text: '已取得批复' });
    expect(noEvidence.statusCode).toBe(422);
    expect(noEvidence.json().error.message).toBe('完成节点须上传佐证材料');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/plan-nodes/${a.id}/evidence`, headers: { ...w.reporterB, ...upload('批复.pdf', Buffer.from('%PDF-1.4 x')).headers }, payload: upload('批复.pdf', Buffer.from('%PDF-1.4 x')).payload })).statusCode).toBe(404);
    const file = upload('批复.pdf', Buffer.from('%PDF-1.4 approval'));
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/plan-nodes/${a.id}/evidence`, headers: { ...w.reporterA, ...file.headers }, payload: file.payload });
    expect(up.statusCode).toBe(201);
    const done = await inject(w.reporterA, 'POST', `/api/v1/plan-nodes/${a.id}/complete`, { text: '已取得可研批复（发改投资〔2026〕12号）', completed_on: '2026-09-23' });
    expect(done.statusCode).toBe(200);
    expect(byName(done.json<Plan>(), '报批')).toMatchObject({ status: 'completed', completed_on: '2026-09-23', attachments: [{ file_name: '批复.pdf' }] });
    // The completion date moves the forward plan: 许可 waits for 招标 only now.
    expect((await inject(w.reporterA, 'POST', `/api/v1/plan-nodes/${a.id}/complete`, { text: '再报一次' })).statusCode).toBe(409);
    expect((await inject(w.reporterA, 'POST', `/api/v1/plan-nodes/${a.id}/confirm`, {})).statusCode).toBe(403);
    const confirmed = await inject(w.office, 'POST', `/api/v1/plan-nodes/${a.id}/confirm`, {});
    expect(confirmed.statusCode).toBe(200);
    expect(byName(confirmed.json<Plan>(), '报批').status).toBe('confirmed');
    const timeline = (await inject(w.leader, 'GET', `/api/v1/plan-nodes/${a.id}/timeline`)).json<{ items: { kind: string; title: string; detail: string | null }[] }>();
    expect(timeline.items.map((i) => i.title)).toEqual(['列入计划：未完成', '完成：未完成 → 已完成（待确认）', '反馈（2026-09-23）', '确认：已完成（待确认） → 已确认']);
    expect(timeline.items[2]!.detail).toContain('发改投资〔2026〕12号');
    // The evidence file is served within the project's scope only.
    const att = byName(confirmed.json<Plan>(), '报批').attachments[0]!;
    expect((await inject(w.leader, 'GET', `/api/v1/attachments/${att.id}`)).statusCode).toBe(200);
    expect((await inject(w.reporterB, 'GET', `/api/v1/attachments/${att.id}`)).statusCode).toBe(404);
    // A node led by another unit is not this unit's to complete.
    const b = byName(plan, '招标');
    expect((await inject(w.office, 'PUT', `/api/v1/plan-nodes/${b.id}`, { name: '招标', duration_days: 5, unit_id: w.unitB, predecessor_ids: [] })).statusCode).toBe(200);
    const other = await inject(w.reporterA, 'POST', `/api/v1/plan-nodes/${b.id}/complete`, { text: '完成' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toBe('只有节点的责任单位可以报完成');
  });

  it('a unit outside the project leading one of its nodes opens the plan from its to-do, reads it and completes only its own node', async () => {
    // 招标 was handed to 临湖镇 (unit B) above: B's accounts cannot see 甪直's project, yet must act on the node.
    const plan = (await inject(w.reporterA, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>();
    expect(plan).toMatchObject({ access: 'full', can_edit: true });
    const node = byName(plan, '开工');
    const bid = byName(plan, '招标');
    const todos = (await inject(w.reporterB, 'GET', '/api/v1/todos')).json<{ items: Todo[] }>().items;
    const todo = todos.find((x) => x.key === `plan_node:${bid.id}:complete`)!;
    expect(todo.link).toBe(`/projects/${w.pa1}?tab=nodes`);
    // The to-do's deep link opens: the plan, read-only, with the project's basic facts.
    const seen = await inject(w.reporterB, 'GET', `/api/v1/projects/${w.pa1}/node-plan`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json<Plan>()).toMatchObject({ access: 'nodes', can_edit: false, project: { id: w.pa1, name: '甪直智能装备产业园', unit_name: '甪直镇' } });
    expect(byName(seen.json<Plan>(), '招标').actions).toEqual(['complete']);
    expect(byName(seen.json<Plan>(), '开工').actions).toEqual([]);
    expect((await inject(w.reporterB, 'GET', `/api/v1/plan-nodes/${node.id}/timeline`)).statusCode).toBe(200);
    expect((await inject(w.reporterB, 'GET', `/api/v1/projects/${w.pa1}/node-plan.xlsx`)).statusCode).toBe(200);
    // Not the project, not the plan's dates or other nodes, not its own node's definition.
    expect((await inject(w.reporterB, 'GET', `/api/v1/projects/${w.pa1}`)).statusCode).toBe(404);
    expect((await inject(w.reporterB, 'PUT', `/api/v1/projects/${w.pa1}/node-plan`, { version: plan.plan!.version, target_on: '2026-12-01' })).statusCode).toBe(404);
    expect((await inject(w.reporterB, 'POST', `/api/v1/projects/${w.pa1}/node-plan/nodes`, { name: 'x', duration_days: 1 })).statusCode).toBe(404);
    const edit = await inject(w.reporterB, 'PUT', `/api/v1/plan-nodes/${node.id}`, { name: 'x', duration_days: 1 });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().error.message).toContain('只能查看本计划');
    expect((await inject(w.reporterB, 'PUT', `/api/v1/plan-nodes/${bid.id}`, { name: '招标', duration_days: 1, unit_id: w.unitB })).statusCode).toBe(403);
    expect((await inject(w.reporterB, 'DELETE', `/api/v1/plan-nodes/${bid.id}`)).statusCode).toBe(403);
    expect((await inject(w.reporterB, 'POST', `/api/v1/plan-nodes/${node.id}/complete`, { text: '完成' })).statusCode).toBe(403);
    // Its own node: evidence and completion.
    const file = upload('中标通知书.pdf', Buffer.from('%PDF-1.4 bid'));
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/plan-nodes/${bid.id}/evidence`, headers: { ...w.reporterB, ...file.headers }, payload: file.payload })).statusCode).toBe(201);
    const done = await inject(w.reporterB, 'POST', `/api/v1/plan-nodes/${bid.id}/complete`, { text: '已发出中标通知书' });
    expect(done.statusCode).toBe(200);
    expect(byName(done.json<Plan>(), '招标')).toMatchObject({ status: 'completed', actions: [] });
    expect((await inject(w.reporterB, 'POST', `/api/v1/plan-nodes/${bid.id}/return`, { reason: 'x' })).statusCode).toBe(403);
    // Still nothing of another project of unit A: 404.
    const other = await buildProject(t.db, { name: '甪直无关项目', unit_id: w.unitA, stage: 'preliminary' });
    expect((await inject(w.office, 'POST', `/api/v1/projects/${other}/node-plan`, { template: 'default' })).statusCode).toBe(201);
    const otherPlan = (await inject(w.office, 'GET', `/api/v1/projects/${other}/node-plan`)).json<Plan>();
    expect((await inject(w.reporterB, 'GET', `/api/v1/projects/${other}/node-plan`)).statusCode).toBe(404);
    expect((await inject(w.reporterB, 'GET', `/api/v1/projects/${other}/node-plan.xlsx`)).statusCode).toBe(404);
    expect((await inject(w.reporterB, 'GET', `/api/v1/plan-nodes/${otherPlan.nodes[0]!.id}/timeline`)).statusCode).toBe(404);
  });

  it('leaders read; only the office confirms; the confirm to-do goes to the office accounts whose scope covers the project', async () => {
    const plan = (await inject(w.reporterA, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>();
    expect((await inject(w.leader, 'POST', `/api/v1/projects/${w.pa1}/node-plan/nodes`, { name: 'x', duration_days: 1 })).statusCode).toBe(403);
    expect((await inject(w.leader, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>()).toMatchObject({ access: 'full', can_edit: false });
    expect((await inject(w.reporterA, 'POST', `/api/v1/projects/${w.pa1}/node-plan`, { template: 'default' })).statusCode).toBe(409);
    const xlsx = await inject(w.leader, 'GET', `/api/v1/projects/${w.pa1}/node-plan.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // 招标, completed by 临湖镇 in the test before: office1 (every project) is asked; an office account limited to
    // 临湖镇's subtree is not (甪直's project is outside its scope), nor is a reporter.
    const lake = await buildUser(t.db, { username: 'officeLake', role: 'office', unitId: w.unitB });
    await t.db.insertInto('user_scopes').values({ user_id: lake, unit_id: w.unitB, region_code: null }).execute();
    const bid = byName(plan, '招标');
    const key = (userId: number) => `plan_node:${bid.id}:confirm:${userId}`;
    const officeId = (await t.db.selectFrom('users').select('id').where('username', '=', 'office1').executeTakeFirstOrThrow()).id;
    const rows = await t.db.selectFrom('todos').select(['key', 'user_id', 'role', 'unit_id']).where('kind', '=', 'plan_node.confirm').where('entity_id', '=', bid.id).execute();
    expect(rows).toEqual([{ key: key(officeId), user_id: officeId, role: null, unit_id: null }]);
    const officeTodos = (await inject(w.office, 'GET', '/api/v1/todos')).json<{ items: Todo[] }>().items;
    expect(officeTodos.find((x) => x.key === key(officeId))).toMatchObject({ title: '确认节点完成：甪直智能装备产业园·招标', link: `/projects/${w.pa1}?tab=nodes` });
    // A completion after the lake office joined still leaves it out; a second office covering 甪直 is asked too.
    const wz = await buildUser(t.db, { username: 'officeWz', role: 'office', unitId: w.unitA });
    await t.db.insertInto('user_scopes').values({ user_id: wz, unit_id: w.unitA, region_code: null }).execute();
    expect((await inject(w.office, 'POST', `/api/v1/plan-nodes/${bid.id}/return`, { reason: '缺施工合同' })).statusCode).toBe(200);
    const file = upload('施工合同.pdf', Buffer.from('%PDF-1.4 contract'));
    await t.app.inject({ method: 'POST', url: `/api/v1/plan-nodes/${bid.id}/evidence`, headers: { ...w.reporterB, ...file.headers }, payload: file.payload });
    expect((await inject(w.reporterB, 'POST', `/api/v1/plan-nodes/${bid.id}/complete`, { text: '补充施工合同' })).statusCode).toBe(200);
    const open = await t.db.selectFrom('todos').select('user_id').where('kind', '=', 'plan_node.confirm').where('entity_id', '=', bid.id).where('done_at', 'is', null).orderBy('user_id').execute();
    expect(open.map((r) => r.user_id)).toEqual([officeId, wz]);
    // Confirming finishes every confirmer's to-do.
    expect((await inject(w.office, 'POST', `/api/v1/plan-nodes/${bid.id}/confirm`, {})).statusCode).toBe(200);
    expect(await t.db.selectFrom('todos').select('id').where('kind', '=', 'plan_node.confirm').where('entity_id', '=', bid.id).where('done_at', 'is', null).execute()).toEqual([]);
    await t.db.updateTable('users').set({ is_active: 0 }).where('id', 'in', [lake, wz]).execute();
  });

  it('计划开工 anchors the 开工 node: nodes before it count backwards, 主体完工 and after forwards; the clerk may pick another anchor', async () => {
    const project = await buildProject(t.db, { name: '甪直锚点测试项目', unit_id: w.unitA, stage: 'preliminary' });
    const made = await inject(w.office, 'POST', `/api/v1/projects/${project}/node-plan`, { template: 'default', target_on: '2026-10-12', target_label: '计划开工' });
    expect(made.statusCode).toBe(201);
    const plan = made.json<Plan>();
    expect(plan.anchor_id).toBe(byName(plan, '开工').id);
    expect(byName(plan, '开工')).toMatchObject({ latest_start: '2026-10-12', latest_finish: '2026-10-12' });
    // 10 working days back from Saturday 10 October (调休) over 国庆, 中秋 and the office's 24 September (first test):
    // from Sunday 20 September, a 调休 working day.
    expect(byName(plan, '施工许可')).toMatchObject({ latest_start: '2026-09-20', latest_finish: '2026-10-10' });
    expect(byName(plan, '主体完工').latest_start).toBe('2026-10-13');
    const cal = calendarOf(CHINA_2026);
    // 计划投产 on the same day: 投产 finishes on it.
    const prod = await inject(w.office, 'PUT', `/api/v1/projects/${project}/node-plan`, { version: plan.plan!.version, target_label: '计划投产' });
    expect(byName(prod.json<Plan>(), '投产').latest_finish).toBe('2026-10-12');
    expect(byName(prod.json<Plan>(), '开工').latest_finish! < '2026-10-12').toBe(true);
    // The clerk picks 施工许可 as the anchor: it finishes on the target, 开工 the working day after.
    const picked = await inject(w.office, 'PUT', `/api/v1/projects/${project}/node-plan`, { version: prod.json<Plan>().plan!.version, anchor_node_id: byName(plan, '施工许可').id });
    expect(picked.statusCode).toBe(200);
    expect(picked.json<Plan>()).toMatchObject({ anchor_id: byName(plan, '施工许可').id, plan: { anchor_node_id: byName(plan, '施工许可').id } });
    expect(byName(picked.json<Plan>(), '施工许可').latest_finish).toBe('2026-10-12');
    expect(byName(picked.json<Plan>(), '开工').latest_finish).toBe(addWorkingDays('2026-10-12', 1, cal));
    const foreign = await inject(w.office, 'PUT', `/api/v1/projects/${project}/node-plan`, { version: picked.json<Plan>().plan!.version, anchor_node_id: byName((await inject(w.office, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>(), '开工').id });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.message).toBe('目标节点须是本计划的节点');
    // Deleting the picked node: the label's node anchors again.
    const del = await inject(w.office, 'DELETE', `/api/v1/plan-nodes/${byName(plan, '施工许可').id}`);
    expect(del.statusCode).toBe(200);
    expect(del.json<Plan>()).toMatchObject({ anchor_id: byName(plan, '投产').id, plan: { anchor_node_id: null } });
  });

  it('the office keeps its own default template (versioned, validated in Chinese); a plan from template uses it', async () => {
    const tpl = await inject(w.reporterA, 'GET', '/api/v1/node-plans/template');
    expect(tpl.statusCode).toBe(200);
    const base = tpl.json<{ version: number; is_default: boolean; nodes: { name: string; duration_days: number; predecessors: number[]; unit_id: number | null; evidence: string }[] }>();
    expect(base).toMatchObject({ is_default: true });
    expect(base.nodes).toHaveLength(14);
    const land = await buildUnit(t.db, { name: '吴中区自然资源局', kind: 'department', regionCode: '320506' });
    const nodes = [
      { name: '立项', duration_days: 10, predecessors: [], evidence: '备案证' },
      { name: '开工', duration_days: 1, predecessors: [2], evidence: '开工报告' },
      { name: '用地预审', duration_days: 8, predecessors: [0], unit_id: land.id, evidence: '预审意见' },
    ];
    expect((await inject(w.reporterA, 'PUT', '/api/v1/node-plans/template', { version: base.version, nodes })).statusCode).toBe(403);
    const bad = await inject(w.office, 'PUT', '/api/v1/node-plans/template', { version: base.version, nodes: [...nodes, { name: '立项', duration_days: 3, predecessors: [] }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toBe('节点名称“立项”重复（第 1 个和第 4 个），节点名称不能重复');
    const cyclic = await inject(w.office, 'PUT', '/api/v1/node-plans/template', { version: base.version, nodes: nodes.map((n, i) => (i === 0 ? { ...n, predecessors: [1] } : n)) });
    expect(cyclic.statusCode).toBe(422);
    expect(cyclic.json().error.message).toBe('前置关系形成循环：立项 → 用地预审 → 开工 → 立项，请修改前置节点');
    const zero = await inject(w.office, 'PUT', '/api/v1/node-plans/template', { version: base.version, nodes: [{ ...nodes[0], duration_days: 0 }] });
    expect(zero.statusCode).toBe(400);
    expect(zero.body).toContain('工期至少 1 个工作日');
    const saved = await inject(w.office, 'PUT', '/api/v1/node-plans/template', { version: base.version, nodes });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: base.version + 1, is_default: false, nodes: [{ name: '立项' }, { name: '开工' }, { name: '用地预审', unit_id: land.id, unit_name: '吴中区自然资源局' }] });
    // A stale save: 409 with the stored template.
    const stale = await inject(w.office, 'PUT', '/api/v1/node-plans/template', { version: base.version, nodes: nodes.slice(0, 1) });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { current: { version: base.version + 1, nodes: [{ name: '立项' }, { name: '开工' }, { name: '用地预审' }] } } });
    // A new plan from template: three nodes, 用地预审 led by the land bureau, 开工 waiting for it though listed before it.
    const project = await buildProject(t.db, { name: '甪直模板测试项目', unit_id: w.unitA, stage: 'preliminary' });
    const made = await inject(w.reporterA, 'POST', `/api/v1/projects/${project}/node-plan`, { template: 'default', target_on: '2026-11-30', target_label: '计划开工' });
    expect(made.statusCode).toBe(201);
    const plan = made.json<Plan>();
    expect(plan.nodes.map((n) => n.name)).toEqual(['立项', '开工', '用地预审']);
    expect(byName(plan, '用地预审').unit_id).toBe(land.id);
    expect(byName(plan, '开工')).toMatchObject({ predecessor_ids: [byName(plan, '用地预审').id], latest_finish: '2026-11-30', unit_id: w.unitA });
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'nodeplan.settings_update').execute();
    expect(audit).toHaveLength(1);
    // Back to the built-in default for the tests after this one.
    await inject(w.office, 'PUT', '/api/v1/node-plans/template', { version: base.version + 1, nodes: base.nodes.map((n) => ({ name: n.name, duration_days: n.duration_days, predecessors: n.predecessors, evidence: n.evidence })) });
  });

  it('overdue nodes warn: a red mark, the unit\'s to-dos (due, reminder, overdue step) and one matter per node in two clicks', async () => {
    const today = chinaToday(clock.now());
    // The default template backwards from a target long past: every node is overdue.
    const made = await inject(w.reporterA, 'POST', `/api/v1/projects/${w.pa2}/node-plan`, { template: 'default', target_on: addDays(today, -30) });
    expect(made.statusCode).toBe(201);
    const plan = made.json<Plan>();
    expect(plan.nodes).toHaveLength(14);
    const start = byName(plan, '开工');
    expect(start.is_overdue).toBe(true);
    expect(start.overdue_days).toBeGreaterThan(0);
    // 环评 runs parallel to 用地预审 and joins at 施工许可.
    expect(byName(plan, '施工许可').predecessor_ids).toEqual([byName(plan, '施工招标').id, byName(plan, '环评批复').id, byName(plan, '节能审查').id]);
    const todos = (await inject(w.reporterA, 'GET', '/api/v1/todos')).json<{ items: { key: string; kind: string; dueOn: string | null; overdue: boolean; link: string }[] }>().items;
    expect(todos.find((x) => x.key === `plan_node:${start.id}:complete`)).toMatchObject({ kind: 'plan_node.complete', dueOn: start.latest_finish, overdue: true, link: `/projects/${w.pa2}?tab=nodes` });
    // The escalation job takes the overdue step: a to-do for the unit says so.
    await runDeadlineSteps(t.db, clock.now());
    const after = (await inject(w.reporterA, 'GET', '/api/v1/todos')).json<{ items: { key: string; title: string }[] }>().items;
    expect(after.find((x) => x.key === `plan_node:${start.id}:overdue`)?.title).toBe(`节点逾期：甪直污水处理厂提标改造·开工（最迟完成 ${start.latest_finish}）`);
    // 交办 from the overdue node: the node's unit leads, the matter links back to the plan.
    expect((await inject(w.reporterA, 'POST', `/api/v1/plan-nodes/${start.id}/matter`, {})).statusCode).toBe(403);
    const res = await inject(w.office, 'POST', `/api/v1/plan-nodes/${start.id}/matter`, {});
    expect(res.statusCode).toBe(201);
    const matter = res.json<{ id: number; number: string }>();
    const detail = (await inject(w.office, 'GET', `/api/v1/matters/${matter.id}`)).json();
    expect(detail.matter).toMatchObject({ source: 'node', sourceId: start.id, sourceLink: `/projects/${w.pa2}?tab=nodes`, leadUnitId: w.unitA, title: '甪直污水处理厂提标改造“开工”节点逾期督办' });
    const again = await inject(w.leader, 'POST', `/api/v1/plan-nodes/${start.id}/matter`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(`节点“开工”已转为督办事项${matter.number}，不能重复交办`);
    const current = (await inject(w.reporterA, 'GET', `/api/v1/projects/${w.pa2}/node-plan`)).json<Plan>();
    expect(byName(current, '开工').matter).toEqual(matter);
    // The target moves a year on: nothing is overdue any more and the unit's overdue to-do is done.
    const moved = await inject(w.office, 'PUT', `/api/v1/projects/${w.pa2}/node-plan`, { version: current.plan!.version, target_on: addDays(today, 400) });
    expect(byName(moved.json<Plan>(), '开工').is_overdue).toBe(false);
    const left = (await inject(w.reporterA, 'GET', '/api/v1/todos')).json<{ items: { key: string; dueOn: string | null }[] }>().items;
    expect(left.some((x) => x.key === `plan_node:${start.id}:overdue`)).toBe(false);
    expect(left.find((x) => x.key === `plan_node:${start.id}:complete`)?.dueOn).toBe(byName(moved.json<Plan>(), '开工').latest_finish);
  });

  it('a node due soon gets its reminder before the due date; a node not overdue is not turned into a matter', async () => {
    const cal = calendarOf(CHINA_2026);
    const today = chinaToday(clock.now());
    const project = { id: await buildProject(t.db, { name: '甪直提醒测试项目', unit_id: w.unitA, stage: 'preliminary' }) };
    const made = await inject(w.office, 'POST', `/api/v1/projects/${project.id}/node-plan`, { template: 'empty', target_on: addWorkingDays(today, 1, cal) });
    expect(made.statusCode).toBe(201);
    const added = await inject(w.office, 'POST', `/api/v1/projects/${project.id}/node-plan/nodes`, { name: '竣工验收', duration_days: 3 });
    const node = byName(added.json<Plan>(), '竣工验收');
    expect(node.is_overdue).toBe(false);
    await runDeadlineSteps(t.db, clock.now());
    const todos = (await inject(w.reporterA, 'GET', '/api/v1/todos')).json<{ items: { key: string; title: string }[] }>().items;
    expect(todos.find((x) => x.key === `plan_node:${node.id}:remind`)?.title).toContain('节点即将到期：甪直提醒测试项目·竣工验收');
    const refused = await inject(w.office, 'POST', `/api/v1/plan-nodes/${node.id}/matter`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toBe('节点“竣工验收”未逾期，不能转督办');
  });
});
