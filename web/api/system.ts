import { api } from './client.ts';
import type { SystemProfile } from './types.ts';

export type { SystemProfile } from './types.ts';

/** The office's profile (server/modules/system): who the office is, read by every signed-in user. */
export const systemApi = {
  /** Quiet: callers that can do without it (pickers, the landing page) handle a failure themselves. */
  profile: () => api.get<SystemProfile>('/system/profile', undefined, { quiet: true }),
  configure: (body: { office_name: string; region_code: string }) => api.put<SystemProfile>('/system/profile', body, { quiet: true }),
};
