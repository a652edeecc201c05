import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { AttachmentError } from '../../platform/attachments/attachments.ts';
import { actorOf } from '../../plugins/auth.ts';
import { readUpload } from '../../plugins/multipart.ts';
import { sendWorkbook } from '../exports/index.ts';
import { nodePlanWorkbook } from './node-plan-export.ts';
import {
  completeBody, nodeAttachmentSchema, nodeBody, nodeMatterBody, nodeMatterSchema, nodeParams, nodePlanSchema, nodeTemplateSchema, nodeTimelineSchema, planCreateBody, planUpdateBody,
  projectParams, reviewBody, templatePutBody,
} from './node-plan.schema.ts';
import { presentAttachment, type NodeInput, type NodePlanService } from './node-plan.service.ts';

const MAX_UPLOAD = 20 * 1024 * 1024;

function nodeInput(b: { name: string; unit_id?: number | null; duration_days: number; predecessor_ids: number[]; evidence?: string | null }): NodeInput {
  return { name: b.name, unitId: b.unit_id ?? null, durationDays: b.duration_days, predecessorIds: b.predecessor_ids, evidence: b.evidence ?? null };
}

/**
 * Node plans (倒排工期): a project's plan (routes under /projects/:id answer 404 outside the scope), its nodes
 * (/plan-nodes/:id, the 'plan_node' entity's scope), completion with evidence, the office's review, 转督办.
 */
export function nodePlanRoutes(app: FastifyInstance, service: () => NodePlanService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['node-plans'];
  const scope = { entity: 'plan_node', param: 'id' };
  // Reading a plan: the project's own readers, and the units leading one of its nodes (the 'node_plan' entity).
  const planScope = { entity: 'node_plan', param: 'id' };
  r.get('/api/v1/projects/:id/node-plan', { config: { permission: 'project.read', scope: planScope }, schema: { tags, params: projectParams, response: { 200: nodePlanSchema } } },
    async (request) => service().get(actorOf(request), request.params.id));
  r.get('/api/v1/projects/:id/node-plan.xlsx', { config: { permission: 'project.read', audit: true, scope: planScope }, schema: { tags, params: projectParams } },
    async (request, reply) => {
      const { view, projectName, today } = await service().forExport(actorOf(request), request.params.id);
      return sendWorkbook(request, reply, `${projectName}-节点计划.xlsx`, (out) => nodePlanWorkbook(out, projectName, view, today));
    });
  r.post('/api/v1/projects/:id/node-plan', { config: { permission: 'project.write' }, schema: { tags, params: projectParams, body: planCreateBody, response: { 201: nodePlanSchema } } },
    async (request, reply) => reply.status(201).send(await service().create(actorOf(request), request.params.id, {
      template: request.body.template, targetOn: request.body.target_on ?? null, targetLabel: request.body.target_label ?? null, startOn: request.body.start_on ?? null,
    })));
  r.put('/api/v1/projects/:id/node-plan', { config: { permission: 'project.write' }, schema: { tags, params: projectParams, body: planUpdateBody, response: { 200: nodePlanSchema } } },
    async (request) => service().update(actorOf(request), request.params.id, request.body.version, {
      targetOn: request.body.target_on, targetLabel: request.body.target_label ?? null, startOn: request.body.start_on, anchorNodeId: request.body.anchor_node_id,
    }));
  r.post('/api/v1/projects/:id/node-plan/nodes', { config: { permission: 'project.write' }, schema: { tags, params: projectParams, body: nodeBody, response: { 201: nodePlanSchema } } },
    async (request, reply) => reply.status(201).send(await service().addNode(actorOf(request), request.params.id, nodeInput(request.body))));
  r.put('/api/v1/plan-nodes/:id', { config: { permission: 'project.write', scope }, schema: { tags, params: nodeParams, body: nodeBody, response: { 200: nodePlanSchema } } },
    async (request) => service().updateNode(actorOf(request), request.params.id, nodeInput(request.body)));
  r.delete('/api/v1/plan-nodes/:id', { config: { permission: 'project.write', scope }, schema: { tags, params: nodeParams, response: { 200: nodePlanSchema } } },
    async (request) => service().deleteNode(actorOf(request), request.params.id));
  r.post('/api/v1/plan-nodes/:id/evidence', { config: { permission: 'project.write', scope }, schema: { tags, params: nodeParams, consumes: ['multipart/form-data'], response: { 201: nodeAttachmentSchema } } },
    async (request, reply) => {
      const file = await readUpload(request, MAX_UPLOAD);
      try {
        return reply.status(201).send(presentAttachment(await service().addEvidence(actorOf(request), request.params.id, { fileName: file.fileName, data: file.buffer })));
      } catch (err) {
        if (err instanceof AttachmentError) throw new AppError('unprocessable', err.message);
        throw err;
      }
    });
  r.post('/api/v1/plan-nodes/:id/complete', { config: { permission: 'project.write', scope }, schema: { tags, params: nodeParams, body: completeBody, response: { 200: nodePlanSchema } } },
    async (request) => service().complete(actorOf(request), request.params.id, { text: request.body.text, completedOn: request.body.completed_on ?? null }));
  r.post('/api/v1/plan-nodes/:id/confirm', { config: { permission: 'node.confirm', scope }, schema: { tags, params: nodeParams, body: reviewBody, response: { 200: nodePlanSchema } } },
    async (request) => service().review(actorOf(request), request.params.id, 'confirm', request.body.reason));
  r.post('/api/v1/plan-nodes/:id/return', { config: { permission: 'node.confirm', scope }, schema: { tags, params: nodeParams, body: reviewBody, response: { 200: nodePlanSchema } } },
    async (request) => service().review(actorOf(request), request.params.id, 'return', request.body.reason));
  r.get('/api/v1/plan-nodes/:id/timeline', { config: { permission: 'project.read', scope }, schema: { tags, params: nodeParams, response: { 200: nodeTimelineSchema } } },
    async (request) => service().timeline(actorOf(request), request.params.id));
  // 转督办 of an overdue node: one matter per node (409 naming it the second time).
  r.post('/api/v1/plan-nodes/:id/matter', { config: { permission: 'matter.assign', scope }, schema: { tags, params: nodeParams, body: nodeMatterBody, response: { 201: nodeMatterSchema } } },
    async (request, reply) => {
      const b = request.body;
      return reply.status(201).send(await service().toMatter(actorOf(request), request.params.id, {
        title: b.title ?? undefined, content: b.content ?? undefined, leadUnitId: b.lead_unit_id ?? undefined, coUnitIds: b.co_unit_ids ?? undefined,
        type: b.type ?? undefined, urgency: b.urgency ?? undefined, dueOn: b.due_on ?? undefined, feedbackDays: b.feedback_days ?? undefined,
      }));
    });
  // The office's default template (倒排工期模板): read by whoever creates plans, saved by the office (versioned).
  r.get('/api/v1/node-plans/template', { config: { permission: 'project.read' }, schema: { tags, response: { 200: nodeTemplateSchema } } },
    async () => service().template());
  r.put('/api/v1/node-plans/template', { config: { permission: 'nodeplan.admin' }, schema: { tags, body: templatePutBody, response: { 200: nodeTemplateSchema } } },
    async (request) => service().saveTemplate(actorOf(request), request.body.version, request.body.nodes.map((n) => ({
      name: n.name, durationDays: n.duration_days, predecessors: n.predecessors, unitId: n.unit_id ?? null, evidence: n.evidence,
    }))));
}
