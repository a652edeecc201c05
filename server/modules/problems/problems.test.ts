import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, calendarOf, CHINA_2025, CHINA_2026 } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { usccCheckChar } from '../../../core/uscc.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { readWorkbook } from '../../../test/workbooks.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';
import { createDeps } from '../../deps.ts';
import { systemActor } from '../../platform/context.ts';
import { problemFigures } from './index.ts';

const uscc = (first17: string) => `${first17}${usccCheckChar(first17)}`;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

function multipart(headers: LoginHeaders, name: string, bytes: Buffer) {
  const boundary = '----docket-test';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DIALECTS)('enterprises and problems on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders, dept: LoginHeaders, town: LoginHeaders, cadre: LoginHeaders, leader: LoginHeaders, other: LoginHeaders;
  let units: Record<string, number>;
  let cadreUserId: number;
  let projectId: number;
  let enterpriseId: number;
  const today = chinaToday(clock.now());
  const cal = calendarOf([...CHINA_2025, ...CHINA_2026]);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区', kind: 'office', regionCode: '320506' });
    const land = await buildUnit(t.db, { name: '区自然资源局', parentId: root.id, regionCode: '320506' });
    const power = await buildUnit(t.db, { name: '区供电公司', parentId: root.id, regionCode: '320506' });
    const townU = await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    const commerce = await buildUnit(t.db, { name: '区商务局', parentId: root.id, regionCode: '320506' });
    const far = await buildUnit(t.db, { name: '玄武区某局', regionCode: '320102' });
    units = { root: root.id, land: land.id, power: power.id, town: townU.id, commerce: commerce.id, far: far.id };
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'dept1', role: 'reporter', unitId: land.id });
    await buildUser(t.db, { username: 'town1', role: 'reporter', unitId: townU.id });
    cadreUserId = await buildUser(t.db, { username: 'cadre1', role: 'reporter', unitId: commerce.id });
    await buildUser(t.db, { username: 'leader1', role: 'leader', unitId: root.id });
    await buildUser(t.db, { username: 'other1', role: 'reporter', unitId: far.id });
    projectId = await buildProject(t.db, { unit_id: townU.id, name: '甪直智能装备产业园' });
    [office, dept, town, cadre, leader, other] = await Promise.all(['office1', 'dept1', 'town1', 'cadre1', 'leader1', 'other1'].map((u) => t.login(u))) as [LoginHeaders, LoginHeaders, LoginHeaders, LoginHeaders, LoginHeaders, LoginHeaders];
  });
  afterAll(async () => t?.close());

  it('registers an enterprise, checking its unified social credit code per GB 32100', async () => {
    const body = { name: '苏州甪直精密机械有限公司', uscc: uscc('91320506MA1ABCDE1'), region_code: '320506', industry: '通用设备制造业', size: 'medium', contact_name: '王经理', contact_phone: '13800000000' };
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: town, payload: { ...body, uscc: '91320506MA1ABCDE1X' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('统一社会信用代码校验位不正确');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: town, payload: { ...body, uscc: ` ${body.uscc.toLowerCase()} ` } });
    expect(res.statusCode).toBe(201);
    enterpriseId = res.json().id;
    expect(res.json()).toMatchObject({ uscc: body.uscc, unit_id: units.town });
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: office, payload: { ...body, name: '重名' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain('已登记为“苏州甪直精密机械有限公司”');
    // Outside the data scope: another district's reporter does not see it.
    expect((await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: other })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/enterprises', headers: other })).json().total).toBe(0);
  });

  it('links a cadre with a monthly visit plan: the cadre then sees the enterprise; an overdue plan is flagged', async () => {
    expect((await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: cadre })).statusCode).toBe(404);
    const linkedOn = '2025-01-15';
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/cadres`, headers: office,
      payload: { user_id: cadreUserId, name: '李干部', post: '区商务局副局长', role: 'chief', visit_every_months: 1, linked_on: linkedOn } });
    expect(res.statusCode).toBe(201);
    expect(res.json().cadres[0].plan).toMatchObject({ next_due: '2025-02-15', overdue: today > '2025-02-15' });
    const mine = await t.app.inject({ url: '/api/v1/enterprises?mine=1', headers: cadre });
    expect(mine.json().items.map((e: { id: number }) => e.id)).toEqual([enterpriseId]);
    const plan = await t.app.inject({ url: '/api/v1/visit-plan?mine=1', headers: cadre });
    expect(plan.json()[0]).toMatchObject({ enterprise_name: '苏州甪直精密机械有限公司', plan: { overdue: true } });
    const linked = await t.app.inject({ method: 'PUT', url: `/api/v1/enterprises/${enterpriseId}/projects`, headers: town, payload: { project_ids: [projectId] } });
    expect(linked.json().projects.map((p: { name: string }) => p.name)).toEqual(['甪直智能装备产业园']);
  });

  it('records a visit with a photo and a problem raised on site, in one transaction', async () => {
    await t.app.inject({ method: 'PUT', url: '/api/v1/problem-categories', headers: office, payload: { code: 'land', name: '用地', owner_unit_id: units.land, sort: 1 } });
    // A bad problem (unknown category) loses the whole visit.
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/visits`, headers: cadre,
      payload: { visited_on: today, visitors: '李干部', content: '了解扩产用地需求', problems: [{ title: 'x', description: 'y', category_code: 'nope' }] } });
    expect(bad.statusCode).toBe(422);
    expect((await t.db.selectFrom('enterprise_visits').select('id').execute())).toHaveLength(0);

    const res = await t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/visits`, headers: cadre,
      payload: { visited_on: today, visitors: '李干部', content: '了解扩产用地需求', problems: [{ title: '扩产用地指标不足', description: '二期厂房需新增用地 30 亩', category_code: 'land', level: 'county', project_id: projectId }] } });
    expect(res.statusCode).toBe(201);
    const { id: visitId, problem_ids: [problemId] } = res.json();
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/enterprise-visits/${visitId}/photos`, ...multipart(cadre, 'site.jpg', JPEG) });
    expect(up.statusCode).toBe(201);
    const notImage = await t.app.inject({ method: 'POST', url: `/api/v1/enterprise-visits/${visitId}/photos`, ...multipart(cadre, 'x.jpg', Buffer.from('hello')) });
    expect(notImage.statusCode).toBe(422);
    const photo = await t.app.inject({ url: up.json().url, headers: office });
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.rawPayload.equals(JPEG)).toBe(true);

    const page = (await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: cadre })).json();
    expect(page.cadres[0].plan.overdue).toBe(false);
    expect(page.visits[0]).toMatchObject({ content: '了解扩产用地需求', problem_ids: [problemId] });
    expect(page.visits[0].photos).toHaveLength(1);
    const p = (await t.app.inject({ url: `/api/v1/problems/${problemId}`, headers: office })).json();
    expect(p).toMatchObject({ status: 'pending', source: 'visit', owner_unit_id: units.land, owner_unit_name: '区自然资源局', region_code: '320506', route_due: addWorkingDays(today, 1, cal) });
    expect(p.actions).toEqual(['assign', 'reject']);
  });

  it('moves a problem through the workflow with reasons, department checks, a visit by someone else and a counted 重办', async () => {
    const id = (await t.db.selectFrom('problems').select('id').executeTakeFirstOrThrow()).id;
    const act = async (headers: LoginHeaders, action: string, body: object = {}) => {
      const cur = (await t.app.inject({ url: `/api/v1/problems/${id}`, headers: office })).json();
      return t.app.inject({ method: 'POST', url: `/api/v1/problems/${id}/actions/${action}`, headers, payload: { version: cur.version, ...body } });
    };
    expect((await act(town, 'assign')).statusCode).toBe(403);
    const assigned = await act(office, 'assign', { co_unit_ids: [units.power] });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({ status: 'assigned', assigned_on: today, feedback_due: addWorkingDays(today, 3, cal), solve_due: addWorkingDays(today, 7, cal) });
    expect(assigned.json().co_units.map((u: { name: string }) => u.name)).toEqual(['区供电公司']);
    // Only the owning department signs; a stale version is refused.
    expect((await act(town, 'sign')).json().error.message).toBe('只有责任部门可以签收、转办和答复该问题');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/problems/${id}/actions/sign`, headers: dept, payload: { version: 1 } })).statusCode).toBe(409);
    const noReason = await act(dept, 'transfer', { owner_unit_id: units.power });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.message).toBe('转办问题须说明理由');
    expect((await act(dept, 'sign')).json().status).toBe('signed');
    expect((await act(dept, 'reply', {})).json().error.message).toBe('答复须填写办理结果');
    expect((await act(dept, 'reply', { reply: '已列入年度用地计划，预计下月供地' })).json().status).toBe('replied');
    // The handler cannot visit (the office is not the handler here, but the dept user lacks the permission anyway).
    expect((await act(dept, 'visit', { result: 'satisfied' })).statusCode).toBe(403);
    const reopened = await act(leader, 'visit', { result: 'unsatisfied', reason: '供地时间未明确' });
    expect(reopened.json()).toMatchObject({ status: 'in_progress', redo_count: 1, visit_result: 'unsatisfied' });
    expect((await act(dept, 'reply', { reply: '已明确 3 月 20 日挂牌出让' })).json().status).toBe('replied');
    expect((await act(office, 'close')).statusCode).toBe(409);
    const visited = await act(leader, 'visit', { result: 'basic' });
    expect(visited.json().status).toBe('visited');
    const closed = await act(office, 'close');
    expect(closed.json()).toMatchObject({ status: 'closed', closed_on: today });
    expect(closed.json().rounds.map((r: { round: number; visit_result: string }) => [r.round, r.visit_result])).toEqual([[1, 'unsatisfied'], [2, 'basic']]);
    expect(closed.json().moves.map((m: { action: string }) => m.action)).toEqual(['raise', 'assign', 'sign', 'reply', 'visit_reopen', 'reply', 'visit_ok', 'close']);
  });

  it('refuses a visit by the handler, and 不予受理 without a reason', async () => {
    const raise = await t.app.inject({ method: 'POST', url: '/api/v1/problems', headers: town, payload: { title: '用电增容', description: '需要增容 2000 千伏安', source: 'project', project_id: projectId, category_code: 'utilities', owner_unit_id: units.power } });
    expect(raise.statusCode).toBe(201);
    const id = raise.json().id;
    const reject = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${id}/actions/reject`, headers: office, payload: { version: 1 } });
    expect(reject.json().error.message).toBe('不予受理问题须说明理由');
    // The office assigns, signs, replies as handler … then may not visit its own answer.
    let v = 1;
    for (const [action, body] of [['assign', {}], ['sign', {}], ['reply', { reply: '已协调供电公司' }]] as const) {
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${id}/actions/${action}`, headers: office, payload: { version: v, ...body } });
      expect(r.statusCode).toBe(200);
      v = r.json().version;
    }
    const self = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${id}/actions/visit`, headers: office, payload: { version: v, result: 'satisfied' } });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.message).toBe('回访须由办理人以外的人员进行');
  });

  it('lists the ledger with filters and scope, and computes the figures with their denominators', async () => {
    const all = (await t.app.inject({ url: '/api/v1/problems', headers: office })).json();
    expect(all.total).toBe(2);
    const open = (await t.app.inject({ url: '/api/v1/problems?status=replied,in_progress', headers: office })).json();
    expect(open.items.map((p: { title: string }) => p.title)).toEqual(['用电增容']);
    expect((await t.app.inject({ url: '/api/v1/problems?category_code=land', headers: dept })).json().total).toBe(1);
    expect((await t.app.inject({ url: '/api/v1/problems', headers: other })).json().total).toBe(0);
    const year = Number(today.slice(0, 4));
    const f = (await t.app.inject({ url: `/api/v1/problem-figures?year=${year}&group_by=department`, headers: leader })).json();
    expect(f.total.closed_rate).toMatchObject({ numerator: 1, denominator: 2, label: '受理件数' });
    expect(f.total.redo_rate).toMatchObject({ numerator: 1, denominator: 1 });
    expect(f.total.first_time_rate).toMatchObject({ numerator: 0, denominator: 1 });
    expect(f.solved_text).toBe(`${year}年共帮助解决问题1个`);
    expect(f.groups.map((g: { name: string }) => g.name)).toEqual(['区自然资源局', '区供电公司']);
    // The ledger as a workbook, with the same filters.
    const xlsx = await t.app.inject({ url: '/api/v1/problems.xlsx?status=closed', headers: office });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = await readWorkbook(xlsx.rawPayload);
    const ws = wb.getWorksheet('问题台账')!;
    expect(ws.getRow(3).getCell(3).value).toBe('问题标题');
    expect(ws.getRow(4).getCell(3).value).toBe('扩产用地指标不足');
    expect(ws.getRow(4).getCell(13).value).toBe('已销号');
    expect(ws.getRow(4).getCell(19).value).toBe(1);
    // The same through the exported function other modules call.
    const direct = await problemFigures(createDeps(t.db), systemActor(), year, 'category');
    expect(direct.groups.map((g) => g.name)).toEqual(['用地', '水电气']);
  });

  it('breaks the figures down by source, level and month (the current year by default) and exports them with their definitions', async () => {
    // The year and month come from the problems themselves, so that a run across midnight or New Year still agrees.
    const received = (await t.db.selectFrom('problems').select('received_on').execute()).map((r) => r.received_on);
    expect(new Set(received.map((d) => d.slice(0, 7))).size).toBe(1);
    const year = Number(received[0]!.slice(0, 4));
    const plain = (await t.app.inject({ url: '/api/v1/problem-figures', headers: leader })).json();
    expect(plain).toMatchObject({ group_by: null, groups: [] });
    expect(plain.year).toBe(Number(plain.today.slice(0, 4)));
    const whole = (await t.app.inject({ url: `/api/v1/problem-figures?year=${year}`, headers: leader })).json();
    expect(whole.total).toMatchObject({ total: 2, accepted: 2, closed: 1, visited: 1 });
    const bySource = (await t.app.inject({ url: `/api/v1/problem-figures?year=${year}&group_by=source`, headers: leader })).json();
    expect(bySource.groups.map((g: { key: string; name: string }) => [g.key, g.name])).toEqual([['project', '项目推进'], ['visit', '干部走访']]);
    const [project, visit] = bySource.groups as Array<{ figures: { closed_rate: { numerator: number; denominator: number }; first_time_rate: { text: string }; redo_rate: { text: string } } }>;
    expect(project!.figures.closed_rate).toMatchObject({ numerator: 0, denominator: 1 });
    expect(visit!.figures.closed_rate).toMatchObject({ numerator: 1, denominator: 1 });
    expect(visit!.figures).toMatchObject({ first_time_rate: { text: '0.0' }, redo_rate: { text: '100.0' } });
    const byLevel = (await t.app.inject({ url: `/api/v1/problem-figures?year=${year}&group_by=level`, headers: leader })).json();
    expect(byLevel.groups.map((g: { name: string; figures: { total: number } }) => [g.name, g.figures.total])).toEqual([['县级', 2]]);
    const byMonth = (await t.app.inject({ url: `/api/v1/problem-figures?year=${year}&group_by=month`, headers: leader })).json();
    expect(byMonth.groups.map((g: { key: string; name: string }) => [g.key, g.name])).toEqual([[received[0]!.slice(0, 7), `${Number(received[0]!.slice(5, 7))}月`]]);
    // Another district's reporter sees none of them.
    expect((await t.app.inject({ url: `/api/v1/problem-figures?year=${year}`, headers: other })).json().total.total).toBe(0);

    const xlsx = await t.app.inject({ url: `/api/v1/problem-figures.xlsx?year=${year}&group_by=source`, headers: office });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent(`问题办理统计-${year}.xlsx`));
    const wb = await readWorkbook(xlsx.rawPayload);
    const ws = wb.getWorksheet('问题办理统计')!;
    expect(ws.getRow(1).getCell(1).value).toBe(`${year}年企业和项目问题（诉求）办理情况统计（按问题来源）`);
    expect(ws.getRow(2).getCell(1).text).toContain(`${year}年共帮助解决问题1个`);
    const cells = (r: number) => Array.from({ length: 13 }, (_, i) => ws.getRow(r).getCell(i + 1).value);
    expect(cells(3)).toEqual(['序号', '问题来源', '问题总数', '受理件数', '办结件数', '办结率（%）', '按期办结率（%）', '已回访件数', '满意率（%）', '一次性解决率（%）', '重办率（%）', '平均办理时长（工作日）', '逾期件数']);
    expect(cells(4).slice(1, 6)).toEqual(['项目推进', 1, 1, 0, 0]);
    expect(cells(5).slice(1, 11)).toEqual(['干部走访', 1, 1, 1, 100, 100, 1, 100, 0, 100]);
    // The 合计 row is the year's figures, not a sum of the rows' rates.
    expect(cells(6).slice(0, 6)).toEqual(['合计', null, 2, 2, 1, 50]);
    const defs = wb.getWorksheet('指标口径')!;
    const texts = Array.from({ length: 9 }, (_, i) => defs.getRow(4 + i).getCell(2).value);
    expect(texts).toContain('办结率 = 已销号件数 ÷ 受理件数');
    expect(texts).toContain('一次性解决率 = 未经重办即销号的件数 ÷ 已销号件数');
    // Without group_by the workbook breaks down by owning department.
    const byDept = await readWorkbook((await t.app.inject({ url: '/api/v1/problem-figures.xlsx', headers: office })).rawPayload);
    expect(byDept.getWorksheet('问题办理统计')!.getRow(3).getCell(2).value).toBe('责任部门');
  });

  it('lights the project of an unresolved overdue problem yellow, then red, and clears it when closed', async () => {
    const lit = await buildProject(t.db, { unit_id: units.town!, name: '问题亮灯项目' });
    await t.db.insertInto('annual_plans').values({ project_id: lit, year: 2026, planned_investment: 0, created_at: clock.now().toISOString(), updated_at: clock.now().toISOString() }).execute();
    const now = clock.now().toISOString();
    const { id } = await t.db.insertInto('problems').values({ title: '施工用电未接入', description: '临时用电', source: 'project', project_id: lit, category_code: 'utilities', level: 'county',
      region_code: '320506', status: 'in_progress', received_on: '2026-03-02', assigned_on: '2026-03-02', route_due: '2026-03-03', solve_due: '2026-03-11', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const lightOf = async (month: number) => {
      const body = (await t.app.inject({ url: `/api/v1/lights?year=2026&month=${month}&light=red,yellow,green,none`, headers: office })).json();
      return body.items.find((i: { project_id: number }) => i.project_id === lit);
    };
    expect((await lightOf(3)).overall).toBe('yellow');
    const april = await lightOf(4);
    expect(april.overall).toBe('red');
    expect(april.dimensions.find((d: { dimension: string }) => d.dimension === 'problems').reason).toBe('1个问题未销号，“施工用电未接入”超过办理时限50天');
    // Closing it (any write path) marks the project stale: April is judged again.
    await t.db.updateTable('problems').set({ status: 'closed', closed_on: '2026-04-10' }).where('id', '=', id).execute();
    expect((await lightOf(4)).overall).toBe('none');
    expect((await lightOf(3)).overall).toBe('yellow');
  });

  it('lets the office edit the time limits as data (and keeps a default row)', async () => {
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/problem-time-limits', headers: office, payload: { rows: [{ category_code: 'land', level: '*', route_days: 1, feedback_days: 3, ordinary_days: 15, major_days: 60 }] } });
    expect(bad.json().error.message).toBe('须保留一条“全部分类、全部层级”的默认时限');
    const ok = await t.app.inject({ method: 'PUT', url: '/api/v1/problem-time-limits', headers: office, payload: { rows: [
      { category_code: '*', level: '*', route_days: 1, feedback_days: 3, ordinary_days: 7, major_days: 30 },
      { category_code: 'land', level: '*', route_days: 1, feedback_days: 3, ordinary_days: 15, major_days: 60 },
    ] } });
    expect(ok.statusCode).toBe(200);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/problems', headers: office, payload: { title: '土地报批', description: '报批材料', source: 'meeting', meeting: '周例会', category_code: 'land', region_code: '320506' } });
    const assigned = await t.app.inject({ method: 'POST', url: `/api/v1/problems/${r.json().id}/actions/assign`, headers: office, payload: { version: 1 } });
    expect(assigned.json().solve_due).toBe(addWorkingDays(today, 15, cal));
  });
});
