import type { FastifyInstance } from 'fastify';
import type { Actor } from '../context.ts';
import type { AuditEvent } from '../platform/context.ts';
import { originOf } from './auth.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 'project' for '/api/v1/projects/:id/plans': the path segment before the first parameter (else the last one),
 * singular, so that the automatic rows and the services' own rows share entity types.
 */
export function entityTypeOf(route: string): string | null {
  const parts = route.split('?')[0]!.split('/').filter(Boolean);
  const firstParam = parts.findIndex((p) => p.startsWith(':'));
  const candidate = firstParam > 0 ? parts[firstParam - 1] : parts[parts.length - 1];
  if (!candidate || candidate.startsWith(':')) return null;
  if (candidate.endsWith('ies')) return `${candidate.slice(0, -3)}y`;
  return candidate.endsWith('s') && !candidate.endsWith('ss') ? candidate.slice(0, -1) : candidate;
}

/**
 * The id of the entity entityTypeOf names: the value of the route's first parameter in path order
 * ('/projects/:projectId/reports/:year/:month' → projectId), never whichever parameter the router listed first.
 */
export function entityIdOf(route: string, params: Record<string, unknown>): string | number | undefined {
  const name = /\/:(\w+)/.exec(route.split('?')[0]!)?.[1];
  const value = name === undefined ? undefined : params[name];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/**
 * Records every /api request that writes (any method but GET/HEAD/OPTIONS), every refused one (403), and GET
 * routes that opt in with `config.audit` (exports): route, status, actor, origin and the entity id from the
 * path. Services add the before/after of a change themselves with AuditService.record inside their transaction.
 * Runs in onSend, so the row is committed before the client sees the answer.
 */
export function registerAuditHook(app: FastifyInstance, record: (actor: Actor | null, event: AuditEvent) => Promise<void>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) return payload;
    const route = request.routeOptions.url;
    const status = reply.statusCode;
    const write = !SAFE_METHODS.has(request.method);
    // Every use of an API token is recorded, reads too: a token acts for its holder without the holder present.
    if (!write && status !== 403 && !request.routeOptions.config?.audit && request.authVia !== 'token') return payload;
    const entityId = route ? entityIdOf(route, (request.params ?? {}) as Record<string, unknown>) : undefined;
    try {
      await record(request.actor, {
        action: 'request', outcome: status < 400 ? 'success' : 'failure', method: request.method, route: route ?? request.url.split('?')[0],
        status, entityType: route ? entityTypeOf(route) : null, entityId,
        origin: originOf(request), details: { via: request.authVia, ...(route ? {} : { unmatched: true }) },
      });
    } catch (err) {
      // Losing an audit row must be visible to operators; the response itself has already been decided.
      request.log.error({ err }, 'audit append failed');
    }
    return payload;
  });
}
