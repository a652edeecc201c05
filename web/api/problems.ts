/** Enterprises (万人助万企), cadre visits and problems (问题/诉求): the problems module's API. */
import { api, withQuery } from './client.ts';
import type { RequestBody, Schema } from './types.ts';
import { PROBLEM_STATES } from '../../core/problems/problem-workflow.ts';

/** The generated shapes (server/modules/problems/problem.responses.ts). */
export type ProblemStatus = Schema<'ProblemStatus'>;
export const PROBLEM_STATUSES: readonly ProblemStatus[] = PROBLEM_STATES;
export type ProblemRow = Schema<'ProblemRow'>;
export type ProblemDetail = Schema<'ProblemDetail'>;
export type ProblemCategory = Schema<'ProblemCategory'>;
/** A time-limit row (办理时限): working days per category ('*' all) and level ('*' all). */
export type TimeLimitRow = Schema<'ProblemTimeLimit'>;

export interface ProblemQuery {
  status?: string;
  category_code?: string;
  owner_unit_id?: string;
  raised_unit_id?: string;
  source?: string;
  level?: string;
  received_from?: string;
  received_to?: string;
  q?: string;
  overdue?: string;
  page?: number;
  page_size?: number;
}

/** The problem figures (问题办理统计) and how they break down. */
export type ProblemFigures = Schema<'ProblemFigures'>;
export type ProblemFigureSet = Schema<'ProblemFigureSet'>;
export type ProblemRate = Schema<'ProblemRate'>;
export type FigureGroupBy = NonNullable<ProblemFigures['group_by']>;
export const FIGURE_GROUPS: readonly FigureGroupBy[] = ['department', 'category', 'unit', 'source', 'level', 'month'];

export type EnterpriseRow = Schema<'EnterpriseRow'>;
export type EnterpriseDetail = Schema<'EnterpriseDetail'>;

/** The request bodies, as the routes' zod schemas declare them (RequestBody<path, method>). */
export type VisitCreate = RequestBody<'/api/v1/enterprises/{id}/visits', 'post'>;
/** A problem raised during a visit. */
export type RaiseInput = NonNullable<VisitCreate['problems']>[number];
export type ProblemAction = RequestBody<'/api/v1/problems/{id}/actions/{action}', 'post'>;
export type ProblemEscalate = RequestBody<'/api/v1/problems/{id}/escalate', 'post'>;
export type CategoryWrite = RequestBody<'/api/v1/problem-categories', 'put'>;
export type EnterpriseCreate = RequestBody<'/api/v1/enterprises', 'post'>;
export type EnterpriseUpdate = RequestBody<'/api/v1/enterprises/{id}', 'put'>;
export type CadreCreate = RequestBody<'/api/v1/enterprises/{id}/cadres', 'post'>;
export type CadreUpdate = RequestBody<'/api/v1/enterprise-cadres/{cadreId}', 'patch'>;

export const problemsApi = {
  list: (q: ProblemQuery) => api.get<Schema<'ProblemPage'>>('/problems', { ...q }),
  exportUrl: (q: ProblemQuery) => withQuery('/api/v1/problems.xlsx', { ...q, page: undefined, page_size: undefined }),
  get: (id: number) => api.get<ProblemDetail>(`/problems/${id}`),
  act: (id: number, action: string, body: ProblemAction) => api.post<ProblemDetail>(`/problems/${id}/actions/${action}`, body),
  escalate: (id: number, body: ProblemEscalate) => api.post<ProblemDetail>(`/problems/${id}/escalate`, body),
  categories: () => api.get<ProblemCategory[]>('/problem-categories'),
  putCategory: (body: CategoryWrite) => api.put<ProblemCategory[]>('/problem-categories', body),
  timeLimits: () => api.get<TimeLimitRow[]>('/problem-time-limits'),
  putTimeLimits: (rows: TimeLimitRow[]) => api.put<TimeLimitRow[]>('/problem-time-limits', { rows }),
  figures: (q: { year?: number; group_by: FigureGroupBy }) => api.get<ProblemFigures>('/problem-figures', q),
  figuresExportUrl: (q: { year: number; group_by: FigureGroupBy }) => withQuery('/api/v1/problem-figures.xlsx', q),
  createEnterprise: (body: EnterpriseCreate) => api.post<EnterpriseDetail>('/enterprises', body),
  updateEnterprise: (id: number, body: EnterpriseUpdate) => api.put<EnterpriseDetail>(`/enterprises/${id}`, body),
  addCadre: (id: number, body: CadreCreate) => api.post<EnterpriseDetail>(`/enterprises/${id}/cadres`, body),
  updateCadre: (cadreId: number, body: CadreUpdate) => api.patch<EnterpriseDetail>(`/enterprise-cadres/${cadreId}`, body),
  enterprises: (q: { q?: string; mine?: string; page_size?: number }, signal?: AbortSignal) => api.get<Schema<'EnterprisePage'>>('/enterprises', q, { signal }),
  enterprise: (id: number) => api.get<EnterpriseDetail>(`/enterprises/${id}`),
  addVisit: (id: number, body: VisitCreate) =>
    api.post<{ id: number; problem_ids: number[] }>(`/enterprises/${id}/visits`, body),
};
