import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS } from '../../../test/db.ts';
import { createTestApp } from '../../../test/app.ts';
import { buildReportingWorld } from '../../../test/reporting.ts';
import { buildProject } from '../../../test/factories.ts';
import { clock } from '../../clock.ts';
import { createDeps } from '../../deps.ts';
import { createIndicatorService } from './index.ts';
import { indicatorRepositories } from './indicator.service.ts';

// Issue 16: a report write refreshed the indicator rollup under one exclusive lock, so on PostgreSQL every write of
// the cluster queued behind the one before until its commit. Now it takes the rollup's lock shared and its
// project's lock exclusive; group rows move by additive upserts, which commute.

describe.each(DIALECTS)('indicator rollup under concurrent report writes on %s', (dialect) => {
  it('keeps the groups equal to a recount when many projects of one group are saved and submitted at once', async () => {
    const t = await createTestApp(dialect);
    try {
      const w = await buildReportingWorld(t);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/reporting/years', headers: w.office, payload: { year: 2026 } })).statusCode).toBe(201);
      expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/reporting/periods/2026/5', headers: w.office, payload: { status: 'open' } })).statusCode).toBe(200);
      const now = clock.now().toISOString();
      const ids: number[] = [];
      for (let i = 0; i < 8; i++) ids.push(await buildProject(t.db, { name: `甪直并发项目${i}`, unit_id: w.unitA, stage: 'started', actual_start_date: '2025-08-01' }));
      await t.db.insertInto('annual_plans').values(ids.map((id) => ({ project_id: id, year: 2026, planned_investment: 10_000_000, completed_before_year: 0, created_at: now, updated_at: now }))).execute();
      const indicators = createIndicatorService(createDeps(t.db));
      // The first read builds the rollup; the writes below move it by deltas.
      expect((await indicators.verify()).ok).toBe(true);

      const answers = await Promise.all(ids.map(async (id, i) => {
        const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${id}/reports/2026/5`, headers: w.reporterA, payload: { amount_month: 1_000_000 * (i + 1), progress_text: '主体施工' } });
        expect(saved.statusCode, saved.body).toBe(200);
        const report = saved.json<{ id: number; version: number }>();
        return t.app.inject({ method: 'POST', url: `/api/v1/reports/${report.id}/submit`, headers: w.reporterA, payload: { version: report.version } });
      }));
      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
      const verified = await indicators.verify();
      expect(verified.ok, JSON.stringify(verified.differences.slice(0, 3))).toBe(true);
      const submitted = await t.db.selectFrom('monthly_reports').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', 'in', ids).where('status', '=', 'submitted').executeTakeFirstOrThrow();
      expect(Number(submitted.n)).toBe(ids.length);
    } finally {
      await t.close();
    }
  }, 120_000);

  it.runIf(dialect === 'postgres')('lets writers of different projects through, queues writers of one project, and a rebuild waits for all', async () => {
    const t = await createTestApp(dialect);
    try {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let held!: () => void;
      const holding = new Promise<void>((r) => (held = r));
      // A writer of project 1 holds its locks until released.
      const writer = t.db.transaction().execute(async (trx) => {
        await indicatorRepositories(trx).groups.lockProject(1);
        held();
        await released;
      });
      await holding;
      /** Tries a lock in a transaction of its own that waits at most 300 ms for it. */
      const attempt = (take: (g: ReturnType<typeof indicatorRepositories>['groups']) => Promise<void>) => t.db.transaction().execute(async (trx) => {
        await sql`set local lock_timeout = '300ms'`.execute(trx);
        await take(indicatorRepositories(trx).groups);
      });
      await expect(attempt((g) => g.lockProject(2))).resolves.toBeUndefined();
      await expect(attempt((g) => g.lockProject(1))).rejects.toThrow(/lock timeout/);
      await expect(attempt((g) => g.lock())).rejects.toThrow(/lock timeout/);
      release();
      await writer;
      await expect(attempt((g) => g.lock())).resolves.toBeUndefined();
    } finally {
      await t.close();
    }
  }, 60_000);
});
