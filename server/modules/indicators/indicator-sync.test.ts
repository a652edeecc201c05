import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildReportingWorld, type TestApp } from '../../../test/reporting.ts';
import { clock } from '../../clock.ts';
import { createDeps } from '../../deps.ts';
import { createIndicatorService } from './index.ts';

// The group rollup learns which projects to re-snapshot from indicator_pending, which triggers keep in the writer's
// transaction (issue 16). Before, it compared updated_at with a watermark stamped by the server that last synced:
// a server whose clock ran ahead, or a write that committed after a later-begun sync, stayed invisible.

const plannedSum = async (t: TestApp, headers: Record<string, string>) => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/indicators?year=2026&month=5', headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ indicators: { sums: { planned_investment: number } } }>().indicators.sums.planned_investment;
};

/** Moves this process's clock (the system's or DOCKET_NOW's, which runs on from it) by some minutes. */
const shiftClock = (minutes: number) => vi.setSystemTime(Date.now() + minutes * 60_000);

describe.each(DIALECTS)('indicator rollup sync on %s', (dialect) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sees a plan saved by a server whose clock runs behind the one that synced last', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t = await createTestApp(dialect);
    try {
      const w = await buildReportingWorld(t);
      expect(await plannedSum(t, w.office)).toBe(180_000_000);

      // Server B, ten minutes ahead, saves a plan and reads: the rollup is synced at B's time.
      shiftClock(10);
      await t.db.updateTable('annual_plans').set({ planned_investment: 130_000_000, updated_at: clock.now().toISOString() })
        .where('project_id', '=', w.pa1).where('year', '=', 2026).execute();
      expect(await plannedSum(t, w.office)).toBe(190_000_000);

      // Server A, on time, saves another plan through the API a minute later by its own clock.
      shiftClock(-9);
      const plan = await t.db.selectFrom('annual_plans').selectAll().where('project_id', '=', w.pa2).where('year', '=', 2026).executeTakeFirstOrThrow();
      const { id: _id, project_id: _p, year: _y, created_at: _c, updated_at: _u, ...fields } = plan;
      const body = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('plan_m')));
      const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${w.pa2}/plans/2026`, headers: w.office, payload: { ...body, planned_investment: 75_000_000 } });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(await plannedSum(t, w.office)).toBe(205_000_000);
      const verified = await createIndicatorService(createDeps(t.db)).verify();
      expect(verified.ok, JSON.stringify(verified.differences.slice(0, 3))).toBe(true);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('notes only the writes the facts are made of, and a sync takes each noted project once', async () => {
    const t = await createTestApp(dialect);
    try {
      const w = await buildReportingWorld(t);
      await plannedSum(t, w.office);
      expect(await t.db.selectFrom('indicator_pending').select('project_id').execute()).toEqual([]);
      // An edit of a column the facts are not made of notes nothing; one of planned investment notes its project.
      await t.db.updateTable('projects').set({ search_text: 'x' }).where('id', '=', w.pa1).execute();
      expect(await t.db.selectFrom('indicator_pending').select('project_id').execute()).toEqual([]);
      await t.db.updateTable('annual_plans').set({ planned_investment: 1 }).where('project_id', '=', w.pa1).execute();
      await t.db.updateTable('projects').set({ stage: 'started' }).where('id', '=', w.pa1).execute();
      expect(await t.db.selectFrom('indicator_pending').select('project_id').execute()).toEqual([{ project_id: w.pa1 }]);
      expect(await plannedSum(t, w.office)).toBe(60_000_001);
      expect(await t.db.selectFrom('indicator_pending').select('project_id').execute()).toEqual([]);
      // A plan deleted notes its project too.
      await t.db.deleteFrom('annual_plans').where('project_id', '=', w.pa1).execute();
      expect(await plannedSum(t, w.office)).toBe(60_000_000);
      await t.db.updateTable('annual_plans').set({ planned_investment: 2 }).where('project_id', '=', w.pa2).execute();
      const fixed = await createIndicatorService(createDeps(t.db)).verify({ fix: true });
      expect(fixed.ok).toBe(true);
      expect(await t.db.selectFrom('indicator_pending').select('project_id').execute()).toEqual([]);
      expect(await plannedSum(t, w.office)).toBe(2);
    } finally {
      await t.close();
    }
  }, 120_000);

  it.runIf(dialect === 'postgres')('sees a write that commits after a sync which began later', async () => {
    const t = await createTestApp(dialect);
    try {
      const w = await buildReportingWorld(t);
      expect(await plannedSum(t, w.office)).toBe(180_000_000);
      // A long write (an import stamps its rows with the moment it began) holds a plan change uncommitted while
      // another write is synced by a read; it commits afterwards.
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let started!: () => void;
      const writing = new Promise<void>((resolve) => { started = resolve; });
      const writer = t.db.transaction().execute(async (trx) => {
        const stamp = clock.now().toISOString();
        await trx.updateTable('annual_plans').set({ planned_investment: 100_000_000, updated_at: stamp }).where('project_id', '=', w.pa1).execute();
        started();
        await held;
      });
      await writing;
      await new Promise((r) => setTimeout(r, 20));
      await t.db.updateTable('annual_plans').set({ planned_investment: 70_000_000, updated_at: clock.now().toISOString() }).where('project_id', '=', w.pa2).execute();
      // The read does not wait for the unfinished write (it skips its noted project) and counts what has committed.
      expect(await plannedSum(t, w.office)).toBe(190_000_000);
      release();
      await writer;
      expect(await plannedSum(t, w.office)).toBe(170_000_000);
      const left = await sql<{ n: number }>`select count(*)::int as n from indicator_pending`.execute(t.db);
      expect(left.rows[0]!.n).toBe(0);
    } finally {
      await t.close();
    }
  }, 120_000);
});
