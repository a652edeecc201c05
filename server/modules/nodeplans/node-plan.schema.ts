// Requests and responses of node plans (倒排工期), zod; the responses feed the OpenAPI document and web/api/generated.ts.
import { z } from 'zod';
import { isoDate, matterPrefillBody } from '../../platform/schemas.ts';
import { NODE_ACTIONS, NODE_STATES } from '../../../core/nodeplans/node-workflow.ts';

const id = z.coerce.number().int().positive();

export const projectParams = z.object({ id });
export const nodeParams = z.object({ id });

/** Creating a plan: from the default template (14 common nodes) or empty, with its dates. */
export const planCreateBody = z.object({
  template: z.enum(['default', 'empty']),
  target_on: isoDate.nullish(),
  target_label: z.string().trim().max(20, '目标名称不超过 20 字').nullish(),
  start_on: isoDate.nullish(),
}).strict();

/** Changing the plan's dates (naming the version read). */
export const planUpdateBody = z.object({
  version: z.number().int().positive(),
  target_on: isoDate.nullable().optional(),
  target_label: z.string().trim().max(20, '目标名称不超过 20 字').nullish(),
  start_on: isoDate.nullable().optional(),
}).strict();

/** A node written by hand: duration in working days on the office's calendar. */
export const nodeBody = z.object({
  name: z.string().trim().min(1, '请填写节点名称').max(60, '节点名称不超过 60 字'),
  unit_id: z.number().int().positive().nullish(),
  duration_days: z.number({ error: '请填写工期（工作日）' }).int('工期应为整数个工作日').min(1, '工期至少 1 个工作日').max(1000, '工期不超过 1000 个工作日'),
  predecessor_ids: z.array(z.number().int().positive()).max(50, '前置节点不超过 50 个').default([]),
  evidence: z.string().trim().max(500, '佐证要求不超过 500 字').nullish(),
}).strict();

export const completeBody = z.object({
  text: z.string().trim().min(1, '请填写完成情况说明').max(5000, '完成情况说明不超过 5000 字'),
  completed_on: isoDate.nullish(),
}).strict();

export const reviewBody = z.object({ reason: z.string().trim().max(1000).nullish() }).strict();

/** What the 交办 dialog may change of the prefilled matter. */
export const nodeMatterBody = matterPrefillBody;

// ---- responses ----------------------------------------------------------------------------------------------------

const date = z.string().nullable();

export const nodeAttachmentSchema = z.object({ id: z.number().int(), file_name: z.string(), size_bytes: z.number().int(), uploaded_at: z.string(), url: z.string() }).meta({ id: 'NodeAttachment' });

export const planNodeSchema = z.object({
  id: z.number().int(), position: z.number().int(), name: z.string(), unit_id: z.number().int().nullable(), unit_name: z.string().nullable(),
  duration_days: z.number().int(), predecessor_ids: z.array(z.number().int()), evidence: z.string().nullable(),
  status: z.enum(NODE_STATES), status_label: z.string(), completed_on: date, confirmed_on: date,
  latest_start: date, latest_finish: date, planned_start: date, planned_finish: date,
  is_overdue: z.boolean(), overdue_days: z.number().int(), late_by_plan: z.boolean(),
  attachments: z.array(nodeAttachmentSchema),
  matter: z.object({ id: z.number().int(), number: z.string() }).nullable(),
  actions: z.array(z.enum(NODE_ACTIONS)),
}).meta({ id: 'PlanNode' });

export const nodePlanSchema = z.object({
  project_id: z.number().int(),
  plan: z.object({ id: z.number().int(), target_on: date, target_label: z.string(), start_on: date, version: z.number().int(), updated_at: z.string() }).nullable(),
  nodes: z.array(planNodeSchema),
}).meta({ id: 'NodePlan' });

export const nodeTimelineSchema = z.object({
  items: z.array(z.object({ at: z.string(), kind: z.enum(['move', 'feedback', 'event']), actor_id: z.number().int().nullable(), title: z.string(), detail: z.string().nullable() })),
}).meta({ id: 'NodeTimeline' });

export const nodeMatterSchema = z.object({ id: z.number().int(), number: z.string() }).meta({ id: 'NodeMatter' });
