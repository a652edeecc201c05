import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readUpload } from '../../plugins/multipart.ts';
import { contentDisposition, sendWorkbook } from '../exports/index.ts';
import { actorOf } from '../../plugins/auth.ts';
import { AppError } from '../../errors.ts';
import { SettingsError } from '../../platform/settings.ts';
import type { LeadImportService } from './attraction.import.ts';
import type { AttractionService } from './attraction.service.ts';
import {
  settingsBody, figuresQuery, leadCreateBody, leadFileParams, leadFileQuery, leadFollowupBody, leadIdParams, leadListQuery, leadMoveBody, leadReviewBody, leadUpdateBody,
} from './attraction.schema.ts';
import {
  attractionSettingsSchema, batchesSchema, figuresSchema, leadDetailSchema, leadFilesSchema, leadFollowupsSchema, leadListSchema,
  leadImportReportSchema,
} from './attraction.responses.ts';

const tags = ['attraction'];
const scope = { entity: 'attraction_lead', param: 'id' };
const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

/** Investment attraction (招商引资): records, their reviewed stage moves, follow-ups, evidence and figures. */
export function attractionRoutes(app: FastifyInstance, service: () => AttractionService, importer: () => LeadImportService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The office's settings and the server's today (the pages' "today" and default year come from here).
  r.get('/api/v1/attraction/settings', { config: { permission: 'attraction.read' }, schema: { tags, response: { 200: attractionSettingsSchema } } },
    async () => service().settings());
  r.put('/api/v1/attraction/settings', { config: { permission: 'attraction.review' }, schema: { tags, body: settingsBody, response: { 200: attractionSettingsSchema } } },
    async (request) => {
      try {
        return await service().putSettings(actorOf(request), request.body);
      } catch (err) {
        if (err instanceof SettingsError) throw new AppError('unprocessable', err.message);
        throw err;
      }
    });
  // The ledger import (招商台账): a dry run reports by row and column and writes nothing; apply writes all or nothing.
  for (const step of ['dry-run', 'apply'] as const) {
    r.post(`/api/v1/attraction/import/${step}`, {
      config: { permission: 'attraction.review' }, schema: { tags, querystring: z.object({ sheet: z.string().max(100).optional() }), consumes: ['multipart/form-data'], response: { 200: leadImportReportSchema } },
    }, async (request) => {
      const upload = await readUpload(request, IMPORT_MAX_BYTES);
      return importer().importFile(actorOf(request), upload.buffer, { fileName: upload.fileName, dryRun: step === 'dry-run', sheet: request.query.sheet });
    });
  }
  r.get('/api/v1/attraction/leads', { config: { permission: 'attraction.read' }, schema: { tags, querystring: leadListQuery, response: { 200: leadListSchema } } },
    async (request) => service().list(actorOf(request), request.query));
  r.post('/api/v1/attraction/leads', { config: { permission: 'attraction.write' }, schema: { tags, body: leadCreateBody, response: { 201: leadDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service().create(actorOf(request), request.body)));
  r.get('/api/v1/attraction/leads/:id', { config: { permission: 'attraction.read', scope }, schema: { tags, params: leadIdParams, response: { 200: leadDetailSchema } } },
    async (request) => service().get(actorOf(request), request.params.id));
  r.patch('/api/v1/attraction/leads/:id', { config: { permission: 'attraction.write', scope }, schema: { tags, params: leadIdParams, body: leadUpdateBody, response: { 200: leadDetailSchema } } },
    async (request) => service().update(actorOf(request), request.params.id, request.body));
  r.post('/api/v1/attraction/leads/:id/moves', { config: { permission: 'attraction.write', scope }, schema: { tags, params: leadIdParams, body: leadMoveBody, response: { 200: leadDetailSchema } } },
    async (request) => service().submitMove(actorOf(request), request.params.id, request.body));
  // Approve and return need attraction.review, withdraw attraction.write: the workflow checks the action's own permission.
  r.post('/api/v1/attraction/leads/:id/review', { config: { permission: 'attraction.write', scope }, schema: { tags, params: leadIdParams, body: leadReviewBody, response: { 200: leadDetailSchema } } },
    async (request) => service().review(actorOf(request), request.params.id, request.body));
  r.post('/api/v1/attraction/leads/:id/followups', { config: { permission: 'attraction.write', scope }, schema: { tags, params: leadIdParams, body: leadFollowupBody, response: { 201: leadFollowupsSchema } } },
    async (request, reply) => reply.status(201).send(await service().addFollowup(actorOf(request), request.params.id, request.body)));
  r.post('/api/v1/attraction/leads/:id/files', {
    config: { permission: 'attraction.write', scope }, schema: { tags, params: leadIdParams, querystring: leadFileQuery, consumes: ['multipart/form-data'], response: { 201: leadFilesSchema } },
  }, async (request, reply) => {
    const upload = await readUpload(request, EVIDENCE_MAX_BYTES);
    return reply.status(201).send(await service().addFile(actorOf(request), request.params.id, request.query.stage, upload));
  });
  r.get('/api/v1/attraction/leads/:id/files/:fileId', { config: { permission: 'attraction.read', scope }, schema: { tags, params: leadFileParams } },
    async (request, reply) => {
      const f = await service().readFile(actorOf(request), request.params.id, request.params.fileId);
      return reply.header('content-type', f.mime).header('content-disposition', contentDisposition(f.name)).send(f.data);
    });
  r.get('/api/v1/attraction/figures', { config: { permission: 'attraction.read' }, schema: { tags, querystring: figuresQuery, response: { 200: figuresSchema } } },
    async (request) => service().figures(actorOf(request), request.query));
  r.get('/api/v1/attraction/batches', {
    config: { permission: 'attraction.read' },
    schema: { tags, querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100), quarter: z.coerce.number().int().min(1).max(4), team_id: z.coerce.number().int().positive().optional(), region_code: z.string().max(16).optional() }), response: { 200: batchesSchema } },
  }, async (request) => service().batches(actorOf(request), request.query.year, request.query.quarter, request.query));
  r.get('/api/v1/attraction/export.xlsx', {
    config: { permission: 'attraction.read' },
    schema: { tags, querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100), quarter: z.coerce.number().int().min(1).max(4) }) },
  }, async (request, reply) => {
    const { fileName, write } = await service().exportWorkbook(actorOf(request), request.query.year, request.query.quarter);
    return sendWorkbook(request, reply, fileName, write);
  });
}
