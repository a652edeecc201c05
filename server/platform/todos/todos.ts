// The to-do inbox (待办): what each person must do, the source of truth behind the header count. A to-do is
// addressed to one user, to a unit (every account of that unit sees it) or to a role (every account holding it,
// e.g. the supervision office's "to review"). Capabilities add and finish to-dos in their own transactions under a
// stable key ('matter:12:sign'), so adding twice keeps one row and finishing is idempotent. Generic on purpose:
// reports (a report due, a return to fix), problems and attraction add theirs the same way.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Recipient } from '../events/events.ts';

/** What addTodo() writes. */
export interface TodoInput {
  /** Stable and unique: '<entity>:<id>:<what>' ('matter:12:feedback'). */
  key: string;
  to: Recipient;
  /** '<noun>.<verb>': 'matter.sign', 'matter.feedback', 'report.due' — the inbox groups and filters by it. */
  kind: string;
  title: string;
  /** The in-app deep link ('/matters/12'). */
  link: string;
  dueOn?: string | null;
  entityType?: string | null;
  entityId?: number | null;
}

/** A to-do as the inbox shows it. */
export interface Todo {
  id: number;
  key: string;
  kind: string;
  title: string;
  link: string;
  dueOn: string | null;
  entityType: string | null;
  entityId: number | null;
  createdAt: string;
  doneAt: string | null;
  overdue: boolean;
}

/** Who reads an inbox: the user, the unit they belong to and their role. */
export interface InboxOwner {
  userId: number;
  unitId: number | null;
  role: string;
}

/**
 * Adds a to-do, or refreshes the open one with the same key (title, due date, addressee) and reopens a finished
 * one: one row per key. Call it in the transaction of the change that creates the duty.
 */
export async function addTodo(trx: Executor, input: TodoInput, now: Date): Promise<void> {
  const to = {
    user_id: 'userId' in input.to ? input.to.userId : null,
    unit_id: 'unitId' in input.to ? input.to.unitId : null,
    role: 'role' in input.to ? input.to.role : null,
  };
  const values = { ...to, kind: input.kind, title: input.title, link: input.link, due_on: input.dueOn ?? null, entity_type: input.entityType ?? null, entity_id: input.entityId ?? null };
  await trx.insertInto('todos').values({ key: input.key, ...values, created_at: now.toISOString(), done_at: null, done_by: null })
    .onConflict((oc) => oc.column('key').doUpdateSet({ ...values, done_at: null, done_by: null }))
    .execute();
}

/** The key prefix test, without LIKE (whose _ and % a key may contain). */
function keyStartsWith(prefix: string) {
  return (eb: ExpressionBuilder<DB, 'todos'>) => eb(sql<string>`substr(todos.key, 1, ${prefix.length})`, '=', prefix);
}

/**
 * Finishes to-dos by key, by a list of keys, by key prefix ('report:2026-11:' — every to-do of a period), or every
 * open one of an entity (optionally of one kind). Returns how many.
 */
export async function completeTodos(trx: Executor, which: { key: string } | { keys: readonly string[] } | { keyPrefix: string } | { entityType: string; entityId: number; kind?: string }, now: Date, by: number | null): Promise<number> {
  let q = trx.updateTable('todos').set({ done_at: now.toISOString(), done_by: by }).where('done_at', 'is', null);
  if ('key' in which) q = q.where('key', '=', which.key);
  else if ('keys' in which) {
    // Guard against running an invalid `in ()` when there is nothing to finish.
    if (which.keys.length === 0) return 0;
    q = q.where('key', 'in', which.keys);
  } else if ('keyPrefix' in which) q = q.where(keyStartsWith(which.keyPrefix));
  else {
    q = q.where('entity_type', '=', which.entityType).where('entity_id', '=', which.entityId);
    if (which.kind) q = q.where('kind', '=', which.kind);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

function addressedTo(owner: InboxOwner) {
  return (eb: ExpressionBuilder<DB, 'todos'>) => eb.or([
    eb('todos.user_id', '=', owner.userId),
    ...(owner.unitId !== null ? [eb('todos.unit_id', '=', owner.unitId)] : []),
    eb('todos.role', '=', owner.role),
  ]);
}

/**
 * An inbox: open to-dos (or finished ones, newest first), overdue first and then by due date (undated last),
 * optionally of some kinds. `today` (China day) decides what is overdue.
 */
export async function listTodos(db: Executor, owner: InboxOwner, today: string, opts: { done?: boolean; kinds?: readonly string[]; limit?: number; offset?: number } = {}): Promise<Todo[]> {
  let q = db.selectFrom('todos').selectAll().where(addressedTo(owner));
  q = opts.done ? q.where('done_at', 'is not', null) : q.where('done_at', 'is', null);
  if (opts.kinds && opts.kinds.length > 0) q = q.where('kind', 'in', opts.kinds);
  q = opts.done
    ? q.orderBy('done_at', 'desc').orderBy('id', 'desc')
    : q.orderBy(sql`case when due_on is null then 1 else 0 end`).orderBy('due_on').orderBy('id');
  const rows = await q.limit(opts.limit ?? 200).offset(opts.offset ?? 0).execute();
  return rows.map((r) => ({
    id: r.id, key: r.key, kind: r.kind, title: r.title, link: r.link, dueOn: r.due_on, entityType: r.entity_type,
    entityId: r.entity_id, createdAt: r.created_at, doneAt: r.done_at, overdue: r.done_at === null && r.due_on !== null && r.due_on < today,
  }));
}

/** The header's figures: open to-dos and how many of them are overdue on `today`. */
export async function countTodos(db: Executor, owner: InboxOwner, today: string): Promise<{ open: number; overdue: number }> {
  const r = await db.selectFrom('todos')
    .select([sql<number>`count(*)`.as('open'), sql<number>`sum(case when due_on < ${today} then 1 else 0 end)`.as('overdue')])
    .where(addressedTo(owner)).where('done_at', 'is', null).executeTakeFirstOrThrow();
  return { open: Number(r.open), overdue: Number(r.overdue ?? 0) };
}

/** One to-do if it is in the owner's inbox (open or finished), else undefined. */
export async function findTodoFor(db: Executor, owner: InboxOwner, id: number): Promise<{ id: number; key: string; doneAt: string | null } | undefined> {
  const r = await db.selectFrom('todos').select(['id', 'key', 'done_at']).where('id', '=', id).where(addressedTo(owner)).executeTakeFirst();
  return r ? { id: r.id, key: r.key, doneAt: r.done_at } : undefined;
}

/** An open to-do as a capability re-derives it (key, addressee unit, title, due date), to rewrite only what changed. */
export interface OpenTodo {
  key: string;
  unitId: number | null;
  title: string;
  link: string;
  dueOn: string | null;
}

/** The open to-dos whose key starts with `keyPrefix`, optionally only those addressed to some units. */
export async function listOpenTodos(db: Executor, keyPrefix: string, unitIds?: readonly number[]): Promise<OpenTodo[]> {
  if (unitIds && unitIds.length === 0) return [];
  const rows = await db.selectFrom('todos').select(['key', 'unit_id', 'title', 'link', 'due_on'])
    .where('done_at', 'is', null).where(keyStartsWith(keyPrefix))
    .$if(unitIds !== undefined, (qb) => qb.where('unit_id', 'in', unitIds!))
    .orderBy('id').execute();
  return rows.map((r) => ({ key: r.key, unitId: r.unit_id, title: r.title, link: r.link, dueOn: r.due_on }));
}
