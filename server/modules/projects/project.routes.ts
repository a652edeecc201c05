import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { actorOf } from '../../plugins/auth.ts';
import { ReferenceRepository } from '../reference/reference.repository.ts';
import { ProjectRepository } from './project.repository.ts';
import { ProjectService } from './project.service.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { AuditService } from '../audit/audit.service.ts';
import { projectListQuerySchema, projectUpdateSchema, projectWriteSchema } from './project.schema.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** The project library API. */
export function projectRoutes(app: FastifyInstance, database: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = () => new ProjectService(new ProjectRepository(database.db), new ReferenceRepository(database.db), new AuditService(new AuditRepository(database.db)));

  r.get('/api/v1/projects', { config: { permission: 'project.read' }, schema: { tags: ['projects'], querystring: projectListQuerySchema } },
    async (request) => service().listProjects(actorOf(request), request.query));
  r.get('/api/v1/projects/:id', { config: { permission: 'project.read' }, schema: { tags: ['projects'], params: idParams } },
    async (request) => service().getProject(actorOf(request), request.params.id));
  r.post('/api/v1/projects', { config: { permission: 'project.admin' }, schema: { tags: ['projects'], body: projectWriteSchema } },
    async (request, reply) => {
      const s = service();
      const id = await s.createProject(actorOf(request), request.body);
      return reply.status(201).send(await s.getProject(actorOf(request), id));
    });
  r.patch('/api/v1/projects/:id', { config: { permission: 'project.write' }, schema: { tags: ['projects'], params: idParams, body: projectUpdateSchema } },
    async (request) => service().updateProject(actorOf(request), request.params.id, request.body));
}
