import { api } from './client.ts';
import type { Permission, Schema } from './types.ts';

/** One of the signed-in account's API tokens (never its secret, which is shown once at creation): the generated shape. */
export type ApiToken = Schema<'ApiToken'>;

/** The signed-in account's own API tokens (every role; a token acts for its holder only, within its role). */
export const tokensApi = {
  list: () => api.get<{ items: ApiToken[] }>('/tokens'),
  issue: (body: { name: string; permissions: Permission[]; expires_in_days: number }) => api.post<Schema<'IssuedApiToken'>>('/tokens', body, { quiet: true }),
  revoke: (id: number) => api.post<ApiToken>(`/tokens/${id}/revoke`, {}),
};
