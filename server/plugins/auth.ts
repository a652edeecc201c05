import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, DataScope, Origin } from '../context.ts';
import { AppError } from '../errors.ts';
import { isPermission, roleHas, type Permission } from './permissions.ts';
import { impliedRouteScope, isEntityRegistered, type RouteScope } from '../platform/access.ts';
import type { SessionInfo } from '../modules/users/index.ts';

export const SESSION_COOKIE = 'docket_session';
/** The CSRF cookie: readable by the web app (not HttpOnly), echoed in the X-CSRF-Token header on writes. */
export const CSRF_COOKIE = 'docket_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; every /api route must declare one (checked at start-up). */
    permission?: Permission;
    /** Allowed while the account must change its password (change-password and sign-out only). */
    allowDuringPasswordChange?: boolean;
    /** Record this route in the audit trail even though it is a GET (exports). */
    audit?: boolean;
    /**
     * The service records this route's outcomes itself (sign-in: success, wrong password, unknown name, locked):
     * the automatic request row is left out for those, and refusals before the service (429) are counted per
     * minute in the database and recorded at the 1st, 10th, 100th … of the minute, not one row each (issue 14).
     */
    auditedByService?: boolean;
    /**
     * The record the route is keyed by (platform/access.ts): an id outside the actor's data scope answers 404.
     * Routes under `/projects/:id` imply `{ entity: 'project', param: 'id' }`.
     */
    scope?: RouteScope;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** How the request authenticated: the session cookie or an API token. */
    authVia: 'session' | 'token' | null;
    /** The permissions the request's API token was issued with (null for a session). */
    tokenPermissions: readonly Permission[] | null;
  }
}

/** What the auth plugin needs from the account services. */
export interface Authenticator {
  findSession(token: string, origin: Origin): Promise<SessionInfo | undefined>;
  /** The actor and the permissions of an API token; undefined when unknown, revoked or expired. */
  findToken(secret: string, origin: Origin): Promise<{ actor: Actor; permissions: readonly Permission[] } | undefined>;
  /** Whether a record of a registered entity type exists within the scope, and the 404 message (platform/access.ts). */
  checkScope(entity: string, id: number, scope: DataScope): Promise<{ visible: boolean; notFound: string }>;
}

/** A registered route as the auth plugin saw it (for the generated route × role test). */
export interface RouteInfo {
  method: string;
  url: string;
  permission: Permission | undefined;
  /** The record the route is keyed by (config.scope), when it declares one. */
  scope?: RouteScope;
}

const routesByApp = new WeakMap<FastifyInstance, RouteInfo[]>();

/** Every route registered after registerAuth, HEAD twins excluded. */
export function registeredRoutes(app: FastifyInstance): RouteInfo[] {
  return routesByApp.get(app) ?? [];
}

/** The actor of an authenticated route; routes with a non-public permission can rely on it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', '请先登录');
  return request.actor;
}

/** Where a request came from. */
export function originOf(request: FastifyRequest): Origin {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The route parameter that names a project, if any: ':id' right after '/projects', or ':projectId'/':project_id'
 * anywhere. Such routes get a generic scope check, so an out-of-scope project answers 404 on every route.
 */
export function projectParamOf(url: string): string | undefined {
  const implied = impliedRouteScope(url);
  return implied?.param;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/**
 * Authenticates every non-public route before its input is validated (so that no session answers 401 whatever the
 * body): an `Authorization: Bearer` API token, else the session cookie with its CSRF check on writes and the
 * forced password change. Then checks the route's declared permission, and for routes keyed by a project id
 * that the project lies within the actor's scope.
 */
export function registerAuth(app: FastifyInstance, auth: Authenticator): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('tokenPermissions', null);
  const routes: RouteInfo[] = [];
  routesByApp.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, permission: route.config?.permission, scope: route.config?.scope });
    }
    if (route.url.startsWith('/api/') && !route.config?.permission) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no permission`);
    }
    if (route.config?.permission && !isPermission(route.config.permission)) {
      throw new Error(`route ${route.url} declares unknown permission ${String(route.config.permission)}`);
    }
    const scope = route.config?.scope;
    if (scope && (!isEntityRegistered(scope.entity) || !route.url.includes(`:${scope.param}`))) {
      throw new Error(`route ${route.url} declares scope ${scope.entity}:${scope.param}, which is not registered or not in its path`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const permission = config?.permission;
    if (!permission || permission === 'public') return;
    const origin = originOf(request);
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      // Bearer requests carry no ambient credential, so they need no CSRF token.
      const found = await auth.findToken(authorization.slice(7).trim(), origin);
      if (!found) throw new AppError('unauthenticated', 'API 令牌无效、已过期或已吊销');
      if (!found.permissions.includes(permission) || !roleHas(found.actor.role, permission)) {
        throw new AppError('forbidden', '该 API 令牌没有此操作的权限');
      }
      request.actor = found.actor;
      request.authVia = 'token';
      request.tokenPermissions = found.permissions;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await auth.findSession(token, origin) : undefined;
    if (!session) throw new AppError('unauthenticated', '登录已过期或未登录，请重新登录');
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      const cookie = request.cookies[CSRF_COOKIE];
      const ok = typeof header === 'string' && !!cookie && sameToken(header, cookie)
        && (session.csrfHash === null || sameToken(sha256(header), session.csrfHash));
      if (!ok) throw new AppError('csrf_failed', '页面安全校验失败，请刷新页面后重试');
    }
    request.actor = session.actor;
    request.authVia = 'session';
    if (session.mustChangePassword && !config.allowDuringPasswordChange) {
      throw new AppError('password_change_required', '首次登录或密码已过期，请先修改密码');
    }
    if (!roleHas(session.actor.role, permission)) throw new AppError('forbidden', '当前账号没有此操作的权限');
  });

  app.addHook('preValidation', async (request) => {
    const url = request.routeOptions.url;
    const actor = request.actor;
    if (!url || !actor) return;
    const routeScope = request.routeOptions.config?.scope ?? impliedRouteScope(url);
    if (!routeScope) return;
    const raw = (request.params as Record<string, string | undefined>)[routeScope.param];
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id <= 0) return; // left to the route's own validation
    const { visible, notFound } = await auth.checkScope(routeScope.entity, id, actor.scope);
    if (!visible) throw new AppError('not_found', notFound);
  });
}
