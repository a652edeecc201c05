/** Supervised matters (督办事项), the to-do inbox and notifications. */
import { api, withQuery } from './client.ts';
import type { Schema } from './types.ts';

/** The generated shapes (server/modules/supervision/supervision.responses.ts). */
export type MatterListItem = Schema<'MatterListItem'>;
export type MatterList = Schema<'MatterList'>;
export type Attachment = Schema<'Attachment'>;
export type MatterDetail = Schema<'MatterDetail'>;
export interface MatterCreate {
  title: string; content?: string; source: string; source_id?: number | null; source_ref?: string | null; type?: string; urgency?: string;
  lead_unit_id: number; co_unit_ids?: number[]; project_ids?: number[]; due_on?: string | null; feedback_days?: number | null;
}
export type MatterQuery = Record<string, string | number | undefined>;

export interface Todo { id: number; key: string; kind: string; title: string; link: string; dueOn: string | null; createdAt: string; doneAt: string | null; overdue: boolean }
export interface InboxCount { open: number; overdue: number; unread: number }

export const supervisionApi = {
  list: (query: MatterQuery) => api.get<MatterList>('/matters', query),
  exportHref: (query: MatterQuery) => withQuery('/api/v1/matters.xlsx', query),
  get: (id: number) => api.get<MatterDetail>(`/matters/${id}`),
  create: (body: MatterCreate) => api.post<Schema<'MatterRef'>>('/matters', body, { quiet: true }),
  act: (id: number, body: { action: string; version: number; reason?: string; due_on?: string; lead_unit_id?: number }) => api.post<MatterDetail>(`/matters/${id}/actions`, body, { quiet: true }),
  feedback: (id: number, body: { text: string; next_steps?: string }) => api.post<Schema<'MatterFeedbackEntry'>>(`/matters/${id}/feedback`, body, { quiet: true }),
  feedbackFile: (id: number, entryId: number, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.post<Attachment>(`/matters/${id}/feedback/${entryId}/attachments`, form, { quiet: true });
  },
  instruct: (id: number, text: string) => api.post<{ id: number }>(`/matters/${id}/instructions`, { text }),
  attention: (id: number, attention: boolean) => api.put<{ attention: boolean }>(`/matters/${id}/attention`, { attention }),
};

// ---- meetings → decisions → matters, weekly batches (周交办), letters (supervision3) -------------------------------
export type LinkedMatter = Schema<'LinkedMatter'>;
export type MeetingListItem = Schema<'MeetingListItem'>;
export type MeetingDetail = Schema<'MeetingDetail'>;
/** A meeting's facts; `version` is named by a correction (a stale one answers 409 version_conflict with the current facts). */
export type MeetingInfo = MeetingDetail['meeting'];
export interface MeetingCreate { kind: string; title: string; held_on: string; chair?: string | null; attendees?: string | null; location?: string | null; decisions: string[] }
export interface MeetingUpdate { version: number; kind: string; title: string; held_on: string; chair?: string | null; attendees?: string | null; location?: string | null }
export interface DecisionMatters { title?: string | null; content?: string | null; due_on?: string | null; feedback_days?: number | null; urgency?: string; project_ids?: number[]; units: { lead_unit_id: number; co_unit_ids?: number[] }[] }
export type BatchListItem = Schema<'BatchListItem'>;
export type BatchDetail = Schema<'BatchDetail'>;

export const agendaApi = {
  meetings: () => api.get<{ total: number; items: MeetingListItem[] }>('/meetings', { limit: 200 }),
  meeting: (id: number) => api.get<MeetingDetail>(`/meetings/${id}`),
  createMeeting: (body: MeetingCreate) => api.post<{ id: number }>('/meetings', body, { quiet: true }),
  updateMeeting: (id: number, body: MeetingUpdate) => api.put<Schema<'MeetingUpdated'>>(`/meetings/${id}`, body, { quiet: true }),
  deleteMeeting: (id: number) => api.del<{ deleted: boolean }>(`/meetings/${id}`, { quiet: true }),
  // A decision's change names the meeting's version it was made on (409 version_conflict when another save came first).
  updateDecision: (id: number, decisionId: number, version: number, text: string) => api.put<{ id: number; seq: number; version: number }>(`/meetings/${id}/decisions/${decisionId}`, { version, text }, { quiet: true }),
  deleteDecision: (id: number, decisionId: number, version: number) => api.del<{ deleted: boolean; version: number }>(`/meetings/${id}/decisions/${decisionId}`, { quiet: true, query: { version } }),
  addDecision: (id: number, version: number, text: string) => api.post<{ id: number; seq: number; version: number }>(`/meetings/${id}/decisions`, { version, text }, { quiet: true }),
  toMatters: (id: number, decisionId: number, body: DecisionMatters) => api.post<{ matters: Schema<'MatterRef'>[] }>(`/meetings/${id}/decisions/${decisionId}/matters`, body, { quiet: true }),
  minutes: (id: number, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.post<Attachment>(`/meetings/${id}/attachments`, form, { quiet: true });
  },
  batches: () => api.get<{ total: number; items: BatchListItem[] }>('/batches', { limit: 200 }),
  candidates: () => api.get<{ items: MatterListItem[] }>('/batches/candidates'),
  createBatch: (body: { matter_ids: number[]; title?: string | null; carry_overdue?: boolean }) => api.post<{ id: number; seq: number; title: string }>('/batches', body, { quiet: true }),
  batch: (id: number) => api.get<BatchDetail>(`/batches/${id}`),
  reissueBatch: (id: number) => api.post<{ units: { unitId: number; name: string; pending: number }[] }>(`/batches/${id}/reissue`, {}, { quiet: true }),
  letter: (id: number, kind: string) => api.post<MatterDetail>(`/matters/${id}/letters`, { kind }, { quiet: true }),
  coSign: (id: number) => api.post<{ signedOn: string }>(`/matters/${id}/co-sign`, {}, { quiet: true }),
};

// ---- the office's supervision settings: letter templates and the reply period (supervision4) ----------------------
export type SupervisionSettings = Schema<'SupervisionSettings'>;
/** The number each series hands out next this year (not taken). */
export type NextNumbers = Schema<'NextNumbers'>;
export type EscalationStep = SupervisionSettings['ladder'][number];
export const supervisionSettingsApi = {
  get: () => api.get<SupervisionSettings>('/supervision/settings'),
  /** A change made on `patch.version` (409 version_conflict, with the stored settings, when another save came first). */
  put: (patch: Partial<SupervisionSettings> & { version: number }) => api.put<SupervisionSettings>('/supervision/settings', patch, { quiet: true }),
  nextNumbers: () => api.get<NextNumbers>('/supervision/settings/next-numbers'),
};

export const inboxApi = {
  todos: (done: boolean) => api.get<{ today: string; items: Todo[] }>('/todos', { done: done ? '1' : undefined }),
  count: () => api.get<InboxCount>('/todos/count', undefined, { quiet: true }),
  notifications: () => api.get<{ items: { id: number; title: string; body: string | null; link: string | null; createdAt: string; readAt: string | null }[] }>('/notifications'),
  markRead: () => api.post<InboxCount>('/notifications/read', {}),
};
