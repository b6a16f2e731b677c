import { sql } from 'kysely';
import { ACTIVE_STATES, WAITING_STATES } from '../routing/case-state.ts';
import { parseJsonArray } from './case.repository.ts';
import { parseCapacity } from './directory.repository.ts';
import type { Executor } from './executor.ts';
import { ONE, indexedBy, inList, list, literals, query } from './query.ts';
import type { AgentSnapshot, Presence } from '../routing/pick-agent.ts';
import type { ChannelName } from '../channels/channel.types.ts';

/**
 * Open offers (offeredToId set) and waiting cases (offeredToId and assigneeId null) are read from this
 * index; named, because without statistics SQLite would rather scan an index on the state.
 */
const OFFERS_INDEX = 'Case_offeredToId_assigneeId_state_channel_queueId_offeredAt_idx';
const LOAD_INDEX = 'Case_assigneeId_state_channel_idx';

/** every agent, or (`only`) the ones named: two statements, each prepared once */
function agentsQuery(only: boolean) {
  return query((qb, p: { ids: string[] }, d) => {
    const q = qb.selectFrom('Agent').select(['id', 'name', 'presence', 'skills', 'queues', 'capacity', 'lastAssignedAt']);
    return (only ? q.where(inList('id', list(p.ids), d)) : q).orderBy('createdAt');
  });
}

function loadQuery(only: boolean) {
  return query((_qb, p: { ids: string[] }, d) => {
    const mine = (column: string) => (only ? sql`AND ${inList(column, list(p.ids), d)}` : sql``);
    return sql<{ agentId: string; channel: string; n: number }>`
      SELECT "assigneeId" AS "agentId", "channel", count(*) AS "n" FROM "Case" ${indexedBy(d, LOAD_INDEX)}
        WHERE "assigneeId" IS NOT NULL AND "state" IN (${sql.join(literals(ACTIVE_STATES))}) ${mine('assigneeId')}
        GROUP BY "assigneeId", "channel"
      UNION ALL
      SELECT "offeredToId", "channel", count(*) FROM "Case" ${indexedBy(d, OFFERS_INDEX)}
        WHERE "offeredToId" IS NOT NULL AND "assigneeId" IS NULL ${mine('offeredToId')}
        GROUP BY "offeredToId", "channel"`;
  });
}

const ALL_AGENTS = { agents: agentsQuery(false), load: loadQuery(false) };
const NAMED_AGENTS = { agents: agentsQuery(true), load: loadQuery(true) };

/**
 * Every agent (or the ones named) with their load per channel: open cases assigned to them plus the
 * offers they hold, since an offer reserves the room it would take.
 */
export async function agentSnapshots(x: Executor, ids?: string[]): Promise<AgentSnapshot[]> {
  // lists travel as one parameter, so each query is prepared once whatever the list's length
  const queries = ids === undefined ? ALL_AGENTS : NAMED_AGENTS;
  const params = { ids: ids ?? [] };
  const agents = await x.all(queries.agents, params);
  if (agents.length === 0) return [];
  const counts = await x.all(queries.load, params);
  const load = new Map<string, Partial<Record<ChannelName, number>>>();
  for (const { agentId, channel, n } of counts) {
    const l = load.get(agentId) ?? {};
    l[channel as ChannelName] = (l[channel as ChannelName] ?? 0) + Number(n);
    load.set(agentId, l);
  }
  return agents.map((a) => ({
    id: a.id,
    name: a.name,
    presence: a.presence as Presence,
    skills: parseJsonArray(a.skills),
    queues: parseJsonArray(a.queues),
    capacity: parseCapacity(a.capacity),
    load: load.get(a.id) ?? {},
    lastAssignedAt: a.lastAssignedAt,
  }));
}

export interface AssignmentQueue {
  id: string;
  name: string;
  strategy: string;
  offerTimeoutSeconds: number | null;
}

const queuesQuery = query((qb) => qb.selectFrom('Queue').select(['id', 'name', 'strategy', 'offerTimeoutSeconds']));

export function assignmentQueues(x: Executor): Promise<AssignmentQueue[]> {
  return x.all(queuesQuery, {});
}

export interface WaitingCase {
  id: number;
  priority: number;
  channel: string;
  queueId: string | null;
  requiredSkills: string;
  previousAgentId: string | null;
  declinedBy: string;
}

const waitingQuery = query((qb, p: { queueIds: string[]; limit: number }, d) =>
  qb
    .selectFrom('Case')
    .select(['id', 'priority', 'channel', 'queueId', 'requiredSkills', 'previousAgentId', 'declinedBy'])
    .where(inList('queueId', list(p.queueIds), d))
    .where('assigneeId', 'is', null)
    .where('offeredToId', 'is', null)
    .where('state', 'in', literals(WAITING_STATES))
    .orderBy('priority')
    .orderBy('createdAt')
    .orderBy('id')
    .limit(p.limit),
);

/**
 * Unassigned cases without an offer in the given queues, in the order they are offered: the most urgent
 * first (priority 1 before 4), then the one waiting longest, then by number.
 */
export async function waitingCases(x: Executor, queueIds: string[], limit: number): Promise<WaitingCase[]> {
  if (queueIds.length === 0) return [];
  return x.all(waitingQuery, { queueIds, limit });
}

export interface OfferTimeouts {
  /** ms an offer stands in each queue */
  byQueue: Map<string, number>;
  /** ms for cases without a queue */
  fallbackMs: number;
}

export interface OpenOffer {
  id: number;
  state: string;
  assigneeId: string | null;
  offeredToId: string;
  offeredAt: Date | null;
  declinedBy: string;
  queueId: string | null;
  channel: string;
  requiredSkills: string;
}

const OFFER_COLUMNS = sql`"id", "state", "assigneeId", "offeredToId", "offeredAt", "declinedBy", "queueId", "channel", "requiredSkills"`;

const offersToEndQuery = query(
  (_qb, p: { online: string[]; before: Date }, d) =>
    sql<OpenOffer>`SELECT ${OFFER_COLUMNS} FROM "Case" ${indexedBy(d, OFFERS_INDEX)}
      WHERE "offeredToId" IS NOT NULL AND (
        "assigneeId" IS NOT NULL OR "state" NOT IN (${sql.join(literals(WAITING_STATES))}) OR "offeredAt" IS NULL
        OR ${inList('offeredToId', list(p.online), d, true)} OR "offeredAt" <= ${p.before})`,
);

/**
 * The open offers that may have to end now: the case no longer waits, the agent is not online, or the
 * offer may be older than its queue's timeout (older than the shortest timeout: the caller checks each
 * against its own queue's). Read from the offers index, the table only for the few that match.
 */
export function offersToEnd(x: Executor, onlineAgentIds: string[], now: Date, timeouts: OfferTimeouts): Promise<OpenOffer[]> {
  const shortest = Math.min(timeouts.fallbackMs, ...timeouts.byQueue.values());
  return x.all(offersToEndQuery, { online: onlineAgentIds, before: new Date(now.getTime() - shortest) });
}

function openOffersQuery(only: boolean) {
  return query((_qb, p: { ids: number[] }, d) =>
    sql<OpenOffer>`SELECT ${OFFER_COLUMNS} FROM "Case" ${indexedBy(d, OFFERS_INDEX)}
      WHERE "offeredToId" IS NOT NULL ${only ? sql`AND ${inList('id', list(p.ids), d)}` : sql``}`,
  );
}
const OPEN_OFFERS = { all: openOffersQuery(false), only: openOffersQuery(true) };

/** Every open offer, or (`caseIds`) those of the cases named: to check again whether their agents may keep them. */
export function openOffers(x: Executor, caseIds?: readonly number[]): Promise<OpenOffer[]> {
  return caseIds === undefined ? x.all(OPEN_OFFERS.all, { ids: [] }) : x.all(OPEN_OFFERS.only, { ids: [...caseIds] });
}

const queueIdsQuery = query((qb) => qb.selectFrom('Queue').select('id'));
const oldestOfferQuery = query((qb, p: { queueId: string | null }) =>
  qb
    .selectFrom('Case')
    .select(['queueId', 'offeredAt'])
    .where('offeredToId', 'is not', null)
    .where('offeredAt', 'is not', null)
    .where('queueId', 'is not distinct from', p.queueId)
    .orderBy('offeredAt')
    .limit(ONE),
);

/** The oldest open offer of each queue (and of cases in none): with one timeout per queue, the next to lapse is among these. */
export async function oldestOfferPerQueue(x: Executor): Promise<Array<{ queueId: string | null; offeredAt: Date }>> {
  const queues: Array<string | null> = [...(await x.all(queueIdsQuery, {})).map((q) => q.id), null];
  const oldest: Array<{ queueId: string | null; offeredAt: Date }> = [];
  for (const queueId of queues) {
    const row = await x.first(oldestOfferQuery, { queueId });
    if (row?.offeredAt) oldest.push({ queueId: row.queueId, offeredAt: row.offeredAt });
  }
  return oldest;
}

const offerQuery = query((qb, p: { caseId: number; agentId: string; now: Date; declinedBy: string | null; assignment: string | null }) =>
  qb
    .updateTable('Case')
    .set((eb) => ({
      offeredToId: p.agentId,
      offeredAt: p.now,
      declinedBy: eb.fn.coalesce(sql<string | null>`${p.declinedBy}`, 'declinedBy'),
      assignment: eb.fn.coalesce(sql<string | null>`${p.assignment}`, 'assignment'),
      updatedAt: p.now,
    }))
    .where('id', '=', p.caseId)
    .where('assigneeId', 'is', null)
    .where('offeredToId', 'is', null)
    .where('state', 'in', literals(WAITING_STATES)),
);

/**
 * Offers a waiting case to an agent, only if it is still waiting (a compare-and-set: never two offers).
 * `assignment` (JSON) is how the agent was picked; `declinedBy`, when given, replaces the case's.
 */
export async function offerCase(
  x: Executor,
  caseId: number,
  agentId: string,
  now: Date,
  extra: { assignment?: string; declinedBy?: string } = {},
): Promise<{ stampedAt: Date } | null> {
  const changes = await x.run(offerQuery, { caseId, agentId, now, declinedBy: extra.declinedBy ?? null, assignment: extra.assignment ?? null });
  return changes === 1 ? { stampedAt: await touchAgent(x, agentId, now) } : null;
}

const endOfferQuery = query((qb, p: { id: number; offeredToId: string; offeredAt: Date | null; declinedBy: string; now: Date }) =>
  qb
    .updateTable('Case')
    .set({ offeredToId: null, offeredAt: null, declinedBy: p.declinedBy, updatedAt: p.now })
    .where('id', '=', p.id)
    .where('offeredToId', '=', p.offeredToId)
    .where('offeredAt', 'is not distinct from', p.offeredAt),
);

/**
 * Ends an offer, only if it is still the one given (same agent, same time). `declined` puts the agent
 * on the case's list of agents skipped until a new round.
 */
export async function endOffer(
  x: Executor,
  offer: { id: number; offeredToId: string; offeredAt: Date | null; declinedBy: string },
  declined: boolean,
  now: Date,
): Promise<boolean> {
  const declinedBy = declined ? JSON.stringify([...new Set([...parseJsonArray(offer.declinedBy), offer.offeredToId])]) : offer.declinedBy;
  return (await x.run(endOfferQuery, { id: offer.id, offeredToId: offer.offeredToId, offeredAt: offer.offeredAt, declinedBy, now })) === 1;
}

const claimQuery = query((qb, p: { caseId: number; agentId: string; now: Date }) =>
  qb
    .updateTable('Case')
    .set((eb) => ({
      assigneeId: p.agentId,
      // the preference for the agent who had the case before a reopen ends once someone has it
      previousAgentId: null,
      offeredToId: null,
      offeredAt: null,
      declinedBy: '[]',
      state: eb.case().when('state', '=', 'new').then(sql.lit('open')).else(eb.ref('state')).end(),
      updatedAt: p.now,
    }))
    .where('id', '=', p.caseId)
    .where('assigneeId', 'is', null)
    .where('state', 'in', literals(ACTIVE_STATES))
    .where((eb) => eb.or([eb('offeredToId', 'is', null), eb('offeredToId', '=', p.agentId)])),
);

/**
 * Assigns an unassigned, active case to an agent if nobody else holds it: it must not be assigned and
 * must be offered to this agent or to nobody. One statement, so two claims can never both succeed.
 */
export async function claimCase(x: Executor, caseId: number, agentId: string, now: Date): Promise<boolean> {
  if ((await x.run(claimQuery, { caseId, agentId, now })) === 0) return false;
  await touchAgent(x, agentId, now);
  return true;
}

const touchAgentQuery = query((qb, p: { agentId: string; at: Date }) => qb.updateTable('Agent').set({ lastAssignedAt: p.at }).where('id', '=', p.agentId));
const latestAssignedQuery = query((qb) =>
  qb.selectFrom('Agent').select('lastAssignedAt').where('lastAssignedAt', 'is not', null).orderBy('lastAssignedAt', 'desc').limit(ONE),
);

/**
 * Stamps the agent as the latest assigned, strictly after every stamp before it (a millisecond on when
 * needed): round robin orders agents by this stamp, and one pass offers many cases at the same instant, so
 * equal stamps would let ties fall to the same agent every time. Returns the stamp.
 */
async function touchAgent(x: Executor, agentId: string, now: Date): Promise<Date> {
  const latest = (await x.first(latestAssignedQuery, {}))?.lastAssignedAt ?? null;
  const at = latest && latest.getTime() >= now.getTime() ? new Date(latest.getTime() + 1) : now;
  await x.run(touchAgentQuery, { agentId, at });
  return at;
}
