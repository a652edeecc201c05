import type { Kysely } from 'kysely';

// Enterprise problems on the tracked-item engine (issue 17): besides the handling limit (办结时限, kind 'solve', a
// platform deadline since the reminders), the route limit (交办, 'route') and the 签收 limit ('feedback') are engine
// deadlines too, held while their states last. The columns problems.route_due / feedback_due / solve_due stay (the
// ledger filters and sorts on them in SQL, as matters keep due_on). This converts the problems written before:
// each gets the route and 签收 deadlines it would have now — open while the problem is in that state, else ended
// (done on the day it moved on, cancelled when refused). Neither limit has reminder steps (the ladder is empty: the
// to-do's due date reminds), so no deadline_steps row refers to them; down removes them again.

const LIMITS = ['route', 'feedback'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const at = new Date().toISOString();
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('problems')
      .select(['id', 'status', 'owner_unit_id', 'received_on', 'assigned_on', 'signed_on', 'replied_on', 'route_due', 'feedback_due'])
      .where('id', '>', after).orderBy('id').limit(500).execute();
    if (rows.length === 0) break;
    const have = new Set((await db.selectFrom('deadlines').select(['entity_id', 'kind']).where('entity_type', '=', 'problem').where('kind', 'in', [...LIMITS])
      .where('entity_id', 'in', rows.map((r) => r.id)).execute()).map((d) => `${d.entity_id}:${d.kind}`));
    const values = [];
    for (const r of rows) {
      const row = (kind: string, startOn: string, dueOn: string, unitId: number | null, open: boolean, doneOn: string | null) => ({
        entity_type: 'problem', entity_id: r.id, kind, start_on: startOn, due_on: dueOn, original_due_on: dueOn,
        status: open ? 'open' : r.status === 'rejected' ? 'cancelled' : 'done', paused_on: null, paused_days: 0, ladder: '[]',
        unit_id: unitId, done_on: open || r.status === 'rejected' ? null : doneOn, created_at: at, updated_at: at,
      });
      if (r.route_due && !have.has(`${r.id}:route`)) values.push(row('route', r.received_on, r.route_due, null, r.status === 'pending', r.assigned_on));
      if (r.feedback_due && !have.has(`${r.id}:feedback`)) {
        values.push(row('feedback', r.assigned_on ?? r.received_on, r.feedback_due, r.owner_unit_id, r.status === 'assigned', r.signed_on ?? r.replied_on));
      }
    }
    if (values.length > 0) await db.insertInto('deadlines').values(values).execute();
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const ids = db.selectFrom('deadlines').select('id').where('entity_type', '=', 'problem').where('kind', 'in', [...LIMITS]);
  await db.deleteFrom('deadline_steps').where('deadline_id', 'in', ids).execute();
  await db.deleteFrom('deadlines').where('entity_type', '=', 'problem').where('kind', 'in', [...LIMITS]).execute();
}
