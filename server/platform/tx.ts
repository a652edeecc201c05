import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';

/**
 * The one transaction idiom: the service opens it, and everything that must commit with the change (audit, status
 * log, settings, numbering …) takes `trx` first. Called inside an open transaction it joins it instead of nesting
 * (Kysely has no nested transactions), so a service method can be composed into a larger unit of work.
 */
export function inTransaction<T>(db: Executor, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DB>);
  return db.transaction().execute(fn);
}
