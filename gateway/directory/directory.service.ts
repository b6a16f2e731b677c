import type { Db } from '../../store/db.ts';
import { isUniqueViolation } from '../../store/db.ts';
import {
  agentById, insertAgent, insertQueue, listAgents, listQueues, toAgentView, toQueueView, updateAgent, updateQueue,
  type AgentFields as StoredAgentFields, type AgentView, type QueueFields, type QueueView,
} from '../../store/directory.repository.ts';
import { createToken, revokeToken, setTokenRoleOfAgent, type Role } from '../../store/token.repository.ts';
import type { AgentFields } from '../schemas/directory.schema.ts';
import { GatewayError } from '../errors.ts';
import type { EventBus } from '../events.ts';

/** An agent's fields as the API gives them, as the store keeps them (lists and capacity as JSON). */
function agentData(b: AgentFields): StoredAgentFields {
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

/** Queues, agents and API tokens, as admins manage them. */
export class DirectoryService {
  constructor(private readonly deps: { db: Db; events: EventBus; now: () => Date }) {}

  /** caches of queues and agents (the agent desk's) are stale after any change */
  private changed<T>(value: T): T {
    this.deps.events.emit({ type: 'directory.changed', caseId: null });
    return value;
  }

  async queues(): Promise<QueueView[]> {
    return (await listQueues(this.deps.db.read)).map(toQueueView);
  }

  async createQueue(fields: QueueFields & { name: string }): Promise<QueueView> {
    const row = await conflictAsError('a queue with this name', () => this.deps.db.transaction((tx) => insertQueue(tx, fields, this.deps.now())));
    return this.changed(toQueueView(row));
  }

  async updateQueue(id: string, fields: QueueFields): Promise<QueueView> {
    const row = await conflictAsError('a queue with this name', () => this.deps.db.transaction((tx) => updateQueue(tx, id, fields)));
    if (!row) throw new GatewayError('QUEUE_NOT_FOUND', `no queue ${id}`);
    return this.changed(toQueueView(row));
  }

  async agents(): Promise<AgentView[]> {
    return (await listAgents(this.deps.db.read)).map(toAgentView);
  }

  async agent(id: string): Promise<AgentView | null> {
    const row = await agentById(this.deps.db.read, id);
    return row ? toAgentView(row) : null;
  }

  /** A new agent with an API token of their own, shown this once (only its hash is stored). */
  async createAgent(body: AgentFields & { name: string }): Promise<AgentView & { token: string }> {
    const now = this.deps.now();
    const { agent, token } = await conflictAsError('an agent with this email or Slack user', () =>
      this.deps.db.transaction(async (tx) => {
        const agent = await insertAgent(tx, { ...agentData(body), name: body.name }, now);
        const token = await createToken(tx, { role: agent.role as Role, agentId: agent.id, label: `agent ${agent.name}` }, now);
        return { agent, token };
      }),
    );
    return this.changed({ ...toAgentView(agent), token: token.token });
  }

  /** Changes an agent; a new role applies to the agent's tokens at once. */
  async updateAgent(id: string, body: AgentFields): Promise<AgentView> {
    const row = await conflictAsError('an agent with this email or Slack user', () =>
      this.deps.db.transaction(async (tx) => {
        const updated = await updateAgent(tx, id, agentData(body));
        if (updated && body.role) await setTokenRoleOfAgent(tx, id, body.role);
        return updated;
      }),
    );
    if (!row) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${id}`);
    return this.changed(toAgentView(row));
  }

  async issueToken(body: { role: Role; agentId?: string; label?: string }): Promise<{ id: string; token: string }> {
    return this.deps.db.transaction(async (tx) => {
      if (body.agentId && !(await agentById(tx, body.agentId))) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${body.agentId}`);
      return createToken(tx, body, this.deps.now());
    });
  }

  async revokeToken(id: string): Promise<void> {
    if (!(await this.deps.db.transaction((tx) => revokeToken(tx, id, this.deps.now())))) throw new GatewayError('NOT_FOUND', `no active token ${id}`);
  }
}
