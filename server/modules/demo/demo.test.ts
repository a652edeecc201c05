import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clock } from '../../clock.ts';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import { createTestApp } from '../../../test/app.ts';
import { checkProjectCode } from '../../../core/project-code.ts';
import type { Executor } from '../../db/database.ts';
import { generateDemo } from './demo.service.ts';
import { usccFor } from './demo.generator.ts';
import { sql } from 'kysely';
import { ProjectRepository } from '../projects/index.ts';
import { ReportRepository } from '../reports/index.ts';

const AS_OF = '2026-11-23';

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
const SIZE = 400;

/** Every generated row, ordered, so two databases can be compared value by value. */
async function dump(db: Executor) {
  return {
    units: await db.selectFrom('units').selectAll().orderBy('id').execute(),
    projects: await db.selectFrom('projects').selectAll().orderBy('id').execute(),
    levels: await db.selectFrom('project_levels').selectAll().orderBy('project_id').orderBy('level').execute(),
    plans: await db.selectFrom('annual_plans').selectAll().orderBy('id').execute(),
    history: await db.selectFrom('project_stage_history').selectAll().orderBy('id').execute(),
    reports: await db.selectFrom('monthly_reports').selectAll().orderBy('id').execute(),
    periods: await db.selectFrom('reporting_periods').selectAll().orderBy('month').execute(),
  };
}

describe('the GB 32100 code of demo builders', () => {
  it('reproduces a real licence code from its body', () => {
    // 华为技术有限公司: 91 440300 19220382 1 6
    expect(usccFor('440300', '19220382')).toBe('914403001922038216');
  });
});

describe.each(DIALECTS)('docket demo on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let rows: Awaited<ReturnType<typeof dump>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const result = await generateDemo(t.database, { projects: SIZE, seed: 7, asOf: AS_OF, batchSize: 150 });
    expect(result).toMatchObject({ skipped: false, projects: SIZE, year: 2026, months: 10 });
    rows = await dump(t.db);
  });
  afterAll(async () => t?.close());

  it('gives the same rows for the same seed and size, and different rows for another seed', async () => {
    const same = await createTestDatabase(dialect);
    const other = await createTestDatabase(dialect);
    try {
      await generateDemo(same, { projects: SIZE, seed: 7, asOf: AS_OF, batchSize: 97 });
      expect(await dump(same.db)).toEqual(rows);
      await generateDemo(other, { projects: SIZE, seed: 8, asOf: AS_OF });
      const otherRows = await dump(other.db);
      expect(otherRows.projects.map((p) => p.name)).not.toEqual(rows.projects.map((p) => p.name));
    } finally {
      await same.destroy();
      await other.destroy();
    }
    // Two fresh databases (each migrated with the national division tree) and two demos: over 30 s on a loaded machine.
  }, 180_000);

  it('does nothing when projects already exist', async () => {
    expect(await generateDemo(t.database, { projects: 5, seed: 1, asOf: AS_OF })).toMatchObject({ skipped: true, projects: 0 });
    expect(await t.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: SIZE });
  });

  it('builds a unit tree of 苏州市 with materialized paths and real regions', async () => {
    const byId = new Map(rows.units.map((u) => [u.id, u]));
    expect(rows.units[0]).toMatchObject({ name: '苏州市发展和改革委员会', kind: 'office', region_code: '320500', path: `/${rows.units[0]!.id}/` });
    for (const u of rows.units) {
      const parent = u.parent_id === null ? null : byId.get(u.parent_id)!;
      expect(u.path).toBe(`${parent?.path ?? '/'}${u.id}/`);
    }
    const kinds = new Set(rows.units.map((u) => u.kind));
    expect([...kinds].sort()).toEqual(['company', 'department', 'office', 'park', 'township']);
    const regionCodes = new Set((await t.db.selectFrom('regions').select('code').execute()).map((r) => r.code));
    for (const p of rows.projects) expect(regionCodes.has(p.region_code), p.region_code).toBe(true);
    expect(rows.units.find((u) => u.name === '甪直镇人民政府')).toMatchObject({ kind: 'township', region_code: expect.stringMatching(/^320506\d{3}$/) });
  });

  it('keeps money exact: fund sources sum to the total; plans within what remains', () => {
    for (const p of rows.projects) {
      const sources = [p.fund_central, p.fund_province, p.fund_city, p.fund_county, p.fund_bank_loan, p.fund_self, p.fund_special_bond];
      expect(sources.reduce<number>((a, v) => a + (v ?? 0), 0), p.name).toBe(p.total_investment);
      expect(Number.isInteger(p.total_investment) && p.total_investment >= 5_000_000).toBe(true);
    }
    const projects = new Map(rows.projects.map((p) => [p.id, p]));
    for (const plan of rows.plans) {
      const p = projects.get(plan.project_id)!;
      expect(p.tier).toBe('implementation');
      expect(plan.planned_investment).toBeGreaterThan(0);
      expect(plan.planned_investment + plan.completed_before_year).toBeLessThanOrEqual(p.total_investment);
      if (plan.plan_new_start === 1) expect(plan.plan_start_month).toBeGreaterThanOrEqual(1);
    }
    expect(rows.plans.length).toBe(rows.projects.filter((p) => p.tier === 'implementation').length);
  });

  it('gives most projects a unique national code of the right shape and builders valid credit codes', () => {
    const codes = rows.projects.map((p) => p.code).filter((c): c is string => c !== null);
    expect(codes.length).toBeGreaterThan(SIZE * 0.8);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(checkProjectCode(c), c).toBeUndefined();
    for (const p of rows.projects) {
      const uscc = p.builder_uscc!;
      expect(usccFor(uscc.slice(2, 8), uscc.slice(8, 16))).toBe(uscc);
    }
  });

  it('keeps stages consistent with dates and history', () => {
    const history = groupBy(rows.history, (h) => h.project_id);
    for (const p of rows.projects) {
      const started = ['started', 'completed', 'producing', 'paused'].includes(p.stage);
      expect(p.actual_start_date !== null, `${p.id} ${p.stage}`).toBe(started);
      expect(p.actual_completion_date !== null).toBe(['completed', 'producing'].includes(p.stage));
      expect(p.actual_production_date !== null).toBe(p.stage === 'producing');
      expect(p.stage_before_pause !== null).toBe(p.stage === 'paused');
      if (p.actual_completion_date) expect(p.actual_completion_date > p.actual_start_date!).toBe(true);
      for (const d of [p.actual_start_date, p.actual_completion_date, p.actual_production_date]) if (d) expect(d <= AS_OF).toBe(true);
      const h = history.get(p.id)!;
      expect(h[0]!.from_stage).toBeNull();
      expect(h.at(-1)!.to_stage).toBe(p.stage);
      for (let i = 1; i < h.length; i++) {
        expect(h[i]!.from_stage).toBe(h[i - 1]!.to_stage);
        expect(h[i]!.event_date >= h[i - 1]!.event_date).toBe(true);
      }
      if (p.actual_start_date) expect(h.find((x) => x.to_stage === 'started')!.event_date).toBe(p.actual_start_date);
    }
    const stages = new Set<string>(rows.projects.map((p) => p.stage));
    for (const s of ['preliminary', 'started', 'completed']) expect(stages.has(s), s).toBe(true);
  });

  it('writes monthly reports 1..10: ytd is the running sum, since-start adds the years before', () => {
    const plans = new Map(rows.plans.map((p) => [p.project_id, p]));
    const reports = groupBy(rows.reports, (r) => r.project_id);
    expect(reports.size).toBe(plans.size);
    let negatives = 0;
    for (const [projectId, list] of reports) {
      expect(list.map((r) => r.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      let ytd = 0;
      for (const r of list) {
        ytd += r.amount_month;
        expect(r.amount_ytd).toBe(ytd);
        expect(r.amount_since_start).toBe(plans.get(projectId)!.completed_before_year + ytd);
        expect(r.status).toBe('approved');
        if (r.amount_month < 0) {
          negatives++;
          expect(r.negative_reason).toBeTruthy();
        }
        expect(r.amount_ytd).toBeGreaterThanOrEqual(0);
      }
    }
    expect(negatives).toBeLessThan(rows.reports.length * 0.01);
    expect(rows.reports.filter((r) => r.amount_month > 0).length).toBeGreaterThan(rows.reports.length * 0.4);
    // A report's stage is the project's stage at that month's end: no amount before the start.
    const projects = new Map(rows.projects.map((p) => [p.id, p]));
    for (const r of rows.reports) {
      const start = projects.get(r.project_id)!.actual_start_date;
      if (r.amount_month !== 0) expect(start !== null && start.slice(0, 7) <= `2026-${String(r.month).padStart(2, '0')}`).toBe(true);
    }
  });

  it('ends with the schema the migrations made and the kept tables its triggers would have written row by row', async () => {
    // On SQLite the load sets the loaded tables' secondary indexes and insert triggers aside and rebuilds after it.
    if (dialect === 'sqlite') {
      const schema = (db: Executor) => sql<{ type: string; name: string; sql: string | null }>`select type, name, sql from sqlite_master
        where name not like 'sqlite_stat%' order by type, name`.execute(db).then((r) => r.rows);
      const fresh = await createTestDatabase(dialect);
      try {
        expect(await schema(t.db)).toEqual(await schema(fresh.db));
      } finally {
        await fresh.destroy();
      }
      // The trigram index holds every project (integrity-check compares it with the content table) and finds by name.
      await sql`insert into projects_fts(projects_fts) values ('integrity-check')`.execute(t.db);
      const name = rows.projects[0]!.name;
      const found = await sql<{ id: number }>`select rowid as id from projects_fts where projects_fts match ${`"${name}"`}`.execute(t.db);
      expect(found.rows.map((r) => r.id)).toContain(rows.projects[0]!.id);
    }
    expect(await new ProjectRepository(t.db).keptListTotalsDrift()).toEqual([]);
    // The search's narrow copy of the list keys and latest plans (SQLite): its triggers fire through the bulk load.
    expect(await new ProjectRepository(t.db).listRowsDrift()).toEqual([]);
    expect(await new ReportRepository(t.db).keptReportCountsDrift()).toEqual([]);
    const kept = await t.db.selectFrom('project_list_totals').select((eb) => eb.fn.sum<number>('n').as('n')).where('year', '=', 0).executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(SIZE);
  });

  it('rebuilds the indicator rollup from the generated reports', async () => {
    const ytd = await t.db.selectFrom('indicator_ytd').select(['project_id', 'ytd_10']).where('year', '=', 2026).orderBy('project_id').execute();
    const october = rows.reports.filter((r) => r.month === 10).map((r) => ({ project_id: r.project_id, ytd_10: r.amount_ytd }));
    expect(ytd).toEqual(october);
  });

  it('creates the reporting periods of the year: 1–10 closed, November open', () => {
    expect(rows.periods.map((p) => [p.month, p.status])).toEqual([
      [1, 'closed'], [2, 'closed'], [3, 'closed'], [4, 'closed'], [5, 'closed'], [6, 'closed'], [7, 'closed'], [8, 'closed'],
      [9, 'closed'], [10, 'closed'], [11, 'open'], [12, 'pending'],
    ]);
  });

  it('signs in the demo accounts; the reporter sees only its township', async () => {
    const office = await t.login('office');
    await t.login('leader');
    const reporter = await t.login('reporter');
    const all = (await t.app.inject({ url: '/api/v1/projects?page_size=1', headers: office })).json();
    expect(all.totals.count).toBe(SIZE);
    const own = (await t.app.inject({ url: '/api/v1/projects?page_size=500', headers: reporter })).json();
    const unit = rows.units.find((u) => u.name === '甪直镇人民政府')!;
    expect(own.totals.count).toBe(rows.projects.filter((p) => p.unit_id === unit.id).length);
    expect(own.items.every((p: { unit_id: number }) => p.unit_id === unit.id)).toBe(true);
  });

  it('links three of its matters to its enterprises (关联企业), which the reporter may open from the matter page', async () => {
    const links = await t.db.selectFrom('matter_enterprises').innerJoin('matters', 'matters.id', 'matter_enterprises.matter_id')
      .innerJoin('enterprises', 'enterprises.id', 'matter_enterprises.enterprise_id')
      .select(['matters.id as matter_id', 'matters.title', 'enterprises.name', 'matters.created_at']).orderBy('matters.id').orderBy('enterprises.name').execute();
    expect(links.map((l) => [l.title.replace(/^.*?(征地拆迁协调|施工用电接入|环评批复办理)$/, '$1'), l.name])).toEqual([
      ['征地拆迁协调', '苏州恒瑞精密机械有限公司'],
      ['施工用电接入', '苏州恒瑞精密机械有限公司'],
      ['施工用电接入', '苏州新锐光电科技有限公司'],
      ['环评批复办理', '苏州绿源新材料股份有限公司'],
    ]);
    expect(links.every((l) => l.created_at <= clock.now().toISOString())).toBe(true);
    const reporter = await t.login('reporter');
    const page = await t.app.inject({ url: `/api/v1/matters/${links[0]!.matter_id}`, headers: reporter });
    expect(page.statusCode).toBe(200);
    expect(page.json().enterprises).toEqual([expect.objectContaining({ name: '苏州恒瑞精密机械有限公司', canOpen: true })]);
  });
});

describe.each(DIALECTS)('the demo loaded in the small hours of its day on %s', (dialect) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes nothing after the clock, so a plan saved right after it counts in the indicators', async () => {
    // 01:30 in China on 2026-12-08 (17:30 UTC the day before): the demo's office hours of its day are still to come.
    // The clock is moved there whether it is the system's or DOCKET_NOW's (which runs on from the system's).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (Date.parse('2026-12-07T17:30:00.000Z') - clock.now().getTime()));
    const t = await createTestApp(dialect);
    try {
      await generateDemo(t.database, { projects: 30, seed: 1 });
      const now = clock.now().toISOString();
      const latest = await t.db.selectFrom('projects').select((eb) => eb.fn.max('updated_at').as('t')).executeTakeFirstOrThrow();
      expect(latest.t <= now).toBe(true);
      const watermark = await t.db.selectFrom('system_state').select('value').where('key', '=', 'facts_synced_at').executeTakeFirstOrThrow();
      expect(JSON.parse(watermark.value) <= now).toBe(true);

      // The 计划完成表 of a plan saved a minute later reaches the indicators (before, the rollup's watermark lay in
      // the future and the change stayed invisible until 12:00 China time).
      vi.setSystemTime(Date.now() + 60_000);
      const headers = await t.login('office');
      const plan = await t.db.selectFrom('annual_plans').selectAll().where('year', '=', 2026).where('planned_investment', '>', 0)
        .orderBy('project_id').executeTakeFirstOrThrow();
      const months = [plan.planned_investment, ...Array<number>(11).fill(0)];
      const { id: _id, project_id: _p, year: _y, created_at: _c, updated_at: _u, ...fields } = plan;
      const body = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('plan_m')));
      const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${plan.project_id}/plans/2026`, headers, payload: { ...body, monthly_plan: months } });
      expect(saved.statusCode, saved.body).toBe(200);
      const read = await t.app.inject({ method: 'GET', url: '/api/v1/indicators?year=2026&month=11&breakdown=unit', headers });
      expect(read.statusCode).toBe(200);
      expect(read.json<{ indicators: { sums: { monthly_planned: number } } }>().indicators.sums.monthly_planned).toBe(1);
    } finally {
      await t.close();
    }
  }, 180_000);
});
