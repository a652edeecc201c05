import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import type { LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { createTestApp } from '../../../test/app.ts';
import { createDeps } from '../../deps.ts';
import { syncOpenPeriodTodos } from './index.ts';

type Todo = { key: string; kind: string; title: string; link: string; dueOn: string | null; overdue: boolean };

describe.each(DIALECTS)("reporters' to-dos (report due, return to fix) on %s", (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  const inject = (cookie: LoginHeaders, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });
  const todos = async (cookie: LoginHeaders): Promise<Todo[]> => (await inject(cookie, 'GET', '/api/v1/todos')).json().items;
  const reportTodos = async (cookie: LoginHeaders) => (await todos(cookie)).filter((x) => x.kind.startsWith('report.'));
  const count = async (cookie: LoginHeaders) => (await inject(cookie, 'GET', '/api/v1/todos/count')).json<{ open: number; overdue: number }>();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    expect((await inject(w.office, 'POST', '/api/v1/reporting/years', { year: 2026 })).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('opening a period gives each unit one "report due" with its count, due on the deadline; overdue first; in the header count', async () => {
    expect(await reportTodos(w.reporterA)).toEqual([]);
    // 10月 already past its deadline, 12月 due far ahead (the test does not depend on today's date).
    expect((await inject(w.office, 'PATCH', '/api/v1/reporting/periods/2026/12', { status: 'open', deadline: '2099-12-25' })).statusCode).toBe(200);
    expect((await inject(w.office, 'PATCH', '/api/v1/reporting/periods/2026/10', { status: 'open', deadline: '2026-10-26' })).statusCode).toBe(200);
    const a = await reportTodos(w.reporterA);
    expect(a.map((x) => [x.kind, x.title, x.overdue])).toEqual([
      ['report.due', '2026年10月月报：2个项目待报送', true],
      ['report.due', '2026年12月月报：2个项目待报送', false],
    ]);
    expect(a[0]).toMatchObject({ link: '/reports?year=2026&month=10&view=todo', dueOn: '2026-10-26' });
    // 2099-12-25 is a Friday: the deadline stays; the reserve project of unit A is not owed.
    expect(a[1]!.dueOn).toBe('2099-12-25');
    expect((await reportTodos(w.reporterB)).map((x) => x.title)).toEqual(['2026年10月月报：1个项目待报送', '2026年12月月报：1个项目待报送']);
    expect(await count(w.reporterA)).toMatchObject({ open: 2, overdue: 1 });
  });

  it('a deadline on a Sunday falls due on the next working day', async () => {
    expect((await inject(w.office, 'PATCH', '/api/v1/reporting/periods/2026/10', { deadline: '2026-10-25' })).statusCode).toBe(200);
    expect((await reportTodos(w.reporterA))[0]!.dueOn).toBe('2026-10-26');
  });

  it('submitting lowers the count; the last submit (batch) makes the to-do disappear, for that unit only', async () => {
    const saved = await inject(w.reporterA, 'PUT', `/api/v1/projects/${w.pa1}/reports/2026/10`, { amount_month: 1_000_000 });
    expect(saved.statusCode).toBe(200);
    expect((await inject(w.reporterA, 'POST', `/api/v1/reports/${saved.json().id}/submit`, { version: saved.json().version })).statusCode).toBe(200);
    expect((await reportTodos(w.reporterA))[0]!.title).toBe('2026年10月月报：1个项目待报送');
    const batch = await inject(w.reporterA, 'PUT', '/api/v1/reporting/periods/2026/10/batch', { rows: [{ project_id: w.pa2, amount_month: 2_000_000 }], submit: true });
    expect(batch.statusCode).toBe(200);
    expect((await reportTodos(w.reporterA)).map((x) => x.title)).toEqual(['2026年12月月报：2个项目待报送']);
    expect((await reportTodos(w.reporterB)).map((x) => x.title)).toEqual(['2026年10月月报：1个项目待报送', '2026年12月月报：1个项目待报送']);
    const done = (await inject(w.reporterA, 'GET', '/api/v1/todos?done=1')).json().items as Todo[];
    expect(done.map((x) => x.key)).toContain('report:2026-10:due:' + w.unitA);
  });

  it('a returned report is a "return to fix" for the reporters of its unit only, linking to it; resubmitting finishes it', async () => {
    const report = (await inject(w.office, 'GET', `/api/v1/projects/${w.pa1}/reports/2026/10`)).json();
    const back = await inject(w.office, 'POST', `/api/v1/reports/${report.id}/return`, { version: report.version, reason: '本月投资与上月累计不符' });
    expect(back.statusCode).toBe(200);
    const a = await reportTodos(w.reporterA);
    expect(a.map((x) => x.kind)).toEqual(['report.due', 'report.return', 'report.due']);
    const fix = a.find((x) => x.kind === 'report.return')!;
    expect(fix).toMatchObject({ title: '退回修改：甪直智能装备产业园 2026年10月月报：本月投资与上月累计不符', link: `/reports?year=2026&month=10&project=${w.pa1}`, overdue: true });
    expect(a[0]!.title).toBe('2026年10月月报：1个项目待报送');
    expect((await reportTodos(w.reporterB)).some((x) => x.kind === 'report.return')).toBe(false);
    expect((await reportTodos(w.office)).some((x) => x.kind === 'report.return')).toBe(false);
    expect((await count(w.reporterA)).open).toBe(3);

    const again = (await inject(w.reporterA, 'GET', `/api/v1/reports/${report.id}`)).json();
    expect((await inject(w.reporterA, 'POST', `/api/v1/reports/${report.id}/submit`, { version: again.version })).statusCode).toBe(200);
    expect((await reportTodos(w.reporterA)).map((x) => x.title)).toEqual(['2026年12月月报：2个项目待报送']);
  });

  it('submit-all clears the unit\'s period; closing a period finishes what the other units still owed', async () => {
    expect((await inject(w.reporterA, 'PUT', '/api/v1/reporting/periods/2026/12/batch', { rows: [{ project_id: w.pa1, amount_month: 1 }, { project_id: w.pa2, amount_month: 1 }] })).statusCode).toBe(200);
    expect((await reportTodos(w.reporterA)).length).toBe(1);
    const all = await inject(w.reporterA, 'POST', '/api/v1/reporting/periods/2026/12/submit-all', {});
    expect(all.json()).toMatchObject({ submitted: 2 });
    expect(await reportTodos(w.reporterA)).toEqual([]);
    expect((await reportTodos(w.reporterB)).length).toBe(2);
    expect((await inject(w.office, 'PATCH', '/api/v1/reporting/periods/2026/10', { status: 'closed' })).statusCode).toBe(200);
    expect((await reportTodos(w.reporterB)).map((x) => x.title)).toEqual(['2026年12月月报：1个项目待报送']);
  });

  it('the job re-derives what other paths changed (a project leaving the reporting tier), writing nothing when nothing changed', async () => {
    await t.db.updateTable('projects').set({ tier: 'reserve' }).where('id', '=', w.pb1).execute();
    expect((await reportTodos(w.reporterB)).length).toBe(1);
    const deps = createDeps(t.db);
    await syncOpenPeriodTodos(deps);
    expect(await reportTodos(w.reporterB)).toEqual([]);
    await t.db.updateTable('projects').set({ tier: 'implementation' }).where('id', '=', w.pb1).execute();
    await syncOpenPeriodTodos(deps);
    const before = await t.db.selectFrom('todos').select(['key', 'created_at', 'title']).where('kind', 'like', 'report.%').orderBy('key').execute();
    await syncOpenPeriodTodos(deps);
    expect(await t.db.selectFrom('todos').select(['key', 'created_at', 'title']).where('kind', 'like', 'report.%').orderBy('key').execute()).toEqual(before);
    expect((await reportTodos(w.reporterB)).map((x) => x.title)).toEqual(['2026年12月月报：1个项目待报送']);
  });
});
