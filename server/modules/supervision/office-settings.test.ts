import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addWorkingDays } from '../../../core/calendar.ts';
import { chineseDate } from '../../../core/bulletins/phrases.ts';
import { chinaToday } from '../../../core/clock.ts';
import { DEFAULT_LETTER_TEMPLATES } from '../../../core/supervision/letter-templates.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildProject, buildUnit, buildUser } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';
import { loadWorkCalendar } from '../../platform/deadlines/deadlines.ts';

/** The paragraphs' text of a .docx's body. */
async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
}

// The supervision office's own tools (supervision4): letter templates and the reply period as settings, meeting and
// decision corrections and deletion, and re-sending a weekly batch to the units that have not signed, on both databases.
describe.each(DIALECTS)('supervision office settings, meeting edits and batch reissue on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let sup: LoginHeaders;
  let unitA: LoginHeaders;
  let unitB: LoginHeaders;
  let a: number;
  let b: number;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = (await buildUnit(t.db, { name: '住建局' })).id;
    b = (await buildUnit(t.db, { name: '自然资源局' })).id;
    await buildUser(t.db, { username: 'os_sup', role: 'supervisor' });
    await buildUser(t.db, { username: 'os_a', role: 'reporter', unitId: a });
    await buildUser(t.db, { username: 'os_b', role: 'reporter', unitId: b });
    sup = await t.login('os_sup');
    unitA = await t.login('os_a');
    unitB = await t.login('os_b');
  });
  afterAll(async () => t?.close());

  const today = () => chinaToday(clock.now());
  const get = (url: string, headers: LoginHeaders) => t.app.inject({ method: 'GET', url, headers });
  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, headers: LoginHeaders, payload?: unknown) => t.app.inject({ method, url, headers, payload: payload as object });
  /** A settings change made on the version stored now (the API refuses a change without one). */
  const putSettings = async (headers: LoginHeaders, patch: object) => send('PUT', '/api/v1/supervision/settings', headers, { ...patch, version: (await get('/api/v1/supervision/settings', sup)).json().version });
  /** The meeting's version now (a decision's change names it). */
  const versionOf = async (meetingId: number): Promise<number> => (await get(`/api/v1/meetings/${meetingId}`, sup)).json().meeting.version;
  const audits = async (action: string) => (await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', action).orderBy('seq').execute()).map((r) => ({ action: r.action, entity_id: Number(r.entity_id) }));

  it('renders letters from the office\'s templates, refuses unknown placeholders in Chinese and dates the 督办函 reply by the set working days', async () => {
    const settings = (await get('/api/v1/supervision/settings', sup)).json();
    expect(settings.reply_working_days).toBe(3);
    expect(settings.letter_templates.press).toEqual(DEFAULT_LETTER_TEMPLATES.press);

    // Unknown placeholders and out-of-range days are refused, in Chinese, and nothing is stored.
    const bad = await putSettings(sup, { letter_templates: { ...DEFAULT_LETTER_TEMPLATES, press: { title: '督办函', body: '请{单位}于{期线}前答复' } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('督办函的正文含未知占位符 {期线}');
    const badDays = await putSettings(sup, { reply_working_days: 31 });
    expect(badDays.statusCode).toBe(400);
    expect(badDays.json().error.message).toContain('答复期限应为1至30个工作日');
    expect((await putSettings(sup, { reply_working_days: 0 })).statusCode).toBe(400);
    expect((await putSettings(unitA, { reply_working_days: 5 })).statusCode).toBe(403);
    expect((await get('/api/v1/supervision/settings', sup)).json().letter_templates.press).toEqual(DEFAULT_LETTER_TEMPLATES.press);

    const templates = {
      ...DEFAULT_LETTER_TEMPLATES,
      press: { title: '关于{标题}的督办通知', body: '{单位}：\n{事项}应于{期限}前办结，现已逾期。\n涉及项目：{项目}。\n请于{答复工作日}个工作日内（{答复期限}前）书面答复。' },
    };
    const ok = await putSettings(sup, { letter_templates: templates, reply_working_days: 5 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().reply_working_days).toBe(5);
    const audit = await t.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'supervision.settings_update').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ reply_working_days: 5 });

    const { id } = (await send('POST', '/api/v1/matters', sup, { title: '老旧小区改造开工', source: 'other', lead_unit_id: a, due_on: addDays(today(), 10) })).json();
    const issued = await send('POST', `/api/v1/matters/${id}/letters`, sup, { kind: 'press' });
    expect(issued.statusCode).toBe(200);
    const letter = issued.json().letters.find((l: { kind: string }) => l.kind === 'press');
    expect(letter.title).toBe('关于老旧小区改造开工的督办通知');
    // The reply deadline is 5 working days on the office's calendar after the letter's (server's) day.
    const todo = (await get('/api/v1/todos?kind=matter.letter', unitA)).json().items.find((x: { title: string }) => x.title.includes(letter.number));
    const sentOn = chinaToday(new Date(letter.createdAt));
    const replyBy = addWorkingDays(sentOn, 5, await loadWorkCalendar(t.db));
    expect(todo.dueOn).toBe(replyBy);
    const text = await docxText((await get(`/api/v1/matters/${id}/letters/${letter.id}`, unitA)).rawPayload);
    expect(text).toContain('住建局：');
    expect(text).toContain(`“老旧小区改造开工”（`);
    expect(text).toContain(`请于5个工作日内（${chineseDate(replyBy)}前）书面答复`);
    expect(text).not.toContain('涉及项目'); // no linked project: the paragraph is left out
    expect(text).not.toContain('{');

    // A linked project fills {项目}; the 交办函 keeps the default template.
    const project = await buildProject(t.db, { name: '幸福里小区改造', unit_id: a });
    const withProject = (await send('POST', '/api/v1/matters', sup, { title: '小区加装电梯', source: 'other', lead_unit_id: a, project_ids: [project], due_on: addDays(today(), 10) })).json();
    const d = (await send('POST', `/api/v1/matters/${withProject.id}/letters`, sup, { kind: 'press' })).json();
    const assign = d.letters.find((l: { kind: string }) => l.kind === 'assign');
    expect(await docxText((await get(`/api/v1/matters/${withProject.id}/letters/${assign.id}`, sup)).rawPayload)).toContain('涉及项目：幸福里小区改造。');
    const press = d.letters.find((l: { kind: string }) => l.kind === 'press');
    expect(await docxText((await get(`/api/v1/matters/${withProject.id}/letters/${press.id}`, sup)).rawPayload)).toContain('涉及项目：幸福里小区改造。');
    await putSettings(sup, { letter_templates: DEFAULT_LETTER_TEMPLATES, reply_working_days: 3 });
  });

  it('checks the escalation ladders and the number prefixes (422 in Chinese, nothing stored), audits a change and numbers the next letter with the new prefix', async () => {
    const put = (patch: object) => putSettings(sup, patch);
    const before = (await get('/api/v1/supervision/settings', sup)).json();
    const outOfOrder = await put({ ladder: [{ key: 'overdue', offset: 1, label: '逾期督办' }, { key: 'remind', offset: -2, label: '到期提醒' }] });
    expect(outOfOrder.statusCode).toBe(422);
    expect(outOfOrder.json().error.message).toBe('逐级督办步骤第 2 级：应按时间先后排列');
    const outOfRange = await put({ ladder: [{ key: 'remind', offset: -31, label: '到期提醒' }], feedback_ladder: [{ key: 'missed', offset: 1, label: ' ' }] });
    expect(outOfRange.statusCode).toBe(422);
    expect(outOfRange.json().error.message).toBe('逐级督办步骤第 1 级：相对到期日的工作日数应为 −30 至 250 的整数；反馈逾期步骤第 1 级：请填写步骤名称');
    const badPrefix = await put({ matter_prefix: ' ', letter_prefixes: { ...before.letter_prefixes, press: '督〔办' } });
    expect(badPrefix.statusCode).toBe(422);
    expect(badPrefix.json().error.message).toBe('督办事项编号的文号前缀不能为空；督办函的文号前缀不能含有“〔”');
    expect((await put({ letter_prefixes: { ...before.letter_prefixes, remind: '督 提' } })).json().error.message).toBe('提醒函的文号前缀不能含有空格或换行');
    const after = (await get('/api/v1/supervision/settings', sup)).json();
    expect([after.ladder, after.feedback_ladder, after.matter_prefix, after.letter_prefixes]).toEqual([before.ladder, before.feedback_ladder, before.matter_prefix, before.letter_prefixes]);
    expect((await get('/api/v1/supervision/settings/next-numbers', unitA)).statusCode).toBe(403);

    // A valid change is stored and audited; the live example's next number is the one the next letter gets.
    const ladder = [{ key: 'remind', offset: -3, label: '到期前提醒' }, { key: 'overdue', offset: 1, label: '逾期督办' }, { key: 'interview', offset: 4, label: '约谈通报' }];
    const ok = await put({ ladder, letter_prefixes: { ...before.letter_prefixes, press: '区督办' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().ladder).toEqual(ladder);
    const audit = await t.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'supervision.settings_update').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toEqual({ ladder, letter_prefixes: { ...before.letter_prefixes, press: '区督办' } });
    expect(JSON.parse(audit.before_json!)).toMatchObject({ ladder: before.ladder });
    const numbers = (await get('/api/v1/supervision/settings/next-numbers', sup)).json();
    const { id } = (await send('POST', '/api/v1/matters', sup, { title: '文号前缀-雨污分流', source: 'other', lead_unit_id: a, due_on: addDays(today(), 10) })).json();
    const issued = (await send('POST', `/api/v1/matters/${id}/letters`, sup, { kind: 'press' })).json();
    expect(issued.letters.find((l: { kind: string }) => l.kind === 'press').number).toBe(`区督办〔${numbers.year}〕${numbers.letters.press}号`);
    expect((await get('/api/v1/supervision/settings/next-numbers', sup)).json().letters.press).toBe(numbers.letters.press + 1);
    await put({ ladder: before.ladder, letter_prefixes: before.letter_prefixes });
  });

  it('corrects a meeting and its decisions, deletes one only while no decision became a matter, and audits each change', async () => {
    const held = addDays(today(), -3);
    const m1 = (await send('POST', '/api/v1/meetings', sup, { kind: 'weekly', title: '周例会（草稿）', held_on: held, decisions: ['推进城南污水厂', '研究学校用地'] })).json().id;
    const upd = await send('PUT', `/api/v1/meetings/${m1}`, sup, { version: 1, kind: 'coordination', title: '城南片区调度会', held_on: held, chair: '李副区长', attendees: '住建局、自然资源局', location: '区政府3号会议室' });
    expect(upd.statusCode).toBe(200);
    let m = (await get(`/api/v1/meetings/${m1}`, sup)).json();
    expect(m.meeting).toMatchObject({ kind: 'coordination', title: '城南片区调度会', chair: '李副区长', location: '区政府3号会议室' });
    expect((await send('PUT', `/api/v1/meetings/${m1}`, sup, { version: 2, kind: 'weekly', title: '会', held_on: addDays(today(), 3) })).json().error.message).toContain('晚于今天');
    expect((await send('PUT', `/api/v1/meetings/${m1}`, unitA, { version: 2, kind: 'weekly', title: '会', held_on: held })).statusCode).toBe(403);

    const [d1, d2] = m.decisions as { id: number; seq: number }[];
    expect((await send('PUT', `/api/v1/meetings/${m1}/decisions/${d1!.id}`, sup, { version: await versionOf(m1), text: '加快推进城南污水处理厂二期' })).statusCode).toBe(200);
    expect((await send('DELETE', `/api/v1/meetings/${m1}/decisions/${d2!.id}?version=${await versionOf(m1)}`, sup)).statusCode).toBe(200);
    m = (await get(`/api/v1/meetings/${m1}`, sup)).json();
    expect(m.decisions.map((d: { seq: number; text: string }) => [d.seq, d.text])).toEqual([[1, '加快推进城南污水处理厂二期']]);

    // Once a decision is a matter, neither it nor the meeting can be deleted; a correction of the title follows into the matter's source.
    const made = (await send('POST', `/api/v1/meetings/${m1}/decisions/${d1!.id}/matters`, sup, { units: [{ lead_unit_id: a }], due_on: addDays(today(), 20) })).json().matters[0];
    const refused = await send('DELETE', `/api/v1/meetings/${m1}`, sup);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('该会议的议定事项已转为督办事项1项，不能删除；如需更正，请编辑会议信息');
    expect((await send('DELETE', `/api/v1/meetings/${m1}/decisions/${d1!.id}?version=${await versionOf(m1)}`, sup)).json().error.message).toContain('已转为督办事项1项，不能删除');
    expect((await send('PUT', `/api/v1/meetings/${m1}`, sup, { version: await versionOf(m1), kind: 'coordination', title: '城南片区建设调度会', held_on: held })).statusCode).toBe(200);
    expect((await get(`/api/v1/matters/${made.id}`, sup)).json().matter.sourceRef).toBe(`${chineseDate(held)}城南片区建设调度会议定事项第1项`);
    expect((await get(`/api/v1/meetings/${m1}`, sup)).statusCode).toBe(200);

    // A meeting none of whose decisions became a matter goes, with its decisions.
    const m2 = (await send('POST', '/api/v1/meetings', sup, { kind: 'special', title: '误录的专题会', held_on: held, decisions: ['无'] })).json().id;
    const gone = await send('DELETE', `/api/v1/meetings/${m2}`, sup);
    expect(gone.statusCode).toBe(200);
    expect((await get(`/api/v1/meetings/${m2}`, sup)).statusCode).toBe(404);
    expect(await t.db.selectFrom('meeting_decisions').select('id').where('meeting_id', '=', m2).execute()).toEqual([]);
    expect((await send('DELETE', `/api/v1/meetings/${m2}`, sup)).statusCode).toBe(404);

    expect((await audits('meeting.update')).filter((r) => r.entity_id === m1)).toHaveLength(2);
    expect((await audits('meeting.decision_update')).some((r) => r.entity_id === m1)).toBe(true);
    expect((await audits('meeting.decision_delete')).some((r) => r.entity_id === m1)).toBe(true);
    expect((await audits('meeting.delete')).map((r) => r.entity_id)).toEqual([m2]);
  });

  it('refuses a stale correction of a meeting (409, the conflicting fields named in Chinese) instead of losing the first clerk\'s save', async () => {
    const held = addDays(today(), -2);
    const id = (await send('POST', '/api/v1/meetings', sup, { kind: 'weekly', title: '并发-周例会', held_on: held, chair: '王主任', decisions: ['一'] })).json().id;
    const opened = (await get(`/api/v1/meetings/${id}`, sup)).json().meeting;
    expect(opened.version).toBe(1);
    // Two clerks opened version 1; the first saves a new chair and place, the second (still on version 1) a new title.
    const first = await send('PUT', `/api/v1/meetings/${id}`, sup, { version: opened.version, kind: 'weekly', title: '并发-周例会', held_on: held, chair: '李副区长', location: '3号会议室' });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const second = await send('PUT', `/api/v1/meetings/${id}`, sup, { version: opened.version, kind: 'weekly', title: '并发-周例会（更正）', held_on: held, chair: '王主任' });
    expect(second.statusCode).toBe(409);
    const err = second.json().error;
    expect(err.code).toBe('version_conflict');
    expect(err.message).toBe('该会议已被他人修改（会议名称、主持人、地点与您提交的不同），请查看最新内容后重新提交');
    expect(err.details.fields).toEqual(['title', 'chair', 'location']);
    expect(err.details.current).toMatchObject({ id, version: 2, title: '并发-周例会', chair: '李副区长', location: '3号会议室' });
    // The first save stands; the second is written only when made on the current version.
    expect((await get(`/api/v1/meetings/${id}`, sup)).json().meeting).toMatchObject({ title: '并发-周例会', chair: '李副区长', location: '3号会议室', version: 2 });
    const again = await send('PUT', `/api/v1/meetings/${id}`, sup, { version: 2, kind: 'weekly', title: '并发-周例会（更正）', held_on: held, chair: '李副区长', location: '3号会议室' });
    expect(again.statusCode).toBe(200);
    expect((await get(`/api/v1/meetings/${id}`, sup)).json().meeting).toMatchObject({ title: '并发-周例会（更正）', chair: '李副区长', version: 3 });
    expect((await audits('meeting.update')).filter((r) => r.entity_id === id)).toHaveLength(2);
    // A correction without a version is refused by the schema (no silent last-write-wins).
    expect((await send('PUT', `/api/v1/meetings/${id}`, sup, { kind: 'weekly', title: '无版本', held_on: held })).statusCode).toBe(400);
  });

  it('moves the meeting to its next version on every decision added, corrected or deleted, and refuses a stale one (409 in Chinese) without losing the first save', async () => {
    const held = addDays(today(), -1);
    const id = (await send('POST', '/api/v1/meetings', sup, { kind: 'weekly', title: '并发-议定事项', held_on: held, decisions: ['推进东区管网', '研究停车场用地'] })).json().id;
    const opened = (await get(`/api/v1/meetings/${id}`, sup)).json();
    expect(opened.meeting.version).toBe(1);
    const [d1, d2] = opened.decisions as { id: number; seq: number }[];
    // Two clerks opened version 1. The first corrects decision 1: the meeting moves to version 2.
    const first = await send('PUT', `/api/v1/meetings/${id}/decisions/${d1!.id}`, sup, { version: 1, text: '加快推进东区管网改造' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ id: d1!.id, seq: 1, version: 2 });
    expect(await versionOf(id)).toBe(2);
    // The second, still on version 1, corrects the same decision: refused, the first save stands.
    const stale = await send('PUT', `/api/v1/meetings/${id}/decisions/${d1!.id}`, sup, { version: 1, text: '推进东区管网（改）' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', message: '该会议已被他人修改（议定事项第1项的内容与您提交的不同），请查看最新内容后重新提交' });
    expect(stale.json().error.details.current).toMatchObject({ id, version: 2 });
    expect(stale.json().error.details.decisions).toEqual([{ id: d1!.id, seq: 1, text: '加快推进东区管网改造' }, { id: d2!.id, seq: 2, text: '研究停车场用地' }]);
    // A stale add is refused too (nothing added); a stale correction of the meeting itself as well.
    const add = await send('POST', `/api/v1/meetings/${id}/decisions`, sup, { version: 1, text: '第三项' });
    expect(add.statusCode).toBe(409);
    expect(add.json().error.message).toBe('该会议已被他人修改，请查看最新内容后重新提交');
    expect((await send('PUT', `/api/v1/meetings/${id}`, sup, { version: 1, kind: 'weekly', title: '并发-议定事项', held_on: held })).statusCode).toBe(409);
    // The first clerk deletes decision 2 (version 3); the second's correction of it on version 2 learns it is gone.
    const del = await send('DELETE', `/api/v1/meetings/${id}/decisions/${d2!.id}?version=2`, sup);
    expect(del.json()).toEqual({ deleted: true, version: 3 });
    const gone = await send('PUT', `/api/v1/meetings/${id}/decisions/${d2!.id}`, sup, { version: 2, text: '研究停车场及绿地用地' });
    expect(gone.statusCode).toBe(409);
    expect(gone.json().error.message).toBe('该会议已被他人修改（该议定事项已被删除），请查看最新内容后重新提交');
    expect((await send('DELETE', `/api/v1/meetings/${id}/decisions/${d1!.id}?version=2`, sup)).statusCode).toBe(409);
    // On the current version the change goes through; without a version it is refused by the schema.
    const added = await send('POST', `/api/v1/meetings/${id}/decisions`, sup, { version: 3, text: '研究停车场及绿地用地' });
    expect(added.json()).toMatchObject({ seq: 2, version: 4 }); // the deleted number is free again (it had no matter)
    expect((await send('POST', `/api/v1/meetings/${id}/decisions`, sup, { text: '无版本' })).statusCode).toBe(400);
    expect((await send('PUT', `/api/v1/meetings/${id}/decisions/${d1!.id}`, sup, { text: '无版本' })).statusCode).toBe(400);
    expect((await send('DELETE', `/api/v1/meetings/${id}/decisions/${d1!.id}`, sup)).statusCode).toBe(400);
    // Two saves on the same version at the same moment: exactly one is written.
    const both = await Promise.all(['甲', '乙'].map((x) => send('PUT', `/api/v1/meetings/${id}/decisions/${d1!.id}`, sup, { version: 4, text: `同时保存-${x}` })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const stored = (await get(`/api/v1/meetings/${id}`, sup)).json();
    expect(stored.meeting.version).toBe(5);
    expect(stored.decisions.map((d: { seq: number; text: string }) => [d.seq, d.text])).toEqual([[1, both[0]!.statusCode === 200 ? '同时保存-甲' : '同时保存-乙'], [2, '研究停车场及绿地用地']]);
    expect((await audits('meeting.decision_update')).filter((r) => r.entity_id === id)).toHaveLength(2);
    expect((await audits('meeting.decision_delete')).filter((r) => r.entity_id === id)).toHaveLength(1);
  });

  it('names the settings\' version in every answer and refuses a stale change (409 in Chinese, the stored settings in the answer) instead of losing the first save', async () => {
    const opened = (await get('/api/v1/supervision/settings', sup)).json();
    expect(Number.isInteger(opened.version)).toBe(true);
    const v = opened.version as number;
    const first = await send('PUT', '/api/v1/supervision/settings', sup, { version: v, reply_working_days: 4 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ reply_working_days: 4, version: v + 1 });
    // The second clerk, still on the version they opened, sets another reply period: refused, the first save stands.
    const stale = await send('PUT', '/api/v1/supervision/settings', sup, { version: v, reply_working_days: 6 });
    expect(stale.statusCode).toBe(409);
    const err = stale.json().error;
    expect(err.code).toBe('version_conflict');
    expect(err.message).toBe('督办设置已被他人修改（答复期限与您提交的不同），请查看最新内容后重新提交');
    expect(err.details.fields).toEqual(['reply_working_days']);
    expect(err.details.current).toMatchObject({ reply_working_days: 4, version: v + 1 });
    const ladder = [{ key: 'remind', offset: -1, label: '到期前提醒' }, { key: 'overdue', offset: 1, label: '逾期督办' }];
    expect((await send('PUT', '/api/v1/supervision/settings', sup, { version: v, ladder })).json().error.message).toBe('督办设置已被他人修改（逐级督办步骤与您提交的不同），请查看最新内容后重新提交');
    const now = (await get('/api/v1/supervision/settings', sup)).json();
    expect(now).toMatchObject({ reply_working_days: 4, version: v + 1, ladder: opened.ladder });
    // A change without a version is refused by the schema; an unchanged save on the current version keeps the version.
    expect((await send('PUT', '/api/v1/supervision/settings', sup, { reply_working_days: 6 })).statusCode).toBe(400);
    expect((await send('PUT', '/api/v1/supervision/settings', sup, { version: v + 1, reply_working_days: 4 })).json().version).toBe(v + 1);
    // Two saves on the same version at the same moment: exactly one is written.
    const both = await Promise.all([5, 7].map((n) => send('PUT', '/api/v1/supervision/settings', sup, { version: v + 1, reply_working_days: n })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const won = both[0]!.statusCode === 200 ? 5 : 7;
    expect((await get('/api/v1/supervision/settings', sup)).json()).toMatchObject({ reply_working_days: won, version: v + 2 });
    const audited = await t.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'supervision.settings_update').orderBy('seq', 'desc').limit(2).execute();
    expect(audited.map((a) => JSON.parse(a.after_json!))).toEqual([{ reply_working_days: won }, { reply_working_days: 4 }]);
    expect((await send('PUT', '/api/v1/supervision/settings', sup, { version: v + 2, reply_working_days: 3 })).statusCode).toBe(200);
  });

  it('re-sends a weekly batch to the units that have not signed, and refuses once every unit signed', async () => {
    const fa = (await send('POST', '/api/v1/matters', sup, { title: '重发-道路白改黑', source: 'weekly', lead_unit_id: a, co_unit_ids: [b], due_on: addDays(today(), 15) })).json();
    const fb = (await send('POST', '/api/v1/matters', sup, { title: '重发-地块收储', source: 'weekly', lead_unit_id: b, due_on: addDays(today(), 15) })).json();
    // Another test (or the week's turn) may have issued this week's batch: the office issues one batch per week.
    await t.db.deleteFrom('weekly_batches').execute();
    const batch = (await send('POST', '/api/v1/batches', sup, { matter_ids: [fa.id, fb.id], carry_overdue: false })).json();
    expect(batch.new).toBe(2);
    let detail = (await get(`/api/v1/batches/${batch.id}`, sup)).json();
    expect(detail.unsigned).toEqual([{ unitId: a, name: '住建局', pending: 1 }, { unitId: b, name: '自然资源局', pending: 2 }].sort((x, y) => x.name.localeCompare(y.name, 'zh-CN')));
    expect((await get(`/api/v1/batches/${batch.id}`, unitA)).json().unsigned).toEqual([]); // a unit sees only its part

    // The unit A marks its to-do done and signs its matter; unit B has not signed anything.
    const d = (await get(`/api/v1/matters/${fa.id}`, unitA)).json();
    expect((await send('POST', `/api/v1/matters/${fa.id}/actions`, unitA, { action: 'sign', version: d.matter.version })).statusCode).toBe(200);
    await t.db.updateTable('todos').set({ done_at: clock.now().toISOString() }).where('key', 'in', [`batch:${batch.id}:unit:${a}`, `batch:${batch.id}:unit:${b}`]).execute();
    const res = await send('POST', `/api/v1/batches/${batch.id}/reissue`, sup);
    expect(res.statusCode).toBe(200);
    expect(res.json().units).toEqual([{ unitId: b, name: '自然资源局', pending: 2 }]);
    const todoB = (await get('/api/v1/todos?kind=batch.receive', unitB)).json().items.find((x: { link: string }) => x.link === `/batches/${batch.id}`);
    expect(todoB).toMatchObject({ doneAt: null, title: expect.stringContaining('再次下发') });
    expect(todoB.title).toContain('2项待签收');
    expect((await get('/api/v1/todos?kind=batch.receive', unitA)).json().items.some((x: { link: string }) => x.link === `/batches/${batch.id}`)).toBe(false);
    const notes = (await get('/api/v1/notifications', unitB)).json();
    expect(JSON.stringify(notes)).toContain('再次下发');
    expect((await audits('batch.reissue')).map((r) => r.entity_id)).toEqual([batch.id]);
    expect((await send('POST', `/api/v1/batches/${batch.id}/reissue`, unitB)).statusCode).toBe(403);

    // Once unit B signs its matter and its co-unit part, nobody is left: a reissue is refused in Chinese.
    const db = (await get(`/api/v1/matters/${fb.id}`, unitB)).json();
    await send('POST', `/api/v1/matters/${fb.id}/actions`, unitB, { action: 'sign', version: db.matter.version });
    await send('POST', `/api/v1/matters/${fa.id}/co-sign`, unitB, {});
    detail = (await get(`/api/v1/batches/${batch.id}`, sup)).json();
    expect(detail.unsigned).toEqual([]);
    const none = await send('POST', `/api/v1/batches/${batch.id}/reissue`, sup);
    expect(none.statusCode).toBe(409);
    expect(none.json().error.message).toContain('均已签收，无需重新下发');
    expect((await send('POST', '/api/v1/batches/999999/reissue', sup)).statusCode).toBe(404);
  });
});
