import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { listRowsAnswer, ProjectRepository } from './project.repository.ts';
import { currentYear } from './project.service.ts';
import { systemActor } from '../../context.ts';
import { applyProjectFilter, NAME_LIST_MAX, resolveSearch, withinScope, type ProjectFilter } from '../../platform/project-filter.ts';

// Issue 16: a search term's region and unit names are resolved before the project query (resolveSearch), so a term
// naming no region or unit asks only the name index. The resolved query must keep every answer of the sub-query form.
describe.each(DIALECTS)('search terms resolved to region and unit names on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  const names = new Map<number, string>();

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await buildRegions(t.db);
    const office = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    const luzhi = await buildUnit(t.db, { name: '甪直镇人民政府', parentId: office.id, regionCode: '320506', kind: 'township' });
    await t.db.updateTable('units').set({ short_name: '甪直' }).where('id', '=', luzhi.id).execute();
    const linhu = await buildUnit(t.db, { name: '临湖镇', parentId: office.id, regionCode: '320506', kind: 'township' });
    for (const [name, unit, region] of [
      ['比亚迪新能源汽车零部件项目', luzhi.id, '320506'],
      ['吴中大道快速化改造工程', linhu.id, '320506'],
      ['虎丘湿地公园提升工程', linhu.id, '320505'],
      ['南京玄武湖生态修复', linhu.id, '320102'],
      // A double quote in a name: the SQLite search's MATCH phrase must take it literally (doubled inside the phrase).
      ['新"港"物流园', luzhi.id, '320104'],
    ] as const) names.set(await buildProject(t.db, { name, unit_id: unit, region_code: region }), name);
  });
  afterAll(async () => t?.destroy());

  const found = async (filter: ProjectFilter, resolved: boolean) => {
    const f = resolved ? await resolveSearch(t.db, filter) : filter;
    const rows = await applyProjectFilter(withinScope(t.db.selectFrom('projects').select('projects.id'), systemActor().scope), f).execute();
    return rows.map((r) => names.get(r.id)).filter((n) => n !== undefined).sort();
  };

  it('finds by a region of the filter, the filter region itself, an ancestor, a unit, or the name, as the sub-query form does', async () => {
    const cases: Array<[string | undefined, string, string[]]> = [
      ['320500', '吴中', ['吴中大道快速化改造工程', '比亚迪新能源汽车零部件项目']],
      ['320500', '苏州', ['吴中大道快速化改造工程', '比亚迪新能源汽车零部件项目', '虎丘湿地公园提升工程']],
      ['320500', '江苏', ['吴中大道快速化改造工程', '比亚迪新能源汽车零部件项目', '虎丘湿地公园提升工程']],
      ['320506', '苏州 改造', ['吴中大道快速化改造工程']],
      ['320500', '江苏 新能源', ['比亚迪新能源汽车零部件项目']],
      ['320500', '南京', []],
      ['320500', '虎丘', ['虎丘湿地公园提升工程']],
      ['320100', '临湖', ['南京玄武湖生态修复']],
      ['320100', '吴中', []],
      ['320500', '甪直', ['比亚迪新能源汽车零部件项目']],
      // '人民' is in the full name of 甪直镇人民政府 only, not its short name.
      ['320500', '人民', []],
      ['320500', '新能源', ['比亚迪新能源汽车零部件项目']],
      ['320500', 'xnyqc', ['比亚迪新能源汽车零部件项目']],
      ['320500', 'XinNengYuan', ['比亚迪新能源汽车零部件项目']],
      ['320100', '新"港', ['新"港"物流园']],
      ['320100', '"港"', ['新"港"物流园']],
      ['320100', '"港" 物流', ['新"港"物流园']],
      ['320500', '湿地', ['虎丘湿地公园提升工程']],
      [undefined, '江苏 生态', ['南京玄武湖生态修复']],
      [undefined, '临湖', ['南京玄武湖生态修复', '吴中大道快速化改造工程', '虎丘湿地公园提升工程']],
      [undefined, '玄武', ['南京玄武湖生态修复']],
      ['999999', '吴中', []],
      ['320500', '100%', []],
    ];
    for (const [region, q, expected] of cases) {
      const filter: ProjectFilter = { region, q };
      expect(await found(filter, true), `${region} ${q}`).toEqual(expected);
      expect(await found(filter, false), `${region} ${q} (sub-queries)`).toEqual(expected);
    }
  });

  it('binds names as values, and a sub-query only past NAME_LIST_MAX', async () => {
    const none = await resolveSearch(t.db, { region: '320500', q: '新能源' });
    expect(none.resolvedTerms).toEqual([{ term: '新能源', matchesAll: false, regionCodes: [], unitIds: [], ftsMatch: dialect === 'sqlite' }]);
    const ancestor = await resolveSearch(t.db, { region: '320506', q: '江苏' });
    expect(ancestor.resolvedTerms?.[0]?.matchesAll).toBe(true);
    // '区' names thousands of regions of the national tree: without a region filter the list is too long to bind.
    const wide = await resolveSearch(t.db, { q: '区' });
    expect(wide.resolvedTerms?.[0]?.regionCodes).toBeNull();
    expect(NAME_LIST_MAX).toBeGreaterThan(0);
    expect(await found({ q: '吴中 区' }, true)).toEqual(await found({ q: '吴中 区' }, false));
  });
});

// Issue 16: every search form through the list API — a Chinese substring, full pinyin, initials, traditional
// characters, mixed case — alone and with region, unit, stage and major filters, with exact
// totals and pages. On SQLite these searches read the narrow copy project_list_rows (migration 2026-12-15-10) and its
// latest plan per project; the plan years below take each of its branches (this year's plan, only an earlier year's,
// a later year's beside this year's, only a later year's). The reference is a direct LIKE over projects.search_text.
describe.each(DIALECTS)('the searched project list on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let root: { id: number; path: string };
  let unitA: { id: number; path: string };
  let unitB: { id: number; path: string };
  const YEAR = currentYear();
  const ids = new Map<string, number>();

  const list = async (query: Record<string, string>) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/projects?${new URLSearchParams(query)}`, headers: office });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Array<{ id: number }>; totals: { count: number; total_investment: number; annual_planned: number; year: number } }>();
  };
  /** The reference: live projects (the office sees all) whose search_text holds every folded term, sorted as asked. */
  const direct = async (terms: string[], extra: { regionPrefix?: string; unit?: number; stage?: 'started'; major?: boolean }, sort: 'id' | 'total_investment') => {
    let qb = t.db.selectFrom('projects')
      .leftJoin('annual_plans as ap', (j) => j.onRef('ap.project_id', '=', 'projects.id').on('ap.year', '=', YEAR))
      .select(['projects.id', 'projects.total_investment', 'ap.planned_investment'])
      .where('projects.deleted_at', 'is', null);
    for (const term of terms) qb = qb.where('projects.search_text', 'like', `%${term}%`);
    if (extra.regionPrefix) qb = qb.where('projects.region_code', 'like', `${extra.regionPrefix}%`);
    if (extra.unit) qb = qb.where('projects.unit_id', '=', extra.unit);
    if (extra.stage) qb = qb.where('projects.stage', '=', extra.stage);
    if (extra.major) qb = qb.where('projects.parent_id', 'is', null);
    const rows = await qb.orderBy(`projects.${sort}`, sort === 'id' ? 'asc' : 'desc').orderBy('projects.id', sort === 'id' ? 'asc' : 'desc').execute();
    return {
      ids: rows.map((r) => r.id),
      totals: { count: rows.length, total_investment: rows.reduce((s, r) => s + Number(r.total_investment), 0), annual_planned: rows.reduce((s, r) => s + Number(r.planned_investment ?? 0), 0) },
    };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    unitA = await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    unitB = await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    const outside = await buildUnit(t.db, { name: '虎丘区发改局', kind: 'office', regionCode: '320505' });
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    office = await t.login('office1');
    const at = new Date().toISOString();
    const plan = (project: number, year: number, planned: number) => t.db.insertInto('annual_plans')
      .values({ project_id: project, year, planned_investment: planned, created_at: at, updated_at: at }).execute();
    const make = async (name: string, attrs: { unit: number; region: string; stage: 'started' | 'preliminary'; total: number; parent?: string }) => {
      const id = await buildProject(t.db, { name, unit_id: attrs.unit, region_code: attrs.region, stage: attrs.stage, total_investment: attrs.total, parent_id: attrs.parent ? ids.get(attrs.parent) : null });
      ids.set(name, id);
      return id;
    };
    await plan(await make('比亚迪新能源汽车零部件项目', { unit: unitA.id, region: '320506', stage: 'started', total: 500_000_000 }), YEAR, 100_000_000);
    // Only an earlier year's plan: none this year.
    await plan(await make('新能源汽车产业园二期', { unit: unitB.id, region: '320506', stage: 'preliminary', total: 300_000_000 }), YEAR - 1, 70_000_000);
    // This year's plan and a later one (the latest): this year's is looked up.
    const storage = await make('吴中新能源储能电站', { unit: unitA.id, region: '320505', stage: 'started', total: 200_000_000 });
    await plan(storage, YEAR, 40_000_000);
    await plan(storage, YEAR + 1, 60_000_000);
    // Only a later year's plan: none this year.
    await plan(await make('轨道交通新能源公交枢纽', { unit: unitB.id, region: '320506', stage: 'started', total: 250_000_000 }), YEAR + 1, 9_000_000);
    // Traditional characters in the name: the search text is folded to simplified.
    await plan(await make('新能源車輛檢測中心', { unit: unitA.id, region: '320506', stage: 'started', total: 120_000_000 }), YEAR, 30_000_000);
    await make('新能源车辆检测中心附属工程', { unit: unitA.id, region: '320506', stage: 'started', total: 15_000_000, parent: '新能源車輛檢測中心' });
    await make('苏州湾文化中心', { unit: unitA.id, region: '320506', stage: 'started', total: 900_000_000 });
    const gone = await make('新能源废弃项目', { unit: unitA.id, region: '320506', stage: 'started', total: 50_000_000 });
    await t.db.updateTable('projects').set({ deleted_at: at }).where('id', '=', gone).execute();
    // Another office's project: this office sees every project (its role's scope).
    await make('新能源物流园', { unit: outside.id, region: '320505', stage: 'started', total: 80_000_000 });
  });
  afterAll(async () => t?.close());

  // [q, folded terms, extra filter (query and reference), expected count]
  const CASES: Array<[string, string[], Record<string, string>, { regionPrefix?: string; unit?: 'A' | 'B'; stage?: 'started'; major?: boolean }, number]> = [
    ['新能源', ['新能源'], {}, {}, 7],
    ['xinnengyuan', ['xinnengyuan'], {}, {}, 7],
    ['XinNengYuan', ['xinnengyuan'], {}, {}, 7],
    ['xny', ['xny'], {}, {}, 7],
    ['xnyqc', ['xnyqc'], {}, {}, 2],
    ['車輛檢測', ['车辆检测'], {}, {}, 2],
    ['车辆检测', ['车辆检测'], {}, {}, 2],
    ['cljc', ['cljc'], {}, {}, 2],
    ['新能源', ['新能源'], { region: '320506' }, { regionPrefix: '320506' }, 5],
    ['xny', ['xny'], { region: '320505' }, { regionPrefix: '320505' }, 2],
    ['新能源', ['新能源'], { stage: 'started' }, { stage: 'started' }, 6],
    ['新能源', ['新能源'], { region: '320506', stage: 'started' }, { regionPrefix: '320506', stage: 'started' }, 4],
    ['新能源', ['新能源'], { unit: 'B' }, { unit: 'B' }, 2],
    ['新能源', ['新能源'], { major_only: 'true' }, { major: true }, 6],
    ['新能源 汽车', ['新能源', '汽车'], {}, {}, 2],
    ['新能源 中心', ['新能源', '中心'], {}, {}, 2],
    ['没有这个词', ['没有这个词'], {}, {}, 0],
  ];
  const check = async () => {
    for (const [q, terms, query, extra] of CASES) {
      for (const sort of ['total_investment', 'id'] as const) {
        const unit = extra.unit === 'A' ? unitA.id : extra.unit === 'B' ? unitB.id : undefined;
        const expected = await direct(terms, { ...extra, unit }, sort);
        const params = { ...query, ...(unit ? { unit: String(unit) } : {}), q, sort, order: sort === 'id' ? 'asc' : 'desc', page_size: '2' };
        const first = await list({ ...params, page: '1' });
        expect(first.totals, `${q} ${JSON.stringify(params)}`).toEqual({ ...expected.totals, year: YEAR });
        expect(first.items.map((i) => i.id), `${q} ${JSON.stringify(params)}`).toEqual(expected.ids.slice(0, 2));
        expect((await list({ ...params, page: '2' })).items.map((i) => i.id)).toEqual(expected.ids.slice(2, 4));
      }
    }
  };

  it('answers each search form, alone and with filters, with exact totals and pages', async () => {
    // The counts are fixed here too: the reference cannot agree with the list by being wrong the same way.
    for (const [q, terms, , extra, count] of CASES) {
      const unit = extra.unit === 'A' ? unitA.id : extra.unit === 'B' ? unitB.id : undefined;
      expect((await direct(terms, { ...extra, unit }, 'id')).totals.count, q).toBe(count);
    }
    // Each plan-year case counts this year's plan only: 1e8 + 4e7 + 3e7.
    expect((await list({ q: '新能源' })).totals).toMatchObject({ count: 7, total_investment: 1_465_000_000, annual_planned: 170_000_000 });
    await check();
    // On SQLite these searches take the narrow copy; a short term or a category does not.
    expect(listRowsAnswer({ q: '新能源', region: '320506', stage: 'started', sort: 'total_investment' })).toBe(true);
    expect(listRowsAnswer({ q: '新能', sort: 'total_investment' })).toBe(false);
    expect(listRowsAnswer({ q: '新能源', category: 'industry', sort: 'id' })).toBe(false);
    expect(listRowsAnswer({ q: '新能源', sort: 'name' })).toBe(false);
  });

  it('follows plans, stage and total changes, deletion and restore', async () => {
    const at = new Date().toISOString();
    const park = ids.get('新能源汽车产业园二期')!;
    const hub = ids.get('轨道交通新能源公交枢纽')!;
    const storage = ids.get('吴中新能源储能电站')!;
    // A plan this year for the project with an earlier one; this year's plan removed where a later one stays.
    await t.db.insertInto('annual_plans').values({ project_id: park, year: YEAR, planned_investment: 11_000_000, created_at: at, updated_at: at }).execute();
    await t.db.deleteFrom('annual_plans').where('project_id', '=', storage).where('year', '=', YEAR).execute();
    await t.db.updateTable('annual_plans').set({ planned_investment: 12_000_000 }).where('project_id', '=', hub).execute();
    await t.db.updateTable('annual_plans').set({ year: YEAR }).where('project_id', '=', hub).execute();
    await t.db.updateTable('projects').set({ stage: 'preliminary', total_investment: 260_000_000 }).where('id', '=', hub).execute();
    await t.db.updateTable('projects').set({ deleted_at: at }).where('id', '=', ids.get('比亚迪新能源汽车零部件项目')!).execute();
    expect((await list({ q: '新能源' })).totals).toMatchObject({ count: 6, annual_planned: 11_000_000 + 12_000_000 + 30_000_000 });
    await check();
    await t.db.updateTable('projects').set({ deleted_at: null }).where('id', '=', ids.get('比亚迪新能源汽车零部件项目')!).execute();
    await check();
    expect(await new ProjectRepository(t.db).listRowsDrift()).toEqual([]);
  });

  it.runIf(dialect === 'sqlite')('reads the narrow copy on SQLite: a drifted row shows in the answer and in the drift check; the rebuild restores it', async () => {
    const id = ids.get('新能源汽车产业园二期')!;
    const before = (await list({ q: '新能源' })).totals;
    await sql`update project_list_rows set total_investment = total_investment + 1 where id = ${id}`.execute(t.db);
    expect((await list({ q: '新能源' })).totals.total_investment).toBe(before.total_investment + 1);
    expect(await new ProjectRepository(t.db).listRowsDrift()).toEqual([`list rows: project ${id} differs (counted side)`, `list rows: project ${id} differs (kept side)`]);
    await t.db.transaction().execute((tx) => new ProjectRepository(tx).rebuildListRows());
    expect(await new ProjectRepository(t.db).listRowsDrift()).toEqual([]);
    expect((await list({ q: '新能源' })).totals).toEqual(before);
  });
});
