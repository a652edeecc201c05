import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarOf, DEFAULT_CALENDAR_DAYS } from '../../../core/calendar.ts';
import type { Scheme } from '../../../core/evaluation/scheme.ts';
import type { ReportStatus } from '../../../core/monthly-report.ts';
import { createDeps } from '../../deps.ts';
import { createTestApp } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildProject, buildRegions, buildUnit } from '../../../test/factories.ts';
import { buildPlan } from '../../../test/indicator-factories.ts';
import { effectiveDeadline } from '../reports/index.ts';
import { createEvaluationService, listSources, type SnapshotBody } from './index.ts';

const YI = 100_000_000;

describe('effectiveDeadline (the working-day calendar moves a deadline off days off)', () => {
  const cal = calendarOf(DEFAULT_CALENDAR_DAYS);
  it('keeps a working day, moves a weekend or holiday to the next working day, keeps a 调休 Saturday', () => {
    expect(effectiveDeadline('2026-05-25', cal)).toBe('2026-05-25'); // Monday
    expect(effectiveDeadline('2026-05-24', cal)).toBe('2026-05-25'); // Sunday
    expect(effectiveDeadline('2026-05-01', cal)).toBe('2026-05-06'); // 劳动节 1–5 May
    expect(effectiveDeadline('2026-10-01', cal)).toBe('2026-10-08'); // 国庆节 1–7 October
    expect(effectiveDeadline('2026-10-10', cal)).toBe('2026-10-10'); // Saturday worked (调休)
  });
});

/**
 * 入库纳统率 and 月度填报及时率 on a real-shaped library: three townships of 吴中区, one with a sub-office whose projects
 * fold into it (as the indicator engine's unit breakdown folds them), plus projects that must not count (deleted,
 * reserve tier, next year's list).
 */
describe.each(DIALECTS)('evaluation sources 入库纳统率 and 月度填报及时率 on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  const ids: Record<string, number> = {};
  const project: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局（来源测试）', kind: 'office', regionCode: '320506' });
    for (const name of ['甪直镇', '临湖镇', '木渎镇']) ids[name] = (await buildUnit(t.db, { name, parentId: root.id, regionCode: '320506', kind: 'township' })).id;
    ids.木渎镇建设办 = (await buildUnit(t.db, { name: '木渎镇建设办', parentId: ids.木渎镇, regionCode: '320506' })).id;
    const p = async (key: string, unit: string, attrs: Record<string, unknown>) => {
      project[key] = await buildProject(t.db, { name: `来源测试${key}`, unit_id: ids[unit]!, list_year: 2026, ...attrs });
      await buildPlan(t.db, { project_id: project[key], year: 2026, planned_investment: 10 * YI });
    };
    const started = (date: string) => ({ stage: 'started', actual_start_date: date });
    // 甪直镇: A started in March, entered in April; B started in April, entered only in June; C not started.
    await p('A', '甪直镇', { ...started('2026-03-01'), stats_entered: 1, stats_entered_date: '2026-04-10' });
    await p('B', '甪直镇', { ...started('2026-04-15'), stats_entered: 1, stats_entered_date: '2026-06-05' });
    await p('C', '甪直镇', { stage: 'preliminary' });
    // 临湖镇: D started last year and entered (an imported list: no entry date); E deleted, F in the reserve tier,
    // G on next year's list — none of E, F, G counts anywhere.
    await p('D', '临湖镇', { ...started('2025-06-01'), stats_entered: 1 });
    await p('E', '临湖镇', { ...started('2026-01-10'), deleted_at: '2026-02-01T00:00:00.000Z' });
    await p('F', '临湖镇', { ...started('2026-01-10'), tier: 'reserve' });
    await p('G', '临湖镇', { ...started('2026-01-10'), list_year: 2027 });
    // 木渎镇: H not entered (with a reason); I and J of its 建设办 entered.
    await p('H', '木渎镇', { ...started('2026-02-01'), stats_entered: 0, stats_reason: '尚未达到入库标准' });
    await p('I', '木渎镇建设办', { ...started('2026-02-01'), stats_entered: 1, stats_entered_date: '2026-03-01' });
    await p('J', '木渎镇建设办', { ...started('2026-02-01'), stats_entered: 1, stats_entered_date: '2026-04-30' });

    // April's period is due 1 May, inside the 劳动节 holiday (1–5 May): it falls on Wednesday 6 May.
    await t.db.insertInto('reporting_periods').values({ year: 2026, month: 4, first_month: 4, deadline: '2026-05-01', status: 'closed' }).execute();
    const now = '2026-05-02T00:00:00.000Z';
    const report = (key: string, status: ReportStatus, firstSubmittedAt: string | null) => ({
      project_id: project[key]!, year: 2026, month: 4, status, first_submitted_at: firstSubmittedAt, submitted_at: firstSubmittedAt, created_at: now, updated_at: now,
    });
    await t.db.insertInto('monthly_reports').values([
      report('A', 'approved', '2026-05-06T15:59:59.000Z'), // 23:59:59 China time on the moved deadline day: on time
      report('B', 'submitted', '2026-05-06T16:00:00.000Z'), // 00:00 on 7 May China time: late
      // C has no report.
      report('D', 'returned', '2026-04-28T01:00:00.000Z'), // submitted on time, then returned for correction: on time
      report('E', 'approved', '2026-04-28T01:00:00.000Z'), report('F', 'approved', '2026-04-28T01:00:00.000Z'), report('G', 'approved', '2026-04-28T01:00:00.000Z'),
      report('H', 'draft', null),
      report('I', 'approved', '2026-05-01T03:00:00.000Z'),
      report('J', 'submitted', '2026-05-05T09:00:00.000Z'),
    ]).execute();
  });
  afterAll(async () => t?.close());

  const scheme: Scheme = {
    name: '来源测试方案', nodes: [
      { key: 'completion', name: '投资完成率', source: 'completion_rate', rule: { kind: 'proportional', full: 10, order: 'desc' } },
      { key: 'stats', name: '入库纳统', source: 'stats_entry_rate', rule: { kind: 'proportional', full: 10, order: 'desc' } },
      { key: 'timely', name: '月度填报及时', source: 'report_on_time_rate', rule: { kind: 'threshold', op: '>=', threshold: 60, pass: 5, fail: 0 } },
    ],
  };
  const preview = async (nowIso: string, month: number) => {
    const service = createEvaluationService(createDeps(t.db, { clock: { now: () => new Date(nowIso) } }));
    const r = await service.preview({ year: 2026, month, scheme });
    expect(r.problems).toEqual([]);
    return r.result!;
  };
  const line = (s: SnapshotBody, unit: string, leaf: string) => s.units.find((u) => u.name === unit)!.nodes[leaf]!;

  it('lists both sources as wired, in their own providers', () => {
    expect(listSources().find((s) => s.key === 'stats_entry_rate')).toMatchObject({ available: true, provider: 'projects', label: '入库纳统率', unit: '%' });
    expect(listSources().find((s) => s.key === 'report_on_time_rate')).toMatchObject({ available: true, provider: 'reports', label: '月度填报及时率', unit: '%' });
  });

  it('computes 入库纳统率 per township from started projects entered by the month\'s end, folding sub-offices in', async () => {
    const april = await preview('2026-06-10T02:00:00.000Z', 4);
    // One unit per township: the sources' keys are the indicator sources' keys (no 木渎镇建设办 line of its own).
    expect(april.units.map((u) => u.name).sort()).toEqual(['临湖镇', '木渎镇', '甪直镇']);
    expect(line(april, '甪直镇', 'stats').value_text).toBe('50'); // A of A, B (B entered only in June); C not started
    expect(line(april, '临湖镇', 'stats').value_text).toBe('100'); // D; E deleted, F reserve, G next year's list
    expect(line(april, '木渎镇', 'stats').value_text).toBe('66.67'); // I, J of H, I, J (2 of 3, unrounded 66.666…)
    const march = await preview('2026-06-10T02:00:00.000Z', 3);
    expect(line(march, '甪直镇', 'stats').value_text).toBe('0'); // A started, entered only on 10 April
    expect(line(march, '木渎镇', 'stats').value_text).toBe('33.33'); // J entered on 30 April
    const june = await preview('2026-06-10T02:00:00.000Z', 6);
    expect(line(june, '甪直镇', 'stats').value_text).toBe('100');
  });

  it('computes 月度填报及时率 against the deadline moved by the working-day calendar, once that day has passed', async () => {
    const april = await preview('2026-06-10T02:00:00.000Z', 4);
    expect(line(april, '甪直镇', 'timely')).toMatchObject({ value_text: '33.33', score_text: '0.0' }); // A of A, B, C
    expect(line(april, '临湖镇', 'timely')).toMatchObject({ value_text: '100', score_text: '5.0' }); // D (returned after an on-time submission)
    expect(line(april, '木渎镇', 'timely')).toMatchObject({ value_text: '66.67', score_text: '5.0' }); // I, J of H, I, J
    // On the moved deadline day itself nothing is late yet: no value, no score.
    const during = await preview('2026-05-06T15:59:00.000Z', 4);
    expect(line(during, '甪直镇', 'timely')).toMatchObject({ value_text: '—', note: '无数据，不得分' });
    expect(line(during, '甪直镇', 'stats').value_text).toBe('50');
    // A month without a period of its own has no value either.
    const may = await preview('2026-06-10T02:00:00.000Z', 5);
    expect(line(may, '临湖镇', 'timely').value_text).toBe('—');
  });
});
