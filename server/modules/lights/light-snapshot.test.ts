import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../deps.ts';
import fc from 'fast-check';
import { sql } from 'kysely';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildPlan, buildReport } from '../../../test/indicator-factories.ts';
import type { Actor } from '../../context.ts';
import { DIMENSIONS, type Rule } from '../../../core/lights.ts';
import { IndicatorRepository } from '../indicators/index.ts';
import { ProjectRepository } from '../projects/index.ts';
import { LightRepository } from './light.repository.ts';
import { LightService } from './light.service.ts';
import { decodeLights, encodeLights } from './light-snapshot.repository.ts';
import { lightsQuerySchema } from './light.schema.ts';
import { clock } from '../../clock.ts';

// The snapshot path (GET /api/v1/lights) must answer exactly what judging every project from scratch with
// core/lights.ts answers, whatever was written in between and by whichever path: reports through the rollup hook,
// projects, plans, excuses, rule set versions, time curves, the January–February merge.

const YEAR = 2026;
const REGIONS = ['320506', '320505', '320102'] as const;
const STAGES = ['preliminary', 'started', 'completed'] as const;
const YI = 100_000_000;

const date = fc.option(fc.tuple(fc.integer({ min: 2025, max: 2026 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`), { nil: null });
const project = fc.record({
  region: fc.constantFrom(...REGIONS),
  unit: fc.integer({ min: 0, max: 2 }),
  stage: fc.constantFrom(...STAGES),
  start: date,
  stats: fc.boolean(),
  statsDate: date,
  plan: fc.option(fc.record({
    planned: fc.constantFrom(0, 6 * YI, 12 * YI, 1_234_567),
    new_start: fc.boolean(),
    start_month: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  }), { nil: null, freq: 8 }),
  reports: fc.uniqueArray(fc.record({ month: fc.integer({ min: 1, max: 12 }), ytd: fc.integer({ min: 0, max: 12 * YI }) }), { maxLength: 6, selector: (r) => r.month }),
});
const thresholds = (max: number, step: number) => fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })).map(([a, b]) => [Math.min(a, b) * step, Math.max(a, b) * step] as const);
const rule: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({ on: fc.boolean(), t: thresholds(50, 1) }).map(({ on, t }) => ({ id: 'pg', kind: 'points_gap' as const, enabled: on, yellow_points: t[0], red_points: t[1] })),
  fc.record({ on: fc.boolean(), t: thresholds(20, 0.05) }).map(({ on, t }) => ({ id: 'ratio', kind: 'ratio' as const, enabled: on, yellow_below: t[1], red_below: t[0] })),
  fc.record({ on: fc.boolean(), t: thresholds(10, 0.1) }).map(({ on, t }) => ({ id: 'short', kind: 'shortfall' as const, enabled: on, yellow_above: t[0], red_above: t[1] })),
  fc.record({ on: fc.boolean(), t: thresholds(4, 1) }).map(({ on, t }) => ({ id: 'start', kind: 'start_overdue' as const, enabled: on, yellow_months_late: t[0], red_months_late: t[1] })),
  fc.record({ on: fc.boolean(), t: thresholds(4, 1) }).map(({ on, t }) => ({ id: 'stats', kind: 'stats_entry' as const, enabled: on, yellow_months: t[0], red_months: t[1] })),
  fc.record({ on: fc.boolean(), d: fc.constantFrom(...DIMENSIONS), p: fc.integer({ min: 2, max: 4 }) }).map(({ on, d, p }) => ({ id: `c-${d}`, kind: 'consecutive' as const, enabled: on, dimension: d, periods: p })),
);
const ruleSet = fc.uniqueArray(rule, { maxLength: 7, selector: (r) => r.id });
const write = fc.oneof(
  fc.record({ kind: fc.constant('report' as const), p: fc.nat(), month: fc.integer({ min: 1, max: 12 }), ytd: fc.integer({ min: 0, max: 12 * YI }) }),
  fc.record({ kind: fc.constant('project' as const), p: fc.nat(), field: fc.constantFrom('start', 'stats', 'region', 'stage', 'deleted'), start: date, stats: fc.boolean(), region: fc.constantFrom(...REGIONS), stage: fc.constantFrom(...STAGES), deleted: fc.boolean() }),
  fc.record({ kind: fc.constant('plan' as const), p: fc.nat(), planned: fc.constantFrom(0, 3 * YI, 12 * YI), start_month: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }), remove: fc.boolean() }),
  fc.record({ kind: fc.constant('excuse' as const), p: fc.nat(), from: fc.integer({ min: 1, max: 12 }), dimension: fc.option(fc.constantFrom(...DIMENSIONS), { nil: null }), revoke: fc.boolean() }),
  fc.record({ kind: fc.constant('rules' as const), rules: ruleSet, from: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('curve' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('merge' as const), on: fc.boolean() }),
);
const query = fc.record({
  // Few months, so that most reads find snapshots written before the last write.
  month: fc.constantFrom(2, 3, 7, 10),
  region: fc.option(fc.constantFrom('320000', '320500', '320506', '320102'), { nil: undefined }),
  stage: fc.option(fc.constantFrom('started', 'preliminary,completed'), { nil: undefined }),
  q: fc.option(fc.constant('项目'), { nil: undefined }),
  light: fc.subarray(['red', 'yellow', 'green', 'none'], { minLength: 1 }).map((l) => l.join(',')),
  dimension: fc.option(fc.constantFrom(...DIMENSIONS), { nil: undefined }),
  page: fc.integer({ min: 1, max: 3 }),
  page_size: fc.constantFrom(1, 2, 5, 50),
  reporter: fc.boolean(),
});

describe.each(DIALECTS)('light snapshots on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: LightService;
  let office: Actor;
  let units: { id: number; path: string }[];
  const reporterOf = (u: { path: string }): Actor => ({ ...office, role: 'reporter', scope: { all: false, unitPaths: [u.path], regionPaths: [] } });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await buildRegions(database.db);
    const root = await buildUnit(database.db, { name: '发改局', kind: 'office' });
    units = [root, await buildUnit(database.db, { name: '甲镇', parentId: root.id }), await buildUnit(database.db, { name: '乙镇', parentId: root.id })];
    const userId = await buildUser(database.db, { username: 'office1', role: 'office', unitId: root.id });
    office = { userId, username: 'office1', displayName: 'office1', role: 'office', unitId: root.id, scope: { all: true, unitPaths: [], regionPaths: [] } };
    service = new LightService(createDeps(database.db), new LightRepository(database.db), new IndicatorRepository(database.db), new ProjectRepository(database.db));
  });
  afterAll(async () => database?.destroy());

  const check = async (q: typeof query extends fc.Arbitrary<infer T> ? T : never) => {
    const parsed = lightsQuerySchema.parse({ year: YEAR, month: q.month, region: q.region, stage: q.stage, q: q.q, light: q.light, dimension: q.dimension, page: q.page, page_size: q.page_size });
    const actor = q.reporter ? reporterOf(units[1]!) : office;
    expect(await service.getLights(actor, parsed)).toEqual(await service.getLightsJudged(actor, parsed));
  };

  it('packs and unpacks every combination of lights', () => {
    const L = ['none', 'green', 'yellow', 'red'] as const;
    for (const overall of L) for (const investment of L) for (const start of L) for (const stats of L) for (const problems of L) for (const excused of [false, true]) {
      expect(decodeLights(encodeLights({ overall, investment, start, stats, problems, excused }))).toEqual({ overall, investment, start, stats, problems, excused });
    }
  });

  it('equals a judgement from scratch on random portfolios after random writes', async () => {
    const ids: number[] = [];
    await fc.assert(fc.asyncProperty(fc.array(project, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(write, query), { minLength: 1, maxLength: 8 }), query, async (projects, steps, first) => {
      const db = database.db;
      for (const p of projects) {
        const id = await buildProject(db, {
          name: `项目${ids.length}`, unit_id: units[p.unit]!.id, region_code: p.region, stage: p.stage, actual_start_date: p.start,
          stats_entered: p.stats ? 1 : 0, stats_entered_date: p.stats ? p.statsDate : null,
        });
        ids.push(id);
        if (p.plan) await buildPlan(db, { project_id: id, year: YEAR, planned_investment: p.plan.planned, plan_new_start: p.plan.new_start ? 1 : 0, plan_start_month: p.plan.start_month });
        for (const r of p.reports) await buildReport(db, { project_id: id, year: YEAR, month: r.month, amount_ytd: r.ytd });
      }
      await check(first);
      for (const [w, q] of steps) {
        const id = ids['p' in w ? w.p % ids.length : 0]!;
        switch (w.kind) {
          case 'report': await buildReport(db, { project_id: id, year: YEAR, month: w.month, amount_ytd: w.ytd }); break;
          case 'project':
            // One column at a time, so that each column's trigger is exercised on its own.
            await db.updateTable('projects').set(
              w.field === 'start' ? { actual_start_date: w.start }
              : w.field === 'stats' ? { stats_entered: w.stats ? 1 : 0, stats_entered_date: w.stats ? w.start : null }
              : w.field === 'region' ? { region_code: w.region }
              : w.field === 'stage' ? { stage: w.stage }
              : { deleted_at: w.deleted ? clock.now().toISOString() : null },
            ).where('id', '=', id).execute();
            break;
          case 'plan': {
            const has = await db.selectFrom('annual_plans').select('id').where('project_id', '=', id).where('year', '=', YEAR).executeTakeFirst();
            if (w.remove && has) await db.deleteFrom('annual_plans').where('id', '=', has.id).execute();
            else if (has) await db.updateTable('annual_plans').set({ planned_investment: w.planned, plan_new_start: 1, plan_start_month: w.start_month }).where('id', '=', has.id).execute();
            else await buildPlan(db, { project_id: id, year: YEAR, planned_investment: w.planned, plan_new_start: 1, plan_start_month: w.start_month });
            break;
          }
          case 'excuse': {
            const active = await db.selectFrom('light_excuses').select('id').where('project_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
            const deleted = (await db.selectFrom('projects').select('deleted_at').where('id', '=', id).executeTakeFirstOrThrow()).deleted_at !== null;
            if (w.revoke && active) await db.updateTable('light_excuses').set({ revoked_at: clock.now().toISOString(), revoked_by: office.userId }).where('id', '=', active.id).execute();
            else if (!deleted) await service.acceptExcuse(office, { project_id: id, year: YEAR, month_from: w.from, month_to: null, dimension: w.dimension, reason: '测试正当理由' });
            break;
          }
          case 'rules': await service.putRuleSet(office, YEAR, { rules: w.rules, effective_month: w.from }); break;
          case 'curve':
            if (w.on) await new IndicatorRepository(db).putSetting(`time_curve:${YEAR}`, [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100], null);
            else await new IndicatorRepository(db).deleteSetting(`time_curve:${YEAR}`);
            break;
          case 'merge':
            await db.insertInto('reporting_periods').values({ year: YEAR, month: 2, first_month: w.on ? 1 : 2, deadline: `${YEAR}-02-25`, status: 'open' })
              .onConflict((oc) => oc.columns(['year', 'month']).doUpdateSet({ first_month: w.on ? 1 : 2 })).execute();
            break;
        }
        await check(q);
        await check(first);
      }
    }), { numRuns: dialect === 'postgres' ? 12 : 25 });
  }, 240_000);

  it('verify finds a corrupted snapshot and --fix drops it for a fresh fill', async () => {
    const q = lightsQuerySchema.parse({ year: YEAR, month: 7 });
    const before = await service.getLights(office, q);
    expect((await service.verifySnapshots()).ok).toBe(true);
    const row = await database.db.selectFrom('light_snapshots').select(['project_id', 'code']).where('year', '=', YEAR).where('month', '=', 7).orderBy('project_id').executeTakeFirstOrThrow();
    await database.db.updateTable('light_snapshots').set({ code: (row.code + 64) % 256 }).where('year', '=', YEAR).where('month', '=', 7).where('project_id', '=', row.project_id).execute();
    const broken = await service.verifySnapshots();
    expect(broken).toMatchObject({ ok: false, rows_differing: 1, fixed: false });
    expect(broken.differences[0]).toMatchObject({ year: YEAR, month: 7, project_id: row.project_id });
    expect((await service.verifySnapshots({ fix: true })).fixed).toBe(true);
    expect((await service.verifySnapshots()).ok).toBe(true);
    expect(await service.getLights(office, q)).toEqual(before);
    // A missing row of a complete month is a difference too.
    await database.db.deleteFrom('light_snapshots').where('year', '=', YEAR).where('month', '=', 7).where('project_id', '=', row.project_id).execute();
    expect((await service.verifySnapshots()).rows_differing).toBe(1);
    await service.verifySnapshots({ fix: true });
    // The per-region counts must equal the rows.
    await service.getLights(office, q);
    await database.db.updateTable('light_counts').set({ n: sql<number>`n + 1` }).where('year', '=', YEAR).where('month', '=', 7).where('region_code', '=', '320506').execute();
    expect(await service.verifySnapshots()).toMatchObject({ ok: false, rows_differing: 0 });
    expect((await service.verifySnapshots()).counts_differing).toBeGreaterThan(0);
    await service.verifySnapshots({ fix: true });
    expect((await service.verifySnapshots()).ok).toBe(true);
  });

  it('re-judges thousands of stale pairs in chunks, and refills a year when that costs less, with the same answer', async () => {
    const db = database.db;
    const now = clock.now().toISOString();
    const rows = Array.from({ length: 2600 }, (_, i) => ({
      name: `批量项目${i}`, search_text: `批量项目${i}`, unit_id: units[1 + (i % 2)]!.id, region_code: REGIONS[i % 3]!, total_investment: YI,
      stage: 'started', tier: 'implementation', actual_start_date: i % 5 ? '2026-02-01' : null, created_at: now, updated_at: now,
    }));
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 500) ids.push(...(await db.insertInto('projects').values(rows.slice(i, i + 500)).returning('id').execute()).map((r) => r.id));
    const plans = ids.map((id, i) => ({ project_id: id, year: 2027, planned_investment: 12 * YI, plan_new_start: i % 7 ? 0 : 1, plan_start_month: 3, created_at: now, updated_at: now }));
    for (let i = 0; i < plans.length; i += 500) await db.insertInto('annual_plans').values(plans.slice(i, i + 500)).execute();
    const q = lightsQuerySchema.parse({ year: 2027, month: 6, light: 'red,yellow,green,none', page: 2 });
    await service.getLights(office, q);
    const ytd = ids.map((id, i) => ({ project_id: id, year: 2027, ytd_01: 0, ytd_02: 0, ytd_03: 0, ytd_04: 0, ytd_05: 0, ytd_06: (i % 13) * YI, ytd_07: 0, ytd_08: 0, ytd_09: 0, ytd_10: 0, ytd_11: 0, ytd_12: 0 }));
    for (let i = 0; i < ytd.length; i += 500) await db.insertInto('indicator_ytd').values(ytd.slice(i, i + 500)).execute();
    // A cumulative row marks its pair from the first month it changes (June), in light_stale_ytd; an all-zero row (every
    // 13th) changes nothing a light reads and marks nothing.
    expect(await db.selectFrom('light_stale').selectAll().where('year', '=', 2027).execute()).toEqual([]);
    expect((await db.selectFrom('light_stale_ytd').select(['from_month', (eb) => eb.fn.countAll().as('n')]).where('year', '=', 2027).groupBy('from_month').execute())
      .map((r) => [Number(r.from_month), Number(r.n)])).toEqual([[6, 2400]]);
    // 2,600 stale pairs × 1 month with snapshots: re-judged in chunks.
    const answer = await service.getLights(office, q);
    expect(answer).toEqual(await service.getLightsJudged(office, q));
    expect(answer.counts.red).toBeGreaterThan(0);
    expect(await db.selectFrom('light_stale_ytd').selectAll().where('year', '=', 2027).execute()).toEqual([]);
    // Every page at once, as the lights export asks.
    const all = { ...q, page: 1, page_size: Number.MAX_SAFE_INTEGER };
    expect(await service.getLights(office, all)).toEqual(await service.getLightsJudged(office, all));
    // 2,600 stale pairs × 3 months cost more than one fill: the year is dropped and the asked month filled.
    await service.getLights(office, { ...q, month: 9 });
    await service.getLights(office, { ...q, month: 11 });
    await db.updateTable('indicator_ytd').set({ ytd_06: 3 * YI }).where('year', '=', 2027).execute();
    const again = await service.getLights(office, q);
    expect(again).toEqual(await service.getLightsJudged(office, q));
    expect(again).not.toEqual(answer);
    expect((await db.selectFrom('light_snapshot_months').select('month').where('year', '=', 2027).execute()).map((m) => m.month)).toEqual([6]);
  }, 120_000);

  it('resumes an interrupted fill from its stored progress', async () => {
    const db = database.db;
    const q = lightsQuerySchema.parse({ year: 2027, month: 8, light: 'red,yellow,green,none', page_size: 500 });
    const whole = await service.getLights(office, q);
    const ids = (await db.selectFrom('light_snapshots').select('project_id').where('year', '=', 2027).where('month', '=', 8).orderBy('project_id').execute()).map((r) => r.project_id);
    const middle = ids[Math.floor(ids.length / 2)]!;
    // As if the process stopped after the chunk that ended at `middle` (its rows and counts committed, no later ones).
    await new LightRepository(db).snapshots.deleteProjects(2027, [8], ids.filter((id) => id > middle));
    await db.updateTable('light_snapshot_months').set({ complete: 0, filled_to: middle }).where('year', '=', 2027).where('month', '=', 8).execute();
    expect(await service.getLights(office, q)).toEqual(whole);
    expect(await db.selectFrom('light_snapshot_months').select(['complete', 'filled_to']).where('year', '=', 2027).where('month', '=', 8).executeTakeFirstOrThrow())
      .toEqual({ complete: 1, filled_to: ids[ids.length - 1] });
    expect((await service.verifySnapshots()).ok).toBe(true);
  }, 120_000);

  it('stays equal to a judgement from scratch when fills, a rule change and report writes run at once', async () => {
    const q = (month: number) => lightsQuerySchema.parse({ year: 2027, month, light: 'red,yellow,green,none', page: 3, page_size: 40 });
    const ids = (await database.db.selectFrom('annual_plans').select('project_id').where('year', '=', 2027).orderBy('project_id').limit(30).execute()).map((r) => r.project_id);
    await Promise.all([
      service.getLights(office, q(4)), service.getLights(office, q(4)), service.getLights(office, q(5)),
      service.putRuleSet(office, 2027, { rules: [{ id: 'pg', kind: 'points_gap', enabled: true, yellow_points: 5, red_points: 40 }, { id: 'c', kind: 'consecutive', enabled: true, dimension: 'investment', periods: 2 }], effective_month: 5 }),
      ...ids.map((id, i) => buildReport(database.db, { project_id: id, year: 2027, month: 4, amount_ytd: i * 7 * 10_000_000 })),
      service.getLights(office, q(5)),
    ]);
    for (const month of [4, 5]) expect(await service.getLights(office, q(month))).toEqual(await service.getLightsJudged(office, q(month)));
    expect((await service.verifySnapshots()).ok).toBe(true);
  }, 120_000);

  it('marks a pair stale in the writer\'s transaction and drops the months a new rule version rules', async () => {
    const id = await buildProject(database.db, { name: '触发器项目', unit_id: units[1]!.id, stage: 'started', actual_start_date: '2026-01-10' });
    await buildPlan(database.db, { project_id: id, year: YEAR, planned_investment: 12 * YI });
    await service.ensureSnapshots(YEAR, 3);
    await service.ensureSnapshots(YEAR, 9);
    const stale = () => database.db.selectFrom('light_stale').select('project_id').where('year', '=', YEAR).where('project_id', '=', id).execute();
    expect(await stale()).toHaveLength(0);
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('projects').set({ stats_entered: 1 }).where('id', '=', id).execute();
      expect(await trx.selectFrom('light_stale').select('project_id').where('year', '=', YEAR).where('project_id', '=', id).execute()).toHaveLength(1);
    });
    await service.ensureSnapshots(YEAR, 3);
    expect(await stale()).toHaveLength(0);
    // Writing a column the lights do not read marks nothing.
    await database.db.updateTable('projects').set({ name: '改名项目' }).where('id', '=', id).execute();
    expect(await stale()).toHaveLength(0);
    await service.putRuleSet(office, YEAR, { rules: [], effective_month: 5 });
    const months = await database.db.selectFrom('light_snapshot_months').select('month').where('year', '=', YEAR).execute();
    expect(months.map((m) => m.month)).toContain(3);
    expect(months.map((m) => m.month)).not.toContain(9);
    const left = await database.db.selectFrom('light_snapshots').select(sql<number>`max(month)`.as('m')).where('year', '=', YEAR).executeTakeFirstOrThrow();
    expect(Number(left.m)).toBeLessThan(5);
  });
});
