import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Authenticator } from '../auth.ts';
import type { SavedViewService } from '../views/saved-view.service.ts';
import { bearer, errorResponses, NoContent, Ref } from '../schemas/common.schema.ts';
import { IdParams } from '../schemas/directory.schema.ts';
import { SavedViewCreateBody, SavedViewList, SavedViewSchema } from '../schemas/saved-view.schema.ts';

/** Each agent's saved inbox views. */
export function registerSavedViewRoutes(app: FastifyInstance, views: SavedViewService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];

  api.get(
    '/api/v1/saved-views',
    { onRequest: auth.require('agent'), schema: { summary: 'The caller’s saved inbox views, by name', tags, ...bearer('agent'), response: { 200: SavedViewList, ...errorResponses(401, 403, 429) } } },
    async (req) => ({ items: await views.list(req.actor!) }),
  );

  api.post(
    '/api/v1/saved-views',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Save a set of case list filters under a name',
        tags,
        ...bearer('agent'),
        body: SavedViewCreateBody,
        response: { 201: Ref(SavedViewSchema), ...errorResponses(400, 401, 403, 409, 415, 429) },
      },
    },
    async (req, reply) => reply.code(201).send(await views.create(req.actor!, req.body)),
  );

  api.delete(
    '/api/v1/saved-views/:id',
    { onRequest: auth.require('agent'), schema: { summary: 'Delete one of the caller’s saved views', tags, ...bearer('agent'), params: IdParams, response: { 204: NoContent, ...errorResponses(401, 403, 404, 429) } } },
    async (req, reply) => {
      await views.remove(req.actor!, req.params.id);
      return reply.code(204).send();
    },
  );
}
