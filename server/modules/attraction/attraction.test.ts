import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../core/uscc.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { multipartBody, readWorkbook } from '../../../test/workbooks.ts';
import { createDeps } from '../../deps.ts';
import { systemActor } from '../../platform/context.ts';
import { createAttractionService } from './index.ts';

const USCC = `91320506MA1XYW12A${usccCheckChar('91320506MA1XYW12A')}`;

describe.each(DIALECTS)('investment attraction (招商引资) on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let rep1: LoginHeaders;
  let rep2: LoginHeaders;
  let team1: number;
  let team2: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区商务局', kind: 'office', regionCode: '320506' });
    team1 = (await buildUnit(t.db, { name: '招商一组', parentId: root.id, regionCode: '320506' })).id;
    team2 = (await buildUnit(t.db, { name: '招商二组', parentId: root.id, regionCode: '320506' })).id;
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
    await buildUser(t.db, { username: 'rep1', role: 'reporter', unitId: team1 });
    await buildUser(t.db, { username: 'rep2', role: 'reporter', unitId: team2 });
    office = await t.login('office1');
    rep1 = await t.login('rep1');
    rep2 = await t.login('rep2');
  });
  afterAll(async () => t?.close());

  const call = (headers: LoginHeaders, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/attraction${url}`, headers, ...(payload ? { payload } : {}) });

  it('carries one record from 线索 to 开工 through reviewed moves, and makes it a library project', async () => {
    // A reporter registers leads only for its own team.
    expect((await call(rep1, 'POST', '/leads', { name: '外省电池项目', team_id: team2, region_code: '320506' })).statusCode).toBe(422);
    const created = await call(rep1, 'POST', '/leads', { name: '新能源电池模组项目', team_id: team1, region_code: '320506', lead_on: '2026-01-05' });
    expect(created.statusCode).toBe(201);
    let lead = created.json();
    expect(lead).toMatchObject({ stage: 'lead', review_status: 'settled', lead_on: '2026-01-05', team_name: '招商一组', actions: ['submit'] });
    const id = lead.id as number;
    expect((await call(rep2, 'GET', `/leads/${id}`)).statusCode).toBe(404);

    // 在谈 needs its fields; then 填报 → 审核 (return with a reason) → 填报 → 通过.
    let res = await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'negotiating', date: '2026-02-01', version: lead.version });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toBe('进入“在谈”阶段前须填写：投资方、意向投资额、所属产业');
    res = await call(rep1, 'PATCH', `/leads/${id}`, { investor: '某新能源集团', intended_amount: 800_000_000, industry: '新能源', negotiator: '张三', version: lead.version });
    lead = res.json();
    lead = (await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'negotiating', date: '2026-02-01', version: lead.version })).json();
    expect(lead).toMatchObject({ review_status: 'submitted', pending_to: 'negotiating', stage: 'lead' });
    expect((await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'negotiating', date: '2026-02-01', version: lead.version })).statusCode).toBe(409);
    res = await call(rep1, 'POST', `/leads/${id}/review`, { action: 'approve', version: lead.version });
    expect(res.statusCode).toBe(403);
    res = await call(office, 'POST', `/leads/${id}/review`, { action: 'return', version: lead.version });
    expect(res.json().error.message).toBe('退回招商项目须说明理由');
    lead = (await call(office, 'POST', `/leads/${id}/review`, { action: 'return', reason: '请补充洽谈纪要', version: lead.version })).json();
    expect(lead).toMatchObject({ review_status: 'returned', return_reason: '请补充洽谈纪要' });
    lead = (await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'negotiating', date: '2026-02-01', version: lead.version })).json();
    lead = (await call(office, 'POST', `/leads/${id}/review`, { action: 'approve', version: lead.version })).json();
    expect(lead).toMatchObject({ stage: 'negotiating', negotiating_on: '2026-02-01', review_status: 'settled', pending_to: null });

    // A stale version answers 409 with the stored record.
    res = await call(rep1, 'PATCH', `/leads/${id}`, { site: '吴中经开区', version: lead.version - 1 });
    expect(res.statusCode).toBe(409);

    // 签约 → 过审 → 落地 (USCC checked) → 开工.
    const advance = async (to: string, date: string, patch: object = {}) => {
      if (Object.keys(patch).length) lead = (await call(rep1, 'PATCH', `/leads/${id}`, { ...patch, version: lead.version })).json();
      lead = (await call(rep1, 'POST', `/leads/${id}/moves`, { to, date, version: lead.version })).json();
      lead = (await call(office, 'POST', `/leads/${id}/review`, { action: 'approve', version: lead.version })).json();
    };
    await advance('signed', '2026-03-10', { signed_amount: 1_500_000_000, foreign_usd: 30_000_000, planned_total: 2_000_000_000 });
    await advance('approved', '2026-03-20', { review_body: '区招商项目评审委员会' });
    res = await call(rep1, 'PATCH', `/leads/${id}`, { company_name: '苏州某新能源科技有限公司', company_uscc: '91320506MA1XYW12A0', version: lead.version });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('统一社会信用代码');
    await advance('landed', '2026-04-15', { company_name: '苏州某新能源科技有限公司', company_uscc: USCC.toLowerCase(), land_info: '挂牌出让 120 亩' });
    expect(lead.company_uscc).toBe(USCC);
    await advance('started', '2026-06-01', { funds_in_place: 300_000_000 });
    expect(lead).toMatchObject({ stage: 'started', started_on: '2026-06-01', signed_amount: 1_500_000_000, funds_in_place: 300_000_000 });
    expect(lead.project).toMatchObject({ name: '新能源电池模组项目', total_investment: 2_000_000_000 });
    const project = await t.db.selectFrom('projects').selectAll().where('id', '=', lead.project_id).executeTakeFirstOrThrow();
    expect(project).toMatchObject({ is_attraction: 1, stage: 'started', actual_start_date: '2026-06-01', unit_id: team1, builder_uscc: USCC });

    // Every move is in the status log, in order.
    expect(lead.moves.map((m: { action: string }) => m.action)).toEqual(['create', 'submit', 'return', 'submit', 'approve', ...Array(8).fill(0).map((_, i) => (i % 2 ? 'approve' : 'submit'))]);
    expect(lead.moves.at(-1).reason).toBe('进入“开工”（2026-06-01）');
  });

  it('refuses a skip without a reason and ends a record only with one (终止), reviewed', async () => {
    let lead = (await call(rep1, 'POST', '/leads', { name: '物流园项目', team_id: team1, region_code: '320506', lead_on: '2026-01-10', signed_amount: 100_000_000 })).json();
    const id = lead.id as number;
    let res = await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'signed', date: '2026-02-01', version: lead.version });
    expect(res.json().error.message).toBe('从“线索”直接进入“签约”跳过了在谈阶段，须说明理由');
    lead = (await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'signed', date: '2026-02-01', reason: '老客户增资，直接签约', version: lead.version })).json();
    lead = (await call(office, 'POST', `/leads/${id}/review`, { action: 'approve', version: lead.version })).json();
    expect(lead).toMatchObject({ stage: 'signed', negotiating_on: null, signed_on: '2026-02-01' });
    res = await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'terminated', date: '2026-03-01', termination_kind: 'elsewhere', version: lead.version });
    expect(res.json().error.message).toBe('终止须说明理由');
    lead = (await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'terminated', date: '2026-03-01', termination_kind: 'elsewhere', reason: '落户昆山', version: lead.version })).json();
    lead = (await call(office, 'POST', `/leads/${id}/review`, { action: 'approve', version: lead.version })).json();
    expect(lead).toMatchObject({ terminated_on: '2026-03-01', termination_kind: 'elsewhere', termination_reason: '落户昆山', actions: [] });
    expect((await call(rep1, 'POST', `/leads/${id}/moves`, { to: 'approved', date: '2026-03-02', version: lead.version })).statusCode).toBe(409);
    // Terminated records leave the board but stay in the figures.
    const board = (await call(office, 'GET', '/leads')).json<{ id: number }[]>();
    expect(board.map((l) => l.id)).not.toContain(id);
    expect((await call(office, 'GET', '/leads?terminated=true')).json<{ id: number }[]>().map((l) => l.id)).toContain(id);
  });

  it('keeps follow-ups and evidence per stage, within the data scope', async () => {
    const [lead] = (await call(rep1, 'GET', '/leads?q=电池')).json<{ id: number; last_followup_on: string | null }[]>();
    expect(lead!.last_followup_on).toBeNull();
    let res = await call(rep1, 'POST', `/leads/${lead!.id}/followups`, { on_date: '2026-05-20', content: '赴企业总部对接设备采购进度' });
    expect(res.statusCode).toBe(201);
    await call(rep1, 'POST', `/leads/${lead!.id}/followups`, { on_date: '2026-05-01', content: '电话跟进' });
    expect((await call(rep1, 'GET', `/leads/${lead!.id}`)).json()).toMatchObject({ last_followup_on: '2026-05-20', followups: [{ content: '赴企业总部对接设备采购进度' }, { on_date: '2026-05-01' }] });
    expect((await call(rep2, 'POST', `/leads/${lead!.id}/followups`, { on_date: '2026-05-20', content: 'x' })).statusCode).toBe(404);

    const pdf = Buffer.from('%PDF-1.4 contract');
    const up = multipartBody('投资合同.pdf', pdf);
    res = await t.app.inject({ method: 'POST', url: `/api/v1/attraction/leads/${lead!.id}/files?stage=signed`, headers: { ...rep1, ...up.headers }, payload: up.payload });
    expect(res.statusCode).toBe(201);
    const [file] = res.json();
    expect(file).toMatchObject({ stage: 'signed', file_name: '投资合同.pdf', mime: 'application/pdf' });
    const got = await t.app.inject({ url: `/api/v1/attraction/leads/${lead!.id}/files/${file.id}`, headers: office });
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect((await t.app.inject({ url: `/api/v1/attraction/leads/${lead!.id}/files/${file.id}`, headers: rep2 })).statusCode).toBe(404);
    const exe = multipartBody('a.exe', pdf);
    res = await t.app.inject({ method: 'POST', url: `/api/v1/attraction/leads/${lead!.id}/files?stage=signed`, headers: { ...rep1, ...exe.headers }, payload: exe.payload });
    expect(res.statusCode).toBe(422);
  });

  it('answers figures by team, the funnel and the signed totals evaluation reads', async () => {
    const res = await call(office, 'GET', '/figures?year=2026&quarter=1&group_by=team');
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.total).toMatchObject({ signed_count: 2, signed_amount: 1_600_000_000, signed_big_count: 2, signed_big_amount: 1_600_000_000, foreign_usd: 30_000_000 });
    expect(f.groups.map((g: { label: string }) => g.label)).toEqual(['招商一组']);
    expect(f.funnel.map((s: { reached: number }) => s.reached)).toEqual([2, 2, 2, 1, 0, 0, 0]); // the skipped 在谈 counts as reached
    expect(f.definitions.conversion).toContain('分母');
    expect(f.overdue_start.map((l: { name: string }) => l.name)).toEqual([]); // the signed one started; the other ended

    // rep2's team sees none of it.
    expect((await call(rep2, 'GET', '/figures?year=2026').then((r) => r.json())).total.signed_count).toBe(0);
    const svc = createAttractionService(createDeps(t.db));
    expect(await svc.signedTotals(systemActor().scope, { from: '2026-01-01', to: '2026-12-31' })).toMatchObject({ count: 2, amount: 1_600_000_000, big_count: 2, started_count: 1 });
    const b = (await call(office, 'GET', '/batches?year=2026&quarter=2')).json();
    expect([b.signed.length, b.started.map((l: { name: string }) => l.name), b.producing.length]).toEqual([0, ['新能源电池模组项目'], 0]);
  });

  it('exports the ledger and the quarter\'s 三个一批 sheets, within the data scope', async () => {
    const res = await t.app.inject({ url: '/api/v1/attraction/export.xlsx?year=2026&quarter=2', headers: office });
    expect(res.statusCode).toBe(200);
    const wb = await readWorkbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['招商项目台账', '签约一批', '开工一批', '投产一批']);
    const ledger = wb.getWorksheet('招商项目台账')!;
    const names: string[] = [];
    ledger.eachRow((row, n) => n > 3 && names.push(row.getCell(2).text));
    expect(names).toContain('新能源电池模组项目');
    expect(names).toContain('物流园项目'); // terminated records stay in the ledger
    const started = wb.getWorksheet('开工一批')!;
    expect(started.getRow(1).getCell(1).value).toBe('2026年第2季度“三个一批”开工一批项目表');
    expect(started.getRow(4).getCell(2).value).toBe('新能源电池模组项目');
    expect(started.getRow(4).getCell(8).value).toBe(150000); // 签约额 in 万元
    expect(started.getRow(5).getCell(2).text).toMatch(/合计|1/);
    // rep2's team has nothing: its ledger holds only the total row.
    const other = await readWorkbook((await t.app.inject({ url: '/api/v1/attraction/export.xlsx?year=2026&quarter=2', headers: rep2 })).rawPayload);
    expect(other.getWorksheet('招商项目台账')!.rowCount).toBe(4);
  });
});
