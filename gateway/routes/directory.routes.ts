import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '../../store/db.ts';
import { toAgentView, toQueueView } from '../../store/directory.repository.ts';
import { createToken, type Role } from '../../store/token.repository.ts';
import { isUniqueViolation } from '../../store/db.ts';
import type { Authenticator } from '../auth.ts';
import { roleAtLeast } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import { bearer, errorResponses, NoContent, Ref } from '../schemas/common.schema.ts';
import {
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
  type AgentFields,
} from '../schemas/directory.schema.ts';

function agentData(b: AgentFields) {
  return {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.email !== undefined ? { email: b.email?.toLowerCase() ?? null } : {}),
    ...(b.role !== undefined ? { role: b.role } : {}),
    ...(b.slackUserId !== undefined ? { slackUserId: b.slackUserId } : {}),
    ...(b.skills !== undefined ? { skills: JSON.stringify(b.skills) } : {}),
    ...(b.queues !== undefined ? { queues: JSON.stringify(b.queues) } : {}),
    ...(b.capacity !== undefined ? { capacity: JSON.stringify(b.capacity) } : {}),
    ...(b.presence !== undefined ? { presence: b.presence } : {}),
  };
}

async function conflictAsError<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new GatewayError('CONFLICT', `${what} already exists`);
    throw err;
  }
}

/** Queues, agents, presence and API tokens. */
export function registerDirectoryRoutes(app: FastifyInstance, db: Db, auth: Authenticator, onPresence: () => void, now: () => Date): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['directory'];

  api.get(
    '/api/v1/queues',
    { onRequest: auth.require('agent'), schema: { summary: 'Every queue', tags, ...bearer('agent'), response: { 200: QueueList, ...errorResponses(401, 403, 429) } } },
    async () => {
      const rows = await db.prisma.queue.findMany({ orderBy: { createdAt: 'asc' } });
      return { items: rows.map(toQueueView) };
    },
  );

  api.post(
    '/api/v1/queues',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Create a queue', tags, ...bearer('admin'), body: QueueCreateBody, response: { 201: Ref(QueueSchema), ...errorResponses(400, 401, 403, 409, 415, 429) } },
    },
    async (req, reply) => {
      const row = await conflictAsError('a queue with this name', () => db.write((tx) => tx.queue.create({ data: req.body })));
      return reply.code(201).send(toQueueView(row));
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
      const { id } = req.params;
      const row = await conflictAsError('a queue with this name', () =>
        db.write(async (tx) => {
          if (!(await tx.queue.findUnique({ where: { id } }))) throw new GatewayError('QUEUE_NOT_FOUND', `no queue ${id}`);
          return tx.queue.update({ where: { id }, data: req.body });
        }),
      );
      return toQueueView(row);
    },
  );

  api.get(
    '/api/v1/agents',
    { onRequest: auth.require('agent'), schema: { summary: 'Every agent', tags, ...bearer('agent'), response: { 200: AgentList, ...errorResponses(401, 403, 429) } } },
    async () => {
      const rows = await db.prisma.agent.findMany({ orderBy: { createdAt: 'asc' } });
      return { items: rows.map(toAgentView) };
    },
  );

  api.get(
    '/api/v1/me',
    { onRequest: auth.require('agent'), schema: { summary: 'The caller’s role and agent', tags, ...bearer('agent'), response: { 200: Me, ...errorResponses(401, 403, 429) } } },
    async (req) => {
      const agent = req.actor!.agentId ? await db.prisma.agent.findUnique({ where: { id: req.actor!.agentId } }) : null;
      return { role: req.actor!.role, agent: agent ? toAgentView(agent) : null };
    },
  );

  api.post(
    '/api/v1/agents',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'Create an agent, with an API token shown this once',
        tags,
        ...bearer('admin'),
        body: AgentCreateBody,
        response: { 201: AgentCreated, ...errorResponses(400, 401, 403, 409, 415, 429) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const { agent, token } = await conflictAsError('an agent with this email or Slack user', () =>
        db.write(async (tx) => {
          const agent = await tx.agent.create({ data: { name: body.name, ...agentData(body) } });
          const token = await createToken(tx, { role: agent.role as Role, agentId: agent.id, label: `agent ${agent.name}` });
          return { agent, token };
        }),
      );
      // the token is shown once: only its hash is stored
      return reply.code(201).send({ ...toAgentView(agent), token: token.token });
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
      const { id } = req.params;
      const body = req.body;
      const row = await conflictAsError('an agent with this email or Slack user', () =>
        db.write(async (tx) => {
          if (!(await tx.agent.findUnique({ where: { id } }))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${id}`);
          const updated = await tx.agent.update({ where: { id }, data: agentData(body) });
          if (body.role) await tx.apiToken.updateMany({ where: { agentId: id }, data: { role: body.role } });
          return updated;
        }),
      );
      auth.forget();
      if (body.presence) onPresence();
      return toAgentView(row);
    },
  );

  api.put(
    '/api/v1/agents/:id/presence',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Set an agent’s presence (agents their own; supervisors anyone’s)',
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
      const { presence } = req.body;
      const row = await db.write(async (tx) => {
        if (!(await tx.agent.findUnique({ where: { id } }))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${id}`);
        return tx.agent.update({ where: { id }, data: { presence } });
      });
      onPresence();
      return toAgentView(row);
    },
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
      const body = req.body;
      const created = await db.write(async (tx) => {
        if (body.agentId && !(await tx.agent.findUnique({ where: { id: body.agentId } }))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${body.agentId}`);
        return createToken(tx, body);
      });
      return reply.code(201).send({ id: created.id, role: body.role, token: created.token });
    },
  );

  api.delete(
    '/api/v1/tokens/:id',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Revoke a token', tags, ...bearer('admin'), params: IdParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 429) } },
    },
    async (req, reply) => {
      const { id } = req.params;
      const n = await db.write((tx) => tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now() } }));
      if (n.count === 0) throw new GatewayError('NOT_FOUND', `no active token ${id}`);
      auth.forget();
      return reply.code(204).send();
    },
  );
}
