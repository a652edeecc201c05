import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, calendarOf, CHINA_2026 } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { clock } from '../../clock.ts';
import { runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';
import { DIALECTS } from '../../../test/db.ts';
import type { LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';

interface PlanNode {
  id: number; name: string; status: string; unit_id: number | null; predecessor_ids: number[]; latest_start: string | null; latest_finish: string | null;
  planned_start: string | null; planned_finish: string | null; is_overdue: boolean; overdue_days: number; completed_on: string | null; matter: { id: number; number: string } | null;
  attachments: { id: number; file_name: string }[]; actions: string[];
}
interface Plan { plan: { id: number; version: number; target_on: string | null } | null; nodes: PlanNode[] }

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

  it('a unit sees and edits only plans of projects in its scope; leaders read; only the office confirms', async () => {
    const plan = (await inject(w.reporterA, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).json<Plan>();
    const node = byName(plan, '开工');
    expect((await inject(w.reporterB, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).statusCode).toBe(404);
    expect((await inject(w.reporterB, 'PUT', `/api/v1/plan-nodes/${node.id}`, { name: 'x', duration_days: 1 })).statusCode).toBe(404);
    expect((await inject(w.reporterB, 'GET', `/api/v1/plan-nodes/${node.id}/timeline`)).statusCode).toBe(404);
    expect((await inject(w.reporterB, 'POST', `/api/v1/projects/${w.pa1}/node-plan/nodes`, { name: 'x', duration_days: 1 })).statusCode).toBe(404);
    expect((await inject(w.leader, 'POST', `/api/v1/projects/${w.pa1}/node-plan/nodes`, { name: 'x', duration_days: 1 })).statusCode).toBe(403);
    expect((await inject(w.leader, 'GET', `/api/v1/projects/${w.pa1}/node-plan`)).statusCode).toBe(200);
    expect((await inject(w.reporterA, 'POST', `/api/v1/projects/${w.pa1}/node-plan`, { template: 'default' })).statusCode).toBe(409);
    const xlsx = await inject(w.leader, 'GET', `/api/v1/projects/${w.pa1}/node-plan.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await inject(w.reporterB, 'GET', `/api/v1/projects/${w.pa1}/node-plan.xlsx`)).statusCode).toBe(404);
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
