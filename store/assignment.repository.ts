import type { Prisma, PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';
import { ACTIVE_STATES, parseJsonArray } from './case.repository.ts';
import { parseCapacity } from './directory.repository.ts';
import type { AgentSnapshot, Presence } from '../routing/pick-agent.ts';
import type { ChannelName } from '../channels/channel.types.ts';

type Client = PrismaClient | Tx;

/** States in which an unassigned case waits for an agent (awaiting_customer: the customer has the turn). */
export const WAITING_STATES = ['new', 'open'];

/**
 * Every agent (or the ones named) with their load per channel: open cases assigned to them plus the
 * offers they hold, since an offer reserves the room it would take.
 */
export async function agentSnapshots(db: Client, ids?: string[]): Promise<AgentSnapshot[]> {
  const agents = await db.agent.findMany({ where: ids ? { id: { in: ids } } : {}, orderBy: { createdAt: 'asc' } });
  if (agents.length === 0) return [];
  const agentIds = agents.map((a) => a.id);
  const assigned = await db.case.groupBy({
    by: ['assigneeId', 'channel'],
    where: { assigneeId: { in: agentIds }, state: { in: ACTIVE_STATES } },
    _count: { _all: true },
  });
  const offered = await db.case.groupBy({
    by: ['offeredToId', 'channel'],
    where: { offeredToId: { in: agentIds }, assigneeId: null },
    _count: { _all: true },
  });
  const load = new Map<string, Partial<Record<ChannelName, number>>>();
  const add = (agentId: string | null, channel: string, n: number) => {
    if (!agentId) return;
    const l = load.get(agentId) ?? {};
    l[channel as ChannelName] = (l[channel as ChannelName] ?? 0) + n;
    load.set(agentId, l);
  };
  for (const g of assigned) add(g.assigneeId, g.channel, g._count._all);
  for (const g of offered) add(g.offeredToId, g.channel, g._count._all);
  return agents.map((a) => ({
    id: a.id,
    presence: a.presence as Presence,
    skills: parseJsonArray(a.skills),
    queues: parseJsonArray(a.queues),
    capacity: parseCapacity(a.capacity),
    load: load.get(a.id) ?? {},
    lastAssignedAt: a.lastAssignedAt,
  }));
}

const waitingSelect = {
  id: true,
  priority: true,
  createdAt: true,
  channel: true,
  queueId: true,
  requiredSkills: true,
  previousAgentId: true,
  declinedBy: true,
  routing: true,
} satisfies Prisma.CaseSelect;

export type WaitingCase = Prisma.CaseGetPayload<{ select: typeof waitingSelect }>;

/**
 * Unassigned cases without an offer in the given queues, in the order they are offered: the most urgent
 * first (priority 1 before 4), then the one waiting longest, then by number.
 */
export async function waitingCases(db: Client, queueIds: string[], limit: number): Promise<WaitingCase[]> {
  if (queueIds.length === 0) return [];
  return db.case.findMany({
    where: { queueId: { in: queueIds }, assigneeId: null, offeredToId: null, state: { in: WAITING_STATES } },
    orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: waitingSelect,
  });
}

export interface OfferTimeouts {
  /** ms an offer stands in each queue */
  byQueue: Map<string, number>;
  /** ms for cases without a queue */
  fallbackMs: number;
}

/**
 * The open offers that may have to end now: the case no longer waits, the agent is not online, or the
 * offer is older than its queue's timeout. A filter in the store rather than a scan of every open offer,
 * so a pass costs the same with ten offers out or ten thousand.
 */
export async function offersToEnd(db: Client, onlineAgentIds: string[], now: Date, timeouts: OfferTimeouts) {
  const before = (ms: number) => new Date(now.getTime() - ms);
  return db.case.findMany({
    where: {
      offeredToId: { not: null },
      OR: [
        { assigneeId: { not: null } },
        { state: { notIn: WAITING_STATES } },
        { offeredToId: { notIn: onlineAgentIds } },
        { offeredAt: null },
        ...[...timeouts.byQueue].map(([queueId, ms]) => ({ queueId, offeredAt: { lte: before(ms) } })),
        { queueId: null, offeredAt: { lte: before(timeouts.fallbackMs) } },
      ],
    },
    select: { id: true, state: true, assigneeId: true, offeredToId: true, offeredAt: true, declinedBy: true, queueId: true },
  });
}

/** The oldest open offer of each queue: with one timeout per queue, the next to lapse is among these. */
export async function oldestOfferPerQueue(db: Client): Promise<Array<{ queueId: string | null; offeredAt: Date }>> {
  const groups = await db.case.groupBy({ by: ['queueId'], where: { offeredToId: { not: null }, offeredAt: { not: null } }, _min: { offeredAt: true } });
  return groups.flatMap((g) => (g._min.offeredAt ? [{ queueId: g.queueId, offeredAt: g._min.offeredAt }] : []));
}

/** Offers a waiting case to an agent, only if it is still waiting (a compare-and-set: never two offers). */
export async function offerCase(tx: Tx, caseId: number, agentId: string, now: Date, extra: Prisma.CaseUpdateManyMutationInput = {}): Promise<boolean> {
  const res = await tx.case.updateMany({
    where: { id: caseId, assigneeId: null, offeredToId: null, state: { in: WAITING_STATES } },
    data: { ...extra, offeredToId: agentId, offeredAt: now },
  });
  if (res.count === 1) await tx.agent.update({ where: { id: agentId }, data: { lastAssignedAt: now } });
  return res.count === 1;
}

/**
 * Ends an offer, only if it is still the one given (same agent, same time). `declined` puts the agent
 * on the case's list of agents skipped until a new round.
 */
export async function endOffer(tx: Tx, offer: { id: number; offeredToId: string; offeredAt: Date | null; declinedBy: string }, declined: boolean): Promise<boolean> {
  const declinedBy = declined ? JSON.stringify([...new Set([...parseJsonArray(offer.declinedBy), offer.offeredToId])]) : offer.declinedBy;
  const res = await tx.case.updateMany({
    where: { id: offer.id, offeredToId: offer.offeredToId, offeredAt: offer.offeredAt },
    data: { offeredToId: null, offeredAt: null, declinedBy },
  });
  return res.count === 1;
}

/**
 * Assigns an unassigned, active case to an agent if nobody else holds it: it must not be assigned and
 * must be offered to this agent or to nobody. One statement, so two claims can never both succeed.
 */
export async function claimCase(tx: Tx, caseId: number, agentId: string, now: Date): Promise<boolean> {
  const res = await tx.case.updateMany({
    where: { id: caseId, assigneeId: null, state: { in: ACTIVE_STATES }, OR: [{ offeredToId: null }, { offeredToId: agentId }] },
    data: { assigneeId: agentId, previousAgentId: agentId, offeredToId: null, offeredAt: null, declinedBy: '[]' },
  });
  if (res.count === 0) return false;
  await tx.case.updateMany({ where: { id: caseId, state: 'new' }, data: { state: 'open' } });
  await tx.agent.update({ where: { id: agentId }, data: { lastAssignedAt: now } });
  return true;
}
