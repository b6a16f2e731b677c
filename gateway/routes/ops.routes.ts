import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { ReadinessReport } from '../readiness.ts';

export interface OpsRouteDeps {
  registry: Registry;
  /** onRequest hook deciding who may read the metrics */
  metricsAccess: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  readiness: () => Promise<ReadinessReport>;
}

const readinessBody = (status: 'ready' | 'not_ready') => ({
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: [status] },
    // check name → "ok" or what is wrong
    checks: { type: 'object', additionalProperties: { type: 'string' } },
  },
});

/**
 * `GET /readyz` (public, for load balancers: can this instance take traffic) and `GET /metrics`
 * (Prometheus text format, for the admin token or METRICS_TOKEN). `/healthz` stays the liveness check.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsRouteDeps): void {
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: the store takes writes and every listener of a running channel is up',
        tags: ['ops'],
        security: [],
        response: {
          200: { description: 'ready', ...readinessBody('ready') },
          503: { description: 'not ready; the checks not "ok" say what is wrong', ...readinessBody('not_ready') },
        },
      },
    },
    async (_req, reply) => {
      const { ready, checks } = await deps.readiness();
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );

  app.get(
    '/metrics',
    {
      onRequest: deps.metricsAccess,
      schema: {
        summary: 'Prometheus metrics (text exposition format); admin token or METRICS_TOKEN',
        tags: ['ops'],
        response: { 200: { description: 'the metrics in Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    async (_req, reply) => {
      const text = await deps.registry.metrics();
      return reply.type(deps.registry.contentType).send(text);
    },
  );
}
