import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { MatterAction } from '../../../core/supervision/matter-workflow.ts';
import { AppError } from '../../errors.ts';
import { AttachmentError } from '../../platform/attachments/attachments.ts';
import { SettingsError } from '../../platform/settings.ts';
import { actorOf } from '../../plugins/auth.ts';
import { readUpload } from '../../plugins/multipart.ts';
import { sendWorkbook } from '../exports/index.ts';
import { matterWorkbook } from './matter-export.ts';
import type { MatterFilter } from './matter.repository.ts';
import { figuresQuery, attentionBody, feedbackBody, feedbackParams, instructionBody, matterActBody, matterCreateBody, matterEnterprisesBody, matterIdParams, matterListQuery, yearParams, yearRulesBody } from './matter.schema.ts';
import type { MatterService } from './matter.service.ts';
import { supervisionSettingsPatch } from './supervision.settings.ts';
import {
  attachmentSchema, attentionSchema, feedbackEntrySchema, idSchema, matterDetailSchema, matterListSchema, matterRefSchema, nextNumbersSchema, supervisionFiguresSchema, supervisionSettingsSchema, yearRulesSchema,
} from './supervision.responses.ts';

type ListQuery = z.infer<typeof matterListQuery>;
function filterOf(q: ListQuery): MatterFilter {
  return {
    status: q.status ? q.status.split(',').filter(Boolean) : undefined, unitId: q.unit_id, source: q.source, sourceId: q.source_id, urgency: q.urgency,
    overdue: q.overdue === '1' ? true : undefined, attention: q.attention === '1' ? true : undefined, year: q.year, projectId: q.project_id, enterpriseId: q.enterprise_id, batchId: q.batch_id, q: q.q,
  };
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AttachmentError || err instanceof SettingsError) throw new AppError('unprocessable', err.message);
    throw err;
  }
}

const MAX_UPLOAD = 20 * 1024 * 1024;

/** Supervised matters (督办事项): lists by inbox box, create, the matter page, moves, feedback, 批示, files, export. */
export function matterRoutes(app: FastifyInstance, service: () => MatterService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];
  const scope = { entity: 'matter', param: 'id' };
  r.get('/api/v1/matters', { config: { permission: 'matter.read' }, schema: { tags, querystring: matterListQuery, response: { 200: matterListSchema } } },
    async (request) => {
      const q = request.query;
      const f = filterOf(q);
      return service().list(actorOf(request), q.box, f, { limit: q.limit, offset: q.offset });
    });
  r.get('/api/v1/matters.xlsx', { config: { permission: 'matter.read', audit: true }, schema: { tags, querystring: matterListQuery } },
    async (request, reply) => {
      const q = request.query;
      const f = filterOf(q);
      const result = await service().list(actorOf(request), q.box, f, { limit: 100_000, offset: 0 });
      return sendWorkbook(request, reply, `督办事项清单-${result.today}.xlsx`, (out) => matterWorkbook(out, result));
    });
  r.post('/api/v1/matters', { config: { permission: 'matter.assign' }, schema: { tags, body: matterCreateBody, response: { 200: matterRefSchema } } },
    async (request) => {
      const b = request.body;
      return service().create(actorOf(request), {
        title: b.title, content: b.content, source: b.source, sourceId: b.source_id, sourceRef: b.source_ref, sourceLink: b.source_link, type: b.type, urgency: b.urgency,
        leadUnitId: b.lead_unit_id, coUnitIds: b.co_unit_ids, projectIds: b.project_ids, enterpriseIds: b.enterprise_ids, leaderId: b.leader_id, dueOn: b.due_on,
        dueWorkingDays: b.due_working_days, feedbackDays: b.feedback_days,
      });
    });
  r.get('/api/v1/matters/:id', { config: { permission: 'matter.read', scope }, schema: { tags, params: matterIdParams, response: { 200: matterDetailSchema } } },
    async (request) => service().detail(actorOf(request), request.params.id));
  r.post('/api/v1/matters/:id/actions', { config: { permission: 'matter.read', scope }, schema: { tags, params: matterIdParams, body: matterActBody, response: { 200: matterDetailSchema } } },
    async (request) => {
      const b = request.body;
      await service().act(actorOf(request), request.params.id, { action: b.action as MatterAction, version: b.version, reason: b.reason, dueOn: b.due_on, leadUnitId: b.lead_unit_id });
      return service().detail(actorOf(request), request.params.id);
    });
  r.post('/api/v1/matters/:id/feedback', { config: { permission: 'matter.read', scope }, schema: { tags, params: matterIdParams, body: feedbackBody, response: { 200: feedbackEntrySchema } } },
    async (request) => service().feedback(actorOf(request), request.params.id, { text: request.body.text, nextSteps: request.body.next_steps }));
  r.post('/api/v1/matters/:id/feedback/:entryId/attachments', { config: { permission: 'matter.read', scope }, schema: { tags, params: feedbackParams, response: { 200: attachmentSchema } } },
    async (request) => {
      const file = await readUpload(request, MAX_UPLOAD);
      return guard(() => service().attachToFeedback(actorOf(request), request.params.id, request.params.entryId, { fileName: file.fileName, data: file.buffer }));
    });
  r.post('/api/v1/matters/:id/attachments', { config: { permission: 'matter.read', scope }, schema: { tags, params: matterIdParams, response: { 200: attachmentSchema } } },
    async (request) => {
      const file = await readUpload(request, MAX_UPLOAD);
      return guard(() => service().attach(actorOf(request), request.params.id, { fileName: file.fileName, data: file.buffer }));
    });
  r.post('/api/v1/matters/:id/instructions', { config: { permission: 'matter.instruct', scope }, schema: { tags, params: matterIdParams, body: instructionBody, response: { 200: idSchema } } },
    async (request) => service().instruct(actorOf(request), request.params.id, request.body.text));
  // 关联企业: whoever assigns matters edits the links, each enterprise one they see (refused 422 otherwise).
  r.put('/api/v1/matters/:id/enterprises', { config: { permission: 'matter.assign', scope }, schema: { tags, params: matterIdParams, body: matterEnterprisesBody, response: { 200: matterDetailSchema } } },
    async (request) => {
      await service().setEnterprises(actorOf(request), request.params.id, request.body.enterprise_ids);
      return service().detail(actorOf(request), request.params.id);
    });
  r.put('/api/v1/matters/:id/attention', { config: { permission: 'matter.attention', scope }, schema: { tags, params: matterIdParams, body: attentionBody, response: { 200: attentionSchema } } },
    async (request) => service().setAttention(actorOf(request), request.params.id, request.body.attention));
  r.get('/api/v1/supervision/figures', { config: { permission: 'matter.read' }, schema: { tags, querystring: figuresQuery, response: { 200: supervisionFiguresSchema } } },
    async (request) => ({ month: request.query.month, units: await service().figures(actorOf(request), request.query.month) }));
  r.get('/api/v1/supervision/settings', { config: { permission: 'matter.read' }, schema: { tags, response: { 200: supervisionSettingsSchema } } }, async () => service().settings());
  r.get('/api/v1/supervision/settings/next-numbers', { config: { permission: 'supervision.admin' }, schema: { tags, response: { 200: nextNumbersSchema } } }, async () => service().nextNumbers());
  r.put('/api/v1/supervision/settings', { config: { permission: 'supervision.admin' }, schema: { tags, body: supervisionSettingsPatch, response: { 200: supervisionSettingsSchema } } },
    async (request) => {
      const { version, ...patch } = request.body;
      return guard(() => service().putSettings(actorOf(request), version, patch as never));
    });
  // the escalation rules of one year (a matter follows its year's; year-rules.service.ts says which year and the fallback)
  r.get('/api/v1/supervision/rules/:year', { config: { permission: 'matter.read' }, schema: { tags, params: yearParams, response: { 200: yearRulesSchema } } },
    async (request) => service().yearRules.get(request.params.year));
  r.put('/api/v1/supervision/rules/:year', { config: { permission: 'supervision.admin' }, schema: { tags, params: yearParams, body: yearRulesBody, response: { 200: yearRulesSchema } } },
    async (request) => {
      const { version, ...patch } = request.body;
      return service().yearRules.put(actorOf(request), request.params.year, version, patch);
    });
}
