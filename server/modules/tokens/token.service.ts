import crypto from 'node:crypto';
import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import { isPermission, roleHas, type Permission, type Role } from '../../plugins/permissions.ts';
import { sessionIdOf, type UserService } from '../users/index.ts';
import type { TokenRepository } from './token.repository.ts';

/** Prefix of every API token secret, so that a leaked one is easy to recognise in logs and scanners. */
export const TOKEN_PREFIX = 'dkt_';

const present = <T extends { permissions: string }>(t: T): Omit<T, 'permissions'> & { permissions: Permission[] } =>
  ({ ...t, permissions: JSON.parse(t.permissions) as Permission[] });

/** API tokens for integrations: stored hashed, limited to chosen permissions, expiring, revocable. */
export class TokenService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => TokenRepository;
  private readonly tokens: TokenRepository;
  private readonly users: UserService;
  constructor(deps: Deps, repo: (db: Executor) => TokenRepository, users: UserService) {
    this.deps = deps;
    this.repo = repo;
    this.tokens = repo(deps.db);
    this.users = users;
  }

  /**
   * Issues a token for the actor's own account (三员: nobody mints a token acting as someone else, so the system
   * administrator can never hold a business permission through one), limited to permissions the actor's role holds;
   * the secret is returned once. A token cannot issue tokens: only a signed-in holder can.
   */
  async issue(actor: Actor, input: { name: string; user_id?: number; permissions: string[]; expires_at?: string; expires_in_days?: number }, via: 'session' | 'token' | null) {
    if (via !== 'session') throw new AppError('forbidden', 'API 令牌只能由持有人登录后签发，不能用令牌签发令牌');
    if (input.user_id !== undefined && input.user_id !== actor.userId) {
      throw new AppError('forbidden', 'API 令牌只能由其持有人本人签发：不能为其他账号签发令牌', { path: 'user_id' });
    }
    const user = await this.users.findAccount(actor.userId);
    if (!user || user.is_active !== 1) throw new AppError('validation_failed', '令牌所属账号不存在或已停用', { path: 'user_id' });
    const unknown = input.permissions.filter((p) => !isPermission(p) || p === 'public');
    if (unknown.length > 0) throw new AppError('validation_failed', `未知权限：${unknown.join('、')}`, { path: 'permissions' });
    const beyond = input.permissions.filter((p) => !roleHas(user.role as Role, p as Permission));
    if (beyond.length > 0) throw new AppError('validation_failed', `账号 ${user.username} 的角色不具备这些权限：${beyond.join('、')}`, { path: 'permissions' });
    const now = this.deps.clock.now();
    const expiresAt = input.expires_at ?? new Date(now.getTime() + (input.expires_in_days ?? 0) * 86_400_000).toISOString();
    if (Date.parse(expiresAt) <= now.getTime()) throw new AppError('validation_failed', '有效期须晚于当前时间', { path: 'expires_at' });
    const secret = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
    const permissions = [...new Set(input.permissions)];
    const id = await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const newId = await repo.insert({
        name: input.name, token_hash: sessionIdOf(secret), user_id: user.id, permissions: JSON.stringify(permissions),
        expires_at: new Date(expiresAt).toISOString(), created_at: now.toISOString(), created_by: actor.userId,
      });
      await this.deps.audit.record(trx, actor, {
        action: 'token.issue', entityType: 'api_token', entityId: newId,
        after: { name: input.name, user_id: user.id, permissions, expires_at: expiresAt },
      });
      return newId;
    });
    return { ...(await this.get(id)), token: secret };
  }

  async get(id: number) {
    const t = await this.tokens.findById(id);
    if (!t) throw notFound('令牌');
    return present(t);
  }

  /** Every token (the system administrator's overview); with an owner, only that account's own tokens. */
  async list(ownerId?: number) {
    return { items: (await this.tokens.list(ownerId)).map(present) };
  }

  /** Revokes a token; with an owner, only one of that account's own (another's answers 404). */
  async revoke(actor: Actor, id: number, ownerId?: number) {
    const before = await this.get(id);
    if (ownerId !== undefined && before.user_id !== ownerId) throw notFound('令牌');
    await inTransaction(this.deps.db, async (trx) => {
      await this.repo(trx).revoke(id, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, { action: 'token.revoke', entityType: 'api_token', entityId: id, before: { revoked_at: before.revoked_at } });
    });
    return this.get(id);
  }

  /** The token's account and permissions, or undefined when unknown, revoked or expired. */
  async authenticate(secret: string, now = this.deps.clock.now()): Promise<{ id: number; name: string; userId: number; permissions: Permission[] } | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const t = await this.tokens.findUsableByHash(sessionIdOf(secret), now.toISOString());
    if (!t) return undefined;
    if (!t.last_used_at || now.getTime() - Date.parse(t.last_used_at) > 60_000) await this.tokens.touch(t.id, now.toISOString());
    return { id: t.id, name: t.name, userId: t.user_id, permissions: present(t).permissions };
  }
}
