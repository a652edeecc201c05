import type { Executor } from '../../db/database.ts';
import type { ApiTokenTable } from '../../db/schema.ts';

const PUBLIC_COLUMNS = ['id', 'name', 'user_id', 'permissions', 'expires_at', 'revoked_at', 'last_used_at', 'created_at', 'created_by'] as const;

/** All SQL for API tokens. */
export class TokenRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** A token that is neither revoked nor expired, by the hash of its secret. */
  findUsableByHash(tokenHash: string, now: string) {
    return this.db.selectFrom('api_tokens').select([...PUBLIC_COLUMNS]).where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  }

  findById(id: number) {
    return this.db.selectFrom('api_tokens').select([...PUBLIC_COLUMNS]).where('id', '=', id).executeTakeFirst();
  }

  /** Every token, newest first; with a user id, only that account's. */
  list(userId?: number) {
    let qb = this.db.selectFrom('api_tokens').select([...PUBLIC_COLUMNS]);
    if (userId !== undefined) qb = qb.where('user_id', '=', userId);
    return qb.orderBy('id', 'desc').execute();
  }

  async insert(row: Omit<ApiTokenTable, 'id' | 'revoked_at' | 'last_used_at'>): Promise<number> {
    const r = await this.db.insertInto('api_tokens').values({ ...row, revoked_at: null, last_used_at: null }).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  async revoke(id: number, now: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async touch(id: number, now: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
