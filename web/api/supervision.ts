/** Supervised matters (督办事项), the to-do inbox and notifications. */
import { api, withQuery } from './client.ts';
import type { RequestBody, Schema } from './types.ts';

/** The generated shapes (server/modules/supervision/supervision.responses.ts). */
export type MatterListItem = Schema<'MatterListItem'>;
export type MatterList = Schema<'MatterList'>;
export type Attachment = Schema<'Attachment'>;
export type MatterDetail = Schema<'MatterDetail'>;
/** The request bodies, as the routes' zod schemas declare them (RequestBody<path, method>). */
export type MatterCreate = RequestBody<'/api/v1/matters', 'post'>;
export type MatterAction = RequestBody<'/api/v1/matters/{id}/actions', 'post'>;
export type MatterFeedback = RequestBody<'/api/v1/matters/{id}/feedback', 'post'>;
export type MatterQuery = Record<string, string | number | undefined>;

export interface Todo { id: number; key: string; kind: string; title: string; link: string; dueOn: string | null; createdAt: string; doneAt: string | null; overdue: boolean }
export interface InboxCount { open: number; overdue: number; unread: number }

export const supervisionApi = {
  list: (query: MatterQuery) => api.get<MatterList>('/matters', query),
  exportHref: (query: MatterQuery) => withQuery('/api/v1/matters.xlsx', query),
  get: (id: number) => api.get<MatterDetail>(`/matters/${id}`),
  create: (body: MatterCreate) => api.post<Schema<'MatterRef'>>('/matters', body, { quiet: true }),
  act: (id: number, body: MatterAction) => api.post<MatterDetail>(`/matters/${id}/actions`, body, { quiet: true }),
  feedback: (id: number, body: MatterFeedback) => api.post<Schema<'MatterFeedbackEntry'>>(`/matters/${id}/feedback`, body, { quiet: true }),
  feedbackFile: (id: number, entryId: number, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.post<Attachment>(`/matters/${id}/feedback/${entryId}/attachments`, form, { quiet: true });
  },
  instruct: (id: number, text: string) => api.post<{ id: number }>(`/matters/${id}/instructions`, { text }),
  setEnterprises: (id: number, enterpriseIds: number[]) => api.put<MatterDetail>(`/matters/${id}/enterprises`, { enterprise_ids: enterpriseIds }, { quiet: true }),
  attention: (id: number, attention: boolean) => api.put<{ attention: boolean }>(`/matters/${id}/attention`, { attention }),
};

// ---- meetings → decisions → matters, weekly batches (周交办), letters (supervision3) -------------------------------
export type LinkedMatter = Schema<'LinkedMatter'>;
export type MeetingListItem = Schema<'MeetingListItem'>;
export type MeetingDetail = Schema<'MeetingDetail'>;
/** A meeting's facts; `version` is named by a correction (a stale one answers 409 version_conflict with the current facts). */
export type MeetingInfo = MeetingDetail['meeting'];
/** The meetings list's filters (also the export's). */
export type MeetingFilter = { kind?: string; year?: number; q?: string };
export type MeetingCreate = RequestBody<'/api/v1/meetings', 'post'>;
export type MeetingUpdate = RequestBody<'/api/v1/meetings/{id}', 'put'>;
export type DecisionMatters = RequestBody<'/api/v1/meetings/{id}/decisions/{decisionId}/matters', 'post'>;
/** The weekly batches list's filters (also the export's), kept in the page's URL. */
export type BatchFilter = { year?: number; status?: BatchListItem['status']; q?: string };
export type BatchCreate = RequestBody<'/api/v1/batches', 'post'>;
export type BatchListItem = Schema<'BatchListItem'>;
export type BatchDetail = Schema<'BatchDetail'>;

export const agendaApi = {
  meetings: (filter: MeetingFilter = {}) => api.get<{ total: number; items: MeetingListItem[] }>('/meetings', { limit: 200, ...filter }),
  /** The filtered meetings list as .xlsx (a link the browser downloads). */
  meetingsXlsx: (filter: MeetingFilter) => withQuery('/api/v1/meetings.xlsx', filter),
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
  batches: (filter: BatchFilter = {}) => api.get<{ total: number; items: BatchListItem[] }>('/batches', { limit: 200, ...filter }),
  /** The filtered batches list as .xlsx (a link the browser downloads). */
  batchesXlsx: (filter: BatchFilter) => withQuery('/api/v1/batches.xlsx', filter),
  candidates: () => api.get<{ items: MatterListItem[] }>('/batches/candidates'),
  createBatch: (body: BatchCreate) => api.post<{ id: number; seq: number; title: string }>('/batches', body, { quiet: true }),
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
  /** A year's escalation rules (its own, carried forward from an earlier year, or the defaults). */
  yearRules: (year: number) => api.get<YearRules>(`/supervision/rules/${year}`),
  /** Sets a year's own rules, made on `body.version` (0 while the year has none; 409 version_conflict when stale). */
  putYearRules: (year: number, body: RequestBody<'/api/v1/supervision/rules/{year}', 'put'>) => api.put<YearRules>(`/supervision/rules/${year}`, body, { quiet: true }),
};
export type YearRules = Schema<'SupervisionYearRules'>;

export const inboxApi = {
  todos: (done: boolean) => api.get<{ today: string; items: Todo[] }>('/todos', { done: done ? '1' : undefined }),
  count: () => api.get<InboxCount>('/todos/count', undefined, { quiet: true }),
  notifications: () => api.get<{ items: { id: number; title: string; body: string | null; link: string | null; createdAt: string; readAt: string | null }[] }>('/notifications'),
  markRead: () => api.post<InboxCount>('/notifications/read', {}),
};
