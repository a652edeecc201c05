import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { AttachmentError } from '../../platform/attachments/attachments.ts';
import { actorOf } from '../../plugins/auth.ts';
import { readUpload } from '../../plugins/multipart.ts';
import { contentDisposition, sendWorkbook } from '../exports/index.ts';
import { batchBody, batchesQuery, decisionBody, decisionDeleteQuery, decisionMattersBody, decisionParams, idParams, letterBody, letterParams, meetingBody, meetingsQuery, meetingUpdateBody } from './agenda.schema.ts';
import type { AgendaService } from './agenda.service.ts';
import type { LetterService } from './letters.service.ts';
import { batchesWorkbook, batchWorkbook, meetingsWorkbook } from './matter-export.ts';
import type { MatterService } from './matter.service.ts';
import {
  attachmentSchema, batchCandidatesSchema, batchCreatedSchema, batchDetailSchema, batchListSchema, batchReissuedSchema, coSignedSchema, decisionDeletedSchema, decisionMattersSchema, decisionRefSchema,
  deletedSchema, idSchema, matterDetailSchema, meetingDetailSchema, meetingListSchema, meetingUpdatedSchema,
} from './supervision.responses.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Meetings (会议) → decisions (议定事项) → matters; weekly batches (周交办) with the 交办单 (.docx/.xlsx); escalation
 * letters of a matter (issue by hand, download), and a co-unit's 签收.
 */
export function agendaRoutes(app: FastifyInstance, deps: { agenda: () => AgendaService; letters: () => LetterService; matters: () => MatterService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];
  const matterScope = { entity: 'matter', param: 'id' };
  // meetings: the supervision office records them; leaders read them
  r.get('/api/v1/meetings', { config: { permission: 'meeting.read' }, schema: { tags, querystring: meetingsQuery, response: { 200: meetingListSchema } } },
    async (request) => {
      const q = request.query;
      return deps.agenda().meetings({ limit: q.limit, offset: q.offset }, { year: q.year, kind: q.kind, q: q.q });
    });
  // the filtered meetings list as .xlsx (every meeting the filters keep, not one page)
  r.get('/api/v1/meetings.xlsx', { config: { permission: 'meeting.read', audit: true }, schema: { tags, querystring: meetingsQuery } },
    async (request, reply) => {
      const q = request.query;
      const { items } = await deps.agenda().meetings({ limit: 100_000, offset: 0 }, { year: q.year, kind: q.kind, q: q.q });
      return sendWorkbook(request, reply, `会议台账${q.year ? `-${q.year}年` : ''}.xlsx`, (out) => meetingsWorkbook(out, items));
    });
  r.post('/api/v1/meetings', { config: { permission: 'supervision.admin' }, schema: { tags, body: meetingBody, response: { 200: idSchema } } },
    async (request) => {
      const b = request.body;
      return deps.agenda().createMeeting(actorOf(request), { kind: b.kind, title: b.title, heldOn: b.held_on, chair: b.chair, attendees: b.attendees, location: b.location, decisions: b.decisions });
    });
  r.get('/api/v1/meetings/:id', { config: { permission: 'meeting.read' }, schema: { tags, params: idParams, response: { 200: meetingDetailSchema } } },
    async (request) => deps.agenda().meeting(request.params.id));
  r.put('/api/v1/meetings/:id', { config: { permission: 'supervision.admin' }, schema: { tags, params: idParams, body: meetingUpdateBody, response: { 200: meetingUpdatedSchema } } },
    async (request) => {
      const b = request.body;
      return deps.agenda().updateMeeting(actorOf(request), request.params.id, { version: b.version, kind: b.kind, title: b.title, heldOn: b.held_on, chair: b.chair, attendees: b.attendees, location: b.location });
    });
  r.delete('/api/v1/meetings/:id', { config: { permission: 'supervision.admin' }, schema: { tags, params: idParams, response: { 200: deletedSchema } } },
    async (request) => deps.agenda().deleteMeeting(actorOf(request), request.params.id));
  r.put('/api/v1/meetings/:id/decisions/:decisionId', { config: { permission: 'supervision.admin' }, schema: { tags, params: decisionParams, body: decisionBody, response: { 200: decisionRefSchema } } },
    async (request) => deps.agenda().updateDecision(actorOf(request), request.params.id, request.params.decisionId, request.body.version, request.body.text));
  r.delete('/api/v1/meetings/:id/decisions/:decisionId', { config: { permission: 'supervision.admin' }, schema: { tags, params: decisionParams, querystring: decisionDeleteQuery, response: { 200: decisionDeletedSchema } } },
    async (request) => deps.agenda().deleteDecision(actorOf(request), request.params.id, request.params.decisionId, request.query.version));
  r.post('/api/v1/meetings/:id/decisions', { config: { permission: 'supervision.admin' }, schema: { tags, params: idParams, body: decisionBody, response: { 200: decisionRefSchema } } },
    async (request) => deps.agenda().addDecision(actorOf(request), request.params.id, request.body.version, request.body.text));
  r.post('/api/v1/meetings/:id/attachments', { config: { permission: 'supervision.admin' }, schema: { tags, params: idParams, response: { 200: attachmentSchema } } },
    async (request) => {
      const file = await readUpload(request, 20 * 1024 * 1024);
      try {
        return await deps.agenda().attach(actorOf(request), request.params.id, { fileName: file.fileName, data: file.buffer });
      } catch (err) {
        if (err instanceof AttachmentError) throw new AppError('unprocessable', err.message);
        throw err;
      }
    });
  r.post('/api/v1/meetings/:id/decisions/:decisionId/matters', { config: { permission: 'matter.assign' }, schema: { tags, params: decisionParams, body: decisionMattersBody, response: { 200: decisionMattersSchema } } },
    async (request) => {
      const b = request.body;
      const matters = await deps.agenda().decisionToMatters(actorOf(request), request.params.id, request.params.decisionId, {
        title: b.title, content: b.content, type: b.type, urgency: b.urgency, dueOn: b.due_on, feedbackDays: b.feedback_days, projectIds: b.project_ids,
        units: b.units.map((u) => ({ leadUnitId: u.lead_unit_id, coUnitIds: u.co_unit_ids })),
      });
      return { matters };
    });
  // weekly batches: the office issues them; every unit reads its own part
  r.get('/api/v1/batches', { config: { permission: 'supervision.admin' }, schema: { tags, querystring: batchesQuery, response: { 200: batchListSchema } } },
    async (request) => {
      const q = request.query;
      return deps.agenda().batches({ limit: q.limit, offset: q.offset }, { year: q.year, status: q.status, q: q.q });
    });
  // the filtered batches list as .xlsx (every batch the filters keep, not one page)
  r.get('/api/v1/batches.xlsx', { config: { permission: 'supervision.admin', audit: true }, schema: { tags, querystring: batchesQuery } },
    async (request, reply) => {
      const q = request.query;
      const { items } = await deps.agenda().batches({ limit: 100_000, offset: 0 }, { year: q.year, status: q.status, q: q.q });
      return sendWorkbook(request, reply, `周交办台账${q.year ? `-${q.year}年` : ''}.xlsx`, (out) => batchesWorkbook(out, items));
    });
  r.get('/api/v1/batches/candidates', { config: { permission: 'supervision.admin' }, schema: { tags, response: { 200: batchCandidatesSchema } } },
    async (request) => deps.agenda().unbatched(actorOf(request)));
  r.post('/api/v1/batches', { config: { permission: 'supervision.admin' }, schema: { tags, body: batchBody, response: { 200: batchCreatedSchema } } },
    async (request) => deps.agenda().createBatch(actorOf(request), { matterIds: request.body.matter_ids, title: request.body.title, carryOverdue: request.body.carry_overdue }));
  r.post('/api/v1/batches/:id/reissue', { config: { permission: 'supervision.admin' }, schema: { tags, params: idParams, response: { 200: batchReissuedSchema } } },
    async (request) => deps.agenda().reissueBatch(actorOf(request), request.params.id));
  r.get('/api/v1/batches/:id', { config: { permission: 'matter.read' }, schema: { tags, params: idParams, response: { 200: batchDetailSchema } } },
    async (request) => deps.agenda().batch(actorOf(request), request.params.id));
  r.get('/api/v1/batches/:id/sheet.docx', { config: { permission: 'matter.read', audit: true }, schema: { tags, params: idParams } },
    async (request, reply) => {
      const f = await deps.agenda().batchDocx(actorOf(request), request.params.id);
      return reply.header('content-type', DOCX).header('content-disposition', contentDisposition(f.fileName)).send(f.data);
    });
  r.get('/api/v1/batches/:id/sheet.xlsx', { config: { permission: 'matter.read', audit: true }, schema: { tags, params: idParams } },
    async (request, reply) => {
      const d = await deps.agenda().batch(actorOf(request), request.params.id);
      return sendWorkbook(request, reply, `周交办单-${d.batch.year}年第${d.batch.seq}期.xlsx`, (out) => batchWorkbook(out, d));
    });
  // a matter's letters and a co-unit's 签收
  r.post('/api/v1/matters/:id/letters', { config: { permission: 'supervision.admin', scope: matterScope }, schema: { tags, params: idParams, body: letterBody, response: { 200: matterDetailSchema } } },
    async (request) => {
      await deps.matters().issueLetter(actorOf(request), request.params.id, request.body.kind);
      return deps.matters().detail(actorOf(request), request.params.id);
    });
  r.get('/api/v1/matters/:id/letters/:letterId', { config: { permission: 'matter.read', audit: true, scope: matterScope }, schema: { tags, params: letterParams } },
    async (request, reply) => {
      const f = await deps.letters().file(request.params.id, request.params.letterId);
      return reply.header('content-type', DOCX).header('content-disposition', contentDisposition(f.fileName)).send(f.data);
    });
  r.post('/api/v1/matters/:id/co-sign', { config: { permission: 'matter.read', scope: matterScope }, schema: { tags, params: idParams, response: { 200: coSignedSchema } } },
    async (request) => deps.matters().coSign(actorOf(request), request.params.id));
}
