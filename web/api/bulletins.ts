import { api } from './client.ts';
import type { BulletinTemplate } from '../../core/bulletins/template.ts';
import type { ProjectRank, UnitRank } from '../../core/bulletins/ranking.ts';
import type { BulletinStatus } from '../../core/bulletins/workflow.ts';
import type { FeedKey } from '../../core/bulletins/feeds.ts';
import type { BulletinFigures } from '../../core/bulletins/figures.ts';

/** One issued version (the bytes stay on the server). */
export interface BulletinVersion {
  id: number;
  revision: number;
  issue_no: number;
  doc_number: string | null;
  title: string;
  issued_on: string;
  docx_sha256: string;
  correction_note: string | null;
  signer_name: string;
  signed_at: string;
}

export interface Bulletin {
  id: number;
  year: number;
  month: number;
  region_code: string | null;
  title: string;
  status: BulletinStatus;
  issue_no: number | null;
  revision: number;
  correction_note: string | null;
  return_reason: string | null;
  version: number;
  /** Feed sections left out (core/bulletins/feeds.ts keys, comma-separated). */
  omitted_feeds: string;
  versions: BulletinVersion[];
}

export interface Ranking {
  year: number;
  month: number;
  period_label: string;
  time_progress_text: string;
  units: UnitRank[];
  fast: ProjectRank[];
  slow: ProjectRank[];
}

export interface TemplateAnswer {
  template: BulletinTemplate;
  version: number;
  is_builtin: boolean;
  default_template: BulletinTemplate;
  placeholders: Record<string, string>;
}

/** Download links (plain hrefs: the session cookie rides along, the server names the file). */
export const bulletinLinks = {
  document: (id: number, format: 'docx' | 'pdf') => `/api/v1/bulletins/${id}/document.${format}`,
  version: (id: number, revision: number, format: 'docx' | 'pdf') => `/api/v1/bulletins/${id}/versions/${revision}/document.${format}`,
};

export const bulletinApi = {
  list: (year?: number) => api.get<{ items: Bulletin[] }>('/bulletins', { year }),
  create: (body: { year: number; month: number; region?: string }) => api.post<Bulletin>('/bulletins', body),
  remove: (id: number) => api.del<null>(`/bulletins/${id}`),
  act: (id: number, action: 'submit' | 'sign', version: number) => api.post<Bulletin>(`/bulletins/${id}/${action}`, { version }),
  actWithReason: (id: number, action: 'return' | 'reissue', version: number, reason: string) => api.post<Bulletin>(`/bulletins/${id}/${action}`, { version, reason }),
  setFeeds: (id: number, version: number, omitted: FeedKey[]) => api.put<Bulletin>(`/bulletins/${id}/feeds`, { version, omitted }),
  figures: (id: number) => api.get<{ frozen: boolean; revision: number | null; figures: BulletinFigures }>(`/bulletins/${id}/figures`),
  ranking: (year: number, month: number, region?: string) => api.get<Ranking>('/bulletins/ranking', { year, month, region }),
  template: () => api.get<TemplateAnswer>('/bulletins/template'),
  saveTemplate: (template: BulletinTemplate, version: number) => api.put<TemplateAnswer>('/bulletins/template', { template, version }, { quiet: true }),
};
