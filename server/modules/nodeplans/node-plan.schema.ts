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
  /** The node the target date is the finish of; null: the target label's node (开工 for 计划开工 …); absent: unchanged. */
  anchor_node_id: z.number().int().positive().nullable().optional(),
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

/** The project's basic facts shown with its plan (all a node's unit outside the project's scope sees of it). */
export const planProjectSchema = z.object({
  id: z.number().int(), code: z.string().nullable(), name: z.string(), stage: z.string(), unit_id: z.number().int(), unit_name: z.string().nullable(),
  region_code: z.string(), region_name: z.string().nullable(), address: z.string().nullable(),
  builder_name: z.string().nullable(), builder_contact: z.string().nullable(), builder_phone: z.string().nullable(),
  planned_start_date: date, planned_completion_date: date, planned_production_date: date,
}).meta({ id: 'PlanProject' });

export const nodePlanSchema = z.object({
  project_id: z.number().int(),
  /** 'full': the project is in the account's scope; 'nodes': only a node of its unit is (read, and act on its own nodes). */
  access: z.enum(['full', 'nodes']),
  /** Whether the account may change the plan (its dates and nodes). */
  can_edit: z.boolean(),
  project: planProjectSchema,
  plan: z.object({
    id: z.number().int(), target_on: date, target_label: z.string(), start_on: date, anchor_node_id: z.number().int().nullable(), version: z.number().int(), updated_at: z.string(),
  }).nullable(),
  /** The node the target date is the finish of (the pick, or the target label's node); null: the last nodes. */
  anchor_id: z.number().int().nullable(),
  nodes: z.array(planNodeSchema),
}).meta({ id: 'NodePlan' });

export const nodeTimelineSchema = z.object({
  items: z.array(z.object({ at: z.string(), kind: z.enum(['move', 'feedback', 'event']), actor_id: z.number().int().nullable(), title: z.string(), detail: z.string().nullable() })),
}).meta({ id: 'NodeTimeline' });

export const nodeMatterSchema = z.object({ id: z.number().int(), number: z.string() }).meta({ id: 'NodeMatter' });

// ---- the office's default template ------------------------------------------------------------------------------

const templateNodeBody = z.object({
  name: z.string().trim().min(1, '请填写节点名称').max(60, '节点名称不超过 60 字'),
  duration_days: z.number({ error: '请填写工期（工作日）' }).int('工期应为整数个工作日').min(1, '工期至少 1 个工作日').max(1000, '工期不超过 1000 个工作日'),
  /** Indexes (from 0) of the nodes before it in this list. */
  predecessors: z.array(z.number().int().min(0)).max(50, '前置节点不超过 50 个').default([]),
  unit_id: z.number().int().positive().nullish(),
  evidence: z.string().trim().max(500, '佐证要求不超过 500 字').default(''),
}).strict();

/** Saving the template, naming the version read (a stale save is refused 409 with the stored template). */
export const templatePutBody = z.object({
  version: z.number().int().positive(),
  nodes: z.array(templateNodeBody).min(1, '模板至少要有 1 个节点').max(60, '模板不超过 60 个节点'),
}).strict();

export const nodeTemplateSchema = z.object({
  version: z.number().int(),
  /** True while the office has not saved its own (the built-in default). */
  is_default: z.boolean(),
  nodes: z.array(z.object({
    name: z.string(), duration_days: z.number().int(), predecessors: z.array(z.number().int()), unit_id: z.number().int().nullable(), unit_name: z.string().nullable(), evidence: z.string(),
  })),
}).meta({ id: 'NodeTemplate' });
