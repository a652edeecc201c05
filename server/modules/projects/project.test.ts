import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';

describe.each(DIALECTS)('project library API on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;
  let unitA: number;
  let unitB: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    unitA = (await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    unitB = (await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'reporterA', role: 'reporter', unitId: unitA });
    await buildProject(t.db, { name: '比亚迪新能源汽车零部件项目', unit_id: unitA, total_investment: 955_270_000_00, stage: 'started' });
    await buildProject(t.db, { name: '吴中大道快速化改造工程', unit_id: unitB, total_investment: 12_345_000_00, stage: 'preliminary' });
    await buildProject(t.db, { name: '南京玄武湖生态修复', unit_id: unitB, region_code: '320102', total_investment: 5_000_000_00, stage: 'started' });
    office = await t.login('office1');
    reporter = await t.login('reporterA');
  });
  afterAll(async () => t?.close());

  it('answers health without a session', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', dialect });
  });

  it('refuses the list without a session', async () => {
    const res = await t.app.inject({ url: '/api/v1/projects' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('lists with region subtree filter, totals over the whole filter, and sorting', async () => {
    const res = await t.app.inject({ url: '/api/v1/projects?region=320500&sort=total_investment&order=desc&page_size=1', headers: office });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(1);
    expect(body.items[0].name).toBe('比亚迪新能源汽车零部件项目');
    expect(body.totals).toMatchObject({ count: 2, total_investment: 955_270_000_00 + 12_345_000_00 });
  });

  it('searches Chinese substrings, pinyin initials, full pinyin and traditional characters', async () => {
    for (const q of ['新能源', 'bydxny', 'xinnengyuan', '新能源汽車']) {
      const body = (await t.app.inject({ url: `/api/v1/projects?q=${encodeURIComponent(q)}`, headers: office })).json();
      expect(body.totals.count, q).toBe(1);
      expect(body.items[0].name).toContain('比亚迪');
    }
  });

  it('searches with several terms, each matching the name, the region or the unit (with their subtrees)', async () => {
    const names = async (q: string) => ((await t.app.inject({ url: `/api/v1/projects?q=${encodeURIComponent(q)}`, headers: office })).json().items as { name: string }[])
      .map((p) => p.name).sort();
    expect(await names('新能源 甪直')).toEqual(['比亚迪新能源汽车零部件项目']);
    expect(await names('改造　临湖镇')).toEqual(['吴中大道快速化改造工程']);
    expect(await names('吴中')).toEqual(['吴中大道快速化改造工程', '比亚迪新能源汽车零部件项目']);
    expect(await names('生态 吴中')).toEqual([]);
    expect(await names('xuanwu 生态')).toEqual(['南京玄武湖生态修复']);
    expect(await names('玄武 shengtai')).toEqual(['南京玄武湖生态修复']);
    expect(await names('南京 生态')).toEqual(['南京玄武湖生态修复']);
    // A unit answers to its short name when it has one, so a common word of full names ('镇人民政府') finds nothing.
    await t.db.updateTable('units').set({ name: '甪直镇人民政府', short_name: '甪直' }).where('id', '=', unitA).execute();
    expect(await names('新能源 人民')).toEqual([]);
    expect(await names('新能源 甪直')).toEqual(['比亚迪新能源汽车零部件项目']);
    await t.db.updateTable('units').set({ name: '甪直镇', short_name: null }).where('id', '=', unitA).execute();
  });

  it("limits a reporter to its unit's projects, in items and in totals", async () => {
    const body = (await t.app.inject({ url: '/api/v1/projects', headers: reporter })).json();
    expect(body.totals.count).toBe(1);
    expect(body.items.map((p: { unit_id: number }) => p.unit_id)).toEqual([unitA]);
    const other = await t.app.inject({ url: `/api/v1/projects/${body.items[0].id + 1}`, headers: reporter });
    expect(other.statusCode).toBe(404);
  });

  it('creates a project, validating the national code shape and uniqueness', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: office, payload: { name: 'X', region_code: '320506', unit_id: unitA, total_investment: 1, code: '2020-32' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('项目代码格式不正确');
    const payload = { name: '苏州湾数字产业园', region_code: '320506', unit_id: unitA, total_investment: 300_000_000, code: '2020-320506-44-01-12345X' };
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: office, payload });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: '苏州湾数字产业园', version: 1, total_investment: 300_000_000 });
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: office, payload });
    expect(dup.statusCode).toBe(409);
  });

  it('rejects a stale update with 409 and the current record, changing nothing', async () => {
    const id = (await t.app.inject({ url: '/api/v1/projects?q=快速化', headers: office })).json().items[0].id;
    const first = await t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${id}`, headers: office, payload: { version: 1, total_investment: 1 } });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const stale = await t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${id}`, headers: office, payload: { version: 1, total_investment: 2 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.current).toMatchObject({ version: 2, total_investment: 1 });
  });

  it('answers bad input with the one error shape', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: office, payload: { name: '', total_investment: -5 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed' });
    expect(res.body).not.toContain('at ');
  });
  // Last: it adds a project under 甪直镇, which the list and search tests above count.
  it('the response schemas of plans, procedures and the change history drop no stored field (issue 15)', async () => {
    const project = { id: await buildProject(t.db, { name: `响应字段核对项目${dialect}`, unit_id: unitA, total_investment: 1_000_000, stage: 'started' }) };
    const monthly = [100_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${project.id}/plans/2026`, headers: office, payload: { planned_investment: 100_000, monthly_plan: monthly } });
    expect(saved.statusCode, saved.body).toBe(200);
    // Every column of the plan row but the twelve month columns (folded into monthly_plan) reaches the client.
    const row = await t.db.selectFrom('annual_plans').selectAll().where('project_id', '=', project.id).executeTakeFirstOrThrow();
    const columns = Object.keys(row).filter((k) => !/^plan_m\d\d$/.test(k));
    const plans = (await t.app.inject({ url: `/api/v1/projects/${project.id}/plans`, headers: office })).json().items;
    expect(Object.keys(plans[0]).sort()).toEqual([...columns, 'monthly_plan'].sort());
    expect(plans[0]).toMatchObject({ year: 2026, planned_investment: 100_000, monthly_plan: monthly, version: 1 });
    expect(Object.keys(saved.json()).sort()).toEqual(Object.keys(plans[0]).sort());
    const procedure = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${project.id}/procedures/approval`, headers: office, payload: { status: 'done', doc_number: '吴发改审〔2026〕1号', approved_date: '2026-03-02' } });
    expect(procedure.statusCode, procedure.body).toBe(200);
    expect(procedure.json()).toMatchObject({ kind: 'approval', status: 'done', doc_number: '吴发改审〔2026〕1号', approved_date: '2026-03-02', note: null });
    expect(procedure.json().updated_at).toEqual(expect.any(String));
    const changes = (await t.app.inject({ url: `/api/v1/projects/${project.id}/changes`, headers: office })).json();
    expect(changes).toMatchObject({ page: 1, page_size: 20 });
    expect(changes.items.map((c: { kind: string }) => c.kind)).toEqual(expect.arrayContaining(['plan', 'procedure']));
  });
});
