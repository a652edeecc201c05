// Accounts created from a user list (an office's reporters, one per unit): every account gets its own random
// first-login password that satisfies the password policy in force, must change it at first sign-in, and is
// audited one event per account (the password never reaches the audit trail). Creation joins the caller's
// transaction, so a list is created whole or not at all.

import { passwordProblems } from '../../../core/password-policy.ts';
import type { Executor } from '../../db/database.ts';
import type { Actor, AuditRecorder } from '../../platform/context.ts';
import { readSecuritySettings } from '../security/index.ts';
import { hashPassword } from './password.ts';
import { passwordGate } from './password-gate.ts';
import { UserRepository } from './user.repository.ts';
import { temporaryPassword } from './user.service.ts';

/** One account of a list, checked by the caller (role, unit, unique username). */
export interface AccountInput {
  username: string;
  displayName: string;
  role: string;
  unitId: number | null;
  phone: string | null;
}

/** An account as stored, with the password its holder must change at first sign-in (shown once, never stored). */
export interface CreatedAccount extends AccountInput {
  id: number;
  temporaryPassword: string;
}

/** The usernames of these that already exist, with their name, unit and phone (a list imported twice). */
export async function findAccounts(db: Executor, usernames: readonly string[]) {
  return new UserRepository(db).listByUsernames(usernames);
}

/** An account with its first-login password and the password's hash, ready to insert. */
export interface PreparedAccount extends AccountInput {
  temporaryPassword: string;
  hash: string;
}

/**
 * Draws a policy-conforming random password for each account (the policy in force, username included) and hashes
 * it — before any transaction opens: scrypt costs ~50–100 ms an account, which must not hold the write lock.
 */
export async function prepareAccounts(db: Executor, accounts: readonly AccountInput[]): Promise<PreparedAccount[]> {
  const settings = await readSecuritySettings(db);
  const policy = { minLength: settings.password_min_length, minClasses: settings.password_min_classes };
  const prepared: PreparedAccount[] = [];
  for (const a of accounts) {
    let password = temporaryPassword(settings);
    // A random password can, rarely, contain the username; draw again rather than hand out a refused one.
    while (passwordProblems(password, policy, a.username).length) password = temporaryPassword(settings);
    prepared.push({ ...a, temporaryPassword: password, hash: await passwordGate.run('high', () => hashPassword(password)) });
  }
  return prepared;
}

/**
 * Creates prepared accounts in the given transaction: must_change_password set, the hash in the password history,
 * one audit event per account (without the password); each waits for the security administrator's approval.
 */
export async function createAccounts(trx: Executor, audit: AuditRecorder, actor: Actor | null, accounts: readonly PreparedAccount[], now: string): Promise<CreatedAccount[]> {
  const repo = new UserRepository(trx);
  const created: CreatedAccount[] = [];
  for (const a of accounts) {
    // 三员: the system administrator's list creates business accounts that wait for the security administrator.
    const id = await repo.insertUser({
      username: a.username, display_name: a.displayName, unit_id: a.unitId, password_hash: a.hash, role: a.role, must_change_password: 1,
      approval_pending_since: now, approval_reason: 'created', approval_requested_by: actor?.username ?? 'system',
    }, now);
    if (a.phone) await repo.updateUser(id, { phone: a.phone });
    await repo.insertPasswordHistory(id, a.hash, now);
    await audit.record(trx, actor, {
      action: 'user.create', entityType: 'user', entityId: id, username: actor ? undefined : 'system',
      after: { username: a.username, display_name: a.displayName, role: a.role, unit_id: a.unitId, phone: a.phone, via: 'user_list_import' },
    });
    created.push({ username: a.username, displayName: a.displayName, role: a.role, unitId: a.unitId, phone: a.phone, id, temporaryPassword: a.temporaryPassword });
  }
  return created;
}
