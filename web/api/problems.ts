/** Enterprises (万人助万企), cadre visits and problems (问题/诉求): the problems module's API. */
import { api, withQuery } from './client.ts';

export type ProblemStatus = 'pending' | 'assigned' | 'signed' | 'in_progress' | 'replied' | 'visited' | 'closed' | 'rejected';
export const PROBLEM_STATUSES: ProblemStatus[] = ['pending', 'assigned', 'signed', 'in_progress', 'replied', 'visited', 'closed', 'rejected'];

export interface ProblemRow {
  id: number;
  title: string;
  description: string;
  source: string;
  status: ProblemStatus;
  category_code: string;
  category_name: string | null;
  parent_category_name: string | null;
  level: string;
  is_major: number;
  owner_unit_name: string | null;
  raised_unit_name: string | null;
  enterprise_id: number | null;
  enterprise_name: string | null;
  project_id: number | null;
  project_name: string | null;
  received_on: string;
  solve_due: string | null;
  replied_on: string | null;
  closed_on: string | null;
  redo_count: number;
  visit_result: string | null;
  version: number;
  due_state?: 'overdue' | 'due_soon' | 'ok' | 'none';
  current_due?: { kind: string; due: string } | null;
}

export interface ProblemDetail extends ProblemRow {
  reply: string | null;
  co_units: { id: number; name: string }[];
  moves: { action: string; from: string | null; to: string; reason: string | null; at: string; actor_name: string | null }[];
  actions: string[];
  can_escalate: boolean;
  matter_id: number | null;
  matter: {
    id: number; visible: boolean; number: string | null; status: string | null; status_label: string | null; due_on: string | null; overdue: boolean;
    lead_unit_name: string | null; closed_on: string | null; written_off_on: string | null;
    /** 'closed' once 办结 was approved (with the lead unit's outcome), 'returned' when sent back (with the reason). */
    outcome_state: 'closed' | 'returned' | null; outcome: string | null; returned_reason: string | null;
    timeline: { at: string; kind: string; title: string; detail: string | null; actor_name: string | null }[];
  } | null;
}

export interface ProblemCategory { code: string; name: string; parent_code: string | null; owner_unit_id: number | null; owner_unit_name: string | null; sort?: number }

/** A time-limit row (办理时限): working days per category ('*' all) and level ('*' all). */
export interface TimeLimitRow { category_code: string; level: string; route_days: number; feedback_days: number; ordinary_days: number; major_days: number }

export interface ProblemQuery {
  status?: string;
  category_code?: string;
  q?: string;
  overdue?: string;
  page?: number;
  page_size?: number;
}

export interface EnterpriseRow {
  id: number;
  name: string;
  uscc: string | null;
  region_name?: string | null;
  unit_name?: string | null;
  industry: string | null;
  size: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  open_problems?: number;
  last_visit_on?: string | null;
}

export interface EnterpriseDetail extends EnterpriseRow {
  address: string | null;
  region_code: string;
  version: number;
  cadres: { id: number; unlinked_on: string | null; name: string; post: string | null; role: string; phone: string | null; visit_every_months: number | null; last_visit_on: string | null; plan: { next_due: string | null; overdue: boolean; days_overdue: number } }[];
  visits: { id: number; visited_on: string; visitors: string; content: string; photos: { id: number; url: string }[]; problem_ids: number[] }[];
  problems: ProblemRow[];
  projects: { id: number; name: string; code: string | null; stage: string }[];
}

export interface RaiseInput { title: string; description: string; category_code: string; level?: string; is_major?: boolean }

export const problemsApi = {
  list: (q: ProblemQuery) => api.get<{ total: number; items: ProblemRow[] }>('/problems', { ...q }),
  exportUrl: (q: ProblemQuery) => withQuery('/api/v1/problems.xlsx', { ...q, page: undefined, page_size: undefined }),
  get: (id: number) => api.get<ProblemDetail>(`/problems/${id}`),
  act: (id: number, action: string, body: Record<string, unknown>) => api.post<ProblemDetail>(`/problems/${id}/actions/${action}`, body),
  escalate: (id: number, body: { version: number; reason?: string }) => api.post<ProblemDetail>(`/problems/${id}/escalate`, body),
  categories: () => api.get<ProblemCategory[]>('/problem-categories'),
  putCategory: (body: { code: string; name: string; parent_code: string | null; owner_unit_id: number | null; sort: number }) => api.put<ProblemCategory[]>('/problem-categories', body),
  timeLimits: () => api.get<TimeLimitRow[]>('/problem-time-limits'),
  putTimeLimits: (rows: TimeLimitRow[]) => api.put<TimeLimitRow[]>('/problem-time-limits', { rows }),
  createEnterprise: (body: Record<string, unknown>) => api.post<EnterpriseDetail>('/enterprises', body),
  updateEnterprise: (id: number, body: Record<string, unknown>) => api.put<EnterpriseDetail>(`/enterprises/${id}`, body),
  addCadre: (id: number, body: Record<string, unknown>) => api.post<EnterpriseDetail>(`/enterprises/${id}/cadres`, body),
  updateCadre: (cadreId: number, body: Record<string, unknown>) => api.patch<EnterpriseDetail>(`/enterprise-cadres/${cadreId}`, body),
  enterprises: (q: { q?: string; mine?: string; page_size?: number }) => api.get<{ total: number; items: EnterpriseRow[] }>('/enterprises', q),
  enterprise: (id: number) => api.get<EnterpriseDetail>(`/enterprises/${id}`),
  addVisit: (id: number, body: { visited_on: string; visitors: string; content: string; problems: RaiseInput[] }) =>
    api.post<{ id: number; problem_ids: number[] }>(`/enterprises/${id}/visits`, body),
};
