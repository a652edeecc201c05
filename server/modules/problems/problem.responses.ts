import { z } from 'zod';
import { PROBLEM_STATES } from '../../../core/problems/problem-workflow.ts';

// Response schemas of the problem ledger routes (issue 15): they feed the OpenAPI document and so web/api/generated.ts.

const int = z.number().int();
const text = z.string().nullable();

/** A problem as the ledger lists it: the row, the names it shows, and the deadline it is held to now. */
export const problemRowSchema = z.object({
  id: int, title: z.string(), description: z.string(), source: z.string(), enterprise_id: int.nullable(), project_id: int.nullable(), visit_id: int.nullable(),
  meeting: text, category_code: z.string(), level: z.string(), is_major: int, region_code: z.string(), raised_unit_id: int.nullable(), owner_unit_id: int.nullable(),
  status: z.enum(PROBLEM_STATES).meta({ id: 'ProblemStatus' }), received_on: z.string(), assigned_on: text, signed_on: text, replied_on: text, closed_on: text,
  route_due: text, feedback_due: text, solve_due: text, handler_id: int.nullable(), reply: text, visit_result: text, redo_count: int, matter_id: int.nullable(),
  source_ref: text, version: int, created_by: int.nullable(), created_at: z.string(), updated_at: z.string(),
  category_name: text, parent_category_name: text, top_category_code: z.string().nullable(), owner_unit_name: text, raised_unit_name: text, enterprise_name: text, project_name: text,
  /** The deadline the problem is held to in its state (分办/反馈/办结), if any. */
  current_due: z.object({ kind: z.enum(['route', 'feedback', 'solve']), due: z.string() }).nullable(),
  due_state: z.enum(['overdue', 'due_soon', 'ok', 'none']),
}).meta({ id: 'ProblemRow' });

/** One page of the ledger, with today by the server's clock. */
export const problemPageSchema = z.object({ total: int, page: int, page_size: int, today: z.string(), items: z.array(problemRowSchema) }).meta({ id: 'ProblemPage' });

/** A problem with its co-departments, reply rounds, moves, the actions open to the reader and its supervised matter. */
export const problemDetailSchema = problemRowSchema.extend({
  co_units: z.array(z.object({ id: int, name: z.string() })),
  rounds: z.array(z.object({
    id: int, problem_id: int, round: int, reply: z.string(), replied_on: z.string(), replied_by: int.nullable(), visit_result: text, visit_note: text,
    visited_on: text, visited_by: int.nullable(), replied_by_name: text, visited_by_name: text,
  })),
  moves: z.array(z.object({
    entityType: z.string(), entityId: int, from: text, to: z.string(), action: z.string(), reason: text, actorId: int.nullable(), at: z.string(), actor_name: text,
  })),
  /** The engine's deadlines of the problem (route, feedback = 签收, solve = 办结), with where each stands today. */
  deadlines: z.array(z.object({ kind: z.string(), due_on: z.string(), status: z.string(), done_on: text, overdue: z.boolean(), working_days: int })),
  /** The engine's timeline: moves, escalation into a matter and reminder steps, oldest first. */
  timeline: z.array(z.object({ at: z.string(), kind: z.string(), title: z.string(), detail: text, actor_name: text })),
  actions: z.array(z.string()),
  can_escalate: z.boolean(),
  /** The supervised matter it was escalated into (转督办); null fields when the reader's scope does not reach it. */
  matter: z.object({
    id: int, visible: z.boolean(), number: text, status: text, status_label: text, due_on: text, overdue: z.boolean(), lead_unit_name: text, closed_on: text, written_off_on: text,
    /** 'closed' once 办结 was approved (with the lead unit's outcome), 'returned' when sent back (with the reason). */
    outcome_state: z.enum(['closed', 'returned']).nullable(), outcome: text, returned_reason: text,
    timeline: z.array(z.object({ at: z.string(), kind: z.string(), title: z.string(), detail: text, actor_name: text })),
  }).nullable(),
}).meta({ id: 'ProblemDetail' });

/** The category map (two levels), each with its default owner department. */
export const problemCategoriesSchema = z.array(z.object({
  code: z.string(), name: z.string(), parent_code: text, owner_unit_id: int.nullable(), sort: int, owner_unit_name: text,
}).meta({ id: 'ProblemCategory' }));

/** The time limits (办理时限): working days per category ('*' all) and level ('*' all). */
export const timeLimitsSchema = z.array(z.object({
  category_code: z.string(), level: z.string(), route_days: int, feedback_days: int, ordinary_days: int, major_days: int,
}).meta({ id: 'ProblemTimeLimit' }));

// ---- figures (办结率, 按期办结率, 满意率, 一次性解决率, 重办率, average handling days)

/** A rate with its labelled denominator: unrounded value, the printed one-decimal text ('—' without a denominator). */
const problemRate = z.object({ value: z.number().nullable(), text: z.string(), numerator: int, denominator: int, label: z.string() }).meta({ id: 'ProblemRate' });

/** The figures over one set of problems (core/problems/figures.ts). */
export const problemFigureSetSchema = z.object({
  total: int, accepted: int, closed: int, visited: int, overdue: int,
  closed_rate: problemRate, on_time_rate: problemRate, satisfied_rate: problemRate, first_time_rate: problemRate, redo_rate: problemRate,
  average_days: z.object({ value: z.number().nullable(), text: z.string(), total_days: int, denominator: int, label: z.string() }),
}).meta({ id: 'ProblemFigureSet' });

/** A year's figures within the reader's scope, with their written definitions and an optional breakdown. */
export const problemFiguresSchema = z.object({
  year: int, today: z.string(), group_by: z.enum(['department', 'category', 'unit', 'source', 'level', 'month']).nullable(),
  definitions: z.record(z.string(), z.string()),
  solved_in_year: int, solved_text: z.string(),
  total: problemFigureSetSchema,
  groups: z.array(z.object({ key: z.string().nullable(), name: z.string(), figures: problemFigureSetSchema })),
}).meta({ id: 'ProblemFigures' });

// ---- enterprises (万人助万企): the register, cadres, visits and the visit plan

const enterpriseFields = {
  id: int, name: z.string(), uscc: text, region_code: z.string(), unit_id: int.nullable(), industry: text, size: text, address: text, contact_name: text,
  contact_phone: text, notes: text, version: int, created_at: z.string(), updated_at: z.string(), created_by: int.nullable(), deleted_at: text,
};

/** An enterprise as the register lists it, with its region and serving unit, open problems and last visit. */
export const enterpriseRowSchema = z.object({ ...enterpriseFields, region_name: text, unit_name: text, open_problems: int, last_visit_on: text }).meta({ id: 'EnterpriseRow' });
export const enterprisePageSchema = z.object({ total: int, page: int, page_size: int, items: z.array(enterpriseRowSchema) }).meta({ id: 'EnterprisePage' });

/** When a linked cadre's next visit is due (no plan: next_due null). */
const visitPlan = z.object({ next_due: text, overdue: z.boolean(), days_overdue: int }).meta({ id: 'VisitPlanState' });
const cadreFields = {
  id: int, enterprise_id: int, user_id: int.nullable(), name: z.string(), post: text, role: z.string(), phone: text, visit_every_months: int.nullable(),
  linked_on: z.string(), unlinked_on: text, last_visit_on: text, plan: visitPlan,
};

/** An enterprise with its cadres (and their visit plans), visits with photos, linked projects and problems. */
export const enterpriseDetailSchema = z.object({
  ...enterpriseFields,
  cadres: z.array(z.object(cadreFields)),
  visits: z.array(z.object({
    id: int, enterprise_id: int, cadre_id: int.nullable(), visited_on: z.string(), visitors: z.string(), content: z.string(), created_by: int.nullable(), created_at: z.string(),
    photos: z.array(z.object({ id: int, url: z.string() })), problem_ids: z.array(int),
  })),
  projects: z.array(z.object({ id: int, name: z.string(), code: text, stage: z.string(), total_investment: int })),
  /** Its problems as ledger rows, without the deadline state the ledger page adds. */
  problems: z.array(problemRowSchema.omit({ current_due: true, due_state: true })),
  /** Its attraction leads (招商线索) within the reader's scope (amounts in yuan), and how many more lie outside it. */
  leads: z.array(z.object({
    id: int, name: z.string(), stage: z.string(), team_name: text, intended_amount: int.nullable(), signed_amount: int.nullable(), signed_on: text,
    terminated_on: text, project_id: int.nullable(),
  }).meta({ id: 'EnterpriseLead' })),
  leads_hidden: int,
}).meta({ id: 'EnterpriseDetail' });

/** A visit recorded, with the problems it raised. */
export const visitCreatedSchema = z.object({ id: int, problem_ids: z.array(int) });
export const visitPhotoSchema = z.object({ id: int, url: z.string() });
/** Every planned cadre link the reader sees, overdue first. */
export const visitPlanSchema = z.array(z.object({ ...cadreFields, enterprise_name: z.string() }).meta({ id: 'VisitPlanLink' }));

const importFinding = z.object({
  sheet: z.string(), row: z.number().int().nullable(), column: z.string().nullable(), severity: z.enum(['error', 'warning']), message: z.string(),
});

/** The ledger import's report (问题台账): the project import's shape, so the wizard and the CLI print it alike. */
export const problemImportReportSchema = z.object({
  fileName: z.string(), dryRun: z.boolean(), applied: z.boolean(),
  sheets: z.array(z.object({
    name: z.string(), headerRows: z.string().nullable(), columns: z.array(z.object({ letter: z.string(), header: z.string(), label: z.string() })),
    dataRows: z.number().int(), chosen: z.boolean().optional(),
  })),
  summary: z.object(Object.fromEntries(['rows', 'created', 'updated', 'unchanged', 'skipped', 'errorRows', 'errors', 'warnings', 'packages', 'subItems'].map((k) => [k, z.number().int()])) as
    Record<'rows' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'errorRows' | 'errors' | 'warnings' | 'packages' | 'subItems', z.ZodNumber>),
  problems: z.array(importFinding), problemsTruncated: z.number().int(),
  outcomes: z.array(z.object({ sheet: z.string(), row: z.number().int(), action: z.enum(['create', 'skip', 'error']), name: z.string().optional(), reason: z.string().optional() })),
  outcomesTruncated: z.number().int(),
}).meta({ id: 'ProblemImportReport' });
