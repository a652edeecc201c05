// The API tokens module's public face: app.ts, the CLI and tests import from here only.
import type { Deps } from '../../platform/context.ts';
import { createUserService } from '../users/index.ts';
import { TokenRepository } from './token.repository.ts';
import { TokenService } from './token.service.ts';

export { TokenService, TOKEN_PREFIX } from './token.service.ts';
export { tokenRoutes } from './token.routes.ts';

/** The API token service (issue, list, revoke, authenticate). */
export function createTokenService(deps: Deps): TokenService {
  return new TokenService(deps, (db) => new TokenRepository(db), createUserService(deps));
}
