import { api } from './client.ts';
import type { BulletinTemplate } from '../../core/bulletins/template.ts';
import type { Schema } from './types.ts';
import type { FeedKey } from '../../core/bulletins/feeds.ts';
import type { BulletinFigures } from '../../core/bulletins/figures.ts';

/** The generated shapes (server/modules/bulletins/bulletin.responses.ts), with the core types of a template and figures. */
export type BulletinVersion = Schema<'BulletinVersion'>;
export type Bulletin = Schema<'Bulletin'>;
export type Ranking = Schema<'BulletinRanking'>;
export type TemplateAnswer = Omit<Schema<'BulletinTemplateAnswer'>, 'template' | 'default_template'> & { template: BulletinTemplate; default_template: BulletinTemplate };
export type FiguresAnswer = Omit<Schema<'BulletinFiguresAnswer'>, 'figures'> & { figures: BulletinFigures };

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
  figures: (id: number) => api.get<FiguresAnswer>(`/bulletins/${id}/figures`),
  ranking: (year: number, month: number, region?: string) => api.get<Ranking>('/bulletins/ranking', { year, month, region }),
  template: () => api.get<TemplateAnswer>('/bulletins/template'),
  saveTemplate: (template: BulletinTemplate, version: number) => api.put<TemplateAnswer>('/bulletins/template', { template, version }, { quiet: true }),
};
