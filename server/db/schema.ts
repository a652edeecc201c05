import type { ColumnType, Generated } from 'kysely';
import type { PeriodStatus, ReportStatus } from '../../core/monthly-report.ts';
import type { NodeState } from '../../core/nodeplans/node-workflow.ts';
import type { Stage } from '../../core/stages.ts';

/**
 * A stage column (core/stages.ts): read as the one list's union, so the API's Stage enum and the web need no casts.
 * Written as text: every write comes from a zod enum, checkStageMove or a generator of the same list, and the bulk
 * writers and test factories build rows as plain objects.
 */
type StageColumn = ColumnType<Stage, string, string>;
type OptionalStageColumn = ColumnType<Stage | null, string | null | undefined, string | null>;

// Table types. Timestamps are ISO-8601 text, dates 'YYYY-MM-DD', money integer yuan, booleans 0/1.

export interface RegionTable {
  code: string;
  name: string;
  parent_code: string | null;
  level: number;
  is_custom: Generated<number>;
  path: string;
}

/** Install-wide facts: the division tree's source ('regions.source'), the office's profile ('office.name', 'office.region_code'). */
export interface SystemSettingTable {
  key: string;
  value: string | null;
  updated_at: string;
}

export interface UnitTable {
  id: Generated<number>;
  name: string;
  short_name: string | null;
  parent_id: number | null;
  region_code: string | null;
  kind: Generated<string>;
  path: Generated<string>;
  sort: Generated<number>;
  created_at: string;
  deleted_at: string | null;
  /** The unit's contact for late reports (联系人, 电话), from a unit list. */
  contact_name: Generated<string | null>;
  contact_phone: Generated<string | null>;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  unit_id: number | null;
  password_hash: string;
  role: string;
  must_change_password: Generated<number>;
  is_active: Generated<number>;
  created_at: string;
  updated_at: string;
  password_changed_at: string | null;
  failed_logins: Generated<number>;
  locked_until: string | null;
  last_login_at: string | null;
  last_login_ip: string | null;
  /** The last password reset by an administrator, and who did it (shown to the holder at the forced change). */
  password_reset_at: string | null;
  password_reset_by: string | null;
  /** Mobile phone (手机), from a user list. */
  phone: Generated<string | null>;
  /** 三员: set while the account waits for the security administrator's approval (sign-in refused). */
  approval_pending_since: Generated<string | null>;
  /** Why it waits: 'created' | 'password_reset' | 'role_change' | 'reactivated'; and who caused it. */
  approval_reason: Generated<string | null>;
  approval_requested_by: Generated<string | null>;
}

/** One part of a file kept in the database (photos, audit archives): every server reaches it. */
export interface StoredFileTable {
  key: string;
  part: number;
  content: Buffer;
  created_at: string;
}

/** A fixed-window counter (sign-ins per client address), shared by every server. */
export interface RateLimitTable {
  key: string;
  window_start: string;
  hits: number;
}

/** The key signing known-device cookies (one row, id 1); rotating it invalidates every device cookie. */
export interface DeviceKeyTable {
  id: number;
  secret: string;
  created_at: string;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  csrf_hash: string | null;
}

export interface ProjectTable {
  id: Generated<number>;
  code: string | null;
  stats_code: string | null;
  name: string;
  search_text: Generated<string>;
  list_year: number | null;
  batch: string | null;
  parent_id: number | null;
  is_package: Generated<number>;
  is_key_of_key: Generated<number>;
  nature: string | null;
  category: string | null;
  industry_code: string | null;
  investment_type: string | null;
  is_attraction: Generated<number>;
  is_central_budget: Generated<number>;
  is_special_bond: Generated<number>;
  campaign_group: string | null;
  region_code: string;
  address: string | null;
  builder_name: string | null;
  builder_uscc: string | null;
  builder_legal_person: string | null;
  builder_contact: string | null;
  builder_phone: string | null;
  unit_id: number;
  lead_unit_id: number | null;
  leader_name: string | null;
  leader_post: string | null;
  scope_content: string | null;
  start_year: number | null;
  end_year: number | null;
  planned_start_date: string | null;
  actual_start_date: string | null;
  planned_completion_date: string | null;
  actual_completion_date: string | null;
  planned_production_date: string | null;
  actual_production_date: string | null;
  total_investment: Generated<number>;
  fund_central: number | null;
  fund_province: number | null;
  fund_city: number | null;
  fund_county: number | null;
  fund_bank_loan: number | null;
  fund_self: number | null;
  fund_special_bond: number | null;
  tier: Generated<string>;
  reserve_review: string | null;
  stage: ColumnType<Stage, string | undefined, string>; // has a default
  stage_before_pause: OptionalStageColumn;
  stats_entered: Generated<number>;
  stats_category: string | null;
  stats_reason: string | null;
  stats_entered_date: string | null;
  /** 1: created from a list that did not say whether it is 入库纳统; cleared when anyone states it (a trigger). */
  stats_unknown: Generated<number>;
  withdraw_reason: string | null;
  tier_before_withdraw: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  created_by: number | null;
  updated_by: number | null;
  deleted_at: string | null;
}

/** Substring index over projects.search_text: SQLite FTS5 (trigram) table, PostgreSQL view over pg_trgm. */
export interface ProjectFtsTable {
  rowid: number;
  search_text: string;
}

export interface ProjectLevelTable {
  project_id: number;
  level: string;
}

/** The month-by-month plan (计划完成表) in yuan, one column a month; all NULL without one. */
/** A plan's month-by-month amounts (计划完成表) in yuan, one column a month, all NULL without one. */
export const PLAN_MONTH_COLUMNS = ['plan_m01', 'plan_m02', 'plan_m03', 'plan_m04', 'plan_m05', 'plan_m06', 'plan_m07', 'plan_m08', 'plan_m09', 'plan_m10', 'plan_m11', 'plan_m12'] as const;
export type PlanMonthColumn = (typeof PLAN_MONTH_COLUMNS)[number];

export interface PlanMonthColumns {
  plan_m01: number | null;
  plan_m02: number | null;
  plan_m03: number | null;
  plan_m04: number | null;
  plan_m05: number | null;
  plan_m06: number | null;
  plan_m07: number | null;
  plan_m08: number | null;
  plan_m09: number | null;
  plan_m10: number | null;
  plan_m11: number | null;
  plan_m12: number | null;
}

export interface AnnualPlanTable extends PlanMonthColumns {
  id: Generated<number>;
  project_id: number;
  year: number;
  planned_investment: Generated<number>;
  completed_before_year: Generated<number>;
  plan_new_start: Generated<number>;
  plan_start_month: number | null;
  plan_completion: Generated<number>;
  plan_completion_month: number | null;
  plan_production: Generated<number>;
  plan_production_month: number | null;
  progress_target: string | null;
  list_kind: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ProjectProcedureTable {
  id: Generated<number>;
  project_id: number;
  kind: string;
  status: Generated<string>;
  doc_number: string | null;
  approved_date: string | null;
  note: string | null;
  updated_at: string;
}

export interface ProjectStageHistoryTable {
  id: Generated<number>;
  project_id: number;
  from_stage: OptionalStageColumn;
  to_stage: StageColumn;
  event_date: string;
  reason: string | null;
  user_id: number | null;
  created_at: string;
}

export interface ReportingPeriodTable {
  id: Generated<number>;
  year: number;
  month: number;
  first_month: number;
  deadline: string | null;
  status: Generated<PeriodStatus>; // the only values written (no CHECK in the table)
  opened_at: string | null;
  closed_at: string | null;
}

export interface MonthlyReportTable {
  id: Generated<number>;
  project_id: number;
  year: number;
  month: number;
  amount_month: Generated<number>;
  amount_ytd: Generated<number>;
  amount_since_start: Generated<number>;
  negative_reason: string | null;
  stage: OptionalStageColumn;
  stage_date: string | null;
  progress_text: string | null;
  workers: number | null;
  problems: string | null;
  next_plan: string | null;
  stats_entered: number | null;
  stats_code: string | null;
  stats_reason: string | null;
  status: Generated<ReportStatus>; // the only values written (no CHECK in the table)
  return_reason: string | null;
  submitted_at: string | null;
  submitted_by: number | null;
  reviewed_at: string | null;
  reviewed_by: number | null;
  revision: Generated<number>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** First submission of the period's report, kept across returns (for the late list). */
  first_submitted_at: string | null;
  /** 'import:<file name>' for figures written by a project-list import; NULL when filled in by the unit. */
  source: Generated<string | null>;
}

export interface MonthlyReportRevisionTable {
  id: Generated<number>;
  report_id: number;
  revision: number;
  snapshot: string;
  reason: string | null;
  user_id: number | null;
  created_at: string;
}

export interface ReportingSettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface MonthlyReportPhotoTable {
  id: Generated<number>;
  report_id: number;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  file_path: string;
  thumb_path: string;
  original_name: string | null;
  uploaded_by: number | null;
  created_at: string;
}

/** Live reporting projects per unit, region and list year (0: none), kept by triggers (2026-12-09-40). */
export interface ReportingUnitProjectTable {
  unit_id: number;
  region_code: string;
  list_year: number;
  n: number;
}

/** Per period, unit and region: reports submitted or approved of live reporting projects on the year's list. */
export interface ReportUnitCountTable {
  year: number;
  month: number;
  unit_id: number;
  region_code: string;
  submitted: number;
}

/**
 * The period's late submitters: submitted or approved reports of live reporting projects on the year's list first
 * submitted after the deadline day (China time), with the project's unit and region (2026-12-14-30, kept by triggers).
 */
export interface ReportLateTable {
  year: number;
  month: number;
  project_id: number;
  unit_id: number;
  region_code: string;
  first_submitted_at: string;
}

/**
 * The project list's totals kept per (year, region, unit, stage, tier, major): year 0 counts every live project, year Y
 * the live projects with a plan of Y and Σ that plan (migration 2026-12-12-50, kept by triggers).
 */
export interface ProjectListTotalTable {
  year: number;
  region_code: string;
  unit_id: number;
  stage: string;
  tier: string;
  /** 1 for a major item or stand-alone project (no parent). */
  major: number;
  n: number;
  total_investment: number;
  planned_investment: number;
}

/**
 * SQLite only (migration 2026-12-15-10, kept by triggers): a narrow copy of each project's list keys and latest plan,
 * which a text search reads per trigram match instead of the wide projects row. Not on PostgreSQL: never query it there.
 */
export interface ProjectListRowTable {
  id: number;
  deleted_at: string | null;
  region_code: string;
  unit_id: number;
  stage: string;
  tier: string;
  parent_id: number | null;
  total_investment: number;
  /** The project's latest annual plan: its year and planned investment (both null without a plan). */
  plan_year: number | null;
  planned: number | null;
}

/** Per project and year, each month's 1–N月 cumulative carried forward from counted reports (a rollup). */
/** The rollup's 1–N月 cumulative of month N, one column a month (indicator_ytd and the rows copied from it). */
export const YTD_COLUMNS = ['ytd_01', 'ytd_02', 'ytd_03', 'ytd_04', 'ytd_05', 'ytd_06', 'ytd_07', 'ytd_08', 'ytd_09', 'ytd_10', 'ytd_11', 'ytd_12'] as const;
export type YtdColumn = (typeof YTD_COLUMNS)[number];

export interface IndicatorYtdTable {
  project_id: number;
  year: number;
  ytd_01: number;
  ytd_02: number;
  ytd_03: number;
  ytd_04: number;
  ytd_05: number;
  ytd_06: number;
  ytd_07: number;
  ytd_08: number;
  ytd_09: number;
  ytd_10: number;
  ytd_11: number;
  ytd_12: number;
}

/** A project whose indicator facts' sources changed since the last sync (noted by triggers; issue 16). */
export interface IndicatorPendingTable {
  project_id: number;
}

/** The additive sums of a group of projects for one period (what indicator_groups stores per year and month). */
export interface IndicatorGroupSumColumns {
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
  producing_to_date: number;
  /** Projects with a month-by-month plan, Σ their plan up to the month, Σ their 1–N月 completion. */
  monthly_planned: number;
  planned_to_date: number;
  completed_ytd_monthly_planned: number;
}

/** The project attributes the indicator groups and light snapshots are kept by (the common filters). */
export interface GroupAttributeColumns {
  region_code: string;
  unit_id: number;
  stage: string;
  nature: string | null;
  category: string | null;
  investment_type: string | null;
}

/** Per project and year, what the indicators read: a snapshot of the project, its plan and its cumulatives. */
export interface IndicatorFactTable extends IndicatorYtdTable, PlanMonthColumns, Omit<GroupAttributeColumns, 'stage'> {
  /** Copied from projects.stage, and read as its union like it (recomputation compares the two). */
  stage: StageColumn;
  group_key: string;
  total_investment: number;
  planned_investment: number;
  completed_before_year: number;
  plan_new_start: number;
  plan_start_month: number | null;
  plan_completion: number;
  plan_completion_month: number | null;
  plan_production: number;
  plan_production_month: number | null;
  actual_start_date: string | null;
  actual_completion_date: string | null;
  actual_production_date: string | null;
}

/** The sums of a group that are the same in every month of a year (stored once in its yearly row). */
type IndicatorGroupYearSum = 'count' | 'total_investment' | 'planned_investment' | 'completed_before_year' | 'planned_starts'
  | 'planned_completions' | 'planned_productions' | 'monthly_planned';
type MonthSuffix = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10' | '11' | '12';

/** The yearly row's per-month sums: `started_to_date_m11` is November's started_to_date. */
export type IndicatorGroupMonthColumns = {
  [K in `${Exclude<keyof IndicatorGroupSumColumns, IndicatorGroupYearSum>}_m${MonthSuffix}`]: number;
};

/**
 * Per year and group of projects (same region, unit, stage, nature, category, investment type): the sums of every
 * month of the year in one row, and Σ each month's cumulative (the trend).
 */
export interface IndicatorGroupTable extends Pick<IndicatorGroupSumColumns, IndicatorGroupYearSum>, IndicatorGroupMonthColumns,
  Omit<IndicatorYtdTable, 'project_id' | 'year'>, Omit<GroupAttributeColumns, 'stage'> {
  /** Grouped from indicator_facts.stage, read as the same union (recomputation compares the two). */
  stage: StageColumn;
  year: number;
  group_key: string;
}

/** The office's node-plan settings (its default node template), one row per key (issue 17). */
export interface NodeplanSettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface IndicatorSettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface LightRuleSetTable {
  id: Generated<number>;
  year: number;
  version: number;
  effective_month: number;
  rules: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

export interface LightExcuseTable {
  id: Generated<number>;
  project_id: number;
  year: number;
  month_from: number;
  month_to: number | null;
  dimension: string | null;
  reason: string;
  accepted_by: number;
  accepted_by_name: string;
  accepted_at: string;
  revoked_at: string | null;
  revoked_by: number | null;
}

/** One project's lights for (year, month) as core/lights.ts judged them, with the attributes filters read. */
export interface LightSnapshotTable extends GroupAttributeColumns {
  year: number;
  month: number;
  project_id: number;
  /** The lights packed: excused × 1024 + problems × 256 + overall × 64 + investment × 16 + start × 4 + stats (none 0 … red 3). */
  code: number;
}

/** How many snapshots of (year, month, region) have each packed code. */
export interface LightCountTable {
  year: number;
  month: number;
  region_code: string;
  code: number;
  n: number;
}

/** A (year, month) whose snapshots are being filled (complete 0) or hold every project (complete 1). */
export interface LightSnapshotMonthTable {
  year: number;
  month: number;
  complete: number;
  /** Projects with ids up to here have their rows (the fill resumes after it). */
  filled_to: Generated<number>;
}

/** A (project, year) whose light inputs changed since its snapshots were judged (written by triggers). */
export interface LightStaleTable {
  project_id: number;
  year: number;
  stamp: number;
}

/** A (project, year) whose 1–N月 cumulatives changed from `from_month` on: its lights from that month are re-judged. */
export interface LightStaleYtdTable extends LightStaleTable {
  from_month: number;
}

/** A listed day of the working-day calendar (core/calendar.ts): a holiday, or a worked weekend (调休). */
export interface CalendarDayTable {
  day: string;
  kind: string;
  name: string;
  updated_at: string;
  updated_by: number | null;
}

/** The stamp of calendar_days (one row, id 1): a fresh random value on every change, set by triggers (issue 16). */
export interface CalendarVersionTable {
  id: number;
  stamp: string;
}

/** One move of a workflow entity (core/workflow.ts), in the shape every entity shares. */
export interface StatusLogTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  from_status: string | null;
  to_status: string;
  action: string;
  reason: string | null;
  actor_id: number | null;
  at: string;
}

// --- investment attraction (招商引资, migration 2026-12-07-70) ---

/** One attraction record (招商项目) from lead to production; money integer yuan, foreign investment integer USD. */
export interface AttractionLeadTable {
  id: Generated<number>;
  name: string;
  team_id: number;
  region_code: string;
  investor: string | null;
  intended_amount: number | null;
  industry: string | null;
  site: string | null;
  land_need: string | null;
  contacts: string | null;
  negotiator: string | null;
  signed_amount: number | null;
  foreign_usd: number | null;
  review_body: string | null;
  company_name: string | null;
  company_uscc: string | null;
  land_info: string | null;
  planned_total: number | null;
  funds_in_place: number | null;
  project_id: number | null;
  /** The enterprise of the problems module's register (issue 21, 2026-12-08-80). */
  enterprise_id: number | null;
  stage: Generated<string>;
  lead_on: string;
  negotiating_on: string | null;
  signed_on: string | null;
  approved_on: string | null;
  landed_on: string | null;
  started_on: string | null;
  producing_on: string | null;
  review_status: Generated<string>;
  pending_to: string | null;
  pending_on: string | null;
  pending_reason: string | null;
  pending_kind: string | null;
  pending_project_id: number | null;
  submitted_by: number | null;
  submitted_at: string | null;
  return_reason: string | null;
  terminated_on: string | null;
  termination_kind: string | null;
  termination_reason: string | null;
  last_followup_on: string | null;
  notes: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  created_by: number | null;
  updated_by: number | null;
}

/** One follow-up (跟进记录) of an attraction record. */
export interface AttractionFollowupTable {
  id: Generated<number>;
  lead_id: number;
  on_date: string;
  content: string;
  user_id: number | null;
  created_at: string;
}

/** Evidence of an attraction record's stage (contract, review opinion, licence, site photos …) in stored_files. */
export interface AttractionFileTable {
  id: Generated<number>;
  lead_id: number;
  stage: string;
  file_key: string;
  file_name: string;
  mime: string;
  size: number;
  user_id: number | null;
  created_at: string;
}

// --- end of investment attraction ---

/** Internal state of the application (watermarks), never edited by people. */
export interface SystemStateTable {
  key: string;
  value: string;
  updated_at: string;
}

/** A background job's lease and last run (server/platform/jobs.ts). */
export interface JobLeaseTable {
  name: string;
  owner: string | null;
  lease_until: string | null;
  last_run_at: string | null;
  last_error: string | null;
}

export interface SecuritySettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  password_hash: string;
  created_at: string;
}

export interface UserScopeTable {
  id: Generated<number>;
  user_id: number;
  unit_id: number | null;
  region_code: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  user_id: number;
  permissions: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
  created_by: number | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  user_agent: string | null;
  action: string;
  outcome: 'success' | 'failure';
  entity_type: string | null;
  entity_id: string | null;
  method: string | null;
  route: string | null;
  status: number | null;
  before_json: string | null;
  after_json: string | null;
  details_json: string | null;
  prev_hash: string;
  hash: string;
}

/** An audit event committed with its change and not yet chained (issue 16): the chaining step moves it to audit_log. */
export type AuditPendingTable = Omit<AuditLogTable, 'seq' | 'prev_hash' | 'hash'> & { id: Generated<number> };

export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditArchiveTable {
  id: Generated<number>;
  file: string;
  from_seq: number;
  to_seq: number;
  first_prev_hash: string;
  last_hash: string;
  file_sha256: string;
  created_at: string;
}

/** One counter per (series, year): server/platform/numbering. */
export interface SequenceTable {
  series: string;
  year: number;
  last_value: number;
}

export interface BulletinTemplateTable {
  id: Generated<number>;
  name: string;
  body: string;
  is_default: number;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: number | null;
}

// Unit evaluation (考评, #20): migration 2026-12-07-60-evaluation.
export interface EvalSchemeTable {
  id: Generated<number>;
  year: number;
  version: number;
  name: string;
  status: string;
  body: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  adopted_by: number | null;
  adopted_at: string | null;
  row_version: Generated<number>;
}
export interface EvalEntryTable {
  id: Generated<number>;
  year: number;
  month: number;
  unit_id: number;
  item_key: string;
  value: string;
  evidence: string;
  status: string;
  entered_by: number | null;
  entered_at: string;
  reviewed_by: number | null;
  reviewed_at: string | null;
  review_note: string | null;
}
export interface EvalSnapshotTable {
  id: Generated<number>;
  year: number;
  month: number;
  scheme_id: number;
  status: string;
  body: string;
  computed_at: string;
  objection_until: string | null;
  published_by: number | null;
  published_at: string | null;
  revision: Generated<number>;
}
export interface EvalObjectionTable {
  id: Generated<number>;
  snapshot_id: number;
  unit_id: number;
  reason: string;
  status: string;
  reply: string | null;
  raised_by: number | null;
  raised_at: string;
  handled_by: number | null;
  handled_at: string | null;
  /** The indicator line objected to; null = the unit's result as a whole. */
  leaf_key: string | null;
  /** The line's value the office set when accepting (decimal text); the month is recomputed with it. */
  corrected_value: string | null;
  /** The line's value as the month showed it when the objection was raised. */
  value_before: string | null;
}
/** A weak line turned into a 督办事项, once: 'upper:<id>' or 'line:<snapshot>:<unit>:<leaf>'. */
export interface EvalMatterLinkTable {
  id: Generated<number>;
  line_key: string;
  matter_id: number;
  matter_number: string;
  created_at: string;
}
/** A report's 需协调问题 turned into a 督办事项: one per report (report_id unique). */
export interface ReportMatterLinkTable {
  id: Generated<number>;
  report_id: number;
  matter_id: number;
  matter_number: string;
  created_at: string;
}
export interface NodePlanTable {
  id: Generated<number>;
  project_id: number;
  target_on: string | null;
  target_label: string;
  start_on: string | null;
  /** The node the target date is the finish of (the clerk's pick); null: the target label's node. */
  anchor_node_id: number | null;
  version: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}
export interface PlanNodeTable {
  id: Generated<number>;
  plan_id: number;
  project_id: number;
  position: number;
  name: string;
  unit_id: number | null;
  duration_days: number;
  evidence: string | null;
  status: NodeState;
  completed_on: string | null;
  completed_by: number | null;
  confirmed_on: string | null;
  confirmed_by: number | null;
  created_at: string;
  updated_at: string;
}
export interface PlanNodeLinkTable {
  id: Generated<number>;
  node_id: number;
  predecessor_id: number;
}
export interface NodeMatterLinkTable {
  id: Generated<number>;
  node_id: number;
  matter_id: number;
  matter_number: string;
  created_at: string;
}
export interface EvalLedgerTable {
  id: Generated<number>;
  year: number;
  month: number;
  unit_id: number;
  points_hundredths: number;
  reason: string;
  doc_number: string;
  approver: string;
  created_by: number | null;
  created_at: string;
}
export interface EvalOutcomeTable {
  id: Generated<number>;
  snapshot_id: number;
  unit_id: number;
  kind: string;
  amount: number | null;
  note: string | null;
  created_by: number | null;
  created_at: string;
}
export interface EvalUpperRankTable {
  id: Generated<number>;
  year: number;
  month: number;
  level: string;
  indicator: string;
  our_rank: number;
  unit_count: number;
  our_score: string | null;
  leader_score: string | null;
  is_weak: number;
  reasons: string | null;
  next_steps: string | null;
  created_by: number | null;
  created_at: string;
}

export interface BulletinTable {
  id: Generated<number>;
  year: number;
  month: number;
  region_code: string | null;
  template_id: number | null;
  title: string;
  status: string;
  issue_no: number | null;
  revision: number;
  correction_note: string | null;
  return_reason: string | null;
  created_by: number | null;
  submitted_by: number | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** Feed sections left out of this bulletin (core/bulletins/feeds.ts keys, comma-separated; '' = none). */
  omitted_feeds: string;
}

export interface BulletinVersionTable {
  id: Generated<number>;
  bulletin_id: number;
  revision: number;
  issue_no: number;
  doc_number: string | null;
  title: string;
  issued_on: string;
  figures: string;
  template: string;
  docx: Buffer;
  docx_sha256: string;
  correction_note: string | null;
  submitted_by: number | null;
  signed_by: number;
  signer_name: string;
  signed_at: string;
}

/** An enterprise served by cadres (万人助万企); data scope by its serving unit and region. */
export interface EnterpriseTable {
  id: Generated<number>;
  name: string;
  uscc: string | null;
  region_code: string;
  unit_id: number | null;
  industry: string | null;
  size: string | null;
  address: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  notes: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  created_by: number | null;
  deleted_at: string | null;
}

/** A cadre or leader linked to an enterprise (包联干部/首席服务官/挂钩领导), with the visit plan of the link. */
export interface EnterpriseCadreTable {
  id: Generated<number>;
  enterprise_id: number;
  user_id: number | null;
  name: string;
  post: string | null;
  role: string;
  phone: string | null;
  visit_every_months: number | null;
  linked_on: string;
  unlinked_on: string | null;
}

/** A visit (走访) to an enterprise. */
export interface EnterpriseVisitTable {
  id: Generated<number>;
  enterprise_id: number;
  cadre_id: number | null;
  visited_on: string;
  visitors: string;
  content: string;
  created_by: number | null;
  created_at: string;
}

export interface EnterpriseProjectTable {
  enterprise_id: number;
  project_id: number;
  created_at: string;
}

/** A node of the problem category tree, with its owning department (the category map). */
export interface ProblemCategoryTable {
  code: string;
  name: string;
  parent_code: string | null;
  owner_unit_id: number | null;
  sort: Generated<number>;
  updated_at: string;
}

/** Time limits per (category, level); '*' matches any. */
export interface ProblemTimeLimitTable {
  id: Generated<number>;
  category_code: string;
  level: string;
  route_days: number;
  feedback_days: number;
  ordinary_days: number;
  major_days: number;
  updated_at: string;
}

/** A problem (问题/诉求) moving through core/problems/problem-workflow.ts. */
export interface ProblemTable {
  id: Generated<number>;
  title: string;
  description: string;
  source: string;
  enterprise_id: number | null;
  project_id: number | null;
  visit_id: number | null;
  meeting: string | null;
  category_code: string;
  level: string;
  is_major: Generated<number>;
  region_code: string;
  raised_unit_id: number | null;
  owner_unit_id: number | null;
  status: string;
  received_on: string;
  assigned_on: string | null;
  signed_on: string | null;
  replied_on: string | null;
  closed_on: string | null;
  route_due: string | null;
  feedback_due: string | null;
  solve_due: string | null;
  handler_id: number | null;
  reply: string | null;
  visit_result: string | null;
  redo_count: Generated<number>;
  matter_id: number | null;
  source_ref: string | null;
  version: Generated<number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface ProblemCoUnitTable {
  problem_id: number;
  unit_id: number;
}

/** One reply of a problem and its return visit (回访). */
export interface ProblemRoundTable {
  id: Generated<number>;
  problem_id: number;
  round: number;
  reply: string;
  replied_on: string;
  replied_by: number | null;
  visit_result: string | null;
  visit_note: string | null;
  visited_on: string | null;
  visited_by: number | null;
}

/** The whole database, as Kysely sees it. Feature migrations add their tables here. */
// --- Platform pieces of issue 17 (deadlines, events and notifications outbox, to-dos, attachments) ---

/** A deadline of an entity (entity_type, entity_id, kind), counted in working days, with escalation steps. */
export interface DeadlineTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  kind: string;
  start_on: string;
  due_on: string;
  original_due_on: string;
  status: string;
  paused_on: string | null;
  paused_days: Generated<number>;
  ladder: string;
  unit_id: number | null;
  done_on: string | null;
  created_at: string;
  updated_at: string;
}

/** An escalation step taken for a deadline's due date (one row each: taken once across servers). */
export interface DeadlineStepTable {
  id: Generated<number>;
  deadline_id: number;
  step: string;
  due_on: string;
  fire_on: string;
  fired_at: string;
}

/** Something that happened, written in the writer's transaction. */
export interface EventTable {
  id: Generated<number>;
  name: string;
  entity_type: string | null;
  entity_id: number | null;
  actor_id: number | null;
  payload: string;
  at: string;
}

/** The notifications outbox: one row per event, recipient and channel; channels claim rows through the database. */
export interface NotificationTable {
  id: Generated<number>;
  event_id: number;
  user_id: number;
  channel: string;
  title: string;
  body: string | null;
  link: string | null;
  status: string;
  attempts: Generated<number>;
  claimed_by: string | null;
  claimed_until: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
  read_at: string | null;
  last_error: string | null;
  created_at: string;
}

/** A to-do of a user, a unit or a role: what someone must do, with a deep link. */
export interface TodoTable {
  id: Generated<number>;
  key: string;
  user_id: number | null;
  unit_id: number | null;
  role: string | null;
  kind: string;
  title: string;
  link: string;
  due_on: string | null;
  entity_type: string | null;
  entity_id: number | null;
  created_at: string;
  done_at: string | null;
  done_by: number | null;
}

/** A file attached to any entity; its bytes are stored_files rows under file_key. */
export interface AttachmentTable {
  id: Generated<number>;
  owner_type: string;
  owner_id: number;
  file_key: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: number | null;
  uploaded_at: string;
  deleted_at: string | null;
}

// --- Supervision (issue 17) ---

export interface MatterTable {
  id: Generated<number>;
  number: string;
  year: number;
  seq: number;
  title: string;
  content: string;
  source: string;
  source_id: number | null;
  source_ref: string | null;
  /** The in-app path back to where the matter was assigned from (a ranking, the 催报 list, a report), or null. */
  source_link: string | null;
  type: string;
  urgency: string;
  lead_unit_id: number;
  region_code: string | null;
  supervisor_id: number | null;
  leader_id: number | null;
  status: string;
  assigned_on: string;
  due_on: string;
  feedback_days: Generated<number>;
  next_feedback_on: string | null;
  requested_due_on: string | null;
  signed_on: string | null;
  closing_on: string | null;
  closed_on: string | null;
  written_off_on: string | null;
  close_rejections: Generated<number>;
  attention: Generated<number>;
  batch_id: number | null;
  version: Generated<number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface MatterUnitTable {
  matter_id: number;
  unit_id: number;
  /** The co-unit's 签收 (migration 2026-12-08-60). */
  signed_on: string | null;
  signed_by: number | null;
}

export interface MatterProjectTable {
  matter_id: number;
  project_id: number;
}

/** An enterprise a matter concerns (关联企业, issue 17). */
export interface MatterEnterpriseTable {
  matter_id: number;
  enterprise_id: number;
}

/** A dated progress entry of any tracked entity (matters, problems). */
export interface FeedbackEntryTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  unit_id: number | null;
  author_id: number | null;
  on_date: string;
  text: string;
  next_steps: string | null;
  due_on: string | null;
  on_time: Generated<number>;
  created_at: string;
}

export interface MatterInstructionTable {
  id: Generated<number>;
  matter_id: number;
  leader_id: number;
  text: string;
  at: string;
}

export interface MeetingTable {
  id: Generated<number>;
  kind: string;
  title: string;
  held_on: string;
  chair: string | null;
  attendees: string | null;
  location: string | null;
  created_by: number | null;
  created_at: string;
  /** Optimistic concurrency: a correction names the version it was made on (2026-12-10-50). */
  version: Generated<number>;
}

export interface MeetingDecisionTable {
  id: Generated<number>;
  meeting_id: number;
  seq: number;
  text: string;
  created_at: string;
}

export interface WeeklyBatchTable {
  id: Generated<number>;
  year: number;
  seq: number;
  title: string;
  week_of: string;
  created_by: number | null;
  created_at: string;
}

export interface WeeklyBatchItemTable {
  batch_id: number;
  matter_id: number;
  carried: number;
}

export interface SupervisionLetterTable {
  id: Generated<number>;
  matter_id: number;
  kind: string;
  number: string;
  year: number;
  seq: number;
  title: string;
  step: string | null;
  signed_by: number | null;
  signer_name: string;
  file_key: string;
  created_at: string;
}

/** Attraction settings (issue 21): one row per key, the value as JSON. */
export interface AttractionSettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface SupervisionSettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

/** One year's escalation rules (issue 17): ladders, letters per step, 交办函 on creation, as JSON; versioned. */
export interface SupervisionYearRuleTable {
  year: number;
  rules: string;
  version: number;
  updated_at: string;
  updated_by: number | null;
}

export interface DB {
  regions: RegionTable;
  units: UnitTable;
  system_settings: SystemSettingTable;
  users: UserTable;
  sessions: SessionTable;
  projects: ProjectTable;
  projects_fts: ProjectFtsTable;
  project_levels: ProjectLevelTable;
  annual_plans: AnnualPlanTable;
  project_procedures: ProjectProcedureTable;
  project_stage_history: ProjectStageHistoryTable;
  reporting_periods: ReportingPeriodTable;
  monthly_reports: MonthlyReportTable;
  monthly_report_revisions: MonthlyReportRevisionTable;
  reporting_settings: ReportingSettingTable;
  monthly_report_photos: MonthlyReportPhotoTable;
  reporting_unit_projects: ReportingUnitProjectTable;
  report_unit_counts: ReportUnitCountTable;
  report_late: ReportLateTable;
  project_list_totals: ProjectListTotalTable;
  project_list_rows: ProjectListRowTable;
  indicator_ytd: IndicatorYtdTable;
  indicator_facts: IndicatorFactTable;
  indicator_groups: IndicatorGroupTable;
  indicator_pending: IndicatorPendingTable;
  indicator_settings: IndicatorSettingTable;
  light_rule_sets: LightRuleSetTable;
  light_excuses: LightExcuseTable;
  light_snapshots: LightSnapshotTable;
  light_counts: LightCountTable;
  light_snapshot_months: LightSnapshotMonthTable;
  light_stale: LightStaleTable;
  light_stale_ytd: LightStaleYtdTable;
  security_settings: SecuritySettingTable;
  calendar_days: CalendarDayTable;
  calendar_version: CalendarVersionTable;
  status_log: StatusLogTable;
  attraction_leads: AttractionLeadTable;
  attraction_followups: AttractionFollowupTable;
  attraction_files: AttractionFileTable;
  attraction_settings: AttractionSettingTable;
  system_state: SystemStateTable;
  job_leases: JobLeaseTable;
  // issue 17: platform pieces
  deadlines: DeadlineTable;
  deadline_steps: DeadlineStepTable;
  events: EventTable;
  notifications: NotificationTable;
  todos: TodoTable;
  attachments: AttachmentTable;
  // issue 17: supervision
  supervision_settings: SupervisionSettingTable;
  supervision_year_rules: SupervisionYearRuleTable;
  matters: MatterTable;
  matter_units: MatterUnitTable;
  matter_projects: MatterProjectTable;
  matter_enterprises: MatterEnterpriseTable;
  feedback_entries: FeedbackEntryTable;
  matter_instructions: MatterInstructionTable;
  meetings: MeetingTable;
  meeting_decisions: MeetingDecisionTable;
  weekly_batches: WeeklyBatchTable;
  weekly_batch_items: WeeklyBatchItemTable;
  supervision_letters: SupervisionLetterTable;
  // problems (issue 18)
  enterprises: EnterpriseTable;
  enterprise_cadres: EnterpriseCadreTable;
  enterprise_visits: EnterpriseVisitTable;
  enterprise_projects: EnterpriseProjectTable;
  problem_categories: ProblemCategoryTable;
  problem_time_limits: ProblemTimeLimitTable;
  problems: ProblemTable;
  problem_co_units: ProblemCoUnitTable;
  problem_rounds: ProblemRoundTable;
  password_history: PasswordHistoryTable;
  user_scopes: UserScopeTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  eval_schemes: EvalSchemeTable;
  eval_entries: EvalEntryTable;
  eval_snapshots: EvalSnapshotTable;
  eval_objections: EvalObjectionTable;
  eval_matter_links: EvalMatterLinkTable;
  report_matter_links: ReportMatterLinkTable;
  node_plans: NodePlanTable;
  nodeplan_settings: NodeplanSettingTable;
  plan_nodes: PlanNodeTable;
  plan_node_links: PlanNodeLinkTable;
  node_matter_links: NodeMatterLinkTable;
  eval_ledger: EvalLedgerTable;
  eval_outcomes: EvalOutcomeTable;
  eval_upper_ranks: EvalUpperRankTable;
  rate_limits: RateLimitTable;
  device_keys: DeviceKeyTable;
  stored_files: StoredFileTable;
  audit_chain_head: AuditChainHeadTable;
  audit_pending: AuditPendingTable; // issue 16
  audit_archives: AuditArchiveTable;
  sequences: SequenceTable;
  bulletin_templates: BulletinTemplateTable;
  bulletins: BulletinTable;
  bulletin_versions: BulletinVersionTable;
}
