import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Authenticator } from '../auth.ts';
import type { StatsService } from '../stats/stats.service.ts';
import { bearer, errorResponses } from '../schemas/common.schema.ts';
import { AgentStatsList, QueueStatsList } from '../schemas/stats.schema.ts';

/** Live statistics of the floor: queues (every agent may see them) and agents (supervisors). */
export function registerStatsRoutes(app: FastifyInstance, stats: StatsService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/stats/queues',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Per queue now: depth, longest and average wait, service level (today and the last hour), agents by presence',
        tags: ['stats'],
        ...bearer('agent'),
        response: { 200: QueueStatsList, ...errorResponses(401, 403, 429) },
      },
    },
    async () => stats.queues(),
  );
  api.get(
    '/api/v1/stats/agents',
    {
      onRequest: auth.require('supervisor'),
      schema: {
        summary: 'Per agent now: presence, open cases and offers against capacity (occupancy), cases resolved today and their average handle time',
        tags: ['stats'],
        ...bearer('supervisor'),
        response: { 200: AgentStatsList, ...errorResponses(401, 403, 429) },
      },
    },
    async () => stats.agents(),
  );
}
