import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { buildUnit, buildUser } from '../../../test/factories.ts';
import { inTransaction } from '../tx.ts';
import { claimNotifications, countUnread, emitEvent, listEvents, listInApp, markFailed, markRead, markSent } from './events.ts';

const t0 = new Date('2026-12-07T02:00:00Z');

describe.each(DIALECTS)('events and the notifications outbox on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let unitA: number;
  let alice: number;
  let bob: number;
  let carol: number;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    unitA = (await buildUnit(database.db, { name: '事件测试局' })).id;
    alice = await buildUser(database.db, { username: 'ev_alice', role: 'reporter', unitId: unitA });
    bob = await buildUser(database.db, { username: 'ev_bob', role: 'reporter', unitId: unitA });
    carol = await buildUser(database.db, { username: 'ev_carol', role: 'supervisor' });
    await database.db.updateTable('users').set({ is_active: 0 }).where('id', '=', bob).execute();
  });
  afterAll(async () => database?.destroy());

  it('writes the event and one notification per active recipient and channel in the writer transaction', async () => {
    const db = database.db;
    await inTransaction(db, (trx) => emitEvent(trx, {
      name: 'matter.assigned', entityType: 'matter', entityId: 9, actorId: carol, at: t0, payload: { no: '督〔2026〕1号' },
      notify: { recipients: [{ unitId: unitA }, { role: 'supervisor' }, { userId: alice }], title: '新的督办事项', link: '/matters/9', channels: ['wecom'] },
    }));
    expect((await listEvents(db, 'matter', 9)).map((e) => [e.name, e.payload])).toEqual([['matter.assigned', { no: '督〔2026〕1号' }]]);
    const rows = await db.selectFrom('notifications').select(['user_id', 'channel', 'status']).orderBy('user_id').orderBy('channel').execute();
    // bob is inactive; alice is named twice but notified once per channel.
    expect(rows).toEqual([
      { user_id: alice, channel: 'inapp', status: 'sent' }, { user_id: alice, channel: 'wecom', status: 'pending' },
      { user_id: carol, channel: 'inapp', status: 'sent' }, { user_id: carol, channel: 'wecom', status: 'pending' },
    ]);
    // A rolled-back writer leaves neither event nor notification.
    await expect(inTransaction(db, async (trx) => {
      await emitEvent(trx, { name: 'matter.assigned', entityType: 'matter', entityId: 10, at: t0, notify: { recipients: [{ userId: alice }], title: 'x' } });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect(await listEvents(db, 'matter', 10)).toEqual([]);
  });

  it('in-app: list, count and mark read, only one own rows', async () => {
    const db = database.db;
    expect(await countUnread(db, alice)).toBe(1);
    const [n] = await listInApp(db, alice);
    expect(n).toMatchObject({ title: '新的督办事项', link: '/matters/9', readAt: null });
    await markRead(db, carol, t0, [n!.id]); // not carol's
    expect(await countUnread(db, alice)).toBe(1);
    await markRead(db, alice, t0);
    expect(await countUnread(db, alice)).toBe(0);
  });

  it('channels claim disjoint batches through the database; failures retry later, then give up', async () => {
    const db = database.db;
    await inTransaction(db, async (trx) => {
      for (let i = 0; i < 10; i++) await emitEvent(trx, { name: 'x.happened', at: t0, notify: { recipients: [{ userId: alice }], title: `第${i}条`, channels: ['sms'] } });
    });
    const claims = await Promise.all(['s1', 's2', 's3'].map((owner) => claimNotifications(db, 'sms', owner, t0, { limit: 4 })));
    const ids = claims.flat().map((c) => c.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    // Claimed rows are not handed out again until the claim expires.
    expect(await claimNotifications(db, 'sms', 's4', new Date(t0.getTime() + 60_000))).toEqual([]);
    const mine = claims[0]!;
    await markSent(db, mine.map((c) => c.id), 's1', t0);
    await markSent(db, claims[1]!.map((c) => c.id), 'not-the-owner', t0); // ignored
    const expired = await claimNotifications(db, 'sms', 's4', new Date(t0.getTime() + 121_000), { limit: 20 });
    expect(expired.map((c) => c.id).sort((a, b) => a - b)).toEqual([...claims[1]!, ...claims[2]!].map((c) => c.id).sort((a, b) => a - b));
    const failing = expired[0]!;
    await markFailed(db, failing.id, 's4', '网关超时', new Date(t0.getTime() + 121_000), { retryAfterSeconds: 300, maxAttempts: 3 });
    expect((await claimNotifications(db, 'sms', 's5', new Date(t0.getTime() + 200_000))).map((c) => c.id)).not.toContain(failing.id);
    const retry = (await claimNotifications(db, 'sms', 's5', new Date(t0.getTime() + 500_000))).find((c) => c.id === failing.id)!;
    expect(retry.attempts).toBe(3);
    await markFailed(db, failing.id, 's5', '网关超时', new Date(t0.getTime() + 500_000), { maxAttempts: 3 });
    const row = await db.selectFrom('notifications').select(['status', 'last_error']).where('id', '=', failing.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', last_error: '网关超时' });
    // wecom rows of the first event are untouched by sms senders.
    expect(await db.selectFrom('notifications').select('status').where('channel', '=', 'wecom').execute()).toEqual([{ status: 'pending' }, { status: 'pending' }]);
  });
});
