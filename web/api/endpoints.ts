import { api } from './client.ts';
import type { CurrentUser, Project, ProjectList, ProjectListQuery, ProjectPatch, Region, Unit } from './types.ts';

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
  units: () => api.get<{ items: Unit[] }>('/units'),
};

/** The project library. */
export const projectApi = {
  list: (query: ProjectListQuery, signal?: AbortSignal) => api.get<ProjectList>('/projects', { ...query }, { signal }),
  get: (id: number) => api.get<Project>(`/projects/${id}`),
  update: (id: number, version: number, patch: ProjectPatch) => api.patch<Project>(`/projects/${id}`, { ...patch, version }, { quiet: true }),
};
