/** Investment attraction (招商引资): records from lead to production, their reviewed moves, follow-ups and figures. */
import { api } from './client.ts';

import type { LeadStage, TerminationKind } from '../../core/attraction/lead.ts';

export { LEAD_STAGES, TERMINATION_KINDS, type LeadStage, type TerminationKind } from '../../core/attraction/lead.ts';

/** One record as lists show it (money integer yuan, foreign investment integer USD). */
export interface Lead {
  id: number;
  name: string;
  team_id: number;
  team_name: string | null;
  region_code: string;
  region_name: string | null;
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
  /** The enterprise of the problems module's register (matched by USCC or chosen). */
  enterprise_id: number | null;
  stage: LeadStage;
  lead_on: string;
  negotiating_on: string | null;
  signed_on: string | null;
  approved_on: string | null;
  landed_on: string | null;
  started_on: string | null;
  producing_on: string | null;
  review_status: 'settled' | 'submitted' | 'returned';
  pending_to: LeadStage | 'terminated' | null;
  pending_on: string | null;
  pending_reason: string | null;
  pending_kind: TerminationKind | null;
  return_reason: string | null;
  terminated_on: string | null;
  termination_kind: TerminationKind | null;
  termination_reason: string | null;
  last_followup_on: string | null;
  notes: string | null;
  version: number;
}

export interface LeadMoveEntry { from: string | null; to: string; action: string; reason: string | null; actorId: number | null; at: string }
export interface LeadFollowup { id: number; on_date: string; content: string; created_at: string; user_name: string | null }
export interface LeadFile { id: number; stage: LeadStage; file_name: string; mime: string; size: number; created_at: string }

/** A record with its timeline, follow-ups, evidence, library project and the actions open to the reader. */
export interface LeadDetail extends Lead {
  moves: LeadMoveEntry[];
  followups: LeadFollowup[];
  files: LeadFile[];
  project: { id: number; name: string; total_investment: number } | null;
  enterprise: { id: number; name: string; uscc: string | null } | null;
  /** Today by the server's clock (the page's date defaults and limits). */
  today: string;
  actions: ('submit' | 'approve' | 'return' | 'withdraw')[];
}

export interface Rate { num: number; den: number; rate: number | null }
export interface FigureRow {
  key: string; label: string; signed_count: number; signed_amount: number; signed_big_count: number; signed_big_amount: number;
  foreign_usd: number; started_count: number; producing_count: number; sign_to_start_count: number; sign_to_start_months: number | null; performance: Rate;
}
export interface BriefLead { id: number; name: string; team_name: string | null; region_name: string | null; stage: LeadStage; signed_on: string | null; signed_amount: number | null; last_followup_on: string | null; lead_on: string }
export interface Figures {
  period: { from: string; to: string };
  today: string;
  start_limit_months: number;
  stale_days: number;
  definitions: Record<string, string>;
  total: FigureRow;
  groups: FigureRow[];
  funnel: { stage: LeadStage; reached: number; conversion: Rate | null }[];
  overdue_start: (BriefLead & { due_on: string; overdue_days: number })[];
  stale: (BriefLead & { idle_days: number })[];
}

export type LeadWrite = Partial<Omit<Lead, 'id' | 'team_name' | 'region_name' | 'stage' | 'version'>>;

export const attractionApi = {
  list: (query: { stage?: string; q?: string; team_id?: number; terminated?: string } = {}) => api.get<Lead[]>('/attraction/leads', query),
  get: (id: number) => api.get<LeadDetail>(`/attraction/leads/${id}`),
  create: (body: LeadWrite & { name: string; team_id: number; region_code: string }) => api.post<LeadDetail>('/attraction/leads', body),
  update: (id: number, body: LeadWrite & { version: number }) => api.patch<LeadDetail>(`/attraction/leads/${id}`, body),
  move: (id: number, body: { to: LeadStage | 'terminated'; date: string; reason?: string | null; termination_kind?: TerminationKind | null; project_id?: number | null; version: number }) =>
    api.post<LeadDetail>(`/attraction/leads/${id}/moves`, body),
  review: (id: number, body: { action: 'approve' | 'return' | 'withdraw'; reason?: string | null; version: number }) => api.post<LeadDetail>(`/attraction/leads/${id}/review`, body),
  followup: (id: number, body: { on_date: string; content: string }) => api.post<LeadFollowup[]>(`/attraction/leads/${id}/followups`, body),
  figures: (query: { year: number; quarter?: number; group_by?: string }) => api.get<Figures>('/attraction/figures', query),
  /** The office's settings and the server's today. */
  settings: () => api.get<AttractionSettings>('/attraction/settings'),
  putSettings: (body: Partial<Omit<AttractionSettings, 'today'>>) => api.put<AttractionSettings>('/attraction/settings', body),
};

/** 跟进超期 days and 开工期限 months (office settings), with today by the server's clock. */
export interface AttractionSettings { stale_days: number; start_limit_months: number; today: string }
