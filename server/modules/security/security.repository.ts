import type { Executor } from '../../db/database.ts';

/** SQL for the security settings. */
export class SecurityRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** Runs fn in a transaction (or in the current one) with a repository bound to it. */
  transaction<T>(fn: (repo: SecurityRepository, trx: Executor) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this, this.db);
    return this.db.transaction().execute((trx) => fn(new SecurityRepository(trx), trx));
  }

  listSettingRows() {
    return this.db.selectFrom('security_settings').select(['key', 'value']).execute();
  }

  /** Inserts or replaces one setting. */
  async upsertSetting(key: string, value: string, userId: number, now: string): Promise<void> {
    await this.db.insertInto('security_settings').values({ key, value, updated_at: now, updated_by: userId })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now, updated_by: userId }))
      .execute();
  }
}
