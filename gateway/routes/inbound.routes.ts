import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Authenticator } from '../auth.ts';
import type { FailedInboundService } from '../pipeline/failed-inbound.service.ts';
import { bearer, errorResponses, NoContent } from '../schemas/common.schema.ts';
import { FailedInboundPage, FailedInboundQuery, InboundIdParams } from '../schemas/inbound.schema.ts';

/** Supervisors see the inbound messages the pipeline gave up on and put them back once the cause is fixed. */
export function registerInboundRoutes(app: FastifyInstance, failed: FailedInboundService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/inbound/failed',
    {
      onRequest: auth.require('supervisor'),
      schema: {
        summary: 'Inbound messages whose processing failed PIPELINE_MAX_ATTEMPTS times, newest first',
        tags: ['ops'],
        ...bearer('supervisor'),
        querystring: FailedInboundQuery,
        response: { 200: FailedInboundPage, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (req) => failed.list(req.query.limit ?? 50, req.query.cursor),
  );
  api.post(
    '/api/v1/inbound/:id/retry',
    {
      onRequest: auth.require('supervisor'),
      schema: {
        summary: 'Process a failed inbound message again, with a fresh count of attempts (409 NOT_FAILED when it is not failed)',
        tags: ['ops'],
        ...bearer('supervisor'),
        params: InboundIdParams,
        response: { 202: NoContent, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      await failed.retry(req.params.id);
      return reply.code(202).send();
    },
  );
}
