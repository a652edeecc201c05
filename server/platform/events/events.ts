// Events and the notifications outbox. A write emits its event in its own transaction (emitEvent(trx, …)); the
// event names its recipients (a user, every active user of a unit, every active user of a role) and is written out
// as one notification row per recipient and channel. The in-app channel is delivered by being written (the user's
// notification list reads it); other channels (DingTalk/WeCom robots, SMS, e-mail — later) claim their pending
// rows through the database (claimNotifications), so any number of servers share the sending without a broker,
// and a crashed sender's claim expires. Chat robots take ~20 messages a minute: a sender claims small batches.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect.ts';

/** Who is told: one user, every active user of a unit (that unit only, not its subtree), or of a role. */
export type Recipient = { userId: number } | { unitId: number } | { role: string };

/** What emitEvent() writes. `notify` is the message for the recipients (title, a short body, the deep link). */
export interface EventInput {
  /** `<noun>.<past participle>`: 'matter.assigned', 'deadline.step'. */
  name: string;
  entityType?: string | null;
  entityId?: number | null;
  actorId?: number | null;
  payload?: unknown;
  at: Date;
  notify?: { recipients: readonly Recipient[]; title: string; body?: string | null; link?: string | null; channels?: readonly string[] };
}

/** The in-app channel: always written, delivered by being read. */
export const INAPP = 'inapp';

/** The user ids a list of recipients resolves to (active accounts only), without duplicates, in id order. */
export async function resolveRecipients(db: Executor, recipients: readonly Recipient[]): Promise<number[]> {
  const ids = new Set<number>();
  const users = recipients.flatMap((r) => ('userId' in r ? [r.userId] : []));
  const units = recipients.flatMap((r) => ('unitId' in r ? [r.unitId] : []));
  const roles = recipients.flatMap((r) => ('role' in r ? [r.role] : []));
  if (users.length + units.length + roles.length === 0) return [];
  const rows = await db.selectFrom('users').select('id').where('is_active', '=', 1)
    .where((eb) => eb.or([
      ...(users.length ? [eb('id', 'in', users)] : []),
      ...(units.length ? [eb('unit_id', 'in', units)] : []),
      ...(roles.length ? [eb('role', 'in', roles)] : []),
    ])).orderBy('id').execute();
  for (const r of rows) ids.add(r.id);
  return [...ids];
}

/**
 * Records an event in the caller's transaction and queues its notifications: one row per recipient and channel
 * (in-app rows are written as sent; other channels' rows wait to be claimed). Returns the event id.
 */
export async function emitEvent(trx: Executor, input: EventInput): Promise<number> {
  const at = input.at.toISOString();
  const event = await trx.insertInto('events').values({
    name: input.name, entity_type: input.entityType ?? null, entity_id: input.entityId ?? null, actor_id: input.actorId ?? null,
    payload: JSON.stringify(input.payload ?? {}), at,
  }).returning('id').executeTakeFirstOrThrow();
  const notify = input.notify;
  if (notify && notify.recipients.length > 0) {
    const users = await resolveRecipients(trx, notify.recipients);
    const channels = [INAPP, ...(notify.channels ?? []).filter((c) => c !== INAPP)];
    const rows = users.flatMap((userId) => channels.map((channel) => ({
      event_id: event.id, user_id: userId, channel, title: notify.title, body: notify.body ?? null, link: notify.link ?? null,
      status: channel === INAPP ? 'sent' : 'pending', attempts: 0, claimed_by: null, claimed_until: null, next_attempt_at: null,
      sent_at: channel === INAPP ? at : null, read_at: null, last_error: null, created_at: at,
    })));
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('notifications').values(rows.slice(i, i + 500)).execute();
  }
  return event.id;
}

/** One event as read back. */
export interface EventRow {
  id: number;
  name: string;
  entityType: string | null;
  entityId: number | null;
  actorId: number | null;
  payload: unknown;
  at: string;
}

/** An entity's events, oldest first (a timeline). */
export async function listEvents(db: Executor, entityType: string, entityId: number): Promise<EventRow[]> {
  const rows = await db.selectFrom('events').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, entityType: r.entity_type, entityId: r.entity_id, actorId: r.actor_id, payload: JSON.parse(r.payload) as unknown, at: r.at }));
}

// ---- the outbox, for channels outside the app ------------------------------------------------------------------

/** A notification claimed by a sender. */
export interface ClaimedNotification {
  id: number;
  userId: number;
  title: string;
  body: string | null;
  link: string | null;
  attempts: number;
}

/**
 * Claims up to `limit` pending notifications of a channel for `owner` until `leaseSeconds` from now: one conditional
 * UPDATE over the oldest pending rows whose claim is free or expired and whose retry time has come. On PostgreSQL
 * the candidate rows are locked with SKIP LOCKED, so concurrent senders take disjoint batches; SQLite serializes
 * writers. Mark each row sent or failed afterwards.
 */
export async function claimNotifications(db: Executor, channel: string, owner: string, now: Date, opts: { limit?: number; leaseSeconds?: number } = {}): Promise<ClaimedNotification[]> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + (opts.leaseSeconds ?? 120) * 1000).toISOString();
  const pg = dialectOf(db) === 'postgres';
  let candidates = db.selectFrom('notifications').select('id')
    .where('channel', '=', channel).where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
    .orderBy('id').limit(opts.limit ?? 20);
  if (pg) candidates = candidates.forUpdate().skipLocked();
  const rows = await db.updateTable('notifications')
    .set({ claimed_by: owner, claimed_until: until, attempts: sql<number>`attempts + 1` })
    .where('id', 'in', candidates)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
    .returning(['id', 'user_id', 'title', 'body', 'link', 'attempts'])
    .execute();
  return rows.sort((a, b) => a.id - b.id).map((r) => ({ id: r.id, userId: r.user_id, title: r.title, body: r.body, link: r.link, attempts: Number(r.attempts) }));
}

/** Marks claimed notifications sent (only those still claimed by `owner`). */
export async function markSent(db: Executor, ids: readonly number[], owner: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('notifications').set({ status: 'sent', sent_at: now.toISOString(), claimed_by: null, claimed_until: null, last_error: null })
    .where('id', 'in', ids).where('claimed_by', '=', owner).execute();
}

/**
 * Records a failed send: the row is released for another attempt after `retryAfterSeconds`, or marked failed once
 * it has had `maxAttempts`.
 */
export async function markFailed(db: Executor, id: number, owner: string, error: string, now: Date, opts: { retryAfterSeconds?: number; maxAttempts?: number } = {}): Promise<void> {
  const row = await db.selectFrom('notifications').select('attempts').where('id', '=', id).where('claimed_by', '=', owner).executeTakeFirst();
  if (!row) return;
  const giveUp = Number(row.attempts) >= (opts.maxAttempts ?? 5);
  await db.updateTable('notifications').set({
    status: giveUp ? 'failed' : 'pending', claimed_by: null, claimed_until: null, last_error: error.slice(0, 500),
    next_attempt_at: new Date(now.getTime() + (opts.retryAfterSeconds ?? 300) * 1000).toISOString(),
  }).where('id', '=', id).where('claimed_by', '=', owner).execute();
}

// ---- the in-app channel ----------------------------------------------------------------------------------------

/** One in-app notification of a user. */
export interface InAppNotification {
  id: number;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** A user's in-app notifications, newest first. */
export async function listInApp(db: Executor, userId: number, opts: { unreadOnly?: boolean; limit?: number } = {}): Promise<InAppNotification[]> {
  let q = db.selectFrom('notifications').select(['id', 'title', 'body', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', userId).where('channel', '=', INAPP);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit ?? 50).execute();
  return rows.map((r) => ({ id: r.id, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, readAt: r.read_at }));
}

/** The number of a user's unread in-app notifications. */
export async function countUnread(db: Executor, userId: number): Promise<number> {
  const r = await db.selectFrom('notifications').select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId).where('channel', '=', INAPP).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marks a user's notifications read (all of them when `ids` is omitted); others' rows are never touched. */
export async function markRead(db: Executor, userId: number, now: Date, ids?: readonly number[]): Promise<void> {
  let q = db.updateTable('notifications').set({ read_at: now.toISOString() })
    .where('user_id', '=', userId).where('channel', '=', INAPP).where('read_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return;
    q = q.where('id', 'in', ids);
  }
  await q.execute();
}
