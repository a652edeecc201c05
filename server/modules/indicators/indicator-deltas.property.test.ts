import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import { buildRegions, buildUnit } from '../../../test/factories.ts';
import { rng } from '../../../core/random.ts';
import { clock } from '../../clock.ts';
import { createDeps } from '../../deps.ts';
import { PLAN_MONTH_COLUMNS } from '../projects/index.ts';
import { GroupDeltas } from './group-deltas.ts';
import { IndicatorGroupRepository } from './indicator-groups.repository.ts';
import { IndicatorService } from './indicator.service.ts';
import { createIndicatorService } from './index.ts';
import * as yearlyGroups from '../../db/migrations/2026-12-13-30-indicator-groups-yearly.ts';

// A chunked bulk write moves each changed project's contribution between indicator group rows by deltas computed
// in TypeScript (group-deltas.ts), not by recomputing groups in SQL (issue 23). On a portfolio of a few hundred
// projects spread over a few dozen groups, random bulk writes — reports of random months and statuses, projects
// changing group, dates and amounts, plans changing or removed, projects deleted — are applied in random chunks;
// afterwards every fact and every group row of every month must equal a full recomputation, exactly. Some writes
// also interleave a single-report write (its own deltas) or a full rebuild (the deltas must then give way).

const YEAR = 2026;
const PROJECTS = 300;
const REGIONS = ['320506', '320505'] as const;
const STAGES = ['preliminary', 'started', 'completed', 'producing'] as const;
const STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;

/** A date around the year's month boundaries (the indicators compare dates with month ends), or null. */
function dateOf(r: () => number): string | null {
  if (r() < 0.3) return null;
  const y = 2025 + Math.floor(r() * 3);
  const m = 1 + Math.floor(r() * 12);
  const d = [1, 1, 2, 15, 28][Math.floor(r() * 5)]!;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
const monthOrNull = (r: () => number) => (r() < 0.3 ? null : 1 + Math.floor(r() * 12));

/** Random plan columns (a month-by-month plan for some, with blank months). */
function planOf(r: () => number) {
  const monthly = r() < 0.5
    ? Object.fromEntries(PLAN_MONTH_COLUMNS.map((c) => [c, r() < 0.3 ? null : Math.floor(r() * 500_000_000)]))
    : Object.fromEntries(PLAN_MONTH_COLUMNS.map((c) => [c, null]));
  return {
    ...monthly,
    planned_investment: Math.floor(r() * 5_000_000_000), completed_before_year: Math.floor(r() * 1_000_000_000),
    plan_new_start: r() < 0.5 ? 1 : 0, plan_start_month: monthOrNull(r),
    plan_completion: r() < 0.5 ? 1 : 0, plan_completion_month: monthOrNull(r),
    plan_production: r() < 0.5 ? 1 : 0, plan_production_month: monthOrNull(r),
  };
}

const write = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  // How many projects get a report, a project change, a plan change.
  reports: fc.integer({ min: 0, max: 200 }),
  projectChanges: fc.integer({ min: 0, max: 40 }),
  planChanges: fc.integer({ min: 0, max: 30 }),
  chunk: fc.integer({ min: 1, max: 120 }),
  interleave: fc.constantFrom('none', 'none', 'single-report', 'rebuild'),
});

describe.each(DIALECTS)('group deltas of chunked bulk writes on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const units: number[] = [];
  const ids: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await buildRegions(database.db);
    const root = await buildUnit(database.db, { name: '发改局', kind: 'office' });
    for (const name of ['甲镇', '乙镇', '丙镇']) units.push((await buildUnit(database.db, { name, parentId: root.id })).id);
    const r = rng(7);
    const now = clock.now().toISOString();
    const db = database.db;
    for (let i = 0; i < PROJECTS; i++) {
      const { id } = await db.insertInto('projects').values({
        name: `项目${i}`, region_code: REGIONS[i % 2]!, unit_id: units[Math.floor(r() * 3)]!, stage: STAGES[Math.floor(r() * 4)]!,
        nature: r() < 0.5 ? 'new' : null, investment_type: r() < 0.3 ? 'government' : null, total_investment: Math.floor(r() * 50_000_000_000),
        actual_start_date: dateOf(r), actual_completion_date: dateOf(r), actual_production_date: dateOf(r), created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      ids.push(id);
      if (r() < 0.9) await db.insertInto('annual_plans').values({ ...planOf(r), project_id: id, year: YEAR, created_at: now, updated_at: now }).execute();
      if (r() < 0.2) await db.insertInto('annual_plans').values({ ...planOf(r), project_id: id, year: YEAR - 1, created_at: now, updated_at: now }).execute();
      const months = [...new Set(Array.from({ length: Math.floor(r() * 6) }, () => 1 + Math.floor(r() * 12)))];
      if (months.length) {
        await db.insertInto('monthly_reports').values(months.map((month) => ({
          project_id: id, year: YEAR, month, amount_ytd: Math.floor(r() * 2_000_000_000), status: STATUSES[Math.floor(r() * 4)]!, created_at: now, updated_at: now,
        }))).execute();
      }
    }
    await db.transaction().execute((trx) => IndicatorService.rebuildAll(trx));
  }, 240_000);
  afterAll(async () => database?.destroy());

  /** Runs the chunked refresh of a write as the bulk services do, with an optional interleaving between chunks. */
  async function refreshChunked(touched: number[], chunk: number, projectsWritten: boolean, between?: () => Promise<void>): Promise<void> {
    const deltas = new GroupDeltas();
    for (let i = 0; i < touched.length; i += chunk) {
      deltas.merge(await database.db.transaction().execute((trx) => IndicatorService.refreshProjectsChunk(trx, touched.slice(i, i + chunk), YEAR, { projectsWritten })));
      if (i === 0) await between?.();
    }
    await IndicatorService.refreshGroupsAfterChunks(database.db, deltas);
  }

  it('leave every group row of every month equal to a full recomputation', async () => {
    const db = database.db;
    const groups = new IndicatorGroupRepository(db);
    const service = createIndicatorService(createDeps(db));
    expect(await groups.diff()).toEqual({ facts: 0, groups: 0 });
    await fc.assert(fc.asyncProperty(write, async (w) => {
      const r = rng(w.seed);
      const pick = () => ids[Math.floor(r() * ids.length)]!;
      const now = clock.now().toISOString();
      const touched = new Set<number>();
      for (let k = 0; k < w.reports; k++) {
        const id = pick();
        const month = 1 + Math.floor(r() * 12);
        const status = STATUSES[Math.floor(r() * 4)]!;
        const amount = Math.floor(r() * 2_000_000_000) - 1_000_000;
        await db.insertInto('monthly_reports').values({ project_id: id, year: YEAR, month, amount_ytd: amount, status, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(['project_id', 'year', 'month']).doUpdateSet({ amount_ytd: amount, status, updated_at: now })).execute();
        touched.add(id);
      }
      const projectsWritten = w.projectChanges + w.planChanges > 0;
      for (let k = 0; k < w.projectChanges; k++) {
        const id = pick();
        const c = r();
        const set = c < 0.25 ? { stage: STAGES[Math.floor(r() * 4)]! }
          : c < 0.4 ? { unit_id: units[Math.floor(r() * 3)]!, region_code: REGIONS[Math.floor(r() * 2)]! }
            : c < 0.55 ? { nature: r() < 0.5 ? 'new' : null, category: r() < 0.5 ? 'industry' : null }
              : c < 0.75 ? { actual_start_date: dateOf(r), actual_completion_date: dateOf(r), actual_production_date: dateOf(r) }
                : c < 0.9 ? { total_investment: Math.floor(r() * 50_000_000_000) }
                  : { deleted_at: r() < 0.7 ? now : null };
        await db.updateTable('projects').set({ ...set, updated_at: now }).where('id', '=', id).execute();
        touched.add(id);
      }
      for (let k = 0; k < w.planChanges; k++) {
        const id = pick();
        const year = r() < 0.8 ? YEAR : YEAR - 1;
        if (r() < 0.2) await db.deleteFrom('annual_plans').where('project_id', '=', id).where('year', '=', year).execute();
        else {
          const plan = planOf(r);
          await db.insertInto('annual_plans').values({ ...plan, project_id: id, year, created_at: now, updated_at: now })
            .onConflict((oc) => oc.columns(['project_id', 'year']).doUpdateSet({ ...plan, updated_at: now })).execute();
        }
        touched.add(id);
      }
      const between = w.interleave === 'rebuild'
        ? () => db.transaction().execute(async (trx) => void await IndicatorService.rebuildAll(trx))
        : w.interleave === 'single-report'
          ? async () => {
            const id = pick();
            await db.insertInto('monthly_reports').values({ project_id: id, year: YEAR, month: 12, amount_ytd: 123_456, status: 'approved', created_at: now, updated_at: now })
              .onConflict((oc) => oc.columns(['project_id', 'year', 'month']).doUpdateSet({ amount_ytd: 123_456, status: 'approved', updated_at: now })).execute();
            await db.transaction().execute((trx) => IndicatorService.refreshProject(trx, id, YEAR));
          }
          : undefined;
      await refreshChunked([...touched], w.chunk, projectsWritten, between);
      expect(await groups.diff()).toEqual({ facts: 0, groups: 0 });
      // A fixed seed, so that every run checks the same writes: this one found a fault (2026-12-08). Its 21st write
      // refreshes one project between two chunks after the first chunk had moved it to a new group; the lone refresh
      // left that group with count 0 and deleted it, and the first chunk's pending deltas then rebuilt it without the
      // lone refresh's sums (2 group rows off). Groups are now removed only when their whole row is zero. Pass
      // DOCKET_FC_SEED to try another seed.
    }), { numRuns: dialect === 'sqlite' ? 30 : 12, seed: Number(process.env.DOCKET_FC_SEED ?? -1607078570) });
    expect((await service.verify()).ok).toBe(true);
    // The writes did move projects between groups and through the months: the rollup has several groups, and their
    // yearly rows carry sums that differ between months.
    const rows = await db.selectFrom('indicator_groups').select(['started_m01', 'started_m12', 'completed_ytd_m01', 'completed_ytd_m12']).where('year', '=', YEAR).execute();
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.some((g) => g.started_m01 !== g.started_m12 && g.completed_ytd_m01 !== g.completed_ytd_m12)).toBe(true);
  }, 600_000);

  it('keep the groups equal to a recomputation through the yearly-row migration, down to monthly rows and up again', async () => {
    const db = database.db;
    const groups = new IndicatorGroupRepository(db);
    expect(await groups.diff()).toEqual({ facts: 0, groups: 0 });
    const before = await db.selectFrom('indicator_groups').selectAll().orderBy('year').orderBy('group_key').execute();
    // Down: twelve monthly rows per group, each carrying the year's sums and the trend.
    await yearlyGroups.down(db);
    const monthly = await sql<{ year: number; n: number }>`select year, count(*) as n from indicator_groups group by year order by year`.execute(db);
    expect(monthly.rows.map((r) => [Number(r.year), Number(r.n)])).toEqual([...new Set(before.map((g) => g.year))].map((y) => [y, 12 * before.filter((g) => g.year === y).length]));
    // Up: the monthly rows pivoted back into the same yearly rows, equal to a recomputation.
    await yearlyGroups.up(db);
    expect(await db.selectFrom('indicator_groups').selectAll().orderBy('year').orderBy('group_key').execute()).toEqual(before);
    expect(await groups.diff()).toEqual({ facts: 0, groups: 0 });
  }, 240_000);

  it('fall back to recomputing the touched groups when a sum could pass 2^53', async () => {
    const db = database.db;
    const groups = new IndicatorGroupRepository(db);
    const now = clock.now().toISOString();
    // A hundred projects of one group with month-by-month plans at the money bound: each fact's planned_to_date
    // reaches 9.6×10^13, and a hundred of them pass 2^53 (≈ 9.0×10^15), past which a double is no longer exact.
    const big = ids.slice(0, 100);
    await db.updateTable('projects').set({ region_code: '320506', unit_id: units[0]!, stage: 'started', nature: null, category: null, investment_type: null, deleted_at: null, updated_at: now })
      .where('id', 'in', big).execute();
    await db.transaction().execute((trx) => IndicatorService.rebuildAll(trx));
    const plan = { ...planOf(rng(11)), ...Object.fromEntries(PLAN_MONTH_COLUMNS.map((c) => [c, 8_000_000_000_000])) };
    for (const id of big) {
      await db.insertInto('annual_plans').values({ ...plan, project_id: id, year: YEAR, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['project_id', 'year']).doUpdateSet({ ...plan, updated_at: now })).execute();
    }
    const deltas = new GroupDeltas();
    deltas.merge(await db.transaction().execute((trx) => IndicatorService.refreshProjectsChunk(trx, big, YEAR)));
    expect(deltas.exact()).toBe(false);
    await IndicatorService.refreshGroupsAfterChunks(db, deltas);
    expect(await groups.diff()).toEqual({ facts: 0, groups: 0 });
  }, 240_000);
});
