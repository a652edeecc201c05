import iconv from 'iconv-lite';
import { createDeps } from '../../deps.ts';
import { createImportService, type ImportReport } from './index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildWorkbook, buildZip, multipartBody } from '../../../test/workbooks.ts';
import { systemActor } from '../../context.ts';
import { clock } from '../../clock.ts';

const CODE_A = '2026-320506-44-01-00001A';

/** A hand-made office list: title with the year, a note row unit, a two-row merged header, 合计/小计 rows,
 * group headings, rich text, a hyperlink, formulas with cached results, a Date cell and one bad row. */
async function officeWorkbook(): Promise<Buffer> {
  const head = ['序号', '项目名称', '项目代码', '所属地区', '责任单位', '建设性质', '总投资', '资金来源', null, null, '2026年计划投资（亿元）', '计划开工时间'];
  return buildWorkbook([{
    name: '重点项目',
    rows: [
      ['吴中区2026年重点项目清单'],
      [null, null, null, null, null, null, null, null, null, null, null, '单位：万元'],
      head,
      [null, null, null, null, null, null, null, '中央资金', '省级资金', '企业自筹'],
      ['合计', null, null, null, null, null, 108_527, 1000, 0, 5000, 1.5],
      ['一、投产达产（项目共计：2个）'],
      [1, { richText: [{ text: '比亚迪新能源汽车' }, { text: '零部件项目', font: { bold: true } }] }, CODE_A, '吴中区', '甪直镇', '新建', 95_527, 1000, null, { formula: 'G7-H7', result: 94_527 }, { formula: '0.6*2', result: 1.2 }, new Date(Date.UTC(2026, 2, 5))],
      [2, { text: '苏州湾数字产业园', hyperlink: 'https://example.invalid/p/2' }, null, '320506', '临湖镇', '续建', '1.3亿', null, null, null, { sharedFormula: 'K7', result: 0.3 }, '2026年4月'],
      ['二、加快建设'],
      [3, '吳中大道快速化改造工程', null, '吴中区', '临湖镇', '改建', '一千二百三十四', null, null, null, null, '2026.5'],
      ['小计', null, null, null, null, null, 1234],
      [4, '错误示例项目', '2026-32', '不存在区', '不存在单位', '新造', 'abc', null, null, { error: '#REF!' }, null, '2026-13'],
    ],
    merges: ['A1:L1', 'A3:A4', 'B3:B4', 'C3:C4', 'D3:D4', 'E3:E4', 'F3:F4', 'G3:G4', 'H3:J3', 'K3:K4', 'L3:L4', 'A6:L6', 'A9:L9'],
  }]);
}

/** The same workbook without its bad row. */
async function cleanWorkbook(): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await officeWorkbook()) as unknown as ArrayBuffer);
  wb.worksheets[0]!.spliceRows(12, 1);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(DIALECTS)('workbook import on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;
  let unitB: number;

  const post = (path: string, cookie: LoginHeaders, file: string, data: Buffer) => {
    const body = multipartBody(file, data);
    return t.app.inject({ method: 'POST', url: path, headers: { ...body.headers, ...cookie }, payload: body.payload });
  };
  const dryRun = async (file: string, data: Buffer, query = '') => {
    const res = await post(`/api/v1/imports/dry-run${query}`, office, file, data);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportReport>();
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
    const a = await buildUnit(t.db, { name: '甪直镇人民政府', parentId: root.id, regionCode: '320506', kind: 'township' });
    await t.db.updateTable('units').set({ short_name: '甪直镇' }).where('id', '=', a.id).execute();
    unitB = (await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'reporter1', role: 'reporter', unitId: unitB });
    office = await t.login('office1');
    reporter = await t.login('reporter1');
  });
  afterAll(async () => t?.close());

  it('reports every problem by sheet, row and column, and what would happen, without writing', async () => {
    const report = await dryRun('清单.xlsx', await officeWorkbook());
    expect(report.reader).toBe('memory');
    expect(report.sheets[0]).toMatchObject({ name: '重点项目', headerRows: '3-4', dataRows: 4 });
    const cols = Object.fromEntries(report.sheets[0]!.columns.map((c) => [c.field, c]));
    expect(cols.total_investment).toMatchObject({ letter: 'G', unit: '万元', unitSource: 'note' });
    expect(cols.fund_central).toMatchObject({ letter: 'H', header: '资金来源/中央资金', unit: '万元' });
    expect(cols.fund_self).toMatchObject({ letter: 'J' });
    expect(cols.planned_investment).toMatchObject({ letter: 'K', unit: '亿元', unitSource: 'header' });
    expect(report.sheets[0]!.columns.some((c) => c.header === '序号')).toBe(false);

    const at = (col: string) => report.problems.filter((p) => p.row === 12 && p.column === col && p.severity === 'error').map((p) => p.message).join(' ');
    expect(at('C')).toContain('项目代码格式不正确');
    expect(at('D')).toContain('所属地区“不存在区”不存在');
    expect(at('E')).toContain('责任单位“不存在单位”不存在');
    expect(at('F')).toContain('建设性质只能填写');
    expect(at('G')).toContain('无法识别的金额');
    expect(at('J')).toContain('#REF!');
    expect(at('L')).toContain('月份不正确');
    expect(report.problems.every((p) => p.sheet === '重点项目')).toBe(true);
    expect(report.summary).toMatchObject({ rows: 4, created: 3, updated: 0, unchanged: 0, errorRows: 1, skipped: 4 });
    expect(report.outcomes.filter((o) => o.action === 'skip').map((o) => o.row)).toEqual([5, 6, 9, 11]);
    expect(report.applied).toBe(false);
    const count = await t.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses to apply a file with errors and writes nothing (all or nothing)', async () => {
    const res = await post('/api/v1/imports/apply', office, '清单.xlsx', await officeWorkbook());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ applied: false, summary: { errorRows: 1 } });
    const count = await t.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('applies a clean file exactly (units, shapes, groups, plans) and a second import changes nothing', async () => {
    const file = await cleanWorkbook();
    const res = await post('/api/v1/imports/apply', office, '清单.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ImportReport>();
    expect(report).toMatchObject({ applied: true, summary: { created: 3, updated: 0, errors: 0, plansCreated: 2 } });

    const rows = await t.db.selectFrom('projects').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.name, r.total_investment, r.campaign_group, r.region_code, r.nature])).toEqual([
      ['比亚迪新能源汽车零部件项目', 955_270_000, '投产达产', '320506', 'new'],
      ['苏州湾数字产业园', 130_000_000, '投产达产', '320506', 'continued'],
      ['吳中大道快速化改造工程', 12_340_000, '加快建设', '320506', 'reconstruction'],
    ]);
    expect(rows[0]).toMatchObject({ code: CODE_A, fund_central: 10_000_000, fund_self: 945_270_000, planned_start_date: '2026-03-05' });
    expect(rows[1]).toMatchObject({ code: null, unit_id: unitB, planned_start_date: '2026-04-01' });
    expect(rows[2]!.search_text).toContain('吴中大道');
    const plans = await t.db.selectFrom('annual_plans').selectAll().orderBy('project_id').execute();
    expect(plans.map((p) => [p.project_id, p.year, p.planned_investment])).toEqual([[rows[0]!.id, 2026, 120_000_000], [rows[1]!.id, 2026, 30_000_000]]);

    const again = await post('/api/v1/imports/apply', office, '清单.xlsx', file);
    expect(again.json()).toMatchObject({ applied: true, summary: { created: 0, updated: 0, unchanged: 3 } });
    const after = await t.db.selectFrom('projects').select(['id', 'version', 'updated_at']).orderBy('id').execute();
    expect(after).toEqual(rows.map((r) => ({ id: r.id, version: r.version, updated_at: r.updated_at })));
  });

  it('matches by national code first, else by name and region with traditional folded to simplified', async () => {
    const wb = await buildWorkbook([{ name: 'S', rows: [
      ['项目名称', '项目代码', '所属地区', '总投资（亿元）'],
      ['比亚迪项目改名', CODE_A, '吴中区', 10],
      ['吴中大道快速化改造工程', null, '吴中区', 0.2],
    ] }]);
    const report = await dryRun('m.xlsx', wb);
    expect(report.summary).toMatchObject({ created: 0, updated: 2, errors: 0 });
    const byRow = Object.fromEntries(report.outcomes.map((o) => [o.row, o]));
    expect(byRow[2]!.changes).toEqual(expect.arrayContaining(['项目名称', '总投资']));
    expect(byRow[3]!.changes).toEqual(['项目名称', '总投资']);
  });

  it('imports a project whose name holds "|" (the search text separator) and finds it again the next time', async () => {
    const wb = await buildWorkbook([{ name: 'S', rows: [
      ['项目名称', '所属地区', '责任单位', '总投资（万元）'],
      ['城区|管网改造｜二期', '吴中区', '临湖镇', 100],
    ] }]);
    const res = await post('/api/v1/imports/apply', office, 'bar.xlsx', wb);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ImportReport>(), JSON.stringify(res.json<ImportReport>().problems)).toMatchObject({ applied: true, summary: { created: 1 } });
    const again = await post('/api/v1/imports/apply', office, 'bar.xlsx', wb);
    expect(again.json<ImportReport>()).toMatchObject({ applied: true, summary: { created: 0, unchanged: 1 } });
    const search = await t.app.inject({ url: `/api/v1/projects?q=${encodeURIComponent('管网改造|二期')}`, headers: office });
    expect(search.json().items.map((p: { name: string }) => p.name)).toEqual(['城区|管网改造｜二期']);
  });

  it('imports an annual plan for known projects and reports unknown ones', async () => {
    const wb = await buildWorkbook([{ name: '计划', rows: [
      ['项目代码', '项目名称', '所属地区', '年度', '年度计划投资（万元）', '是否计划新开工', '计划开工月份', '年度形象进度目标'],
      [CODE_A, '比亚迪新能源汽车零部件项目', '吴中区', 2027, '5,000', '是', '3月', '主体完工'],
      [null, '未入库的项目', '吴中区', 2027, 100, '否', null, null],
    ] }]);
    const report = await dryRun('p.xlsx', wb, '?kind=plans');
    expect(report.problems.find((p) => p.row === 3)?.message).toContain('未找到项目');
    const fixed = await buildWorkbook([{ name: '计划', rows: [
      ['项目代码', '项目名称', '所属地区', '年度', '年度计划投资（万元）', '是否计划新开工', '计划开工月份', '年度形象进度目标'],
      [CODE_A, '比亚迪新能源汽车零部件项目', '吴中区', 2027, '5,000', '是', '3月', '主体完工'],
    ] }]);
    const applied = (await post('/api/v1/imports/apply?kind=plans', office, 'p.xlsx', fixed)).json<ImportReport>();
    expect(applied).toMatchObject({ applied: true, summary: { updated: 1, plansCreated: 1 } });
    const plan = await t.db.selectFrom('annual_plans').selectAll().where('year', '=', 2027).executeTakeFirstOrThrow();
    expect(plan).toMatchObject({ planned_investment: 50_000_000, plan_new_start: 1, plan_start_month: 3, progress_target: '主体完工' });
    const again = (await post('/api/v1/imports/apply?kind=plans', office, 'p.xlsx', fixed)).json<ImportReport>();
    expect(again.summary).toMatchObject({ unchanged: 1, updated: 0, plansCreated: 0, plansUpdated: 0 });
  });

  it('rewrites since-start of filed reports when an imported plan changes completed-before-year', async () => {
    const project = await t.db.selectFrom('projects').select('id').where('code', '=', CODE_A).executeTakeFirstOrThrow();
    const now = clock.now().toISOString();
    await t.db.insertInto('monthly_reports').values({ project_id: project.id, year: 2027, month: 3, amount_month: 1_000_000, amount_ytd: 1_000_000, amount_since_start: 1_000_000, status: 'approved', created_at: now, updated_at: now }).execute();
    const wb = await buildWorkbook([{ name: '计划', rows: [
      ['项目代码', '项目名称', '所属地区', '年度', '年度计划投资（万元）', '截至上年底累计完成投资（万元）', '是否计划新开工', '计划开工月份', '年度形象进度目标'],
      [CODE_A, '比亚迪新能源汽车零部件项目', '吴中区', 2027, '5,000', 200, '是', '3月', '主体完工'],
    ] }]);
    const applied = (await post('/api/v1/imports/apply?kind=plans', office, 'p.xlsx', wb)).json<ImportReport>();
    expect(applied).toMatchObject({ applied: true, summary: { plansUpdated: 1 } });
    const report = await t.db.selectFrom('monthly_reports').select(['amount_ytd', 'amount_since_start']).where('project_id', '=', project.id).where('year', '=', 2027).executeTakeFirstOrThrow();
    expect(report).toEqual({ amount_ytd: 1_000_000, amount_since_start: 3_000_000 });
  });

  it('imports a month-by-month plan (计划完成表) from month-labelled columns and checks it adds up to the year', async () => {
    const head = ['项目代码', '项目名称', '所属地区', '年度', '年度计划投资（万元）', ...Array.from({ length: 12 }, (_, i) => `${i + 1}月`)];
    const months = [400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 600];
    const bad = await buildWorkbook([{ name: '计划完成表', rows: [head, [CODE_A, '比亚迪新能源汽车零部件项目', '吴中区', 2028, 5_000, ...months.slice(0, 11), 500]] }]);
    const report = await dryRun('m.xlsx', bad, '?kind=plans');
    expect(report.problems.find((p) => p.severity === 'error')).toMatchObject({ row: 2, column: 'F', message: '各月计划之和（4,900.00 万元）与年度计划投资（5,000.00 万元）不一致' });
    const good = await buildWorkbook([{ name: '计划完成表', rows: [head, [CODE_A, '比亚迪新能源汽车零部件项目', '吴中区', 2028, 5_000, ...months]] }]);
    const applied = (await post('/api/v1/imports/apply?kind=plans', office, 'm.xlsx', good)).json<ImportReport>();
    expect(applied).toMatchObject({ applied: true, summary: { plansCreated: 1 } });
    const plan = await t.db.selectFrom('annual_plans').selectAll().where('year', '=', 2028).executeTakeFirstOrThrow();
    expect([plan.plan_m01, plan.plan_m11, plan.plan_m12]).toEqual([4_000_000, 4_000_000, 6_000_000]);
    const again = (await post('/api/v1/imports/apply?kind=plans', office, 'm.xlsx', good)).json<ImportReport>();
    expect(again.summary).toMatchObject({ unchanged: 1, plansUpdated: 0 });
  });

  it('reads GBK and UTF-8 CSV alike', async () => {
    const csv = '项目名称,所属地区,责任单位,总投资(万元),建设性质\r\n"城南污水处理厂提标改造","吴中区","临湖镇","1,200",新建\r\n合计,,,"1,200",\r\n';
    for (const [buf, encoding] of [[iconv.encode(csv, 'gbk'), 'gb18030'], [Buffer.from(`\ufeff${csv}`), 'utf-8'], [Buffer.from(csv), 'utf-8']] as const) {
      const report = await dryRun('list.csv', buf);
      expect(report).toMatchObject({ format: 'csv', encoding, summary: { created: 1, errors: 0, skipped: 1 } });
    }
  });

  it('answers bad files clearly and stays healthy', async () => {
    const cases: [string, Buffer, number, RegExp][] = [
      ['old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]), 422, /另存为.*\.xlsx/],
      ['locked.xlsx', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100), Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(100)]), 422, /密码/],
      ['broken.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 7)]), 422, /损坏/],
      ['empty.xlsx', Buffer.alloc(0), 422, /文件为空/],
      ['page.xls', Buffer.from('<html><table><tr><td>1</td></tr></table></html>'), 422, /网页/],
    ];
    for (const [name, data, status, message] of cases) {
      const res = await post('/api/v1/imports/dry-run', office, name, data);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().error.message, name).toMatch(message);
    }
    const emptySheet = await post('/api/v1/imports/dry-run', office, 'blank.xlsx', await buildWorkbook([{ name: 'Sheet1', rows: [] }]));
    expect(emptySheet.statusCode).toBe(422);
    expect(emptySheet.json().error.message).toMatch(/没有可识别的表格|内容为空/);
    const health = await t.app.inject({ url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
  });

  it('refuses an over-size upload and too many rows with a clear message', async () => {
    const service = createImportService(createDeps(t.db));
    const limits = { maxFileBytes: 20_000, maxUncompressedBytes: 10_000_000, maxRows: 50 };
    const rows: (string | number)[][] = [['项目名称', '所属地区', '总投资（万元）']];
    for (let i = 0; i < 60; i++) rows.push([`项目${i}`, '吴中区', i]);
    const wb = await buildWorkbook([{ name: 'S', rows }]);
    for (const mode of ['memory', 'stream'] as const) {
      await expect(service.importFile(systemActor(), wb, { kind: 'projects', fileName: 'x.xlsx', dryRun: true, limits, mode })).rejects.toThrow(/行数超过上限 50 行/);
    }
    await expect(service.importFile(systemActor(), Buffer.alloc(30_000, 65), { kind: 'projects', fileName: 'x.csv', dryRun: true, limits })).rejects.toThrow(/超过上限/);
    // Zip bombs: declared sizes over the bound, or a directory that lies about them; refused before any parser.
    const workbookXml = { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') };
    const bomb = buildZip([workbookXml, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(12_000_000) }]);
    expect(bomb.length).toBeLessThan(limits.maxFileBytes);
    await expect(service.importFile(systemActor(), bomb, { kind: 'projects', fileName: 'b.xlsx', dryRun: true, limits })).rejects.toThrow(/解压后达.*超过上限/);
    const liar = buildZip([workbookXml, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(12_000_000), declaredSize: 1000 }]);
    await expect(service.importFile(systemActor(), liar, { kind: 'projects', fileName: 'l.xlsx', dryRun: true, limits })).rejects.toThrow(/压缩炸弹/);
  });

  // Retried: once in a loaded full-suite run exceljs's streaming reader rejected this file as corrupt; 600 reruns
  // (sequential and 15 at a time) never reproduced it. Its temporary-file path (sheets before shared strings) has
  // since been taken out of play by inReadingOrder, a plausible but unproven cause.
  it('reads the same report with the streaming reader (merged header inferred) as in memory', { retry: 2 }, async () => {
    const service = createImportService(createDeps(t.db));
    const file = await officeWorkbook();
    const read = (mode: 'memory' | 'stream') => service.importFile(systemActor(), file, { kind: 'projects', fileName: 'x.xlsx', dryRun: true, mode });
    const [mem, stream] = [await read('memory'), await read('stream')];
    expect(stream.reader).toBe('stream');
    const strip = (r: ImportReport) => ({ sheets: r.sheets.map((s) => ({ ...s, name: undefined })), problems: r.problems, summary: r.summary, outcomes: r.outcomes });
    expect(strip(stream)).toEqual(strip(mem));
  });

  it('forbids imports to reporters and never touches projects outside the scope', async () => {
    const res = await post('/api/v1/imports/dry-run', reporter, 'x.xlsx', await cleanWorkbook());
    expect(res.statusCode).toBe(403);
    const outside = await buildUnit(t.db, { name: '玄武区发改委', regionCode: '320102' });
    await buildProject(t.db, { name: '玄武湖生态修复', unit_id: outside.id, region_code: '320102' });
    const service = createImportService(createDeps(t.db));
    const actor = { ...systemActor(), scope: { all: false, unitPaths: [`/${unitB}/`], regionPaths: [] } };
    const wb = await buildWorkbook([{ name: 'S', rows: [['项目名称', '所属地区', '总投资（万元）'], ['玄武湖生态修复', '玄武区', 1]] }]);
    const report = await service.importFile(actor, wb, { kind: 'projects', fileName: 'x.xlsx', dryRun: true });
    expect(report.problems.find((p) => p.row === 2)?.message).toContain('不在您的管理范围内');
  });
});
