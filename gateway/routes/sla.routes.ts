import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { SlaPolicyService } from '../sla/sla-policy.service.ts';
import type { Authenticator } from '../auth.ts';
import { bearer, errorResponses, NoContent, Ref } from '../schemas/common.schema.ts';
import { IdParams } from '../schemas/directory.schema.ts';
import {
  SlaPolicyCreateBody,
  SlaPolicyList,
  SlaPolicyPatchBody,
  SlaPolicySchema,
  SlaSimulateBody,
  SlaSimulation,
  SlaVersionDetail,
  SlaVersionList,
  VersionParams,
} from '../schemas/sla.schema.ts';

/** SLA policies as data: agents read them, supervisors may simulate, admins change them (each change a version, audited). */
export function registerSlaRoutes(app: FastifyInstance, sla: SlaPolicyService, auth: Authenticator, now: () => Date): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['sla'];

  api.get(
    '/api/v1/sla-policies',
    { onRequest: auth.require('agent'), schema: { summary: 'The SLA policies in force, in the order they are tried', tags, ...bearer('agent'), response: { 200: SlaPolicyList, ...errorResponses(401, 403, 429) } } },
    async () => sla.list(),
  );

  api.post(
    '/api/v1/sla-policies',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Add an SLA policy (a new version of the list)', tags, ...bearer('admin'), body: SlaPolicyCreateBody, response: { 201: Ref(SlaPolicySchema), ...errorResponses(400, 401, 403, 415, 429) } },
    },
    async (req, reply) => reply.code(201).send(await sla.create(req.actor!, req.body)),
  );

  api.get(
    '/api/v1/sla-policies/versions',
    { onRequest: auth.require('supervisor'), schema: { summary: 'Every version of the SLA policies, newest first', tags, ...bearer('supervisor'), response: { 200: SlaVersionList, ...errorResponses(401, 403, 429) } } },
    async () => ({ items: await sla.versions() }),
  );

  api.get(
    '/api/v1/sla-policies/versions/:version',
    {
      onRequest: auth.require('supervisor'),
      schema: { summary: 'One version of the SLA policies', tags, ...bearer('supervisor'), params: VersionParams, response: { 200: SlaVersionDetail, ...errorResponses(400, 401, 403, 404, 429) } },
    },
    async (req) => sla.versionOf(req.params.version),
  );

  api.post(
    '/api/v1/sla-policies/versions/:version/restore',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Put an earlier version’s policies in force again (as a new version)', tags, ...bearer('admin'), params: VersionParams, response: { 200: SlaPolicyList, ...errorResponses(400, 401, 403, 404, 429) } },
    },
    async (req) => sla.restore(req.actor!, req.params.version),
  );

  api.post(
    '/api/v1/sla-policies/simulate',
    {
      onRequest: auth.require('supervisor'),
      schema: {
        summary: 'Which policy a case would fall under and when its promises would fall due; nothing is written',
        tags,
        ...bearer('supervisor'),
        body: SlaSimulateBody,
        response: { 200: SlaSimulation, ...errorResponses(400, 401, 403, 404, 415, 429) },
      },
    },
    async (req) => {
      const { at, policies, ...facts } = req.body;
      return sla.simulate({ ...facts, at: at ? new Date(at) : now() }, policies);
    },
  );

  api.get(
    '/api/v1/sla-policies/:id',
    { onRequest: auth.require('agent'), schema: { summary: 'One SLA policy', tags, ...bearer('agent'), params: IdParams, response: { 200: Ref(SlaPolicySchema), ...errorResponses(400, 401, 403, 404, 429) } } },
    async (req) => sla.get(req.params.id),
  );

  api.patch(
    '/api/v1/sla-policies/:id',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Change an SLA policy or move it in the order', tags, ...bearer('admin'), params: IdParams, body: SlaPolicyPatchBody, response: { 200: Ref(SlaPolicySchema), ...errorResponses(400, 401, 403, 404, 415, 429) } },
    },
    async (req) => sla.update(req.actor!, req.params.id, req.body),
  );

  api.delete(
    '/api/v1/sla-policies/:id',
    { onRequest: auth.require('admin'), schema: { summary: 'Delete an SLA policy', tags, ...bearer('admin'), params: IdParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 429) } } },
    async (req, reply) => {
      await sla.remove(req.actor!, req.params.id);
      return reply.code(204).send();
    },
  );
}
