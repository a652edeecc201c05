/** Shapes the API answers with. Money is integer yuan everywhere. */

export type Role = 'sysadmin' | 'secadmin' | 'auditor' | 'office' | 'reporter' | 'leader' | 'supervisor';

export interface CurrentUser {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
}

export interface Region {
  code: string;
  name: string;
  parent_code: string | null;
  level: number;
  path: string;
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

export interface ProjectList {
  items: Project[];
  totals: { count: number; total_investment: number };
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
}

/** Fields the edit form may send; total_investment in yuan. */
export interface ProjectPatch {
  name?: string;
  code?: string | null;
  region_code?: string;
  unit_id?: number;
  nature?: string | null;
  category?: string | null;
  total_investment?: number;
  scope_content?: string | null;
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
