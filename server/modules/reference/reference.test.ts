import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';

describe.each(DIALECTS)('reference API on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;
  let root: number;

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, as?: LoginHeaders) => {
    const res = await t.app.inject({ method, url, payload, headers: as ?? office });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    root = (await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' })).id;
    const township = (await buildUnit(t.db, { name: '甪直镇', parentId: root, regionCode: '320506', kind: 'township' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root });
    await buildUser(t.db, { username: 'reporterA', role: 'reporter', unitId: township });
    office = await t.login('office1');
    reporter = await t.login('reporterA');
  });
  afterAll(async () => t?.close());

  it('reads children, a subtree to a depth, a region with its ancestors, and searches by name (the national tree the migrations load)', async () => {
    const provinces = (await call('GET', '/api/v1/regions')).body.items.map((r: { code: string }) => r.code);
    expect(provinces).toHaveLength(31);
    expect(provinces).toContain('320000');
    const suzhou = (await call('GET', '/api/v1/regions?parent=320500')).body.items.map((r: { name: string }) => r.name);
    expect(suzhou).toEqual(expect.arrayContaining(['虎丘区', '吴中区', '昆山市']));
    const subtree = (await call('GET', '/api/v1/regions/320000/subtree?depth=1')).body.items;
    expect(subtree.map((r: { code: string }) => r.code)).toHaveLength(13);
    expect(subtree.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['320100', '320500']));
    const region = (await call('GET', '/api/v1/regions/320506')).body;
    expect(region.ancestors.map((r: { name: string }) => r.name)).toEqual(['江苏省', '苏州市', '吴中区']);
    expect((await call('GET', `/api/v1/regions?q=${encodeURIComponent('玄武')}&under=320000`)).body.items.map((r: { code: string }) => r.code)).toContain('320102');
    expect((await call('GET', `/api/v1/regions?q=${encodeURIComponent('甪直')}&under=320500`)).body.items.map((r: { name: string }) => r.name)).toEqual(['甪直镇']);
    expect((await call('GET', '/api/v1/regions/999999')).status).toBe(404);
  });

  it('lets the office add, rename and delete custom areas (development zones), never national divisions', async () => {
    const created = await call('POST', '/api/v1/regions', { parent_code: '320506', name: '吴中经济技术开发区' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: '320506Z01', level: 4, is_custom: 1, path: '/320000/320500/320506/320506Z01/', parent_code: '320506' });
    const second = await call('POST', '/api/v1/regions', { parent_code: '320506', name: '太湖新城' });
    expect(second.body.code).toBe('320506Z02');
    expect((await call('POST', '/api/v1/regions', { parent_code: '320506', name: 'x' }, reporter)).status).toBe(403);
    // A project in the zone is found by the county's subtree filter.
    await buildProject(t.db, { name: '开发区标准厂房', unit_id: root, region_code: '320506Z01' });
    expect((await call('GET', '/api/v1/projects?region=320506')).body.totals.count).toBe(1);
    expect((await call('GET', '/api/v1/projects?region=320506Z01')).body.totals.count).toBe(1);
    expect((await call('PATCH', '/api/v1/regions/320506Z01', { name: '吴中经开区' })).body.name).toBe('吴中经开区');
    expect((await call('PATCH', '/api/v1/regions/320506', { name: '改名' })).status).toBe(422);
    expect((await call('DELETE', '/api/v1/regions/320506')).status).toBe(422);
    expect((await call('DELETE', '/api/v1/regions/320506Z01')).status).toBe(422); // a project is there
    expect((await call('DELETE', '/api/v1/regions/320506Z02')).status).toBe(204);
    expect((await call('GET', '/api/v1/regions/320506Z02')).status).toBe(404);
  });

  it('creates units, moves a subtree keeping materialized paths right, and refuses deleting a unit in use', async () => {
    const a = await call('POST', '/api/v1/units', { name: '城南街道', parent_id: root, region_code: '320506', kind: 'township' });
    expect(a.status).toBe(201);
    expect(a.body.path).toBe(`/${root}/${a.body.id}/`);
    const child = (await call('POST', '/api/v1/units', { name: '城南街道经发办', parent_id: a.body.id })).body;
    expect(child.path).toBe(`/${root}/${a.body.id}/${child.id}/`);
    const b = (await call('POST', '/api/v1/units', { name: '教育局', parent_id: root })).body;
    const moved = await call('PATCH', `/api/v1/units/${a.body.id}`, { parent_id: b.id, short_name: '城南' });
    expect(moved.body).toMatchObject({ parent_id: b.id, short_name: '城南', path: `/${root}/${b.id}/${a.body.id}/` });
    expect((await call('GET', `/api/v1/units/${child.id}`)).body.path).toBe(`/${root}/${b.id}/${a.body.id}/${child.id}/`);
    expect((await call('PATCH', `/api/v1/units/${b.id}`, { parent_id: child.id })).status).toBe(422);
    expect((await call('PATCH', `/api/v1/units/${b.id}`, { parent_id: b.id })).status).toBe(422);
    // The unit filter follows the moved subtree.
    await buildProject(t.db, { name: '经发办项目', unit_id: child.id });
    expect((await call('GET', `/api/v1/projects?unit=${b.id}`)).body.totals.count).toBe(1);
    expect((await call('DELETE', `/api/v1/units/${a.body.id}`)).status).toBe(422);
    expect((await call('DELETE', `/api/v1/units/${child.id}`)).body.error.message).toContain('1 个项目');
    expect((await call('POST', '/api/v1/units', { name: 'x' }, reporter)).status).toBe(403);
    const empty = (await call('POST', '/api/v1/units', { name: '临时单位' })).body;
    expect((await call('DELETE', `/api/v1/units/${empty.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/units/${empty.id}`)).status).toBe(404);
    expect((await call('GET', '/api/v1/units', undefined, reporter)).body.items.map((u: { name: string }) => u.name)).not.toContain('临时单位');
  });

  it('finds regions within a jurisdiction by name, full pinyin or initials, and units by short name', async () => {
    const codes = async (q: string) => (await call('GET', `/api/v1/regions?q=${encodeURIComponent(q)}&under=320500`)).body.items.map((r: { code: string }) => r.code);
    expect(await codes('吴中')).toEqual(['320506', '320506Z01']); // 吴中经开区, added above
    expect(await codes('wuzhong')).toEqual(['320506', '320506Z01']);
    expect(await codes('WZQ')).toEqual(['320506']);
    expect(await codes('suzhou')).toEqual(['320500']);
    expect(await codes('xuanwu')).toEqual([]);
    expect((await call('GET', `/api/v1/regions?q=xuanwu&under=999999`)).status).toBe(404);
    expect((await call('GET', '/api/v1/regions?parent=320500')).body.items[1].search_text).toContain('wuzhongqu');
    await call('POST', '/api/v1/units', { name: '吴中区住房和城乡建设局', short_name: '区住建局', parent_id: root });
    const unit = (await call('GET', '/api/v1/units')).body.items.find((u: { name: string }) => u.name === '吴中区住房和城乡建设局');
    expect(unit.search_text).toContain('住建');
    expect(unit.search_text).toContain('zhujian');
  });

  it('names the lowest region holding every unit and project as the data root', async () => {
    expect((await call('GET', '/api/v1/regions/data-root')).body.region).toMatchObject({ code: '320506', name: '吴中区' });
    await buildProject(t.db, { name: '玄武项目', unit_id: root, region_code: '320102' });
    expect((await call('GET', '/api/v1/regions/data-root', undefined, reporter)).body.region).toMatchObject({ code: '320000', name: '江苏省' });
  });
});
