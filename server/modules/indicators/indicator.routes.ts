import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/context.ts';
import { actorOf } from '../../plugins/auth.ts';
import { createIndicatorService } from './index.ts';
import { indicatorQuerySchema, indicatorResultSchema, indicatorSettingsSchema, indicatorSettingsWriteSchema, settingsQuerySchema } from './indicator.schema.ts';

/** Indicators for a scope and period, and the engine's settings. */
export function indicatorRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = () => createIndicatorService(deps);

  r.get('/api/v1/indicators', { config: { permission: 'indicator.read', scopeRegion: 'query' }, schema: { tags: ['indicators'], querystring: indicatorQuerySchema, response: { 200: indicatorResultSchema } } },
    async (request) => service().getIndicators(actorOf(request), request.query));
  r.get('/api/v1/indicators/settings', { config: { permission: 'indicator.read' }, schema: { tags: ['indicators'], querystring: settingsQuerySchema, response: { 200: indicatorSettingsSchema } } },
    async (request) => service().getSettings(request.query.year));
  r.put('/api/v1/indicators/settings', { config: { permission: 'rules.write' }, schema: { tags: ['indicators'], body: indicatorSettingsWriteSchema, response: { 200: indicatorSettingsSchema } } },
    async (request) => service().updateSettings(actorOf(request), request.body));
}
