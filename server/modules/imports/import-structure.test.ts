import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeps } from '../../deps.ts';
import { createImportService, type ImportReport } from './index.ts';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import type ExcelJS from 'exceljs';
import { buildWorkbook, multipartBody, readWorkbook } from '../../../test/workbooks.ts';
import { systemActor } from '../../context.ts';

// Levels (项目级别), lead units (牵头单位), packages and their sub-items (打包项目), and the uploaded file's name.

describe.each(DIALECTS)('imports of levels, lead units and packages on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let luzhi: number;
  let linhu: number;
  let housing: number;

  const post = async (path: string, file: string, data: Buffer) => {
    const body = multipartBody(file, data);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/imports/${path}`, headers: { ...body.headers, ...office }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportReport>();
  };
  const dryRun = (data: Buffer, file = 'x.xlsx') => post('dry-run', file, data);
  const apply = (data: Buffer, file = 'x.xlsx') => post('apply', file, data);
  const levelsOf = async (name: string) => {
    const p = await t.db.selectFrom('projects').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return (await t.db.selectFrom('project_levels').select('level').where('project_id', '=', p.id).execute()).map((r) => r.level).sort();
  };
  const project = (name: string) => t.db.selectFrom('projects').selectAll().where('name', '=', name).execute();
  const errorsOf = (report: ImportReport) => report.problems.filter((p) => p.severity === 'error');

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    luzhi = (await buildUnit(t.db, { name: '甪直镇人民政府', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    await t.db.updateTable('units').set({ short_name: '甪直镇' }).where('id', '=', luzhi).execute();
    linhu = (await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    housing = (await buildUnit(t.db, { name: '吴中区住房和城乡建设局', parentId: root.id, regionCode: '320506' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    office = await t.login('office1');
  });
  afterAll(async () => t?.close());

  describe('project levels', () => {
    const head = ['项目名称', '所属地区', '责任单位', '总投资（万元）', '项目级别'];

    it('reads several levels from one 项目级别 cell and reports unknown ones by row and column', async () => {
      const bad = await buildWorkbook([{ name: '清单', rows: [head, ['级别甲', '吴中区', '甪直镇', 100, '省重点、部重点']] }]);
      const report = await dryRun(bad);
      expect(errorsOf(report)).toEqual([expect.objectContaining({ sheet: '清单', row: 2, column: 'E', message: expect.stringContaining('无法识别“部重点”') })]);

      const file = await buildWorkbook([{ name: '清单', rows: [
        head,
        ['级别甲', '吴中区', '甪直镇', 100, '省重点、市重点'],
        ['级别乙', '吴中区', '甪直镇', 100, '省市重点'],
        ['级别丙', '吴中区', '甪直镇', 100, '省级'],
        ['级别丁', '吴中区', '甪直镇', 100, '市"重中之重"'],
        ['级别戊', '吴中区', '甪直镇', 100, null],
      ] }]);
      expect(await apply(file)).toMatchObject({ applied: true, summary: { created: 5, errors: 0 } });
      expect(await levelsOf('级别甲')).toEqual(['city', 'province']);
      expect(await levelsOf('级别乙')).toEqual(['city', 'province']);
      expect(await levelsOf('级别丙')).toEqual(['province']);
      expect(await levelsOf('级别丁')).toEqual(['city']);
      expect(await levelsOf('级别戊')).toEqual([]);
      expect((await project('级别丁'))[0]).toMatchObject({ is_key_of_key: 1 });
      expect((await project('级别甲'))[0]).toMatchObject({ is_key_of_key: 0 });

      // The same file again changes nothing.
      const before = await t.db.selectFrom('projects').select(['id', 'version']).orderBy('id').execute();
      expect(await apply(file)).toMatchObject({ applied: true, summary: { created: 0, updated: 0, unchanged: 5 } });
      expect(await t.db.selectFrom('projects').select(['id', 'version']).orderBy('id').execute()).toEqual(before);
    });

    it('updates a changed level set, and leaves it alone when the cell is blank', async () => {
      const file = await buildWorkbook([{ name: '清单', rows: [
        head,
        ['级别甲', '吴中区', '甪直镇', 100, '国家重点、省重点'],
        ['级别乙', '吴中区', '甪直镇', 100, null],
        ['级别丙', '吴中区', '甪直镇', 100, '无'],
      ] }]);
      const report = await apply(file);
      expect(report.summary).toMatchObject({ updated: 2, unchanged: 1 });
      expect(report.outcomes.find((o) => o.row === 2)).toMatchObject({ action: 'update', changes: ['项目级别'] });
      expect(await levelsOf('级别甲')).toEqual(['national', 'province']);
      expect(await levelsOf('级别乙')).toEqual(['city', 'province']);
      expect(await levelsOf('级别丙')).toEqual([]);
      const audit = await t.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'project.import_update').orderBy('seq', 'desc').limit(2).execute();
      expect(audit.map((a) => JSON.parse(a.after_json!).levels).sort()).toEqual([[], ['national', 'province']]);
    });

    it('reads tick columns, flat (省重点) and under a merged 项目级别 header', async () => {
      const merged = await buildWorkbook([{ name: '清单', rows: [
        ['项目名称', '所属地区', '责任单位', '总投资（万元）', '项目级别', null, null, null],
        [null, null, null, null, '国家', '省级', '市级', '县级'],
        ['勾选甲', '吴中区', '甪直镇', 100, null, '✓', '√', null],
        ['勾选乙', '吴中区', '甪直镇', 100, '是', null, null, 1],
        ['勾选丙', '吴中区', '甪直镇', 100, null, null, null, null],
      ], merges: ['A1:A2', 'B1:B2', 'C1:C2', 'D1:D2', 'E1:H1'] }]);
      const report = await apply(merged);
      expect(report.sheets[0]!.columns.map((c) => c.field)).toEqual(expect.arrayContaining(['level_national', 'level_province', 'level_city', 'level_county']));
      expect(report.sheets[0]!.columns.some((c) => c.field === 'fund_province')).toBe(false);
      // The streaming reader (no merge information) infers the same header.
      const service = createImportService(createDeps(t.db));
      const streamed = await service.importFile(systemActor(), merged, { kind: 'projects', fileName: 'x.xlsx', dryRun: true, mode: 'stream' });
      expect(streamed.sheets[0]!.columns).toEqual(report.sheets[0]!.columns);
      expect(await levelsOf('勾选甲')).toEqual(['city', 'province']);
      expect(await levelsOf('勾选乙')).toEqual(['county', 'national']);
      expect(await levelsOf('勾选丙')).toEqual([]);

      // Flat tick headers: a blank next to a tick means "no"; a row with no tick keeps its levels.
      const flat = await buildWorkbook([{ name: '清单', rows: [
        ['项目名称', '所属地区', '省重点', '市重点'],
        ['勾选甲', '吴中区', '√', null],
        ['勾选乙', '吴中区', null, null],
        ['勾选丙', '吴中区', '否', '有点'],
      ] }]);
      const bad = await dryRun(flat);
      expect(errorsOf(bad)).toEqual([expect.objectContaining({ row: 4, column: 'D', message: expect.stringContaining('应打“√”') })]);
      const fixed = await buildWorkbook([{ name: '清单', rows: [
        ['项目名称', '所属地区', '省重点', '市重点'],
        ['勾选甲', '吴中区', '√', null],
        ['勾选乙', '吴中区', null, null],
      ] }]);
      expect((await apply(fixed)).summary).toMatchObject({ updated: 1, unchanged: 1 });
      expect(await levelsOf('勾选甲')).toEqual(['province']);
      expect(await levelsOf('勾选乙')).toEqual(['county', 'national']);
      expect((await apply(fixed)).summary).toMatchObject({ updated: 0, unchanged: 2 });
    });
  });

  describe('lead units', () => {
    it('matches 牵头单位 to the unit tree with traditional characters and spaces folded, and names unknown units', async () => {
      const file = await buildWorkbook([{ name: '清单', rows: [
        ['项目名称', '所属地区', '责任单位', '牵头单位', '总投资（万元）'],
        ['牵头甲', '吴中区', '甪直镇', '吳中區住房和城鄉建設局', 100],
        ['牵头乙', '吴中区', '甪直镇', '吴中区　住房和城乡建设局 ', 100],
        ['牵头丙', '吴中区', '甪直镇', '吴中区交通运输局', 100],
      ] }]);
      const report = await dryRun(file);
      expect(errorsOf(report)).toEqual([expect.objectContaining({ row: 4, column: 'D', message: expect.stringContaining('牵头单位“吴中区交通运输局”不存在：可在导入时选择“建立缺少的单位”') })]);
      const fixed = await buildWorkbook([{ name: '清单', rows: [
        ['项目名称', '所属地区', '责任单位', '牵头单位', '总投资（万元）'],
        ['牵头甲', '吴中区', '甪直镇', '吳中區住房和城鄉建設局', 100],
        ['牵头乙', '吴中区', '甪直镇', '吴中区　住房和城乡建设局 ', 100],
      ] }]);
      expect(await apply(fixed)).toMatchObject({ applied: true, summary: { created: 2 } });
      for (const name of ['牵头甲', '牵头乙']) expect((await project(name))[0]).toMatchObject({ unit_id: luzhi, lead_unit_id: housing });
      expect((await apply(fixed)).summary).toMatchObject({ unchanged: 2, updated: 0 });
      // A changed lead unit updates.
      const moved = await buildWorkbook([{ name: '清单', rows: [['项目名称', '所属地区', '牵头单位'], ['牵头甲', '吴中区', '临湖镇']] }]);
      const r = await apply(moved);
      expect(r.outcomes[0]).toMatchObject({ action: 'update', changes: ['责任单位', '牵头单位'] });
    });

    it('takes the lead unit as the responsible unit when the sheet has no 责任单位 column', async () => {
      const file = await buildWorkbook([{ name: '清单', rows: [['项目名称', '所属地区', '牵头单位', '总投资（万元）'], ['牵头丁', '吴中区', '临湖镇', 100]] }]);
      expect(await apply(file)).toMatchObject({ applied: true, summary: { created: 1 } });
      expect((await project('牵头丁'))[0]).toMatchObject({ unit_id: linhu, lead_unit_id: linhu });
    });
  });

  describe('packages and sub-items', () => {
    beforeEach(async () => {
      await t.db.deleteFrom('annual_plans').execute();
      await t.db.deleteFrom('project_levels').execute();
      await t.db.updateTable('projects').set({ parent_id: null }).execute();
      await t.db.deleteFrom('project_stage_history').execute();
      await t.db.deleteFrom('projects').execute();
    });
    const head = ['序号', '项目名称', '所属地区', '责任单位', '总投资（万元）'];

    it('places sub-items by 序号 (1.1, （1）, ①) and by "其中：", once each in the summary, idempotently', async () => {
      const file = await buildWorkbook([{ name: '清单', rows: [
        ['2026年重点项目清单'],
        head,
        ['一、加快建设'],
        [1, '城南片区基础设施打包项目', '吴中区', '甪直镇', 3000],
        ['1.1', '道路工程', null, null, 1000],
        ['1.2', '管网工程', null, null, 2000],
        [2, '独立项目甲', '吴中区', '临湖镇', 500],
        [3, '城北片区基础设施打包项目', '吴中区', '临湖镇', 800],
        ['（1）', '道路工程', null, null, 300],
        ['（2）', '绿化工程', null, '甪直镇', 500],
        [4, '乡村振兴打包项目', '吴中区', '临湖镇', 90],
        ['①', '东村改造', null, null, 40],
        ['②', '西村改造', null, null, 50],
        [5, '教育设施打包项目', '吴中区', '甪直镇', 700],
        [null, '其中：实验小学', null, null, 400],
        [null, '实验中学', null, null, 300],
        [6, '独立项目乙', '吴中区', '甪直镇', 100],
        ['合计', null, null, null, 5690],
      ] }]);
      const dry = await dryRun(file);
      expect(errorsOf(dry)).toEqual([]);
      expect(dry.summary).toMatchObject({ rows: 14, created: 14, packages: 4, subItems: 8, skipped: 2 });
      const report = await apply(file);
      expect(report).toMatchObject({ applied: true, summary: { created: 14, packages: 4, subItems: 8 } });

      const rows = await t.db.selectFrom('projects').select(['id', 'name', 'parent_id', 'is_package', 'region_code', 'unit_id', 'total_investment']).orderBy('id').execute();
      const id = (name: string, parent?: number) => rows.find((r) => r.name === name && (parent === undefined || r.parent_id === parent))!.id;
      const south = id('城南片区基础设施打包项目');
      const north = id('城北片区基础设施打包项目');
      const village = id('乡村振兴打包项目');
      const school = id('教育设施打包项目');
      const shape = Object.fromEntries(rows.map((r) => [`${r.name}@${r.parent_id ?? ''}`, [r.parent_id, r.is_package]]));
      expect(shape).toEqual({
        '城南片区基础设施打包项目@': [null, 1], [`道路工程@${south}`]: [south, 0], [`管网工程@${south}`]: [south, 0],
        '独立项目甲@': [null, 0], '城北片区基础设施打包项目@': [null, 1], [`道路工程@${north}`]: [north, 0], [`绿化工程@${north}`]: [north, 0],
        '乡村振兴打包项目@': [null, 1], [`东村改造@${village}`]: [village, 0], [`西村改造@${village}`]: [village, 0],
        '教育设施打包项目@': [null, 1], [`实验小学@${school}`]: [school, 0], [`实验中学@${school}`]: [school, 0], '独立项目乙@': [null, 0],
      });
      // Sub-items left blank take their package's region and unit; their own unit wins.
      expect(rows.find((r) => r.id === id('道路工程', north))).toMatchObject({ region_code: '320506', unit_id: linhu, total_investment: 3_000_000 });
      expect(rows.find((r) => r.id === id('绿化工程', north))).toMatchObject({ unit_id: luzhi });

      // A stored sub-item keeps its own unit where the file leaves the cell blank.
      await t.db.updateTable('projects').set({ unit_id: luzhi }).where('id', '=', id('道路工程', north)).execute();
      const before = await t.db.selectFrom('projects').select(['id', 'version', 'parent_id', 'unit_id']).orderBy('id').execute();
      expect((await apply(file)).summary).toMatchObject({ created: 0, updated: 0, unchanged: 14 });
      expect(await t.db.selectFrom('projects').select(['id', 'version', 'parent_id', 'unit_id']).orderBy('id').execute()).toEqual(before);
    });

    it('checks 合计 and 小计 rows counting a package once, not again through its sub-items', async () => {
      const file = await buildWorkbook([{ name: '清单', rows: [
        head,
        ['一、加快建设'],
        [1, '城南片区基础设施打包项目', '吴中区', '甪直镇', 3000],
        ['1.1', '道路工程', null, null, 1000],
        ['1.2', '管网工程', null, null, 2000],
        [2, '独立项目甲', '吴中区', '临湖镇', 500],
        ['小计', null, null, null, 3500],
        ['二、促进开工'],
        [3, '教育设施打包项目', '吴中区', '甪直镇', null],
        [null, '其中：实验小学', null, null, 400],
        [null, '实验中学', null, null, 300],
        ['小计', null, null, null, 700],
        ['合计', null, null, null, 4200],
      ] }]);
      const dry = await dryRun(file);
      expect(errorsOf(dry)).toEqual([]);
      // A package row left blank stands for the sum of its sub-items (教育设施: 700).
      expect(dry.problems.filter((p) => /合计|小计/.test(p.message))).toEqual([]);
      // A stale total is still reported, against the sum that counts each package once.
      const stale = await buildWorkbook([{ name: '清单', rows: [head, [1, '城南片区基础设施打包项目', '吴中区', '甪直镇', 3000], ['1.1', '道路工程', null, null, 1000], ['1.2', '管网工程', null, null, 2000], ['合计', null, null, null, 6000]] }]);
      expect((await dryRun(stale)).problems.filter((p) => /合计/.test(p.message)).map((p) => [p.row, p.column, p.message])).toEqual([
        [5, 'E', '合计行“总投资（万元）”为 6,000.00 万元，与全表各行之和 3,000.00 万元相差 3,000.00 万元（已按各行导入，请核对）'],
      ]);
    });

    it('reads a 所属打包项目 column naming a package of the file or a stored one, and reports unknown packages', async () => {
      const first = await buildWorkbook([{ name: '清单', rows: [head, [1, '老城更新打包项目', '吴中区', '甪直镇', 1000]] }]);
      await apply(first);
      const file = await buildWorkbook([{ name: '清单', rows: [
        ['项目名称', '所属打包项目', '所属地区', '责任单位', '总投资（万元）'],
        ['老城一期', '老城更新打包项目', null, null, 400],
        ['新区一期', '新區建设打包项目', null, null, 200],
        ['新区建设打包项目', null, '吴中区', '临湖镇', 900],
        ['无主子项目', '不存在的打包项目', '吴中区', '临湖镇', 10],
      ] }]);
      const bad = await dryRun(file);
      expect(errorsOf(bad)).toEqual([expect.objectContaining({ row: 5, column: 'B', message: '所属打包项目“不存在的打包项目”不存在：请在本文件中列出该打包项目，或先导入它' })]);
      const fixed = await buildWorkbook([{ name: '清单', rows: [
        ['项目名称', '所属打包项目', '所属地区', '责任单位', '总投资（万元）'],
        ['老城一期', '老城更新打包项目', null, null, 400],
        ['新区一期', '新區建设打包项目', null, null, 200],
        ['新区建设打包项目', null, '吴中区', '临湖镇', 900],
      ] }]);
      const report = await apply(fixed);
      expect(report.summary).toMatchObject({ created: 3, unchanged: 0, packages: 1, subItems: 2 });
      const [old] = await project('老城更新打包项目');
      const [fresh] = await project('新区建设打包项目');
      expect(old).toMatchObject({ is_package: 1 });
      expect(fresh).toMatchObject({ is_package: 1 });
      expect((await project('老城一期'))[0]).toMatchObject({ parent_id: old!.id, unit_id: luzhi });
      expect((await project('新区一期'))[0]).toMatchObject({ parent_id: fresh!.id, unit_id: linhu });
      expect((await apply(fixed)).summary).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    });

    it('finds a package by its project code, in the file or stored', async () => {
      const code = '2026-320506-44-01-00002B';
      const file = await buildWorkbook([{ name: '清单', rows: [
        ['项目代码', '项目名称', '所属打包项目', '所属地区', '责任单位'],
        [null, '滨湖子项目', code, null, null],
        [code, '滨湖打包项目', null, '吴中区', '甪直镇'],
      ] }]);
      expect(await apply(file)).toMatchObject({ applied: true, summary: { created: 2, packages: 1, subItems: 1 } });
      const [pkg] = await project('滨湖打包项目');
      expect((await project('滨湖子项目'))[0]).toMatchObject({ parent_id: pkg!.id, region_code: '320506', unit_id: luzhi });
      const later = await buildWorkbook([{ name: '清单', rows: [['项目名称', '所属打包项目'], ['滨湖子项目二', code]] }]);
      expect((await apply(later)).summary).toMatchObject({ created: 1, subItems: 1, errors: 0 });
      expect((await project('滨湖子项目二'))[0]).toMatchObject({ parent_id: pkg!.id });
    });

    it('moves a stand-alone project under a package, and refuses numbering that does not fit', async () => {
      const first = await buildWorkbook([{ name: '清单', rows: [head, [1, '园区打包项目', '吴中区', '甪直镇', 1000], [2, '园区道路', '吴中区', '甪直镇', 100]] }]);
      await apply(first);
      const road = (await project('园区道路'))[0]!;
      const nested = await buildWorkbook([{ name: '清单', rows: [head, [1, '园区打包项目', '吴中区', '甪直镇', 1000], ['1.1', '园区道路', null, null, 100]] }]);
      const report = await apply(nested);
      expect(report.outcomes.find((o) => o.row === 3)).toMatchObject({ action: 'update', projectId: road.id, changes: ['所属打包项目'] });
      expect(report.outcomes.find((o) => o.row === 2)).toMatchObject({ action: 'update', changes: ['设为打包项目'] });
      expect((await project('园区道路'))[0]).toMatchObject({ parent_id: (await project('园区打包项目'))[0]!.id });
      expect((await apply(nested)).summary).toMatchObject({ updated: 0, unchanged: 2 });

      const wrong = await buildWorkbook([{ name: '清单', rows: [head, [1, '甲打包项目', '吴中区', '甪直镇', 10], ['2.1', '甲子项目', null, null, 1], [null, '其中：乙子项目', null, null, 1]] }]);
      const bad = await dryRun(wrong);
      expect(errorsOf(bad).map((p) => [p.row, p.column, p.message])).toEqual([[3, 'A', '子项目序号 2.1 与上方打包项目的序号 1 不一致']]);
      const orphan = await buildWorkbook([{ name: '清单', rows: [head, ['一、前期储备'], [null, '其中：丙子项目', '吴中区', '甪直镇', 1]] }]);
      expect(errorsOf(await dryRun(orphan)).map((p) => [p.row, p.column, p.message])).toEqual([[3, 'B', '“其中：”子项目上方没有所属的打包项目行']]);
    });

    it('reads rows numbered （1）（2） straight under a heading as a list, not as sub-items', async () => {
      const file = await buildWorkbook([{ name: '清单', rows: [head, ['一、促进开工'], ['（1）', '列表甲', '吴中区', '甪直镇', 1], ['（2）', '列表乙', '吴中区', '甪直镇', 1]] }]);
      expect((await dryRun(file)).summary).toMatchObject({ created: 2, packages: 0, subItems: 0, errors: 0 });
    });
  });

  it('documents levels, lead units and packages in the template, and a filled template imports them', async () => {
    const res = await t.app.inject({ url: '/api/v1/imports/templates/projects?year=2026', headers: office });
    expect(res.statusCode).toBe(200);
    const wb = await readWorkbook(res.rawPayload);
    const ws = wb.getWorksheet('重点项目清单')!;
    const header = (ws.getRow(3).values as unknown[]).slice(1).map(String);
    expect(header.slice(0, 8)).toEqual(['序号', '项目代码', '项目名称*', '所属打包项目', '所属地区*', '责任单位*', '牵头单位', '项目级别']);
    const help = wb.getWorksheet('填表说明')!;
    const lines: string[] = [];
    help.eachRow((row) => lines.push((row.values as unknown[]).filter((v) => typeof v === 'string').join(' ')));
    const text = lines.join('\n');
    for (const phrase of ['“1.1”“1.2”', '其中：', '所属打包项目', '省市重点', '市重中之重', '牵头单位', '打“√”']) expect(text).toContain(phrase);

    const col = (label: string) => header.indexOf(label) + 1;
    const fill = (r: number, cells: Record<string, ExcelJS.CellValue>) => {
      for (const [label, v] of Object.entries(cells)) ws.getCell(r, col(label)).value = v;
    };
    fill(4, { 序号: 1, '项目名称*': '模板打包项目', '所属地区*': '吴中区', '责任单位*': '甪直镇', 牵头单位: '吴中区住房和城乡建设局', 项目级别: '省重点、市重点', '总投资（万元）*': 300 });
    fill(5, { 序号: '1.1', '项目名称*': '模板子项目一', '总投资（万元）*': 100 });
    fill(6, { 序号: '1.2', '项目名称*': '模板子项目二', 项目级别: '市重点', '总投资（万元）*': 200 });
    const body = multipartBody('模板.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const applied = await t.app.inject({ method: 'POST', url: '/api/v1/imports/apply', headers: { ...body.headers, ...office }, payload: body.payload });
    expect(applied.json<ImportReport>()).toMatchObject({ applied: true, summary: { created: 3, packages: 1, subItems: 2, errors: 0 } });
    const [pkg] = await project('模板打包项目');
    expect(pkg).toMatchObject({ is_package: 1, lead_unit_id: housing, unit_id: luzhi });
    expect((await project('模板子项目二'))[0]).toMatchObject({ parent_id: pkg!.id, unit_id: luzhi });
    expect(await levelsOf('模板打包项目')).toEqual(['city', 'province']);
    expect(await levelsOf('模板子项目二')).toEqual(['city']);
  });

  it('creates projects and plans when a flag or plan column is blank in some rows only (column defaults)', async () => {
    const file = await buildWorkbook([{ name: '清单', rows: [
      ['项目名称', '所属地区', '责任单位', '是否招商引资项目', '年度', '年度计划投资（万元）', '是否计划新开工'],
      ['默认甲', '吴中区', '甪直镇', '是', 2026, 100, null],
      ['默认乙', '吴中区', '甪直镇', null, 2026, null, '是'],
    ] }]);
    expect(await apply(file)).toMatchObject({ applied: true, summary: { created: 2, plansCreated: 2, errors: 0 } });
    expect((await project('默认乙'))[0]).toMatchObject({ is_attraction: 0 });
    const plan = await t.db.selectFrom('annual_plans').innerJoin('projects', 'projects.id', 'annual_plans.project_id')
      .select(['annual_plans.planned_investment', 'annual_plans.plan_new_start']).where('projects.name', '=', '默认乙').executeTakeFirstOrThrow();
    expect(plan).toEqual({ planned_investment: 0, plan_new_start: 1 });
  });

  it('records and shows the uploaded file name decoded', async () => {
    const file = await buildWorkbook([{ name: '清单', rows: [['项目名称', '所属地区', '责任单位'], ['文件名项目', '吴中区', '甪直镇']] }]);
    // multipartBody sends the name percent-encoded, as browsers' FormData may.
    const report = await apply(file, '2026年重点项目清单.xlsx');
    expect(report.fileName).toBe('2026年重点项目清单.xlsx');
    const event = await t.db.selectFrom('audit_log').select('details_json').where('action', '=', 'import.apply').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(event.details_json!)).toMatchObject({ file_name: '2026年重点项目清单.xlsx' });
  });
});
