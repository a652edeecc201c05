import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import type { LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { createTestApp } from '../../../test/app.ts';
import { findDeadline, runDeadlineSteps } from '../../platform/deadlines/deadlines.ts';
import { REPORT_DEADLINE_ENTITY } from './index.ts';

// The application runs on 2026-09-24 at 00:30 China time (still 09-23 in UTC: the hours that broke date arithmetic
// before). server/clock.ts reads DOCKET_NOW when first imported, so it is set before any module is evaluated.
vi.hoisted(() => {
  process.env.DOCKET_NOW = '2026-09-24T00:30:00+08:00';
});

// An instant given in China time.
const china = (dayTime: string) => new Date(`${dayTime}+08:00`);

describe.each(DIALECTS)('report deadline reminders (消息提醒) on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const inject = (cookie: LoginHeaders, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });
  const notes = async (cookie: LoginHeaders): Promise<{ title: string; link: string | null }[]> =>
    (await inject(cookie, 'GET', '/api/v1/notifications')).json<{ items: { title: string; link: string | null }[] }>().items
      .filter((n) => n.title.includes('月报')).map((n) => ({ title: n.title, link: n.link }));
  const stepsAt = async (at: Date) => (await runDeadlineSteps(t.db, at)).filter((c) => c.deadline.entityType === REPORT_DEADLINE_ENTITY).map((c) => c.step.key);
  let periodId = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    expect((await inject(w.office, 'POST', '/api/v1/reporting/years', { year: 2026 })).statusCode).toBe(201);
    // 9月 is due on Wednesday 09-30, just before 国庆 (10-01…10-07 off; 中秋 09-25…09-27 off).
    const opened = await inject(w.office, 'PATCH', '/api/v1/reporting/periods/2026/9', { status: 'open', deadline: '2026-09-30' });
    expect(opened.statusCode, opened.body).toBe(200);
    periodId = (await t.db.selectFrom('reporting_periods').select('id').where('year', '=', 2026).where('month', '=', 9).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t?.close());

  it('the lead time is a reporting setting, 2 working days by default', async () => {
    expect((await inject(w.office, 'GET', '/api/v1/reporting/settings')).json()).toMatchObject({ remind_working_days: 2 });
    const d = await findDeadline(t.db, { entityType: REPORT_DEADLINE_ENTITY, entityId: periodId, kind: `due:${w.unitA}` });
    expect(d).toMatchObject({ dueOn: '2026-09-30', startOn: '2026-09-24', status: 'open', unitId: w.unitA });
    expect(d!.ladder.map((s) => [s.key, s.offset])).toEqual([['remind', -2], ['due', 0], ['overdue', 1]]);
  });

  it('reminds each owing unit 2 working days before (Monday 09-28, after 中秋), in China time', async () => {
    // 09-28 00:00 China time is 09-27 16:00 UTC: a minute before, nothing; just after, the reminder.
    expect(await stepsAt(china('2026-09-27T23:59:00'))).toEqual([]);
    expect(await stepsAt(china('2026-09-28T00:30:00'))).toEqual(['remind', 'remind']);
    expect(await notes(w.reporterA)).toEqual([{ title: '2026年9月月报将于9月30日截止（还有2个工作日）：2个项目待报送', link: '/reports?year=2026&month=9&view=todo' }]);
    expect((await notes(w.reporterB)).map((n) => n.title)).toEqual(['2026年9月月报将于9月30日截止（还有2个工作日）：1个项目待报送']);
    // The office owes nothing: told nothing. A second server running the same minute sends nothing again.
    expect(await notes(w.office)).toEqual([]);
    expect(await stepsAt(china('2026-09-28T10:00:00'))).toEqual([]);
  });

  it('a unit that submits everything gets no later reminder; the others are told on the day and when overdue (after 国庆)', async () => {
    const saved = await inject(w.reporterB, 'PUT', `/api/v1/projects/${w.pb1}/reports/2026/9`, { amount_month: 1_000_000 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await inject(w.reporterB, 'POST', `/api/v1/reports/${saved.json().id}/submit`, { version: saved.json().version })).statusCode).toBe(200);
    expect(await findDeadline(t.db, { entityType: REPORT_DEADLINE_ENTITY, entityId: periodId, kind: `due:${w.unitB}` })).toMatchObject({ status: 'done' });

    expect(await stepsAt(china('2026-09-29T23:59:00'))).toEqual([]);
    expect(await stepsAt(china('2026-09-30T00:10:00'))).toEqual(['due']);
    expect((await notes(w.reporterA))[0]!.title).toBe('2026年9月月报今日（9月30日）截止：2个项目待报送');
    // Overdue is the next working day: 10-08, not 10-01 (国庆). Three servers at once take the step once.
    expect(await stepsAt(china('2026-10-07T23:00:00'))).toEqual([]);
    const runs = await Promise.all([1, 2, 3].map(() => stepsAt(china('2026-10-08T00:30:00'))));
    expect(runs.flat()).toEqual(['overdue']);
    expect((await notes(w.reporterA)).map((n) => n.title)).toEqual([
      '2026年9月月报已逾期（9月30日截止）：2个项目未报送',
      '2026年9月月报今日（9月30日）截止：2个项目待报送',
      '2026年9月月报将于9月30日截止（还有2个工作日）：2个项目待报送',
    ]);
    expect((await notes(w.reporterB)).map((n) => n.title)).toEqual(['2026年9月月报将于9月30日截止（还有2个工作日）：1个项目待报送']);
  });

  it('a changed lead time re-arms the open deadlines without sending the steps already taken again', async () => {
    const put = await inject(w.office, 'PUT', '/api/v1/reporting/settings', { deadline_day: 25, deadline_month_offset: 0, remind_working_days: 3 });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ remind_working_days: 3 });
    const d = await findDeadline(t.db, { entityType: REPORT_DEADLINE_ENTITY, entityId: periodId, kind: `due:${w.unitA}` });
    expect(d!.ladder.map((s) => [s.key, s.offset])).toEqual([['remind', -3], ['due', 0], ['overdue', 1]]);
    expect(await stepsAt(china('2026-10-09T09:00:00'))).toEqual([]);
    expect(await notes(w.reporterA)).toHaveLength(3);
    expect((await inject(w.office, 'PUT', '/api/v1/reporting/settings', { deadline_day: 25, deadline_month_offset: 0, remind_working_days: 11 })).statusCode).toBe(400);
  });

  it('closing the period cancels what is left: nothing more is sent', async () => {
    expect((await inject(w.office, 'PATCH', '/api/v1/reporting/periods/2026/9', { status: 'closed' })).statusCode).toBe(200);
    expect(await findDeadline(t.db, { entityType: REPORT_DEADLINE_ENTITY, entityId: periodId, kind: `due:${w.unitA}` })).toMatchObject({ status: 'cancelled' });
  });
});
