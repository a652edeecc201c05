import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildProject } from '../../../test/factories.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { buildApp } from '../../app.ts';
import { openDatabase, type Database } from '../../db/database.ts';

// Issue 16: a submit no longer reads the whole working-day calendar; servers keep the last one read by the database's
// calendar stamp (calendar_version). These check that an edit of the calendar — through the office's page on one
// server, or written straight into calendar_days — is honoured by the very next submit on another server.
describe.each(DIALECTS)('the working-day calendar a submit counts with, across servers, on %s', (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  let otherDb: Database;
  let other: FastifyInstance;
  let pa3: number;
  let pa4: number;

  /** Saves and submits a project's October report on the second server. */
  const submitOnOther = async (projectId: number) => {
    const saved = await other.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/reports/2026/10`, headers: w.reporterA, payload: { amount_month: 1_000_000 } });
    expect(saved.statusCode).toBe(200);
    const submitted = await other.inject({ method: 'POST', url: `/api/v1/reports/${saved.json().id}/submit`, headers: w.reporterA, payload: { version: saved.json().version } });
    expect(submitted.statusCode).toBe(200);
  };
  /** The due date of unit A's "report due" for October, as the to-do list shows it. */
  const dueOn = async (headers: LoginHeaders) => {
    const items = (await t.app.inject({ url: '/api/v1/todos', headers })).json().items as Array<{ key: string; dueOn: string | null; title: string }>;
    return items.find((x) => x.key === `report:2026-10:due:${w.unitA}`);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    pa3 = await buildProject(t.db, { name: '甪直物流园', unit_id: w.unitA, stage: 'started' });
    pa4 = await buildProject(t.db, { name: '甪直邻里中心', unit_id: w.unitA, stage: 'started' });
    // A second app on its own connection pool stands in for a second server process.
    otherDb = openDatabase(t.config);
    other = await buildApp(t.config, otherDb);
    await other.ready();
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/reporting/years', headers: w.office, payload: { year: 2026 } })).statusCode).toBe(201);
    // Monday 2026-10-26: a working day in the shipped calendar.
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/reporting/periods/2026/10', headers: w.office, payload: { status: 'open', deadline: '2026-10-26' } })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await other?.close();
    await otherDb?.destroy();
    await t?.close();
  });

  it('a holiday the office enters on one server moves the deadline of the next submit on another', async () => {
    await submitOnOther(w.pa1); // the second server reads (and keeps) the calendar as shipped
    expect(await dueOn(w.reporterA)).toMatchObject({ dueOn: '2026-10-26', title: '2026年10月月报：3个项目待报送' });

    const year = (await t.app.inject({ url: '/api/v1/calendar/2026', headers: w.office })).json<{ days: object[] }>();
    const put = await t.app.inject({
      method: 'PUT', url: '/api/v1/calendar/2026', headers: w.office,
      payload: { days: [...year.days, { day: '2026-10-26', kind: 'holiday', name: '地方假日' }] },
    });
    expect(put.statusCode).toBe(200);

    await submitOnOther(w.pa2);
    expect(await dueOn(w.reporterA)).toMatchObject({ dueOn: '2026-10-27', title: '2026年10月月报：2个项目待报送' });
  });

  it('a change written straight into calendar_days (not through the page) is honoured too', async () => {
    await t.db.deleteFrom('calendar_days').where('day', '=', '2026-10-26').execute();
    await submitOnOther(pa3);
    expect(await dueOn(w.reporterA)).toMatchObject({ dueOn: '2026-10-26', title: '2026年10月月报：1个项目待报送' });
    // And back: the stamp moves on every change, so an earlier calendar is never taken for the current one.
    await t.db.insertInto('calendar_days').values({ day: '2026-10-26', kind: 'holiday', name: '地方假日', updated_at: new Date().toISOString(), updated_by: null }).execute();
    const saved = await other.inject({ method: 'PUT', url: `/api/v1/projects/${pa4}/reports/2026/10`, headers: w.reporterA, payload: { amount_month: 1_000_000 } });
    expect(saved.statusCode).toBe(200);
    // Returning another report re-derives the unit's to-dos on the first server: it sees the holiday as well.
    const first = (await t.app.inject({ url: `/api/v1/projects/${w.pa1}/reports/2026/10`, headers: w.office })).json<{ id: number; version: number }>();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/reports/${first.id}/return`, headers: w.office, payload: { version: first.version, reason: '请核对' } })).statusCode).toBe(200);
    expect(await dueOn(w.reporterA)).toMatchObject({ dueOn: '2026-10-27', title: '2026年10月月报：2个项目待报送' });
  });
});
