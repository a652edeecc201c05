import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../deps.ts';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import type { Actor } from '../../context.ts';
import { clock } from '../../clock.ts';
import { ReportBulkService } from '../reports/index.ts';
import { LightRepository } from './light.repository.ts';
import { createLightService } from './index.ts';
import { refreshLightsAfterBulkWrite, type LightService } from './light.service.ts';

// Issue 23: after a bulk write the light snapshots are brought up to date incrementally — the projects the write
// touched are re-judged in every snapshot month, every other project's rows are left as they are (a large write
// used to drop the year and refill every month for the whole portfolio) — and every row still equals a judgement
// from scratch.

const YEAR = 2026;
const YI = 100_000_000;
// More touched projects than one re-judging chunk (2,000), over two snapshot months: the size at which a read
// would rather drop the year and refill it.
const PROJECTS = 2_300;
const TOUCHED = 2_150;

describe.each(DIALECTS)('light snapshots after a bulk write on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: LightService;
  let office: Actor;
  let ids: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db;
    await buildRegions(db);
    const root = await buildUnit(db, { name: '发改局', kind: 'office' });
    const town = await buildUnit(db, { name: '甲镇', parentId: root.id });
    const userId = await buildUser(db, { username: 'office-bulk-lights', role: 'office', unitId: root.id });
    office = { userId, username: 'office-bulk-lights', displayName: 'office-bulk-lights', role: 'office', unitId: root.id, scope: { all: true, unitPaths: [], regionPaths: [] } };
    service = createLightService(createDeps(db));
    const now = clock.now().toISOString();
    const projects = Array.from({ length: PROJECTS }, (_, i) => ({
      name: `灯色批量项目${i}`, search_text: `灯色批量项目${i}`, unit_id: i % 2 ? town.id : root.id, region_code: ['320506', '320505', '320102'][i % 3]!,
      total_investment: 20 * YI, stage: 'started', tier: 'implementation', actual_start_date: i % 5 ? '2026-02-01' : null, created_at: now, updated_at: now,
    }));
    for (let i = 0; i < projects.length; i += 500) ids.push(...(await db.insertInto('projects').values(projects.slice(i, i + 500)).returning('id').execute()).map((r) => r.id));
    ids = ids.sort((a, b) => a - b);
    const plans = ids.map((id, i) => ({ project_id: id, year: YEAR, planned_investment: 12 * YI, plan_new_start: i % 7 ? 0 : 1, plan_start_month: 3, created_at: now, updated_at: now }));
    for (let i = 0; i < plans.length; i += 500) await db.insertInto('annual_plans').values(plans.slice(i, i + 500)).execute();
    await db.insertInto('reporting_periods').values({ year: YEAR, month: 6, first_month: 6, deadline: null, status: 'open', opened_at: now, closed_at: null }).execute();
    // Two snapshot months, as the warm-up leaves them.
    for (const month of [3, 6]) await service.ensureSnapshots(YEAR, month);
  }, 180_000);
  afterAll(async () => database?.destroy());

  const codeOf = async (projectId: number, month: number) => (await database.db.selectFrom('light_snapshots').select('code')
    .where('year', '=', YEAR).where('month', '=', month).where('project_id', '=', projectId).executeTakeFirstOrThrow()).code;
  /** Replaces a stored row's lights through the repository (its per-region counts follow). */
  const setCode = async (projectId: number, month: number, code: number) => {
    const snapshots = new LightRepository(database.db).snapshots;
    const [row] = await snapshots.listRowsOf(YEAR, [month], [projectId]);
    await snapshots.deleteProjects(YEAR, [month], [projectId]);
    await snapshots.insert([{ ...row!, code }]);
  };

  it('re-judges only the projects written; an untouched project keeps its row and every other row equals a recomputation', async () => {
    expect((await service.verifySnapshots()).ok).toBe(true);
    const touched = ids.slice(0, TOUCHED);
    const untouched = ids[ids.length - 1]!;
    // Marked rows: an untouched project's row made wrong on purpose must survive the refresh (nobody re-judged or
    // rewrote it); a touched project's row made wrong must be judged again.
    const untouchedCode = await codeOf(untouched, 6);
    const marked = (untouchedCode + 64) % 256;
    await setCode(untouched, 6, marked);
    await setCode(untouched, 3, (await codeOf(untouched, 3) + 64) % 256);
    await setCode(touched[7]!, 3, (await codeOf(touched[7]!, 3) + 64) % 256);

    const bulk = new ReportBulkService({ db: database.db, clock });
    // Half far behind the plan (red or yellow in June), half on it: many lights change.
    const rows = touched.map((project_id, i) => ({ project_id, fields: { amount_month: (i % 2 ? 6 : 1) * YI, progress_text: '主体施工' } }));
    const checked = await bulk.checkMonth(office, YEAR, 6, rows, 'submitted');
    expect(checked.errors).toEqual([]);
    expect(await bulk.writeMonth(office, checked)).toBe(TOUCHED);
    // June's cumulatives changed (and the months after it, none of which has snapshots): marked from June on.
    expect((await database.db.selectFrom('light_stale_ytd').select(['from_month', (eb) => eb.fn.countAll().as('n')]).where('year', '=', YEAR).groupBy('from_month').execute())
      .map((r) => [Number(r.from_month), Number(r.n)])).toEqual([[6, TOUCHED]]);

    await refreshLightsAfterBulkWrite(database.db, { year: YEAR, month: 6 });

    expect(await database.db.selectFrom('light_stale').selectAll().where('year', '=', YEAR).execute()).toEqual([]);
    expect(await database.db.selectFrom('light_stale_ytd').selectAll().where('year', '=', YEAR).execute()).toEqual([]);
    // Both months kept (not dropped and refilled), the untouched project's rows exactly as they were left.
    expect((await database.db.selectFrom('light_snapshot_months').select(['month', 'complete']).where('year', '=', YEAR).orderBy('month').execute()))
      .toEqual([{ month: 3, complete: 1 }, { month: 6, complete: 1 }]);
    expect(await codeOf(untouched, 6)).toBe(marked);
    // Every row but the marked ones equals a judgement from scratch, the touched project's June row included; the
    // counts too. A June write re-judges June on, never March (March is judged on March's cumulative and earlier
    // months'), so the touched project's March row made wrong is left as it was.
    const verified = await service.verifySnapshots();
    expect(verified.differences.map((d) => [d.project_id, d.month]).sort()).toEqual([[untouched, 3], [untouched, 6], [touched[7]!, 3]].sort());
    expect(verified.counts_differing).toBe(0);
    // The write changed lights: June's answer is not what it was before the write.
    await setCode(untouched, 6, untouchedCode);
    const june = await database.db.selectFrom('light_snapshots').select('code').where('year', '=', YEAR).where('month', '=', 6).where('project_id', 'in', touched.slice(0, 50)).execute();
    expect(new Set(june.map((r) => r.code)).size).toBeGreaterThan(1);
  }, 240_000);

  it('re-judges a cumulative change from its first changed month only, and every month when another input of the same project changed too', async () => {
    const db = database.db;
    const [p, q] = [ids[5]!, ids[6]!];
    // Both projects' March and June rows made wrong on purpose: what a refresh re-judges is set right, the rest stays.
    const wrong = async (id: number, month: number) => {
      const code = (await codeOf(id, month) + 64) % 256;
      await setCode(id, month, code);
      return code;
    };
    await wrong(p, 3);
    await wrong(p, 6);
    const qMarch = await wrong(q, 3);
    await wrong(q, 6);
    // q: only its June cumulative changes. p: its June cumulative and its annual plan (a whole-year input).
    for (const id of [p, q]) await db.updateTable('indicator_ytd').set({ ytd_06: 11 * YI }).where('project_id', '=', id).where('year', '=', YEAR).execute();
    await db.updateTable('annual_plans').set({ planned_investment: 13 * YI }).where('project_id', '=', p).where('year', '=', YEAR).execute();
    expect(await db.selectFrom('light_stale').select('project_id').where('year', '=', YEAR).execute()).toEqual([{ project_id: p }]);
    expect((await db.selectFrom('light_stale_ytd').select(['project_id', 'from_month']).where('year', '=', YEAR).orderBy('project_id').execute())
      .map((r) => [r.project_id, Number(r.from_month)])).toEqual([[p, 6], [q, 6]]);
    // A cumulative rewritten to the value it had changes nothing and marks nothing.
    await db.updateTable('indicator_ytd').set({ ytd_06: 11 * YI }).where('project_id', '=', q).where('year', '=', YEAR).execute();

    await refreshLightsAfterBulkWrite(db, { year: YEAR, month: 6 });

    expect(await db.selectFrom('light_stale').selectAll().where('year', '=', YEAR).execute()).toEqual([]);
    expect(await db.selectFrom('light_stale_ytd').selectAll().where('year', '=', YEAR).execute()).toEqual([]);
    const differing = (await service.verifySnapshots()).differences.map((d) => [d.project_id, d.month]);
    // p re-judged in both months, q in June; q's March row was not read again (its March inputs did not change).
    expect(differing.filter(([id]) => id === p || id === q)).toEqual([[q, 3]]);
    expect(await codeOf(q, 3)).toBe(qMarch);
  }, 120_000);
});
