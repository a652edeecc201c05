import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../../core/calendar.ts';
import { DEFAULT_LADDER } from '../../../core/deadlines.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildUnit, buildUser } from '../../../test/factories.ts';
import { createDeps } from '../../deps.ts';
import { systemActor } from '../../platform/context.ts';
import { findDeadline, loadWorkCalendar, runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';
import { createMatterService } from './index.ts';

// Escalation rules per year (issue 17): a matter follows the rules of the year it was assigned in; a year without its
// own follows the nearest earlier year's, else the defaults; setting 2027's leaves 2026's matters alone; the steps
// still fall on working days across 国庆 (seeded) and an office-entered 2027 春节.
describe.each(DIALECTS)('escalation rules per year on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let sup: LoginHeaders;
  let reporter: LoginHeaders;
  let unit: number;
  let now = '2026-09-21T02:00:00.000Z';
  beforeAll(async () => {
    t = await createTestApp(dialect);
    unit = (await buildUnit(t.db, { name: '年度规则测试局' })).id;
    await buildUser(t.db, { username: 'yr_sup', role: 'supervisor' });
    await buildUser(t.db, { username: 'yr_rep', role: 'reporter', unitId: unit });
    sup = await t.login('yr_sup');
    reporter = await t.login('yr_rep');
    // The office's 2027 calendar: 春节 on the weekdays 2/8–2/12.
    await t.db.insertInto('calendar_days').values(['2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'].map((day) => ({ day, kind: 'holiday', name: '春节', updated_at: now, updated_by: null }))).execute();
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: LoginHeaders) => t.app.inject({ method: 'GET', url, headers });
  const put = (url: string, headers: LoginHeaders, payload: object) => t.app.inject({ method: 'PUT', url, headers, payload });
  const service = () => createMatterService(createDeps(t.db, { clock: { now: () => new Date(now) } }));
  const ladderOf = async (id: number, kind = 'complete') => (await findDeadline(t.db, { entityType: 'matter', entityId: id, kind }))!.ladder;
  const letters = async (id: number) => (await t.db.selectFrom('supervision_letters').select(['kind', 'step']).where('matter_id', '=', id).orderBy('id').execute()).map((l) => `${l.kind}:${l.step ?? ''}`);

  it('keeps a 2026 matter on 2026\'s rules when 2027\'s are set, and a 2027 matter on 2027\'s, with steps on working days across holidays', async () => {
    const cal = await loadWorkCalendar(t.db);
    // A 2026 matter due the first working day after 国庆: its 提醒 (T−2) falls before the holiday.
    now = '2026-09-21T02:00:00.000Z';
    const m26 = await service().create(systemActor(), { title: '年度规则-2026事项', content: '', source: 'other', type: '其他', urgency: 'normal', leadUnitId: unit, dueOn: '2026-10-09' });
    expect(await ladderOf(m26.id)).toEqual(DEFAULT_LADDER);
    const remind26 = addWorkingDays('2026-10-09', -2, cal);
    expect(remind26 < '2026-10-01').toBe(true);
    expect(await letters(m26.id)).toEqual(['assign:']);

    // 2026 has no rules of its own: the defaults; the office sets 2027's.
    const r2026 = (await get('/api/v1/supervision/rules/2026', sup)).json();
    expect(r2026).toMatchObject({ year: 2026, from: null, own: false, version: 0, ladder: DEFAULT_LADDER, letter_on_create: true });
    const ladder2027 = [{ key: 'remind', offset: -5, label: '到期提醒' }, { key: 'overdue', offset: 1, label: '逾期督办' }, { key: 'interview', offset: 3, label: '约谈通报' }];
    expect((await put('/api/v1/supervision/rules/2027', reporter, { version: 0, ladder: ladder2027 })).statusCode).toBe(403);
    const bad = await put('/api/v1/supervision/rules/2027', sup, { version: 0, ladder: [ladder2027[1], ladder2027[0]] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('应按时间先后排列');
    const saved = await put('/api/v1/supervision/rules/2027', sup, { version: 0, ladder: ladder2027, letter_on_step: { overdue: 'press', interview: 'interview', gone: 'remind' }, letter_on_create: false });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ year: 2027, from: 2027, own: true, version: 1, years: [2027], letter_on_step: { overdue: 'press', interview: 'interview' } });
    expect(saved.json().letter_on_step).not.toHaveProperty('gone');
    // 2028 carries 2027's forward; 2026 still has the defaults and its matter its ladder.
    expect((await get('/api/v1/supervision/rules/2028', sup)).json()).toMatchObject({ from: 2027, own: false, version: 0, ladder: ladder2027 });
    expect((await get('/api/v1/supervision/rules/2026', sup)).json()).toMatchObject({ from: null, ladder: DEFAULT_LADDER });
    expect(await ladderOf(m26.id)).toEqual(DEFAULT_LADDER);

    // The 2026 matter's 提醒 comes on its day with 2026's letter.
    const acted26 = await runDeadlineSteps(t.db, new Date(`${remind26}T02:00:00Z`));
    expect(acted26.filter((c) => c.deadline.entityId === m26.id).map((c) => c.step.key)).toEqual(['remind']);
    expect(await letters(m26.id)).toEqual(['assign:', 'remind:remind']);

    // A 2027 matter due after the office's 春节: 2027's ladder, no 交办函; T−5 skips the holiday week.
    now = '2027-01-25T02:00:00.000Z';
    const m27 = await service().create(systemActor(), { title: '年度规则-2027事项', content: '', source: 'other', type: '其他', urgency: 'normal', leadUnitId: unit, dueOn: '2027-02-15' });
    expect(await ladderOf(m27.id)).toEqual(ladder2027);
    expect(await letters(m27.id)).toEqual([]);
    expect(addWorkingDays('2027-02-15', -5, await loadWorkCalendar(t.db))).toBe('2027-02-01');

    // A stale save is refused and names what it would overwrite; a fresh one re-arms the open 2027 matter only.
    const stale = await put('/api/v1/supervision/rules/2027', sup, { version: 0, letter_on_create: true });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { fields: ['letter_on_create'] } });
    const ladder2027b = [{ key: 'remind', offset: -3, label: '到期提醒' }, ...ladder2027.slice(1)];
    expect((await put('/api/v1/supervision/rules/2027', sup, { version: 1, ladder: ladder2027b })).json()).toMatchObject({ version: 2, ladder: ladder2027b, letter_on_create: false });
    expect(await ladderOf(m27.id)).toEqual(ladder2027b);
    expect(await ladderOf(m26.id)).toEqual(DEFAULT_LADDER);
    // Nothing on 2/1 any more (T−5 is gone); on 2/3 (T−3, working days 2/3, 2/4, 2/5 before the holiday) the 提醒, no letter by 2027's rules.
    expect((await runDeadlineSteps(t.db, new Date('2027-02-01T02:00:00Z'))).filter((c) => c.deadline.entityId === m27.id)).toEqual([]);
    const acted27 = await runDeadlineSteps(t.db, new Date('2027-02-03T02:00:00Z'));
    expect(acted27.filter((c) => c.deadline.entityId === m27.id).map((c) => c.step.key)).toEqual(['remind']);
    expect(await letters(m27.id)).toEqual([]);
    // Overdue on the first working day after the due date: 督办函 by 2027's rules.
    const overdue27 = addWorkingDays('2027-02-15', 1, await loadWorkCalendar(t.db));
    await runDeadlineSteps(t.db, new Date(`${overdue27}T02:00:00Z`));
    expect(await letters(m27.id)).toEqual(['press:overdue']);
  });
});
