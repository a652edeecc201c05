import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import { buildRegions, buildUnit } from '../../../test/factories.ts';
import { systemActor } from '../../context.ts';
import { addSums, carryForwardYtd, emptySums, periodEndExclusive, type IndicatorSums } from '../../../core/indicators.ts';
import { IndicatorRepository } from './indicator.repository.ts';
import { PLAN_MONTH_COLUMNS } from '../../db/schema.ts';
import { IndicatorService } from './indicator.service.ts';
import { createIndicatorService } from './index.ts';
import { clock } from '../../clock.ts';
import { createDeps } from '../../deps.ts';

// The SQL engine (rollup + aggregation) must equal a naive in-memory recomputation from the raw rows, on random
// portfolios, random report histories and random filters, on both engines.

const YEAR = 2026;
const REGIONS = ['320506', '320505', '320102'] as const;
const REGION_PATH: Record<string, string> = {
  '320000': '/320000/', '320500': '/320000/320500/', '320505': '/320000/320500/320505/', '320506': '/320000/320500/320506/',
  '320100': '/320000/320100/', '320102': '/320000/320100/320102/',
};
const STAGES = ['preliminary', 'started', 'completed', 'producing'] as const;
const STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
const LEVELS = ['national', 'province', 'city', 'county'] as const;

const date = fc.option(fc.tuple(fc.integer({ min: 2025, max: 2027 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`), { nil: null });
const month = fc.option(fc.integer({ min: 1, max: 12 }), { nil: null });
const report = fc.record({
  year: fc.constantFrom(YEAR, YEAR - 1),
  month: fc.integer({ min: 1, max: 12 }),
  amount_ytd: fc.integer({ min: -5_000_000, max: 2_000_000_000 }),
  status: fc.constantFrom(...STATUSES),
});
const project = fc.record({
  region: fc.constantFrom(...REGIONS),
  unit: fc.integer({ min: 0, max: 3 }),
  stage: fc.constantFrom(...STAGES),
  nature: fc.option(fc.constantFrom('new', 'continued'), { nil: null }),
  deleted: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  total: fc.integer({ min: 0, max: 50_000_000_000 }),
  levels: fc.subarray([...LEVELS]),
  start: date, completion: date, production: date,
  plan: fc.option(fc.record({
    planned: fc.integer({ min: 0, max: 5_000_000_000 }),
    new_start: fc.boolean(), start_month: month,
    completion: fc.boolean(), completion_month: month,
    production: fc.boolean(), production_month: month,
    // A month-by-month plan (计划完成表) for some projects; months may be blank (NULL) within one.
    monthly: fc.option(fc.array(fc.option(fc.integer({ min: 0, max: 500_000_000 }), { nil: null, freq: 5 }), { minLength: 12, maxLength: 12 }), { nil: null }),
  }), { nil: null, freq: 6 }),
  reports: fc.uniqueArray(report, { maxLength: 12, selector: (r) => `${r.year}-${r.month}` }),
});
const filter = fc.record({
  region: fc.option(fc.constantFrom('320000', '320500', '320506', '320100'), { nil: undefined }),
  unit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  stage: fc.option(fc.subarray([...STAGES], { minLength: 1 }).map((s) => s.join(',')), { nil: undefined }),
});
const scenario = fc.record({
  projects: fc.array(project, { maxLength: 30 }),
  month: fc.integer({ min: 1, max: 12 }),
  filter,
  viaHook: fc.boolean(),
  viaRollup: fc.boolean(),
  counted: fc.option(fc.subarray([...STATUSES], { minLength: 1 }), { nil: null }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
type P = Scenario['projects'][number];

/** The definitions of domain.md applied row by row, with no SQL and no rollup. */
function naiveSums(projects: P[], inScope: (p: P) => boolean, month: number, counted: string[], levelOf?: string | null): IndicatorSums {
  const s = emptySums();
  const end = periodEndExclusive(YEAR, month);
  const before = (d: string | null) => d !== null && d < end;
  for (const p of projects) {
    if (!p.plan || p.deleted || !inScope(p)) continue;
    if (levelOf !== undefined && (levelOf === null ? p.levels.length > 0 : !p.levels.includes(levelOf as never))) continue;
    const plan = p.plan;
    const ytd = carryForwardYtd(p.reports.filter((r) => r.year === YEAR && counted.includes(r.status)))[month - 1]!;
    const startM = plan.start_month ?? 12;
    const hasMonthly = plan.monthly !== null && plan.monthly.some((v) => v !== null);
    const add: IndicatorSums = {
      ...emptySums(), count: 1, total_investment: p.total, planned_investment: plan.planned, completed_ytd: ytd,
      planned_starts: +plan.new_start, planned_starts_to_date: +(plan.new_start && startM <= month),
      started: +(plan.new_start && before(p.start)), started_to_date: +(plan.new_start && startM <= month && before(p.start)),
      early_starts: +(plan.new_start && before(p.start) && plan.start_month !== null && p.start! < `${YEAR}-${String(plan.start_month).padStart(2, '0')}-01`),
      overdue_starts: +(plan.new_start && startM <= month && !before(p.start)),
      late_starts: +(plan.new_start && before(p.start) && plan.start_month !== null && p.start! >= periodEndExclusive(YEAR, plan.start_month)),
      planned_completions: +plan.completion, planned_completions_to_date: +(plan.completion && (plan.completion_month ?? 12) <= month),
      completed: +(plan.completion && before(p.completion)), completed_to_date: +(plan.completion && (plan.completion_month ?? 12) <= month && before(p.completion)),
      planned_productions: +plan.production, planned_productions_to_date: +(plan.production && (plan.production_month ?? 12) <= month),
      producing: +(plan.production && before(p.production)), producing_to_date: +(plan.production && (plan.production_month ?? 12) <= month && before(p.production)),
      monthly_planned: +hasMonthly, planned_to_date: hasMonthly ? plan.monthly!.slice(0, month).reduce<number>((a, v) => a + (v ?? 0), 0) : 0,
      completed_ytd_monthly_planned: hasMonthly ? ytd : 0,
      by_stage: { [p.stage]: 1 },
    };
    Object.assign(s, addSums(s, add));
  }
  return s;
}

describe.each(DIALECTS)('indicator engine equals a naive recomputation on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const units: { id: number; path: string }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await buildRegions(database.db);
    const root = await buildUnit(database.db, { name: '发改局', kind: 'office' });
    const a = await buildUnit(database.db, { name: '甲镇', parentId: root.id });
    const b = await buildUnit(database.db, { name: '乙镇', parentId: root.id });
    const a1 = await buildUnit(database.db, { name: '甲镇园区', parentId: a.id });
    units.push(root, a, b, a1);
  });
  afterAll(async () => database?.destroy());

  it('for random portfolios, report histories, filters, counted statuses, via the hook or a rebuild', async () => {
    const db = database.db;
    const service = createIndicatorService(createDeps(database.db));
    await fc.assert(fc.asyncProperty(scenario, async (sc) => {
      // Hard deletes bypass the rollup (the application only soft-deletes): clear it and its watermark too, so the
      // first read rebuilds it.
      await db.deleteFrom('projects').execute();
      await db.deleteFrom('indicator_groups').execute();
      await db.deleteFrom('indicator_settings').execute();
      const counted = sc.counted ?? ['submitted', 'approved'];
      if (sc.counted) await new IndicatorRepository(db).putSetting('counted_statuses', sc.counted, null);
      const now = clock.now().toISOString();
      const ids: number[] = [];
      for (const p of sc.projects) {
        const { id } = await db.insertInto('projects').values({
          name: '项目', region_code: p.region, unit_id: units[p.unit]!.id, stage: p.stage, nature: p.nature, total_investment: p.total,
          actual_start_date: p.start, actual_completion_date: p.completion, actual_production_date: p.production,
          deleted_at: p.deleted ? now : null, created_at: now, updated_at: now,
        }).returning('id').executeTakeFirstOrThrow();
        ids.push(id);
        if (p.levels.length) await db.insertInto('project_levels').values(p.levels.map((level) => ({ project_id: id, level }))).execute();
        if (p.plan) {
          const pl = p.plan;
          await db.insertInto('annual_plans').values({
            ...(pl.monthly ? Object.fromEntries(pl.monthly.map((v, i) => [PLAN_MONTH_COLUMNS[i], v])) : {}),
            project_id: id, year: YEAR, planned_investment: pl.planned, plan_new_start: +pl.new_start, plan_start_month: pl.start_month,
            plan_completion: +pl.completion, plan_completion_month: pl.completion_month, plan_production: +pl.production,
            plan_production_month: pl.production_month, created_at: now, updated_at: now,
          }).execute();
        }
        for (const r of p.reports) {
          await db.insertInto('monthly_reports').values({ project_id: id, year: r.year, month: r.month, amount_ytd: r.amount_ytd, status: r.status, created_at: now, updated_at: now }).execute();
          if (sc.viaHook) await db.transaction().execute((trx) => IndicatorService.refreshProject(trx, id, r.year));
        }
      }
      if (!sc.viaHook) await db.transaction().execute((trx) => IndicatorService.rebuildAll(trx));
      expect((await service.verify()).ok).toBe(true);

      const f = sc.filter;
      const stages = f.stage?.split(',');
      const inScope = (p: P) =>
        (!f.region || REGION_PATH[p.region]!.startsWith(REGION_PATH[f.region]!)) &&
        (f.unit === undefined || units[p.unit]!.path.startsWith(units[f.unit]!.path)) &&
        (!stages || stages.includes(p.stage));
      const query = { year: YEAR, month: sc.month, region: f.region, unit: f.unit === undefined ? undefined : units[f.unit]!.id, stage: f.stage, breakdown: ['level' as const, 'region' as const] };
      const result = await service.getIndicators(systemActor(), query, { rollup: sc.viaRollup ? 'auto' : 'never' });
      expect(result.indicators.sums).toEqual(naiveSums(sc.projects, inScope, sc.month, counted));
      if (sc.viaRollup) expect((await service.verify()).ok).toBe(true);

      // Level breakdown: one group per level present (a project on two levels counts in both).
      const expectedLevels = [...LEVELS, null].map((level) => ({ key: level, sums: naiveSums(sc.projects, inScope, sc.month, counted, level) })).filter((g) => g.sums.count > 0);
      expect(result.breakdowns.level!.map((g) => ({ key: g.key, sums: g.indicators.sums })).sort((a, b) => String(a.key).localeCompare(String(b.key))))
        .toEqual(expectedLevels.sort((a, b) => String(a.key).localeCompare(String(b.key))));
      // Region breakdown: the groups add up to the whole scope.
      const regionTotal = result.breakdowns.region!.reduce((acc, g) => addSums(acc, g.indicators.sums), emptySums());
      expect(regionTotal).toEqual(result.indicators.sums);

      // The trend's month N equals the headline figure.
      const last = result.trend.at(-1);
      if (last) expect(last.completed_ytd).toBe(result.indicators.sums.completed_ytd);
      // The rollup's one-read answer (total, breakdowns and every month of the trend) equals the project scan's.
      if (sc.viaRollup) {
        const scanned = await service.getIndicators(systemActor(), query, { rollup: 'never' });
        expect(result.trend).toEqual(scanned.trend);
        expect(result.breakdowns).toEqual(scanned.breakdowns);
      }
    }), { numRuns: 25 });
  }, 240_000);
});
