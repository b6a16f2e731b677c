/** API tokens: the list, issuing one (its secret shown once), revoking. */
import { request } from '../../api-client.ts';
import type { Role } from '../../types.ts';

export interface ApiToken {
  id: string;
  role: Role;
  label: string | null;
  agentId: string | null;
  agentName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokenInput {
  role: Role;
  agentId?: string;
  label?: string;
}

export const tokensApi = {
  list: () => request<{ items: ApiToken[] }>('GET', '/api/v1/tokens'),
  create: (body: TokenInput) => request<{ id: string; role: Role; token: string }>('POST', '/api/v1/tokens', body),
  revoke: (id: string) => request<null>('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`),
};
