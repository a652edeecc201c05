import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';

describe.each(DIALECTS)("a report's 需协调问题 → 督办事项 (two clicks, once) on %s", (dialect) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildReportingWorld>>;
  let reportId = 0;
  const inject = (cookie: LoginHeaders, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: cookie, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildReportingWorld(t);
    expect((await inject(w.office, 'POST', '/api/v1/reporting/years', { year: 2026 })).statusCode).toBe(201);
    expect((await inject(w.office, 'PATCH', '/api/v1/reporting/periods/2026/11', { status: 'open' })).statusCode).toBe(200);
    const saved = await inject(w.reporterA, 'PUT', `/api/v1/projects/${w.pa2}/reports/2026/11`, { amount_month: 1_000_000, problems: '施工用电增容迟迟未批复，需供电公司协调' });
    expect(saved.statusCode).toBe(200);
    reportId = saved.json().id;
    expect((await inject(w.reporterA, 'POST', `/api/v1/reports/${reportId}/submit`, { version: saved.json().version })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('a leader turns it into a matter prefilled from the report: the problem as content, the project linked, its unit leading, the source linking back', async () => {
    const res = await inject(w.leader, 'POST', `/api/v1/reports/${reportId}/matter`, {});
    expect(res.statusCode).toBe(201);
    const made = res.json<{ id: number; number: string }>();
    expect(made.number).toMatch(/〔2\d{3}〕\d+号$/);
    const detail = (await inject(w.leader, 'GET', `/api/v1/matters/${made.id}`)).json();
    expect(detail.matter).toMatchObject({
      title: '协调解决：甪直污水处理厂提标改造2026年11月月报反映的问题', source: 'report', sourceLabel: '月报问题', sourceId: reportId,
      sourceRef: '甪直污水处理厂提标改造 2026年11月月报·需协调问题', sourceLink: `/projects/${w.pa2}?tab=reports&year=2026`, leadUnitId: w.unitA,
    });
    expect(detail.matter.content).toBe('施工用电增容迟迟未批复，需供电公司协调');
    expect(detail.projects.map((p: { id: number }) => p.id)).toEqual([w.pa2]);
    // The unit that leads it has the matter to sign in its inbox.
    expect(((await inject(w.reporterA, 'GET', '/api/v1/todos')).json().items as Array<{ link: string }>).some((x) => x.link === `/matters/${made.id}`)).toBe(true);
  });

  it('a second 转督办 of the same report is refused 409 naming the matter; the review queue and the project\'s reports show it', async () => {
    const again = await inject(w.office, 'POST', `/api/v1/reports/${reportId}/matter`, { title: '再来一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已转为督办事项');
    const first = (await inject(w.office, 'GET', '/api/v1/matters?box=all&source=report')).json();
    expect(first.total).toBe(1);
    const queue = (await inject(w.office, 'GET', '/api/v1/reporting/periods/2026/11/review-queue')).json();
    expect(queue.items[0].matter).toMatchObject({ number: again.json().error.details.matter_number });
    const list = (await inject(w.leader, 'GET', `/api/v1/projects/${w.pa2}/reports/2026`)).json();
    expect(list.items.find((r: { id: number }) => r.id === reportId).matter.number).toBe(again.json().error.details.matter_number);
  });

  it('only the roles that assign matters may; a report without 需协调问题 has nothing to assign; out of scope is 404', async () => {
    expect((await inject(w.reporterA, 'POST', `/api/v1/reports/${reportId}/matter`, {})).statusCode).toBe(403);
    const plain = await inject(w.reporterA, 'PUT', `/api/v1/projects/${w.pa1}/reports/2026/11`, { amount_month: 5 });
    const none = await inject(w.office, 'POST', `/api/v1/reports/${plain.json().id}/matter`, {});
    expect(none.statusCode).toBe(422);
    expect(none.json().error.message).toContain('没有填写需协调问题');
    expect((await inject(w.office, 'POST', '/api/v1/reports/999999/matter', {})).statusCode).toBe(404);
  });

  it('a matter from a lagging unit keeps its in-app link back; a link to another site is refused', async () => {
    const ok = await inject(w.leader, 'POST', '/api/v1/matters', {
      title: '甪直镇11月项目推进滞后', source: 'unit', source_id: w.unitA, source_ref: '2026年1–11月讲评：第2名/2', source_link: '/bulletins?tab=ranking&year=2026&month=11', lead_unit_id: w.unitA,
    });
    expect(ok.statusCode).toBe(200);
    expect((await inject(w.leader, 'GET', `/api/v1/matters/${ok.json().id}`)).json().matter).toMatchObject({ source: 'unit', sourceLabel: '滞后单位', sourceLink: '/bulletins?tab=ranking&year=2026&month=11' });
    for (const link of ['//evil.example/x', 'https://evil.example', '/\\evil']) {
      expect((await inject(w.leader, 'POST', '/api/v1/matters', { title: 'x', source: 'unit', source_link: link, lead_unit_id: w.unitA })).statusCode).toBe(400);
    }
  });
});
