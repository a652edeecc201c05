import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Updateable } from 'kysely';

const PUBLIC_USER_COLUMNS = [
  'u.id', 'u.username', 'u.display_name', 'u.unit_id', 'u.role', 'u.must_change_password', 'u.is_active', 'u.created_at',
  'u.updated_at', 'u.password_changed_at', 'u.failed_logins', 'u.locked_until', 'u.last_login_at', 'u.last_login_ip',
  'u.approval_pending_since', 'u.approval_reason',
] as const;

/** All SQL for users, sessions, password history and data scopes. */
export class UserRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  findByUsername(username: string) {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /** Accounts of these usernames (a user list imported twice): name, unit and phone to compare. */
  async listByUsernames(usernames: readonly string[]) {
    const rows: { id: number; username: string; display_name: string; unit_id: number | null; role: string; phone: string | null }[] = [];
    for (let i = 0; i < usernames.length; i += 500) {
      const chunk = usernames.slice(i, i + 500);
      if (chunk.length) rows.push(...await this.db.selectFrom('users').select(['id', 'username', 'display_name', 'unit_id', 'role', 'phone']).where('username', 'in', chunk).execute());
    }
    return rows;
  }

  findById(id: number) {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A user without the password hash, for the administration API. */
  findPublicById(id: number) {
    return this.db.selectFrom('users as u').select(PUBLIC_USER_COLUMNS).where('u.id', '=', id).executeTakeFirst();
  }

  async listPublic(filter: { q?: string; role?: string; unitId?: number; page: number; pageSize: number }) {
    let base = this.db.selectFrom('users as u');
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      base = base.where((eb) => eb.or([
        eb(sql<string>`u.username`, 'like', pattern), eb(sql<string>`u.display_name`, 'like', pattern),
      ]));
    }
    if (filter.role) base = base.where('u.role', '=', filter.role);
    if (filter.unitId) base = base.where('u.unit_id', '=', filter.unitId);
    const [items, total] = await Promise.all([
      base.select(PUBLIC_USER_COLUMNS).orderBy('u.username').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  /** The session's user with the unit path that defines the user's default data scope. */
  findSessionActor(sessionId: string, now: string) {
    return this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('units as un', 'un.id', 'u.unit_id')
      .select([
        's.id as session_id', 's.expires_at', 's.last_seen_at', 's.csrf_hash', 'u.id', 'u.username', 'u.display_name', 'u.role',
        'u.unit_id', 'u.is_active', 'u.must_change_password', 'u.password_changed_at', 'u.created_at', 'un.path as unit_path',
        // Read with the session so that a request pays one statement (issue 16): the password expiry setting's stored
        // value (decoded by the caller, null = the default) and whether explicit scope rows exist at all (most
        // accounts have none; only then are they listed).
        (eb) => eb.selectFrom('security_settings').select('value').where('key', '=', 'password_expiry_days').as('password_expiry_days_value'),
        (eb) => eb.exists(eb.selectFrom('user_scopes as us').select('us.id').whereRef('us.user_id', '=', 'u.id')).as('has_scopes'),
      ])
      .where('s.id', '=', sessionId)
      .where('s.expires_at', '>', now)
      .executeTakeFirst();
  }

  /** The user with its unit's path, for API tokens. */
  findUserWithUnitPath(userId: number) {
    return this.db.selectFrom('users as u').leftJoin('units as un', 'un.id', 'u.unit_id')
      .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.unit_id', 'u.is_active', 'un.path as unit_path'])
      .where('u.id', '=', userId).executeTakeFirst();
  }

  /** The explicit scope rows of a user, with the paths of their units and regions. */
  listScopePaths(userId: number) {
    return this.db.selectFrom('user_scopes as us')
      .leftJoin('units as un', 'un.id', 'us.unit_id')
      .leftJoin('regions as r', 'r.code', 'us.region_code')
      .select(['us.unit_id', 'us.region_code', 'un.path as unit_path', 'r.path as region_path', 'un.name as unit_name', 'r.name as region_name'])
      .where('us.user_id', '=', userId)
      .orderBy('us.id')
      .execute();
  }

  /** The ids among these that name live units. */
  async listExistingUnitIds(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('units').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute();
    return rows.map((r) => r.id);
  }

  /** The codes among these that name regions. */
  async listExistingRegionCodes(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows = await this.db.selectFrom('regions').select('code').where('code', 'in', codes).execute();
    return rows.map((r) => r.code);
  }

  async replaceScopes(userId: number, scopes: { unit_id: number | null; region_code: string | null }[]): Promise<void> {
    await this.db.deleteFrom('user_scopes').where('user_id', '=', userId).execute();
    if (scopes.length > 0) await this.db.insertInto('user_scopes').values(scopes.map((s) => ({ ...s, user_id: userId }))).execute();
  }

  async insertUser(row: { username: string; display_name: string; unit_id: number | null; password_hash: string; role: string; must_change_password: number; approval_pending_since?: string; approval_reason?: string; approval_requested_by?: string }, now: string): Promise<number> {
    const r = await this.db
      .insertInto('users')
      .values({ ...row, is_active: 1, created_at: now, updated_at: now, password_changed_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Accounts waiting for the security administrator's approval, oldest first (with their unit's name). */
  async listAwaitingApproval() {
    return this.db.selectFrom('users as u').leftJoin('units as un', 'un.id', 'u.unit_id')
      .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.unit_id', 'un.name as unit_name', 'u.is_active', 'u.approval_pending_since', 'u.approval_reason', 'u.approval_requested_by'])
      .where('u.approval_pending_since', 'is not', null).orderBy('u.approval_pending_since').orderBy('u.id').limit(500).execute();
  }

  async updateUser(id: number, patch: Updateable<DB['users']>): Promise<void> {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  /**
   * Claims one password check for a sign-in, atomically in the database (so it holds across connections and
   * servers): the attempt is counted as a failure before the password is checked, and only `threshold` attempts
   * since the last success or lock may be in flight or failed. A lock that has run out starts a fresh count.
   * Returns the attempt's number, or undefined when the account is locked or its attempts are used up; the
   * attempt that reaches the threshold sets locked_until (a right password among the claimed ones clears it).
   */
  async claimLoginAttempt(id: number, now: string, threshold: number, lockUntil: string): Promise<number | undefined> {
    const expired = sql<boolean>`(locked_until is not null and locked_until <= ${now})`;
    const next = sql<number>`(case when ${expired} then 1 else failed_logins + 1 end)`;
    const r = await this.db.updateTable('users')
      .set({
        failed_logins: next,
        locked_until: sql<string | null>`(case when ${next} >= ${threshold} then ${lockUntil} else null end)`,
      })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('locked_until', 'is', null).and('failed_logins', '<', threshold), eb('locked_until', '<=', now)]))
      .returning('failed_logins').executeTakeFirst();
    return r ? Number(r.failed_logins) : undefined;
  }

  /** Gives back a claimed attempt whose password was never checked (the hashing gate was busy). */
  async releaseLoginAttempt(id: number): Promise<void> {
    await this.db.updateTable('users').set((eb) => ({ failed_logins: eb('failed_logins', '-', 1) })).where('id', '=', id).where('failed_logins', '>', 0).execute();
  }

  async recordSuccessfulLogin(id: number, now: string, ip: string | null): Promise<void> {
    await this.db.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now, last_login_ip: ip }).where('id', '=', id).execute();
  }

  /** The most recent password hashes of a user, newest first. */
  async listRecentPasswordHashes(userId: number, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.db.selectFrom('password_history').select('password_hash').where('user_id', '=', userId)
      .orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => r.password_hash);
  }

  async insertPasswordHistory(userId: number, passwordHash: string, now: string): Promise<void> {
    await this.db.insertInto('password_history').values({ user_id: userId, password_hash: passwordHash, created_at: now }).execute();
  }

  async insertSession(row: { id: string; user_id: number; created_at: string; last_seen_at: string; expires_at: string; ip: string | null; user_agent: string | null; csrf_hash: string }): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async touchSession(id: string, now: string, expiresAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Ends every session of a user except, optionally, one; returns how many ended. */
  async deleteSessionsOfUser(userId: number, exceptId?: string): Promise<number> {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Ends the oldest live sessions of a user beyond the first `keep` (newest first). */
  async trimSessions(userId: number, keep: number, now: string): Promise<number> {
    const live = await this.db.selectFrom('sessions').select('id').where('user_id', '=', userId).where('expires_at', '>', now)
      .orderBy('created_at', 'desc').orderBy('id').execute();
    const ended = live.slice(keep).map((s) => s.id);
    if (ended.length > 0) await this.db.deleteFrom('sessions').where('id', 'in', ended).execute();
    // Expired sessions of the user are garbage: remove them on the way.
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
    return ended.length;
  }
}
