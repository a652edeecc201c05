import crypto from 'node:crypto';
import { describePasswordPolicy, passwordProblems } from '../../../core/password-policy.ts';
import { emptyScope, type Actor, type DataScope, type Origin } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { ADMIN_ROLES, ROLES, type Role } from '../../plugins/permissions.ts';
import type { ApprovalReason } from './user-admin.responses.ts';
import { decodeSecuritySetting, readSecuritySettings, type SecuritySettings } from '../security/index.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { hashPassword, passwords, verifyPassword } from './password.ts';
import { passwordGate, passwordGateBusy, type GatePriority } from './password-gate.ts';
import { isDeviceClaimValid, newDeviceKey, parseDeviceCookie, signDeviceCookie } from './device-cookie.ts';
import { DeviceKeyRepository } from './device-key.repository.ts';
import { signInLanes, type LaneTicket } from './sign-in-lanes.ts';
import type { UserRepository } from './user.repository.ts';

type UserRow = NonNullable<Awaited<ReturnType<UserRepository['findByUsername']>>>;

/** sha-256 of a session or CSRF token: what the database stores. */
export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function minutesFrom(now: Date, minutes: number): string {
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** What a successful sign-in returns to the client (besides the cookies). */
export interface LoginResult {
  token: string;
  csrfToken: string;
  user: Actor;
  mustChangePassword: boolean;
  passwordExpired: boolean;
  passwordExpiresAt: string | null;
  /** The previous successful sign-in (等保: show the last login on sign-in). */
  lastLogin: { at: string; ip: string | null } | null;
  /** Older sessions ended by the concurrent-session limit. */
  sessionsEnded: number;
  /** An administrator's reset awaiting the holder's own new password: shown to the holder (三员 transparency). */
  passwordReset: { at: string; by: string | null } | null;
  /** The security settings the sign-in ran under (the answer quotes the idle timeout and password rules). */
  settings: SecuritySettings;
  /** The known-device cookie's new value for this account (device-cookie.ts). */
  deviceCookie: string;
}

/** A resolved cookie session. */
export interface SessionInfo {
  actor: Actor;
  sessionId: string;
  csrfHash: string | null;
  /** First sign-in or an expired password: only changing the password and signing out are allowed. */
  mustChangePassword: boolean;
}

/** Account fields the administration API may change. */
export interface UserPatch {
  display_name?: string;
  role?: string;
  unit_id?: number | null;
  is_active?: boolean;
  scopes?: ScopeInput;
}

/** Data scope as the API takes it: unit subtrees and region subtrees. */
export interface ScopeInput {
  unit_ids: number[];
  region_codes: string[];
}

type ScopeRow = { unit_id: number | null; region_code: string | null; unit_path: string | null; region_path: string | null };

/**
 * The data scope of an account: the 三员 see no project data; explicit scope rows give the union of their unit
 * and region subtrees; otherwise a reporter sees its own unit's subtree (nothing without a unit) and the other
 * business roles see everything.
 */
export function scopeOf(role: Role, unitPath: string | null, rows: ScopeRow[]): DataScope {
  if (ADMIN_ROLES.includes(role)) return emptyScope();
  if (rows.length > 0) {
    return {
      all: false,
      unitPaths: rows.flatMap((r) => (r.unit_path ? [r.unit_path] : [])),
      regionPaths: rows.flatMap((r) => (r.region_path ? [r.region_path] : [])),
    };
  }
  if (role === 'reporter') return unitPath ? { all: false, unitPaths: [unitPath], regionPaths: [] } : emptyScope();
  return { all: true, unitPaths: [], regionPaths: [] };
}

/** A random password that satisfies the policy, for resets and new accounts. */
export function temporaryPassword(settings: SecuritySettings): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '#@%+=!?'];
  const length = Math.max(12, settings.password_min_length);
  const chars = sets.map((s) => s[crypto.randomInt(s.length)]!);
  const all = sets.join('');
  while (chars.length < length) chars.push(all[crypto.randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

let dummyHash: Promise<string> | undefined;

/** The hash an unknown name's password is checked against: made once per process, with the parameters in force. */
function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword(crypto.randomBytes(18).toString('base64')));
}

/**
 * A 责任单位填报员 reports for its unit: without one it would see an empty dashboard and grid, so the account is
 * refused (the form says the same before sending).
 */
function checkUnitOfRole(role: string, unitId: number | null | undefined): void {
  if (role === 'reporter' && !unitId) throw new AppError('validation_failed', '责任单位填报员须选择所属单位（其数据范围为本单位及下级单位）', [{ path: 'unit_id' }]);
}

/** Sign-in with lockout, sessions, password rules and the account administration of the system administrator. */
export class UserService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => UserRepository;
  private readonly users: UserRepository;
  private readonly deviceKeys: DeviceKeyRepository;
  constructor(deps: Deps, repo: (db: Executor) => UserRepository) {
    this.deps = deps;
    this.repo = repo;
    this.users = repo(deps.db);
    this.deviceKeys = new DeviceKeyRepository(deps.db);
  }

  /** The security settings in force (password rules, lockout, sessions). */
  async settings(): Promise<SecuritySettings> {
    return readSecuritySettings(this.deps.db);
  }

  private async actorFor(user: { id: number; username: string; display_name: string; role: string; unit_id: number | null; unit_path: string | null }, origin?: Origin): Promise<Actor> {
    const role = user.role as Role;
    const rows = await this.users.listScopePaths(user.id);
    return {
      userId: user.id, username: user.username, displayName: user.display_name, role, unitId: user.unit_id,
      scope: scopeOf(role, user.unit_path, rows), ...(origin ? { origin } : {}),
    };
  }

  /**
   * Signs in through the process's sign-in lanes (sign-in-lanes.ts): the route admits the request before reading
   * its body and hands over its `ticket` (a caller without one is admitted here). A request with a well-formed
   * device cookie holds a place in the known-device lane, and only a cookie signed with the current key (read from
   * the database) for the account named keeps it there, exempts it from the per-address rate limit (`checkAddress`,
   * a database counter) and puts its password check first in the gate; anything else goes the other lane's way,
   * whether the name exists or not. The password check and the lockout are the same on every lane (login). The
   * place is held until the sign-in is done. A successful sign-in returns a fresh device cookie for the account.
   */
  async signIn(username: string, password: string, origin: Origin, opts: { deviceCookie?: string; checkAddress?: () => Promise<void>; ticket?: LaneTicket } = {}): Promise<LoginResult> {
    const claim = parseDeviceCookie(opts.deviceCookie, this.deps.clock.now());
    let ticket = opts.ticket ?? await signInLanes.enter(claim ? 'device' : 'other');
    try {
      let found: UserRow | undefined;
      let key: string | undefined;
      let knownDevice = false;
      let lookedUp = false;
      if (ticket.lane === 'device') {
        if (claim) {
          key = await this.deviceKeys.findKey();
          found = await this.users.findByUsername(username);
          lookedUp = true;
          knownDevice = isDeviceClaimValid(claim, key, found);
        }
        if (!knownDevice) ticket = await signInLanes.demote(ticket);
      }
      if (!knownDevice) await opts.checkAddress?.();
      return await this.login(username, password, origin, { found, lookedUp, knownDevice, key });
    } finally {
      ticket.release();
      opts.ticket?.release();
    }
  }

  /**
   * Checks the password and opens a session. Each check is first claimed in the users table with one atomic
   * UPDATE (counted as a failure up front, the lock set by the attempt that reaches the threshold), so however many
   * sign-ins race on however many servers, at most lockout_threshold passwords are checked before the lock, a
   * locked account is refused before its password is checked, and a right password cannot clear a lock it did not
   * claim before. Hashing runs through the process's bounded PasswordGate.
   */
  async login(username: string, password: string, origin: Origin, known: { found?: UserRow; lookedUp?: boolean; knownDevice?: boolean; key?: string } = {}): Promise<LoginResult> {
    const now = this.deps.clock.now();
    const found = known.lookedUp ? known.found : await this.users.findByUsername(username);
    // A name that does not exist runs the same statements and the same password check as a wrong password (issue
    // 14, item 4: unknown names answered ~35 ms sooner, which told which names exist): the claim (on no row), one
    // scrypt verify against a dummy hash made by the same hashPassword (same N, r, p, salt and key length), and one
    // failure row written the same way. It also waits in the same place in the hashing queue: only a known device
    // goes first; a real account without one waits with the unknown names (a real account served first, or refused
    // less often, answered a flooder sooner or with 401 instead of 429 and so told which names exist).
    // When the gate's queue for them is full, the sign-in is refused here, before the settings read, the claim, the
    // dummy check and the failure row, whether the name exists or not.
    const priority: GatePriority = known.knownDevice ? 'device' : 'low';
    if (passwordGate.isFull(priority)) throw passwordGateBusy();
    const settings = await this.settings();
    const failure = (reason: string, userId: number | null, extra?: object) => inTransaction(this.deps.db, (trx) =>
      this.deps.audit.record(trx, null, { action: 'auth.login', outcome: 'failure', userId, username, origin, details: { reason, ...extra } }));
    // One answer for an unknown name, a wrong password and a locked account (issue 14): a distinct 账号已锁定 told
    // which names exist. The lock shows in the audit trail (reason 'locked', auth.lockout) and on the admin's list.
    const wrong = new AppError('unauthenticated', `用户名或密码错误，或账号已锁定（连续失败 ${settings.lockout_threshold} 次锁定 ${settings.lockout_minutes} 分钟，可联系系统管理员解锁）`);

    const lockUntil = minutesFrom(now, settings.lockout_minutes);
    const attempt = await this.users.claimLoginAttempt(found?.id ?? 0, now.toISOString(), settings.lockout_threshold, lockUntil);
    // A locked account (the claim refused) is checked like an unknown name: the same dummy verify in the same
    // queue, the same failure row and the same answer, so neither its existence nor its lock shows to the caller.
    const locked = found !== undefined && attempt === undefined;
    const checked = locked ? undefined : found;
    const stored = checked?.password_hash ?? await dummyPasswordHash();
    let matches: boolean;
    try {
      matches = await passwordGate.run(checked ? priority : 'low', () => passwords.verify(password, stored));
    } catch (e) {
      // Refused by the gate (busy): the claimed attempt checked nothing, so it does not count.
      if (checked) await this.users.releaseLoginAttempt(checked.id);
      throw e;
    }
    if (!checked || !matches) {
      const failures = attempt ?? 0;
      const locks = checked !== undefined && failures >= settings.lockout_threshold;
      await inTransaction(this.deps.db, async (trx) => {
        await this.deps.audit.record(trx, null, {
          action: 'auth.login', outcome: 'failure', userId: found?.id ?? null, username, origin,
          details: locked ? { reason: 'locked' } : checked ? { reason: 'bad_password', failed_logins: failures } : { reason: 'unknown_user' },
        });
        if (!locks) return;
        await this.deps.audit.record(trx, null, {
          action: 'auth.lockout', outcome: 'failure', userId: checked.id, username, origin, entityType: 'user', entityId: checked.id,
          details: { failed_logins: failures, locked_until: lockUntil },
        });
      });
      throw wrong;
    }
    const user = checked;
    if (user.is_active !== 1) {
      await failure('disabled', user.id);
      throw new AppError('unauthenticated', '账号已停用，请联系系统管理员');
    }
    if (user.approval_pending_since) {
      // 三员: what the system administrator created or reset is not usable until the security administrator approves.
      await this.users.releaseLoginAttempt(user.id); // the password was right: not a failure towards the lockout
      await failure('awaiting_approval', user.id, { reason_for_approval: user.approval_reason });
      throw awaitingApproval();
    }

    const token = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(32).toString('base64url');
    const nowIso = now.toISOString();
    const sessionsEnded = await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await repo.recordSuccessfulLogin(user.id, nowIso, origin.ip);
      await repo.insertSession({
        id: sessionIdOf(token), user_id: user.id, created_at: nowIso, last_seen_at: nowIso,
        expires_at: minutesFrom(now, settings.session_idle_minutes), ip: origin.ip, user_agent: origin.userAgent, csrf_hash: sessionIdOf(csrfToken),
      });
      const ended = await repo.trimSessions(user.id, settings.max_sessions, nowIso);
      await this.deps.audit.record(trx, null, {
        action: 'auth.login', userId: user.id, username, origin, entityType: 'user', entityId: user.id,
        details: ended > 0 ? { sessions_ended: ended, max_sessions: settings.max_sessions } : undefined,
      });
      return ended;
    });
    const unit = user.unit_id ? await this.users.findUserWithUnitPath(user.id) : undefined;
    const expiresAt = passwordExpiresAt(user, settings);
    const passwordExpired = expiresAt !== null && expiresAt <= nowIso;
    return {
      token, csrfToken, sessionsEnded,
      user: await this.actorFor({ ...user, unit_path: unit?.unit_path ?? null }),
      mustChangePassword: user.must_change_password === 1 || passwordExpired,
      passwordExpired, passwordExpiresAt: expiresAt,
      lastLogin: user.last_login_at ? { at: user.last_login_at, ip: user.last_login_ip } : null,
      passwordReset: user.must_change_password === 1 && user.password_reset_at ? { at: user.password_reset_at, by: user.password_reset_by } : null,
      settings,
      deviceCookie: signDeviceCookie(known.key ?? await this.deviceKeys.getOrCreateKey(newDeviceKey(), nowIso), user, now),
    };
  }

  /** Resolves a session token and slides the idle timeout; undefined when absent, expired or the account is off. */
  async findSession(token: string, origin?: Origin): Promise<SessionInfo | undefined> {
    const now = this.deps.clock.now();
    // One statement for the session, its user, the password expiry setting and whether scope rows exist (issue 16).
    const row = await this.users.findSessionActor(sessionIdOf(token), now.toISOString());
    if (!row || row.is_active !== 1) return undefined;
    // Refresh at most once a minute to keep reads cheap.
    if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
      const settings = await this.settings();
      await this.users.touchSession(row.session_id, now.toISOString(), minutesFrom(now, settings.session_idle_minutes));
    }
    let mustChangePassword = row.must_change_password === 1;
    if (!mustChangePassword) {
      const expiresAt = passwordExpiresAt(row, { password_expiry_days: decodeSecuritySetting('password_expiry_days', row.password_expiry_days_value) });
      mustChangePassword = expiresAt !== null && expiresAt <= now.toISOString();
    }
    const role = row.role as Role;
    const rows = !ADMIN_ROLES.includes(role) && isTrue(row.has_scopes) ? await this.users.listScopePaths(row.id) : [];
    const actor: Actor = {
      userId: row.id, username: row.username, displayName: row.display_name, role, unitId: row.unit_id,
      scope: scopeOf(role, row.unit_path, rows), ...(origin ? { origin } : {}),
    };
    return { actor, sessionId: row.session_id, csrfHash: row.csrf_hash, mustChangePassword };
  }

  /** The actor of a session token (no CSRF, no password-change gate): for tests and internal callers. */
  async findActorBySession(token: string): Promise<Actor | undefined> {
    return (await this.findSession(token))?.actor;
  }

  /** An account's name, role and activity by id (the token service checks the holder), or undefined. */
  async findAccount(id: number): Promise<{ id: number; username: string; role: string; is_active: number } | undefined> {
    const user = await this.users.findById(id);
    return user && { id: user.id, username: user.username, role: user.role, is_active: user.is_active };
  }

  /** An account's id by its user name, or undefined (the CLI's approve). */
  async findAccountByUsername(username: string): Promise<{ id: number } | undefined> {
    const row = await this.users.findByUsername(username);
    return row && { id: row.id };
  }

  /** The actor of an account by its user name (the CLI's signer), when it exists and is active. */
  async findActorByUsername(username: string): Promise<Actor | undefined> {
    const row = await this.users.findByUsername(username);
    return row ? this.findActorForUser(row.id) : undefined;
  }

  /** The actor an API token acts as: its account, when active. */
  async findActorForUser(userId: number, origin?: Origin): Promise<Actor | undefined> {
    const user = await this.users.findUserWithUnitPath(userId);
    if (!user || user.is_active !== 1) return undefined;
    return this.actorFor(user, origin);
  }

  async logout(token: string, actor: Actor): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await repo.deleteSession(sessionIdOf(token));
      await this.deps.audit.record(trx, actor, { action: 'auth.logout', entityType: 'user', entityId: actor.userId });
    });
  }

  /** Signs the actor out everywhere (every session of the account). */
  async logoutEverywhere(actor: Actor): Promise<number> {
    return inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const ended = await repo.deleteSessionsOfUser(actor.userId);
      await this.deps.audit.record(trx, actor, { action: 'auth.logout_all', entityType: 'user', entityId: actor.userId, details: { sessions_ended: ended } });
      return ended;
    });
  }

  /**
   * Replaces the key that signs device cookies (the security administrator, e.g. after a browser was lost): every
   * known device becomes unknown at once on every server; sign-ins themselves are not affected.
   */
  async rotateDeviceKey(actor: Actor): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      await new DeviceKeyRepository(trx).replaceKey(newDeviceKey(), this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, { action: 'security.device_key_rotate' });
    });
  }

  /** Checks complexity and history; throws validation_failed with the Chinese problems. */
  private async checkNewPassword(userId: number | null, username: string, password: string, settings: SecuritySettings, currentHash?: string): Promise<void> {
    const policy = { minLength: settings.password_min_length, minClasses: settings.password_min_classes };
    const problems = passwordProblems(password, policy, username);
    if (problems.length > 0) {
      throw new AppError('validation_failed', `${problems.join('；')}。${describePasswordPolicy(policy)}`, { path: 'password', problems });
    }
    if (userId === null || settings.password_history === 0) return;
    const recent = await this.users.listRecentPasswordHashes(userId, settings.password_history);
    for (const hash of currentHash ? [currentHash, ...recent] : recent) {
      if (await passwordGate.run('high', () => verifyPassword(password, hash))) {
        throw new AppError('validation_failed', `新密码不得与最近 ${settings.password_history} 次使用过的密码相同`, { path: 'password', problems: ['reused'] });
      }
    }
  }

  /** Changes the actor's own password; other sessions of the account end. */
  async changePassword(actor: Actor, sessionToken: string | undefined, current: string, next: string): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw notFound('账号');
    if (!(await passwordGate.run('high', () => verifyPassword(current, user.password_hash)))) {
      await inTransaction(this.deps.db, (trx) => this.deps.audit.record(trx, actor, { action: 'auth.password_change', outcome: 'failure', entityType: 'user', entityId: actor.userId, details: { reason: 'bad_password' } }));
      throw new AppError('validation_failed', '原密码不正确', { path: 'current_password' });
    }
    const settings = await this.settings();
    await this.checkNewPassword(user.id, user.username, next, settings, user.password_hash);
    const hash = await passwordGate.run('high', () => hashPassword(next));
    const now = this.deps.clock.now().toISOString();
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await repo.updateUser(user.id, { password_hash: hash, password_changed_at: now, must_change_password: 0, updated_at: now });
      await repo.insertPasswordHistory(user.id, hash, now);
      const ended = await repo.deleteSessionsOfUser(user.id, sessionToken ? sessionIdOf(sessionToken) : undefined);
      await this.deps.audit.record(trx, actor, { action: 'auth.password_change', entityType: 'user', entityId: user.id, details: { other_sessions_ended: ended } });
    });
  }

  // ── Administration (系统管理员) ──────────────────────────────────────────────────────────────────────────

  private async presentUser(id: number, users = this.users) {
    const user = await users.findPublicById(id);
    if (!user) throw notFound('账号');
    const scopes = await users.listScopePaths(id);
    return {
      ...user,
      role: user.role as Role,
      approval_reason: user.approval_reason as ApprovalReason | null,
      // Locked by the server's clock: a browser's own clock may be off (or, in tests, elsewhere in time).
      is_locked: user.locked_until !== null && user.locked_until > this.deps.clock.now().toISOString(),
      scopes: {
        unit_ids: scopes.flatMap((s) => (s.unit_id === null ? [] : [s.unit_id])),
        region_codes: scopes.flatMap((s) => (s.region_code === null ? [] : [s.region_code])),
      },
    };
  }

  async getUser(id: number) {
    return this.presentUser(id);
  }

  async listUsers(filter: { q?: string; role?: string; unit_id?: number; page: number; page_size: number }) {
    const { items, total } = await this.users.listPublic({ q: filter.q, role: filter.role, unitId: filter.unit_id, page: filter.page, pageSize: filter.page_size });
    return { items: await Promise.all(items.map((u) => this.presentUser(u.id))), total, page: filter.page, page_size: filter.page_size };
  }

  /**
   * Creates an account that must change its password at first sign-in (unless mustChange is false, for the
   * CLI's first administrator and tests). Without a password, a temporary one is generated and returned once.
   */
  async createUser(actor: Actor | null, input: { username: string; displayName: string; password?: string; role: string; unitId: number | null; scopes?: ScopeInput; mustChange?: boolean }): Promise<{ id: number; temporaryPassword: string | null }> {
    if (!(ROLES as readonly string[]).includes(input.role)) throw new AppError('validation_failed', `未知角色：${input.role}`);
    if (await this.users.findByUsername(input.username)) throw new AppError('conflict', `用户名已存在：${input.username}`);
    checkUnitOfRole(input.role, input.unitId);
    await this.checkReferences(input.unitId, input.scopes);
    const settings = await this.settings();
    const password = input.password ?? temporaryPassword(settings);
    await this.checkNewPassword(null, input.username, password, settings);
    const hash = await passwordGate.run('high', () => hashPassword(password));
    const now = this.deps.clock.now().toISOString();
    const id = await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const newId = await repo.insertUser({
        username: input.username, display_name: input.displayName, unit_id: input.unitId, password_hash: hash,
        role: input.role, must_change_password: input.mustChange === false ? 0 : 1,
        // 三员: a business account made by an administrator (the web, or `docket user add`) waits for approval.
        ...(isBusinessRole(input.role) && input.mustChange !== false ? pendingApproval('created', actor?.username ?? 'system', now) : {}),
      }, now);
      await repo.insertPasswordHistory(newId, hash, now);
      if (input.scopes) await repo.replaceScopes(newId, scopeRows(input.scopes));
      await this.deps.audit.record(trx, actor, {
        action: 'user.create', entityType: 'user', entityId: newId, username: actor ? undefined : 'system',
        after: { username: input.username, display_name: input.displayName, role: input.role, unit_id: input.unitId, scopes: input.scopes ?? null },
        details: isBusinessRole(input.role) && input.mustChange !== false ? { awaiting_approval: 'created' } : undefined,
      });
      return newId;
    });
    return { id, temporaryPassword: input.password ? null : password };
  }

  /** Refuses units and regions that do not exist, with a Chinese message naming them. */
  private async checkReferences(unitId: number | null | undefined, scopes: ScopeInput | undefined): Promise<void> {
    const unitIds = [...(unitId ? [unitId] : []), ...(scopes?.unit_ids ?? [])];
    const units = new Set(await this.users.listExistingUnitIds(unitIds));
    const missingUnits = unitIds.filter((id) => !units.has(id));
    if (missingUnits.length > 0) throw new AppError('validation_failed', `单位不存在：${missingUnits.join('、')}`, { path: 'unit_id' });
    const regions = new Set(await this.users.listExistingRegionCodes(scopes?.region_codes ?? []));
    const missingRegions = (scopes?.region_codes ?? []).filter((c) => !regions.has(c));
    if (missingRegions.length > 0) throw new AppError('validation_failed', `行政区划不存在：${missingRegions.join('、')}`, { path: 'scopes.region_codes' });
  }

  /** Changes name, role, unit, active flag or data scope. A change of role, scope or activity ends the sessions. */
  async updateUser(actor: Actor, id: number, patch: UserPatch) {
    const before = await this.presentUser(id);
    await this.checkReferences(patch.unit_id, patch.scopes);
    if (patch.role !== undefined && !(ROLES as readonly string[]).includes(patch.role)) throw new AppError('validation_failed', `未知角色：${patch.role}`);
    checkUnitOfRole(patch.role ?? before.role, patch.unit_id !== undefined ? patch.unit_id : before.unit_id);
    if (id === actor.userId && ((patch.role !== undefined && patch.role !== before.role) || patch.is_active === false)) {
      throw new AppError('forbidden', '不能修改自己的角色或停用自己的账号');
    }
    const now = this.deps.clock.now().toISOString();
    const permissionChange = (patch.role !== undefined && patch.role !== before.role)
      || (patch.is_active !== undefined && (patch.is_active ? 1 : 0) !== before.is_active)
      || patch.scopes !== undefined || (patch.unit_id !== undefined && patch.unit_id !== before.unit_id);
    const role = patch.role ?? before.role;
    const approval = !isBusinessRole(role) ? undefined
      : patch.role !== undefined && patch.role !== before.role ? 'role_change' as const
      : patch.is_active === true && before.is_active !== 1 ? 'reactivated' as const : undefined;
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await repo.updateUser(id, {
        ...(approval ? pendingApproval(approval, actor.username, now) : {}),
        ...(patch.display_name !== undefined ? { display_name: patch.display_name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.unit_id !== undefined ? { unit_id: patch.unit_id } : {}),
        ...(patch.is_active !== undefined ? { is_active: patch.is_active ? 1 : 0 } : {}),
        updated_at: now,
      });
      if (patch.scopes) await repo.replaceScopes(id, scopeRows(patch.scopes));
      const ended = permissionChange ? await repo.deleteSessionsOfUser(id) : 0;
      const after = await this.presentUser(id, repo);
      await this.deps.audit.record(trx, actor, {
        action: permissionChange ? 'user.permission_change' : 'user.update', entityType: 'user', entityId: id,
        before: auditView(before), after: auditView(after),
        details: ended || approval ? { ...(ended ? { sessions_ended: ended } : {}), ...(approval ? { awaiting_approval: approval } : {}) } : undefined,
      });
    });
    return this.presentUser(id);
  }

  /** Sets a new password (given or generated) that must be changed at next sign-in; clears any lockout. */
  async resetPassword(actor: Actor, id: number, password?: string): Promise<{ temporaryPassword: string | null }> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('账号');
    const settings = await this.settings();
    const next = password ?? temporaryPassword(settings);
    await this.checkNewPassword(null, user.username, next, settings);
    const hash = await passwordGate.run('high', () => hashPassword(next));
    const now = this.deps.clock.now().toISOString();
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await repo.updateUser(id, {
        password_hash: hash, must_change_password: 1, password_changed_at: now, failed_logins: 0, locked_until: null, updated_at: now,
        password_reset_at: now, password_reset_by: actor.username,
        ...(isBusinessRole(user.role) ? pendingApproval('password_reset', actor.username, now) : {}),
      });
      await repo.insertPasswordHistory(id, hash, now);
      const ended = await repo.deleteSessionsOfUser(id);
      await this.deps.audit.record(trx, actor, {
        action: 'user.password_reset', entityType: 'user', entityId: id,
        details: { sessions_ended: ended, ...(isBusinessRole(user.role) ? { awaiting_approval: 'password_reset' } : {}) },
      });
    });
    return { temporaryPassword: password ? null : next };
  }

  async unlock(actor: Actor, id: number): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('账号');
    await inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      await repo.updateUser(id, { failed_logins: 0, locked_until: null, updated_at: this.deps.clock.now().toISOString() });
      await this.deps.audit.record(trx, actor, { action: 'user.unlock', entityType: 'user', entityId: id, before: { locked_until: user.locked_until } });
    });
  }

  /**
   * The actor of an active account whose password is right, without a session or a lockout claim: the CLI's
   * `docket user approve` proves the security administrator is there. Undefined otherwise.
   */
  async findActorByCredentials(username: string, password: string): Promise<Actor | undefined> {
    const user = await this.users.findByUsername(username);
    if (!user || user.is_active !== 1) return undefined;
    if (!(await passwordGate.run('high', () => passwords.verify(password, user.password_hash)))) return undefined;
    return this.findActorForUser(user.id);
  }

  /** Accounts waiting for the security administrator's approval (三员), oldest first. */
  async listAwaitingApproval() {
    const rows = await this.users.listAwaitingApproval();
    return rows.map((r) => ({ ...r, role: r.role as Role, approval_pending_since: r.approval_pending_since ?? '', approval_reason: r.approval_reason as ApprovalReason }));
  }

  /**
   * The security administrator (安全保密管理员) approves an account the system administrator created or changed:
   * from now on it can sign in. Audited with why it waited and who asked.
   */
  async approve(actor: Actor, id: number): Promise<void> {
    if (actor.role !== 'secadmin') throw new AppError('forbidden', '只有安全保密管理员可以核准账号');
    const user = await this.users.findById(id);
    if (!user) throw notFound('账号');
    if (!user.approval_pending_since) throw new AppError('conflict', '该账号无需核准');
    if (user.approval_requested_by === actor.username) throw new AppError('forbidden', '不能核准本人发起的账号变更（三员分立）');
    await inTransaction(this.deps.db, async (trx) => {
      await this.repo(trx).updateUser(id, { approval_pending_since: null, approval_reason: null, approval_requested_by: null, updated_at: this.deps.clock.now().toISOString() });
      await this.deps.audit.record(trx, actor, {
        action: 'user.approve', entityType: 'user', entityId: id, entityName: user.username,
        details: { reason: user.approval_reason, requested_by: user.approval_requested_by, requested_at: user.approval_pending_since },
      });
    });
  }

  /** Ends every session of an account (administrator's "sign out everywhere" for someone else). */
  async endSessions(actor: Actor, id: number): Promise<number> {
    if (!(await this.users.findById(id))) throw notFound('账号');
    return inTransaction(this.deps.db, async (trx) => {
      const repo = this.repo(trx);
      const ended = await repo.deleteSessionsOfUser(id);
      await this.deps.audit.record(trx, actor, { action: 'user.sessions_end', entityType: 'user', entityId: id, details: { sessions_ended: ended } });
      return ended;
    });
  }
}

function awaitingApproval(): AppError {
  return new AppError('unauthenticated', '账号待安全保密管理员核准后方可登录（三员分立：系统管理员新建、重置密码、授予业务角色或重新启用的业务账号须经核准）');
}

/** A business role (not one of the 三员): its accounts see project data. */
export function isBusinessRole(role: string): boolean {
  return !(ADMIN_ROLES as readonly string[]).includes(role);
}

/** The columns that put an account in the security administrator's approval queue. */
function pendingApproval(reason: 'created' | 'password_reset' | 'role_change' | 'reactivated', by: string, now: string) {
  return { approval_pending_since: now, approval_reason: reason, approval_requested_by: by };
}

/** When the password expires, or null when expiry is off. */
function passwordExpiresAt(user: { password_changed_at: string | null; created_at: string }, settings: Pick<SecuritySettings, 'password_expiry_days'>): string | null {
  if (settings.password_expiry_days === 0) return null;
  const since = user.password_changed_at ?? user.created_at;
  return new Date(Date.parse(since) + settings.password_expiry_days * 86_400_000).toISOString();
}

function scopeRows(scopes: ScopeInput): { unit_id: number | null; region_code: string | null }[] {
  return [
    ...[...new Set(scopes.unit_ids)].map((unit_id) => ({ unit_id, region_code: null })),
    ...[...new Set(scopes.region_codes)].map((region_code) => ({ unit_id: null, region_code })),
  ];
}

/** The fields of an account that the audit trail keeps in before/after (never the hash). */
function auditView(u: { username: string; display_name: string; role: string; unit_id: number | null; is_active: number; scopes: ScopeInput }) {
  return { username: u.username, display_name: u.display_name, role: u.role, unit_id: u.unit_id, is_active: u.is_active, scopes: u.scopes };
}

/** An EXISTS column as either engine returns it (SQLite 0/1, PostgreSQL boolean). */
function isTrue(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}
