import type { FastifyInstance } from 'fastify';

/** A request's region=all: the caller widened the scope to everything it may see, beyond the jurisdiction. */
export const ALL_REGIONS = 'all';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route reads a scope (projects, indicators, lights, their exports, bulletins): where its `region` is. Without
     * one, the office's jurisdiction (本级辖区) is meant, as the web pages and `docket indicators` read it; region=all
     * widens to the caller's whole data scope (issue 12).
     */
    scopeRegion?: 'query' | 'body';
  }
}

/**
 * Gives every scoped route one meaning of "no region": before validation, a missing or empty `region` becomes the
 * office's jurisdiction (when the office has named one) and region=all is dropped, so routes and services see an
 * ordinary region filter. `officeRegion` reads the setting from the database on each request (no process cache:
 * another server may change it).
 */
export function registerScopeRegion(app: FastifyInstance, officeRegion: () => Promise<string | null>): void {
  app.addHook('preValidation', async (request) => {
    const where = request.routeOptions.config?.scopeRegion;
    if (!where) return;
    const input = where === 'query' ? request.query : request.body;
    if (!input || typeof input !== 'object') return;
    const fields = input as Record<string, unknown>;
    const region = fields.region;
    if (region === ALL_REGIONS) {
      delete fields.region;
    } else if (region === undefined || region === '') {
      const code = await officeRegion();
      if (code) fields.region = code;
      else delete fields.region;
    }
  });
}
