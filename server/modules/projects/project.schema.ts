import { z } from 'zod';

const yuan = z.number().int('金额须为整数（元）').min(0, '金额不能为负').max(1e15, '金额过大');
const optText = (max: number) => z.string().trim().max(max).nullable().optional();

/** Fields a client may write on a project. Money is integer yuan. */
export const projectWriteSchema = z.object({
  name: z.string().trim().min(1, '项目名称不能为空').max(200, '项目名称过长'),
  code: optText(32),
  region_code: z.string().min(6).max(16),
  unit_id: z.number().int().positive(),
  nature: optText(32),
  category: optText(64),
  total_investment: yuan,
  scope_content: optText(4000),
});
export type ProjectWrite = z.infer<typeof projectWriteSchema>;

export const projectUpdateSchema = projectWriteSchema.partial().extend({
  version: z.number().int().positive(),
});
export type ProjectUpdate = z.infer<typeof projectUpdateSchema>;

export const SORTABLE = ['id', 'name', 'total_investment', 'region_code', 'stage', 'updated_at'] as const;

/** The filter language shared by the project list, indicators, lights and exports. */
export const projectFilterSchema = z.object({
  region: z.string().max(16).optional(),
  unit: z.coerce.number().int().positive().optional(),
  stage: z.string().max(200).optional(),
  q: z.string().trim().max(100).optional(),
});
export type ProjectFilter = z.infer<typeof projectFilterSchema>;

/** Query string of the project list: the filter plus sorting and paging. */
export const projectListQuerySchema = projectFilterSchema.extend({
  sort: z.enum(SORTABLE).default('id'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
});
export type ProjectListQuery = z.infer<typeof projectListQuerySchema>;
