import type { StatusLogEntry } from '../../core/workflow.ts';
import type { Executor } from '../db/database.ts';

// The one status log every workflow entity writes (core/workflow.ts): a row per move, in the mover's transaction.

/** Appends a move; call it with the transaction that changes the entity's status. */
export async function recordMove(trx: Executor, entry: StatusLogEntry): Promise<void> {
  await trx.insertInto('status_log').values({
    entity_type: entry.entityType, entity_id: entry.entityId, from_status: entry.from, to_status: entry.to,
    action: entry.action, reason: entry.reason, actor_id: entry.actorId, at: entry.at,
  }).execute();
}

/** An entity's moves, oldest first. */
export async function listMoves(db: Executor, entityType: string, entityId: number): Promise<StatusLogEntry[]> {
  const rows = await db.selectFrom('status_log').selectAll()
    .where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('id').execute();
  return rows.map((r) => ({
    entityType: r.entity_type, entityId: r.entity_id, from: r.from_status, to: r.to_status, action: r.action,
    reason: r.reason, actorId: r.actor_id, at: r.at,
  }));
}
