import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';
import { chinaToday, chinaYear } from '../../../core/clock.ts';
import { projectListItemSchema, projectListSchema, projectRowSchema } from './project.responses.ts';

const TODAY = chinaToday(clock.now());
const YEAR = chinaYear(clock.now());

describe.each(DIALECTS)('project library (full) on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;
  let unitA: number;
  let unitB: number;
  let root: number;

  type Req = { method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: object; as?: LoginHeaders };
  const call = async ({ method = 'GET', url, payload, as }: Req) => {
    const res = await t.app.inject({ method, url, payload, headers: as ?? office });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const create = async (payload: object, as?: LoginHeaders) => call({ method: 'POST', url: '/api/v1/projects', payload: { region_code: '320506', unit_id: unitA, total_investment: 100_000_000, ...payload }, as });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    root = (await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' })).id;
    unitA = (await buildUnit(t.db, { name: '甪直镇', parentId: root, regionCode: '320506', kind: 'township' })).id;
    unitB = (await buildUnit(t.db, { name: '临湖镇', parentId: root, regionCode: '320506', kind: 'township' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root });
    await buildUser(t.db, { username: 'reporterA', role: 'reporter', unitId: unitA });
    office = await t.login('office1');
    reporter = await t.login('reporterA');
  });
  afterAll(async () => t?.close());

  it('documents every project-library route in the OpenAPI document', async () => {
    const doc = (await call({ url: '/api/v1/openapi.json' })).body;
    for (const path of ['/api/v1/projects', '/api/v1/projects/{id}/stage', '/api/v1/projects/{id}/plans/{year}', '/api/v1/projects/{id}/procedures/{kind}', '/api/v1/units/{id}']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.paths['/api/v1/projects'].post.requestBody.content['application/json'].schema.properties)).toContain('builder_uscc');
  });

  describe('create and update', () => {
    it('writes every field, several levels at once, and reads them back', async () => {
      const payload = {
        name: '甪直智能装备产业园项目', code: '2024-320506-34-03-654321', stats_code: 'TJ3205062024001', list_year: YEAR, batch: '第一批',
        is_key_of_key: true, levels: ['province', 'city', 'city'], nature: 'new', category: '产业', industry_code: 'C34',
        investment_type: 'social', is_attraction: 1, is_central_budget: false, is_special_bond: true, campaign_group: '促进开工',
        address: '甪直镇晓市路 1 号', builder_name: '华为技术有限公司', builder_uscc: '914403001922038216', builder_legal_person: '赵明路',
        builder_contact: '王工', builder_phone: '0512-66668888', lead_unit_id: root, leader_name: '李四', leader_post: '副区长',
        scope_content: '新建厂房 10 万平方米', start_year: YEAR, end_year: YEAR + 2, planned_start_date: `${YEAR}-03-01`,
        planned_completion_date: `${YEAR + 2}-06-30`, planned_production_date: `${YEAR + 2}-09-30`, total_investment: 1_000_000_000,
        fund_central: 100_000_000, fund_bank_loan: 400_000_000, fund_self: 500_000_000, stats_entered: false, stats_reason: '尚未开工',
      };
      const res = await create(payload);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        ...payload, is_key_of_key: 1, is_attraction: 1, is_central_budget: 0, is_special_bond: 1, stats_entered: 0,
        levels: ['city', 'province'], stage: 'preliminary', tier: 'implementation', version: 1, rollup: null, next_stages: ['signed', 'started'],
      });
      const history = await call({ url: `/api/v1/projects/${res.body.id}/stage-history` });
      expect(history.body.items).toMatchObject([{ from_stage: null, to_stage: 'preliminary', event_date: TODAY }]);
    });

    it('checks the builder credit code with GB 32100 (400 on a wrong check character), normalizing full-width input', async () => {
      const bad = await create({ name: '校验位错误项目', builder_uscc: '914403001922038217' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('校验位不正确');
      const ok = await create({ name: '全角代码项目', builder_uscc: '９１４４０３００７１５２６７２６ｘｇ' });
      expect(ok.status).toBe(201);
      expect(ok.body.builder_uscc).toBe('9144030071526726XG');
    });

    it('refuses fund sources above the total, reversed dates, and a missing reason when not entered into statistics', async () => {
      const funds = await create({ name: '资金超额项目', total_investment: 100, fund_city: 60, fund_self: 41 });
      expect(funds.status).toBe(400);
      expect(funds.body.error.message).toContain('资金来源合计（101 元）超过总投资（100 元）');
      expect(funds.body.error.details[0].path).toBe('fund_city');
      const dates = await create({ name: '日期颠倒项目', planned_start_date: '2026-05-01', planned_completion_date: '2026-04-30' });
      expect(dates.status).toBe(400);
      const stats = await create({ name: '未纳统项目', stats_entered: false });
      expect(stats.status).toBe(400);
      expect(stats.body.error.message).toBe('未入库纳统的项目须填写原因');
      const bad = await create({ name: '不存在的日期', planned_start_date: '2026-02-30' });
      expect(bad.status).toBe(400);
    });

    it('checks the merged record on update, bumps the version and answers a stale version with 409 and no change', async () => {
      const p = (await create({ name: '版本控制项目', total_investment: 1000, fund_self: 1000 })).body;
      const lower = await call({ method: 'PATCH', url: `/api/v1/projects/${p.id}`, payload: { version: 1, total_investment: 999 } });
      expect(lower.status).toBe(400);
      expect(lower.body.error.details).toEqual([{ path: 'total_investment', message: '资金来源合计（1000 元）超过总投资（999 元），请同时调整资金来源' }]);
      const both = await call({ method: 'PATCH', url: `/api/v1/projects/${p.id}`, payload: { version: 1, total_investment: 999, fund_self: 999 } });
      expect(both.status).toBe(200);
      expect(both.body.version).toBe(2);
      const ok = await call({ method: 'PATCH', url: `/api/v1/projects/${p.id}`, payload: { version: 2, total_investment: 2000, levels: ['county'] } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ version: 3, total_investment: 2000, levels: ['county'] });
      const stale = await call({ method: 'PATCH', url: `/api/v1/projects/${p.id}`, payload: { version: 2, name: '改名' } });
      expect(stale.status).toBe(409);
      expect(stale.body.error.details.current).toMatchObject({ version: 3, name: '版本控制项目' });
    });

    it("lets a reporter edit its own unit's ordinary fields but not office-only fields, tiers or deletion", async () => {
      const p = (await create({ name: '上报单位项目' })).body;
      const edit = await call({ method: 'PATCH', url: `/api/v1/projects/${p.id}`, as: reporter, payload: { version: 1, address: '新地址', leader_name: '张三' } });
      expect(edit.status).toBe(200);
      expect(edit.body.address).toBe('新地址');
      const locked = await call({ method: 'PATCH', url: `/api/v1/projects/${p.id}`, as: reporter, payload: { version: 2, list_year: 2030, levels: ['national'] } });
      expect(locked.status).toBe(403);
      expect(locked.body.error.details.fields).toEqual(['list_year', 'levels']);
      expect((await call({ method: 'POST', url: `/api/v1/projects/${p.id}/tier`, as: reporter, payload: { to: 'withdrawn', reason: 'x' } })).status).toBe(403);
      expect((await call({ method: 'DELETE', url: `/api/v1/projects/${p.id}`, as: reporter })).status).toBe(403);
      const other = (await create({ name: '其他单位项目', unit_id: unitB })).body;
      expect((await call({ method: 'PATCH', url: `/api/v1/projects/${other.id}`, as: reporter, payload: { version: 1, address: 'x' } })).status).toBe(404);
      expect((await call({ method: 'POST', url: `/api/v1/projects/${other.id}/stage`, as: reporter, payload: { to: 'started', event_date: TODAY } })).status).toBe(404);
      expect((await call({ url: `/api/v1/projects/${other.id}/plans`, as: reporter })).status).toBe(404);
    });
  });

  describe('stages', () => {
    it('records history and actual dates, pauses and resumes with reasons, and refuses invalid moves with 422', async () => {
      const p = (await create({ name: '阶段流转项目' })).body;
      const url = `/api/v1/projects/${p.id}/stage`;
      const back = await call({ method: 'POST', url, payload: { to: 'planning', event_date: TODAY } });
      expect(back.status).toBe(422);
      expect(back.body.error.message).toContain('不能从“前期”变更为“谋划储备”');
      const started = await call({ method: 'POST', url, as: reporter, payload: { to: 'started', event_date: '2026-01-15', version: 1 } });
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ stage: 'started', actual_start_date: '2026-01-15', version: 2 });
      const noReason = await call({ method: 'POST', url, payload: { to: 'paused', event_date: TODAY } });
      expect(noReason.status).toBe(422);
      expect(noReason.body.error.message).toBe('停工须填写原因');
      const paused = await call({ method: 'POST', url, payload: { to: 'paused', event_date: TODAY, reason: '征地拆迁未完成' } });
      expect(paused.body).toMatchObject({ stage: 'paused', stage_before_pause: 'started', next_stages: ['started'] });
      expect((await call({ method: 'POST', url, payload: { to: 'completed', event_date: TODAY, reason: '完工' } })).status).toBe(422);
      const resumed = await call({ method: 'POST', url, payload: { to: 'started', event_date: TODAY, reason: '拆迁完成' } });
      expect(resumed.body).toMatchObject({ stage: 'started', stage_before_pause: null, actual_start_date: '2026-01-15' });
      const stale = await call({ method: 'POST', url, payload: { to: 'completed', event_date: TODAY, version: 1 } });
      expect(stale.status).toBe(409);
      const future = await call({ method: 'POST', url, payload: { to: 'completed', event_date: '2999-01-01' } });
      expect(future.status).toBe(400);
      await call({ method: 'POST', url, payload: { to: 'completed', event_date: TODAY } });
      const history = (await call({ url: `/api/v1/projects/${p.id}/stage-history` })).body.items;
      expect(history.map((h: { from_stage: string | null; to_stage: string }) => `${h.from_stage}>${h.to_stage}`))
        .toEqual(['null>preliminary', 'preliminary>started', 'started>paused', 'paused>started', 'started>completed']);
      expect(history[2]).toMatchObject({ reason: '征地拆迁未完成', event_date: TODAY, user_name: 'office1' });
      expect(history[1]).toMatchObject({ event_date: '2026-01-15', user_name: 'reporterA' });
    });
  });

  describe('tiers, deletion and packages', () => {
    it('moves idea → reserve → reviews → implementation, withdraws with a reason and restores', async () => {
      const p = (await create({ name: '谋划项目', tier: 'idea' })).body;
      expect(p).toMatchObject({ tier: 'idea', stage: 'planning' });
      const tier = (to: string, reason?: string) => call({ method: 'POST', url: `/api/v1/projects/${p.id}/tier`, payload: { to, reason } });
      expect((await tier('implementation')).status).toBe(422);
      expect((await tier('reserve')).body).toMatchObject({ tier: 'reserve', reserve_review: 'none' });
      expect((await tier('implementation')).body.error.message).toBe('储备库项目须通过终审后才能转入实施库');
      const review = (r: string) => call({ method: 'POST', url: `/api/v1/projects/${p.id}/review`, payload: { review: r } });
      expect((await review('final')).status).toBe(422);
      expect((await review('initial')).body.reserve_review).toBe('initial');
      expect((await review('final')).body.reserve_review).toBe('final');
      expect((await tier('withdrawn')).body.error.message).toBe('退库须填写原因');
      expect((await tier('withdrawn', '企业投资意向变化')).body).toMatchObject({ tier: 'withdrawn', withdraw_reason: '企业投资意向变化', tier_before_withdraw: 'reserve' });
      expect((await tier('idea')).status).toBe(422);
      expect((await tier('reserve')).body).toMatchObject({ tier: 'reserve', withdraw_reason: null, reserve_review: 'final' });
      expect((await tier('implementation')).body).toMatchObject({ tier: 'implementation', stage: 'preliminary' });
      const history = (await call({ url: `/api/v1/projects/${p.id}/stage-history` })).body.items;
      expect(history.map((h: { to_stage: string; reason: string }) => `${h.to_stage}:${h.reason}`)).toEqual(['planning:录入项目', 'preliminary:转入实施库']);
    });

    it('soft-deletes out of the list and restores', async () => {
      const p = (await create({ name: '待删除恢复项目' })).body;
      expect((await call({ method: 'DELETE', url: `/api/v1/projects/${p.id}?version=9` })).status).toBe(409);
      expect((await call({ method: 'DELETE', url: `/api/v1/projects/${p.id}` })).status).toBe(204);
      expect((await call({ url: `/api/v1/projects/${p.id}` })).status).toBe(404);
      expect((await call({ url: '/api/v1/projects?q=待删除恢复' })).body.totals.count).toBe(0);
      expect((await call({ url: '/api/v1/projects/deleted' })).body.items.map((x: { id: number }) => x.id)).toContain(p.id);
      const restored = await call({ method: 'POST', url: `/api/v1/projects/${p.id}/restore` });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id: p.id, deleted_at: null, version: 3 });
      expect((await call({ url: '/api/v1/projects?q=待删除恢复' })).body.totals.count).toBe(1);
      expect((await call({ method: 'POST', url: `/api/v1/projects/${p.id}/restore` })).status).toBe(404);
    });

    it('rolls sub-items up into their major item and lists major items only on request', async () => {
      const major = (await create({ name: '城南片区综合开发打包项目', total_investment: 0 })).body;
      const a = (await create({ name: '城南安置房子项目', parent_id: major.id, total_investment: 300_000_000, fund_county: 100_000_000 })).body;
      const b = (await create({ name: '城南道路子项目', parent_id: major.id, total_investment: 200_000_000, fund_special_bond: 50_000_000 })).body;
      await call({ method: 'PUT', url: `/api/v1/projects/${a.id}/plans/${YEAR}`, payload: { planned_investment: 80_000_000 } });
      await call({ method: 'PUT', url: `/api/v1/projects/${b.id}/plans/${YEAR}`, payload: { planned_investment: 20_000_000 } });
      const detail = (await call({ url: `/api/v1/projects/${major.id}` })).body;
      expect(detail.is_package).toBe(1);
      expect(detail.rollup).toMatchObject({
        sub_items: 2, total_investment: 500_000_000, funds: { fund_county: 100_000_000, fund_special_bond: 50_000_000, fund_central: 0 },
        annual_plan: { year: YEAR, planned_investment: 100_000_000 },
      });
      const all = (await call({ url: '/api/v1/projects?q=城南' })).body.totals.count;
      const majors = (await call({ url: '/api/v1/projects?q=城南&major_only=true' })).body;
      expect([all, majors.totals.count]).toEqual([3, 1]);
      expect((await call({ url: `/api/v1/projects?parent=${major.id}` })).body.totals).toMatchObject({ count: 2, total_investment: 500_000_000, annual_planned: 100_000_000 });
      expect((await call({ method: 'DELETE', url: `/api/v1/projects/${major.id}` })).status).toBe(422);
      expect((await create({ name: '孙项目', parent_id: a.id })).status).toBe(400);
    });
  });

  describe('annual plans and procedures', () => {
    it('creates, updates with the version, refuses stale and duplicate writes, and deletes', async () => {
      const p = (await create({ name: '年度计划项目', total_investment: 1_000_000 })).body;
      const url = `/api/v1/projects/${p.id}/plans/${YEAR}`;
      const months = await call({ method: 'PUT', url, payload: { planned_investment: 100, plan_new_start: true } });
      expect(months.status).toBe(400);
      expect(months.body.error.message).toBe('计划新开工的项目须填写计划新开工月份');
      const over = await call({ method: 'PUT', url, payload: { planned_investment: 600_000, completed_before_year: 400_001 } });
      expect(over.status).toBe(422);
      const created = await call({ method: 'PUT', url, payload: { planned_investment: 600_000, completed_before_year: 100_000, plan_new_start: 1, plan_start_month: 4, progress_target: '主体结顶', list_kind: 'supplementary' } });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ year: YEAR, planned_investment: 600_000, plan_start_month: 4, plan_completion_month: null, list_kind: 'supplementary', version: 1 });
      const dup = await call({ method: 'PUT', url, payload: { planned_investment: 1 } });
      expect(dup.status).toBe(409);
      expect(dup.body.error.details.current.version).toBe(1);
      const updated = await call({ method: 'PUT', url, payload: { planned_investment: 500_000, version: 1 } });
      expect(updated.body).toMatchObject({ planned_investment: 500_000, version: 2, plan_new_start: 0, plan_start_month: null });
      expect((await call({ method: 'PUT', url, payload: { planned_investment: 1, version: 1 } })).status).toBe(409);
      expect((await call({ method: 'PUT', url: `/api/v1/projects/${p.id}/plans/${YEAR}`, as: reporter, payload: { planned_investment: 1, version: 2 } })).status).toBe(403);
      expect((await call({ url: `/api/v1/projects/${p.id}/plans` })).body.items).toHaveLength(1);
      expect((await call({ method: 'DELETE', url: `${url}?version=1` })).status).toBe(409);
      expect((await call({ method: 'DELETE', url: `${url}?version=2` })).status).toBe(204);
      expect((await call({ url: `/api/v1/projects/${p.id}/plans` })).body.items).toHaveLength(0);
    });

    it('lists every procedure kind and upserts one', async () => {
      const p = (await create({ name: '前期手续项目' })).body;
      const list = (await call({ url: `/api/v1/projects/${p.id}/procedures` })).body.items;
      expect(list).toHaveLength(14);
      expect(list[0]).toMatchObject({ kind: 'approval', label: '立项（审批）', status: 'pending' });
      const url = `/api/v1/projects/${p.id}/procedures/eia`;
      expect((await call({ method: 'PUT', url, payload: { status: 'done' } })).status).toBe(400);
      expect((await call({ method: 'PUT', url: `/api/v1/projects/${p.id}/procedures/unknown`, payload: { status: 'done' } })).status).toBe(400);
      const first = await call({ method: 'PUT', url, as: reporter, payload: { status: 'in_progress', note: '已报审' } });
      expect(first.body).toMatchObject({ kind: 'eia', label: '环境影响评价', status: 'in_progress' });
      const done = await call({ method: 'PUT', url, payload: { status: 'done', doc_number: '吴环建〔2026〕12号', approved_date: '2026-03-02' } });
      expect(done.body).toMatchObject({ status: 'done', doc_number: '吴环建〔2026〕12号', approved_date: '2026-03-02', note: null });
      const after = (await call({ url: `/api/v1/projects/${p.id}/procedures` })).body.items.filter((x: { status: string }) => x.status !== 'pending');
      expect(after).toHaveLength(1);
    });
  });

  describe('list filters, totals and search', () => {
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      const base = { unit_id: unitB, created_at: TODAY, updated_at: TODAY };
      ids.a = await buildProject(t.db, { ...base, name: '临湖数字经济产业园区项目', total_investment: 500, stage: 'started', category: '筛选', industry_code: 'I6510', nature: 'new', campaign_group: '加快建设', code: '2025-320506-65-01-000001', builder_name: '苏州临湖数字科技有限公司', builder_uscc: '91350100M000100Y43', tier: 'implementation' });
      ids.b = await buildProject(t.db, { ...base, name: '临湖生物医药产业园区二期', total_investment: 300, stage: 'preliminary', category: '筛选', industry_code: 'C2710', nature: 'continued', campaign_group: '促进开工', tier: 'reserve' });
      ids.c = await buildProject(t.db, { ...base, name: '玄武湖污水处理厂提标改造', total_investment: 200, stage: 'started', category: '筛选', industry_code: 'D4620', nature: 'new', region_code: '320102', tier: 'implementation', is_key_of_key: 1 });
      await t.db.insertInto('project_levels').values([{ project_id: ids.a, level: 'province' }, { project_id: ids.a, level: 'city' }, { project_id: ids.c, level: 'city' }]).execute();
      const now = clock.now().toISOString();
      await t.db.insertInto('annual_plans').values([
        { project_id: ids.a, year: YEAR, planned_investment: 50, created_at: now, updated_at: now },
        { project_id: ids.b, year: YEAR, planned_investment: 30, created_at: now, updated_at: now },
        { project_id: ids.c, year: YEAR - 1, planned_investment: 20, created_at: now, updated_at: now },
      ]).execute();
    });
    const list = async (qs: string) => (await call({ url: `/api/v1/projects?category=筛选&${qs}` })).body;
    const names = (body: { items: { id: number }[] }) => body.items.map((p) => Object.entries(ids).find(([, id]) => id === p.id)?.[0]).sort().join('');

    it('filters on each field and totals the whole filter', async () => {
      expect(names(await list(''))).toBe('abc');
      expect(names(await list('region=320500'))).toBe('ab');
      expect(names(await list('region=320000'))).toBe('abc');
      expect(names(await list('region=999999'))).toBe('');
      expect(names(await list(`unit=${root}`))).toBe('abc');
      expect(names(await list(`unit=${unitA}`))).toBe('');
      expect(names(await list('tier=reserve'))).toBe('b');
      expect(names(await list('level=city'))).toBe('ac');
      expect(names(await list('level=province,county'))).toBe('a');
      expect(names(await list('industry=C'))).toBe('b');
      expect(names(await list('industry=I65,D46'))).toBe('ac');
      expect(names(await list('nature=new'))).toBe('ac');
      expect(names(await list('stage=started,completed'))).toBe('ac');
      expect(names(await list(`campaign_group=${encodeURIComponent('促进开工')}`))).toBe('b');
      expect(names(await list(`year=${YEAR}`))).toBe('ab');
      expect(names(await list('has_code=true'))).toBe('a');
      expect(names(await list('has_code=false'))).toBe('bc');
      expect(names(await list('is_key_of_key=1'))).toBe('c');
      expect(names(await list(`builder=${encodeURIComponent('数字科技')}`))).toBe('a');
      expect(names(await list('builder=91350100M000100Y43'))).toBe('a');
      const totals = (await list('page_size=1')).totals;
      expect(totals).toEqual({ count: 3, total_investment: 1000, annual_planned: 80, year: YEAR });
      expect((await list(`year=${YEAR - 1}`)).totals).toEqual({ count: 1, total_investment: 200, annual_planned: 20, year: YEAR - 1 });
      expect((await list('region=320500&stage=started')).totals).toMatchObject({ count: 1, total_investment: 500, annual_planned: 50 });
    });

    it('sorts on listed columns including the annual plan, and pages', async () => {
      const byTotal = await list('sort=total_investment&order=desc');
      expect(byTotal.items.map((p: { total_investment: number }) => p.total_investment)).toEqual([500, 300, 200]);
      const byPlan = await list(`sort=annual_planned&order=desc&year=${YEAR}`);
      expect(byPlan.items.map((p: { annual_planned: number }) => p.annual_planned)).toEqual([50, 30]);
      // Projects without a plan that year (null) come last in both directions, on both engines.
      for (const order of ['asc', 'desc']) {
        const all = await list(`sort=annual_planned&order=${order}`);
        expect(all.items.map((p: { annual_planned: number | null }) => p.annual_planned)).toEqual(order === 'asc' ? [30, 50, null] : [50, 30, null]);
      }
      const byCode = await list('sort=code&order=desc');
      expect(byCode.items[0].code).toBe('2025-320506-65-01-000001');
      const page2 = await list('sort=name&page=2&page_size=2');
      expect(page2.items).toHaveLength(1);
      expect(page2.totals.count).toBe(3);
      expect((await call({ url: '/api/v1/projects?sort=password' })).status).toBe(400);
    });


    it('returns the fields asked for (fields=), the table’s columns by default, and every field with fields=all', async () => {
      const byDefault = (await list('sort=total_investment&order=desc')).items[0];
      expect(Object.keys(byDefault).sort()).toEqual(['annual_planned', 'code', 'id', 'is_package', 'name', 'parent_id', 'region_code', 'stage', 'tier', 'total_investment', 'unit_id', 'updated_at', 'version']);
      expect(byDefault).toMatchObject({ id: ids.a, code: '2025-320506-65-01-000001', total_investment: 500, annual_planned: 50 });
      const few = (await list('sort=total_investment&order=desc&fields=name,total_investment')).items;
      expect(few[0]).toEqual({ id: ids.a, name: '临湖数字经济产业园区项目', total_investment: 500 });
      const all = (await list('sort=total_investment&order=desc&fields=all')).items[0];
      expect(all).toMatchObject({ id: ids.a, builder_uscc: '91350100M000100Y43', campaign_group: '加快建设', annual_planned: 50 });
      expect(all).not.toHaveProperty('search_text');
      const wrong = await call({ url: '/api/v1/projects?fields=name,search_text,password' });
      expect(wrong.status).toBe(400);
      expect(JSON.stringify(wrong.body)).toContain('不支持的字段：search_text、password');
    });
    it('answers fields= subsets that match the list item schema, whose columns are optional only because fields= can omit them (issue 15)', async () => {
      // The checked test app parses every answer against its schema: a 200 here is the validation.
      const res = await call({ url: '/api/v1/projects?category=筛选&fields=name&progress=current' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const item = res.body.items[0];
      expect(Object.keys(item).sort()).toEqual(['completed_ytd', 'completion_rate', 'id', 'light', 'light_reasons', 'name']);
      expect(projectListSchema.safeParse(res.body).success).toBe(true);
      // The same subset is not a whole project row: without the optional columns the answer would fail its check.
      expect(projectRowSchema.safeParse(item).success).toBe(false);
      // id is always there, and a field that is there keeps its type.
      expect(projectListItemSchema.safeParse({ name: item.name }).success).toBe(false);
      expect(projectListItemSchema.safeParse({ id: item.id, total_investment: '500' }).success).toBe(false);
      // Every field fields=all returns is declared (none reaches the client unannounced).
      const all = (await call({ url: '/api/v1/projects?category=筛选&fields=all' })).body.items[0];
      expect(Object.keys(all).filter((k) => !(k in projectListItemSchema.shape))).toEqual([]);
    });
    it('searches through the trigram index (3+ characters) and by LIKE below that, and keeps the index in sync', async () => {
      const count = async (q: string) => (await list(`q=${encodeURIComponent(q)}`)).totals.count;
      expect(await count('产业园区')).toBe(2); // index
      expect(await count('园区')).toBe(2); // 2 characters: fallback
      expect(await count('湖')).toBe(3); // 1 character: fallback
      expect(await count('lhszjj')).toBe(1); // initials
      expect(await count('shengwuyiyao')).toBe(1); // full pinyin
      expect(await count('產業園區')).toBe(2); // traditional
      expect(await count('100%')).toBe(0); // wildcard: escaped fallback
      // Rename through the API: the old name disappears from the index, the new one appears.
      const p = (await call({ url: `/api/v1/projects/${ids.b}` })).body;
      await call({ method: 'PATCH', url: `/api/v1/projects/${ids.b}`, payload: { version: p.version, name: '临湖光伏储能电站' } });
      expect(await count('生物医药')).toBe(0);
      expect(await count('光伏储能')).toBe(1);
      expect(await count('gfcn')).toBe(1);
      if (dialect === 'sqlite') {
        // The FTS table itself agrees with the projects table row for row.
        const check = await sql<{ n: number }>`select count(*) as n from projects p where p.id not in (select rowid from projects_fts where search_text like '%' || p.search_text || '%')`.execute(t.db);
        expect(Number(check.rows[0]!.n)).toBe(0);
        const plan = await sql<{ detail: string }>`explain query plan select rowid from projects_fts where search_text like '%光伏储能%'`.execute(t.db);
        expect(plan.rows.map((r) => r.detail).join(' ')).toContain('VIRTUAL TABLE INDEX');
      } else {
        const idx = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'projects' and indexname = 'projects_search_trgm'`.execute(t.db);
        expect(idx.rows).toHaveLength(1);
      }
    });
  });
});
