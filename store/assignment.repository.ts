import { sql } from 'kysely';
import { ACTIVE_STATES, WAITING_STATES } from '../routing/case-state.ts';
import { HELD_RESET, parseJsonArray } from './case.repository.ts';
import { parseCapacity, parseSkillLevels } from './directory.repository.ts';
import type { Executor } from './executor.ts';
import { ONE, indexedBy, inList, list, literals, query } from './query.ts';
import type { AgentSnapshot, Presence } from '../routing/pick-agent.ts';
import type { ChannelName } from '../channels/channel.types.ts';

/**
 * Open offers (offeredToId set) and waiting cases (offeredToId and assigneeId null) are read from this
 * index; named, because without statistics SQLite would rather scan an index on the state.
 */
const OFFERS_INDEX = 'Case_offeredToId_assigneeId_state_channel_queueId_offeredAt_idx';
const WAITING_INDEX = 'Case_assigneeId_offeredToId_priority_createdAt_id_idx';
const OFFER_AGE_INDEX = 'Case_queueId_offeredAt_idx';

/** every agent, or (`only`) the ones named: two statements, each prepared once */
function agentsQuery(only: boolean) {
  return query((qb, p: { ids: string[] }, d) => {
    const q = qb.selectFrom('Agent').select(['id', 'name', 'presence', 'skills', 'skillLevels', 'queues', 'capacity', 'lastAssignedAt', 'wrapUpUntil']);
    return (only ? q.where(inList('id', list(p.ids), d)) : q).orderBy('createdAt');
  });
}

// kept by triggers on Case (see AgentLoad in the schema): one row per agent and channel, whatever the number of open cases
function loadQuery(only: boolean) {
  return query((qb, p: { ids: string[] }, d) => {
    const q = qb.selectFrom('AgentLoad').select(['agentId', 'channel', 'n']).where('n', '>', 0);
    return only ? q.where(inList('agentId', list(p.ids), d)) : q;
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
    skillLevels: parseSkillLevels(a.skillLevels),
    queues: parseJsonArray(a.queues),
    capacity: parseCapacity(a.capacity),
    load: load.get(a.id) ?? {},
    lastAssignedAt: a.lastAssignedAt,
    wrapUpUntil: a.wrapUpUntil,
  }));
}

export interface AssignmentQueue {
  id: string;
  name: string;
  strategy: string;
  offerTimeoutSeconds: number | null;
  wrapUpSeconds: number;
  maxOfferRounds: number;
  broadcastOffers: number;
}

const queuesQuery = query((qb) => qb.selectFrom('Queue').select(['id', 'name', 'strategy', 'offerTimeoutSeconds', 'wrapUpSeconds', 'maxOfferRounds', 'broadcastOffers']));

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
  offerRounds: number;
  widenedTo: string;
  createdAt: Date;
  /** set while the case waits out a back-off between rounds: until then only agents who have not passed on it are asked */
  offerRetryAt: Date | null;
}

/** Where a page of waiting cases ends: the next page starts after it, in offer order. */
export type WaitingCursor = Pick<WaitingCase, 'priority' | 'createdAt' | 'id'>;

// before every case: the first page starts here
const FIRST_PAGE: WaitingCursor = { priority: -2_147_483_648, createdAt: new Date(0), id: 0 };

/**
 * Read in offer order from its own index, and no further than the page: without statistics SQLite would
 * take the offers index and sort every waiting case (22 ms a pass at 100,000 waiting, measured). Exported
 * so its plan can be checked at scale.
 */
export const waitingCasesQuery = query(
  (_qb, p: { queueIds: string[]; limit: number; afterPriority: number; afterCreatedAt: Date; afterId: number }, d) =>
    sql<WaitingCase>`SELECT "id", "priority", "channel", "queueId", "requiredSkills", "previousAgentId", "declinedBy", "offerRounds", "widenedTo", "createdAt", "offerRetryAt"
      FROM "Case" ${indexedBy(d, WAITING_INDEX)}
      WHERE "assigneeId" IS NULL AND "offeredToId" IS NULL AND "state" IN (${sql.join(literals(WAITING_STATES))}) AND ${inList('queueId', list(p.queueIds), d)}
        AND ("priority", "createdAt", "id") > (${p.afterPriority}, ${p.afterCreatedAt}, ${p.afterId})
      ORDER BY "priority", "createdAt", "id" LIMIT ${p.limit}`,
);

/**
 * Unassigned cases without an offer in the given queues (those in a back-off between rounds too, for an
 * agent who has not passed on them yet), in the order they are offered: the most urgent first (priority 1 before 4), then the one waiting longest, then
 * by number. A page of `limit`, after `after` (from the first).
 */
export async function waitingCases(x: Executor, queueIds: string[], limit: number, after: WaitingCursor = FIRST_PAGE): Promise<WaitingCase[]> {
  if (queueIds.length === 0) return [];
  return x.all(waitingCasesQuery, { queueIds, limit, afterPriority: after.priority, afterCreatedAt: after.createdAt, afterId: after.id });
}

const roundEndedQuery = query((qb, p: { id: number; rounds: number; retryAt: Date | null; now: Date }) =>
  qb.updateTable('Case').set({ offerRounds: p.rounds, offerRetryAt: p.retryAt, updatedAt: p.now }).where('id', '=', p.id),
);

/**
 * A round of offers ended with nobody taking the case: `retryAt` starts the next one after a back-off;
 * null, with the limit reached, ends the rounds. Either way the list of who passed is kept, so that an
 * agent who has not passed on it yet is offered it meanwhile (the list is cleared when the next round starts).
 */
export async function endOfferRound(x: Executor, id: number, r: { rounds: number; retryAt: Date | null }, now: Date): Promise<void> {
  await x.run(roundEndedQuery, { id, rounds: r.rounds, retryAt: r.retryAt, now });
}

const roundStartedQuery = query((qb, p: { id: number; now: Date }) => qb.updateTable('Case').set({ declinedBy: '[]', offerRetryAt: null, updatedAt: p.now }).where('id', '=', p.id));

/** The back-off after a round is over: the next round asks everyone again. */
export async function startOfferRound(x: Executor, id: number, now: Date): Promise<void> {
  await x.run(roundStartedQuery, { id, now });
}

const explainQuery = query((qb, p: { id: number; assignment: string }) => qb.updateTable('Case').set({ assignment: p.assignment }).where('id', '=', p.id));

/** Stores why a waiting case was offered to nobody (not a change of the case: its updatedAt stays). */
export async function explainWaiting(x: Executor, id: number, assignment: string): Promise<void> {
  await x.run(explainQuery, { id, assignment });
}

const nextRetryQuery = query((qb, p: { now: Date }) =>
  qb.selectFrom('Case').select('offerRetryAt').where('offerRetryAt', '>', p.now).orderBy('offerRetryAt').limit(ONE),
);

/** When the next back-off between rounds ends (read from its index). */
export async function nextRoundAt(x: Executor, now: Date): Promise<Date | null> {
  return (await x.first(nextRetryQuery, { now }))?.offerRetryAt ?? null;
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
  widenedTo: string;
  /** one of the further offers of a broadcast (a BroadcastOffer), not the case's own `offeredToId` */
  extra?: boolean;
}

const OFFER_COLUMNS = sql`"id", "state", "assigneeId", "offeredToId", "offeredAt", "declinedBy", "queueId", "channel", "requiredSkills", "widenedTo"`;

function lapsedQuery(inQueue: boolean) {
  return query(
    (_qb, p: { queueId: string; before: Date }, d) =>
      sql<OpenOffer>`SELECT ${OFFER_COLUMNS} FROM "Case" ${indexedBy(d, OFFER_AGE_INDEX)}
        WHERE ${inQueue ? sql`"queueId" = ${p.queueId}` : sql`"queueId" IS NULL`} AND "offeredAt" IS NOT NULL AND "offeredAt" <= ${p.before} AND "offeredToId" IS NOT NULL`,
  );
}
const LAPSED = { inQueue: lapsedQuery(true), noQueue: lapsedQuery(false) };

const offersHeldByQuery = query(
  (_qb, p: { agentIds: string[] }, d) =>
    sql<OpenOffer>`SELECT ${OFFER_COLUMNS} FROM "Case" ${indexedBy(d, OFFERS_INDEX)} WHERE ${inList('offeredToId', list(p.agentIds), d)}`,
);

/**
 * The offers a pass must end whatever else happened: those past their queue's timeout (a range of the
 * (queueId, offeredAt) index per queue) and those held by agents who are not online (`awayAgentIds`).
 * Reads only them, so a pass costs the same with 100 or 15,000 open offers; offers that became stale
 * otherwise (the agent left the queue or lacks a skill the case now needs) are found by `openOffers`; a case
 * that stops waiting (answered, resolved) ends its offer in the same write.
 */
export async function offersToEnd(x: Executor, awayAgentIds: string[], now: Date, timeouts: OfferTimeouts): Promise<OpenOffer[]> {
  const found: OpenOffer[] = [];
  for (const [queueId, ms] of timeouts.byQueue) found.push(...(await x.all(LAPSED.inQueue, { queueId, before: new Date(now.getTime() - ms) })));
  found.push(...(await x.all(LAPSED.noQueue, { queueId: '', before: new Date(now.getTime() - timeouts.fallbackMs) })));
  if (awayAgentIds.length > 0) found.push(...(await x.all(offersHeldByQuery, { agentIds: awayAgentIds })));
  return found;
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
// from the (queueId, offeredAt) index: its first entry with an offer, whatever the number of cases in the queue
function oldestOfferQuery(inQueue: boolean) {
  return query(
    (_qb, p: { queueId: string }, d) =>
      sql<{ queueId: string | null; offeredAt: Date }>`SELECT "queueId", "offeredAt" FROM "Case" ${indexedBy(d, OFFER_AGE_INDEX)}
        WHERE ${inQueue ? sql`"queueId" = ${p.queueId}` : sql`"queueId" IS NULL`} AND "offeredAt" IS NOT NULL AND "offeredToId" IS NOT NULL
        ORDER BY "offeredAt" LIMIT 1`,
  );
}
const OLDEST_OFFER = { inQueue: oldestOfferQuery(true), noQueue: oldestOfferQuery(false) };

/** The oldest open offer of each queue (and of cases in none): with one timeout per queue, the next to lapse is among these. */
export async function oldestOfferPerQueue(x: Executor): Promise<Array<{ queueId: string | null; offeredAt: Date }>> {
  const queues: Array<string | null> = [...(await x.all(queueIdsQuery, {})).map((q) => q.id), null];
  const oldest: Array<{ queueId: string | null; offeredAt: Date }> = [];
  for (const queueId of queues) {
    const row = queueId === null ? await x.first(OLDEST_OFFER.noQueue, { queueId: '' }) : await x.first(OLDEST_OFFER.inQueue, { queueId });
    if (row?.offeredAt) oldest.push({ queueId: row.queueId, offeredAt: row.offeredAt });
  }
  return oldest;
}

const offerQuery = query((qb, p: { caseId: number; agentId: string; now: Date; expiresAt: Date; declinedBy: string | null; assignment: string | null }) =>
  qb
    .updateTable('Case')
    .set((eb) => ({
      offeredToId: p.agentId,
      offeredAt: p.now,
      offerExpiresAt: p.expiresAt,
      // an offer made during a back-off (to an agent who had not passed on the case) leaves it running: if they pass too, the next round keeps its time
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
 * Offers a waiting case to an agent until `expiresAt`, only if it is still waiting (a compare-and-set: never
 * two offers). `assignment` (JSON) is how the agent was picked; `declinedBy`, when given, replaces the case's.
 */
export async function offerCase(
  x: Executor,
  caseId: number,
  agentId: string,
  now: Date,
  expiresAt: Date,
  extra: { assignment?: string; declinedBy?: string } = {},
): Promise<{ stampedAt: Date } | null> {
  const changes = await x.run(offerQuery, { caseId, agentId, now, expiresAt, declinedBy: extra.declinedBy ?? null, assignment: extra.assignment ?? null });
  return changes === 1 ? { stampedAt: await touchAgent(x, agentId, now) } : null;
}

const endOfferQuery = query((qb, p: { id: number; offeredToId: string; offeredAt: Date | null; next: string | null; declinedBy: string; now: Date }) =>
  qb
    .updateTable('Case')
    .set({ offeredToId: p.next, offeredAt: p.next ? p.offeredAt : null, declinedBy: p.declinedBy, updatedAt: p.now })
    .where('id', '=', p.id)
    .where('offeredToId', '=', p.offeredToId)
    .where('offeredAt', 'is not distinct from', p.offeredAt),
);
const declinedByQuery = query((qb, p: { id: number }) => qb.selectFrom('Case').select('declinedBy').where('id', '=', p.id));
const setDeclinedByQuery = query((qb, p: { id: number; declinedBy: string }) => qb.updateTable('Case').set({ declinedBy: p.declinedBy }).where('id', '=', p.id));
const endBroadcastQuery = query((qb, p: { caseId: number; agentId: string }) =>
  qb.deleteFrom('BroadcastOffer').where('caseId', '=', p.caseId).where('agentId', '=', p.agentId),
);
const nextBroadcastQuery = query((qb, p: { caseId: number }) =>
  qb.selectFrom('BroadcastOffer').select('agentId').where('caseId', '=', p.caseId).orderBy('agentId').limit(ONE),
);

/**
 * Ends an offer, only if it is still the one given (same agent, same time). `declined` puts the agent
 * on the case's list of agents skipped until a new round. When the case was offered to several agents at
 * once (a broadcast), ending one agent's offer leaves the others': one of them then holds the case's own.
 */
export async function endOffer(
  x: Executor,
  offer: { id: number; offeredToId: string; offeredAt: Date | null; extra?: boolean },
  declined: boolean,
  now: Date,
): Promise<boolean> {
  // read now: offers of one broadcast may end one after the other in the same transaction
  const current = (await x.first(declinedByQuery, { id: offer.id }))?.declinedBy ?? '[]';
  const declinedBy = declined ? JSON.stringify([...new Set([...parseJsonArray(current), offer.offeredToId])]) : current;
  if (offer.extra) {
    if ((await x.run(endBroadcastQuery, { caseId: offer.id, agentId: offer.offeredToId })) === 0) return false;
    if (declined) await x.run(setDeclinedByQuery, { id: offer.id, declinedBy });
    return true;
  }
  const next = (await x.first(nextBroadcastQuery, { caseId: offer.id }))?.agentId ?? null;
  if ((await x.run(endOfferQuery, { id: offer.id, offeredToId: offer.offeredToId, offeredAt: offer.offeredAt, next, declinedBy, now })) === 0) return false;
  if (next) await x.run(endBroadcastQuery, { caseId: offer.id, agentId: next });
  return true;
}

const offerAlsoQuery = query((qb, p: { caseId: number; agentId: string; channel: string; now: Date }) =>
  qb.insertInto('BroadcastOffer').values({ caseId: p.caseId, agentId: p.agentId, channel: p.channel, offeredAt: p.now }),
);

/** Offers a case just offered (`offerCase`) to further agents at once: the first of them all to accept takes it. */
export async function offerAlso(x: Executor, caseId: number, agentId: string, channel: string, now: Date): Promise<Date> {
  await x.run(offerAlsoQuery, { caseId, agentId, channel, now });
  return touchAgent(x, agentId, now);
}

const holdsBroadcastQuery = query((qb, p: { caseId: number; agentId: string }) =>
  qb.selectFrom('BroadcastOffer').select('offeredAt').where('caseId', '=', p.caseId).where('agentId', '=', p.agentId),
);

/** Whether the agent holds one of the further offers of the case's broadcast. */
export async function holdsBroadcastOffer(x: Executor, caseId: number, agentId: string): Promise<boolean> {
  return (await x.first(holdsBroadcastQuery, { caseId, agentId })) !== undefined;
}

function broadcastOffersQuery(by: 'all' | 'cases' | 'agents') {
  return query((_qb, p: { ids: Array<string | number> }, d) => {
    const where = by === 'all' ? sql`` : sql`WHERE ${inList(by === 'cases' ? 'b.caseId' : 'b.agentId', list(p.ids), d)}`;
    return sql<OpenOffer>`SELECT c."id", c."state", c."assigneeId", b."agentId" AS "offeredToId", b."offeredAt", c."declinedBy", c."queueId", c."channel",
        c."requiredSkills", c."widenedTo"
      FROM "BroadcastOffer" b JOIN "Case" c ON c."id" = b."caseId" ${where}`;
  });
}
const BROADCAST_OFFERS = { all: broadcastOffersQuery('all'), cases: broadcastOffersQuery('cases'), agents: broadcastOffersQuery('agents') };

/** The further offers of broadcasts (every one, or those of the cases or agents named), as open offers marked `extra`. */
export async function broadcastOffers(x: Executor, of: { caseIds?: readonly number[]; agentIds?: readonly string[] } = {}): Promise<OpenOffer[]> {
  const rows = of.caseIds
    ? of.caseIds.length ? await x.all(BROADCAST_OFFERS.cases, { ids: [...of.caseIds] }) : []
    : of.agentIds
      ? of.agentIds.length ? await x.all(BROADCAST_OFFERS.agents, { ids: [...of.agentIds] }) : []
      : await x.all(BROADCAST_OFFERS.all, { ids: [] });
  return rows.map((r) => ({ ...r, extra: true }));
}

const claimQuery = query((qb, p: { caseId: number; agentId: string; now: Date }) =>
  qb
    .updateTable('Case')
    .set((eb) => ({
      assigneeId: p.agentId,
      assignedAt: p.now,
      ...HELD_RESET,
      state: eb.case().when('state', '=', 'new').then(sql.lit('open')).else(eb.ref('state')).end(),
      updatedAt: p.now,
    }))
    .where('id', '=', p.caseId)
    .where('assigneeId', 'is', null)
    .where('state', 'in', literals(ACTIVE_STATES))
    .where((eb) =>
      eb.or([
        eb('offeredToId', 'is', null),
        eb('offeredToId', '=', p.agentId),
        // one of a broadcast's further offers: the first to accept wins, and the case's offer (with the others') ends
        eb.exists(eb.selectFrom('BroadcastOffer').select('agentId').where('BroadcastOffer.caseId', '=', p.caseId).where('BroadcastOffer.agentId', '=', p.agentId)),
      ]),
    ),
);

/**
 * Assigns an unassigned, active case to an agent if nobody else holds it: it must not be assigned and
 * must be offered to this agent (alone or in a broadcast) or to nobody. One statement, so two claims can
 * never both succeed.
 */
export async function claimCase(x: Executor, caseId: number, agentId: string, now: Date): Promise<boolean> {
  if ((await x.run(claimQuery, { caseId, agentId, now })) === 0) return false;
  await noteTaken(x, agentId, now);
  return true;
}

/**
 * The agent took a case, however (claim, answer, takeover, a supervisor's assignment): round robin sees
 * them as the latest assigned, and their run of missed offers ends.
 */
export async function noteTaken(x: Executor, agentId: string, now: Date): Promise<void> {
  await touchAgent(x, agentId, now, true);
}

const touchAgentQuery = query((qb, p: { agentId: string; at: Date }) => qb.updateTable('Agent').set({ lastAssignedAt: p.at }).where('id', '=', p.agentId));
// taking a case ends a run of missed offers; being offered one does not, or one offer at a time would never add up
const touchClaimerQuery = query((qb, p: { agentId: string; at: Date }) =>
  qb.updateTable('Agent').set({ lastAssignedAt: p.at, missedOffers: 0 }).where('id', '=', p.agentId),
);
const latestAssignedQuery = query((qb) =>
  qb.selectFrom('Agent').select('lastAssignedAt').where('lastAssignedAt', 'is not', null).orderBy('lastAssignedAt', 'desc').limit(ONE),
);

/**
 * Stamps the agent as the latest assigned, strictly after every stamp before it (a millisecond on when
 * needed): round robin orders agents by this stamp, and one pass offers many cases at the same instant, so
 * equal stamps would let ties fall to the same agent every time. Returns the stamp.
 */
async function touchAgent(x: Executor, agentId: string, now: Date, claimed = false): Promise<Date> {
  const latest = (await x.first(latestAssignedQuery, {}))?.lastAssignedAt ?? null;
  const at = latest && latest.getTime() >= now.getTime() ? new Date(latest.getTime() + 1) : now;
  await x.run(claimed ? touchClaimerQuery : touchAgentQuery, { agentId, at });
  return at;
}

const missedQuery = query((qb, p: { agentId: string }) =>
  qb.updateTable('Agent').set((eb) => ({ missedOffers: eb('missedOffers', '+', 1) })).where('id', '=', p.agentId).returning('missedOffers'),
);
const awayQuery = query((qb, p: { agentId: string; reason: string }) =>
  qb.updateTable('Agent').set({ presence: 'away', presenceReason: p.reason, presenceUntil: null }).where('id', '=', p.agentId).where('presence', '=', 'online'),
);

/**
 * An offer lapsed with the agent: counts it, and at `awayAfter` in a row (0: never) sets them away so
 * that offers stop going to a console nobody watches. Returns the count and whether they were set away.
 */
export async function recordMissedOffer(x: Executor, agentId: string, awayAfter: number): Promise<{ missed: number; away: boolean }> {
  const missed = (await x.first(missedQuery, { agentId }))?.missedOffers ?? 0;
  if (awayAfter <= 0 || missed < awayAfter) return { missed, away: false };
  return { missed, away: (await x.run(awayQuery, { agentId, reason: `missed ${missed} offers in a row` })) === 1 };
}

const resetMissedQuery = query((qb, p: { agentId: string }) => qb.updateTable('Agent').set({ missedOffers: 0 }).where('id', '=', p.agentId));

/** The agent answered an offer (a decline is an answer): the run of missed offers ends. */
export async function resetMissedOffers(x: Executor, agentId: string): Promise<void> {
  await x.run(resetMissedQuery, { agentId });
}

const wrapUpQuery = query((qb, p: { agentId: string; until: Date }) => qb.updateTable('Agent').set({ wrapUpUntil: p.until }).where('id', '=', p.agentId));
const queueWrapUpQuery = query((qb, p: { queueId: string }) => qb.selectFrom('Queue').select('wrapUpSeconds').where('id', '=', p.queueId));

/** The agent resolved a case of the queue: no offers for the queue's wrap-up time. Returns its end, or null when the queue has none. */
export async function startWrapUp(x: Executor, agentId: string, queueId: string | null, now: Date): Promise<Date | null> {
  const seconds = queueId ? ((await x.first(queueWrapUpQuery, { queueId }))?.wrapUpSeconds ?? 0) : 0;
  if (seconds <= 0) return null;
  const until = new Date(now.getTime() + seconds * 1000);
  await x.run(wrapUpQuery, { agentId, until });
  return until;
}

export interface WaitSnapshot {
  id: number;
  state: string;
  channel: string;
  assigneeId: string | null;
  offeredToId: string | null;
  queueId: string | null;
  priority: number;
  requiredSkills: string;
  widenedTo: string;
  overflowSteps: number;
  agingSteps: number;
  waitingSince: Date | null;
  createdAt: Date;
}

const waitSnapshotsQuery = query((qb, p: { ids: number[] }, d) =>
  qb
    .selectFrom('Case')
    .select(['id', 'state', 'channel', 'assigneeId', 'offeredToId', 'queueId', 'priority', 'requiredSkills', 'widenedTo', 'overflowSteps', 'agingSteps', 'waitingSince', 'createdAt'])
    .where(inList('id', list(p.ids), d)),
);

/** What the overflow and aging of waiting cases look at. */
export function waitSnapshots(x: Executor, ids: readonly number[]): Promise<WaitSnapshot[]> {
  return ids.length === 0 ? Promise.resolve([]) : x.all(waitSnapshotsQuery, { ids: [...ids] });
}

const waitRulesQuery = query((qb) => qb.selectFrom('Queue').select(['id', 'name', 'overflow', 'agingSeconds']));

/** Every queue's overflow steps (JSON) and aging. */
export function queueWaitRules(x: Executor): Promise<Array<{ id: string; name: string; overflow: string; agingSeconds: number | null }>> {
  return x.all(waitRulesQuery, {});
}

const waitingOfQueuesQuery = query((qb, p: { queueIds: string[]; afterId: number; limit: number }, d) =>
  qb
    .selectFrom('Case')
    .select('id')
    .where(inList('queueId', list(p.queueIds), d))
    .where('assigneeId', 'is', null)
    .where('state', 'in', literals(WAITING_STATES))
    .where('id', '>', p.afterId)
    .orderBy('id')
    .limit(p.limit),
);

/** The waiting cases of these queues, a page at a time by id. */
export async function waitingCaseIds(x: Executor, queueIds: string[], afterId: number, limit: number): Promise<number[]> {
  if (queueIds.length === 0) return [];
  return (await x.all(waitingOfQueuesQuery, { queueIds, afterId, limit })).map((r) => r.id);
}

export interface WaitChange {
  queueId?: string;
  priority?: number;
  requiredSkills?: string;
  skillsRelaxed?: true;
  widenedTo?: string;
  overflowSteps?: number;
  agingSteps?: number;
  offeredToId?: null;
  offeredAt?: null;
  declinedBy?: string;
  offerRounds?: number;
  offerRetryAt?: null;
}

/** Records what overflow and aging did to a waiting case. */
export async function applyWaitChange(x: Executor, id: number, change: WaitChange, now: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('Case').set({ ...change, updatedAt: now }).where('id', '=', id));
}

/**
 * A queue's offer timeout changed: the deadlines of its open offers follow (`timeoutMs` from each offer's
 * making), so the countdown agents see is the moment the worker ends the offer. Returns the cases moved.
 */
export async function restampOfferDeadlines(x: Executor, queueId: string, timeoutMs: number): Promise<number[]> {
  const open = await x.allOf((qb) => qb.selectFrom('Case').select(['id', 'offeredAt']).where('queueId', '=', queueId).where('offeredToId', 'is not', null).where('offeredAt', 'is not', null));
  for (const o of open) {
    await x.runOf((qb) => qb.updateTable('Case').set({ offerExpiresAt: new Date(o.offeredAt!.getTime() + timeoutMs) }).where('id', '=', o.id).where('offeredAt', '=', o.offeredAt));
  }
  return open.map((o) => o.id);
}
