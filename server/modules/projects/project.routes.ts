import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROCEDURE_KINDS } from '../../../core/procedures.ts';
import type { Deps } from '../../platform/context.ts';
import { actorOf } from '../../plugins/auth.ts';
import { createProjectService } from './index.ts';
import {
  annualPlanWriteSchema, procedureWriteSchema, projectChangesQuerySchema, projectListQuerySchema, projectUpdateSchema, projectWriteSchema,
  reserveReviewSchema, stageChangeSchema, tierChangeSchema,
} from './project.schema.ts';
import {
  annualPlanListSchema, annualPlanSchema, deletedProjectListSchema, procedureListSchema, procedureSchema, projectChangePageSchema, projectListSchema,
  projectSchema, stageHistorySchema,
} from './project.responses.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const planParams = idParams.extend({ year: z.coerce.number().int().min(1949).max(2100) });
const procedureParams = idParams.extend({ kind: z.enum(PROCEDURE_KINDS) });
const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() });
const tags = ['projects'];

/** The project library API. */
export function projectRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = () => createProjectService(deps);

  r.get('/api/v1/projects', { config: { permission: 'project.read', scopeRegion: 'query' }, schema: { tags, querystring: projectListQuerySchema, response: { 200: projectListSchema } } },
    async (request) => service().listProjects(actorOf(request), request.query));
  r.get('/api/v1/projects/deleted', { config: { permission: 'project.admin' }, schema: { tags, response: { 200: deletedProjectListSchema } } },
    async (request) => ({ items: await service().listDeleted(actorOf(request)) }));
  r.get('/api/v1/projects/:id', {
    config: { permission: 'project.read' },
    schema: { tags, params: idParams, querystring: z.object({ year: z.coerce.number().int().min(1949).max(2100).optional() }), response: { 200: projectSchema } },
  }, async (request) => service().getProject(actorOf(request), request.params.id, request.query.year));
  r.post('/api/v1/projects', { config: { permission: 'project.admin' }, schema: { tags, body: projectWriteSchema, response: { 201: projectSchema } } },
    async (request, reply) => {
      const s = service();
      const id = await s.createProject(actorOf(request), request.body);
      return reply.status(201).send(await s.getProject(actorOf(request), id));
    });
  r.patch('/api/v1/projects/:id', { config: { permission: 'project.write' }, schema: { tags, params: idParams, body: projectUpdateSchema, response: { 200: projectSchema } } },
    async (request) => service().updateProject(actorOf(request), request.params.id, request.body));
  r.delete('/api/v1/projects/:id', { config: { permission: 'project.admin' }, schema: { tags, params: idParams, querystring: versionQuery, response: { 204: z.void() } } },
    async (request, reply) => {
      await service().deleteProject(actorOf(request), request.params.id, request.query.version);
      return reply.status(204).send();
    });
  r.post('/api/v1/projects/:id/restore', { config: { permission: 'project.admin' }, schema: { tags, params: idParams, response: { 200: projectSchema } } },
    async (request) => service().restoreProject(actorOf(request), request.params.id));

  r.post('/api/v1/projects/:id/stage', { config: { permission: 'project.stage' }, schema: { tags, params: idParams, body: stageChangeSchema, response: { 200: projectSchema } } },
    async (request) => service().changeStage(actorOf(request), request.params.id, request.body));
  r.get('/api/v1/projects/:id/stage-history', { config: { permission: 'project.read' }, schema: { tags, params: idParams, response: { 200: stageHistorySchema } } },
    async (request) => ({ items: await service().listStageHistory(actorOf(request), request.params.id) }));
  r.get('/api/v1/projects/:id/changes', { config: { permission: 'project.read' }, schema: { tags, params: idParams, querystring: projectChangesQuerySchema, response: { 200: projectChangePageSchema } } },
    async (request) => service().listChanges(actorOf(request), request.params.id, request.query));
  r.post('/api/v1/projects/:id/tier', { config: { permission: 'project.admin' }, schema: { tags, params: idParams, body: tierChangeSchema, response: { 200: projectSchema } } },
    async (request) => service().changeTier(actorOf(request), request.params.id, request.body));
  r.post('/api/v1/projects/:id/review', { config: { permission: 'project.admin' }, schema: { tags, params: idParams, body: reserveReviewSchema, response: { 200: projectSchema } } },
    async (request) => service().reviewReserve(actorOf(request), request.params.id, request.body.review, request.body.version));

  r.get('/api/v1/projects/:id/plans', { config: { permission: 'project.read' }, schema: { tags, params: idParams, response: { 200: annualPlanListSchema } } },
    async (request) => ({ items: await service().listPlans(actorOf(request), request.params.id) }));
  r.put('/api/v1/projects/:id/plans/:year', { config: { permission: 'plan.write' }, schema: { tags, params: planParams, body: annualPlanWriteSchema, response: { 200: annualPlanSchema } } },
    async (request) => service().savePlan(actorOf(request), request.params.id, request.params.year, request.body));
  r.delete('/api/v1/projects/:id/plans/:year', {
    config: { permission: 'plan.write' },
    schema: { tags, params: planParams, querystring: z.object({ version: z.coerce.number().int().positive() }) },
  }, async (request, reply) => {
    await service().deletePlan(actorOf(request), request.params.id, request.params.year, request.query.version);
    return reply.status(204).send();
  });

  r.get('/api/v1/projects/:id/procedures', { config: { permission: 'project.read' }, schema: { tags, params: idParams, response: { 200: procedureListSchema } } },
    async (request) => ({ items: await service().listProcedures(actorOf(request), request.params.id) }));
  r.put('/api/v1/projects/:id/procedures/:kind', { config: { permission: 'project.write' }, schema: { tags, params: procedureParams, body: procedureWriteSchema, response: { 200: procedureSchema } } },
    async (request) => service().saveProcedure(actorOf(request), request.params.id, request.params.kind, request.body));
}
