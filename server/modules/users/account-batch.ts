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

/**
 * Creates the accounts in the given transaction: a policy-conforming random password each (checked against the
 * policy in force, username included), hashed, recorded in the password history, must_change_password set.
 */
export async function createAccounts(trx: Executor, audit: AuditRecorder, actor: Actor | null, accounts: readonly AccountInput[], now: string): Promise<CreatedAccount[]> {
  const settings = await readSecuritySettings(trx);
  const policy = { minLength: settings.password_min_length, minClasses: settings.password_min_classes };
  const repo = new UserRepository(trx);
  const created: CreatedAccount[] = [];
  for (const a of accounts) {
    let password = temporaryPassword(settings);
    // A random password can, rarely, contain the username; draw again rather than hand out a refused one.
    while (passwordProblems(password, policy, a.username).length) password = temporaryPassword(settings);
    const hash = await passwordGate.run('high', () => hashPassword(password));
    const id = await repo.insertUser({ username: a.username, display_name: a.displayName, unit_id: a.unitId, password_hash: hash, role: a.role, must_change_password: 1 }, now);
    if (a.phone) await repo.updateUser(id, { phone: a.phone });
    await repo.insertPasswordHistory(id, hash, now);
    await audit.record(trx, actor, {
      action: 'user.create', entityType: 'user', entityId: id, username: actor ? undefined : 'system',
      after: { username: a.username, display_name: a.displayName, role: a.role, unit_id: a.unitId, phone: a.phone, via: 'user_list_import' },
    });
    created.push({ ...a, id, temporaryPassword: password });
  }
  return created;
}
