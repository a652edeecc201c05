import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';

// Work to do once a transaction inTransaction opened has committed, keyed by that transaction (a WeakMap: a
// transaction that never commits leaves nothing behind) and within it by the work's key, so that work registered
// once per event (the audit chain's step) runs once per transaction. Only a hint for this process: what it triggers
// must be safe to skip (the audit chain's job repairs a crash between commit and chaining).
const afterCommitWork = new WeakMap<object, Map<unknown, () => Promise<void>>>();

/**
 * The one transaction idiom: the service opens it, and everything that must commit with the change (audit, status
 * log, settings, numbering …) takes `trx` first. Called inside an open transaction it joins it instead of nesting
 * (Kysely has no nested transactions), so a service method can be composed into a larger unit of work. Work
 * registered with afterCommit runs once the outermost transaction has committed, before this resolves.
 */
export async function inTransaction<T>(db: Executor, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DB>);
  let opened: Transaction<DB> | undefined;
  try {
    const result = await db.transaction().execute((trx) => {
      opened = trx;
      afterCommitWork.set(trx, new Map());
      return fn(trx);
    });
    for (const work of afterCommitWork.get(opened!)?.values() ?? []) await work();
    return result;
  } finally {
    if (opened) afterCommitWork.delete(opened);
  }
}

/**
 * Runs `work` after the transaction `trx` commits (nothing when it rolls back); a second registration under the same
 * `key` in the same transaction is dropped (the first one's work runs, once). False when `trx` is not one that
 * inTransaction opened (a bare `db.transaction()`), so the caller knows the work will not run and must rely on its
 * own fallback. `work` must not throw: the change has committed by then.
 */
export function afterCommit(trx: Executor, key: unknown, work: () => Promise<void>): boolean {
  const registered = afterCommitWork.get(trx);
  if (!registered) return false;
  if (!registered.has(key)) registered.set(key, work);
  return true;
}
