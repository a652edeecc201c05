import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';

/** The text of a .docx's body, one line per paragraph or table row cell run (what a reader sees, without layout). */
async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml.replace(/<w:tab\/>/g, '\t').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

// The bulletin's 督查督办, 会议, 问题 and 招商 sections (issues 17, 18, 21): the figures it quotes equal what each
// module's own figures API answers for the same month and scope, the .docx prints them, the office can leave a
// section out of one draft, and 签发 freezes them. The month is the one before today (so its end is past, whatever
// day the suite runs), on both databases.
describe.each(DIALECTS)('bulletin feed sections on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  const today = chinaToday(clock.now());
  const ty = Number(today.slice(0, 4));
  const tm = Number(today.slice(5, 7));
  const year = tm === 1 ? ty - 1 : ty;
  const month = tm === 1 ? 12 : tm - 1;
  const ym = `${year}-${pad2(month)}`;
  const d = (day: number) => `${ym}-${pad2(day)}`;
  const thisMonthFirst = `${today.slice(0, 7)}-01`;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const u1 = (await buildUnit(t.db, { name: '馈送甲镇', regionCode: '320506' })).id;
    const u2 = (await buildUnit(t.db, { name: '馈送乙局', regionCode: '320506' })).id;
    await buildUser(t.db, { username: 'feed_office', role: 'office' });
    office = await t.login('feed_office');
    const now = clock.now().toISOString();

    // Supervision: four matters assigned in the month. 甲: one closed on time, one open past its due date; 乙: one
    // closed late, one not yet due. Received 4, closed 2, overdue 1, 按期办结率 1/3.
    let seq = 0;
    const matter = (unit: number, v: { status: string; assigned: string; due: string; closing?: string; closed?: string; source?: string; sourceId?: number }) => ({
      number: `FEED-${dialect}-${++seq}`, year, seq, title: `馈送测试事项${seq}`, content: '内容', source: v.source ?? 'instruction', source_id: v.sourceId ?? null, source_ref: null,
      type: '项目推进', urgency: 'normal', lead_unit_id: unit, region_code: null, supervisor_id: null, leader_id: null, status: v.status,
      assigned_on: v.assigned, due_on: v.due, next_feedback_on: null, requested_due_on: null, signed_on: v.assigned, closing_on: v.closing ?? null,
      closed_on: v.closed ?? null, written_off_on: null, batch_id: null, created_by: null, created_at: now, updated_at: now,
    });
    // Meetings: one in the month with two decisions, the first turned into 甲's closed matter; one this month (not counted).
    const meetingId = Number((await t.db.insertInto('meetings').values({ kind: 'coordination', title: '重点项目调度会', held_on: d(4), chair: null, attendees: null, location: null, created_by: null, created_at: now })
      .returning('id').executeTakeFirstOrThrow()).id);
    const decision = Number((await t.db.insertInto('meeting_decisions').values([{ meeting_id: meetingId, seq: 1, text: '加快道路建设', created_at: now }]).returning('id').executeTakeFirstOrThrow()).id);
    await t.db.insertInto('meeting_decisions').values({ meeting_id: meetingId, seq: 2, text: '研究供水方案', created_at: now }).execute();
    const later = Number((await t.db.insertInto('meetings').values({ kind: 'coordination', title: '下月调度会', held_on: thisMonthFirst, chair: null, attendees: null, location: null, created_by: null, created_at: now })
      .returning('id').executeTakeFirstOrThrow()).id);
    await t.db.insertInto('meeting_decisions').values({ meeting_id: later, seq: 1, text: '不应计入', created_at: now }).execute();
    await t.db.insertInto('matters').values([
      matter(u1, { status: 'closed', assigned: d(3), due: d(10), closing: d(8), closed: d(9), source: 'meeting', sourceId: decision }),
      matter(u1, { status: 'in_progress', assigned: d(5), due: d(12) }),
      matter(u2, { status: 'closed', assigned: d(6), due: d(20), closing: d(25), closed: d(26) }),
      matter(u2, { status: 'in_progress', assigned: d(7), due: addDays(today, 60) }),
    ]).execute();

    // Problems received in the month: 甲 owns one closed in time and one past its limit; 乙 one pending past its
    // routing limit and one refused. Received 4, accepted 2, closed 1, overdue 2.
    const problem = (owner: number, v: { status: string; assigned?: string; replied?: string; closed?: string; solve?: string; route?: string }) => ({
      title: `馈送测试问题${v.status}`, description: '描述', source: 'enterprise', enterprise_id: null, project_id: null, visit_id: null, meeting: null,
      category_code: 'land', level: 'county', region_code: '320506', raised_unit_id: null, owner_unit_id: owner, status: v.status, received_on: d(1),
      assigned_on: v.assigned ?? null, signed_on: v.assigned ?? null, replied_on: v.replied ?? null, closed_on: v.closed ?? null,
      route_due: v.route ?? null, feedback_due: null, solve_due: v.solve ?? null, handler_id: null, reply: null, visit_result: null, matter_id: null,
      source_ref: null, created_by: null, created_at: now, updated_at: now,
    });
    await t.db.insertInto('problems').values([
      problem(u1, { status: 'closed', assigned: d(1), replied: d(5), closed: d(6), solve: d(8) }),
      problem(u1, { status: 'in_progress', assigned: d(2), solve: d(5) }),
      problem(u2, { status: 'pending', route: d(2) }),
      problem(u2, { status: 'rejected' }),
    ]).execute();

    // Attraction: two records signed in the month (1.5亿 and 0.3亿), the second started in it.
    const lead = (name: string, amount: number, started: string | null) => ({
      name: `${name}-${dialect}`, team_id: u1, region_code: '320506', stage: started ? 'started' : 'signed', lead_on: d(1), negotiating_on: d(2), signed_on: d(10),
      started_on: started, investor: '某集团', intended_amount: amount, industry: '新能源', signed_amount: amount, created_at: now, updated_at: now,
    });
    await t.db.insertInto('attraction_leads').values([lead('馈送测试甲', 150_000_000, null), lead('馈送测试乙', 30_000_000, d(20))]).execute();
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: office });
  let bulletinId: number;

  it('quotes each module\'s figures exactly as its own figures API gives them for the month', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/bulletins', headers: office, payload: { year, month } });
    expect(created.statusCode).toBe(201);
    bulletinId = created.json().id;
    const feeds = (await get(`/api/v1/bulletins/${bulletinId}/figures`)).json().figures.feeds;

    // 督查督办: the supervision figures API, unit by unit; closed = closes approved in the month (days.count).
    const sup = (await get(`/api/v1/supervision/figures?month=${ym}`)).json().units as { unitId: number; unitName: string; received: number; overdue: number; days: { count: number }; onTimeCompletion: { num: number; den: number } }[];
    expect(feeds.supervision.units).toEqual(sup.map((u) => ({ unit_id: u.unitId, name: u.unitName, received: u.received, closed: u.days.count, overdue: u.overdue, on_time: u.onTimeCompletion })));
    expect(feeds.supervision).toMatchObject({ month: ym, received: 4, closed: 2, overdue: 1, on_time: { num: 1, den: 3 } });

    // 会议: the meetings list's counts for the meetings held in the month.
    const listed = (await get(`/api/v1/meetings?year=${year}&limit=100`)).json().items as { heldOn: string; title: string; decisions: number; assigned: number; done: number }[];
    expect(feeds.meetings.meetings).toEqual(listed.filter((m) => m.heldOn.startsWith(ym)).map((m) => ({ held_on: m.heldOn, title: m.title, decisions: m.decisions, assigned: m.assigned, done: m.done })));
    expect(feeds.meetings.meetings).toEqual([{ held_on: d(4), title: '重点项目调度会', decisions: 2, assigned: 1, done: 1 }]);

    // 问题: the problem figures API by owning department.
    type PF = { total: number; accepted: number; closed: number; overdue: number; closed_rate: { numerator: number; denominator: number }; on_time_rate: { numerator: number; denominator: number } };
    const pf = (await get(`/api/v1/problem-figures?year=${year}&group_by=department`)).json<{ total: PF; groups: { name: string; figures: PF }[] }>();
    const row = (name: string, x: PF) => ({ name, total: x.total, accepted: x.accepted, closed: x.closed, overdue: x.overdue, closed_rate: { num: x.closed_rate.numerator, den: x.closed_rate.denominator }, on_time_rate: { num: x.on_time_rate.numerator, den: x.on_time_rate.denominator } });
    expect(feeds.problems.total).toEqual(row('合计', pf.total));
    expect(feeds.problems.departments).toEqual(pf.groups.map((g) => row(g.name, g.figures)));
    expect(feeds.problems.total).toMatchObject({ total: 4, accepted: 2, closed: 1, overdue: 2, closed_rate: { num: 1, den: 2 }, on_time_rate: { num: 1, den: 1 } });

    // 招商: the attraction figures API for the month; the year to date is the sum of its months.
    const af = (await get(`/api/v1/attraction/figures?year=${year}&month=${month}`)).json();
    const pick = (x: Record<string, number>) => ({ signed_count: x.signed_count, signed_amount: x.signed_amount, signed_big_count: x.signed_big_count, signed_big_amount: x.signed_big_amount, started_count: x.started_count, producing_count: x.producing_count });
    expect(feeds.attraction.month).toEqual(pick(af.total));
    expect(feeds.attraction.month).toMatchObject({ signed_count: 2, signed_amount: 180_000_000, signed_big_count: 1, started_count: 1 });
    expect(feeds.attraction.funnel.map((s: { stage: string; reached: number }) => [s.stage, s.reached])).toEqual(af.funnel.map((s: { stage: string; reached: number }) => [s.stage, s.reached]));
    let ytdSigned = 0;
    for (let m = 1; m <= month; m++) ytdSigned += (await get(`/api/v1/attraction/figures?year=${year}&month=${m}`)).json().total.signed_amount as number;
    expect(feeds.attraction.year_to_date.signed_amount).toBe(ytdSigned);
  });

  it('narrows a regional bulletin\'s attraction figures to its region\'s subtree', async () => {
    const feedsFor = async (region: string) => {
      const b = await t.app.inject({ method: 'POST', url: '/api/v1/bulletins', headers: office, payload: { year, month, region } });
      expect(b.statusCode).toBe(201);
      const f = (await get(`/api/v1/bulletins/${b.json().id}/figures`)).json().figures.feeds;
      await t.app.inject({ method: 'DELETE', url: `/api/v1/bulletins/${b.json().id}`, headers: office });
      return f;
    };
    // The records are in 吴中区 (320506): the city (320500) includes them, 虎丘区 (320505) does not.
    expect((await feedsFor('320500')).attraction.month.signed_count).toBe(2);
    expect((await feedsFor('320505')).attraction.month.signed_count).toBe(0);
  });

  it('prints the sections in the .docx before 存在问题, with their tables', async () => {
    const text = await docxText((await get(`/api/v1/bulletins/${bulletinId}/document.docx`)).rawPayload);
    expect(text).toContain('督查督办情况');
    expect(text).toContain('本月共交办督办事项4项，已办结2项，按期办结率33.3%；截至月底，逾期未办结1项。');
    expect(text).toContain('各单位督办事项办理情况');
    expect(text).toContain(`本月共召开调度会议1次，研究议定事项2项，已转为督办事项1项，已办结1项。其中，${month}月4日重点项目调度会议定事项2项，已办结1项。`);
    expect(text).toContain(`${year}年以来，共收到企业反映问题4个，已受理2个，已办结1个，办结率50.0%，按期办结率100.0%；当前逾期未办结2个。`);
    expect(text).toContain('各承办部门问题办理情况');
    expect(text).toContain('本月新签约招商项目2个，签约额1.80亿元，其中亿元以上项目1个、1.50亿元；新开工1个，新投产0个。');
    expect(text).not.toContain('下月调度会');
    // Numbered headings: the sections come after 亮灯情况 and before 存在问题.
    const order = ['亮灯情况', '督查督办情况', '会议议定事项落实情况', '企业问题办理情况', '招商引资情况', '存在问题'].map((h) => text.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toMatch(/五、督查督办情况/);
  });

  it('leaves out the sections the office unticks on the draft, and 签发 freezes the rest', async () => {
    let b = (await get(`/api/v1/bulletins/${bulletinId}`)).json();
    const stale = await t.app.inject({ method: 'PUT', url: `/api/v1/bulletins/${bulletinId}/feeds`, headers: office, payload: { version: b.version + 5, omitted: ['problems'] } });
    expect(stale.statusCode).toBe(409);
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/bulletins/${bulletinId}/feeds`, headers: office, payload: { version: b.version, omitted: ['attraction', 'problems'] } });
    expect(put.statusCode).toBe(200);
    expect(put.json().omitted_feeds).toBe('problems,attraction');
    const text = await docxText((await get(`/api/v1/bulletins/${bulletinId}/document.docx`)).rawPayload);
    expect(text).toContain('督查督办情况');
    expect(text).not.toContain('企业问题办理情况');
    expect(text).not.toContain('招商引资情况');
    const feeds = (await get(`/api/v1/bulletins/${bulletinId}/figures`)).json().figures.feeds;
    expect(Object.keys(feeds).sort()).toEqual(['meetings', 'supervision']);

    b = (await t.app.inject({ method: 'POST', url: `/api/v1/bulletins/${bulletinId}/submit`, headers: office, payload: { version: put.json().version } })).json();
    const late = await t.app.inject({ method: 'PUT', url: `/api/v1/bulletins/${bulletinId}/feeds`, headers: office, payload: { version: b.version, omitted: [] } });
    expect(late.statusCode).toBe(422);
    expect(late.json().error.message).toContain('只有草稿可以调整通报内容');
    const signed = await t.app.inject({ method: 'POST', url: `/api/v1/bulletins/${bulletinId}/sign`, headers: office, payload: { version: b.version } });
    expect(signed.statusCode).toBe(200);
    const frozen = (await get(`/api/v1/bulletins/${bulletinId}/figures`)).json();
    expect(frozen.frozen).toBe(true);
    expect(frozen.figures.feeds.supervision).toMatchObject({ received: 4, closed: 2, overdue: 1 });
    const issued = await docxText((await get(`/api/v1/bulletins/${bulletinId}/document.docx`)).rawPayload);
    expect(issued).toContain('本月共交办督办事项4项，已办结2项');
    expect(issued).not.toContain('招商引资情况');
  });
});
