import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Authenticator } from '../auth.ts';
import type { CannedResponseService } from '../canned/canned-response.service.ts';
import { bearer, errorResponses, NoContent, Ref } from '../schemas/common.schema.ts';
import { IdParams } from '../schemas/directory.schema.ts';
import { CannedResponseCreateBody, CannedResponseList, CannedResponsePatchBody, CannedResponseQuery, CannedResponseSchema } from '../schemas/canned-response.schema.ts';

/** Canned responses: an agent's own, and the team's shared ones (admins). */
export function registerCannedResponseRoutes(app: FastifyInstance, canned: CannedResponseService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];

  api.get(
    '/api/v1/canned-responses',
    {
      onRequest: auth.require('agent'),
      schema: { summary: 'The caller’s canned responses and the shared ones, by shortcut', tags, ...bearer('agent'), querystring: CannedResponseQuery, response: { 200: CannedResponseList, ...errorResponses(400, 401, 403, 404, 429) } },
    },
    async (req) => ({ items: await canned.list(req.actor!, req.query.queue) }),
  );

  api.post(
    '/api/v1/canned-responses',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Keep a canned response: one’s own, or (admins, shared: true) the team’s',
        tags,
        ...bearer('agent'),
        body: CannedResponseCreateBody,
        response: { 201: Ref(CannedResponseSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (req, reply) => reply.code(201).send(await canned.create(req.actor!, req.body)),
  );

  api.patch(
    '/api/v1/canned-responses/:id',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Change one’s own canned response, or (admins) a shared one',
        tags,
        ...bearer('agent'),
        params: IdParams,
        body: CannedResponsePatchBody,
        response: { 200: Ref(CannedResponseSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (req) => canned.update(req.actor!, req.params.id, req.body),
  );

  api.delete(
    '/api/v1/canned-responses/:id',
    {
      onRequest: auth.require('agent'),
      schema: { summary: 'Delete one’s own canned response, or (admins) a shared one', tags, ...bearer('agent'), params: IdParams, response: { 204: NoContent, ...errorResponses(401, 403, 404, 429) } },
    },
    async (req, reply) => {
      await canned.remove(req.actor!, req.params.id);
      return reply.code(204).send();
    },
  );
}
