// Statements built once and reused with new ids (issue 16). The indicator rollup's per-project statements are wide
// (the group sums of twelve months: thousands of nodes), and building and compiling them through the query builder
// cost more CPU than running them — at the month-end surge, a third of a report write. Their text depends only on
// the dialect, the shape key and how many ids they carry, so each is compiled once with stand-in ids and run again
// with the real ones substituted into its parameters; on PostgreSQL it is also prepared, so that it is planned once
// per connection rather than at every write.
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import { PREPARE_MARK, type Executor } from './database.ts';
import { dialectOf } from './dialect.ts';

interface Cached {
  sql: string;
  parameters: readonly unknown[];
  /** Where each id goes in the parameters. */
  slots: number[];
}

const cache = new Map<string, Cached | null>();
/** Stand-in ids: negative, so no real id or other parameter of these statements takes their value. */
const STAND_IN = -1_000_000_007;
/** Only statements over a few ids are kept (a single report write's): a bulk write's lists vary in length. */
const MAX_IDS = 4;

/**
 * Runs the statement `build(ids)` builds, compiled once per dialect, `key` and number of ids. `key` must name
 * everything else the statement depends on (a year, a status list …); the ids must each be bound once as a
 * parameter (else the statement is built afresh every time, as without the cache).
 */
export function executeCached<R>(db: Executor, key: string, ids: readonly number[], build: (ids: number[]) => Compilable<R>): Promise<QueryResult<R>> {
  if (ids.length === 0 || ids.length > MAX_IDS) return db.executeQuery(build([...ids]).compile());
  const full = `${dialectOf(db)}\u0000${key}\u0000${ids.length}`;
  let entry = cache.get(full);
  if (entry === undefined) {
    const standIns = ids.map((_, j) => STAND_IN - j);
    const compiled = build(standIns).compile();
    const slots = standIns.map((s) => compiled.parameters.indexOf(s));
    const once = standIns.every((s, j) => slots[j]! >= 0 && compiled.parameters.lastIndexOf(s) === slots[j]);
    // PostgreSQL: prepared on each connection (planned once there, not at every write).
    const text = dialectOf(db) === 'postgres' ? `${PREPARE_MARK}${compiled.sql}` : compiled.sql;
    entry = once ? { sql: text, parameters: [...compiled.parameters], slots } : null;
    cache.set(full, entry);
  }
  if (!entry) return db.executeQuery(build([...ids]).compile());
  const parameters = [...entry.parameters];
  entry.slots.forEach((slot, j) => {
    parameters[slot] = ids[j];
  });
  return db.executeQuery<R>(CompiledQuery.raw(entry.sql, parameters));
}
