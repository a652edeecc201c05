import { z } from 'zod';
import { isoDate } from '../../platform/schemas.ts';
import { checkUscc, normalizeUscc } from '../../../core/uscc.ts';
import { normalizeProjectCode } from '../../../core/project-code.ts';
import { STAGES } from '../../../core/stages.ts';
import { RESERVE_REVIEWS, TIERS } from '../../../core/tiers.ts';
import { PROCEDURE_STATUSES } from '../../../core/procedures.ts';
import { MAX_MONEY_TEXT, MAX_MONEY_YUAN } from '../../../core/money.ts';
import { projectFilterSchema } from '../../platform/project-filter.ts';

// Money is integer yuan; dates 'YYYY-MM-DD'; flags are accepted as true/false or 1/0 and stored as 0/1.

const yuan = z.number().int('金额须为整数（元）').min(0, '金额不能为负').max(MAX_MONEY_YUAN, `金额过大（上限 ${MAX_MONEY_TEXT}）`);
const optYuan = yuan.nullable().optional();
const optText = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字`).nullable().optional()
  .transform((v) => (v === '' ? null : v));
const flag = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v) => (v ? 1 : 0));
const year = z.number().int().min(1949, '年份有误').max(2100, '年份有误');

/** A calendar date 'YYYY-MM-DD' that exists. */
export { isoDate };
// A date, or '' meaning none (forms send ''). The transform wraps the whole union rather than one branch: the
// OpenAPI conversion then describes the input as date | '' | null (a transform inside a branch made it `unknown`).
const optDate = z.union([isoDate, z.literal('')]).nullable().optional().transform((v) => (v === '' ? null : v));

export const LEVELS = ['national', 'province', 'city', 'county'] as const;
export const NATURES = ['new', 'continued', 'expansion', 'reconstruction', 'tech_upgrade'] as const;
export const INVESTMENT_TYPES = ['government', 'social'] as const;

const uscc = z.string().transform(normalizeUscc).superRefine((v, ctx) => {
  if (v === '') return;
  const problem = checkUscc(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).transform((v) => (v === '' ? null : v));

/** Every field a client may write on a project, all optional (the create schema requires the identity fields). */
const projectFields = {
  // identity
  name: z.string().trim().min(1, '项目名称不能为空').max(200, '项目名称过长'),
  code: z.string().max(40).transform(normalizeProjectCode).transform((v) => (v === '' ? null : v)).nullable().optional(),
  stats_code: optText(64),
  list_year: year.nullable().optional(),
  batch: optText(64),
  parent_id: z.number().int().positive().nullable().optional(),
  is_package: flag.optional(),
  is_key_of_key: flag.optional(),
  levels: z.array(z.enum(LEVELS)).max(LEVELS.length).optional(),
  // classification
  nature: z.enum(NATURES).nullable().optional(),
  category: optText(64),
  industry_code: z.string().trim().regex(/^[A-T](\d{2,4})?$/, '国民经济行业代码应为门类字母加 2–4 位数字（GB/T 4754）').nullable().optional(),
  investment_type: z.enum(INVESTMENT_TYPES).nullable().optional(),
  is_attraction: flag.optional(),
  is_central_budget: flag.optional(),
  is_special_bond: flag.optional(),
  campaign_group: optText(64),
  // place and people
  region_code: z.string().min(6).max(16),
  address: optText(500),
  builder_name: optText(200),
  builder_uscc: uscc.nullable().optional(),
  builder_legal_person: optText(64),
  builder_contact: optText(64),
  builder_phone: z.string().trim().regex(/^[\d\-+() ]{5,30}$/, '联系电话格式不正确').nullable().optional().or(z.literal('').transform(() => null)),
  unit_id: z.number().int().positive(),
  lead_unit_id: z.number().int().positive().nullable().optional(),
  leader_name: optText(64),
  leader_post: optText(128),
  // scope and time
  scope_content: optText(4000),
  start_year: year.nullable().optional(),
  end_year: year.nullable().optional(),
  planned_start_date: optDate,
  actual_start_date: optDate,
  planned_completion_date: optDate,
  actual_completion_date: optDate,
  planned_production_date: optDate,
  actual_production_date: optDate,
  // money
  total_investment: yuan,
  fund_central: optYuan,
  fund_province: optYuan,
  fund_city: optYuan,
  fund_county: optYuan,
  fund_bank_loan: optYuan,
  fund_self: optYuan,
  fund_special_bond: optYuan,
  // statistics entry (入库纳统)
  stats_entered: flag.optional(),
  stats_category: optText(64),
  stats_reason: optText(500),
  stats_entered_date: optDate,
};

export const FUND_COLUMNS = ['fund_central', 'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond'] as const;

/** A new project. Stage and tier may be given once here (importing a project already under way). */
export const projectWriteSchema = z.object({
  ...projectFields,
  stage: z.enum(STAGES).exclude(['paused']).optional(),
  tier: z.enum(TIERS).exclude(['withdrawn']).optional(),
  reserve_review: z.enum(RESERVE_REVIEWS).nullable().optional(),
});
export type ProjectWrite = z.infer<typeof projectWriteSchema>;

/** A patch: any field, plus the version it was read at. Stage and tier change through their own endpoints. */
export const projectUpdateSchema = z.object(projectFields).partial().extend({
  version: z.number().int().positive(),
});
export type ProjectUpdate = z.infer<typeof projectUpdateSchema>;

/** Fields only the office may change (list membership, levels, unit, packaging); a reporter edits the rest. */
export const OFFICE_ONLY_FIELDS = ['unit_id', 'list_year', 'batch', 'levels', 'is_key_of_key', 'campaign_group', 'parent_id', 'is_package'] as const;

/** Columns the list can sort on; annual_planned is the annual plan of the filter's year. */
export const SORTABLE = [
  'id', 'name', 'code', 'stats_code', 'list_year', 'batch', 'nature', 'category', 'industry_code', 'investment_type', 'campaign_group',
  'region_code', 'unit_id', 'builder_name', 'total_investment', 'tier', 'stage', 'start_year', 'end_year',
  'planned_start_date', 'actual_start_date', 'planned_completion_date', 'actual_completion_date', 'planned_production_date',
  'actual_production_date', 'stats_entered', 'created_at', 'updated_at', 'annual_planned',
] as const;

/**
 * Fields the list can return (`fields=`): the project's columns (not its folded search key) and annual_planned,
 * the annual plan of the filter's year.
 */
export const LIST_FIELDS = [
  'id', 'code', 'stats_code', 'name', 'list_year', 'batch', 'parent_id', 'is_package', 'is_key_of_key', 'nature', 'category',
  'industry_code', 'investment_type', 'is_attraction', 'is_central_budget', 'is_special_bond', 'campaign_group', 'region_code',
  'address', 'builder_name', 'builder_uscc', 'builder_legal_person', 'builder_contact', 'builder_phone', 'unit_id', 'lead_unit_id',
  'leader_name', 'leader_post', 'scope_content', 'start_year', 'end_year', 'planned_start_date', 'actual_start_date',
  'planned_completion_date', 'actual_completion_date', 'planned_production_date', 'actual_production_date', 'total_investment',
  'fund_central', 'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond', 'tier',
  'reserve_review', 'stage', 'stage_before_pause', 'stats_entered', 'stats_category', 'stats_reason', 'stats_entered_date',
  'withdraw_reason', 'tier_before_withdraw', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by', 'deleted_at',
  'annual_planned',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

/**
 * What the list returns without `fields=`: the columns of the project table on screen (and the column chooser's),
 * plus what links and edits need. `fields=all` returns every field.
 */
export const DEFAULT_LIST_FIELDS: readonly ListField[] = [
  'id', 'code', 'name', 'region_code', 'unit_id', 'stage', 'tier', 'total_investment', 'annual_planned', 'parent_id', 'is_package',
  'version', 'updated_at',
];

const LIST_FIELD_SET = new Set<string>(LIST_FIELDS);

/** Query string of the project list: the filter plus sorting and paging. */
export const projectListQuerySchema = projectFilterSchema.extend({
  sort: z.enum(SORTABLE).default('id'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
  /**
   * Adds each item's light (灯色) and 1–N月 completion rate (完成率) for a period: 'YYYY-MM', or 'current' for the
   * period in force (the latest one closed or past its deadline, else last month).
   */
  progress: z.string().regex(/^(\d{4}-(0[1-9]|1[0-2])|current)$/, '进度期间应为 YYYY-MM 或 current').optional(),
  /** Comma-separated fields each item carries (id always); 'all' for every field; without it, DEFAULT_LIST_FIELDS. */
  fields: z.string().trim().max(2000).optional().transform((value, ctx): ListField[] => {
    if (!value) return [...DEFAULT_LIST_FIELDS];
    if (value === 'all' || value === '*') return [...LIST_FIELDS];
    const wanted = value.split(',').map((f) => f.trim()).filter(Boolean);
    const unknown = wanted.filter((f) => !LIST_FIELD_SET.has(f));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `不支持的字段：${unknown.slice(0, 5).join('、')}` });
      return z.NEVER;
    }
    return [...new Set(['id', ...wanted])] as ListField[];
  }),
});
export type ProjectListQuery = z.infer<typeof projectListQuerySchema>;

export const stageChangeSchema = z.object({
  to: z.enum(STAGES),
  event_date: isoDate,
  reason: z.string().trim().max(1000).nullable().optional(),
  /** When given, the change is refused with 409 if the project changed since it was read. */
  version: z.number().int().positive().optional(),
});
export type StageChange = z.infer<typeof stageChangeSchema>;

export const tierChangeSchema = z.object({
  to: z.enum(TIERS),
  reason: z.string().trim().max(1000).nullable().optional(),
  version: z.number().int().positive().optional(),
});
export type TierChange = z.infer<typeof tierChangeSchema>;

export const reserveReviewSchema = z.object({
  review: z.enum(RESERVE_REVIEWS),
  version: z.number().int().positive().optional(),
});

const month = z.number().int().min(1, '月份应为 1–12').max(12, '月份应为 1–12').nullable().optional();

/** One project's plan for one year. */
export const annualPlanWriteSchema = z.object({
  planned_investment: yuan.default(0),
  completed_before_year: yuan.default(0),
  plan_new_start: flag.default(0),
  plan_start_month: month,
  plan_completion: flag.default(0),
  plan_completion_month: month,
  plan_production: flag.default(0),
  plan_production_month: month,
  progress_target: optText(1000),
  list_kind: z.enum(['initial', 'supplementary']).default('initial'),
  /** The month-by-month plan (计划完成表), 12 amounts in yuan summing to the annual plan; null removes it, absent keeps it. */
  monthly_plan: z.array(yuan).length(12, '分月计划须为 1–12 月共 12 个金额').nullable().optional(),
  /** Absent to create; the version read to update. */
  version: z.number().int().positive().optional(),
});
export type AnnualPlanWrite = z.infer<typeof annualPlanWriteSchema>;

export const procedureWriteSchema = z.object({
  status: z.enum(PROCEDURE_STATUSES),
  doc_number: optText(200),
  approved_date: optDate,
  note: optText(1000),
});
export type ProcedureWrite = z.infer<typeof procedureWriteSchema>;

/** A page of a project's change history (变更记录). */
export const projectChangesQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});
export type ProjectChangesQuery = z.infer<typeof projectChangesQuerySchema>;
