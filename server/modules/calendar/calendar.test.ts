import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../../core/calendar.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { createDeps } from '../../deps.ts';
import { createCalendarService } from './index.ts';

describe.each(DIALECTS)('the working-day calendar on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let reporter: LoginHeaders;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const unit = await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' });
    await buildUser(t.db, { username: 'office1', role: 'office', unitId: unit.id });
    await buildUser(t.db, { username: 'rep1', role: 'reporter', unitId: unit.id });
    office = await t.login('office1');
    reporter = await t.login('rep1');
  });
  afterAll(async () => t?.close());

  it('ships the official 2026 schedule, readable by every role', async () => {
    const res = await t.app.inject({ url: '/api/v1/calendar/2026', headers: reporter });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.years).toEqual([2025, 2026]);
    expect(body.days.filter((d: { kind: string }) => d.kind === 'workday').map((d: { day: string }) => d.day))
      .toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('lets the office enter 2027, refusing bad rows in Chinese and keeping the stored year', async () => {
    const put = (headers: LoginHeaders, days: object[]) => t.app.inject({ method: 'PUT', url: '/api/v1/calendar/2027', headers, payload: { days } });
    expect((await put(reporter, [])).statusCode).toBe(403);
    const bad = await put(office, [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }, { day: '2027-02-03', kind: 'workday', name: '春节' }]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toBe('第 2 行（2027-02-03）：调休上班日应为周六或周日，该日本来就是工作日');
    expect((await t.app.inject({ url: '/api/v1/calendar/2027', headers: office })).json().days).toEqual([]);

    const ok = await put(office, [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }, { day: '2027-02-06', kind: 'workday', name: '春节' }]);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().years).toEqual([2025, 2026, 2027]);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'calendar.update').execute();
    expect(audit).toHaveLength(1);

    // Deadlines counted through the service see the office's entry: Sat 2027-02-06 is worked.
    const cal = await createCalendarService(createDeps(t.db)).load();
    expect(addWorkingDays('2027-02-05', 1, cal)).toBe('2027-02-06');
  });
});
