import type { Selectable } from 'kysely';
import { parseJsonArray } from './case.repository.ts';
import { DEFAULT_QUEUES } from '../routing/default-rules.ts';
import { DEFAULT_QUEUE } from '../routing/evaluate-rules.ts';
import type { ChannelName } from '../channels/channel.types.ts';
import type { Agent, Queue } from './generated/database.types.ts';
import type { Executor } from './executor.ts';
import type { OverflowStep } from '../routing/queue-overflow.ts';
import { newId } from './ids.ts';
import { ONE, query } from './query.ts';

export type QueueRow = Selectable<Queue>;
export type AgentRow = Selectable<Agent>;

export interface QueueView {
  id: string;
  name: string;
  strategy: string;
  slackChannel: string | null;
  ackTemplate: string | null;
  /** null: the OFFER_TIMEOUT_SECONDS default */
  offerTimeoutSeconds: number | null;
  /** when its team works; null: the default calendar */
  calendarId: string | null;
  wrapUpSeconds: number;
  maxOfferRounds: number;
  broadcastOffers: number;
  serviceLevelSeconds: number;
  overflow: OverflowStep[];
  agingSeconds: number | null;
}

/** A queue as the API shows it; `slackChannel` is Slack's reference for it (a ChannelLink). */
export function toQueueView(q: QueueRow, slackChannel: string | null): QueueView {
  return {
    id: q.id, name: q.name, strategy: q.strategy, slackChannel, ackTemplate: q.ackTemplate, offerTimeoutSeconds: q.offerTimeoutSeconds, calendarId: q.calendarId,
    wrapUpSeconds: q.wrapUpSeconds, maxOfferRounds: q.maxOfferRounds, broadcastOffers: q.broadcastOffers, serviceLevelSeconds: q.serviceLevelSeconds,
    overflow: parseOverflow(q.overflow), agingSeconds: q.agingSeconds,
  };
}

export interface AgentView {
  id: string;
  name: string;
  email: string | null;
  role: string;
  slackUserId: string | null;
  skills: string[];
  skillLevels: Record<string, number>;
  queues: string[];
  capacity: number | Partial<Record<ChannelName, number>>;
  presence: string;
  presenceReason: string | null;
  presenceUntil: string | null;
  wrapUpUntil: string | null;
  /** false once an admin deactivated the agent */
  active: boolean;
}

/** An agent's stored capacity: one number for all channels, or a number per channel; 5 when unreadable. */
export function parseCapacity(text: string): number | Partial<Record<ChannelName, number>> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'number' && v >= 0) return v;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Partial<Record<ChannelName, number>>;
  } catch {
    // fall through to the default
  }
  return 5;
}

/** An agent as the API shows it; `slackUserId` is Slack's reference for them (a ChannelLink). */
export function toAgentView(a: AgentRow, slackUserId: string | null): AgentView {
  const capacity = parseCapacity(a.capacity);
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    role: a.role,
    slackUserId,
    skills: parseJsonArray(a.skills),
    skillLevels: parseSkillLevels(a.skillLevels),
    queues: parseJsonArray(a.queues),
    capacity,
    presence: a.presence,
    presenceReason: a.presenceReason,
    presenceUntil: a.presenceUntil?.toISOString() ?? null,
    wrapUpUntil: a.wrapUpUntil?.toISOString() ?? null,
    active: a.deactivatedAt === null,
  };
}

/** An agent's skill levels as stored (JSON map); none when unreadable. */
export function parseSkillLevels(text: string): Record<string, number> {
  try {
    const levels = JSON.parse(text) as unknown;
    return levels && typeof levels === 'object' && !Array.isArray(levels) ? (levels as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** A queue's overflow steps as stored (JSON), in order; none when unreadable. */
export function parseOverflow(text: string): OverflowStep[] {
  try {
    const steps = JSON.parse(text) as unknown;
    return Array.isArray(steps) ? (steps as OverflowStep[]) : [];
  } catch {
    return [];
  }
}

/** First start: the default queues, each editable afterwards. */
export async function seedQueues(x: Executor, now: Date): Promise<number> {
  if (await x.firstOf((qb) => qb.selectFrom('Queue').select('id').limit(ONE))) return 0;
  for (const name of DEFAULT_QUEUES) await insertQueue(x, { name, strategy: 'round_robin' }, now);
  return DEFAULT_QUEUES.length;
}

export interface QueueFields {
  name?: string;
  strategy?: string;
  ackTemplate?: string | null;
  offerTimeoutSeconds?: number | null;
  calendarId?: string | null;
  wrapUpSeconds?: number;
  maxOfferRounds?: number;
  broadcastOffers?: number;
  serviceLevelSeconds?: number;
  /** JSON list of OverflowStep */
  overflow?: string;
  agingSeconds?: number | null;
}

export function listQueues(x: Executor): Promise<QueueRow[]> {
  return x.allOf((qb) => qb.selectFrom('Queue').selectAll().orderBy('createdAt').orderBy('id'));
}

export function queueById(x: Executor, id: string): Promise<QueueRow | undefined> {
  return x.firstOf((qb) => qb.selectFrom('Queue').selectAll().where('id', '=', id));
}

export function queueByName(x: Executor, name: string): Promise<QueueRow | undefined> {
  return x.firstOf((qb) => qb.selectFrom('Queue').selectAll().where('name', '=', name));
}

export async function insertQueue(x: Executor, f: QueueFields & { name: string }, now: Date): Promise<QueueRow> {
  const id = newId(now.getTime());
  await x.runOf((qb) => qb.insertInto('Queue').values({ ...f, id, createdAt: now }));
  return (await queueById(x, id))!;
}

/** Changes a queue; undefined when there is no such queue. */
export async function updateQueue(x: Executor, id: string, f: QueueFields): Promise<QueueRow | undefined> {
  if (Object.keys(f).length) await x.runOf((qb) => qb.updateTable('Queue').set(f).where('id', '=', id));
  return queueById(x, id);
}

/** An agent's stored fields, as the API sets them (lists and capacity as JSON text). */
export interface AgentFields {
  name?: string;
  email?: string | null;
  role?: string;
  skills?: string;
  /** JSON map skill -> level */
  skillLevels?: string;
  queues?: string;
  capacity?: string;
  presence?: string;
  presenceReason?: string | null;
  presenceUntil?: Date | null;
  missedOffers?: number;
  deactivatedAt?: Date | null;
}

export function listAgents(x: Executor): Promise<AgentRow[]> {
  return x.allOf((qb) => qb.selectFrom('Agent').selectAll().orderBy('createdAt').orderBy('id'));
}

export function agentById(x: Executor, id: string): Promise<AgentRow | undefined> {
  return x.firstOf((qb) => qb.selectFrom('Agent').selectAll().where('id', '=', id));
}

export async function insertAgent(x: Executor, f: AgentFields & { name: string }, now: Date): Promise<AgentRow> {
  const id = newId(now.getTime());
  await x.runOf((qb) => qb.insertInto('Agent').values({ ...f, id, createdAt: now }));
  return (await agentById(x, id))!;
}

/** Changes an agent; undefined when there is no such agent. */
export async function updateAgent(x: Executor, id: string, f: AgentFields): Promise<AgentRow | undefined> {
  if (Object.keys(f).length) await x.runOf((qb) => qb.updateTable('Agent').set(f).where('id', '=', id));
  return agentById(x, id);
}

const queueByNameQuery = query((qb, p: { name: string }) => qb.selectFrom('Queue').select(['id', 'name', 'ackTemplate']).where('name', '=', p.name));
const oldestQueueQuery = query((qb) => qb.selectFrom('Queue').select(['id', 'name', 'ackTemplate']).orderBy('createdAt').limit(ONE));

/**
 * The queue a new case goes to: the one the rules named, else (it no longer exists) General, else the
 * oldest queue; null when there are no queues at all.
 */
export async function queueForNewCase(x: Executor, name: string): Promise<{ id: string; name: string; ackTemplate: string | null } | null> {
  return (await x.first(queueByNameQuery, { name })) ?? (await x.first(queueByNameQuery, { name: DEFAULT_QUEUE })) ?? (await x.first(oldestQueueQuery, {})) ?? null;
}

/** Every agent's id: what an SLA escalation may assign to. */
export async function agentIds(x: Executor): Promise<string[]> {
  return (await x.allOf((qb) => qb.selectFrom('Agent').select('id'))).map((a) => a.id);
}

/** A queue by its exact name; null when none has it. */
export async function queueNamed(x: Executor, name: string): Promise<{ id: string; name: string } | null> {
  return (await x.first(queueByNameQuery, { name })) ?? null;
}

/** The supervisors who belong to a queue (by name), oldest first. */
export async function queueSupervisors(x: Executor, queueName: string): Promise<Array<{ id: string; name: string }>> {
  const rows = await x.allOf((qb) => qb.selectFrom('Agent').select(['id', 'name', 'queues']).where('role', '=', 'supervisor').orderBy('createdAt').orderBy('id'));
  return rows.filter((r) => parseJsonArray(r.queues).some((q) => q.toLowerCase() === queueName.toLowerCase())).map(({ id, name }) => ({ id, name }));
}
