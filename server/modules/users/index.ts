// The users module's public face (accounts, sign-in, sessions): other modules, app.ts, the CLI and tests import from
// here only.
import type { Deps } from '../../platform/context.ts';
import { RateLimitRepository } from './rate-limit.repository.ts';
import { UserRepository } from './user.repository.ts';
import { UserService } from './user.service.ts';

export { UserService, scopeOf, sessionIdOf, temporaryPassword, type LoginResult, type SessionInfo } from './user.service.ts';
export { userRoutes, LOGIN_RATE_LIMIT_DEFAULT } from './user.routes.ts';
export { userAdminRoutes } from './user-admin.routes.ts';
export { hashPassword, verifyPassword } from './password.ts';
export type { RateLimitRepository } from './rate-limit.repository.ts';
/** Batch account creation (a user-list import creates accounts through it). */
export { createAccounts, findAccounts, type AccountInput, type CreatedAccount } from './account-batch.ts';

/** The account service (sign-in, sessions, password rules, administration). */
export function createUserService(deps: Deps): UserService {
  return new UserService(deps, (db) => new UserRepository(db));
}

/** The sign-in rate limit's counters (one row per client address and minute). */
export function createRateLimits(deps: Deps): RateLimitRepository {
  return new RateLimitRepository(deps.db);
}
