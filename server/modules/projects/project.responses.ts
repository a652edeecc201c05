import { z } from 'zod';
import { PROCEDURE_KINDS, PROCEDURE_STATUSES } from '../../../core/procedures.ts';

// Response schemas of the project library's per-project parts (issue 15): annual plans, procedures, stage history and
// the change history. They feed the OpenAPI document and so web/api/generated.ts.

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
  id: int, project_id: int, from_stage: text, to_stage: z.string(), event_date: z.string(), reason: text,
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
