import crypto from 'node:crypto';
import type { Actor } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { isPermission, roleHas, type Permission, type Role } from '../../plugins/permissions.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserRepository } from '../users/user.repository.ts';
import { sessionIdOf } from '../users/user.service.ts';
import type { TokenRepository } from './token.repository.ts';
import { clock } from '../../clock.ts';

/** Prefix of every API token secret, so that a leaked one is easy to recognise in logs and scanners. */
export const TOKEN_PREFIX = 'dkt_';

const present = <T extends { permissions: string }>(t: T): Omit<T, 'permissions'> & { permissions: Permission[] } =>
  ({ ...t, permissions: JSON.parse(t.permissions) as Permission[] });

/** API tokens for integrations: stored hashed, limited to chosen permissions, expiring, revocable. */
export class TokenService {
  private readonly tokens: TokenRepository;
  private readonly users: UserRepository;
  private readonly audit: AuditService;
  constructor(tokens: TokenRepository, users: UserRepository, audit: AuditService) {
    this.tokens = tokens;
    this.users = users;
    this.audit = audit;
  }

  /** Issues a token acting as an account, limited to permissions that account's role holds; the secret is returned once. */
  async issue(actor: Actor, input: { name: string; user_id: number; permissions: string[]; expires_at: string }) {
    const user = await this.users.findById(input.user_id);
    if (!user || user.is_active !== 1) throw new AppError('validation_failed', '令牌所属账号不存在或已停用', { path: 'user_id' });
    const unknown = input.permissions.filter((p) => !isPermission(p) || p === 'public');
    if (unknown.length > 0) throw new AppError('validation_failed', `未知权限：${unknown.join('、')}`, { path: 'permissions' });
    const beyond = input.permissions.filter((p) => !roleHas(user.role as Role, p as Permission));
    if (beyond.length > 0) throw new AppError('validation_failed', `账号 ${user.username} 的角色不具备这些权限：${beyond.join('、')}`, { path: 'permissions' });
    const now = clock.now();
    if (Date.parse(input.expires_at) <= now.getTime()) throw new AppError('validation_failed', '有效期须晚于当前时间', { path: 'expires_at' });
    const secret = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
    const permissions = [...new Set(input.permissions)];
    const id = await this.tokens.transaction(async (repo, trx) => {
      const newId = await repo.insert({
        name: input.name, token_hash: sessionIdOf(secret), user_id: user.id, permissions: JSON.stringify(permissions),
        expires_at: new Date(input.expires_at).toISOString(), created_at: now.toISOString(), created_by: actor.userId,
      });
      await this.audit.record(trx, actor, {
        action: 'token.issue', entityType: 'api_token', entityId: newId,
        after: { name: input.name, user_id: user.id, permissions, expires_at: input.expires_at },
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

  async list() {
    return { items: (await this.tokens.list()).map(present) };
  }

  async revoke(actor: Actor, id: number) {
    const before = await this.get(id);
    await this.tokens.transaction(async (repo, trx) => {
      await repo.revoke(id, clock.now().toISOString());
      await this.audit.record(trx, actor, { action: 'token.revoke', entityType: 'api_token', entityId: id, before: { revoked_at: before.revoked_at } });
    });
    return this.get(id);
  }

  /** The token's account and permissions, or undefined when unknown, revoked or expired. */
  async authenticate(secret: string, now = clock.now()): Promise<{ userId: number; permissions: Permission[] } | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const t = await this.tokens.findUsableByHash(sessionIdOf(secret), now.toISOString());
    if (!t) return undefined;
    if (!t.last_used_at || now.getTime() - Date.parse(t.last_used_at) > 60_000) await this.tokens.touch(t.id, now.toISOString());
    return { userId: t.user_id, permissions: present(t).permissions };
  }
}
