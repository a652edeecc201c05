import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/context.ts';
import { okSchema } from '../../platform/responses.ts';
import { actorOf } from '../../plugins/auth.ts';
import { createLightService } from './index.ts';
import {
  excuseListSchema, excuseWriteSchema, excusesQuerySchema, idParams, lightExcuseSchema, lightListSchema, lightsQuerySchema, ruleSetsSchema, ruleSetWriteSchema, yearParams,
} from './light.schema.ts';

/** Red/yellow/green lights for a scope and period, rule sets per year, accepted excuses. */
export function lightRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = () => createLightService(deps);

  r.get('/api/v1/lights', { config: { permission: 'indicator.read', scopeRegion: 'query' }, schema: { tags: ['lights'], querystring: lightsQuerySchema, response: { 200: lightListSchema } } },
    async (request) => service().getLights(actorOf(request), request.query));
  r.get('/api/v1/lights/rules/:year', { config: { permission: 'indicator.read' }, schema: { tags: ['lights'], params: yearParams, response: { 200: ruleSetsSchema } } },
    async (request) => service().getRuleSets(request.params.year));
  r.put('/api/v1/lights/rules/:year', { config: { permission: 'rules.write' }, schema: { tags: ['lights'], params: yearParams, body: ruleSetWriteSchema, response: { 200: ruleSetsSchema } } },
    async (request) => service().putRuleSet(actorOf(request), request.params.year, request.body));
  r.get('/api/v1/lights/excuses', { config: { permission: 'indicator.read' }, schema: { tags: ['lights'], querystring: excusesQuerySchema, response: { 200: excuseListSchema } } },
    async (request) => service().listExcuses(actorOf(request), request.query.year, request.query.project_id));
  r.post('/api/v1/lights/excuses', { config: { permission: 'rules.write' }, schema: { tags: ['lights'], body: excuseWriteSchema, response: { 201: lightExcuseSchema } } },
    async (request, reply) => reply.status(201).send(await service().acceptExcuse(actorOf(request), request.body)));
  r.delete('/api/v1/lights/excuses/:id', { config: { permission: 'rules.write' }, schema: { tags: ['lights'], params: idParams, response: { 200: okSchema } } },
    async (request) => service().revokeExcuse(actorOf(request), request.params.id));
}
