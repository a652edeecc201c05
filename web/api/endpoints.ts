import { api } from './client.ts';
import type {
  AnnualPlan, AnnualPlanWrite, ProjectCreate, ReportRevisions, ReportMatter, MissingReports, Breakdown, CurrentPeriods, CurrentUser, IndicatorResult, LightDimension, LightExcuse, LightList, LightRule, RuleSets, Grid, MonthlyReport, Period, PeriodStatus, PhotoList, Procedure, ProcedureWrite, Project, ProjectChangePage, ProjectListOf, ProjectListField, DefaultProjectListField, ProjectListQuery, ProjectPatch,
  Region, BatchResult, ReportDetail, ReportRowWrite, RequestBody, ReviewQueue, Schema, StageHistoryEntry, Unit,
} from './types.ts';
import type { EvalMonth, EvalProblem, EvalSchemeRow, EvalSnapshot, EvalSource, EvalUnitDetail, EvalYearEnd, LedgerLine, UpperRank, UpperRankInput, EvalWeakMatter } from './types.ts';
import type { Scheme } from '../../core/evaluation/scheme.ts';
import type { AttractionFigures, AttractionSettings, Lead, LeadDetail, LeadFollowup, LeadStage, TerminationKind } from './types.ts';

/** Sign-in and the current account. */
export const authApi = {
  login: (username: string, password: string) => api.post<{ user: CurrentUser }>('/auth/login', { username, password }, { quiet: true }),
  me: () => api.get<{ user: CurrentUser }>('/auth/me', undefined, { quiet: true }),
  logout: () => api.post<{ ok: boolean }>('/auth/logout'),
};

/** Regions and units. */
export const referenceApi = {
  regions: (parent?: string) => api.get<{ items: Region[] }>('/regions', { parent }),
  region: (code: string) => api.get<Region>(`/regions/${encodeURIComponent(code)}`, undefined, { quiet: true }),
  subtree: (code: string, depth: number) => api.get<{ items: Region[] }>(`/regions/${encodeURIComponent(code)}/subtree`, { depth }, { quiet: true }),
  units: () => api.get<{ items: Unit[] }>('/units'),
  /** The lowest region holding every unit's and project's region (null when none or several provinces). */
  dataRoot: () => api.get<{ region: Region | null }>('/regions/data-root', undefined, { quiet: true }),
  /** Regions under `under` whose name, pinyin or initials contain q. */
  searchRegions: (q: string, under: string) => api.get<{ items: Region[] }>('/regions', { q, under }, { quiet: true }),
};

/** The project library. */
export const projectApi = {
  /** A page of the list; `fields` picks the columns each item carries (id always; without it the table's columns). */
  list: <F extends ProjectListField = DefaultProjectListField>(query: ProjectListQuery & { fields?: readonly F[] }, signal?: AbortSignal) =>
    api.get<ProjectListOf<F>>('/projects', { ...query, fields: query.fields?.join(',') }, { signal }),
  /** `quiet`: the caller shows a failure itself (the project page falls back to the node plan on a 404). */
  get: (id: number, options?: { quiet?: boolean }) => api.get<Project>(`/projects/${id}`, undefined, options),
  update: (id: number, version: number, patch: ProjectPatch) => api.patch<Project>(`/projects/${id}`, { ...patch, version }, { quiet: true }),
  create: (body: ProjectCreate) => api.post<Project>('/projects', body, { quiet: true }),
  /** Moves between library tiers (谋划/储备/实施/退库; restore from 退库 by naming the tier it left). */
  changeTier: (id: number, body: { to: string; reason?: string | null; version: number }) => api.post<Project>(`/projects/${id}/tier`, body, { quiet: true }),
  /** A reserve review step: 初审 (first) then 终审 (final). */
  review: (id: number, review: string, version: number) => api.post<Project>(`/projects/${id}/review`, { review, version }, { quiet: true }),
};

/** Plans, procedures and stages of one project. */
export const projectPartsApi = {
  plans: (id: number) => api.get<{ items: AnnualPlan[] }>(`/projects/${id}/plans`),
  savePlan: (id: number, year: number, plan: AnnualPlanWrite) => api.put<AnnualPlan>(`/projects/${id}/plans/${year}`, plan, { quiet: true }),
  procedures: (id: number) => api.get<{ items: Procedure[] }>(`/projects/${id}/procedures`),
  saveProcedure: (id: number, kind: string, body: ProcedureWrite) =>
    api.put<Procedure>(`/projects/${id}/procedures/${kind}`, body),
  stageHistory: (id: number) => api.get<{ items: StageHistoryEntry[] }>(`/projects/${id}/stage-history`),
  changeStage: (id: number, body: { to: string; event_date: string; reason?: string | null; version?: number }) =>
    api.post<Project>(`/projects/${id}/stage`, body),
  changes: (id: number, page: number, pageSize: number) => api.get<ProjectChangePage>(`/projects/${id}/changes`, { page, page_size: pageSize }),
  reports: (id: number, year: number) => api.get<{ items: Array<MonthlyReport & { matter: ReportMatter | null }> }>(`/projects/${id}/reports/${year}`),
  revisions: (reportId: number) => api.get<ReportRevisions>(`/reports/${reportId}/revisions`),
  /** Corrects an approved report with a reason; the approved figures are kept as a revision. */
  correct: (reportId: number, body: RequestBody<'/api/v1/reports/{id}/correct', 'post'>) =>
    api.post<ReportDetail>(`/reports/${reportId}/correct`, body, { quiet: true }),
};

/** Monthly reporting: calendar, a unit's grid, photos, review. */
export const reportApi = {
  periods: (year: number) => api.get<{ items: Period[] }>(`/reporting/years/${year}/periods`),
  current: () => api.get<CurrentPeriods>('/reporting/current'),
  saveOne: (projectId: number, year: number, month: number, body: Omit<ReportRowWrite, 'project_id'>) =>
    api.put<ReportDetail>(`/projects/${projectId}/reports/${year}/${month}`, body, { quiet: true }),
  submit: (id: number, version: number) => api.post<ReportDetail>(`/reports/${id}/submit`, { version }, { quiet: true }),
  grid: (year: number, month: number, unit?: number) => api.get<Grid>(`/reporting/periods/${year}/${month}/grid`, { unit }),
  saveBatch: (year: number, month: number, rows: ReportRowWrite[], submit: boolean) =>
    api.put<BatchResult>(`/reporting/periods/${year}/${month}/batch`, { rows, submit }, { quiet: true }),
  submitAll: (year: number, month: number, unit?: number) =>
    api.post<Schema<'SubmitAllResult'>>(`/reporting/periods/${year}/${month}/submit-all`, { unit }, { quiet: true }),
  photos: (reportId: number) => api.get<PhotoList>(`/reports/${reportId}/photos`),
  uploadPhotos: (reportId: number, files: File[]) => {
    const form = new FormData();
    for (const f of files) form.append('photos', f, f.name);
    return api.post<PhotoList>(`/reports/${reportId}/photos`, form);
  },
  reviewQueue: (year: number, month: number, unit?: number) => api.get<ReviewQueue>(`/reporting/periods/${year}/${month}/review-queue`, { unit }),
  approve: (id: number, version: number) => api.post<ReportDetail>(`/reports/${id}/approve`, { version }),
  returnReport: (id: number, version: number, reason: string) => api.post<ReportDetail>(`/reports/${id}/return`, { version, reason }),
  /** 催报: per unit, projects without a submitted report; with `page`, one page of the units that owe something. */
  missing: (year: number, month: number, unit?: number, page?: { page: number; page_size: number; per_unit: number }) =>
    api.get<MissingReports>(`/reporting/periods/${year}/${month}/missing`, { unit, ...page }),
  /** 转督办 of a report's 需协调问题 (409 when it already has its matter). */
  problemMatter: (id: number, body: RequestBody<'/api/v1/reports/{id}/matter', 'post'>) => api.post<ReportMatter>(`/reports/${id}/matter`, body, { quiet: true }),
};

/** The reporting settings (office, period.admin): the deadline day and month, the reminder lead in working days. */
export type ReportingSettings = Schema<'ReportingSettings'>;
export const reportingSettingsApi = {
  get: () => api.get<ReportingSettings>('/reporting/settings'),
  put: (body: ReportingSettings) => api.put<ReportingSettings>('/reporting/settings', body, { quiet: true }),
};

/** The reporting calendar (office). */
export const periodApi = {
  createYear: (year: number) => api.post<{ items: Period[] }>('/reporting/years', { year }),
  setStatus: (year: number, month: number, status: Exclude<PeriodStatus, 'pending'>) => api.patch<Period>(`/reporting/periods/${year}/${month}`, { status }),
};

/** A record's editable fields (attraction.schema.ts leadCreateBody / leadUpdateBody). */
export type LeadWrite = Partial<Omit<Lead, 'id' | 'team_name' | 'region_name' | 'stage' | 'version'>>;

/** Investment attraction (招商引资): records from lead to production, their reviewed moves, follow-ups and figures. */
export const attractionApi = {
  list: (query: { stage?: string; q?: string; team_id?: number; terminated?: string } = {}) => api.get<Lead[]>('/attraction/leads', query),
  get: (id: number) => api.get<LeadDetail>(`/attraction/leads/${id}`),
  create: (body: LeadWrite & { name: string; team_id: number; region_code: string }) => api.post<LeadDetail>('/attraction/leads', body),
  update: (id: number, body: LeadWrite & { version: number }) => api.patch<LeadDetail>(`/attraction/leads/${id}`, body),
  move: (id: number, body: { to: LeadStage | 'terminated'; date: string; reason?: string | null; termination_kind?: TerminationKind | null; project_id?: number | null; version: number }) =>
    api.post<LeadDetail>(`/attraction/leads/${id}/moves`, body),
  review: (id: number, body: { action: 'approve' | 'return' | 'withdraw'; reason?: string | null; version: number }) => api.post<LeadDetail>(`/attraction/leads/${id}/review`, body),
  followup: (id: number, body: { on_date: string; content: string }) => api.post<LeadFollowup[]>(`/attraction/leads/${id}/followups`, body),
  figures: (query: { year: number; quarter?: number; group_by?: string }) => api.get<AttractionFigures>('/attraction/figures', query),
  /** The office's settings and the server's today. */
  settings: () => api.get<AttractionSettings>('/attraction/settings'),
  putSettings: (body: Partial<Omit<AttractionSettings, 'today'>>) => api.put<AttractionSettings>('/attraction/settings', body),
};

/** Download links of a month's 讲评 sheet. */
export const evaluationLinks = {
  sheet: (year: number, month: number, format: 'xlsx' | 'docx') => `/api/v1/evaluation/months/${year}/${month}/sheet.${format}`,
};

/** Unit evaluation (考评): schemes, preview, monthly 讲评, objections, publication and the 加扣分 ledger. */
export const evaluationApi = {
  sources: () => api.get<EvalSource[]>('/evaluation/sources'),
  schemes: (year: number) => api.get<EvalSchemeRow[]>('/evaluation/schemes', { year }),
  createScheme: (year: number, scheme: Scheme) => api.post<EvalSchemeRow>('/evaluation/schemes', { year, scheme }),
  updateScheme: (id: number, scheme: Scheme, rowVersion: number) => api.put<EvalSchemeRow>(`/evaluation/schemes/${id}`, { scheme, row_version: rowVersion }),
  adopt: (id: number) => api.post<EvalSchemeRow>(`/evaluation/schemes/${id}/adopt`),
  preview: (year: number, month: number, scheme: Scheme) => api.post<{ problems: EvalProblem[]; result: EvalSnapshot | null }>('/evaluation/preview', { year, month, scheme }, { quiet: true }),
  month: (year: number, month: number) => api.get<EvalMonth>(`/evaluation/months/${year}/${month}`),
  unit: (year: number, month: number, unitId: string) => api.get<EvalUnitDetail>(`/evaluation/months/${year}/${month}/units/${unitId}`),
  compute: (year: number, month: number) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/compute`),
  openObjections: (year: number, month: number, until: string) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/objection-window`, { until }),
  /** An objection to a unit's result, or to one indicator line of it (`leaf`). */
  object: (year: number, month: number, unitId: number, reason: string, leaf?: string) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/objections`, { unit_id: unitId, reason, leaf: leaf ?? null }),
  /** The office's review; accepting a line objection sets the line's corrected value. */
  handleObjection: (id: number, decision: 'accepted' | 'rejected', reply: string, correctedValue?: string) =>
    api.post<EvalMonth>(`/evaluation/objections/${id}/handle`, { decision, reply, corrected_value: correctedValue ?? null }),
  publish: (year: number, month: number) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/publish`),
  republish: (year: number, month: number, reason: string) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/republish`, { reason }),
  yearEnd: (year: number) => api.get<EvalYearEnd>(`/evaluation/years/${year}`),
  upperRanks: (year: number) => api.get<UpperRank[]>(`/evaluation/upper-ranks/${year}`),
  addUpperRank: (body: UpperRankInput) => api.post<UpperRank>('/evaluation/upper-ranks', body),
  upperRankMatter: (id: number, body: { lead_unit_id: number; title?: string | null; due_on?: string | null }) => api.post<EvalWeakMatter>(`/evaluation/upper-ranks/${id}/matter`, body),
  unitLineMatter: (year: number, month: number, unitId: number, body: { leaf: string; title?: string | null; due_on?: string | null }) =>
    api.post<EvalWeakMatter>(`/evaluation/months/${year}/${month}/units/${unitId}/matter`, body),
  ledger: (year: number, month?: number) => api.get<LedgerLine[]>('/evaluation/ledger', { year, month }),
  addLedger: (body: { year: number; month: number; unit_id: number; points: number; reason: string; doc_number: string; approver: string }) => api.post<LedgerLine>('/evaluation/ledger', body),
};

/** Filter fields shared by the list, indicators and lights (project.schema.ts projectFilterSchema). */
export type ScopeFilter = Record<string, string | number | undefined>;

/** Indicators and lights. */
export const indicatorApi = {
  get: (year: number, month: number, filter: ScopeFilter, breakdown: Breakdown[]) =>
    api.get<IndicatorResult>('/indicators', { ...filter, year, month, breakdown: breakdown.join(',') }),
  lights: (year: number, month: number, filter: ScopeFilter, opts: { light?: string; dimension?: string; page?: number; page_size?: number } = {}) =>
    api.get<LightList>('/lights', { ...filter, year, month, ...opts }),
  rules: (year: number) => api.get<RuleSets>(`/lights/rules/${year}`),
  saveRules: (year: number, body: { rules: LightRule[]; effective_month?: number; note?: string; rejudge_closed?: boolean }) => api.put<RuleSets>(`/lights/rules/${year}`, body, { quiet: true }),
  excuses: (year: number, projectId: number) => api.get<{ items: LightExcuse[] }>('/lights/excuses', { year, project_id: projectId }),
  acceptExcuse: (body: { project_id: number; year: number; month_from: number; month_to: number | null; dimension: LightDimension | null; reason: string }) =>
    api.post<LightExcuse>('/lights/excuses', body, { quiet: true }),
  revokeExcuse: (id: number) => api.del<{ ok: boolean }>(`/lights/excuses/${id}`),
};
