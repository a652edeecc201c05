import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../core/uscc.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildWorkbook, multipartBody } from '../../../test/workbooks.ts';
import { parseLedgerDate } from './attraction.import.ts';

const uscc = (first17: string) => `${first17}${usccCheckChar(first17)}`;
const USCC_A = uscc('91320506MA1LEDA01');
const USCC_B = uscc('91320506MA1LEDB02');

const HEADER = ['序号', '项目名称', '招商小分队', '所属地区', '所属产业', '投资方', '当前阶段', '意向投资额（万元）', '签约额（万元）', '合同外资（万美元）', '计划总投资（万元）', '实际到资（万元）',
  '线索日期', '在谈日期', '签约日期', '过审日期', '落地日期', '开工日期', '投产日期', '评审机构', '注册企业', '统一社会信用代码', '终止情况'];

describe('ledger dates', () => {
  it('reads the ways offices write a day and refuses days that do not exist', () => {
    expect(parseLedgerDate('2026-03-10')).toBe('2026-03-10');
    expect(parseLedgerDate('2026/3/1')).toBe('2026-03-01');
    expect(parseLedgerDate('2026年3月1日')).toBe('2026-03-01');
    expect(parseLedgerDate('2026.02.30')).toBeUndefined();
    expect(parseLedgerDate('三月')).toBeUndefined();
  });
});

describe.each(DIALECTS)('attraction ledger import and enterprise link on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let rep1: LoginHeaders;
  let team1: number;
  let team2: number;
  let rep1Id: number;
  let enterpriseId: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区商务局', kind: 'office', regionCode: '320506' });
    team1 = (await buildUnit(t.db, { name: '招商一组', parentId: root.id, regionCode: '320506' })).id;
    team2 = (await buildUnit(t.db, { name: '招商二组', parentId: root.id, regionCode: '320506' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    rep1Id = await buildUser(t.db, { username: 'rep1', role: 'reporter', unitId: team1 });
    office = await t.login('office1');
    rep1 = await t.login('rep1');
    const e = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: office, payload: { name: '苏州导入精密科技有限公司', uscc: USCC_A, region_code: '320506', industry: '通用设备制造业', size: 'medium' } });
    expect(e.statusCode).toBe(201);
    enterpriseId = e.json().id;
  });
  afterAll(async () => t?.close());

  const upload = async (headers: LoginHeaders, step: 'dry-run' | 'apply', rows: unknown[][], name = '招商台账.xlsx') => {
    const buf = await buildWorkbook([{ name: '招商项目台账', rows: [['招商引资项目台账'], HEADER, ...rows] as never }]);
    const body = multipartBody(name, buf);
    return t.app.inject({ method: 'POST', url: `/api/v1/attraction/import/${step}`, headers: { ...headers, ...body.headers }, payload: body.payload });
  };
  const count = async () => Number((await t.db.selectFrom('attraction_leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('reports each bad cell by row and column in Chinese and writes nothing, even on apply', async () => {
    const before = await count();
    const rows = [
      [1, '导入测试甲项目', '招商一组', '吴中区', '新能源', '某集团', '签约', 80000, 150000.5, 3000, null, null, '2026-01-05', '2026-02-01', '2026-03-10', null, null, null, null, null, null, null, null],
      [2, '导入测试乙项目', '不存在的小分队', '吴中区', null, null, '在谈', '很多', null, null, null, null, '2026-01-05', '2099-01-01', null, null, null, null, null, null, null, 'ABC', null],
      [3, '导入测试丙项目', '招商一组', null, null, null, '落地', null, null, null, null, null, '2026-02-01', null, null, null, null, null, null, null, null, null, null],
      [4, '导入测试甲项目', '招商一组', '吴中区', '新能源', '某集团', '线索', null, null, null, null, null, '2026-01-05', null, null, null, null, null, null, null, null, null, null],
    ];
    for (const step of ['dry-run', 'apply'] as const) {
      const res = await upload(office, step, rows);
      expect(res.statusCode).toBe(200);
      const r = res.json();
      expect(r).toMatchObject({ kind: 'leads', applied: false, summary: { rows: 4, errorRows: 3 } });
      const at = (row: number, column: string | null) => r.problems.filter((p: { row: number; column: string | null }) => p.row === row && p.column === column).map((p: { message: string }) => p.message);
      // Row 4 (the header is row 2): the team, the amount, the future date, the USCC.
      expect(at(4, 'C')).toEqual(['招商小分队（责任单位）“不存在的小分队”不存在或不在您的数据范围内']);
      expect(at(4, 'H')[0]).toMatch(/^意向投资额“很多”无法识别/);
      expect(at(4, 'N')[0]).toMatch(/^在谈日期 2099-01-01 晚于今天/);
      expect(at(4, 'V')[0]).toMatch(/^统一社会信用代码“ABC”有误/);
      // Row 5: 落地 needs its date and what the stages up to it need.
      expect(at(5, 'Q')).toEqual(['当前阶段为“落地”，须填写落地日期']);
      expect(at(5, 'F')).toEqual(['当前阶段为“落地”，须填写投资方']);
      expect(at(5, 'U')).toEqual(['当前阶段为“落地”，须填写注册企业名称']);
      // Row 6 repeats row 3.
      expect(at(6, 'B')).toEqual(['与第 3 行重复（同一小分队的同名项目）']);
      expect(r.outcomes.find((o: { row: number }) => o.row === 3)).toMatchObject({ action: 'create' });
    }
    expect(await count()).toBe(before);
  });

  it('imports a clean ledger: creates, links the enterprise by USCC, makes started records library projects, then updates', async () => {
    const before = await count();
    const rows = [
      [1, '导入测试丁项目', '招商一组', '吴中区', '新能源', '某集团', '签约', 80000, 150000.5, 3000, null, null, '2026-01-05', '2026-02-01', '2026-03-10', null, null, null, null, null, null, null, null],
      [2, '导入测试戊项目', '招商一组', '320506', '高端装备', '某装备公司', '开工', '8亿元', 50000, null, 60000, 12000, '2026-01-02', '2026-01-20', '2026/2/3', '2026-02-20', '2026-03-01', '2026年4月1日', null, '区评审委员会', '苏州导入精密科技有限公司', USCC_A, null],
      [3, '导入测试己项目', '招商一组', null, null, null, null, null, null, null, null, null, '2026-04-01', null, null, null, null, null, null, null, null, null, '2026-05-01 洽谈失败：投资方资金链断裂'],
    ];
    const dry = (await upload(office, 'dry-run', rows)).json();
    expect(dry).toMatchObject({ dryRun: true, applied: false, summary: { created: 3, errors: 0 } });
    expect(await count()).toBe(before);
    const applied = (await upload(office, 'apply', rows)).json();
    expect(applied).toMatchObject({ applied: true, summary: { created: 3, errors: 0 } });
    expect(await count()).toBe(before + 3);

    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/attraction/leads?q=导入测试&terminated=true', headers: office })).json<{ id: number; name: string }[]>();
    const byName = (n: string) => list.find((l) => l.name === n)!;
    const ding = (await t.app.inject({ method: 'GET', url: `/api/v1/attraction/leads/${byName('导入测试丁项目').id}`, headers: office })).json();
    // 150000.5 万元 is exact integer yuan; 3000 万美元 is 30,000,000 USD.
    expect(ding).toMatchObject({ stage: 'signed', signed_amount: 1_500_005_000, intended_amount: 800_000_000, foreign_usd: 30_000_000, signed_on: '2026-03-10', project_id: null, enterprise: null });
    expect(ding.moves.at(-1)).toMatchObject({ action: 'import', to: 'settled' });
    expect(ding.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const wu = (await t.app.inject({ method: 'GET', url: `/api/v1/attraction/leads/${byName('导入测试戊项目').id}`, headers: office })).json();
    expect(wu).toMatchObject({ stage: 'started', intended_amount: 800_000_000, signed_on: '2026-02-03', started_on: '2026-04-01', enterprise_id: enterpriseId, enterprise: { id: enterpriseId, uscc: USCC_A } });
    expect(wu.project).toMatchObject({ name: '导入测试戊项目', total_investment: 600_000_000 });
    const ji = (await t.app.inject({ method: 'GET', url: `/api/v1/attraction/leads/${byName('导入测试己项目').id}`, headers: office })).json();
    expect(ji).toMatchObject({ stage: 'lead', terminated_on: '2026-05-01', termination_kind: 'failed', termination_reason: '投资方资金链断裂' });

    // The same ledger again changes nothing; a later stage updates the record; going back is refused.
    expect((await upload(office, 'apply', rows)).json().summary).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const later = [[1, '导入测试丁项目', '招商一组', '吴中区', '新能源', '某集团', '过审', 80000, 150000.5, 3000, null, null, '2026-01-05', '2026-02-01', '2026-03-10', '2026-03-20', null, null, null, '区评审委员会', null, null, null]];
    const upd = (await upload(office, 'apply', later)).json();
    expect(upd.summary).toMatchObject({ updated: 1, errors: 0 });
    expect(upd.outcomes[0].changes).toEqual(expect.arrayContaining(['当前阶段', '过审日期', '评审机构']));
    const back = [[1, '导入测试丁项目', '招商一组', '吴中区', '新能源', '某集团', '在谈', 80000, null, null, null, null, '2026-01-05', '2026-02-01', null, null, null, null, null, null, null, null, null]];
    const refused = (await upload(office, 'dry-run', back)).json();
    expect(refused.problems[0]).toMatchObject({ row: 3, column: 'G', message: '系统中该项目已处于“过审”阶段，台账中的“在谈”不能使其后退' });
    // A reporter may not import (attraction.review).
    expect((await upload(rep1, 'dry-run', rows)).statusCode).toBe(403);
  });

  it('refuses a row that skips a stage without a reason (跳过阶段理由), at its row and column, and records the reason given', async () => {
    const before = await count();
    // 签约 with the 在谈日期 column left blank: 在谈 was skipped. Without the reason column the error sits on 在谈日期 (N).
    const skipping = [1, '跳过测试甲项目', '招商一组', '吴中区', null, null, '签约', null, 50000, null, null, null, '2026-01-05', null, '2026-03-10', null, null, null, null, null, null, null, null];
    const plain = (await upload(office, 'apply', [skipping])).json();
    expect(plain).toMatchObject({ applied: false, summary: { errorRows: 1 } });
    expect(plain.problems.map((p: { row: number; column: string; message: string }) => [p.row, p.column, p.message])).toContainEqual(
      [3, 'N', '当前阶段为“签约”，未填写在谈日期即跳过了在谈阶段，须在“跳过阶段理由”列说明理由（或填写在谈日期）'],
    );
    // With the column (X), a blank cell is refused there; a reason imports the row, waives 在谈's own fields (投资方,
    // 意向投资额, 所属产业: none given) and is kept with the record's move.
    const withReason = async (step: 'dry-run' | 'apply', rows: unknown[][]) => {
      const buf = await buildWorkbook([{ name: '招商项目台账', rows: [['招商引资项目台账'], [...HEADER, '跳过阶段理由'], ...rows] as never }]);
      const body = multipartBody('招商台账（含理由）.xlsx', buf);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/attraction/import/${step}`, headers: { ...office, ...body.headers }, payload: body.payload });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const blank = await withReason('apply', [[...skipping, null], [2, '跳过测试乙项目', '招商一组', '吴中区', '新能源', '某集团', '在谈', 1000, null, null, null, null, '2026-01-05', '2026-02-01', null, null, null, null, null, null, null, null, null, null]]);
    expect(blank).toMatchObject({ applied: false, summary: { errorRows: 1 } });
    const blankErrors = blank.problems.filter((p: { severity: string }) => p.severity === 'error').map((p: { row: number; column: string; message: string }) => [p.row, p.column, p.message]);
    expect(blankErrors).toContainEqual([3, 'X', '当前阶段为“签约”，未填写在谈日期即跳过了在谈阶段，须在“跳过阶段理由”列说明理由（或填写在谈日期）']);
    // Without a reason the skipped stage's own fields are still asked for; the row that skips nothing is clean.
    expect(blankErrors.map((e: unknown[]) => e[0])).not.toContain(4);
    expect(await count()).toBe(before);
    const reason = '省招商推介会现场直接签约';
    const applied = await withReason('apply', [[...skipping, reason]]);
    expect(applied).toMatchObject({ applied: true, summary: { created: 1, errors: 0 } });
    expect(await count()).toBe(before + 1);
    const [lead] = (await t.app.inject({ method: 'GET', url: '/api/v1/attraction/leads?q=跳过测试甲项目', headers: office })).json<{ id: number }[]>();
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/attraction/leads/${lead!.id}`, headers: office })).json();
    expect(detail).toMatchObject({ stage: 'signed', negotiating_on: null, investor: null, signed_amount: 500_000_000 });
    expect(detail.moves.at(-1).reason).toBe(`导入台账“招商台账（含理由）.xlsx”第 3 行：登记为“签约”，跳过在谈阶段，理由：${reason}`);
  });

  it('links a record to an enterprise by USCC on edit, by choice, and refuses one that does not exist', async () => {
    const lead = (await t.app.inject({ method: 'POST', url: '/api/v1/attraction/leads', headers: rep1, payload: { name: '企业关联测试项目', team_id: team1, region_code: '320506' } })).json();
    expect(lead.enterprise_id).toBeNull();
    // The enterprise lies outside the team reporter's data scope: its USCC links nothing for the reporter …
    let res = await t.app.inject({ method: 'PATCH', url: `/api/v1/attraction/leads/${lead.id}`, headers: rep1, payload: { company_name: '苏州导入精密科技有限公司', company_uscc: USCC_A, version: lead.version } });
    expect(res.json()).toMatchObject({ enterprise_id: null });
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/attraction/leads/${lead.id}`, headers: rep1, payload: { enterprise_id: enterpriseId, version: res.json().version } })).statusCode).toBe(422);
    // … and links it for the office, which sees it.
    res = await t.app.inject({ method: 'PATCH', url: `/api/v1/attraction/leads/${lead.id}`, headers: office, payload: { company_uscc: USCC_A, version: res.json().version } });
    expect(res.json()).toMatchObject({ enterprise_id: enterpriseId, enterprise: { name: '苏州导入精密科技有限公司' } });
    res = await t.app.inject({ method: 'PATCH', url: `/api/v1/attraction/leads/${lead.id}`, headers: office, payload: { enterprise_id: null, version: res.json().version } });
    expect(res.json()).toMatchObject({ enterprise_id: null, enterprise: null });
    res = await t.app.inject({ method: 'PATCH', url: `/api/v1/attraction/leads/${lead.id}`, headers: office, payload: { notes: '已解除关联', version: res.json().version } });
    expect(res.json()).toMatchObject({ enterprise_id: null });
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/attraction/leads/${lead.id}`, headers: office, payload: { enterprise_id: 999_999, version: res.json().version } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toBe('企业库中没有该企业或无权访问：999999');
    // A USCC no enterprise carries links nothing.
    const other = (await t.app.inject({ method: 'POST', url: '/api/v1/attraction/leads', headers: rep1, payload: { name: '企业关联测试项目二', team_id: team1, region_code: '320506', company_uscc: USCC_B } })).json();
    expect(other.enterprise_id).toBeNull();
  });

  it('lists the leads linked to an enterprise on the enterprise page, within the reader\'s scope (万人助万企 ↔ 招商线索)', async () => {
    const page = async (headers: LoginHeaders) => {
      const res = await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers });
      expect(res.statusCode).toBe(200);
      return res.json<{ leads: Array<{ id: number; name: string; stage: string; team_name: string; intended_amount: number | null }>; leads_hidden: number }>();
    };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/attraction/leads', headers: office,
      payload: { name: '企业页线索测试（二组）', team_id: team2, region_code: '320506', intended_amount: 120_000_000, enterprise_id: enterpriseId } });
    expect(created.statusCode).toBe(201);
    const byOffice = await page(office);
    expect(byOffice.leads.find((l) => l.id === created.json().id)).toMatchObject({ name: '企业页线索测试（二组）', stage: 'lead', team_name: '招商二组', intended_amount: 120_000_000 });
    // Every lead linked to the enterprise, and only those.
    const linked = await t.db.selectFrom('attraction_leads').select('id').where('enterprise_id', '=', enterpriseId).execute();
    expect(byOffice.leads.map((l) => l.id).sort((a, b) => a - b)).toEqual(linked.map((l) => l.id).sort((a, b) => a - b));
    expect(byOffice.leads_hidden).toBe(0);
    // Team one's reporter, linked to the enterprise as its cadre, sees the enterprise and only team one's leads; the rest are counted.
    expect((await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: rep1 })).statusCode).toBe(404);
    const link = await t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/cadres`, headers: office, payload: { user_id: rep1Id, name: '招商一组干部', role: 'cadre' } });
    expect(link.statusCode).toBe(201);
    const byRep = await page(rep1);
    expect(byRep.leads.map((l) => l.name)).not.toContain('企业页线索测试（二组）');
    expect(byRep.leads.every((l) => l.team_name === '招商一组')).toBe(true);
    expect(byRep.leads.length + byRep.leads_hidden).toBe(byOffice.leads.length);
    expect(byRep.leads_hidden).toBeGreaterThanOrEqual(1);
  });

  it('keeps the stale threshold and the start limit as office settings the figures use', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/attraction/settings', headers: rep1 })).json()).toMatchObject({ stale_days: 30, start_limit_months: 6, today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/attraction/settings', headers: rep1, payload: { stale_days: 10 } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/attraction/settings', headers: office, payload: { stale_days: 0 } })).statusCode).toBe(400);
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/attraction/settings', headers: office, payload: { stale_days: 15, start_limit_months: 3 } });
    expect(put.json()).toMatchObject({ stale_days: 15, start_limit_months: 3 });
    const f = (await t.app.inject({ method: 'GET', url: '/api/v1/attraction/figures?year=2026', headers: office })).json();
    expect(f).toMatchObject({ stale_days: 15, start_limit_months: 3 });
    // 导入测试丁项目 signed 2026-03-10 and is not started: due 3 months later.
    expect(f.overdue_start.find((l: { name: string }) => l.name === '导入测试丁项目')).toMatchObject({ due_on: '2026-06-10' });
    // A query parameter still overrides for one look.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/attraction/figures?year=2026&stale_days=90', headers: office })).json().stale_days).toBe(90);
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('action', '=', 'attraction.settings_update').execute();
    expect(audit.length).toBe(1);
  });
});
