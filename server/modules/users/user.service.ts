import crypto from 'node:crypto';
import type { Actor } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { ROLES, type Role } from '../../plugins/permissions.ts';
import { hashPassword, verifyPassword } from './password.ts';
import type { UserRepository } from './user.repository.ts';

/** Idle timeout of a session (等保: session timeout). The accounts issue turns this into a setting. */
export const SESSION_IDLE_MINUTES = 30;

/** sha-256 of a session token: what the sessions table stores. */
export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function minutesFrom(now: Date, minutes: number): string {
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** Sign-in, sessions and account creation. */
export class UserService {
  private readonly users: UserRepository;
  constructor(users: UserRepository) {
    this.users = users;
  }

  /** Checks the password and opens a session; returns the token for the cookie. */
  async login(username: string, password: string, meta: { ip: string | null; userAgent: string | null }): Promise<{ token: string; userId: number }> {
    const user = await this.users.findByUsername(username);
    const ok = user && user.is_active === 1 && (await verifyPassword(password, user.password_hash));
    if (!user || !ok) throw new AppError('unauthenticated', '用户名或密码错误');
    const token = crypto.randomBytes(32).toString('base64url');
    const now = new Date();
    await this.users.insertSession({
      id: sessionIdOf(token), user_id: user.id, created_at: now.toISOString(), last_seen_at: now.toISOString(),
      expires_at: minutesFrom(now, SESSION_IDLE_MINUTES), ip: meta.ip, user_agent: meta.userAgent,
    });
    return { token, userId: user.id };
  }

  /** Resolves a session token to its actor and slides the idle timeout; undefined when absent or expired. */
  async findActorBySession(token: string): Promise<Actor | undefined> {
    const now = new Date();
    const row = await this.users.findSessionActor(sessionIdOf(token), now.toISOString());
    if (!row || row.is_active !== 1) return undefined;
    // Refresh at most once a minute to keep reads cheap.
    if (Date.parse(row.expires_at) - now.getTime() < (SESSION_IDLE_MINUTES - 1) * 60_000) {
      await this.users.touchSession(row.session_id, now.toISOString(), minutesFrom(now, SESSION_IDLE_MINUTES));
    }
    const role = row.role as Role;
    const seesAll = role !== 'reporter' || row.unit_path === null;
    return {
      userId: row.id, username: row.username, displayName: row.display_name, role, unitId: row.unit_id,
      scope: seesAll ? { all: true, unitPaths: [], regionPaths: [] } : { all: false, unitPaths: [row.unit_path!], regionPaths: [] },
    };
  }

  async logout(token: string): Promise<void> {
    await this.users.deleteSession(sessionIdOf(token));
  }

  /** Creates an account; the password must be changed at first sign-in unless mustChange is false. */
  async createUser(input: { username: string; displayName: string; password: string; role: string; unitId: number | null; mustChange?: boolean }): Promise<number> {
    if (!(ROLES as readonly string[]).includes(input.role)) throw new AppError('validation_failed', `未知角色：${input.role}`);
    if (await this.users.findByUsername(input.username)) throw new AppError('conflict', `用户名已存在：${input.username}`);
    return this.users.insertUser({
      username: input.username, display_name: input.displayName, unit_id: input.unitId,
      password_hash: await hashPassword(input.password), role: input.role, must_change_password: input.mustChange === false ? 0 : 1,
    }, new Date().toISOString());
  }
}
