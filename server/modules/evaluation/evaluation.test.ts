import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildPlan, buildReport } from '../../../test/indicator-factories.ts';
import { chinaToday } from '../../../core/clock.ts';
import type { Scheme } from '../../../core/evaluation/scheme.ts';
import { clock } from '../../clock.ts';
import { loadExcel } from '../../excel.ts';
import type { SnapshotBody } from './index.ts';

const YI = 100_000_000;

/**
 * Five townships of 吴中区, 2026 (the bulletin test's portfolio): after May 甪直镇 and 临湖镇 complete exactly 50%,
 * 木渎镇 41.35% with one project planned to start in March and not started (逾期未开工), 胥口镇 40%, 横泾街道 no plan.
 * April has different figures, so May's changes against April show.
 */
async function buildPortfolio(t: Awaited<ReturnType<typeof createTestApp>>) {
  await buildRegions(t.db);
  const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
  const unit = async (name: string) => (await buildUnit(t.db, { name, parentId: root.id, regionCode: '320506', kind: 'township' })).id;
  const ids = { 甪直镇: await unit('甪直镇'), 临湖镇: await unit('临湖镇'), 木渎镇: await unit('木渎镇'), 胥口镇: await unit('胥口镇'), 横泾街道: await unit('横泾街道') };
  const project = async (name: string, unitId: number, plan: number, april: number, may: number, extra: { notStarted?: boolean } = {}) => {
    const id = await buildProject(t.db, extra.notStarted
      ? { name, unit_id: unitId, stage: 'preliminary' }
      : { name, unit_id: unitId, stage: 'started', actual_start_date: '2025-06-01' });
    await buildPlan(t.db, { project_id: id, year: 2026, planned_investment: plan, ...(extra.notStarted ? { plan_new_start: 1, plan_start_month: 3 } : {}) });
    if (april) await buildReport(t.db, { project_id: id, year: 2026, month: 4, amount_ytd: april });
    if (may) await buildReport(t.db, { project_id: id, year: 2026, month: 5, amount_ytd: may });
    return id;
  };
  await project('甪直智能装备产业园', ids.甪直镇, 30 * YI, 9 * YI, 15 * YI);
  await project('临湖生态湿地公园', ids.临湖镇, 20 * YI, 8 * YI, 10 * YI);
  await project('木渎新能源电池基地', ids.木渎镇, 30 * YI, 15 * YI, 1654 * YI / 100);
  await project('木渎综合管廊', ids.木渎镇, 10 * YI, 0, 0, { notStarted: true });
  await project('胥口物流园', ids.胥口镇, 10 * YI, 3 * YI, 4 * YI);
  await project('横泾文旅综合体', ids.横泾街道, 0, 0, 0);
  await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
  await buildUser(t.db, { username: 'office2', role: 'office', unitId: root.id });
  await buildUser(t.db, { username: 'leader1', role: 'leader', unitId: root.id });
  await buildUser(t.db, { username: 'reporter1', role: 'reporter', unitId: ids.甪直镇 });
  return { ids, office: await t.login('office1'), office2: await t.login('office2'), leader: await t.login('leader1'), reporter: await t.login('reporter1') };
}

/** The scheme of the test: rank bands on the completion rate, a linear gap score, −3 per overdue start, a veto. */
const SCHEME: Scheme = {
  name: '2026年度重点项目月度考评方案', advanced_count: 2, lagging_count: 2,
  year_end: { monthly_weight: 0.7, items: [{ key: 'dev', name: '发展改革综合工作（市发改委评定）', max: 20 }] },
  nodes: [
    {
      key: 'invest', name: '投资进度', max: 70, children: [
        { key: 'completion', name: '投资完成率', source: 'completion_rate', rule: { kind: 'rank_bands', points: [60, 57, 54, 51, 48], rest: 45, order: 'desc' } },
        { key: 'gap', name: '与序时进度差', source: 'gap_points', rule: { kind: 'linear', base: 10, target: 0, per_above: 0.5, per_below: 0.5, min: 0, max: 15 } },
      ],
    },
    { key: 'overdue', name: '逾期未开工', source: 'overdue_starts', rule: { kind: 'count', per: -3, cap: 15 } },
    { key: 'safety', name: '安全生产', source: 'manual', rule: { kind: 'veto' } },
  ],
};

describe.each(DIALECTS)('evaluation (考评) on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let h: Awaited<ReturnType<typeof buildPortfolio>>;
  let schemeId: number;
  const today = chinaToday(clock.now());

  beforeAll(async () => {
    t = await createTestApp(dialect);
    h = await buildPortfolio(t);
  });
  afterAll(async () => t?.close());

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, headers: LoginHeaders, payload?: unknown) => {
    const res = await t.app.inject({ method, url: `/api/v1/evaluation${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.json<Record<string, unknown> & { error?: { message: string; details?: unknown } }>() };
  };
  type Month = { status: string; snapshot: SnapshotBody; diff: { unit_name: string; item: string; before: string; after: string }[]; objections: { id: number; status: string }[]; revision: number };
  const unitOf = (s: SnapshotBody, name: string) => s.units.find((u) => u.name === name)!;

  it('refuses an invalid scheme with every problem in Chinese, an unknown source among them', async () => {
    const bad = { ...SCHEME, nodes: [...SCHEME.nodes, { key: 'matters', name: '供地率', source: 'land_supply_rate', rule: { kind: 'threshold', op: '>=', threshold: 90, pass: 5, fail: 0 } }, { key: 'gap', name: '重复' }] };
    const r = await call('POST', '/schemes', h.office, { year: 2026, scheme: bad });
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toBe('考评方案有4处问题：供地率：数据来源“land_supply_rate”不存在');
    expect(r.body.error!.details).toEqual(expect.arrayContaining([{ path: '重复', message: '指标代码“gap”重复' }, { path: '重复', message: '末级指标须绑定数据来源' }]));
    expect((await call('POST', '/schemes', h.reporter, { year: 2026, scheme: SCHEME })).status).toBe(403);
  });

  it('reads the problems module\'s figures as a source (wired through its index.ts)', async () => {
    const sources = (await call('GET', '/sources', h.leader)).body as unknown as { key: string; available: boolean }[];
    expect(sources.find((s) => s.key === 'problem_on_time_rate')).toMatchObject({ available: true });
    expect(sources.find((s) => s.key === 'stats_entry_rate')).toMatchObject({ available: true, provider: 'projects' });
    const scheme = { name: 't', nodes: [...SCHEME.nodes.slice(0, 1), { key: 'problems', name: '问题按期办结', source: 'problem_on_time_rate', rule: { kind: 'threshold', op: '>=', threshold: 90, pass: 5, fail: 0 } }] };
    const p = await call('POST', '/preview', h.leader, { year: 2026, month: 5, scheme });
    expect((p.body.result as SnapshotBody).units.find((u) => u.name === '甪直镇')!.nodes.problems).toMatchObject({ value_text: '—', note: '无数据，不得分' });
  });

  it('reads supervision\'s and attraction\'s figures as sources (wired through their index.ts)', async () => {
    const sources = (await call('GET', '/sources', h.leader)).body as unknown as { key: string; available: boolean; provider: string }[];
    for (const key of ['matter_on_time_rate', 'matter_feedback_on_time_rate', 'matter_overdue']) expect(sources.find((s) => s.key === key)).toMatchObject({ available: true, provider: 'supervision' });
    for (const key of ['signed_amount', 'signed_count', 'signed_big_count']) expect(sources.find((s) => s.key === key)).toMatchObject({ available: true, provider: 'attraction' });
    // 甪直镇's team signed 1.5亿 in March and 0.3亿 in June; 临湖镇 0.5亿 in May: the year to May counts March and May.
    const now = clock.now().toISOString();
    const lead = (team: number, name: string, signedOn: string, amount: number) => ({
      name, team_id: team, region_code: '320506', stage: 'signed', lead_on: '2026-01-05', negotiating_on: '2026-02-01', signed_on: signedOn,
      investor: '某集团', intended_amount: amount, industry: '新能源', signed_amount: amount, created_at: now, updated_at: now,
    });
    await t.db.insertInto('attraction_leads').values([
      lead(h.ids.甪直镇, '考评来源测试甲', '2026-03-10', 150_000_000), lead(h.ids.甪直镇, '考评来源测试乙', '2026-06-10', 30_000_000),
      lead(h.ids.临湖镇, '考评来源测试丙', '2026-05-20', 50_000_000),
    ]).execute();
    const scheme = { name: 't', nodes: [
      { key: 'signed', name: '招商签约额', source: 'signed_amount', rule: { kind: 'proportional', full: 10, order: 'desc' } },
      { key: 'matters', name: '督办按期办结', source: 'matter_on_time_rate', rule: { kind: 'threshold', op: '>=', threshold: 90, pass: 5, fail: 0 } },
    ] };
    const p = await call('POST', '/preview', h.leader, { year: 2026, month: 5, scheme });
    const units = (p.body.result as SnapshotBody).units;
    const luzhi = units.find((u) => u.name === '甪直镇')!;
    const linhu = units.find((u) => u.name === '临湖镇')!;
    expect(luzhi.nodes.signed).toMatchObject({ value_text: expect.stringContaining('15000'), score_text: '10.0' });
    expect(linhu.nodes.signed).toMatchObject({ value_text: expect.stringContaining('5000'), score_text: '3.3' });
    // No matters were assigned in May: the supervision leaf has no data.
    expect(luzhi.nodes.matters).toMatchObject({ value_text: '—' });
  });

  it('tries a draft on a past month before adopting it, and adopts it', async () => {
    const created = await call('POST', '/schemes', h.office, { year: 2026, scheme: SCHEME });
    expect(created.status).toBe(201);
    schemeId = created.body.id as number;
    expect(created.body).toMatchObject({ year: 2026, version: 1, status: 'draft' });
    // "What would April's ranking have been": 临湖 40% (60 + 13.33, capped at 70), 木渎 37.5% (57 + 12.08 − 3 for
    // the March start it missed), 甪直 and 胥口 both 30% (54 + 8.33: a tie), 横泾街道 no plan.
    const p = await call('POST', '/preview', h.leader, { year: 2026, month: 4, scheme: SCHEME });
    expect(p.status).toBe(200);
    const april = (p.body.result as SnapshotBody);
    expect(april.units.map((u) => [u.name, u.rank, u.total_text])).toEqual([
      ['临湖镇', 1, '70.0'], ['木渎镇', 2, '66.1'], ['甪直镇', 3, '62.3'], ['胥口镇', 3, '62.3'], ['横泾街道', 5, '0.0'],
    ]);
    expect(unitOf(april, '木渎镇').nodes.overdue).toMatchObject({ value_text: '1', score_text: '-3.0', note: '1个 × -3分 = -3.0分' });
    expect((await call('POST', '/months/2026/5/compute', h.office)).body.error!.message).toBe('2026年尚未启用考评方案');
    const adopted = await call('POST', `/schemes/${schemeId}/adopt`, h.office);
    expect(adopted.body.status).toBe('adopted');
    const edit = await call('PUT', `/schemes/${schemeId}`, h.office, { scheme: SCHEME, row_version: 2 });
    expect(edit.body.error!.message).toBe('已启用或已停用的方案不能修改，请另存为新版本');
  });

  it('computes April and May: scores, ranks, changes against last month, gaps to the leader, lists', async () => {
    expect((await call('POST', '/months/2026/4/compute', h.office)).status).toBe(200);
    // A veto entered by hand counts only once reviewed by someone else.
    const entry = await call('PUT', '/entries', h.office, { year: 2026, month: 5, unit_id: h.ids.胥口镇, item_key: 'safety', value: '1', evidence: '区安委办通报〔2026〕3号：5月12日一般生产安全事故' });
    expect(entry.status).toBe(200);
    expect((await call('POST', `/entries/${entry.body.id as number}/review`, h.office, { decision: 'approved' })).body.error!.message).toBe('录入人不能审核自己录入的数据');
    expect((await call('POST', `/entries/${entry.body.id as number}/review`, h.office2, { decision: 'approved' })).body.status).toBe('approved');

    const may = (await call('POST', '/months/2026/5/compute', h.office)).body as unknown as Month;
    expect(may.status).toBe('draft');
    const s = may.snapshot;
    // 甪直 and 临湖 both 50% (rank 1, 60) + gap 8.33 → 14.17, capped at 70; 木渎 41.35%: 54 + 9.84 − 3 = 60.84;
    // 横泾街道 has no plan (no value, no points); 胥口镇 is vetoed and ranks last.
    expect(s.units.map((u) => [u.name, u.rank, u.total_text, u.vetoed])).toEqual([
      ['临湖镇', 1, '70.0', false], ['甪直镇', 1, '70.0', false], ['木渎镇', 3, '60.8', false], ['横泾街道', 4, '0.0', false], ['胥口镇', 5, '0.0', true],
    ]);
    const muDu = unitOf(s, '木渎镇');
    expect(muDu.nodes.completion).toMatchObject({ value_text: '41.35', score_text: '54.0', note: '第3名，54.0分' });
    expect(muDu.nodes.gap).toMatchObject({ value_text: '-0.32', score_text: '9.8' });
    expect(muDu).toMatchObject({ gap_to_leader_text: '9.2', prev_rank: 2, rank_change: -1, prev_total_text: '66.1', score_change_text: '-5.2' });
    expect(unitOf(s, '甪直镇')).toMatchObject({ prev_rank: 3, rank_change: 2, score_change_text: '7.7' });
    expect(unitOf(s, '甪直镇').nodes.invest!.note).toBe('下级合计74.2分；以上限70.0分计');
    expect(unitOf(s, '胥口镇').veto_reasons).toEqual(['安全生产：发生1次，一票否决']);
    expect(s.advanced.map((k) => s.units.find((u) => u.key === k)!.name)).toEqual(['临湖镇', '甪直镇']);
    expect(s.lagging.map((k) => s.units.find((u) => u.key === k)!.name)).toEqual(['胥口镇', '横泾街道']);
    // 甪直 and 临湖 share the best completion and gap, and four units share the best (zero) overdue count: no red line.
    expect(s.red).toEqual([]);
    expect(s.yellow.find((b) => b.leaf === 'completion')).toMatchObject({ unit_name: '胥口镇', value_text: '40', score_text: '51.0' });
    expect(s.yellow.find((b) => b.leaf === 'overdue')).toMatchObject({ unit_name: '木渎镇', score_text: '-3.0' });
    expect(s.slow.map((p) => p.name)).toContain('木渎综合管廊');
    expect(s.fast.map((p) => p.name)).toContain('甪直智能装备产业园');
  });

  it('drills from a score to the records behind it', async () => {
    const d = await call('GET', `/months/2026/5/units/${h.ids.胥口镇}`, h.leader);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ projects_link: `/projects?unit=${h.ids.胥口镇}`, entries: [{ item_key: 'safety', status: 'approved', value: '1' }] });
  });

  it('runs the objection window (异议/复核) before publishing, then freezes the month', async () => {
    expect((await call('POST', '/months/2026/5/publish', h.leader)).body.error!.message).toBe('发布前须先开放异议期');
    expect((await call('POST', '/months/2026/5/objection-window', h.office, { until: '2020-01-01' })).body.error!.message).toBe('异议截止日期2020-01-01早于今天');
    expect((await call('POST', '/months/2026/5/objection-window', h.office, { until: today })).status).toBe(200);
    const other = await call('POST', '/months/2026/5/objections', h.reporter, { unit_id: h.ids.木渎镇, reason: '代木渎镇提出' });
    expect(other.status).toBe(403);
    expect(other.body.error!.message).toBe('只能对本单位的考评结果提出异议');
    const own = (await call('POST', '/months/2026/5/objections', h.reporter, { unit_id: h.ids.甪直镇, reason: '5月完成投资少计1亿元，已补报' })).body as unknown as Month;
    expect(own.objections).toMatchObject([{ status: 'open' }]);
    expect((await call('POST', '/months/2026/5/publish', h.leader)).body.error!.message).toBe('还有1条异议未复核，不能发布');
    expect((await call('POST', `/objections/${own.objections[0]!.id}/handle`, h.office, { decision: 'rejected', reply: '补报数据未经审核，维持原结果' })).status).toBe(200);
    const published = (await call('POST', '/months/2026/5/publish', h.leader)).body as unknown as Month;
    expect(published.status).toBe('published');
    expect(published.diff).toEqual([]);
    expect((await call('POST', '/months/2026/5/compute', h.office)).body.error!.message).toBe('2026年5月讲评已发布，数据更正后请“更正重发”');
    // Every move of the month and of its objection is in status_log, in order.
    const snap = await t.db.selectFrom('eval_snapshots').select('id').where('year', '=', 2026).where('month', '=', 5).executeTakeFirstOrThrow();
    const moves = await t.db.selectFrom('status_log').select(['from_status', 'to_status', 'action']).where('entity_type', '=', 'eval_snapshot').where('entity_id', '=', snap.id).orderBy('id').execute();
    expect(moves).toEqual([
      { from_status: null, to_status: 'draft', action: 'compute' },
      { from_status: 'draft', to_status: 'objection', action: 'open_objections' },
      { from_status: 'objection', to_status: 'published', action: 'publish' },
    ]);
    const objection = await t.db.selectFrom('status_log').select(['from_status', 'to_status', 'action', 'reason']).where('entity_type', '=', 'eval_objection').where('entity_id', '=', own.objections[0]!.id).orderBy('id').execute();
    expect(objection).toEqual([
      { from_status: null, to_status: 'open', action: 'raise', reason: '5月完成投资少计1亿元，已补报' },
      { from_status: 'open', to_status: 'rejected', action: 'handle', reason: '补报数据未经审核，维持原结果' },
    ]);
  });

  it('shows a visible diff when data is corrected, and corrects a published month with a reason', async () => {
    const ledger = await call('POST', '/ledger', h.office, { year: 2026, month: 5, unit_id: h.ids.木渎镇, points: 2.5, reason: '重大项目签约落地', doc_number: '吴重项办〔2026〕7号', approver: '张主任' });
    expect(ledger.status).toBe(201);
    expect(ledger.body).toMatchObject({ points_hundredths: 250, points_text: '2.5', unit_name: '木渎镇' });
    expect((await call('POST', '/ledger', h.office, { year: 2026, month: 5, unit_id: h.ids.木渎镇, points: 1.005, reason: 'x', doc_number: 'x', approver: 'x' })).body.error!.message).toBe('分值最多两位小数');
    const frozen = (await call('GET', '/months/2026/5', h.leader)).body as unknown as Month;
    expect(unitOf(frozen.snapshot, '木渎镇').total_text).toBe('60.8'); // frozen
    expect(frozen.diff).toEqual([{ unit_key: String(h.ids.木渎镇), unit_name: '木渎镇', item: '总分', before: '60.8', after: '63.3' }]);
    const fixed = (await call('POST', '/months/2026/5/republish', h.leader, { reason: '补记5月加分' })).body as unknown as Month;
    expect(fixed.revision).toBe(1);
    expect(unitOf(fixed.snapshot, '木渎镇').total_text).toBe('63.3');
    expect(fixed.diff).toEqual([]);
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('action', 'like', 'evaluation.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['evaluation.publish', 'evaluation.republish', 'evaluation.ledger_add', 'evaluation.objection_handle', 'evaluation.scheme_adopt']));
  });

  it('exports the 讲评 sheet to xlsx and docx', async () => {
    const x = await t.app.inject({ url: '/api/v1/evaluation/months/2026/5/sheet.xlsx', headers: h.leader });
    expect(x.statusCode, x.body).toBe(200);
    const book = new (await loadExcel()).Workbook();
    await book.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const rows = book.getWorksheet('考评排名')!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1, 4));
    expect(rows[0]).toEqual(['2026年重点项目1–5月考评讲评']);
    expect(rows.find((r) => r[1] === '木渎镇')).toEqual(['3', '木渎镇', 63.3]);
    expect(book.getWorksheet('十慢项目')).toBeDefined();
    const d = await t.app.inject({ url: '/api/v1/evaluation/months/2026/5/sheet.docx', headers: h.leader });
    expect(d.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(d.rawPayload);
    const xml = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(xml).toContain('2026年重点项目1–5月考评讲评');
    expect(xml).toContain('先进单位：临湖镇、甪直镇');
    expect((await t.app.inject({ url: '/api/v1/evaluation/months/2026/7/sheet.docx', headers: h.leader })).json<{ error: { message: string } }>().error.message).toBe('2026年7月讲评尚未生成');
  });

  it('combines the published months, the year items entered by other offices and the year ledger at year end', async () => {
    const e = await call('PUT', '/entries', h.office2, { year: 2026, month: 0, unit_id: h.ids.临湖镇, item_key: 'dev', value: '25', evidence: '市发改委年度评定表' });
    await call('POST', `/entries/${e.body.id as number}/review`, h.office, { decision: 'approved' });
    await call('POST', '/ledger', h.office, { year: 2026, month: 0, unit_id: h.ids.甪直镇, points: -1.5, reason: '年度统计数据报送不及时', doc_number: '吴统〔2026〕2号', approver: '李局长' });
    const y = await call('GET', '/years/2026', h.leader);
    expect(y.status).toBe(200);
    expect(y.body).toMatchObject({ months: [5], monthly_weight: 0.7 });
    // Only May is published: 临湖 70 × 0.7 + 20 (25 capped) = 69; 甪直 70 × 0.7 − 1.5 = 47.5; 木渎 63.34 × 0.7 = 44.3.
    const units = y.body.units as { name: string; rank: number; total_text: string; vetoed_months: number[] }[];
    expect(units.slice(0, 3).map((u) => [u.name, u.rank, u.total_text])).toEqual([['临湖镇', 1, '69.0'], ['甪直镇', 2, '47.5'], ['木渎镇', 3, '44.3']]);
    expect(units.find((u) => u.name === '胥口镇')!.vetoed_months).toEqual([5]);
  });

  it('records outcomes (reward in yuan, 约谈, 通报批评) and upper levels ranking us', async () => {
    const reward = await call('POST', '/months/2026/5/outcomes', h.office, { unit_id: h.ids.临湖镇, kind: 'reward', amount: 300000, note: '月度第一名' });
    expect(reward.status).toBe(200);
    expect((await call('POST', '/months/2026/5/outcomes', h.office, { unit_id: h.ids.胥口镇, kind: 'interview', amount: 5 })).body.error!.message).toBe('约谈、通报批评不填金额');
    expect((reward.body as unknown as { outcomes: unknown[] }).outcomes).toMatchObject([{ kind: 'reward', amount: 300000 }]);
    const up = await call('POST', '/upper-ranks', h.office, { year: 2026, month: 5, level: 'city', indicator: '重大项目投资完成率', our_rank: 8, unit_count: 10, our_score: '82.5', leader_score: '95', reasons: '两个产业项目开工滞后', next_steps: '列入督办' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ is_weak: true, our_rank: 8 });
    expect((await call('POST', '/upper-ranks', h.office, { year: 2026, month: 5, level: 'city', indicator: 'x', our_rank: 11, unit_count: 10 })).body.error!.message).toBe('名次11大于参评单位数10');
  });

  it('turns a weak indicator (upper-level 弱项 or a unit line) into a 督办事项 in one step, linked to its source', async () => {
    const weak = await call('POST', '/upper-ranks', h.office, { year: 2026, month: 5, level: 'province', indicator: '项目开工率', our_rank: 9, unit_count: 12, our_score: '70', leader_score: '96', reasons: '三个项目未按期开工', next_steps: '倒排工期' });
    const fine = await call('POST', '/upper-ranks', h.office, { year: 2026, month: 5, level: 'city', indicator: '招商签约额', our_rank: 2, unit_count: 12 });
    expect(fine.body).toMatchObject({ is_weak: false });
    // A reporter may not assign matters; a ranking that is not weak is refused; an unknown one is a 404.
    expect((await call('POST', `/upper-ranks/${weak.body.id as number}/matter`, h.reporter, { lead_unit_id: h.ids.木渎镇 })).status).toBe(403);
    expect((await call('POST', `/upper-ranks/${fine.body.id as number}/matter`, h.office, { lead_unit_id: h.ids.木渎镇 })).body.error!.message).toBe('招商签约额不是弱项指标，不能转为督办事项');
    expect((await call('POST', '/upper-ranks/999999/matter', h.office, { lead_unit_id: h.ids.木渎镇 })).status).toBe(404);
    const made = await call('POST', `/upper-ranks/${weak.body.id as number}/matter`, h.office, { lead_unit_id: h.ids.木渎镇 });
    expect(made.status).toBe(201);
    const matter = (await t.app.inject({ url: `/api/v1/matters/${made.body.id as number}`, headers: h.office })).json<{ matter: Record<string, unknown> }>().matter;
    expect(matter).toMatchObject({ title: '弱项整改：项目开工率（省级排名9/12）', source: 'evaluation', sourceId: weak.body.id, sourceRef: '2026年5月省级考核：项目开工率 第9名/12' });
    expect(JSON.stringify(matter)).toContain('原因：三个项目未按期开工');
    expect(JSON.stringify(matter)).toContain('木渎镇');
    // A unit's weak line of May's 讲评: the unit leads, the title and figures come from the line.
    const line = await call('POST', `/months/2026/5/units/${h.ids.胥口镇}/matter`, h.office, { leaf: 'completion', due_on: '2099-01-05' });
    expect(line.body.error?.message).toBeUndefined();
    expect(line.status).toBe(201);
    const lm = (await t.app.inject({ url: `/api/v1/matters/${line.body.id as number}`, headers: h.office })).json<{ matter: Record<string, unknown> }>().matter;
    expect(lm).toMatchObject({ title: '弱项整改：胥口镇投资完成率', source: 'evaluation', sourceRef: '2026年1–5月考评：胥口镇 · 投资完成率' });
    expect(JSON.stringify(lm)).toContain('2099-01-05');
    expect((await call('POST', `/months/2026/5/units/${h.ids.胥口镇}/matter`, h.office, { leaf: 'nope' })).body.error!.message).toBe('指标nope不在本月考评方案中');
    // A line that already has its matter shows it, and a second one is refused in Chinese (409), naming the matter.
    const again = await call('POST', `/upper-ranks/${weak.body.id as number}/matter`, h.office, { lead_unit_id: h.ids.临湖镇 });
    expect(again.status).toBe(409);
    expect(again.body.error!.message).toBe(`项目开工率已转为督办事项${made.body.number as string}，不能重复转办`);
    const lineAgain = await call('POST', `/months/2026/5/units/${h.ids.胥口镇}/matter`, h.office, { leaf: 'completion' });
    expect(lineAgain.status).toBe(409);
    expect(lineAgain.body.error!.message).toBe(`胥口镇投资完成率已转为督办事项${line.body.number as string}，不能重复转办`);
    expect(await t.db.selectFrom('matters').select('id').where('source', '=', 'evaluation').execute()).toHaveLength(2);
    const ranks = (await call('GET', '/upper-ranks/2026', h.leader)).body as unknown as { id: number; matter: unknown }[];
    expect(ranks.find((r) => r.id === weak.body.id)!.matter).toEqual({ id: made.body.id, number: made.body.number });
    expect(ranks.find((r) => r.id === fine.body.id)!.matter).toBeNull();
    const may = (await call('GET', '/months/2026/5', h.leader)).body as unknown as { matters: unknown[] };
    expect(may.matters).toEqual([{ unit_key: String(h.ids.胥口镇), leaf: 'completion', matter_id: line.body.id, matter_number: line.body.number }]);
    // Another unit's same line is a different line: it gets its own matter.
    expect((await call('POST', `/months/2026/5/units/${h.ids.木渎镇}/matter`, h.office, { leaf: 'completion' })).status).toBe(201);
    expect((await call('POST', `/months/2026/9/units/${h.ids.胥口镇}/matter`, h.office, { leaf: 'completion' })).body.error!.message).toBe('2026年9月讲评尚未生成');
  });

  it('takes an objection (异议) to one indicator line; accepting it corrects the line and recomputes the ranking, with audit', async () => {
    // April is still a draft: the office opens its window (far ahead, so no day boundary matters).
    expect((await call('POST', '/months/2026/4/objection-window', h.office, { until: '2099-12-31' })).status).toBe(200);
    const before = ((await call('GET', '/months/2026/4', h.leader)).body as unknown as Month).snapshot;
    const luBefore = unitOf(before, '甪直镇');
    expect(luBefore.nodes.completion!.value_text).toBe('30');
    expect(unitOf(before, '临湖镇').nodes.completion!.value_text).toBe('40');
    const objected = await call('POST', '/months/2026/4/objections', h.reporter, { unit_id: h.ids.甪直镇, leaf: 'completion', reason: '4月完成投资少计6亿元，统计局已核定为15亿元' });
    expect(objected.status).toBe(200);
    type Objection = { id: number; status: string; leaf_key: string | null; leaf_name: string | null; value_before: string | null; corrected_value: string | null; reply: string | null };
    const line = (objected.body.objections as Objection[]).find((o) => o.leaf_key === 'completion')!;
    expect(line).toMatchObject({ status: 'open', leaf_name: '投资完成率', value_before: '30', corrected_value: null });
    // One open objection per line; another unit's line is out of a reporter's scope; an unknown line is refused.
    const twice = await call('POST', '/months/2026/4/objections', h.reporter, { unit_id: h.ids.甪直镇, leaf: 'completion', reason: '再次提出' });
    expect(twice.status).toBe(409);
    expect(twice.body.error!.message).toBe('甪直镇对“投资完成率”已有待复核的异议，请等待复核结果');
    expect((await call('POST', '/months/2026/4/objections', h.reporter, { unit_id: h.ids.木渎镇, leaf: 'completion', reason: 'x' })).status).toBe(403);
    expect((await call('POST', '/months/2026/4/objections', h.reporter, { unit_id: h.ids.甪直镇, leaf: 'nope', reason: 'x' })).body.error!.message).toBe('指标nope不在本月考评方案中');
    const gapLine = ((await call('POST', '/months/2026/4/objections', h.reporter, { unit_id: h.ids.甪直镇, leaf: 'gap', reason: '序时进度按3月计' })).body.objections as Objection[]).find((o) => o.leaf_key === 'gap')!;
    // Accepting a line needs the corrected value; a reporter cannot review.
    expect((await call('POST', `/objections/${line.id}/handle`, h.reporter, { decision: 'accepted', reply: 'x', corrected_value: '50' })).status).toBe(403);
    const noValue = await call('POST', `/objections/${line.id}/handle`, h.office, { decision: 'accepted', reply: '经核实采纳' });
    expect(noValue.status).toBe(400);
    expect(noValue.body.error!.message).toBe('采纳指标异议须填写更正后的数值');
    expect((await call('POST', `/objections/${line.id}/handle`, h.office, { decision: 'accepted', reply: 'x', corrected_value: '五十' })).body.error!.message).toContain('更正数值须为数字，至多四位小数');
    const accepted = (await call('POST', `/objections/${line.id}/handle`, h.office, { decision: 'accepted', reply: '经统计局核定，完成率更正为50%', corrected_value: '50' })).body as unknown as Month & { objections: Objection[] };
    expect(accepted.objections.find((o) => o.id === line.id)).toMatchObject({ status: 'accepted', corrected_value: '50', value_before: '30' });
    // The line now reads 50%: first on completion (60 points), and the ranking is recomputed around it.
    const lu = unitOf(accepted.snapshot, '甪直镇');
    expect(lu.nodes.completion).toMatchObject({ value_text: '50', score_text: '60.0', note: '第1名，60.0分' });
    expect(Number(lu.total_text)).toBeGreaterThan(Number(luBefore.total_text));
    expect(lu.rank).toBeLessThan(luBefore.rank);
    expect(unitOf(accepted.snapshot, '临湖镇').nodes.completion).toMatchObject({ value_text: '40', score_text: '57.0' });
    // Rejecting another line changes nothing.
    const rejected = (await call('POST', `/objections/${gapLine.id}/handle`, h.office, { decision: 'rejected', reply: '序时进度按4月计，维持原结果' })).body as unknown as Month & { objections: Objection[] };
    expect(rejected.objections.find((o) => o.id === gapLine.id)).toMatchObject({ status: 'rejected', corrected_value: null });
    expect(unitOf(rejected.snapshot, '甪直镇').total_text).toBe(lu.total_text);
    expect((await call('POST', `/objections/${gapLine.id}/handle`, h.office, { decision: 'accepted', reply: 'x', corrected_value: '1' })).body.error!.message).toBe('该异议已复核');
    // A recomputation keeps the corrected line.
    const again = (await call('POST', '/months/2026/4/compute', h.office)).body as unknown as Month;
    expect(unitOf(again.snapshot, '甪直镇').nodes.completion!.value_text).toBe('50');
    // The audit keeps the line's value, the unit's total and rank before and after.
    const audit = await t.db.selectFrom('audit_log').select(['details_json']).where('action', '=', 'evaluation.objection_handle').where('entity_id', '=', String(line.id)).executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.details_json))).toMatchObject({ leaf: 'completion', value_before: '30', value_after: '50', total_before: luBefore.total_text, total_after: lu.total_text, rank_before: luBefore.rank, rank_after: lu.rank });
    // Once the window has closed, no more objections.
    await t.db.updateTable('eval_snapshots').set({ objection_until: '2020-01-31' }).where('year', '=', 2026).where('month', '=', 4).execute();
    const late = await call('POST', '/months/2026/4/objections', h.reporter, { unit_id: h.ids.甪直镇, leaf: 'overdue', reason: '逾期' });
    expect(late.status).toBe(422);
    expect(late.body.error!.message).toBe('异议期已于2020-01-31截止');
  });
});
