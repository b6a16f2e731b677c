import type { Db } from '../../store/db.ts';
import { isUniqueViolation } from '../../store/db.ts';
import {
  agentById, insertAgent, insertQueue, listAgents, listQueues, parseOverflow, queueById, toAgentView, toQueueView, updateAgent, updateQueue,
  type AgentFields as StoredAgentFields, type AgentView, type QueueFields, type QueueView,
} from '../../store/directory.repository.ts';
import { restampOfferDeadlines } from '../../store/assignment.repository.ts';
import { createToken, listTokens, revokeToken, revokeTokensOf, setTokenRoleOfAgent, touchToken, type Role } from '../../store/token.repository.ts';
import { forgetPassword } from '../../store/credential.repository.ts';
import { revokeSessionsOf } from '../../store/session.repository.ts';
import { deleteInvitationsOf } from '../../store/invitation.repository.ts';
import { linkOf, linksOf, setLink } from '../../store/desk-link.repository.ts';
import type { Executor } from '../../store/executor.ts';
import { calendarById } from '../../store/calendar.repository.ts';
import type { AgentFields } from '../schemas/directory.schema.ts';
import { GatewayError } from '../errors.ts';
import { actorName, type Actor } from '../auth.ts';
import { insertAudit } from '../../store/audit.repository.ts';
import { checkOverflow, type OverflowStep } from '../../routing/queue-overflow.ts';
import type { EventBus } from '../events.ts';

/** An agent's fields as the API gives them, as the store keeps them (lists and capacity as JSON). */
function agentData(b: AgentFields): StoredAgentFields {
  return {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.email !== undefined ? { email: b.email?.toLowerCase() ?? null } : {}),
    ...(b.role !== undefined ? { role: b.role } : {}),
    ...(b.skills !== undefined ? { skills: JSON.stringify(b.skills) } : {}),
    ...(b.skillLevels !== undefined ? { skillLevels: JSON.stringify(Object.fromEntries(Object.entries(b.skillLevels).map(([k, v]) => [k.toLowerCase(), v]))) } : {}),
    ...(b.queues !== undefined ? { queues: JSON.stringify(b.queues) } : {}),
    ...(b.capacity !== undefined ? { capacity: JSON.stringify(b.capacity) } : {}),
    // a presence a person sets starts afresh: no reason carried over, no missed offers counted
    ...(b.presence !== undefined ? { presence: b.presence, presenceReason: null, presenceUntil: null, missedOffers: 0 } : {}),
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
  constructor(private readonly deps: { db: Db; events: EventBus; now: () => Date; /** OFFER_TIMEOUT_SECONDS: a queue's when it sets none */ defaultOfferTimeoutSeconds: number }) {}

  /** caches of queues, agents and tokens (the agent desk's, the authenticator's, here and on other instances) are stale after any change */
  private changed<T>(value: T): T {
    this.deps.events.emit({ type: 'directory.changed', caseId: null });
    return value;
  }

  async queues(): Promise<QueueView[]> {
    const x = this.deps.db.read;
    const links = await linksOf(x, SLACK, 'queue');
    return (await listQueues(x)).map((q) => toQueueView(q, links.get(q.id) ?? null));
  }

  async createQueue(actor: Actor, body: QueueInput & { name: string; slackChannel?: string | null }): Promise<QueueView> {
    const now = this.deps.now();
    const { slackChannel, ...input } = body;
    const view = await conflictAsError('a queue with this name', () =>
      this.deps.db.transaction(async (tx) => {
        await requireCalendar(tx, input.calendarId);
        const fields = await queueFields(tx, input, input.name, { overflow: [], agingSeconds: null });
        const row = await insertQueue(tx, { ...fields, name: input.name }, now);
        if (slackChannel) await setLink(tx, SLACK, 'queue', row.id, slackChannel, now);
        const view = toQueueView(row, slackChannel ?? null);
        await audit(tx, actor, 'queue.created', `queue:${row.id}`, undefined, view, now);
        return view;
      }),
    );
    return this.changed(view);
  }

  async updateQueue(actor: Actor, id: string, body: QueueInput & { slackChannel?: string | null }): Promise<QueueView> {
    const now = this.deps.now();
    const { slackChannel, ...input } = body;
    const updated = await conflictAsError('a queue with this name', () =>
      this.deps.db.transaction(async (tx) => {
        await requireCalendar(tx, input.calendarId);
        const current = await queueById(tx, id);
        if (!current) return null;
        const fields = await queueFields(tx, input, input.name ?? current.name, { overflow: parseOverflow(current.overflow), agingSeconds: current.agingSeconds });
        const row = await updateQueue(tx, id, fields);
        if (!row) return null;
        if (slackChannel !== undefined) await setLink(tx, SLACK, 'queue', id, slackChannel, now);
        const waitChanged = row.overflow !== current.overflow || row.agingSeconds !== current.agingSeconds;
        const moved =
          row.offerTimeoutSeconds !== current.offerTimeoutSeconds ? await restampOfferDeadlines(tx, id, (row.offerTimeoutSeconds ?? this.deps.defaultOfferTimeoutSeconds) * 1000) : [];
        const view = toQueueView(row, await linkOf(tx, SLACK, 'queue', id));
        await audit(tx, actor, 'queue.updated', `queue:${id}`, toQueueView(current, null), body, now);
        return { view, waitChanged, moved };
      }),
    );
    if (!updated) throw new GatewayError('QUEUE_NOT_FOUND', `no queue ${id}`);
    // only a change of steps or aging plans the queue's waiting cases again (not every agent's presence)
    if (updated.waitChanged) this.deps.events.emit({ type: 'queue.waitChanged', caseId: null, queueId: id });
    // consoles showing those offers count down to the new deadline
    for (const caseId of updated.moved) this.deps.events.emit({ type: 'case.updated', caseId, changes: ['offer'], actor: 'system', origin: 'api' });
    return this.changed(updated.view);
  }

  async agents(): Promise<AgentView[]> {
    const x = this.deps.db.read;
    const links = await linksOf(x, SLACK, 'agent');
    return (await listAgents(x)).map((a) => toAgentView(a, links.get(a.id) ?? null));
  }

  async agent(id: string): Promise<AgentView | null> {
    return agentView(this.deps.db.read, id);
  }

  /** A new agent with an API token of their own, shown this once (only its hash is stored). */
  async createAgent(actor: Actor, body: AgentFields & { name: string }): Promise<AgentView & { token: string }> {
    const now = this.deps.now();
    const { agent, token } = await conflictAsError('an agent with this email or Slack user', () =>
      this.deps.db.transaction(async (tx) => {
        const row = await insertAgent(tx, { ...agentData(body), name: body.name }, now);
        if (body.slackUserId) await setLink(tx, SLACK, 'agent', row.id, body.slackUserId, now);
        const token = await createToken(tx, { role: row.role as Role, agentId: row.id, label: `agent ${row.name}` }, now);
        const agent = toAgentView(row, body.slackUserId ?? null);
        await audit(tx, actor, 'agent.created', `agent:${row.id}`, undefined, agent, now);
        return { agent, token };
      }),
    );
    return this.changed({ ...agent, token: token.token });
  }

  /** Changes an agent; a new role applies to the agent's tokens at once. */
  /** An agent's presence as they (or a supervisor) set it, with why and, for a break, until when it is expected to last. */
  async setPresence(id: string, body: { presence: string; reason?: string; minutes?: number }): Promise<AgentView> {
    const now = this.deps.now();
    const view = await this.deps.db.transaction(async (tx) => {
      const agent = await agentById(tx, id);
      if (agent?.deactivatedAt && body.presence !== 'offline') throw new GatewayError('AGENT_INACTIVE', `${agent.name} is deactivated: an admin reactivates them first`);
      const held = body.presence !== 'online' && body.presence !== 'offline';
      const updated = await updateAgent(tx, id, {
        ...agentData({ presence: body.presence as AgentFields['presence'] }),
        presenceReason: held ? (body.reason ?? null) : null,
        presenceUntil: body.presence === 'break' && body.minutes ? new Date(now.getTime() + body.minutes * 60_000) : null,
      });
      return updated ? agentView(tx, id) : null;
    });
    if (!view) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${id}`);
    return this.changed(view);
  }

  async updateAgent(actor: Actor, id: string, body: AgentFields): Promise<AgentView> {
    const now = this.deps.now();
    const view = await conflictAsError('an agent with this email or Slack user', () =>
      this.deps.db.transaction(async (tx) => {
        const before = await agentById(tx, id);
        if (!before) return null;
        const { active, ...fields } = body;
        const deactivate = active === false && before.deactivatedAt === null;
        if (before.deactivatedAt !== null && active !== true && fields.presence !== undefined && fields.presence !== 'offline') {
          throw new GatewayError('AGENT_INACTIVE', `${before.name} is deactivated: reactivate them first`);
        }
        const updated = await updateAgent(tx, id, {
          ...agentData(fields),
          ...(deactivate ? { deactivatedAt: now, presence: 'offline', presenceReason: 'deactivated', presenceUntil: null } : {}),
          ...(active === true && before.deactivatedAt !== null ? { deactivatedAt: null, presenceReason: null } : {}),
        });
        if (!updated) return null;
        // a deactivated agent signs in nowhere and calls nothing: sessions, password and tokens end now
        if (deactivate) {
          await revokeSessionsOf(tx, id, now);
          await forgetPassword(tx, id);
          await revokeTokensOf(tx, id, now);
          await deleteInvitationsOf(tx, id);
        }
        if (body.role) await setTokenRoleOfAgent(tx, id, body.role);
        // a new address is a new person signing in: the old password and sessions go (an invitation sets a new one)
        if (body.email !== undefined && (body.email?.toLowerCase() ?? null) !== before.email) {
          await forgetPassword(tx, id);
          await revokeSessionsOf(tx, id, now);
        }
        if (body.slackUserId !== undefined) await setLink(tx, SLACK, 'agent', id, body.slackUserId, now);
        const action = deactivate ? 'agent.deactivated' : active === true && before.deactivatedAt !== null ? 'agent.reactivated' : 'agent.updated';
        await audit(tx, actor, action, `agent:${id}`, toAgentView(before, null), body, now);
        return agentView(tx, id);
      }),
    );
    if (!view) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${id}`);
    return this.changed(view);
  }

  async issueToken(actor: Actor, body: { role: Role; agentId?: string; label?: string }): Promise<{ id: string; token: string }> {
    return this.deps.db.transaction(async (tx) => {
      const owner = body.agentId ? await agentById(tx, body.agentId) : null;
      if (body.agentId && !owner) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${body.agentId}`);
      if (owner?.deactivatedAt) throw new GatewayError('AGENT_INACTIVE', `${owner.name} is deactivated: reactivate them first`);
      const created = await createToken(tx, body, this.deps.now());
      // never the secret
      await audit(tx, actor, 'token.issued', `token:${created.id}`, undefined, body, this.deps.now());
      return created;
    });
  }

  /** when this instance last noted each token's use: a write a minute per token at most */
  private readonly noted = new Map<string, number>();

  /** Notes that a token was used (kept to the minute). */
  async tokenUsed(id: string): Promise<void> {
    const now = this.deps.now();
    if (now.getTime() - (this.noted.get(id) ?? -Infinity) < 60_000) return;
    if (this.noted.size > 10_000) this.noted.clear();
    this.noted.set(id, now.getTime());
    await this.deps.db.transaction((tx) => touchToken(tx, id, now));
  }

  /** Every token with its role, owner and last use; the secrets are not stored, so never shown again. */
  async tokens() {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return (await listTokens(this.deps.db.read)).map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) }));
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    const revoked = await this.deps.db.transaction(async (tx) => {
      if (!(await revokeToken(tx, id, this.deps.now()))) return false;
      await audit(tx, actor, 'token.revoked', `token:${id}`, undefined, undefined, this.deps.now());
      return true;
    });
    if (!revoked) throw new GatewayError('NOT_FOUND', `no active token ${id}`);
    this.changed(undefined);
  }
}

/** A change to the team, on the record (GET /api/v1/audit): who, when, what. */
function audit(tx: Executor, actor: Actor, action: string, target: string, before: unknown, after: unknown, now: Date): Promise<void> {
  return insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action, target, before, after }, now);
}

/** The API's `slackChannel` and `slackUserId` are Slack's references, kept as its channel links. */
const SLACK = 'slack';

export async function agentView(x: Executor, id: string): Promise<AgentView | null> {
  const row = await agentById(x, id);
  return row ? toAgentView(row, await linkOf(x, SLACK, 'agent', id)) : null;
}

/** A queue as the API takes it: its overflow steps as a list. */
export type QueueInput = Omit<QueueFields, 'overflow'> & { overflow?: OverflowStep[] };

/**
 * A queue's fields as the store keeps them, once its overflow and aging (as they will be after the change)
 * are checked: every problem with its path in a 400 INVALID_QUEUE.
 */
async function queueFields(tx: Executor, input: QueueInput, name: string, current: { overflow: OverflowStep[]; agingSeconds: number | null }): Promise<QueueFields> {
  const { overflow, ...rest } = input;
  const steps = overflow ?? current.overflow;
  // every queue with where its own steps move cases, to refuse moves that come round again
  const moves = new Map<string, { name: string; moves: string[] }>();
  for (const q of await listQueues(tx)) moves.set(q.name.toLowerCase(), { name: q.name, moves: movesOf(parseOverflow(q.overflow)) });
  moves.set(name.toLowerCase(), { name, moves: movesOf(steps) });
  const problems = checkOverflow(steps, input.agingSeconds !== undefined ? input.agingSeconds : current.agingSeconds, name, moves);
  if (problems.length) throw new GatewayError('INVALID_QUEUE', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  return { ...rest, ...(overflow ? { overflow: JSON.stringify(overflow) } : {}) };
}

const movesOf = (steps: readonly OverflowStep[]): string[] => steps.flatMap((s) => s.actions.flatMap((a) => (a.type === 'move' ? [a.queue.toLowerCase()] : [])));

/** A calendar named by a queue or an account must exist: 404 CALENDAR_NOT_FOUND otherwise. */
export async function requireCalendar(x: Executor, id: string | null | undefined): Promise<void> {
  if (id && !(await calendarById(x, id))) throw new GatewayError('CALENDAR_NOT_FOUND', `no calendar ${id}`);
}
