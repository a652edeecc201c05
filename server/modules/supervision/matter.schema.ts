import { z } from 'zod';
import { MATTER_SOURCES, MATTER_URGENCIES, MATTER_WORKFLOW } from '../../../core/supervision/matter-workflow.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const id = z.number().int().positive();
/** A path inside the app ('/bulletins?tab=ranking…'): never another site. */
export const inAppPath = z.string().max(500).regex(/^\/(?![/\\])/, '来源链接应为本系统内的路径');

export const matterIdParams = z.object({ id: z.coerce.number().int().positive() });
export const feedbackParams = z.object({ id: z.coerce.number().int().positive(), entryId: z.coerce.number().int().positive() });

export const matterCreateBody = z.object({
  title: z.string().trim().min(1, '请填写标题').max(200),
  content: z.string().max(5000).default(''),
  source: z.enum(MATTER_SOURCES),
  source_id: id.nullish(),
  source_ref: z.string().max(500).nullish(),
  source_link: inAppPath.nullish(),
  type: z.string().max(40).default('项目推进'),
  urgency: z.enum(MATTER_URGENCIES).default('normal'),
  lead_unit_id: id,
  co_unit_ids: z.array(id).max(50).default([]),
  project_ids: z.array(id).max(200).default([]),
  enterprise_ids: z.array(id).max(200).default([]),
  leader_id: id.nullish(),
  due_on: day.nullish(),
  due_working_days: z.number().int().min(1).max(250).nullish(),
  feedback_days: z.number().int().min(0).max(60).nullish(),
}).strict();

export const MATTER_BOXES = ['to_sign', 'doing', 'done', 'co', 'review', 'mine', 'attention', 'overdue', 'all'] as const;

export const matterListQuery = z.object({
  box: z.enum(MATTER_BOXES).default('all'),
  status: z.string().max(200).optional(),
  unit_id: z.coerce.number().int().positive().optional(),
  source: z.enum(MATTER_SOURCES).optional(),
  source_id: z.coerce.number().int().positive().optional(),
  urgency: z.enum(MATTER_URGENCIES).optional(),
  overdue: z.enum(['0', '1']).optional(),
  attention: z.enum(['0', '1']).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  project_id: z.coerce.number().int().positive().optional(),
  enterprise_id: z.coerce.number().int().positive().optional(),
  batch_id: z.coerce.number().int().positive().optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const actions = Object.keys(MATTER_WORKFLOW.spec.actions) as [string, ...string[]];
export const matterActBody = z.object({
  action: z.enum(actions),
  version: z.number().int().min(1),
  reason: z.string().max(2000).nullish(),
  due_on: day.nullish(),
  lead_unit_id: id.nullish(),
}).strict();

export const feedbackBody = z.object({ text: z.string().trim().min(1, '请填写反馈内容').max(5000), next_steps: z.string().max(2000).nullish() }).strict();
export const instructionBody = z.object({ text: z.string().trim().min(1, '请填写批示内容').max(2000) }).strict();
/** The matter's linked enterprises (关联企业), replacing the ones it had. */
export const matterEnterprisesBody = z.object({ enterprise_ids: z.array(id).max(200) }).strict();
export const attentionBody = z.object({ attention: z.boolean() }).strict();

export const figuresQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 YYYY-MM') });

/** A year of the escalation rules (督办规则按年度). */
export const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const ruleStep = z.object({ key: z.string().min(1).max(30), offset: z.number().int(), label: z.string().max(30) });
/** A change to one year's rules (any of its keys), made on the version read (0: the year has none of its own yet). */
export const yearRulesBody = z.object({
  version: z.number().int().min(0),
  ladder: z.array(ruleStep).max(10).optional(),
  feedback_ladder: z.array(ruleStep).max(10).optional(),
  letter_on_step: z.record(z.string(), z.enum(['remind', 'press', 'interview'])).optional(),
  letter_on_create: z.boolean().optional(),
}).strict();
