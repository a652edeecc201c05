import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildWorkbook, multipartBody } from '../../../test/workbooks.ts';
import type { DataScope } from '../../context.ts';
import { listTotalsKept, ProjectRepository } from './project.repository.ts';
import { applyProjectFilter, withinScope, type ProjectFilter } from '../../platform/project-filter.ts';
import { currentYear } from './project.service.ts';
import { clock } from '../../clock.ts';
import { chinaToday } from '../../../core/clock.ts';

// Issue 16: the project list's totals (count, Σ total investment, Σ annual plan) over a filter of region, unit,
// stage, tier, major_only and year are summed from project_list_totals (migration 2026-12-12-50, kept by triggers),
// not from every matching row. Whatever writes projects or plans, they must equal a direct SUM over the rows.
describe.each(DIALECTS)('kept project list totals on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let unitA: { id: number; path: string };
  let unitB: { id: number; path: string };
  let root: { id: number; path: string };
  const YEAR = currentYear();

  type Req = { method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: object };
  const call = async ({ method = 'GET', url, payload }: Req) => {
    const res = await t.app.inject({ method, url, payload, headers: office });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const create = async (payload: object) => {
    const res = await call({ method: 'POST', url: '/api/v1/projects', payload: { region_code: '320506', unit_id: unitA.id, total_investment: 100_000_000, ...payload } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; version: number };
  };
  const plan = async (id: number, year: number, planned: number, version?: number) => {
    const res = await call({ method: 'PUT', url: `/api/v1/projects/${id}/plans/${year}`, payload: { planned_investment: planned, version } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  /** The totals as a direct SUM over the filtered projects joined to their plans of the year. */
  const direct = async (filter: ProjectFilter, scope: DataScope, year: number) => {
    const r = await applyProjectFilter(withinScope(t.db.selectFrom('projects'), scope), filter)
      .leftJoin('annual_plans as ap', (j) => j.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', year))
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        eb.fn.coalesce(eb.fn.sum<number>('projects.total_investment'), eb.lit(0)).as('total_investment'),
        eb.fn.coalesce(eb.fn.sum<number>('ap.planned_investment'), eb.lit(0)).as('annual_planned'),
      ]).executeTakeFirstOrThrow();
    return { count: Number(r.count), total_investment: Number(r.total_investment), annual_planned: Number(r.annual_planned) };
  };
  const kept = async (filter: ProjectFilter, scope: DataScope, year: number) => {
    const r = await new ProjectRepository(t.db).keptListTotals(filter, scope, year);
    return { count: Number(r.count), total_investment: Number(r.total_investment), annual_planned: Number(r.annual_planned) };
  };

  const FILTERS: ProjectFilter[] = [
    {}, { region: '320500' }, { region: '320506' }, { region: '320505', stage: 'started' },
    { stage: 'started,preliminary', tier: 'implementation' }, { major_only: true }, { year: YEAR }, { year: YEAR + 1 }, { region: '320506', year: YEAR, stage: 'started' },
  ];
  /** Every filter under three scopes and two plan years: the kept totals equal the direct SUM; and the API's list. */
  const expectExact = async () => {
    const scopes: DataScope[] = [
      { all: true, unitPaths: [], regionPaths: [] },
      { all: false, unitPaths: [], regionPaths: ['/320000/320500/320506/'] },
      { all: false, unitPaths: [unitA.path], regionPaths: [] },
    ];
    for (const filter of [...FILTERS, { unit: unitB.id }]) {
      for (const scope of scopes) {
        for (const year of filter.year ? [filter.year] : [YEAR, YEAR + 1]) {
          expect(listTotalsKept(filter, year)).toBe(true);
          expect(await kept(filter, scope, year), JSON.stringify({ filter, scope, year })).toEqual(await direct(filter, scope, year));
        }
      }
    }
    for (const query of ['', 'region=320506&stage=started', `year=${YEAR}`, 'major_only=true&tier=implementation', `unit=${unitB.id}`]) {
      const body = (await call({ url: `/api/v1/projects?${query}` })).body as { totals: { count: number; total_investment: number; annual_planned: number; year: number } };
      const { year, ...totals } = body.totals;
      // The office's scope: its unit's subtree.
      const scope: DataScope = { all: false, unitPaths: [root.path], regionPaths: [] };
      const filter = Object.fromEntries(new URLSearchParams(query)) as ProjectFilter;
      expect(totals, query).toEqual(await direct({ ...filter, major_only: filter.major_only ? true : undefined, year: filter.year ? Number(filter.year) : undefined, unit: filter.unit ? Number(filter.unit) : undefined }, scope, year));
    }
    expect(await new ProjectRepository(t.db).keptListTotalsDrift()).toEqual([]);
    // The search's narrow copy of the list keys and latest plans (SQLite) follows the same writes.
    expect(await new ProjectRepository(t.db).listRowsDrift()).toEqual([]);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    unitA = await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    unitB = await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    office = await t.login('office1');
  });
  afterAll(async () => t?.close());

  it('follows creates, edits, stage and tier changes, plans, deletion and restore', async () => {
    const a = await create({ name: '列表甲项目', stage: 'started' });
    const b = await create({ name: '列表乙项目', unit_id: unitB.id, total_investment: 250_000_000 });
    const c = await create({ name: '列表丙项目', region_code: '320505', stage: 'started' });
    await plan(a.id, YEAR, 80_000_000);
    await plan(b.id, YEAR, 20_000_000);
    await plan(b.id, YEAR + 1, 30_000_000);
    await plan(c.id, YEAR, 5_000_000);
    await expectExact();
    expect((await call({ url: '/api/v1/projects?region=320506' })).body.totals).toMatchObject({ count: 2, total_investment: 350_000_000, annual_planned: 100_000_000 });
    expect((await call({ url: '/api/v1/projects?region=320500&stage=started' })).body.totals).toMatchObject({ count: 2, total_investment: 200_000_000, annual_planned: 85_000_000 });

    // An edit of the total, the unit and the region; a plan changed and one deleted.
    expect((await call({ method: 'PATCH', url: `/api/v1/projects/${a.id}`, payload: { version: a.version, total_investment: 120_000_000, unit_id: unitB.id } })).status).toBe(200);
    expect((await call({ method: 'PATCH', url: `/api/v1/projects/${c.id}`, payload: { version: c.version, region_code: '320506' } })).status).toBe(200);
    await plan(a.id, YEAR, 90_000_000, 1);
    const bPlan = (await call({ url: `/api/v1/projects/${b.id}/plans` })).body.items.find((p: { year: number }) => p.year === YEAR + 1);
    expect((await call({ method: 'DELETE', url: `/api/v1/projects/${b.id}/plans/${YEAR + 1}?version=${bPlan.version}` })).status).toBe(204);
    await expectExact();

    // Stage and tier changes (a start dated today: it may not lie in the future); a sub-item under a package.
    expect((await call({ method: 'POST', url: `/api/v1/projects/${b.id}/stage`, payload: { to: 'started', event_date: chinaToday(clock.now()) } })).status).toBe(200);
    expect((await call({ method: 'POST', url: `/api/v1/projects/${c.id}/tier`, payload: { to: 'withdrawn', reason: '调整' } })).status).toBe(200);
    const sub = await create({ name: '列表甲项目子项', parent_id: a.id, total_investment: 40_000_000 });
    await plan(sub.id, YEAR, 10_000_000);
    await expectExact();

    // Deleted: out of every total with its plans; restored: back in.
    const current = (await call({ url: `/api/v1/projects/${b.id}` })).body as { version: number };
    expect((await call({ method: 'DELETE', url: `/api/v1/projects/${b.id}?version=${current.version}` })).status).toBe(204);
    await expectExact();
    expect((await call({ url: '/api/v1/projects?region=320506' })).body.totals.count).toBe(3);
    expect((await call({ method: 'POST', url: `/api/v1/projects/${b.id}/restore` })).status).toBe(200);
    await expectExact();
    expect((await call({ url: '/api/v1/projects?region=320506' })).body.totals.count).toBe(4);
  });

  it('follows imports of projects and plans, writes past the services and a hard delete', async () => {
    const post = (path: string, data: Buffer) => {
      const body = multipartBody('清单.xlsx', data);
      return t.app.inject({ method: 'POST', url: path, headers: { ...body.headers, ...office }, payload: body.payload });
    };
    const list = await buildWorkbook([{ name: '清单', rows: [
      ['项目名称', '所属地区', '责任单位', '总投资（万元）', `${YEAR}年计划投资（万元）`],
      ['列表导入一号项目', '吴中区', '甪直镇', 12_000, 3_000],
      ['列表导入二号项目', '吴中区', '临湖镇', 8_000, 2_000],
    ] }]);
    const applied = await post('/api/v1/imports/apply', list);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json(), applied.body).toMatchObject({ applied: true, summary: { created: 2 } });
    await expectExact();
    const plans = await buildWorkbook([{ name: '计划', rows: [
      ['项目名称', '所属地区', '年度', '年度计划投资（万元）'],
      ['列表导入一号项目', '吴中区', YEAR + 1, 4_000],
      ['列表导入二号项目', '吴中区', YEAR, 2_500],
    ] }]);
    const planned = await post('/api/v1/imports/apply?kind=plans', plans);
    expect(planned.statusCode, planned.body).toBe(200);
    expect(planned.json()).toMatchObject({ applied: true, summary: { plansCreated: 1, plansUpdated: 1 } });
    await expectExact();

    // Writes by other paths (a bulk UPDATE, the factory's insert) are kept by the same triggers.
    await t.db.updateTable('projects').set({ stage: 'completed' }).where('name', 'like', '列表导入%').execute();
    const extra = await buildProject(t.db, { name: '列表临时项目', unit_id: unitB.id, stage: 'started', total_investment: 7_000_000 });
    await t.db.insertInto('annual_plans').values({ project_id: extra, year: YEAR, planned_investment: 1_000_000, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).execute();
    await expectExact();
    // A hard delete takes the project's plans with it (the cascade).
    await t.db.deleteFrom('annual_plans').where('project_id', '=', extra).execute();
    await t.db.insertInto('annual_plans').values({ project_id: extra, year: YEAR + 1, planned_investment: 2_000_000, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).execute();
    expect(Number((await t.db.deleteFrom('projects').where('id', '=', extra).executeTakeFirst()).numDeletedRows)).toBe(1);
    await expectExact();
  });

  it('gives a searched list the totals of a direct SUM and the page of a direct sort, on every page and sort', async () => {
    // The page's statement carries the totals of a search as window aggregates (one match for both): they must not
    // depend on the page, its size or the sort, and a page past the end still has them.
    const scope: DataScope = { all: false, unitPaths: [root.path], regionPaths: [] };
    const searches: ProjectFilter[] = [
      { q: '列表' }, { q: '甪直' }, { region: '320500', q: '吴中' }, { region: '320500', q: '苏州' }, { region: '320506', q: '江苏 导入' },
      { q: 'lbdr' }, { q: '列表 临湖' }, { q: '没有这个词' }, { q: '列表', stage: 'completed' },
    ];
    let nonEmpty = 0;
    for (const filter of searches) {
      const expected = await direct(filter, scope, YEAR);
      if (expected.count > 0) nonEmpty++;
      for (const [sort, order] of [['id', 'asc'], ['total_investment', 'desc'], ['annual_planned', 'desc'], ['name', 'asc']] as const) {
        const ids = (await applyProjectFilter(withinScope(t.db.selectFrom('projects'), scope), filter)
          .leftJoin('annual_plans as ap', (j) => j.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', YEAR))
          .select('projects.id')
          .orderBy(sort === 'annual_planned' ? 'ap.planned_investment' : `projects.${sort}`, (ob) => order === 'asc' ? ob.asc() : ob.desc().nullsLast())
          .orderBy('projects.id', order).execute()).map((r) => r.id);
        for (const page of [1, 2, 50]) {
          const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, String(v)])), sort, order, page: String(page), page_size: '2' });
          const res = await call({ url: `/api/v1/projects?${query}` });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          const { year, ...totals } = (res.body as { totals: { year: number } }).totals;
          expect(year).toBe(YEAR);
          expect(totals, `${query}`).toEqual(expected);
          expect((res.body as { items: Array<{ id: number }> }).items.map((i) => i.id), `${query}`).toEqual(ids.slice((page - 1) * 2, page * 2));
        }
      }
    }
    // The searches are not vacuous: most find projects, and one finds more than a page.
    expect(nonEmpty).toBeGreaterThanOrEqual(6);
    expect((await direct({ q: '列表' }, scope, YEAR)).count).toBeGreaterThan(2);
  });

  it('reads the kept rows (a drifted row shows in the answer and in the drift check; the rebuild recounts it)', async () => {
    const before = (await call({ url: '/api/v1/projects?region=320506' })).body.totals;
    await t.db.insertInto('project_list_totals').values({ year: 0, region_code: '320506', unit_id: unitA.id, stage: 'zz', tier: 'implementation', major: 1, n: 5, total_investment: 1, planned_investment: 0 }).execute();
    expect((await call({ url: '/api/v1/projects?region=320506' })).body.totals.count).toBe(before.count + 5);
    // A filter the rollup is not kept by reads the projects.
    expect(listTotalsKept({ region: '320506', category: 'industry' }, YEAR)).toBe(false);
    expect(listTotalsKept({ q: '列表' }, YEAR)).toBe(false);
    expect(listTotalsKept({ has_code: false }, YEAR)).toBe(false);
    expect(listTotalsKept({ year: YEAR + 1 }, YEAR)).toBe(false);
    expect((await call({ url: '/api/v1/projects?region=320506&q=列表' })).body.totals.count).toBe(before.count);
    expect(await new ProjectRepository(t.db).keptListTotalsDrift()).toEqual([`list totals 0/320506/${unitA.id}/zz/implementation/1: kept 5,1,0, counted 0,0,0`]);
    await t.db.transaction().execute((tx) => new ProjectRepository(tx).rebuildKeptListTotals());
    expect(await new ProjectRepository(t.db).keptListTotalsDrift()).toEqual([]);
    expect((await call({ url: '/api/v1/projects?region=320506' })).body.totals).toEqual(before);
  });
});
