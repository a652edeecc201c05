import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildUser } from '../../../test/factories.ts';
import { buildWorkbook, multipartBody, readWorkbook } from '../../../test/workbooks.ts';
import { COUNTY, COUNTY_UNITS, countyUnitsWorkbook, countyUsersWorkbook } from '../../../test/fixtures/first-day-workbooks.ts';
import type { ListReport } from './list-import.ts';

type App = Awaited<ReturnType<typeof createTestApp>>;

describe.each(DIALECTS)('unit and user lists of a first day on %s', (dialect) => {
  let t: App;
  let admin: LoginHeaders;
  let office: LoginHeaders;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildUser(t.db, { username: 'admin1', role: 'sysadmin' });
    await buildUser(t.db, { username: 'office1', role: 'office' });
    admin = await t.login('admin1');
    office = await t.login('office1');
    const set = await t.app.inject({ method: 'PUT', url: '/api/v1/system/profile', headers: admin, payload: { office_name: COUNTY.office, region_code: COUNTY.region } });
    expect(set.statusCode, set.body).toBe(200);
  });
  afterAll(async () => t?.close());

  async function post(kind: 'units' | 'users', step: 'dry-run' | 'apply', as: LoginHeaders, data: Buffer, query = '', status = 200) {
    const body = multipartBody(`${kind}.xlsx`, data);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/imports/${kind}/${step}${query}`, headers: { ...body.headers, ...as }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(status);
    return { report: res.json<ListReport>(), headers: res.headers };
  }
  const errors = (r: ListReport) => r.problems.filter((p) => p.severity === 'error').map((p) => `${p.row}${p.column}:${p.message}`);
  const unitCount = async () => (await t.db.selectFrom('units').select('id').execute()).length;

  it('refuses a unit list with errors, each at its row and column, and writes nothing', async () => {
    const before = await unitCount();
    const { report } = await post('units', 'apply', office, await countyUnitsWorkbook({ badRow: true }));
    expect(report.applied).toBe(false);
    expect(errors(report)).toEqual([
      '9H:联系电话格式不对：1384710（手机 11 位，座机如 0471-1234567）',
      expect.stringMatching(/^10E:.*朝阳区/),
    ]);
    expect(await unitCount()).toBe(before);
  });

  it('dry run then apply creates the units under the office, parents first, with 简称, kind, region and contact', async () => {
    const dry = (await post('units', 'dry-run', office, await countyUnitsWorkbook())).report;
    expect(errors(dry)).toEqual([]);
    expect(dry.summary).toMatchObject({ rows: COUNTY_UNITS.units, created: COUNTY_UNITS.units, errors: 0 });
    expect(dry.sheets).toEqual([expect.objectContaining({ name: '责任单位', headerRows: '3', dataRows: 7, chosen: true })]);
    expect(await unitCount()).toBe(1);

    const { report } = await post('units', 'apply', office, await countyUnitsWorkbook());
    expect(report.applied).toBe(true);
    const units = await t.db.selectFrom('units').select(['id', 'name', 'short_name', 'kind', 'region_code', 'parent_id', 'path', 'contact_name', 'contact_phone']).execute();
    const by = (n: string) => units.find((u) => u.name === n)!;
    const root = by(COUNTY.office);
    expect(by('县住房和城乡建设局')).toMatchObject({ short_name: '县住建局', kind: 'department', region_code: '150123', parent_id: root.id, contact_phone: '13847100001' });
    // Listed before its parent, placed under it all the same.
    expect(by('县城乡规划服务中心')).toMatchObject({ parent_id: by('县住房和城乡建设局').id, kind: 'department', contact_phone: '0471-7123456' });
    expect(by('县城乡规划服务中心').path).toBe(`${by('县住房和城乡建设局').path}${by('县城乡规划服务中心').id}/`);
    expect(by('城关镇人民政府')).toMatchObject({ kind: 'township', region_code: '150123100' });
    expect(by('和林格尔县城投集团有限公司')).toMatchObject({ kind: 'company', short_name: '县城投' });
    expect(by('县教育局')).toMatchObject({ kind: 'department', region_code: '150123' });
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('action', 'in', ['unit.create', 'import.apply']).execute();
    expect(audit.filter((a) => a.action === 'unit.create')).toHaveLength(7);

    // The same list again changes nothing.
    const again = (await post('units', 'apply', office, await countyUnitsWorkbook())).report;
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 7 });
  });

  it('offers to move a stored unit the list names under another parent, and moves it (audited) when told to', async () => {
    const list = (rows: (string | null)[][]) => buildWorkbook([{ name: '单位', rows: [['单位全称', '上级单位'], ...rows] }]);
    // Under its own subordinate: refused at its row and column, whatever the option.
    const loop = (await post('units', 'dry-run', office, await list([['县住房和城乡建设局', '县城乡规划服务中心']]), '?move_units=1')).report;
    expect(errors(loop)).toEqual(['2B:不能把“县住房和城乡建设局”移到它自己或它的下级单位“县城乡规划服务中心”之下']);

    const file = await list([['县城乡规划服务中心', '县教育局'], ['县交通建设指挥部', null], ['县交通运输局', '县交通建设指挥部']]);
    const unit = (name: string) => t.db.selectFrom('units').select(['id', 'parent_id', 'path']).where('name', '=', name).executeTakeFirstOrThrow();
    const before = await unit('县城乡规划服务中心');
    // Without the option the dry run says what it would move and where to, and an apply moves nothing.
    const offered = (await post('units', 'dry-run', office, file)).report;
    expect(errors(offered)).toEqual([]);
    expect(offered.problems.filter((p) => p.column === 'B').map((p) => p.message)).toEqual([
      '“县城乡规划服务中心”在系统中的上级单位是“县住房和城乡建设局”，名单为“县教育局”：选择“按名单移动单位”后移动',
      '“县交通运输局”在系统中的上级单位是“和林格尔县发展和改革局”，名单为“县交通建设指挥部”：选择“按名单移动单位”后移动',
    ]);
    await post('units', 'apply', office, file);
    expect(await unit('县城乡规划服务中心')).toEqual(before);

    const dry = (await post('units', 'dry-run', office, file, '?move_units=1')).report;
    expect(dry.outcomes.filter((o) => o.action === 'update').map((o) => [o.name, o.changes])).toEqual([
      ['县城乡规划服务中心', ['上级单位：县住房和城乡建设局 → 县教育局']],
      ['县交通运输局', ['上级单位：和林格尔县发展和改革局 → 县交通建设指挥部']],
    ]);
    const applied = (await post('units', 'apply', office, file, '?move_units=1')).report;
    expect(applied.applied).toBe(true);
    const education = await unit('县教育局');
    const planning = await unit('县城乡规划服务中心');
    expect(planning).toMatchObject({ parent_id: education.id, path: `${education.path}${planning.id}/` });
    // Under a unit the same list created.
    const hq = await unit('县交通建设指挥部');
    const transport = await unit('县交通运输局');
    expect(transport).toMatchObject({ parent_id: hq.id, path: `${hq.path}${transport.id}/` });
    const moves = await t.db.selectFrom('audit_log').select(['entity_id', 'after_json']).where('action', '=', 'unit.move').execute();
    expect(moves).toHaveLength(2);
    expect(JSON.parse(String(moves.find((m) => String(m.entity_id) === String(planning.id))!.after_json))).toMatchObject({ parent_id: education.id, via: 'unit_list_import' });
    // Applied once, the same list is now unchanged.
    const again = (await post('units', 'dry-run', office, file, '?move_units=1')).report;
    expect(again.summary).toMatchObject({ updated: 0, created: 0 });
  });

  it('only the system administrator imports accounts; a reporter list with errors is refused whole', async () => {
    await post('users', 'dry-run', office, await countyUsersWorkbook(), '', 403);
    const before = (await t.db.selectFrom('users').select('id').execute()).length;
    const { report } = await post('users', 'apply', admin, await countyUsersWorkbook({ badRow: true }));
    expect(report.applied).toBe(false);
    expect(report.credentials).toBeUndefined();
    expect(errors(report)).toEqual([
      '6B:单位“县发改委”不存在：请先导入单位名单，或在单位管理中建立该单位',
      '7D:用户名“13847100002”与第 4 行重复',
      expect.stringMatching(/^8E:角色只能填写：.*系统管理员、安全管理员、审计员不能从名单建立/),
    ]);
    expect((await t.db.selectFrom('users').select('id').execute()).length).toBe(before);
  });

  it('creates the accounts with first-login passwords shown once, in the answer and its .xlsx, never in the audit trail', async () => {
    const { report, headers } = await post('users', 'apply', admin, await countyUsersWorkbook());
    expect(errors(report)).toEqual([]);
    expect(report.applied).toBe(true);
    expect(headers['cache-control']).toBe('no-store');
    expect(report.credentials!.map((c) => [c.username, c.unit, c.role])).toEqual([
      ['13847100001', '县住房和城乡建设局', '责任单位填报员'], ['13847100002', '盛乐镇人民政府', '责任单位填报员'], ['13847100003', '城关镇人民政府', '责任单位填报员'],
      ['13847100004', '和林格尔县城投集团有限公司', '责任单位填报员'], ['13847100005', '县教育局', '责任单位填报员'], ['13847100009', COUNTY.office, '领导'],
    ]);
    const wb = await readWorkbook(Buffer.from(report.credentialsXlsx!, 'base64'));
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(3).getCell(5).value).toBe('13847100001');
    expect(ws.getRow(3).getCell(6).value).toBe(report.credentials![0]!.password);
    const stored = await t.db.selectFrom('users').select(['username', 'must_change_password', 'phone', 'role']).where('username', '=', '13847100002').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ must_change_password: 1, phone: '13847100002', role: 'reporter' });
    const trail = await t.db.selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify(trail);
    for (const c of report.credentials!) expect(text).not.toContain(c.password);
    expect(trail.filter((a) => a.action === 'user.create')).toHaveLength(6);

    // 三员: the system administrator's list waits for the security administrator; then the holder signs in with
    // the password and must change it before anything else.
    const first = report.credentials![1]!;
    const early = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: first.username, password: first.password } });
    expect(early.json().error.message).toContain('待安全保密管理员核准');
    await buildUser(t.db, { username: `sec-${dialect}`, role: 'secadmin' });
    const sec = await t.login(`sec-${dialect}`);
    const pending = (await t.app.inject({ url: '/api/v1/security/pending-accounts', headers: sec })).json().items as { id: number; username: string; approval_reason: string }[];
    expect(pending.filter((p) => report.credentials!.some((c) => c.username === p.username)).map((p) => p.approval_reason)).toEqual(report.credentials!.map(() => 'created'));
    const target = pending.find((p) => p.username === first.username)!;
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/security/pending-accounts/${target.id}/approve`, headers: sec })).statusCode).toBe(200);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: first.username, password: first.password } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().must_change_password).toBe(true);

    // The same list again: nobody created, no password shown.
    const again = (await post('users', 'apply', admin, await countyUsersWorkbook())).report;
    expect(again.summary).toMatchObject({ created: 0, unchanged: 6 });
    expect(again.credentials ?? []).toEqual([]);
  });

  it('a workbook with two lists names both and imports none until one is chosen', async () => {
    const file = await countyUsersWorkbook({ extraSheet: true });
    const { report } = await post('users', 'dry-run', admin, file);
    expect(report.sheets.map((s) => [s.name, s.dataRows, s.chosen])).toEqual([['填报人员', 6, false], ['乡镇联络员', 1, false]]);
    expect(errors(report)).toEqual(['nullnull:工作簿中有 2 个工作表含人员名单：「填报人员」（6 行）、「乡镇联络员」（1 行）。请选择要导入的一个工作表']);
    const chosen = (await post('users', 'dry-run', admin, file, `?sheet=${encodeURIComponent('乡镇联络员')}`)).report;
    expect(chosen.sheets.find((s) => s.chosen)?.name).toBe('乡镇联络员');
    expect(chosen.summary).toMatchObject({ rows: 1, created: 1, errors: 0 });
  });
});
