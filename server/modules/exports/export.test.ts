import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { multipartBody, readWorkbook } from '../../../test/workbooks.ts';
import type { ImportReport } from '../imports/index.ts';
import { chinaToday } from '../../../core/clock.ts';
import { clock } from '../../clock.ts';

const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

describe.each(DIALECTS)('exports and templates on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    const a = await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    const b = await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'reporter1', role: 'reporter', unitId: a.id });
    // The first is a provincial and city key project led by 临湖镇, marked 市重中之重, and a package whose sub-item is
    // the third: the export writes all of it the way the import reads it back.
    const p1 = await buildProject(t.db, { name: '比亚迪新能源汽车零部件项目', unit_id: a.id, lead_unit_id: b.id, is_key_of_key: 1, is_package: 1, total_investment: 95_527_000_000, fund_central: 12_345, campaign_group: '投产达产', nature: 'new', stage: 'started', start_year: 2025, end_year: 2027, planned_start_date: '2025-03-01', code: '2025-320506-44-01-00001A' });
    await t.db.insertInto('project_levels').values([{ project_id: p1, level: 'province' }, { project_id: p1, level: 'city' }]).execute();
    await buildProject(t.db, { name: '=HYPERLINK("http://evil.invalid","点我")', unit_id: b.id, total_investment: 5_000_000, campaign_group: '加快建设', scope_content: '@SUM(1+1)' });
    await buildProject(t.db, { name: '吴中大道快速化改造工程', unit_id: b.id, parent_id: p1, total_investment: 1_234_567_891, campaign_group: '投产达产' });
    await buildProject(t.db, { name: '南京玄武湖生态修复', unit_id: b.id, region_code: '320102', total_investment: 1 });
    office = await t.login('office1');
    reporter = await t.login('reporter1');
  });
  afterAll(async () => t?.close());

  const download = async (url: string, cookie = office) => {
    const res = await t.app.inject({ url, headers: cookie });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    return { wb: await readWorkbook(res.rawPayload), res };
  };

  it('exports a filter with template headers, 万元 amounts, number formats, frozen header, totals and neutralized formulas', async () => {
    const { wb, res } = await download('/api/v1/exports/projects.xlsx?region=320500');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('重点项目清单');
    const ws = wb.getWorksheet('项目清单')!;
    const header = rowValues(ws, 3);
    expect(header.slice(0, 7)).toEqual(['序号', '项目代码', '项目名称', '所属打包项目', '所属地区', '责任单位', '牵头单位']);
    expect(header).toContain('总投资（万元）');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.getCell(2, header.length).value).toBe('单位：万元');
    // Times print in 北京时间 (UTC+8), never UTC.
    const note = ws.getCell(2, 1).text;
    expect(note).toMatch(/^导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间），共 \d+ 个项目$/);
    expect(note).not.toContain('UTC');
    expect(note.slice(5, 15)).toBe(chinaToday(clock.now()));
    const totalCol = header.indexOf('总投资（万元）') + 1;
    const nameCol = header.indexOf('项目名称') + 1;
    const names = [4, 5, 6].map((r) => ws.getCell(r, nameCol).value);
    expect(names).toEqual(['比亚迪新能源汽车零部件项目', '\'=HYPERLINK("http://evil.invalid","点我")', '吴中大道快速化改造工程']);
    expect(ws.getCell(4, totalCol).value).toBe(9_552_700);
    expect(ws.getCell(6, totalCol).value).toBe(123_456.7891);
    expect(ws.getCell(4, totalCol).numFmt).toBe('#,##0.00');
    expect(ws.getCell(5, header.indexOf('建设规模及内容') + 1).value).toBe("'@SUM(1+1)");
    expect(ws.getCell(4, header.indexOf('建设性质') + 1).value).toBe('新建');
    expect(ws.getCell(4, header.indexOf('建设起止年限') + 1).value).toBe('2025-2027');
    expect(ws.getCell(4, header.indexOf('项目级别') + 1).value).toBe('省重点、市重点、市重中之重');
    expect(ws.getCell(4, header.indexOf('牵头单位') + 1).value).toBe('临湖镇');
    expect(ws.getCell(6, header.indexOf('所属打包项目') + 1).value).toBe('比亚迪新能源汽车零部件项目');
    expect(ws.getCell(4, header.indexOf('所属打包项目') + 1).value).toBeNull();
    expect(rowValues(ws, 7)[0]).toBe('合计');
    expect(ws.getCell(7, nameCol).value).toBe('3 个项目');
    expect(ws.getCell(7, totalCol).value).toBe(9_552_700 + 500 + 123_456.7891);
    expect(ws.rowCount).toBe(7);
  });

  it('groups by campaign group with numbered headings, and limits a reporter to its scope', async () => {
    const { wb } = await download('/api/v1/exports/projects.xlsx?group_by=campaign_group');
    const ws = wb.getWorksheet('项目清单')!;
    const firstCells = Array.from({ length: ws.rowCount }, (_, i) => ws.getCell(i + 1, 1).value);
    expect(firstCells.slice(3)).toEqual(['一、投产达产（项目共计：2个）', 1, 2, '小计', '二、加快建设（项目共计：1个）', 3, '小计', '三、未分组（项目共计：1个）', 4, '小计', '合计']);
    const header = rowValues(ws, 3);
    const totalCol = header.indexOf('总投资（万元）') + 1;
    expect(ws.getCell(7, totalCol).value).toBe(9_552_700 + 123_456.7891);
    expect(ws.getCell(7, header.indexOf('项目名称') + 1).value).toBe('2 个项目');
    expect(ws.getCell(14, totalCol).value).toBe(9_552_700 + 500 + 123_456.7891 + 0.0001);
    const byUnit = (await download('/api/v1/exports/projects.xlsx?group_by=unit')).wb.getWorksheet('项目清单')!;
    expect(byUnit.getCell(4, 1).value).toBe('一、甪直镇（项目共计：1个）');
    expect(byUnit.getCell(7, 1).value).toBe('二、临湖镇（项目共计：3个）');
    const mine = (await download('/api/v1/exports/projects.xlsx', reporter)).wb.getWorksheet('项目清单')!;
    expect(mine.rowCount).toBe(5);
    expect(mine.getCell(4, 3).value).toBe('比亚迪新能源汽车零部件项目');
  });

  it('re-imports its own export with nothing to change', async () => {
    const res = await t.app.inject({ url: '/api/v1/exports/projects.xlsx?group_by=campaign_group', headers: office });
    const body = multipartBody('导出.xlsx', res.rawPayload);
    const dry = await t.app.inject({ method: 'POST', url: '/api/v1/imports/dry-run', headers: { ...body.headers, ...office }, payload: body.payload });
    const report = dry.json<ImportReport>();
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.outcomes.filter((o) => o.action !== 'unchanged' && o.action !== 'skip')).toEqual([]);
    expect(report.summary).toMatchObject({ rows: 4, unchanged: 4, created: 0, updated: 0, skipped: 7 });
  });

  it('serves templates with drop-downs, a code list and instructions, and a filled template imports', async () => {
    const { wb } = await download('/api/v1/imports/templates/projects?year=2026');
    const ws = wb.getWorksheet('重点项目清单')!;
    expect(ws.getCell(1, 1).value).toBe('2026年重点项目清单');
    const header = rowValues(ws, 3);
    expect(header).toEqual(expect.arrayContaining(['序号', '项目名称*', '所属地区*', '责任单位*', '总投资（万元）*', '建设性质', '年度计划投资（万元）']));
    const validations = (ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model;
    const natureCol = String.fromCharCode(64 + header.indexOf('建设性质') + 1);
    const unitCol = String.fromCharCode(64 + header.indexOf('责任单位*') + 1);
    const natureRule = Object.entries(validations).find(([k]) => k.startsWith(`${natureCol}4`))?.[1];
    expect(natureRule?.type).toBe('list');
    const unitRule = Object.entries(validations).find(([k]) => k.startsWith(`${unitCol}4`))?.[1];
    expect(unitRule?.formulae[0]).toMatch(/^代码表!\$[A-Z]+\$2:\$[A-Z]+\$4$/);
    const codes = wb.getWorksheet('代码表')!;
    expect(codes.state).toBe('hidden');
    expect(wb.getWorksheet('填表说明')!.rowCount).toBeGreaterThan(20);

    const row = ws.getRow(4);
    const set = (label: string, v: ExcelJS.CellValue) => { row.getCell(header.indexOf(label) + 1).value = v; };
    set('项目名称*', '模板新增项目');
    set('所属地区*', '吴中区');
    set('责任单位*', '临湖镇');
    set('总投资（万元）*', 2500);
    set('建设性质', '续建');
    set('年度', 2026);
    set('年度计划投资（万元）', 800);
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const body = multipartBody('模板.xlsx', filled);
    const applied = await t.app.inject({ method: 'POST', url: '/api/v1/imports/apply', headers: { ...body.headers, ...office }, payload: body.payload });
    expect(applied.json<ImportReport>()).toMatchObject({ applied: true, summary: { created: 1, plansCreated: 1, errors: 0 } });
    const p = await t.db.selectFrom('projects').selectAll().where('name', '=', '模板新增项目').executeTakeFirstOrThrow();
    expect(p).toMatchObject({ total_investment: 25_000_000, nature: 'continued', region_code: '320506' });

    for (const kind of ['plans', 'monthly']) {
      const { wb: other } = await download(`/api/v1/imports/templates/${kind}`);
      expect(other.worksheets.map((s) => s.name)).toContain('填表说明');
    }
  });

  it('groups by region one level below the scope, rolling towns into their district with a subtotal that includes them', async () => {
    await t.db.insertInto('regions').values({ code: '320506101', name: '甪直镇', parent_code: '320506', level: 4, path: '/320000/320500/320506/320506101/' }).execute();
    const unit = (await t.db.selectFrom('units').select('id').where('name', '=', '甪直镇').executeTakeFirstOrThrow()).id;
    await buildProject(t.db, { name: '甪直古镇保护', unit_id: unit, region_code: '320506101', total_investment: 20_000 });
    await buildProject(t.db, { name: '虎丘湿地公园', unit_id: unit, region_code: '320505', total_investment: 10_000 });
    const firstColumn = (ws: ExcelJS.Worksheet) => Array.from({ length: ws.rowCount }, (_, i) => ws.getCell(i + 1, 1).value).slice(3);
    // 吴中区 with its town, as the list counts them (an earlier test imported one more).
    const wuzhong = (await t.app.inject({ url: '/api/v1/projects?region=320506', headers: office })).json().totals;
    expect(wuzhong.count).toBeGreaterThanOrEqual(4);
    const ws = (await download('/api/v1/exports/projects.xlsx?group_by=region&region=320500')).wb.getWorksheet('项目清单')!;
    const seq = Array.from({ length: wuzhong.count }, (_, i) => i + 2);
    expect(firstColumn(ws)).toEqual(['一、虎丘区（项目共计：1个）', 1, '小计', `二、吴中区（项目共计：${wuzhong.count}个）`, ...seq, '小计', '合计']);
    const header = rowValues(ws, 3);
    const subtotalRow = 4 + 3 + 1 + wuzhong.count;
    expect(ws.getCell(subtotalRow, header.indexOf('总投资（万元）') + 1).value).toBeCloseTo(wuzhong.total_investment / 10_000, 4);
    expect(ws.getCell(subtotalRow, header.indexOf('项目名称') + 1).value).toBe(`${wuzhong.count} 个项目`);
    // Without a region filter the groups sit below the lowest region holding them all (江苏省 → its cities).
    const all = (await download('/api/v1/exports/projects.xlsx?group_by=region')).wb.getWorksheet('项目清单')!;
    expect(firstColumn(all).filter((v) => typeof v === 'string' && v.includes('、'))).toEqual(['一、南京市（项目共计：1个）', `二、苏州市（项目共计：${wuzhong.count + 1}个）`]);
    // A district's own scope groups by its towns, the district's own projects first.
    const district = (await download('/api/v1/exports/projects.xlsx?group_by=region&region=320506')).wb.getWorksheet('项目清单')!;
    expect(firstColumn(district).filter((v) => typeof v === 'string' && v.includes('、'))).toEqual([`一、吴中区（本级）（项目共计：${wuzhong.count - 1}个）`, '二、甪直镇（项目共计：1个）']);
  });
});
