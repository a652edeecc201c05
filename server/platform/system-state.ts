import type { Executor } from '../db/database.ts';

// Internal state of the application (watermarks such as the indicator rollup's facts_synced_at), kept apart from
// the settings people edit: no audit, no validation against a form, never shown.

/** The stored value of a state key (JSON-decoded), or undefined. */
export async function readState(db: Executor, key: string): Promise<unknown> {
  const row = await db.selectFrom('system_state').select('value').where('key', '=', key).executeTakeFirst();
  return row ? JSON.parse(row.value) : undefined;
}

/** Stores a state key (an upsert, in the caller's transaction when given one). */
export async function writeState(db: Executor, key: string, value: unknown, at: string): Promise<void> {
  const row = { key, value: JSON.stringify(value), updated_at: at };
  await db.insertInto('system_state').values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: at }))
    .execute();
}
