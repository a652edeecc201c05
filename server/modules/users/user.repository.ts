import type { Executor } from '../../db/database.ts';

/** All SQL for users and sessions. */
export class UserRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  findByUsername(username: string) {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /** The session's user with the unit path that defines the user's data scope. */
  findSessionActor(sessionId: string, now: string) {
    return this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('units as un', 'un.id', 'u.unit_id')
      .select(['s.id as session_id', 's.expires_at', 'u.id', 'u.username', 'u.display_name', 'u.role', 'u.unit_id', 'u.is_active', 'u.must_change_password', 'un.path as unit_path'])
      .where('s.id', '=', sessionId)
      .where('s.expires_at', '>', now)
      .executeTakeFirst();
  }

  async insertUser(row: { username: string; display_name: string; unit_id: number | null; password_hash: string; role: string; must_change_password: number }, now: string): Promise<number> {
    const r = await this.db
      .insertInto('users')
      .values({ ...row, is_active: 1, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async insertSession(row: { id: string; user_id: number; created_at: string; last_seen_at: string; expires_at: string; ip: string | null; user_agent: string | null }): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async touchSession(id: string, now: string, expiresAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }
}
