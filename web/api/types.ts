/** Shapes the API answers with. Money is integer yuan everywhere. */
// A permission of the server's one matrix (server/plugins/permissions.ts; a type import carries no code).
import type { Permission } from '../../server/plugins/permissions.ts';

export type Role = 'sysadmin' | 'secadmin' | 'auditor' | 'office' | 'reporter' | 'leader' | 'supervisor';

export type { Permission };

export interface CurrentUser {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  /** What the account may do, as the server decides it: ask `useCan()` (web/auth.tsx), never the role name. */
  permissions: Permission[];
}

export interface Region {
  code: string;
  name: string;
  parent_code: string | null;
  level: number;
  path: string;
  /** Folded name, full pinyin and initials, '|'-separated (what a picker matches typed text against). */
  search_text?: string;
}

export interface Unit {
  id: number;
  name: string;
  short_name: string | null;
  parent_id: number | null;
  region_code: string | null;
  kind: string;
  path: string;
  sort: number;
  /** Name and short name folded, in full pinyin and initials (what a picker matches typed text against). */
  search_text?: string;
}

export interface Project {
  id: number;
  code: string | null;
  name: string;
  region_code: string;
  unit_id: number;
  nature: string | null;
  category: string | null;
  total_investment: number;
  scope_content: string | null;
  stage: string;
  tier: string;
  list_year: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

/** A list item's light and 1–N月 completion for the list's progress period (null: not on that year's list). */
export interface ProjectProgress {
  light?: 'red' | 'yellow' | 'green' | 'none' | null;
  light_reasons?: string[];
  completion_rate?: { value: number | null; text: string } | null;
}

export interface ProjectList {
  items: (Project & { annual_planned: number | null } & ProjectProgress)[];
  totals: { count: number; total_investment: number; annual_planned?: number; year?: number; progress?: { year: number; month: number; label: string } };
}

export interface ProjectListQuery {
  region?: string;
  unit?: number;
  stage?: string;
  q?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  page?: number;
  page_size?: number;
  /** 'YYYY-MM' or 'current': adds each item's light and completion rate. */
  progress?: string;
  /** Sub-items of this package. */
  parent?: number;
}

/** Fields the edit form may send (the whole 五定 record but stage and tier); money in yuan, flags 0/1. */
export interface ProjectPatch {
  name?: string;
  code?: string | null;
  region_code?: string;
  unit_id?: number;
  nature?: string | null;
  category?: string | null;
  total_investment?: number;
  scope_content?: string | null;
  stats_code?: string | null;
  list_year?: number | null;
  batch?: string | null;
  parent_id?: number | null;
  is_package?: 0 | 1;
  is_key_of_key?: 0 | 1;
  levels?: string[];
  industry_code?: string | null;
  investment_type?: string | null;
  is_attraction?: 0 | 1;
  is_central_budget?: 0 | 1;
  is_special_bond?: 0 | 1;
  campaign_group?: string | null;
  address?: string | null;
  builder_name?: string | null;
  builder_uscc?: string | null;
  builder_legal_person?: string | null;
  builder_contact?: string | null;
  builder_phone?: string | null;
  lead_unit_id?: number | null;
  leader_name?: string | null;
  leader_post?: string | null;
  start_year?: number | null;
  end_year?: number | null;
  planned_start_date?: string | null;
  actual_start_date?: string | null;
  planned_completion_date?: string | null;
  actual_completion_date?: string | null;
  planned_production_date?: string | null;
  actual_production_date?: string | null;
  fund_central?: number | null;
  fund_province?: number | null;
  fund_city?: number | null;
  fund_county?: number | null;
  fund_bank_loan?: number | null;
  fund_self?: number | null;
  fund_special_bond?: number | null;
  stats_entered?: 0 | 1;
  stats_category?: string | null;
  stats_reason?: string | null;
  stats_entered_date?: string | null;
}

/** A new project (POST /projects); money in yuan. */
export interface ProjectCreate extends ProjectPatch {
  name: string;
  region_code: string;
  unit_id: number;
  total_investment: number;
  tier?: 'idea' | 'reserve' | 'implementation';
  list_year?: number | null;
  batch?: string | null;
  levels?: string[];
  is_key_of_key?: 0 | 1;
  campaign_group?: string | null;
  builder_name?: string | null;
  leader_name?: string | null;
  leader_post?: string | null;
  planned_start_date?: string | null;
  planned_completion_date?: string | null;
}

/** The office's profile (GET /system/profile): its name and jurisdiction once configured. */
export interface SystemProfile {
  configured: boolean;
  office_name: string | null;
  region_code: string | null;
  region_name: string | null;
}

/** A kept revision of a corrected report (GET /reports/:id/revisions). */
export interface ReportRevision {
  revision: number;
  snapshot: Partial<MonthlyReport>;
  reason: string | null;
  user_id: number | null;
  user_name: string | null;
  created_at: string;
}

export interface AnnualPlan {
  id: number;
  project_id: number;
  year: number;
  planned_investment: number;
  completed_before_year: number;
  plan_new_start: number;
  plan_start_month: number | null;
  plan_completion: number;
  plan_completion_month: number | null;
  plan_production: number;
  plan_production_month: number | null;
  progress_target: string | null;
  list_kind: string;
  /** The month-by-month plan (计划完成表) in yuan, or null. */
  monthly_plan: number[] | null;
  version: number;
  updated_at: string;
}

export interface AnnualPlanWrite {
  planned_investment: number;
  completed_before_year: number;
  plan_new_start: number;
  plan_start_month: number | null;
  plan_completion: number;
  plan_completion_month: number | null;
  plan_production: number;
  plan_production_month: number | null;
  progress_target: string | null;
  list_kind: 'initial' | 'supplementary';
  version?: number;
  monthly_plan?: number[] | null;
}

export interface Procedure {
  kind: string;
  label: string;
  status: 'pending' | 'in_progress' | 'done' | 'not_required';
  doc_number: string | null;
  approved_date: string | null;
  note: string | null;
  updated_at: string | null;
}

export interface StageHistoryEntry {
  id: number;
  from_stage: string | null;
  to_stage: string;
  event_date: string;
  reason: string | null;
  user_name: string | null;
  created_at: string;
}

/** One entry of a project's change history (GET /projects/:id/changes). */
export interface ProjectChange {
  id: string;
  at: string;
  user_id: number | null;
  user_name: string | null;
  kind: 'create' | 'update' | 'stage' | 'tier' | 'delete' | 'restore' | 'review' | 'plan' | 'procedure';
  changes: { field: string; old: unknown; new: unknown }[];
  reason: string | null;
  event_date: string | null;
}

export interface ProjectChangePage {
  total: number;
  page: number;
  page_size: number;
  items: ProjectChange[];
}

export type ReportStatus = 'draft' | 'submitted' | 'approved' | 'returned';

export interface Period {
  id: number;
  year: number;
  month: number;
  first_month: number;
  deadline: string | null;
  status: 'pending' | 'open' | 'closed';
  label: string;
  ytd_label: string;
}

/** GET /reporting/current: the period pages open at (数据截至) and the one being reported (待填), decided by the server. */
export interface CurrentPeriods {
  today: string;
  in_force: Omit<Period, 'id' | 'status'> & { status: Period['status'] | 'none' };
  reporting: Period | null;
}

export interface MonthlyReport {
  id: number;
  project_id: number;
  year: number;
  month: number;
  amount_month: number;
  amount_ytd: number;
  amount_since_start: number;
  negative_reason: string | null;
  stage: string | null;
  stage_date: string | null;
  progress_text: string | null;
  workers: number | null;
  problems: string | null;
  next_plan: string | null;
  stats_entered: number | null;
  stats_code: string | null;
  stats_reason: string | null;
  status: ReportStatus;
  return_reason: string | null;
  submitted_at: string | null;
  reviewed_at: string | null;
  revision: number;
  version: number;
  updated_at: string;
  photo_count?: number;
}

export interface PreviousFigures {
  month: number;
  amount_month: number;
  amount_ytd: number;
  amount_since_start: number;
  stage: string | null;
  progress_text: string | null;
  workers: number | null;
  status: ReportStatus;
}

export interface GridRow {
  project: { id: number; name: string; unit_id: number; unit_name: string; stage: string; total_investment: number };
  plan: { planned_investment: number; completed_before_year: number } | null;
  previous: PreviousFigures | null;
  report: MonthlyReport | null;
}

export interface Grid {
  period: Period;
  rows: GridRow[];
}

/** One row of a batch save; amounts in yuan. */
export interface ReportRowWrite {
  project_id: number;
  amount_month?: number;
  amount_ytd?: number;
  negative_reason?: string | null;
  stage?: string | null;
  stage_date?: string | null;
  progress_text?: string | null;
  workers?: number | null;
  problems?: string | null;
  next_plan?: string | null;
  version?: number;
}

export interface Photo {
  id: number;
  report_id: number;
  url: string;
  thumb_url: string;
  original_name: string | null;
}

export interface FieldChange {
  field: string;
  label: string;
  from: string | number | null;
  to: string | number | null;
}

export interface ReviewItem {
  report: MonthlyReport;
  project: { id: number; name: string; unit_id: number; unit_name: string; stage: string };
  previous: PreviousFigures | null;
  changes: FieldChange[];
  is_late: boolean;
}

export interface Rate {
  value: number | null;
  text: string;
  numerator: number;
  denominator: number;
  label: string;
}

export interface IndicatorSums {
  count: number;
  total_investment: number;
  planned_investment: number;
  completed_before_year: number;
  completed_ytd: number;
  planned_starts: number;
  planned_starts_to_date: number;
  started: number;
  started_to_date: number;
  early_starts: number;
  overdue_starts: number;
  late_starts: number;
  planned_completions: number;
  planned_completions_to_date: number;
  completed: number;
  completed_to_date: number;
  planned_productions: number;
  planned_productions_to_date: number;
  producing: number;
  monthly_planned: number;
  planned_to_date: number;
  completed_ytd_monthly_planned: number;
  [key: string]: number;
}

export interface Indicators {
  year: number;
  month: number;
  period_label: string;
  sums: IndicatorSums;
  completion_rate: Rate;
  time_progress: { value: number; text: string; source: 'default' | 'curve' };
  gap_points: { value: number | null; text: string };
  start_rate: { whole_year: Rate; to_date: Rate };
  completion_plan_rate: { whole_year: Rate; to_date: Rate };
  production_rate: { whole_year: Rate; to_date: Rate };
  /** Completion against the month-by-month plan up to month N (projects with one only). */
  plan_to_date_rate: Rate;
  /** The period ends before the year's recorded progress begins (an imported 1–N月 list): investment figures unknown. */
  unrecorded?: { records_from: number; text: string };
}

export type Breakdown = 'region' | 'unit' | 'level' | 'category' | 'nature' | 'investment_type';

export interface BreakdownItem {
  key: string | null;
  label: string;
  indicators: Indicators;
}

export interface TrendPoint {
  month: number;
  period_label: string;
  completed_ytd: number;
  completion_rate: number | null;
  completion_rate_text: string;
  time_progress: number;
  time_progress_text: string;
  gap_points: number | null;
  gap_points_text: string;
}

export interface IndicatorResult {
  indicators: Indicators;
  breakdowns: Partial<Record<Breakdown, BreakdownItem[]>>;
  trend: TrendPoint[];
  /** The year's first month with recorded progress when it began with an imported 1–N月 list. */
  records_from?: number | null;
}

export type LightColor = 'green' | 'yellow' | 'red' | 'none';
export type LightDimension = 'investment' | 'start' | 'stats' | 'problems';

export interface DimensionLight {
  dimension: LightDimension;
  light: LightColor;
  computed_light: LightColor;
  rule_id: string | null;
  rule_kind: string | null;
  reason: string;
  figures: Record<string, number | string | null>;
  escalated: boolean;
  excuse: { reason: string } | null;
}

/** An accepted excuse (正当理由): suppresses a project's light for months of a year. */
export interface LightExcuse {
  id: number;
  project_id: number;
  year: number;
  month_from: number;
  month_to: number | null;
  dimension: LightDimension | null;
  reason: string;
  accepted_by_name: string | null;
  accepted_at: string;
}

export interface LightItem {
  project_id: number;
  name: string;
  region_code: string;
  unit_id: number;
  unit_name: string;
  stage: string;
  /** Paused (停工): its light is labelled so, not shown as a plain red. */
  is_paused: boolean;
  /** An accepted excuse (正当理由) suppressed one of its lights this month. */
  is_excused: boolean;
  overall: LightColor;
  reasons: string[];
  dimensions: DimensionLight[];
}

export interface LightCounts {
  green: number;
  yellow: number;
  red: number;
  none: number;
}

export interface LightList {
  year: number;
  month: number;
  rule_version: number | null;
  counts: LightCounts;
  excused: number;
  by_dimension: Record<LightDimension, LightCounts>;
  total: number;
  items: LightItem[];
}

export type LightRule =
  | { id: string; kind: 'points_gap'; enabled: boolean; yellow_points: number; red_points: number }
  | { id: string; kind: 'ratio'; enabled: boolean; yellow_below: number; red_below: number }
  | { id: string; kind: 'shortfall'; enabled: boolean; yellow_above: number; red_above: number }
  | { id: string; kind: 'start_overdue'; enabled: boolean; yellow_months_late: number; red_months_late: number }
  | { id: string; kind: 'stats_entry'; enabled: boolean; yellow_months: number; red_months: number }
  | { id: string; kind: 'problem_overdue'; enabled: boolean; yellow_days: number; red_days: number }
  | { id: string; kind: 'consecutive'; enabled: boolean; dimension: LightDimension; periods: number };

export interface RuleSets {
  year: number;
  versions: { version: number; effective_month: number; rules: LightRule[]; note: string | null; created_at: string }[];
  in_force: { month: number; version: number | null }[];
  default: { rules: LightRule[] };
}
