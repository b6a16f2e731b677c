import type { Agent, Queue } from '@prisma/client';
import type { Tx } from './db.ts';
import { parseJsonArray } from './case.repository.ts';
import { DEFAULT_QUEUES } from '../routing/default-rules.ts';
import { DEFAULT_QUEUE } from '../routing/evaluate-rules.ts';
import type { Sql } from './sql.ts';
import type { ChannelName } from '../channels/channel.types.ts';

export interface QueueView {
  id: string;
  name: string;
  strategy: string;
  slackChannel: string | null;
  ackTemplate: string | null;
  /** null: the OFFER_TIMEOUT_SECONDS default */
  offerTimeoutSeconds: number | null;
}

export function toQueueView(q: Queue): QueueView {
  return { id: q.id, name: q.name, strategy: q.strategy, slackChannel: q.slackChannel, ackTemplate: q.ackTemplate, offerTimeoutSeconds: q.offerTimeoutSeconds };
}

export interface AgentView {
  id: string;
  name: string;
  email: string | null;
  role: string;
  slackUserId: string | null;
  skills: string[];
  queues: string[];
  capacity: number | Partial<Record<ChannelName, number>>;
  presence: string;
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

export function toAgentView(a: Agent): AgentView {
  const capacity = parseCapacity(a.capacity);
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    role: a.role,
    slackUserId: a.slackUserId,
    skills: parseJsonArray(a.skills),
    queues: parseJsonArray(a.queues),
    capacity,
    presence: a.presence,
  };
}

/** First start: the default queues, each editable afterwards. */
export async function seedQueues(tx: Tx): Promise<number> {
  if ((await tx.queue.count()) > 0) return 0;
  for (const name of DEFAULT_QUEUES) {
    await tx.queue.create({ data: { name, strategy: 'round_robin' } });
  }
  return DEFAULT_QUEUES.length;
}

/**
 * The queue a new case goes to: the one the rules named, else (it no longer exists) General, else the
 * oldest queue; null when there are no queues at all.
 */
export function queueForNewCase(sql: Sql, name: string): { id: string; name: string; ackTemplate: string | null } | null {
  type Row = { id: string; name: string; ackTemplate: string | null };
  const named = (n: string) => sql.get<Row>('SELECT "id", "name", "ackTemplate" FROM "Queue" WHERE "name" = ?', n);
  return named(name) ?? named(DEFAULT_QUEUE) ?? sql.get<Row>('SELECT "id", "name", "ackTemplate" FROM "Queue" ORDER BY "createdAt" LIMIT 1') ?? null;
}
