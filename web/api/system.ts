import { api } from './client.ts';

/** GET /api/v1/system/profile: who the office is (server/modules/system). */
export interface SystemProfile {
  configured: boolean;
  office_name: string | null;
  region_code: string | null;
  region_name: string | null;
}

export const systemApi = {
  profile: () => api.get<SystemProfile>('/system/profile'),
  configure: (body: { office_name: string; region_code: string }) => api.put<SystemProfile>('/system/profile', body, { quiet: true }),
};
