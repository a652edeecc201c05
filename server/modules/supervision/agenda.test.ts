import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addWorkingDays } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';
import { loadWorkCalendar, runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';
import { mondayOf } from './index.ts';

/** The text of a .docx's body. */
async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
}

// Meetings → decisions → matters, the weekly batch (周交办) and its 交办单, escalation letters, a co-unit's 签收 and
// missed feedback in the on-time rate, on both databases.
describe.each(DIALECTS)('meetings, weekly batches and letters on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let sup: LoginHeaders;
  let unitA: LoginHeaders;
  let unitB: LoginHeaders;
  let stranger: LoginHeaders;
  let leader: LoginHeaders;
  let a: number;
  let b: number;
  const today = chinaToday(clock.now());
  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = (await buildUnit(t.db, { name: '发改局' })).id;
    b = (await buildUnit(t.db, { name: '交通局' })).id;
    const other = (await buildUnit(t.db, { name: '文旅局' })).id;
    await buildUser(t.db, { username: 'g_sup', role: 'supervisor' });
    await buildUser(t.db, { username: 'g_a', role: 'reporter', unitId: a });
    await buildUser(t.db, { username: 'g_b', role: 'reporter', unitId: b });
    await buildUser(t.db, { username: 'g_o', role: 'reporter', unitId: other });
    await buildUser(t.db, { username: 'g_leader', role: 'leader' });
    sup = await t.login('g_sup');
    unitA = await t.login('g_a');
    unitB = await t.login('g_b');
    stranger = await t.login('g_o');
    leader = await t.login('g_leader');
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: LoginHeaders) => t.app.inject({ method: 'GET', url, headers });
  const post = (url: string, headers: LoginHeaders, payload: unknown) => t.app.inject({ method: 'POST', url, headers, payload: payload as object });
  const matterCount = async () => Number((await t.db.selectFrom('matters').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('records a meeting with its decisions and turns one decision into several units\' matters that link back', async () => {
    const res = await post('/api/v1/meetings', sup, { kind: 'coordination', title: '重点项目调度会', held_on: today, chair: '王副区长', attendees: '发改局、交通局', decisions: ['加快城北路网建设', '  ', '解决园区供水'] });
    expect(res.statusCode).toBe(200);
    const meetingId = res.json().id;
    let m = (await get(`/api/v1/meetings/${meetingId}`, sup)).json();
    expect(m.decisions.map((d: { seq: number; text: string }) => [d.seq, d.text])).toEqual([[1, '加快城北路网建设'], [2, '解决园区供水']]);
    const added = await post(`/api/v1/meetings/${meetingId}/decisions`, sup, { version: m.meeting.version, text: '研究停车场用地' });
    expect(added.json().seq).toBe(3);
    const d1 = m.decisions[0].id;

    // A bad unit in the list refuses the whole request: nothing is created.
    const before = await matterCount();
    const bad = await post(`/api/v1/meetings/${meetingId}/decisions/${d1}/matters`, sup, { units: [{ lead_unit_id: a }, { lead_unit_id: 999999 }], due_on: addDays(today, 20) });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('牵头单位不存在');
    expect(await matterCount()).toBe(before);
    const dup = await post(`/api/v1/meetings/${meetingId}/decisions/${d1}/matters`, sup, { units: [{ lead_unit_id: a }, { lead_unit_id: a }] });
    expect(dup.json().error.message).toContain('同一牵头单位');

    const ok = await post(`/api/v1/meetings/${meetingId}/decisions/${d1}/matters`, sup, { units: [{ lead_unit_id: a, co_unit_ids: [b] }, { lead_unit_id: b }], due_on: addDays(today, 20), feedback_days: 5 });
    expect(ok.statusCode).toBe(200);
    const made = ok.json().matters as { id: number; number: string }[];
    expect(made).toHaveLength(2);
    const detail = (await get(`/api/v1/matters/${made[0]!.id}`, unitA)).json();
    expect(detail.matter).toMatchObject({ source: 'meeting', sourceId: d1, title: '加快城北路网建设', leadUnitName: '发改局', coUnits: [{ name: '交通局', signedOn: null }] });
    expect(detail.matter.sourceRef).toContain('重点项目调度会议定事项第1项');
    m = (await get(`/api/v1/meetings/${meetingId}`, sup)).json();
    expect(m.decisions[0].matters.map((x: { leadUnitName: string }) => x.leadUnitName)).toEqual(['发改局', '交通局']);
    expect(m.summary).toMatch(/重点项目调度会议定事项3项，已办结0项$/);
    const list = (await get('/api/v1/meetings', leader)).json();
    expect(list.items.find((x: { id: number }) => x.id === meetingId)).toMatchObject({ decisions: 3, assigned: 1, done: 0 });
    // Units do not read meetings; a bad date is refused in Chinese.
    expect((await get('/api/v1/meetings', unitA)).statusCode).toBe(403);
    expect((await post('/api/v1/meetings', sup, { title: '会', held_on: addDays(today, 3) })).json().error.message).toContain('晚于今天');
    expect((await get('/api/v1/meetings/999999', sup)).statusCode).toBe(404);
  });

  it('filters the meetings by kind, year and a word of the title or chair (LIKE characters taken literally), and exports the filtered list as .xlsx', async () => {
    const made: { title: string; heldOn: string }[] = [];
    for (const m of [
      { kind: 'special', title: '筛选-园区供水专题会', chair: '张副市长', held_on: addDays(today, -2) },
      { kind: 'weekly', title: '筛选-周例会%_', chair: '李主任', held_on: addDays(today, -1) },
      { kind: 'special', title: '筛选-交通专题会', chair: '王主任', held_on: addDays(today, -400) },
    ]) {
      expect((await post('/api/v1/meetings', sup, m)).statusCode).toBe(200);
      made.push({ title: m.title, heldOn: m.held_on });
    }
    const titles = async (query: string) => (await get(`/api/v1/meetings?${query}`, sup)).json().items.map((m: { title: string }) => m.title);
    expect(await titles(`kind=special&q=${encodeURIComponent('筛选-')}`)).toEqual(['筛选-园区供水专题会', '筛选-交通专题会']);
    expect(await titles(`q=${encodeURIComponent('张副市长')}`)).toEqual(['筛选-园区供水专题会']);
    expect(await titles(`q=${encodeURIComponent('%_')}`)).toEqual(['筛选-周例会%_']);
    expect(await titles(`year=${made[2]!.heldOn.slice(0, 4)}&q=${encodeURIComponent('筛选-')}`)).toEqual(['筛选-交通专题会']);
    expect((await get('/api/v1/meetings?kind=bogus', sup)).statusCode).toBe(400);

    const res = await get(`/api/v1/meetings.xlsx?kind=special&q=${encodeURIComponent('筛选-')}`, leader);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const rows = (sheet.getSheetValues() as unknown[][]).filter((r) => Array.isArray(r) && typeof r[4] === 'string' && (r[4]).startsWith('筛选-')).map((r) => [r[2], r[3], r[4], r[5], r[6]]);
    expect(rows).toEqual([[made[0]!.heldOn, '专题会', '筛选-园区供水专题会', '张副市长', 0], [made[2]!.heldOn, '专题会', '筛选-交通专题会', '王主任', 0]]);
    expect((await get('/api/v1/meetings.xlsx', stranger)).statusCode).toBe((await get('/api/v1/meetings', stranger)).statusCode);
  });

  it('issues a 交办函 on creation and letters by hand as numbered GB/T 9704 .docx, downloadable within scope only', async () => {
    const { id } = (await post('/api/v1/matters', sup, { title: '城北快速路征迁', content: '完成剩余征迁', source: 'other', lead_unit_id: a, co_unit_ids: [b], due_on: addDays(today, 15) })).json();
    let d = (await get(`/api/v1/matters/${id}`, sup)).json();
    expect(d.letters).toHaveLength(1);
    expect(d.letters[0]).toMatchObject({ kind: 'assign', signerName: expect.any(String) });
    expect(d.letters[0].number).toMatch(/^督交〔\d{4}〕\d+号$/);
    expect(d.can.letter).toBe(true);
    const press = await post(`/api/v1/matters/${id}/letters`, sup, { kind: 'press' });
    expect(press.statusCode).toBe(200);
    d = press.json();
    const letter = d.letters.find((l: { kind: string }) => l.kind === 'press');
    expect(letter.number).toMatch(/^督办函〔\d{4}〕\d+号$/);
    expect(d.timeline.some((x: { title: string }) => x.title.includes(letter.number))).toBe(true);
    const file = await get(`/api/v1/matters/${id}/letters/${letter.id}`, unitB); // a co-unit reads it
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    const text = await docxText(file.rawPayload);
    expect(text).toContain('关于督促办理“城北快速路征迁”');
    expect(text).toContain(letter.number);
    expect(text).toContain('发改局，交通局：');
    expect((await get(`/api/v1/matters/${id}/letters/${letter.id}`, stranger)).statusCode).toBe(404);
    expect((await post(`/api/v1/matters/${id}/letters`, unitA, { kind: 'press' })).statusCode).toBe(403);
    // The lead unit has a to-do for the 督办函.
    const todos = (await get('/api/v1/todos?kind=matter.letter', unitA)).json().items;
    expect(todos.some((x: { title: string }) => x.title.includes(letter.number))).toBe(true);
  });

  it('lets a co-unit 签收 its part once; the lead unit signs the matter itself', async () => {
    const { id } = (await post('/api/v1/matters', sup, { title: '园区供水管网', source: 'other', lead_unit_id: a, co_unit_ids: [b], due_on: addDays(today, 15) })).json();
    expect((await get(`/api/v1/matters/${id}`, unitB)).json().can.coSign).toBe(true);
    expect((await get('/api/v1/todos?kind=matter.sign', unitB)).json().items.some((x: { entityId: number }) => x.entityId === id)).toBe(true);
    expect((await post(`/api/v1/matters/${id}/co-sign`, unitA, {})).statusCode).toBe(403);
    expect((await post(`/api/v1/matters/${id}/co-sign`, stranger, {})).statusCode).toBe(404);
    const res = await post(`/api/v1/matters/${id}/co-sign`, unitB, {});
    expect(res.statusCode).toBe(200);
    const signedOn = res.json().signedOn as string; // the server's China day (the run may cross midnight)
    expect(signedOn >= today).toBe(true);
    expect((await post(`/api/v1/matters/${id}/co-sign`, unitB, {})).statusCode).toBe(409);
    const d = (await get(`/api/v1/matters/${id}`, sup)).json();
    expect(d.matter.coUnits).toEqual([{ id: b, name: '交通局', signedOn }]);
    expect(d.matter.status).toBe('pending_sign'); // the lead unit's 签收 is its own
    expect(d.timeline.some((x: { title: string }) => x.title === '协办单位签收（交通局）')).toBe(true);
    expect((await get('/api/v1/todos?kind=matter.sign', unitB)).json().items.some((x: { entityId: number }) => x.entityId === id)).toBe(false);
  });

  it('issues the week\'s batch: chosen new matters plus overdue ones carried, numbered, in each unit\'s inbox, as .docx and .xlsx', async () => {
    const fresh = (await post('/api/v1/matters', sup, { title: '周交办-停车场选址', source: 'weekly', lead_unit_id: b, due_on: addDays(today, 10) })).json();
    const late = (await post('/api/v1/matters', sup, { title: '周交办-逾期路灯改造', source: 'other', lead_unit_id: a, due_on: addDays(today, 10) })).json();
    await t.db.updateTable('matters').set({ due_on: addDays(today, -2), batch_id: 999 }).where('id', '=', late.id).execute(); // past due, batched before
    const candidates = (await get('/api/v1/batches/candidates', sup)).json().items.map((m: { id: number }) => m.id);
    expect(candidates).toContain(fresh.id);
    expect(candidates).not.toContain(late.id);
    expect((await post('/api/v1/batches', sup, { matter_ids: [fresh.id, 999999] })).statusCode).toBe(422);
    const res = await post('/api/v1/batches', sup, { matter_ids: [fresh.id] });
    expect(res.statusCode).toBe(200);
    const batch = res.json();
    expect(batch).toMatchObject({ seq: 1, new: 1 });
    expect(batch.title).toMatch(/^重点项目周交办单（\d{4}年第1期）$/);
    expect(batch.carried).toBeGreaterThanOrEqual(1);
    // One batch a week (unless the China week turned over between the two requests).
    const again = await post('/api/v1/batches', sup, { matter_ids: [] });
    if (mondayOf(chinaToday(clock.now())) === batch.weekOf) expect(again.statusCode).toBe(409);

    const full = (await get(`/api/v1/batches/${batch.id}`, sup)).json();
    expect(full.matters.find((m: { id: number }) => m.id === fresh.id)).toMatchObject({ carried: false, leadUnitName: '交通局' });
    expect(full.matters.find((m: { id: number }) => m.id === late.id)).toMatchObject({ carried: true, overdue: true });
    // A unit sees its own part; a unit with nothing in it gets 404.
    const part = (await get(`/api/v1/batches/${batch.id}`, unitB)).json();
    expect(part.matters.map((m: { id: number }) => m.id)).toContain(fresh.id);
    expect(part.matters.map((m: { id: number }) => m.id)).not.toContain(late.id);
    expect((await get(`/api/v1/batches/${batch.id}`, stranger)).statusCode).toBe(404);
    expect((await get('/api/v1/batches', unitA)).statusCode).toBe(403);
    const todo = (await get('/api/v1/todos?kind=batch.receive', unitB)).json().items;
    expect(todo.map((x: { link: string }) => x.link)).toEqual([`/batches/${batch.id}`]);
    expect((await get(`/api/v1/matters?batch_id=${batch.id}`, sup)).json().total).toBe(full.matters.length);

    const docx = await get(`/api/v1/batches/${batch.id}/sheet.docx`, sup);
    expect(docx.statusCode).toBe(200);
    const text = await docxText(docx.rawPayload);
    expect(text).toContain('本期新交办1项');
    expect(text).toContain('周交办-停车场选址');
    expect(text).toContain('周交办-逾期路灯改造');
    const xlsx = await get(`/api/v1/batches/${batch.id}/sheet.xlsx`, sup);
    expect(xlsx.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values = JSON.stringify(wb.worksheets[0]!.getSheetValues());
    expect(values).toContain(batch.title);
    expect(values).toContain('逾期未办结');
    expect(values).toContain('周交办-停车场选址');
    const listed = (await get('/api/v1/batches', sup)).json().items[0];
    expect(listed).toMatchObject({ id: batch.id, issue: batch.title.slice(9, -1), newCount: 1 });
  });

  it('filters the weekly batches list by year, standing and a word of the title or the 期号, and exports what it keeps', async () => {
    const matter = async (title: string, status: string, coUnits: number[] = []) => {
      const { id } = (await post('/api/v1/matters', sup, { title, source: 'weekly', lead_unit_id: a, co_unit_ids: coUnits, due_on: addDays(today, 20) })).json();
      await t.db.updateTable('matters').set({ status }).where('id', '=', id).execute();
      return id as number;
    };
    const batch = async (year: number, seq: number, title: string, weekOf: string, matterIds: number[]) => {
      const id = (await t.db.insertInto('weekly_batches').values({ year, seq, title, week_of: weekOf, created_by: null, created_at: `${weekOf}T01:00:00.000Z` }).returning('id').executeTakeFirstOrThrow()).id;
      await t.db.insertInto('weekly_batch_items').values(matterIds.map((m) => ({ batch_id: id, matter_id: m, carried: 0 }))).execute();
      return id;
    };
    await batch(2025, 7, '筛选周-城北片区交办单', '2025-03-03', [await matter('筛选周-待签收', 'pending_sign'), await matter('筛选周-已办结', 'written_off')]);
    await batch(2025, 8, '筛选周-园区交办单', '2025-03-10', [await matter('筛选周-办理中', 'in_progress')]);
    await batch(2024, 8, '筛选周-老城交办单', '2024-03-11', [await matter('筛选周-已销号', 'written_off'), await matter('筛选周-已办结2', 'closed')]);
    const coMatter = await matter('筛选周-协办未签收', 'in_progress', [b]);
    await batch(2024, 9, '筛选周-协办交办单', '2024-03-18', [coMatter]);
    const titles = async (query: string) => (await get(`/api/v1/batches?${query}`, sup)).json().items.map((x: { title: string }) => x.title);
    const word = encodeURIComponent('筛选周');
    expect(await titles(`q=${word}`)).toEqual(['筛选周-园区交办单', '筛选周-城北片区交办单', '筛选周-协办交办单', '筛选周-老城交办单']);
    expect(await titles(`year=2025&q=${word}`)).toEqual(['筛选周-园区交办单', '筛选周-城北片区交办单']);
    expect(await titles(`status=unsigned&q=${word}`)).toEqual(['筛选周-城北片区交办单', '筛选周-协办交办单']);
    expect(await titles(`status=open&q=${word}`)).toEqual(['筛选周-园区交办单']);
    expect(await titles(`status=done&q=${word}`)).toEqual(['筛选周-老城交办单']);
    // A co-unit's 签收 of its part moves its batch from 待签收 to 办理中.
    await t.db.updateTable('matter_units').set({ signed_on: today }).where('matter_id', '=', coMatter).execute();
    expect(await titles(`status=open&q=${word}`)).toEqual(['筛选周-园区交办单', '筛选周-协办交办单']);
    // The 期号, as the office writes it.
    expect(await titles(`q=${encodeURIComponent('2024年第8期')}`)).toEqual(['筛选周-老城交办单']);
    expect(await titles(`q=${encodeURIComponent('第8期')}`)).toEqual(['筛选周-园区交办单', '筛选周-老城交办单']);
    expect(await titles(`q=${encodeURIComponent('园区')}`)).toEqual(['筛选周-园区交办单']);
    const listed = (await get(`/api/v1/batches?q=${encodeURIComponent('2025年第7期')}`, sup)).json().items;
    expect(listed).toEqual([expect.objectContaining({ issue: '2025年第7期', status: 'unsigned', statusLabel: '待签收', newCount: 2 })]);
    expect((await get('/api/v1/batches?status=bogus', sup)).statusCode).toBe(400);

    const res = await get(`/api/v1/batches.xlsx?status=open&q=${word}`, sup);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('filename');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]!.getSheetValues() as unknown[][]).filter((r) => Array.isArray(r) && typeof r[3] === 'string' && (r[3]).startsWith('筛选周-')).map((r) => [r[2], r[3], r[4], r[5], r[7]]);
    expect(rows).toEqual([['2025年第8期', '筛选周-园区交办单', '2025-03-10', 1, '办理中'], ['2024年第9期', '筛选周-协办交办单', '2024-03-18', 1, '办理中']]);
    expect((await get('/api/v1/batches.xlsx', unitA)).statusCode).toBe(403);
  });

  it('counts a missed feedback in the on-time denominator and sends a 提醒函', async () => {
    const unit = (await buildUnit(t.db, { name: '水务局' })).id;
    await buildUser(t.db, { username: 'g_w', role: 'reporter', unitId: unit });
    const w = await t.login('g_w');
    const { id } = (await post('/api/v1/matters', sup, { title: '排水管网清淤', source: 'other', lead_unit_id: unit, due_on: addDays(today, 60), feedback_days: 2 })).json();
    const d = (await get(`/api/v1/matters/${id}`, w)).json();
    const signed = (await post(`/api/v1/matters/${id}/actions`, w, { action: 'sign', version: d.matter.version })).json();
    const due = signed.matter.nextFeedbackOn as string;
    const fireDay = addWorkingDays(due, 1, await loadWorkCalendar(t.db));
    const acted = await runDeadlineSteps(t.db, new Date(`${fireDay}T02:00:00Z`));
    expect(acted.some((c) => c.deadline.entityId === id && c.step.key === 'missed')).toBe(true);
    const figures = (await get(`/api/v1/supervision/figures?month=${fireDay.slice(0, 7)}`, sup)).json().units.find((u: { unitId: number }) => u.unitId === unit);
    expect(figures).toMatchObject({ missedFeedback: 1, feedbackOnTime: { num: 0, den: 1 }, rates: { feedbackOnTime: 0 } });
    const after = (await get(`/api/v1/matters/${id}`, w)).json();
    const remind = after.letters.find((l: { kind: string }) => l.kind === 'remind');
    expect(remind).toBeDefined();
    const text = await docxText((await get(`/api/v1/matters/${id}/letters/${remind.id}`, w)).rawPayload);
    expect(text).toContain('尚未报送');
  });
});
