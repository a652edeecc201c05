import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { inTransaction } from '../tx.ts';
import {
  closeDeadline, findDeadline, listOverdue, listTakenSteps, loadWorkCalendar, moveDeadline, onDeadlineStep, pauseDeadline,
  resumeDeadline, runDeadlineSteps, scheduleDeadline, DeadlineError, type StepContext,
} from './deadlines.ts';

// China 10:00 on a day.
const at = (day: string) => new Date(`${day}T02:00:00Z`);

describe.each(DIALECTS)('deadlines on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const seen: StepContext[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    onDeadlineStep(`test_${dialect}`, async (trx, ctx) => {
      seen.push(ctx);
      await trx.insertInto('system_state').values({ key: `step:${ctx.deadline.entityId}:${ctx.step.key}:${ctx.deadline.dueOn}`, value: '1', updated_at: ctx.now.toISOString() }).execute();
    });
  });
  afterAll(async () => database?.destroy());
  const type = `test_${dialect}`;

  it('counts a deadline set before 国庆 2025 in working days from the office calendar, and escalates once per step', async () => {
    const db = database.db;
    const cal = await loadWorkCalendar(db);
    const d = await inTransaction(db, (trx) => scheduleDeadline(trx, { entityType: type, entityId: 1, kind: 'complete', startOn: '2025-09-26', workingDays: 5, calendar: cal, unitId: 7 }, at('2025-09-26')));
    expect(d).toMatchObject({ dueOn: '2025-10-10', status: 'open', unitId: 7, pausedDays: 0 });
    seen.length = 0;
    expect(await runDeadlineSteps(db, at('2025-09-29'))).toEqual([]);
    expect((await runDeadlineSteps(db, at('2025-09-30'))).map((c) => c.step.key)).toEqual(['remind']);
    expect(await runDeadlineSteps(db, at('2025-10-05'))).toEqual([]); // already reminded
    expect((await runDeadlineSteps(db, at('2025-10-11'))).map((c) => c.step.key)).toEqual(['overdue']);
    expect(seen.map((c) => c.step.key)).toEqual(['remind', 'overdue']);
    expect((await listOverdue(db, '2025-10-11', type)).map((x) => x.entityId)).toEqual([1]);
    // The handler's write committed with the step.
    expect(await db.selectFrom('system_state').select('key').where('key', 'like', 'step:1:%').orderBy('key').execute()).toEqual([{ key: 'step:1:overdue:2025-10-10' }, { key: 'step:1:remind:2025-10-10' }]);
    const events = await db.selectFrom('events').select(['name', 'payload']).where('entity_type', '=', type).orderBy('id').execute();
    expect(events.map((e) => JSON.parse(e.payload).step)).toEqual(['remind', 'overdue']);
  });

  it('after a late start only the latest due step acts; the skipped ones are recorded', async () => {
    const db = database.db;
    await inTransaction(db, (trx) => scheduleDeadline(trx, { entityType: type, entityId: 2, kind: 'complete', startOn: '2025-09-01', dueOn: '2025-10-10' }, at('2025-09-01')));
    const acted = await runDeadlineSteps(db, at('2025-10-20'));
    expect(acted.filter((c) => c.deadline.entityId === 2).map((c) => c.step.key)).toEqual(['interview']);
    const d = (await findDeadline(db, { entityType: type, entityId: 2, kind: 'complete' }))!;
    expect((await listTakenSteps(db, d.id)).map((s) => [s.step, s.fireOn])).toEqual([['remind', '2025-09-30'], ['overdue', '2025-10-11'], ['interview', '2025-10-17']]);
  });

  it('a pause across 国庆 2026 stops the timer; resuming extends by the paused working days; an extension re-arms the ladder', async () => {
    const db = database.db;
    const cal = await loadWorkCalendar(db);
    const key = { entityType: type, entityId: 3, kind: 'complete' };
    await inTransaction(db, (trx) => scheduleDeadline(trx, { ...key, startOn: '2026-09-24', workingDays: 5, calendar: cal }, at('2026-09-24')));
    expect((await findDeadline(db, key))!.dueOn).toBe('2026-10-09');
    await inTransaction(db, (trx) => pauseDeadline(trx, key, '2026-09-30', at('2026-09-30')));
    // Paused: nothing escalates, the deadline is not overdue.
    expect((await runDeadlineSteps(db, at('2026-10-12'))).filter((c) => c.deadline.entityId === 3)).toEqual([]);
    expect((await listOverdue(db, '2026-10-12', type)).map((x) => x.entityId)).not.toContain(3);
    const resumed = await inTransaction(db, (trx) => resumeDeadline(trx, key, '2026-10-12', cal, at('2026-10-12')));
    expect(resumed).toMatchObject({ dueOn: '2026-10-14', pausedDays: 4, pausedOn: null });
    expect((await runDeadlineSteps(db, at('2026-10-12'))).filter((c) => c.deadline.entityId === 3).map((c) => c.step.key)).toEqual(['remind']);
    await inTransaction(db, (trx) => moveDeadline(trx, key, '2026-10-30', at('2026-10-13')));
    expect((await runDeadlineSteps(db, at('2026-10-28'))).filter((c) => c.deadline.entityId === 3).map((c) => c.step.key)).toEqual(['remind']);
    await inTransaction(db, (trx) => closeDeadline(trx, key, 'done', '2026-10-29', at('2026-10-29')));
    expect((await runDeadlineSteps(db, at('2026-11-30'))).filter((c) => c.deadline.entityId === 3)).toEqual([]);
    expect(await findDeadline(db, key)).toMatchObject({ status: 'done', doneOn: '2026-10-29', originalDueOn: '2026-10-09' });
  });

  it('concurrent runs take each step once', async () => {
    const db = database.db;
    await inTransaction(db, (trx) => scheduleDeadline(trx, { entityType: type, entityId: 4, kind: 'feedback', startOn: '2026-12-01', dueOn: '2026-12-04' }, at('2026-12-01')));
    seen.length = 0;
    await Promise.allSettled([1, 2, 3].map(() => runDeadlineSteps(db, at('2026-12-07'))));
    expect(seen.filter((c) => c.deadline.entityId === 4).map((c) => c.step.key)).toEqual(['overdue']);
  });

  it('refuses a bad ladder with a Chinese message', async () => {
    await expect(inTransaction(database.db, (trx) => scheduleDeadline(trx, {
      entityType: type, entityId: 5, kind: 'x', startOn: '2026-12-01', dueOn: '2026-12-04', ladder: [{ key: 'a', offset: 3, label: 'a' }, { key: 'b', offset: 1, label: 'b' }],
    }, at('2026-12-01')))).rejects.toThrow(DeadlineError);
  });
});
