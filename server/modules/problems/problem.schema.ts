import { z } from 'zod';
import { PROBLEM_LEVELS, PROBLEM_SOURCES, PROBLEM_STATES, VISIT_RESULTS } from '../../../core/problems/problem-workflow.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const text = (max: number, label: string) => z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 字`);

export const idParams = z.object({ id: z.coerce.number().int().positive() });

/** A problem as raised (on the ledger, from a visit, by import). */
export const raiseProblemBody = z.object({
  title: text(200, '问题标题'),
  description: text(4000, '问题描述'),
  source: z.enum(PROBLEM_SOURCES),
  enterprise_id: z.number().int().positive().nullish(),
  project_id: z.number().int().positive().nullish(),
  meeting: z.string().trim().max(200).nullish(),
  category_code: z.string().min(1, '请选择问题分类').max(40),
  level: z.enum(PROBLEM_LEVELS).default('county'),
  is_major: z.boolean().default(false),
  region_code: z.string().regex(/^[0-9A-Z]{2,12}$/).nullish(),
  owner_unit_id: z.number().int().positive().nullish(),
  co_unit_ids: z.array(z.number().int().positive()).max(20).default([]),
  received_on: day.nullish(),
});
export type RaiseProblemInput = z.infer<typeof raiseProblemBody>;

export const problemActionParams = z.object({
  id: z.coerce.number().int().positive(),
  action: z.enum(['assign', 'reject', 'sign', 'transfer', 'start', 'reply', 'adopt_matter', 'visit', 'close']),
});

/** One move: the version read, and what the move needs (a reason, the department, the reply, the visit result). */
export const problemActionBody = z.object({
  version: z.number().int().positive(),
  reason: z.string().trim().max(2000).nullish(),
  owner_unit_id: z.number().int().positive().nullish(),
  co_unit_ids: z.array(z.number().int().positive()).max(20).nullish(),
  reply: z.string().trim().max(4000).nullish(),
  result: z.enum(VISIT_RESULTS).nullish(),
}).strict();
export type ProblemActionInput = z.infer<typeof problemActionBody>;

/** 转督办: escalating an overdue or complex problem into a supervised matter. */
export const escalateBody = z.object({
  version: z.number().int().min(1),
  reason: z.string().trim().max(2000).nullish(),
  lead_unit_id: z.number().int().positive().nullish(),
  due_on: day.nullish(),
  urgency: z.enum(['normal', 'urgent', 'very_urgent']).nullish(),
}).strict();
export type EscalateInput = z.infer<typeof escalateBody>;

const csv = <T extends z.ZodType>(item: T) => z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item));

export const problemListQuery = z.object({
  status: csv(z.enum(PROBLEM_STATES)).optional(),
  category_code: z.string().max(40).optional(),
  owner_unit_id: z.coerce.number().int().positive().optional(),
  raised_unit_id: z.coerce.number().int().positive().optional(),
  level: z.enum(PROBLEM_LEVELS).optional(),
  source: z.enum(PROBLEM_SOURCES).optional(),
  enterprise_id: z.coerce.number().int().positive().optional(),
  project_id: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(100).optional(),
  received_from: day.optional(),
  received_to: day.optional(),
  overdue: z.enum(['1', 'true']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});
export type ProblemListQuery = z.infer<typeof problemListQuery>;

export const categoryBody = z.object({
  code: z.string().trim().regex(/^[a-z0-9_-]{1,40}$/, '分类代码只能用小写字母、数字、下划线'),
  name: text(40, '分类名称'),
  parent_code: z.string().max(40).nullish(),
  owner_unit_id: z.number().int().positive().nullish(),
  sort: z.number().int().min(0).max(10_000).default(0),
}).strict();

export const timeLimitsBody = z.object({
  rows: z.array(z.object({
    category_code: z.string().min(1).max(40),
    level: z.enum([...PROBLEM_LEVELS, '*']),
    route_days: z.number().int().min(0).max(365),
    feedback_days: z.number().int().min(0).max(365),
    ordinary_days: z.number().int().min(1).max(365),
    major_days: z.number().int().min(1).max(730),
  })).min(1, '至少保留一条时限规则').max(500),
}).strict();

export const figuresQuery = z.object({
  /** The year the problems were received in; the current year in China when left out. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  group_by: z.enum(['department', 'category', 'unit', 'source', 'level', 'month']).optional(),
});
