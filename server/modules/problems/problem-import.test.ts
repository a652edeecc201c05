import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../core/uscc.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';

const uscc = (first17: string) => `${first17}${usccCheckChar(first17)}`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function upload(headers: LoginHeaders, name: string, bytes: Buffer) {
  const boundary = '----docket-problem-import';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(name)}"\r\nContent-Type: ${XLSX}\r\n\r\n`),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A ledger as offices keep it: a title row, the header on row 2, data from row 3. */
async function ledger(rows: (string | Date | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题台账');
  ws.addRow(['2026年万人助万企问题台账']);
  ws.addRow(['序号', '企业名称', '统一社会信用代码', '问题标题', '问题描述', '问题分类', '责任部门', '协办单位', '层级', '是否重大', '受理日期']);
  rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(DIALECTS)('problem ledger import on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders, reporter: LoginHeaders;
  let land: number, power: number;
  const codeA = uscc('91320506MA1QMPRT1');
  const count = async () => Number((await t.db.selectFrom('problems').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '导入测试区', kind: 'office', regionCode: '320506' });
    land = (await buildUnit(t.db, { name: '导入测试自然资源局', parentId: root.id, regionCode: '320506' })).id;
    power = (await buildUnit(t.db, { name: '导入测试供电公司', parentId: root.id, regionCode: '320506' })).id;
    await buildUser(t.db, { username: 'imp_office', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'imp_reporter', role: 'reporter', unitId: land });
    [office, reporter] = await Promise.all([t.login('imp_office'), t.login('imp_reporter')]);
    await t.app.inject({ method: 'PUT', url: '/api/v1/problem-categories', headers: office, payload: { code: 'land', name: '用地', owner_unit_id: land, sort: 1 } });
    for (const [name, code] of [['导入测试精密机械有限公司', codeA], ['导入测试光电科技有限公司', uscc('91320506MA1QMPRT2')]] as const) {
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: office, payload: { name, uscc: code, region_code: '320506' } })).statusCode).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  it('reports every wrong cell by row and column in Chinese, and writes nothing', async () => {
    const bad = await ledger([
      ['导入测试精密机械有限公司', codeA, '扩产用地', '需新增用地 30 亩', '用地', null, null, '县级', '是', '2026-03-05'],
      ['未登记企业', null, '用电增容', '需增容', '土地', null, '不存在的局', '乡级', null, '2026-13-01'],
      [null, '91320506MA1QMPRT9X', '环评', '批复慢', '用地', null, null, null, null, null],
    ]);
    const before = await count();
    for (const step of ['dry-run', 'apply']) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/imports/problems/${step}`, ...upload(office, '问题台账.xlsx', bad) });
      expect(res.statusCode).toBe(200);
      const r = res.json();
      expect(r.applied).toBe(false);
      expect(r.summary).toMatchObject({ rows: 3, errorRows: 2, created: step === 'dry-run' ? 1 : 0 });
      const msgs = r.problems.map((p: { row: number; column: string; message: string }) => `${p.row}${p.column}:${p.message}`);
      expect(msgs).toEqual([
        '4B:企业名称：“未登记企业”未登记，请先在企业名单中登记（或填写已登记企业的统一社会信用代码）',
        '4F:问题分类：“土地”不在问题分类中（可填分类名称或代码）',
        '4H:协办单位：单位“不存在的局”不存在',
        '4I:层级：“乡级”应为县级、市级或省级',
        '4K:受理日期：“2026-13-01”不是日期（如 2026-03-05）',
        expect.stringMatching(/^5C:统一社会信用代码：/),
      ]);
      expect(await count()).toBe(before);
    }
    // An unreadable file and a sheet without the title column are refused plainly.
    const junk = await t.app.inject({ method: 'POST', url: '/api/v1/imports/problems/dry-run', ...upload(office, 'x.xlsx', Buffer.from('not a workbook')) });
    expect(junk.json().error.message).toBe('无法读取该文件：请上传 Excel 工作簿（.xlsx）');
    // Only the office imports ledgers.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/imports/problems/dry-run', ...upload(reporter, '问题台账.xlsx', bad) })).statusCode).toBe(403);
  });

  it('matches enterprises by credit code or name, routes by the category map, and skips rows already imported', async () => {
    const good = await ledger([
      ['任意写法的企业名', codeA, '扩产用地指标', '需新增用地 30 亩', '用地', null, '导入测试供电公司', '市级', '是', new Date(Date.UTC(2026, 0, 5))],
      ['导入测试光电科技有限公司', null, '施工许可办理', '施工许可材料已齐', 'land', '导入测试供电公司', null, null, '否', '2026年1月6日'],
    ]);
    const before = await count();
    const dry = (await t.app.inject({ method: 'POST', url: '/api/v1/imports/problems/dry-run', ...upload(office, '问题台账.xlsx', good) })).json();
    expect(dry).toMatchObject({ dryRun: true, applied: false, summary: { rows: 2, created: 2, errors: 0, warnings: 1 } });
    expect(dry.problems[0]).toMatchObject({ row: 3, column: 'B', severity: 'warning' });
    expect(await count()).toBe(before);
    const applied = (await t.app.inject({ method: 'POST', url: '/api/v1/imports/problems/apply', ...upload(office, '问题台账.xlsx', good) })).json();
    expect(applied).toMatchObject({ applied: true, summary: { created: 2, errors: 0 } });
    expect(await count()).toBe(before + 2);
    const rows = await t.db.selectFrom('problems').innerJoin('enterprises', 'enterprises.id', 'problems.enterprise_id')
      .select(['problems.title', 'enterprises.name', 'problems.owner_unit_id', 'problems.level', 'problems.is_major', 'problems.received_on', 'problems.status', 'problems.source', 'problems.source_ref'])
      .where('problems.source_ref', 'like', '台账导入：%').orderBy('problems.id').execute();
    expect(rows.map((r) => [r.title, r.name, r.owner_unit_id, r.level, Number(r.is_major), r.received_on, r.status, r.source])).toEqual([
      ['扩产用地指标', '导入测试精密机械有限公司', land, 'city', 1, '2026-01-05', 'pending', 'enterprise'],
      ['施工许可办理', '导入测试光电科技有限公司', power, 'county', 0, '2026-01-06', 'pending', 'enterprise'],
    ]);
    expect(rows[0]!.source_ref).toBe('台账导入：问题台账.xlsx 第 3 行');
    // Each imported problem waits in the office's inbox like one typed in.
    const todos = (await t.app.inject({ url: '/api/v1/todos?kind=problem.route', headers: office })).json().items as { title: string }[];
    expect(todos.map((x) => x.title)).toEqual(expect.arrayContaining(['受理交办问题：扩产用地指标', '受理交办问题：施工许可办理']));
    // Importing the same ledger again creates nothing.
    const again = (await t.app.inject({ method: 'POST', url: '/api/v1/imports/problems/apply', ...upload(office, '问题台账.xlsx', good) })).json();
    expect(again.summary).toMatchObject({ created: 0, skipped: 2 });
    expect(await count()).toBe(before + 2);
  });
});
