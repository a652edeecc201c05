import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../context.ts';
import { AppError } from '../errors.ts';
import { PERMISSIONS, roleHas, type Permission } from './permissions.ts';
import type { UserService } from '../modules/users/user.service.ts';

export const SESSION_COOKIE = 'docket_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; every /api route must declare one (checked at start-up). */
    permission?: Permission;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The actor of an authenticated route; routes with a non-public permission can rely on it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', '请先登录');
  return request.actor;
}

/** Resolves the session cookie to request.actor and enforces each route's declared permission. */
export function registerAuth(app: FastifyInstance, users: () => UserService): void {
  app.decorateRequest('actor', null);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.permission) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no permission`);
    }
    if (route.config?.permission && !(route.config.permission in PERMISSIONS)) {
      throw new Error(`route ${route.url} declares unknown permission ${route.config.permission}`);
    }
  });
  app.addHook('preHandler', async (request) => {
    const permission = request.routeOptions.config?.permission;
    if (!permission || permission === 'public') return;
    const token = request.cookies[SESSION_COOKIE];
    const actor = token ? await users().findActorBySession(token) : undefined;
    if (!actor) throw new AppError('unauthenticated', '登录已过期或未登录，请重新登录');
    if (!roleHas(actor.role, permission)) throw new AppError('forbidden', '当前账号没有此操作的权限');
    request.actor = actor;
  });
}
