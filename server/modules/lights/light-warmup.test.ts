import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from '../../../test/db.ts';
import { buildProject, buildRegions, buildUnit } from '../../../test/factories.ts';
import { buildPlan } from '../../../test/indicator-factories.ts';
import { systemActor } from '../../context.ts';
import { monthsToWarm, startLightsWarmup, warmLights } from './light-warmup.ts';
import { createLightService } from './index.ts';
import { createDeps } from '../../deps.ts';

describe('the months the lights warm-up fills', () => {
  it('are this month and last month in China time, across a year end', () => {
    expect(monthsToWarm(new Date('2026-05-10T02:00:00Z'))).toEqual([{ year: 2026, month: 5 }, { year: 2026, month: 4 }]);
    // 2025-12-31 17:00 UTC is already 1 January 2026 in China.
    expect(monthsToWarm(new Date('2025-12-31T17:00:00Z'))).toEqual([{ year: 2026, month: 1 }, { year: 2025, month: 12 }]);
  });
});

describe.each(DIALECTS)('the lights warm-up on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await buildRegions(database.db);
    const unit = await buildUnit(database.db, { name: '甪直镇' });
    for (const name of ['甲项目', '乙项目']) {
      const id = await buildProject(database.db, { name, unit_id: unit.id, stage: 'started' });
      await buildPlan(database.db, { project_id: id, year: 2026, planned_investment: 100_000_000 });
    }
  });
  afterAll(async () => database?.destroy());

  it('fills both months\' snapshots so the first reader finds them complete, and a second run has nothing to do', async () => {
    await warmLights(database, new Date('2026-05-10T02:00:00Z'));
    const months = await database.db.selectFrom('light_snapshot_months').select(['year', 'month', 'complete']).orderBy('month').execute();
    expect(months).toEqual([{ year: 2026, month: 4, complete: 1 }, { year: 2026, month: 5, complete: 1 }]);
    const rows = await database.db.selectFrom('light_snapshots').select((eb) => eb.fn.countAll<number>().as('n')).where('year', '=', 2026).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(4);
    await warmLights(database, new Date('2026-05-10T02:00:00Z'));
    expect(await database.db.selectFrom('light_snapshot_months').select(['year', 'month', 'complete']).orderBy('month').execute()).toEqual(months);
  });
});

describe.each(DIALECTS)('the lights warm-up after a rule change on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await buildRegions(database.db);
    const unit = await buildUnit(database.db, { name: '甪直镇' });
    const id = await buildProject(database.db, { name: '甲项目', unit_id: unit.id, stage: 'started' });
    await buildPlan(database.db, { project_id: id, year: 2026, planned_investment: 100_000_000 });
  });
  afterAll(async () => database?.destroy());

  it('refills the months a new rule set dropped on its next tick, before anyone reads them', async () => {
    const now = () => new Date('2026-05-10T02:00:00Z');
    await warmLights(database, now());
    const months = () => database.db.selectFrom('light_snapshot_months').select(['month', 'complete']).where('year', '=', 2026).orderBy('month').execute();
    expect(await months()).toEqual([{ month: 4, complete: 1 }, { month: 5, complete: 1 }]);
    await createLightService(createDeps(database.db)).putRuleSet(systemActor(), 2026, { rules: [{ id: 'pg', kind: 'points_gap', enabled: true, yellow_points: 5, red_points: 40 }], effective_month: 4 });
    expect((await months()).filter((m) => m.complete)).toEqual([]);
    // Nothing reads the lights here: only the warm-up's tick can refill (its first run is an hour away).
    const stop = startLightsWarmup(database, { intervalMs: 50, firstDelayMs: 3_600_000, now, onError: (err) => { throw err; } });
    try {
      const deadline = Date.now() + 10_000;
      while ((await months()).filter((m) => m.complete).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(await months()).toEqual([{ month: 4, complete: 1 }, { month: 5, complete: 1 }]);
    } finally {
      await stop(); // waits for a tick under way, so that afterAll does not close the database under it
    }
  });
});
