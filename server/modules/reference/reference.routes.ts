import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../plugins/auth.ts';
import type { ReferenceService } from './reference.service.ts';
import {
  customAreaSchema, REGION_CODE, regionQuerySchema, regionRenameSchema, subtreeQuerySchema, unitUpdateSchema, unitWriteSchema,
} from './reference.schema.ts';
import { dataRootSchema, regionDetailSchema, regionListSchema, regionSchema, unitListSchema, unitSchema } from './reference.responses.ts';

const codeParams = z.object({ code: z.string().regex(REGION_CODE) });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const tags = ['reference'];

/** Reference data: the region tree with custom areas, and the unit tree. */
export function referenceRoutes(app: FastifyInstance, service: () => ReferenceService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/regions', { config: { permission: 'reference.read' }, schema: { tags, querystring: regionQuerySchema, response: { 200: regionListSchema } } },
    async (request) => ({ items: await service().listRegions(request.query) }));
  r.get('/api/v1/regions/data-root', { config: { permission: 'reference.read' }, schema: { tags, response: { 200: dataRootSchema } } },
    async () => service().findDataRoot());
  r.get('/api/v1/regions/:code', { config: { permission: 'reference.read' }, schema: { tags, params: codeParams, response: { 200: regionDetailSchema } } },
    async (request) => service().getRegion(request.params.code));
  r.get('/api/v1/regions/:code/subtree', { config: { permission: 'reference.read' }, schema: { tags, params: codeParams, querystring: subtreeQuerySchema, response: { 200: regionListSchema } } },
    async (request) => ({ items: await service().listRegionSubtree(request.params.code, request.query.depth) }));
  r.post('/api/v1/regions', { config: { permission: 'reference.admin' }, schema: { tags, body: customAreaSchema, response: { 201: regionSchema } } },
    async (request, reply) => reply.status(201).send(await service().createCustomArea(actorOf(request), request.body)));
  r.patch('/api/v1/regions/:code', { config: { permission: 'reference.admin' }, schema: { tags, params: codeParams, body: regionRenameSchema, response: { 200: regionSchema } } },
    async (request) => service().renameCustomArea(actorOf(request), request.params.code, request.body.name));
  r.delete('/api/v1/regions/:code', { config: { permission: 'reference.admin' }, schema: { tags, params: codeParams, response: { 204: z.void() } } },
    async (request, reply) => {
      await service().deleteCustomArea(actorOf(request), request.params.code);
      return reply.status(204).send();
    });

  r.get('/api/v1/units', { config: { permission: 'reference.read' }, schema: { tags, response: { 200: unitListSchema } } }, async () => ({ items: await service().listUnits() }));
  r.get('/api/v1/units/:id', { config: { permission: 'reference.read' }, schema: { tags, params: idParams, response: { 200: unitSchema } } },
    async (request) => service().getUnit(request.params.id));
  r.post('/api/v1/units', { config: { permission: 'unit.admin' }, schema: { tags, body: unitWriteSchema, response: { 201: unitSchema } } },
    async (request, reply) => reply.status(201).send(await service().createUnit(actorOf(request), request.body)));
  r.patch('/api/v1/units/:id', { config: { permission: 'unit.admin' }, schema: { tags, params: idParams, body: unitUpdateSchema, response: { 200: unitSchema } } },
    async (request) => service().updateUnit(actorOf(request), request.params.id, request.body));
  r.delete('/api/v1/units/:id', { config: { permission: 'unit.admin' }, schema: { tags, params: idParams, response: { 204: z.void() } } },
    async (request, reply) => {
      await service().deleteUnit(actorOf(request), request.params.id);
      return reply.status(204).send();
    });
}
