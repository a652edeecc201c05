import { z } from 'zod';
import { LIGHTS } from '../../../core/lights.ts';
import { PROCEDURE_KINDS, PROCEDURE_STATUSES } from '../../../core/procedures.ts';
import { stageSchema } from '../../platform/responses.ts';
import { FUND_COLUMNS, type ListField } from './project.schema.ts';

// Response schemas of the project library (issue 15): the list, a project, its annual plans, procedures, stage
// history and change history. They feed the OpenAPI document and so web/api/generated.ts.

const int = z.number().int();
const text = z.string().nullable();

/** A project's plan for one year (money integer yuan; flags 0/1; the month-by-month plan or null). */
export const annualPlanSchema = z.object({
  id: int, project_id: int, year: int, planned_investment: int, completed_before_year: int,
  plan_new_start: int, plan_start_month: int.nullable(), plan_completion: int, plan_completion_month: int.nullable(),
  plan_production: int, plan_production_month: int.nullable(), progress_target: text, list_kind: z.string(),
  /** The month-by-month plan (计划完成表) in yuan, or null. */
  monthly_plan: z.array(int).nullable(),
  version: int, created_at: z.string(), updated_at: z.string(),
}).meta({ id: 'AnnualPlan' });
export const annualPlanListSchema = z.object({ items: z.array(annualPlanSchema) });

/** One procedure kind (审批手续) with what is recorded (status pending and updated_at null when nothing is). */
export const procedureSchema = z.object({
  kind: z.enum(PROCEDURE_KINDS), label: z.string(), status: z.enum(PROCEDURE_STATUSES), doc_number: text, approved_date: text, note: text, updated_at: text,
}).meta({ id: 'Procedure' });
export const procedureListSchema = z.object({ items: z.array(procedureSchema) });

/** One recorded stage move. */
export const stageHistoryEntrySchema = z.object({
  id: int, project_id: int, from_stage: stageSchema.nullable(), to_stage: stageSchema, event_date: z.string(), reason: text,
  user_id: int.nullable(), user_name: text, created_at: z.string(),
}).meta({ id: 'StageHistoryEntry' });
export const stageHistorySchema = z.object({ items: z.array(stageHistoryEntrySchema) });

const changeKind = z.enum(['create', 'update', 'stage', 'tier', 'delete', 'restore', 'review', 'plan', 'procedure']).meta({ id: 'ProjectChangeKind' });

/** One entry of a project's change history (变更记录): 'a<seq>' from the audit log, 's<id>' from the stage history. */
export const projectChangeSchema = z.object({
  id: z.string(), at: z.string(), user_id: int.nullable(), user_name: text, kind: changeKind,
  changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
  reason: text, event_date: text,
}).meta({ id: 'ProjectChange' });
export const projectChangePageSchema = z.object({ total: int, page: int, page_size: int, items: z.array(projectChangeSchema) }).meta({ id: 'ProjectChangePage' });

/** The project's own columns as the API answers them (money integer yuan, flags 0/1, dates 'YYYY-MM-DD'). */
const projectColumns = {
  id: int, code: text, stats_code: text, name: z.string(), list_year: int.nullable(), batch: text, parent_id: int.nullable(),
  is_package: int, is_key_of_key: int, nature: text, category: text, industry_code: text, investment_type: text,
  is_attraction: int, is_central_budget: int, is_special_bond: int, campaign_group: text, region_code: z.string(),
  address: text, builder_name: text, builder_uscc: text, builder_legal_person: text, builder_contact: text, builder_phone: text,
  unit_id: int, lead_unit_id: int.nullable(), leader_name: text, leader_post: text, scope_content: text,
  start_year: int.nullable(), end_year: int.nullable(), planned_start_date: text, actual_start_date: text,
  planned_completion_date: text, actual_completion_date: text, planned_production_date: text, actual_production_date: text,
  total_investment: int, fund_central: int.nullable(), fund_province: int.nullable(), fund_city: int.nullable(),
  fund_county: int.nullable(), fund_bank_loan: int.nullable(), fund_self: int.nullable(), fund_special_bond: int.nullable(),
  tier: z.string(), reserve_review: text, stage: stageSchema, stage_before_pause: stageSchema.nullable(), stats_entered: int, stats_category: text,
  stats_reason: text, stats_entered_date: text, withdraw_reason: text, tier_before_withdraw: text, version: int,
  created_at: z.string(), updated_at: z.string(), created_by: int.nullable(), updated_by: int.nullable(), deleted_at: text,
} satisfies Record<Exclude<ListField, 'annual_planned'>, z.ZodType>;

/** A project row (the recycle bin lists these). */
export const projectRowSchema = z.object(projectColumns).meta({ id: 'ProjectRow' });
export const deletedProjectListSchema = z.object({ items: z.array(projectRowSchema) });

/** For a package (打包项目): Σ of its live sub-items, with the annual plan of the year asked for. */
const rollupSchema = z.object({
  sub_items: int, total_investment: int,
  funds: z.object(Object.fromEntries(FUND_COLUMNS.map((c) => [c, int])) as Record<(typeof FUND_COLUMNS)[number], typeof int>),
  annual_plan: z.object({ year: int, planned_investment: int }),
}).meta({ id: 'ProjectRollup' });

/** GET /projects/:id and every write that answers with the project: the row, its levels, rollup and allowed stage moves. */
export const projectSchema = projectRowSchema.extend({
  levels: z.array(z.string()),
  rollup: rollupSchema.nullable(),
  /** The stages the stage endpoint accepts now. */
  next_stages: z.array(stageSchema),
}).meta({ id: 'Project' });

/**
 * One item of GET /projects. `fields=` picks the columns (id always; without it DEFAULT_LIST_FIELDS), so every
 * other column is optional; annual_planned is the plan of the filter's year (null without one) when asked for. With
 * `progress=`, each item also carries its light and 1–N月 completion (null: not on that year's list).
 */
export const projectListItemSchema = z.object(projectColumns).partial().required({ id: true }).extend({
  annual_planned: int.nullable().optional(),
  light: z.enum([...LIGHTS, 'none']).nullable().optional(),
  light_reasons: z.array(z.string()).optional(),
  completed_ytd: int.nullable().optional(),
  completion_rate: z.object({ value: z.number().nullable(), text: z.string() }).nullable().optional(),
}).meta({ id: 'ProjectListItem' });

/** A page of the list with totals over the whole filter; `progress` names the period when `progress=` was given. */
export const projectListSchema = z.object({
  items: z.array(projectListItemSchema),
  totals: z.object({
    // Sums over the filter: each amount is within MAX_MONEY_YUAN, but a sum may pass 2^53, which zod's int refuses
    // (the exports print such totals exactly; the list's figure is for display).
    count: int, total_investment: z.number(), annual_planned: z.number(), year: int,
    progress: z.object({ year: int, month: int, label: z.string() }).optional(),
  }),
}).meta({ id: 'ProjectList' });
