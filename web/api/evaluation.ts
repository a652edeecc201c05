import { api } from './client.ts';
import type { Scheme } from '../../core/evaluation/scheme.ts';

/** One scored node of a unit (server: evaluation.service.ts SnapshotNode). */
export interface EvalNode {
  value: string | null;
  value_text: string;
  score_text: string;
  contribution: string;
  contribution_text: string;
  note: string;
}

export interface EvalUnit {
  key: string;
  name: string;
  rank: number;
  total_text: string;
  tree_total_text: string;
  adjustment_text: string;
  vetoed: boolean;
  veto_reasons: string[];
  gap_to_leader_text: string;
  prev_rank: number | null;
  prev_total_text: string | null;
  rank_change: number | null;
  score_change_text: string | null;
  nodes: Record<string, EvalNode>;
}

export interface EvalLeaf { key: string; name: string; path: string; source: string; source_label: string; unit: string; rule: string; records: string }
export interface BoardLine { leaf: string; leaf_name: string; unit_key: string; unit_name: string; value_text: string; score_text: string }
export interface SpeedLine { project_id: number; name: string; unit_name: string; completion_rate_text: string; gap_points_text: string }

export interface EvalSnapshot {
  year: number;
  month: number;
  period_label: string;
  scheme: { id: number | null; version: number | null; name: string };
  computed_at: string;
  leaves: EvalLeaf[];
  units: EvalUnit[];
  advanced: string[];
  lagging: string[];
  red: BoardLine[];
  yellow: BoardLine[];
  fast: SpeedLine[];
  slow: SpeedLine[];
}

export interface EvalObjection { id: number; unit_id: number; unit_name: string; reason: string; status: 'open' | 'accepted' | 'rejected'; reply: string | null; raised_at: string }
export interface EvalOutcome { id: number; unit_id: number; kind: 'reward' | 'interview' | 'criticism'; amount: number | null; note: string | null }
export interface EvalDiff { unit_key: string; unit_name: string; item: string; before: string; after: string }

export interface EvalMonth {
  year: number;
  month: number;
  status: 'none' | 'draft' | 'objection' | 'published';
  status_label: string;
  objection_until?: string | null;
  published_at?: string | null;
  revision?: number;
  snapshot: EvalSnapshot | null;
  objections: EvalObjection[];
  outcomes: EvalOutcome[];
  diff: EvalDiff[];
}

export interface EvalSource { key: string; label: string; unit: string; provider: string; available: boolean; records: string }
export interface EvalSchemeRow { id: number; year: number; version: number; name: string; status: 'draft' | 'adopted' | 'retired'; row_version: number; body: Scheme }
export interface EvalProblem { path: string; message: string }
export interface EvalUnitDetail {
  unit: EvalUnit;
  leaves: EvalLeaf[];
  entries: { id: number; item_key: string; value: string; evidence: string; status: string }[];
  ledger: { id: number; points_hundredths: number; reason: string; doc_number: string; approver: string }[];
  projects_link: string;
}
export interface LedgerLine { id: number; year: number; month: number; unit_id: number; unit_name: string; points_text: string; reason: string; doc_number: string; approver: string; created_at: string }

/** The year-end comprehensive evaluation (server: evaluation.service.ts yearEnd, core/evaluation/year-end.ts). */
export interface EvalYearEnd {
  year: number;
  scheme: { id: number; version: number; name: string };
  months: number[];
  monthly_weight: number;
  items: { key: string; name: string; max?: number }[];
  units: {
    key: string; name: string; rank: number; months: { month: number; total_text: string }[]; monthly_average_text: string; monthly_part_text: string;
    items: { key: string; name: string; value_text: string }[]; ledger_text: string; total_text: string; vetoed: boolean; vetoed_months: number[];
  }[];
}
/** How the city or province ranked us on an indicator (eval_upper_ranks). */
export interface UpperRank {
  id: number; year: number; month: number; level: 'city' | 'province'; indicator: string; our_rank: number; unit_count: number;
  our_score: string | null; leader_score: string | null; is_weak: boolean; reasons: string | null; next_steps: string | null;
}
export type UpperRankInput = Omit<UpperRank, 'id' | 'is_weak'> & { is_weak?: boolean };

/** Download links of a month's 讲评 sheet. */
export const evaluationLinks = {
  sheet: (year: number, month: number, format: 'xlsx' | 'docx') => `/api/v1/evaluation/months/${year}/${month}/sheet.${format}`,
};

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
  object: (year: number, month: number, unitId: number, reason: string) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/objections`, { unit_id: unitId, reason }),
  handleObjection: (id: number, decision: 'accepted' | 'rejected', reply: string) => api.post<EvalMonth>(`/evaluation/objections/${id}/handle`, { decision, reply }),
  publish: (year: number, month: number) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/publish`),
  republish: (year: number, month: number, reason: string) => api.post<EvalMonth>(`/evaluation/months/${year}/${month}/republish`, { reason }),
  yearEnd: (year: number) => api.get<EvalYearEnd>(`/evaluation/years/${year}`),
  upperRanks: (year: number) => api.get<UpperRank[]>(`/evaluation/upper-ranks/${year}`),
  addUpperRank: (body: UpperRankInput) => api.post<UpperRank>('/evaluation/upper-ranks', body),
  ledger: (year: number, month?: number) => api.get<LedgerLine[]>('/evaluation/ledger', { year, month }),
  addLedger: (body: { year: number; month: number; unit_id: number; points: number; reason: string; doc_number: string; approver: string }) => api.post<LedgerLine>('/evaluation/ledger', body),
};
