import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { buildProject, buildRegions, buildUnit } from '../../../test/factories.ts';
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
