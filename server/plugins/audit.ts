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

/** The power of ten (1, 10, 100 …) a count passed on its way from `before` (excluded) to `after`, if any. */
export function decadeReached(before: number, after: number): number | undefined {
  let decade = 1;
  while (decade * 10 <= after) decade *= 10;
  return decade > before && decade <= after ? decade : undefined;
}

/**
 * Counts refusals with at most one database write per key under way in this process: refusals arriving in the
 * same turn of the event loop, or meanwhile, are added to the next write instead of queueing a write each (a flood of 429s wrote one row update per request,
 * and a known device's sign-in statements queued behind them). The writer carries what arrived during its own
 * write once more, so a burst's last refusals are not left unwritten; anything arriving after that rides on the
 * next refusal's write. Answers the count before and after this call's write, or undefined when it was only added.
 */
export function coalesceCounts(count: (key: string, by: number) => Promise<number>) {
  const waiting = new Map<string, number>();
  const writing = new Set<string>();
  return async (key: string): Promise<{ before: number; after: number } | undefined> => {
    waiting.set(key, (waiting.get(key) ?? 0) + 1);
    if (writing.has(key)) return undefined;
    writing.add(key);
    try {
      // Let the refusals of this turn of the event loop arrive first: on SQLite a write completes within the turn,
      // so without this yield no two refusals ever shared a write (a flood's 429s wrote one row update each).
      await new Promise<void>((resolve) => setImmediate(resolve));
      let result: { before: number; after: number } | undefined;
      for (let round = 0; round < 2 && (waiting.get(key) ?? 0) > 0; round++) {
        const by = waiting.get(key)!;
        waiting.delete(key);
        const after = await count(key, by);
        result = { before: result?.before ?? after - by, after };
      }
      return result;
    } finally {
      writing.delete(key);
    }
  };
}

/**
 * Records every /api request that writes (any method but GET/HEAD/OPTIONS), every refused one (403), and GET
 * routes that opt in with `config.audit` (exports): route, status, actor, origin and the entity id from the
 * path. Services add the before/after of a change themselves with AuditService.record inside their transaction.
 * Runs in onSend, so the row is committed before the client sees the answer.
 */
export function registerAuditHook(
  app: FastifyInstance,
  record: (actor: Actor | null, event: AuditEvent) => Promise<void>,
  countRefusal: (key: string, by: number) => Promise<number> = (_key, by) => Promise.resolve(by),
): void {
  const countRefusals = coalesceCounts(countRefusal);
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) return payload;
    const route = request.routeOptions.url;
    const status = reply.statusCode;
    if (request.routeOptions.config?.auditedByService) {
      // A flood of refused sign-ins wrote one chained row each, and every legitimate sign-in's own rows queued
      // behind them: the service's rows stand for its outcomes, and a refusal is a count with a row per decade.
      if (status < 400 || status === 401 || status === 423) return payload;
      if (status === 429) {
        try {
          const counted = await countRefusals(`refused:${route ?? request.url}`);
          const n = counted && decadeReached(counted.before, counted.after);
          if (!n) return payload;
          await record(request.actor, {
            action: 'request', outcome: 'failure', method: request.method, route: route ?? request.url.split('?')[0], status,
            entityType: route ? entityTypeOf(route) : null, origin: originOf(request), details: { via: request.authVia, refused_this_minute: n },
          });
        } catch (err) {
          request.log.error({ err }, 'audit append failed');
        }
        return payload;
      }
    }
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
