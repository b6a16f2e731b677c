import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DirectoryService } from '../directory/directory.service.ts';
import type { Authenticator } from '../auth.ts';
import { actorName, roleAtLeast } from '../auth.ts';
import type { SignInService } from '../people/sign-in.service.ts';
import { GatewayError } from '../errors.ts';
import { bearer, errorResponses, NoContent, Ref } from '../schemas/common.schema.ts';
import {
  InviteSchema,
  AgentCreateBody,
  AgentCreated,
  AgentList,
  AgentPatchBody,
  AgentSchema,
  IdParams,
  Me,
  PresenceBody,
  QueueCreateBody,
  QueueList,
  QueuePatchBody,
  QueueSchema,
  TokenBody,
  TokenCreated,
  TokenList,
} from '../schemas/directory.schema.ts';

/** Queues, agents, presence and API tokens. */
export function registerDirectoryRoutes(app: FastifyInstance, directory: DirectoryService, auth: Authenticator, people: SignInService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['directory'];

  api.get(
    '/api/v1/queues',
    { onRequest: auth.require('agent'), schema: { summary: 'Every queue', tags, ...bearer('agent'), response: { 200: QueueList, ...errorResponses(401, 403, 429) } } },
    async () => {
      return { items: await directory.queues() };
    },
  );

  api.post(
    '/api/v1/queues',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Create a queue', tags, ...bearer('admin'), body: QueueCreateBody, response: { 201: Ref(QueueSchema), ...errorResponses(400, 401, 403, 409, 415, 429) } },
    },
    async (req, reply) => {
      return reply.code(201).send(await directory.createQueue(req.actor!, req.body));
    },
  );

  api.patch(
    '/api/v1/queues/:id',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'Change a queue',
        tags,
        ...bearer('admin'),
        params: IdParams,
        body: QueuePatchBody,
        response: { 200: Ref(QueueSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (req) => {
      return directory.updateQueue(req.actor!, req.params.id, req.body);
    },
  );

  api.get(
    '/api/v1/agents',
    { onRequest: auth.require('agent'), schema: { summary: 'Every agent', tags, ...bearer('agent'), response: { 200: AgentList, ...errorResponses(401, 403, 429) } } },
    async () => {
      return { items: await directory.agents() };
    },
  );

  api.get(
    '/api/v1/me',
    { onRequest: auth.require('agent'), schema: { summary: 'The caller’s role and agent', tags, ...bearer('agent'), response: { 200: Me, ...errorResponses(401, 403, 429) } } },
    async (req) => {
      const agent = req.actor!.agentId ? await directory.agent(req.actor!.agentId) : null;
      return { role: req.actor!.role, agent };
    },
  );

  api.post(
    '/api/v1/agents',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'Create an agent, with an API token shown this once and, when the agent has an email, an invitation link to set a password',
        tags,
        ...bearer('admin'),
        body: AgentCreateBody,
        response: { 201: AgentCreated, ...errorResponses(400, 401, 403, 409, 415, 429) },
      },
    },
    async (req, reply) => {
      const agent = await directory.createAgent(req.actor!, req.body);
      const invite = agent.email ? await people.invite(agent.id, actorName(req.actor!)) : null;
      return reply.code(201).send({ ...agent, invite });
    },
  );

  api.delete(
    '/api/v1/agents/:id/sessions',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'Sign the agent out of the workspace everywhere: every session ends and its streams close',
        tags,
        ...bearer('admin'),
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (req, reply) => {
      if (!(await directory.agent(req.params.id))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${req.params.id}`);
      await people.signOutEverywhere(req.params.id);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/agents/:id/invitations',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'A new one-time link for the agent to set their password (an earlier open link stops working)',
        tags,
        ...bearer('admin'),
        params: IdParams,
        response: { 201: InviteSchema, ...errorResponses(401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(await people.invite(req.params.id, actorName(req.actor!)));
    },
  );

  api.patch(
    '/api/v1/agents/:id',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'Change an agent (a new role applies to the agent’s tokens at once)',
        tags,
        ...bearer('admin'),
        params: IdParams,
        body: AgentPatchBody,
        response: { 200: Ref(AgentSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (req) => {
      const agent = await directory.updateAgent(req.actor!, req.params.id, req.body);
      auth.forget();
      return agent;
    },
  );

  api.put(
    '/api/v1/agents/:id/presence',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Set an agent’s presence (agents their own; supervisors anyone’s): online takes offers; busy, break (with a reason and expected minutes) and away take none; offline',
        tags,
        ...bearer('agent'),
        params: IdParams,
        body: PresenceBody,
        response: { 200: Ref(AgentSchema), ...errorResponses(400, 401, 403, 404, 415, 429) },
      },
    },
    async (req) => {
      const { id } = req.params;
      const actor = req.actor!;
      if (actor.agentId !== id && !roleAtLeast(actor.role, 'supervisor')) throw new GatewayError('FORBIDDEN', 'agents set only their own presence');
      // the assignment worker hears of it (directory.changed) and offers or withdraws at once
      return directory.setPresence(id, req.body);
    },
  );

  api.get(
    '/api/v1/tokens',
    { onRequest: auth.require('admin'), schema: { summary: 'Every API token: role, label, owner, created, last used, revoked (never the secret)', tags, ...bearer('admin'), response: { 200: TokenList, ...errorResponses(401, 403, 429) } } },
    async () => ({ items: await directory.tokens() }),
  );

  api.post(
    '/api/v1/tokens',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'Issue an API token, shown this once',
        tags,
        ...bearer('admin'),
        body: TokenBody,
        response: { 201: TokenCreated, ...errorResponses(400, 401, 403, 404, 415, 429) },
      },
    },
    async (req, reply) => {
      const created = await directory.issueToken(req.actor!, req.body);
      return reply.code(201).send({ id: created.id, role: req.body.role, token: created.token });
    },
  );

  api.delete(
    '/api/v1/tokens/:id',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Revoke a token', tags, ...bearer('admin'), params: IdParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 429) } },
    },
    async (req, reply) => {
      await directory.revokeToken(req.actor!, req.params.id);
      auth.forget();
      return reply.code(204).send();
    },
  );
}
