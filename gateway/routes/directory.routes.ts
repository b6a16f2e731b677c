import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.ts';
import { toAgentView, toQueueView } from '../../store/directory.repository.ts';
import { createToken, type Role } from '../../store/token.repository.ts';
import { isUniqueViolation } from '../../store/db.ts';
import type { Authenticator } from '../auth.ts';
import { roleAtLeast } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } } as const;

const queueProps = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  strategy: { type: 'string', enum: ['round_robin', 'least_loaded', 'manual'] },
  slackChannel: { type: ['string', 'null'], maxLength: 100 },
  ackTemplate: { type: ['string', 'null'], maxLength: 10_000 },
  offerTimeoutSeconds: { type: ['integer', 'null'], minimum: 5, maximum: 86_400 },
} as const;

const capacitySchema = {
  oneOf: [
    { type: 'integer', minimum: 0, maximum: 1000 },
    { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 1000 }, propertyNames: { enum: CHANNEL_NAMES } },
  ],
} as const;

const agentProps = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  email: { type: ['string', 'null'], format: 'email', maxLength: 320 },
  role: { type: 'string', enum: ['agent', 'supervisor', 'admin'] },
  slackUserId: { type: ['string', 'null'], maxLength: 50 },
  skills: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 } },
  queues: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 } },
  capacity: capacitySchema,
  presence: { type: 'string', enum: ['online', 'away', 'offline'] },
} as const;

type AgentBody = { name?: string; email?: string | null; role?: Role; slackUserId?: string | null; skills?: string[]; queues?: string[]; capacity?: unknown; presence?: string };

function agentData(b: AgentBody) {
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
export function registerDirectoryRoutes(app: FastifyInstance, db: Db, auth: Authenticator, onPresence: () => void): void {
  app.get('/api/v1/queues', { onRequest: auth.require('agent') }, async () => {
    const rows = await db.prisma.queue.findMany({ orderBy: { createdAt: 'asc' } });
    return { items: rows.map(toQueueView) };
  });

  app.post(
    '/api/v1/queues',
    { onRequest: auth.require('admin'), schema: { body: { type: 'object', required: ['name'], additionalProperties: false, properties: queueProps } } },
    async (req, reply) => {
      const row = await conflictAsError('a queue with this name', () => db.write((tx) => tx.queue.create({ data: req.body as { name: string } })));
      return reply.code(201).send(toQueueView(row));
    },
  );

  app.patch(
    '/api/v1/queues/:id',
    { onRequest: auth.require('admin'), schema: { params: idParam, body: { type: 'object', minProperties: 1, additionalProperties: false, properties: queueProps } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const row = await conflictAsError('a queue with this name', () =>
        db.write(async (tx) => {
          if (!(await tx.queue.findUnique({ where: { id } }))) throw new GatewayError('QUEUE_NOT_FOUND', `no queue ${id}`);
          return tx.queue.update({ where: { id }, data: req.body as object });
        }),
      );
      return toQueueView(row);
    },
  );

  app.get('/api/v1/agents', { onRequest: auth.require('agent') }, async () => {
    const rows = await db.prisma.agent.findMany({ orderBy: { createdAt: 'asc' } });
    return { items: rows.map(toAgentView) };
  });

  app.get('/api/v1/me', { onRequest: auth.require('agent') }, async (req) => {
    const agent = req.actor!.agentId ? await db.prisma.agent.findUnique({ where: { id: req.actor!.agentId } }) : null;
    return { role: req.actor!.role, agent: agent ? toAgentView(agent) : null };
  });

  app.post(
    '/api/v1/agents',
    { onRequest: auth.require('admin'), schema: { body: { type: 'object', required: ['name'], additionalProperties: false, properties: agentProps } } },
    async (req, reply) => {
      const body = req.body as AgentBody & { name: string };
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

  app.patch(
    '/api/v1/agents/:id',
    { onRequest: auth.require('admin'), schema: { params: idParam, body: { type: 'object', minProperties: 1, additionalProperties: false, properties: agentProps } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const row = await conflictAsError('an agent with this email or Slack user', () =>
        db.write(async (tx) => {
          if (!(await tx.agent.findUnique({ where: { id } }))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${id}`);
          const body = req.body as AgentBody;
          const updated = await tx.agent.update({ where: { id }, data: agentData(body) });
          if (body.role) await tx.apiToken.updateMany({ where: { agentId: id }, data: { role: body.role } });
          return updated;
        }),
      );
      auth.forget();
      if ((req.body as AgentBody).presence) onPresence();
      return toAgentView(row);
    },
  );

  app.put(
    '/api/v1/agents/:id/presence',
    {
      onRequest: auth.require('agent'),
      schema: {
        params: idParam,
        body: { type: 'object', required: ['presence'], additionalProperties: false, properties: { presence: agentProps.presence } },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const actor = req.actor!;
      if (actor.agentId !== id && !roleAtLeast(actor.role, 'supervisor')) throw new GatewayError('FORBIDDEN', 'agents set only their own presence');
      const { presence } = req.body as { presence: string };
      const row = await db.write(async (tx) => {
        if (!(await tx.agent.findUnique({ where: { id } }))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${id}`);
        return tx.agent.update({ where: { id }, data: { presence } });
      });
      onPresence();
      return toAgentView(row);
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      onRequest: auth.require('admin'),
      schema: {
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: { role: { type: 'string', enum: ['agent', 'supervisor', 'admin'] }, agentId: { type: 'string', maxLength: 100 }, label: { type: 'string', maxLength: 200 } },
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { role: Role; agentId?: string; label?: string };
      const created = await db.write(async (tx) => {
        if (body.agentId && !(await tx.agent.findUnique({ where: { id: body.agentId } }))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${body.agentId}`);
        return createToken(tx, body);
      });
      return reply.code(201).send({ id: created.id, role: body.role, token: created.token });
    },
  );

  app.delete('/api/v1/tokens/:id', { onRequest: auth.require('admin'), schema: { params: idParam } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const n = await db.write((tx) => tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } }));
    if (n.count === 0) throw new GatewayError('NOT_FOUND', `no active token ${id}`);
    auth.forget();
    return reply.code(204).send();
  });

}
