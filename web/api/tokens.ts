import { api } from './client.ts';
import type { Permission } from './types.ts';

/** One of the signed-in account's API tokens (never its secret, which is shown once at creation). */
export interface ApiToken {
  id: number;
  name: string;
  user_id: number;
  permissions: Permission[];
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

/** The signed-in account's own API tokens (every role; a token acts for its holder only, within its role). */
export const tokensApi = {
  list: () => api.get<{ items: ApiToken[] }>('/tokens'),
  issue: (body: { name: string; permissions: Permission[]; expires_in_days: number }) => api.post<ApiToken & { token: string }>('/tokens', body, { quiet: true }),
  revoke: (id: number) => api.post<unknown>(`/tokens/${id}/revoke`, {}),
};
