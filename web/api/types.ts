/**
 * Shapes the API answers with. Money is integer yuan everywhere. Where a route declares a response schema, the
 * shape is the generated one (web/api/generated.ts, from the OpenAPI document): aliased here under its old name so
 * that pages keep their imports. The hand-written shapes below are those of routes without one yet.
 */
import type { Scheme } from '../../core/evaluation/scheme.ts';
import type { components, paths } from './generated.ts';

/** A type the OpenAPI document names (a response schema's `.meta({ id })`). */
export type Schema<K extends keyof components['schemas']> = components['schemas'][K];

/** The JSON body a route accepts (its zod body schema), e.g. RequestBody<'/api/v1/projects/{id}/plans/{year}', 'put'>. */
export type RequestBody<P extends keyof paths, M extends 'post' | 'put' | 'patch'> =
  paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Role = Schema<'Role'>;
/** A permission of the server's one matrix (server/plugins/permissions.ts). */
export type Permission = Schema<'Permission'>;
/** The signed-in account; `permissions` is what it may do, as the server decides it: ask `useCan()` (web/auth.tsx). */
export type CurrentUser = Schema<'CurrentUser'>;

/** A region and a unit as the reference routes answer (server/modules/reference/reference.responses.ts). */
export type Region = Schema<'Region'>;
export type RegionDetail = Schema<'RegionDetail'>;
export type Unit = Schema<'Unit'>;

/** A project as GET /projects/:id and its writes answer (project.responses.ts). */
export type Project = Schema<'Project'>;
/** A page of GET /projects: items carry the `fields=` asked for (id always) and, with `progress=`, their light. */
export type ProjectList = Schema<'ProjectList'>;
export type ProjectListItem = Schema<'ProjectListItem'>;
/** A column the list can return (`fields=`): every item field but the `progress=` ones. */
export type ProjectListField = Exclude<keyof ProjectListItem, 'light' | 'light_reasons' | 'completed_ytd' | 'completion_rate'>;
/** What the list returns without `fields=` (DEFAULT_LIST_FIELDS in server/modules/projects/project.schema.ts). */
export type DefaultProjectListField =
  | 'id' | 'code' | 'name' | 'region_code' | 'unit_id' | 'stage' | 'tier' | 'total_investment' | 'annual_planned' | 'parent_id' | 'is_package' | 'version' | 'updated_at';
/** A page of the list whose items carry the fields F for sure (the server answers every field asked for). */
export type ProjectListOf<F extends ProjectListField> = Omit<ProjectList, 'items'> & { items: (ProjectListItem & Required<Pick<ProjectListItem, F>>)[] };
/** A project row as the recycle bin lists it. */
export type ProjectRow = Schema<'ProjectRow'>;

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

/** The body of PATCH /projects/:id without the version (the whole 五定 record but stage and tier); money in yuan, flags 0/1, dates 'YYYY-MM-DD' or '' for none. */
export type ProjectPatch = Omit<RequestBody<'/api/v1/projects/{id}', 'patch'>, 'version'>;
/** The body of POST /projects; money in yuan. */
export type ProjectCreate = RequestBody<'/api/v1/projects', 'post'>;

/** The office's profile (GET /system/profile): its name and jurisdiction once configured. */
export type SystemProfile = Schema<'SystemProfile'>;

/** A project's plan for a year, procedures, stage moves and change history (project.responses.ts). */
export type AnnualPlan = Schema<'AnnualPlan'>;
/** The body of PUT /projects/:id/plans/:year. */
export type AnnualPlanWrite = RequestBody<'/api/v1/projects/{id}/plans/{year}', 'put'>;
export type Procedure = Schema<'Procedure'>;
/** The body of PUT /projects/:id/procedures/:kind. */
export type ProcedureWrite = RequestBody<'/api/v1/projects/{id}/procedures/{kind}', 'put'>;
export type StageHistoryEntry = Schema<'StageHistoryEntry'>;
export type ProjectChange = Schema<'ProjectChange'>;
export type ProjectChangePage = Schema<'ProjectChangePage'>;

/** Monthly reporting (report.responses.ts): statuses are the enums of core/monthly-report.ts. */
export type ReportStatus = Schema<'ReportStatus'>;
export type PeriodStatus = Schema<'PeriodStatus'>;
export type Period = Schema<'Period'>;
/** GET /reporting/current: the period pages open at (数据截至) and the one being reported (待填), decided by the server. */
export type CurrentPeriods = Schema<'CurrentPeriods'>;
export type MonthlyReport = Schema<'MonthlyReport'>;
/** One report with its period, photos, last period's figures and the moves open to the reader (GET /reports/:id, the workflow's answers). */
export type ReportDetail = Schema<'ReportDetail'>;
/** A report in the grid and the review queue, with its number of photos. */
export type CountedReport = Schema<'CountedReport'>;
/** A kept revision of a corrected report (GET /reports/:id/revisions). */
export type ReportRevision = Schema<'ReportRevision'>;
export type ReportRevisions = Schema<'ReportRevisions'>;
export type PreviousFigures = Schema<'PreviousFigures'>;
export type GridRow = Schema<'GridRow'>;
export type Grid = Schema<'Grid'>;
export type BatchResult = Schema<'BatchResult'>;
/** One row of a batch save (PUT /reporting/periods/:year/:month/batch); amounts in yuan. */
export type ReportRowWrite = RequestBody<'/api/v1/reporting/periods/{year}/{month}/batch', 'put'>['rows'][number];
export type Photo = Schema<'Photo'>;
export type PhotoList = Schema<'PhotoList'>;
export type FieldChange = Schema<'FieldChange'>;
export type ReviewItem = Schema<'ReviewItem'>;
export type ReviewQueue = Schema<'ReviewQueue'>;

/** The 督办事项 a report's 需协调问题 became. */
export type ReportMatter = Schema<'ReportMatter'>;
/** 催报: per unit, what is still owed for a period. */
export type MissingReports = Schema<'MissingReports'>;

/** Investment attraction (招商引资): a record as lists show it (money integer yuan, foreign investment integer USD). */
export type Lead = Schema<'Lead'>;
export type LeadStage = Schema<'LeadStage'>;
export type TerminationKind = Schema<'TerminationKind'>;
export type LeadFollowup = Schema<'LeadFollowup'>;
export type LeadFile = Schema<'LeadFile'>;
/** A record with its timeline, follow-ups, evidence, library project and the actions open to the reader. */
export type LeadDetail = Schema<'LeadDetail'>;
/** 跟进超期 days and 开工期限 months (office settings), with today by the server's clock. */
export type AttractionSettings = Schema<'AttractionSettings'>;
export type AttractionRate = Schema<'AttractionRate'>;
export type AttractionFigures = Schema<'AttractionFigures'>;

/** Unit evaluation (考评): a month's 讲评 and what surrounds it (evaluation.responses.ts). */
export type EvalNode = Schema<'EvalNode'>;
export type EvalUnit = Schema<'EvalUnit'>;
export type EvalLeaf = Schema<'EvalLeaf'>;
export type EvalSnapshot = Schema<'EvalSnapshot'>;
export type EvalObjection = Schema<'EvalObjection'>;
export type EvalOutcome = Schema<'EvalOutcome'>;
export type EvalDiff = Schema<'EvalDiff'>;
export type EvalMonth = Schema<'EvalMonth'>;
export type EvalSource = Schema<'EvalSource'>;
/** A scheme version; its body is the core type (the OpenAPI document only says "an object"). */
export type EvalSchemeRow = Omit<Schema<'EvalSchemeRow'>, 'body'> & { body: Scheme };
export type EvalProblem = Schema<'EvalProblem'>;
export type EvalUnitDetail = Schema<'EvalUnitDetail'>;
export type LedgerLine = Schema<'EvalLedgerLine'>;
/** The year-end comprehensive evaluation (core/evaluation/year-end.ts). */
export type EvalYearEnd = Schema<'EvalYearEnd'>;
/** How the city or province ranked us on an indicator (eval_upper_ranks). */
export type UpperRank = Schema<'EvalUpperRank'>;
/** The 督办事项 a weak indicator became (its id and number). */
export type EvalWeakMatter = Schema<'EvalWeakMatter'>;
export type EvalLineMatter = Schema<'EvalLineMatter'>;
export type UpperRankInput = Omit<UpperRank, 'id' | 'is_weak' | 'level' | 'created_by' | 'created_at' | 'matter'> & { level: 'city' | 'province'; is_weak?: boolean };

export type Rate = Schema<'Rate'>;
/** Additive sums over a set of projects for year Y, period 1–N月 (core/indicators.ts). */
export type IndicatorSums = Schema<'IndicatorSums'>;
export type Indicators = Schema<'Indicators'>;
export type Breakdown = keyof IndicatorResult['breakdowns'];
export type BreakdownItem = Schema<'BreakdownItem'>;
export type TrendPoint = Schema<'TrendPoint'>;
export type IndicatorResult = Schema<'IndicatorResult'>;

export type LightColor = Schema<'LightColor'>;
export type LightDimension = Schema<'LightDimension'>;
export type DimensionLight = Schema<'DimensionLight'>;
/** An accepted excuse (正当理由): suppresses a project's light for months of a year. */
export type LightExcuse = Schema<'LightExcuse'>;
export type LightItem = Schema<'LightItem'>;
export type LightCounts = Schema<'LightCounts'>;
export type LightList = Schema<'LightList'>;
export type LightRule = Schema<'LightRule'>;
export type RuleSets = Schema<'RuleSets'>;

/** Workbook imports (import.responses.ts): a project list, plan or month's progress, and a unit or user list. */
export type ImportReport = Schema<'ImportReport'>;
export type ListImportReport = Schema<'ListImportReport'>;
/** A unit name of a project list that is not stored yet, with what the import proposes. */
export type UnitProposal = Schema<'UnitProposal'>;
/** The ledger imports of problems (问题台账) and attraction leads (招商台账). */
export type ProblemImportReport = Schema<'ProblemImportReport'>;
export type LeadImportReport = Schema<'LeadImportReport'>;
