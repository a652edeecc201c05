import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildProject, buildUnit } from '../../../test/factories.ts';
import { buildReportingWorld } from '../../../test/reporting.ts';
import { systemActor } from '../../context.ts';
import { createDeps } from '../../deps.ts';
import { createImportService } from '../imports/index.ts';
import { IndicatorGroupRepository } from './indicator-groups.repository.ts';
import { createIndicatorService } from './index.ts';

// A chunked bulk write (issue 23) recomputes only the indicator groups its projects were in or moved to, not the
// year's: a group no written project belongs to keeps its stored rows untouched, and every group ends equal to a
// full recomputation.

describe.each(DIALECTS)('group rollup after a chunked bulk write on %s', (dialect) => {
  it('recomputes only the stale groups, and they equal a full recomputation', async () => {
    const t = await createTestApp(dialect);
    try {
      const w = await buildReportingWorld(t);
      const root = (await t.db.selectFrom('units').select('parent_id').where('id', '=', w.unitA).executeTakeFirstOrThrow()).parent_id!;
      // Six towns with two projects each: at least six groups (a group shares the unit).
      const towns: number[] = [];
      const byTown = new Map<number, number[]>();
      for (let i = 0; i < 6; i++) {
        const town = (await buildUnit(t.db, { name: `分组重算镇${i}`, parentId: root, regionCode: '320506', kind: 'township' })).id;
        towns.push(town);
        byTown.set(town, [
          await buildProject(t.db, { name: `分组重算项目${i}甲`, unit_id: town, stage: 'started', actual_start_date: '2025-06-01' }),
          await buildProject(t.db, { name: `分组重算项目${i}乙`, unit_id: town, stage: 'started', actual_start_date: '2025-06-01' }),
        ]);
      }
      const now = '2026-01-05T00:00:00.000Z';
      await t.db.insertInto('annual_plans').values([...byTown.values()].flat().map((id, i) => ({
        project_id: id, year: 2026, planned_investment: 40_000_000 + i * 1_000_000, completed_before_year: 0, created_at: now, updated_at: now,
      }))).execute();
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/reporting/years', headers: w.office, payload: { year: 2026 } })).statusCode).toBe(201);
      expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/reporting/periods/2026/5', headers: w.office, payload: { status: 'open' } })).statusCode).toBe(200);
      // A read builds the rollup.
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/indicators?year=2026&month=5', headers: w.office })).statusCode).toBe(200);

      const groups = new IndicatorGroupRepository(t.db);
      const keyOf = async (projectId: number) => (await t.db.selectFrom('indicator_facts').select('group_key').where('project_id', '=', projectId).where('year', '=', 2026).executeTakeFirstOrThrow()).group_key;
      const written = byTown.get(towns[0]!)!;
      const untouchedKey = await keyOf(byTown.get(towns[5]!)![0]!);
      expect(untouchedKey).not.toBe(await keyOf(written[0]!));
      // A mark on a group the write does not touch: a recomputation of the year would erase it, an incremental one keeps it.
      const mark = (by: number) => t.db.updateTable('indicator_groups').set((eb) => ({ count: eb('count', '+', by) }))
        .where('year', '=', 2026).where('group_key', '=', untouchedKey).execute();
      await mark(100);
      expect((await groups.diff()).groups).toBe(2);

      // May's figures of the first town's two projects, imported counted, in chunks of one row.
      const rows = await t.db.selectFrom('projects').select(['name', 'region_code']).where('id', 'in', written).orderBy('id').execute();
      const csv = Buffer.from(['2026年5月重点项目进展', '项目名称,所属地区,本月完成投资（万元）', ...rows.map((p, k) => `${p.name},${p.region_code},${(k + 1) * 12}.50`)].join('\n') + '\n', 'utf8');
      const report = await createImportService(createDeps(t.db), { bulkChunkRows: 1 })
        .importFile(systemActor(), csv, { kind: 'monthly', fileName: '5月.csv', dryRun: false, reportStatus: 'submitted' });
      expect(report.problems.filter((p) => p.severity === 'error'), JSON.stringify(report.problems.slice(0, 3))).toEqual([]);
      expect(report.summary.created).toBe(2);

      // The untouched group still carries the mark (only the written town's group was recomputed) …
      expect((await groups.diff()).groups).toBe(2);
      await mark(-100);
      // … and without it every fact and group equals a full recomputation, the written town's May included.
      expect(await groups.diff()).toEqual({ facts: 0, groups: 0 });
      const rollup = await createIndicatorService(createDeps(t.database.db)).verify();
      expect(rollup.ok, JSON.stringify(rollup.differences.slice(0, 3))).toBe(true);
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/indicators?year=2026&month=5&unit=${towns[0]}`, headers: w.office });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().indicators.sums.completed_ytd).toBe(125_000 + 245_000);

      // Drafts count toward no figure: a chunked draft import rewrites no fact and no group, not even its own town's
      // (a mark on that group survives it).
      const drafted = byTown.get(towns[1]!)!;
      const draftedKey = await keyOf(drafted[0]!);
      const markDrafted = (by: number) => t.db.updateTable('indicator_groups').set((eb) => ({ count: eb('count', '+', by) }))
        .where('year', '=', 2026).where('group_key', '=', draftedKey).execute();
      await markDrafted(100);
      const draftRows = await t.db.selectFrom('projects').select(['name', 'region_code']).where('id', 'in', drafted).orderBy('id').execute();
      const draftCsv = Buffer.from(['2026年5月重点项目进展', '项目名称,所属地区,本月完成投资（万元）', ...draftRows.map((p, k) => `${p.name},${p.region_code},${(k + 3) * 10}`)].join('\n') + '\n', 'utf8');
      const drafts = await createImportService(createDeps(t.db), { bulkChunkRows: 1 })
        .importFile(systemActor(), draftCsv, { kind: 'monthly', fileName: '5月草稿.csv', dryRun: false, reportStatus: 'draft' });
      expect(drafts.problems.filter((p) => p.severity === 'error'), JSON.stringify(drafts.problems.slice(0, 3))).toEqual([]);
      expect(drafts.summary.created).toBe(2);
      expect((await groups.diff()).groups).toBe(2);
      await markDrafted(-100);
      expect(await groups.diff()).toEqual({ facts: 0, groups: 0 });
      expect((await createIndicatorService(createDeps(t.database.db)).verify()).ok).toBe(true);
    } finally {
      await t.close();
    }
  }, 120_000);
});
