/** The directory calls of the Team page: queues, agents, invitations, sessions, floor statistics. */
import { request } from '../../api-client.ts';
import type { AgentCreated, AgentDetail, AgentInput, AgentStats, Invite, QueueDetail, QueueInput, QueueStats } from './team-types.ts';

const enc = encodeURIComponent;

export const teamApi = {
  queues: () => request<{ items: QueueDetail[] }>('GET', '/api/v1/queues'),
  createQueue: (body: QueueInput) => request<QueueDetail>('POST', '/api/v1/queues', body),
  patchQueue: (id: string, body: QueueInput) => request<QueueDetail>('PATCH', `/api/v1/queues/${enc(id)}`, body),

  agents: () => request<{ items: AgentDetail[] }>('GET', '/api/v1/agents'),
  createAgent: (body: AgentInput) => request<AgentCreated>('POST', '/api/v1/agents', body),
  patchAgent: (id: string, body: AgentInput & { active?: boolean }) => request<AgentDetail>('PATCH', `/api/v1/agents/${enc(id)}`, body),
  invite: (id: string) => request<Invite>('POST', `/api/v1/agents/${enc(id)}/invitations`, {}),
  signOutEverywhere: (id: string) => request<null>('DELETE', `/api/v1/agents/${enc(id)}/sessions`),

  queueStats: () => request<{ at: string; items: QueueStats[] }>('GET', '/api/v1/stats/queues'),
  agentStats: () => request<{ at: string; items: AgentStats[] }>('GET', '/api/v1/stats/agents'),
};
