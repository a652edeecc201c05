import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readUpload } from '../../plugins/multipart.ts';
import { actorOf } from '../../plugins/auth.ts';
import {
  cadreBody, cadreParams, cadreUpdateBody, enterpriseBody, enterpriseListQuery, enterpriseUpdateBody, photoParams, projectLinksBody, visitBody, visitParams,
} from './enterprise.schema.ts';
import { VISIT_PHOTO_MAX_BYTES, type EnterpriseService } from './enterprise.service.ts';
import {
  categoryBody, escalateBody, figuresQuery, idParams, problemActionBody, problemActionParams, problemListQuery, raiseProblemBody, timeLimitsBody,
} from './problem.schema.ts';
import {
  enterpriseDetailSchema, enterprisePageSchema, problemCategoriesSchema, problemFiguresSchema, problemDetailSchema, problemPageSchema, timeLimitsSchema, visitCreatedSchema, visitPhotoSchema, visitPlanSchema,
  problemImportReportSchema,
} from './problem.responses.ts';
import type { ProblemService } from './problem.service.ts';
import type { ProblemImport } from './problem-import.ts';
import { problemFiguresWorkbook, problemLedgerWorkbook } from './problem-export.ts';
import { sendWorkbook } from '../exports/index.ts';

/** The largest ledger workbook accepted. */
const PROBLEM_IMPORT_MAX_BYTES = 20 * 1024 * 1024;

// Records are scope-checked by the services with the whole actor (a linked cadre sees an enterprise outside the
// data scope of their own unit), so these routes declare no config.scope.

/** Enterprises, cadres, visits (万人助万企). */
export function enterpriseRoutes(app: FastifyInstance, service: () => EnterpriseService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['enterprises'];
  r.get('/api/v1/enterprises', { config: { permission: 'enterprise.read' }, schema: { tags, querystring: enterpriseListQuery, response: { 200: enterprisePageSchema } } },
    async (request) => {
      const q = request.query;
      return service().list(actorOf(request), { q: q.q, region_code: q.region_code, unit_id: q.unit_id, mine: !!q.mine }, q.page, q.page_size);
    });
  r.post('/api/v1/enterprises', { config: { permission: 'enterprise.write' }, schema: { tags, body: enterpriseBody, response: { 201: enterpriseDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service().create(actorOf(request), request.body)));
  r.get('/api/v1/enterprises/:id', { config: { permission: 'enterprise.read' }, schema: { tags, params: idParams, response: { 200: enterpriseDetailSchema } } },
    async (request) => service().get(actorOf(request), request.params.id));
  r.put('/api/v1/enterprises/:id', { config: { permission: 'enterprise.write' }, schema: { tags, params: idParams, body: enterpriseUpdateBody, response: { 200: enterpriseDetailSchema } } },
    async (request) => service().update(actorOf(request), request.params.id, request.body));
  r.post('/api/v1/enterprises/:id/cadres', { config: { permission: 'enterprise.write' }, schema: { tags, params: idParams, body: cadreBody, response: { 201: enterpriseDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service().addCadre(actorOf(request), request.params.id, request.body)));
  r.patch('/api/v1/enterprise-cadres/:cadreId', { config: { permission: 'enterprise.write' }, schema: { tags, params: cadreParams, body: cadreUpdateBody, response: { 200: enterpriseDetailSchema } } },
    async (request) => service().updateCadre(actorOf(request), request.params.cadreId, request.body));
  r.post('/api/v1/enterprises/:id/visits', { config: { permission: 'enterprise.write' }, schema: { tags, params: idParams, body: visitBody, response: { 201: visitCreatedSchema } } },
    async (request, reply) => reply.status(201).send(await service().addVisit(actorOf(request), request.params.id, request.body)));
  r.post('/api/v1/enterprise-visits/:visitId/photos', { config: { permission: 'enterprise.write' }, schema: { tags, params: visitParams, consumes: ['multipart/form-data'], response: { 201: visitPhotoSchema } } },
    async (request, reply) => {
      const { buffer, fileName } = await readUpload(request, VISIT_PHOTO_MAX_BYTES);
      return reply.status(201).send(await service().addPhoto(actorOf(request), request.params.visitId, buffer, fileName));
    });
  r.get('/api/v1/enterprise-visit-photos/:photoId', { config: { permission: 'enterprise.read' }, schema: { tags, params: photoParams } },
    async (request, reply) => {
      const photo = await service().getPhoto(actorOf(request), request.params.photoId);
      return reply.header('content-type', photo.mime).header('cache-control', 'private, max-age=3600').send(photo.bytes);
    });
  r.put('/api/v1/enterprises/:id/projects', { config: { permission: 'enterprise.write' }, schema: { tags, params: idParams, body: projectLinksBody, response: { 200: enterpriseDetailSchema } } },
    async (request) => service().setProjects(actorOf(request), request.params.id, request.body.project_ids));
  r.get('/api/v1/visit-plan', { config: { permission: 'enterprise.read' }, schema: { tags, querystring: enterpriseListQuery.pick({ mine: true }), response: { 200: visitPlanSchema } } },
    async (request) => service().visitPlan(actorOf(request), !!request.query.mine));
}

/** Problems (问题/诉求): ledger, workflow, category map, time limits, figures. */
export function problemRoutes(app: FastifyInstance, service: () => ProblemService, importer?: () => ProblemImport): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['problems'];
  r.get('/api/v1/problems', { config: { permission: 'problem.read' }, schema: { tags, querystring: problemListQuery, response: { 200: problemPageSchema } } },
    async (request) => service().list(actorOf(request), request.query));
  r.get('/api/v1/problems.xlsx', { config: { permission: 'problem.read' }, schema: { tags, querystring: problemListQuery } },
    async (request, reply) => {
      const { fileName, write } = problemLedgerWorkbook(service(), actorOf(request), request.query);
      return sendWorkbook(request, reply, fileName, write);
    });
  r.post('/api/v1/problems', { config: { permission: 'problem.raise' }, schema: { tags, body: raiseProblemBody, response: { 201: problemDetailSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await service().raise(actor, request.body);
      return reply.status(201).send(await service().get(actor, id));
    });
  r.get('/api/v1/problems/:id', { config: { permission: 'problem.read' }, schema: { tags, params: idParams, response: { 200: problemDetailSchema } } },
    async (request) => service().get(actorOf(request), request.params.id));
  // The action's own permission (route, handle, visit) is checked by the workflow against the actor's role.
  r.post('/api/v1/problems/:id/actions/:action', { config: { permission: 'problem.read' }, schema: { tags, params: problemActionParams, body: problemActionBody, response: { 200: problemDetailSchema } } },
    async (request) => service().act(actorOf(request), request.params.id, request.params.action, request.body));
  // 转督办: whoever may assign supervised matters (the office, the supervision office, leaders).
  r.post('/api/v1/problems/:id/escalate', { config: { permission: 'matter.assign' }, schema: { tags, params: idParams, body: escalateBody, response: { 200: problemDetailSchema } } },
    async (request) => service().escalate(actorOf(request), request.params.id, request.body));
  // The ledger import (问题台账): a dry run reports every row's errors by row and column; apply writes all or nothing.
  if (importer) {
    for (const [step, dryRun] of [['dry-run', true], ['apply', false]] as const) {
      r.post(`/api/v1/imports/problems/${step}`, { config: { permission: 'problem.admin' }, schema: { tags, consumes: ['multipart/form-data'], response: { 200: problemImportReportSchema } } },
        async (request) => {
          const upload = await readUpload(request, PROBLEM_IMPORT_MAX_BYTES);
          return importer().importFile(actorOf(request), upload.buffer, { fileName: upload.fileName, dryRun });
        });
    }
  }
  r.get('/api/v1/problem-categories', { config: { permission: 'problem.read' }, schema: { tags, response: { 200: problemCategoriesSchema } } },
    async () => service().listCategories());
  r.put('/api/v1/problem-categories', { config: { permission: 'problem.admin' }, schema: { tags, body: categoryBody, response: { 200: problemCategoriesSchema } } },
    async (request) => service().putCategory(actorOf(request), request.body));
  r.get('/api/v1/problem-time-limits', { config: { permission: 'problem.read' }, schema: { tags, response: { 200: timeLimitsSchema } } },
    async () => service().listTimeLimits());
  r.put('/api/v1/problem-time-limits', { config: { permission: 'problem.admin' }, schema: { tags, body: timeLimitsBody, response: { 200: timeLimitsSchema } } },
    async (request) => service().putTimeLimits(actorOf(request), request.body.rows));
  r.get('/api/v1/problem-figures', { config: { permission: 'problem.read' }, schema: { tags, querystring: figuresQuery, response: { 200: problemFiguresSchema } } },
    async (request) => service().figures(actorOf(request), request.query.year ?? service().currentYear(), request.query.group_by));
  // The figures as a workbook: the breakdown asked for (责任部门 when none) with its 合计 row, and the definitions.
  r.get('/api/v1/problem-figures.xlsx', { config: { permission: 'problem.read' }, schema: { tags, querystring: figuresQuery } },
    async (request, reply) => {
      const s = service();
      const { fileName, write } = problemFiguresWorkbook(s, actorOf(request), request.query.year ?? s.currentYear(), request.query.group_by ?? 'department');
      return sendWorkbook(request, reply, fileName, write);
    });
}
