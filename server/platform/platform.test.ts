import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { DIALECTS, createTestDatabase } from '../../test/db.ts';
import { buildProject, buildRegions, buildUnit } from '../../test/factories.ts';
import { dialectOf } from '../db/dialect.ts';
import { createDeps } from '../deps.ts';
import { registerProjectScope } from '../modules/projects/index.ts';
import { registerAuth } from '../plugins/auth.ts';
import { checkEntityScope, impliedRouteScope, registerEntityScope } from './access.ts';
import { systemActor, type DataScope } from './context.ts';
import { claimJob, releaseJob, runJobOnce } from './jobs.ts';
import { defineSettings, SettingsError } from './settings.ts';
import { listMoves, recordMove } from './status-log.ts';
import { readState, writeState } from './system-state.ts';
import { afterCommit, inTransaction } from './tx.ts';

const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

describe.each(DIALECTS)('the platform layer on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.destroy());

  it('knows its dialect', () => {
    expect(dialectOf(database.db)).toBe(dialect);
  });

  it('inTransaction joins an open transaction and rolls back as one', async () => {
    const at = '2026-12-06T00:00:00.000Z';
    await expect(inTransaction(database.db, async (trx) => {
      await writeState(trx, 'outer', 1, at);
      await inTransaction(trx, async (inner) => {
        expect(inner).toBe(trx);
        await writeState(inner, 'inner', 2, at);
      });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await readState(database.db, 'outer')).toBeUndefined();
    expect(await readState(database.db, 'inner')).toBeUndefined();
    await inTransaction(database.db, (trx) => writeState(trx, 'kept', { a: 1 }, at));
    expect(await readState(database.db, 'kept')).toEqual({ a: 1 });
  });

  it('afterCommit runs work once per key after the commit, and nothing after a rollback or outside inTransaction', async () => {
    const ran: string[] = [];
    const work = (name: string) => async () => { ran.push(name); };
    const result = await inTransaction(database.db, async (trx) => {
      // Registered once per event (as the audit chain's step is): the same key runs once.
      for (let i = 0; i < 3; i++) expect(afterCommit(trx, 'chain', work('chain'))).toBe(true);
      expect(afterCommit(trx, 'other', work('other'))).toBe(true);
      expect(ran).toEqual([]);
      return 7;
    });
    expect(result).toBe(7);
    expect(ran).toEqual(['chain', 'other']);
    ran.length = 0;
    await expect(inTransaction(database.db, async (trx) => {
      afterCommit(trx, 'chain', work('rolled back'));
      throw new Error('boom');
    })).rejects.toThrow('boom');
    await database.db.transaction().execute(async (trx) => {
      expect(afterCommit(trx, 'chain', work('bare'))).toBe(false);
    });
    expect(ran).toEqual([]);
  });

  it('moved the indicator watermark out of the settings and seeded the 2025–2026 calendar', async () => {
    const settings = await database.db.selectFrom('indicator_settings').select('key').where('key', '=', 'facts_synced_at').execute();
    expect(settings).toEqual([]);
    const spring = await database.db.selectFrom('calendar_days').select(['day', 'kind']).where('day', '>=', '2026-02-14').where('day', '<=', '2026-02-28').orderBy('day').execute();
    expect(spring.filter((d) => d.kind === 'workday').map((d) => d.day)).toEqual(['2026-02-14', '2026-02-28']);
    expect(spring.filter((d) => d.kind === 'holiday')).toHaveLength(9);
  });

  it('settings: defaults merged with stored keys, validated patch, audit in the same transaction', async () => {
    const reporting = defineSettings('test_reporting', 'reporting_settings', z.object({
      reminder_days: z.number().int().min(1).max(30), remind_leaders: z.boolean(),
    }), { reminder_days: 3, remind_leaders: false });
    const deps = createDeps(database.db, { clock: fixedClock('2026-12-06T08:00:00Z') });
    expect(await reporting.get(database.db)).toEqual({ reminder_days: 3, remind_leaders: false });
    await expect(inTransaction(database.db, (trx) => reporting.put(trx, systemActor(), { reminder_days: 99 }, deps)))
      .rejects.toThrow(SettingsError);
    const after = await inTransaction(database.db, (trx) => reporting.put(trx, systemActor(), { reminder_days: 5 }, deps));
    expect(after).toEqual({ reminder_days: 5, remind_leaders: false });
    expect(await reporting.get(database.db)).toEqual(after);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('action', '=', 'test_reporting.settings_update').execute();
    expect(audit).toHaveLength(1);
    // A stored value the schema no longer accepts falls back to its default instead of breaking every reader.
    await database.db.updateTable('reporting_settings').set({ value: '"many"' }).where('key', '=', 'reminder_days').execute();
    expect((await reporting.get(database.db)).reminder_days).toBe(3);
  });

  it('status log: one shape for every workflow entity', async () => {
    await inTransaction(database.db, (trx) => recordMove(trx, {
      entityType: 'matter', entityId: 7, from: 'pending_sign', to: 'returned', action: 'send_back', reason: '不属于本单位职责', actorId: 3, at: '2026-12-06T08:00:00.000Z',
    }));
    expect(await listMoves(database.db, 'matter', 7)).toEqual([{
      entityType: 'matter', entityId: 7, from: 'pending_sign', to: 'returned', action: 'send_back', reason: '不属于本单位职责', actorId: 3, at: '2026-12-06T08:00:00.000Z',
    }]);
  });

  it('jobs: concurrent claims give the job to one owner; it is due again after everySeconds; an expired lease is taken over', async () => {
    const job = { name: `test.job.${dialect}`, everySeconds: 60, leaseSeconds: 120 };
    const t0 = new Date('2026-12-06T08:00:00Z');
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => claimJob(database.db, job, owner, t0)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c', 'd'][claims.indexOf(true)]!;
    await releaseJob(database.db, job.name, winner, null);
    expect(await claimJob(database.db, job, 'b', new Date(t0.getTime() + 30_000))).toBe(false); // not due yet
    expect(await claimJob(database.db, job, 'b', new Date(t0.getTime() + 60_000))).toBe(true);
    // b crashes holding the lease: nobody runs it until the lease runs out.
    expect(await claimJob(database.db, job, 'c', new Date(t0.getTime() + 150_000))).toBe(false);
    expect(await claimJob(database.db, job, 'c', new Date(t0.getTime() + 181_000))).toBe(true);
    // A run's error is kept on the lease row and the lease is released.
    const failing = { name: `test.failing.${dialect}`, everySeconds: 60, run: () => Promise.reject(new Error('磁盘已满')) };
    const errors: unknown[] = [];
    expect(await runJobOnce(database.db, failing, fixedClock('2026-12-06T09:00:00Z'), { owner: 'x', onError: (e) => errors.push(e) })).toBe(true);
    expect(errors).toHaveLength(1);
    const row = await database.db.selectFrom('job_leases').selectAll().where('name', '=', failing.name).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner: null, lease_until: null, last_error: '磁盘已满' });
  });

  it('access: a registered entity answers by the data scope', async () => {
    await buildRegions(database.db);
    const mine = await buildUnit(database.db, { name: '甲镇' });
    const other = await buildUnit(database.db, { name: '乙镇' });
    const id = await buildProject(database.db, { name: '甲项目', unit_id: mine.id });
    const unitPath = (await database.db.selectFrom('units').select('path').where('id', '=', mine.id).executeTakeFirstOrThrow()).path;
    const otherPath = (await database.db.selectFrom('units').select('path').where('id', '=', other.id).executeTakeFirstOrThrow()).path;
    registerProjectScope();
    const scopeOf = (path: string): DataScope => ({ all: false, unitPaths: [path], regionPaths: [] });
    expect(await checkEntityScope(database.db, 'project', id, scopeOf(unitPath))).toEqual({ visible: true, notFound: '项目不存在或无权访问' });
    expect((await checkEntityScope(database.db, 'project', id, scopeOf(otherPath))).visible).toBe(false);
    expect((await checkEntityScope(database.db, 'project', id + 1000, { all: true, unitPaths: [], regionPaths: [] })).visible).toBe(false);
  });
});

describe('route scope declarations', () => {
  it('imply the project entity under /projects/:id and refuse an unregistered entity at start-up', async () => {
    expect(impliedRouteScope('/api/v1/projects/:id/plans')).toEqual({ entity: 'project', param: 'id' });
    expect(impliedRouteScope('/api/v1/report-photos/:id')).toBeUndefined();
    const app = Fastify();
    registerAuth(app, { findSession: async () => undefined, findToken: async () => undefined, checkScope: async () => ({ visible: true, notFound: '' }) });
    registerEntityScope('widget', async () => true, '部件不存在或无权访问');
    app.get('/api/v1/widgets/:id', { config: { permission: 'project.read', scope: { entity: 'widget', param: 'id' } } }, async () => ({}));
    expect(() => app.get('/api/v1/gadgets/:id', { config: { permission: 'project.read', scope: { entity: 'gadget', param: 'id' } } }, async () => ({})))
      .toThrow('declares scope gadget:id, which is not registered');
    await app.close();
  });
});
