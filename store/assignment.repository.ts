import { ACTIVE_STATES, parseJsonArray } from './case.repository.ts';
import { parseCapacity } from './directory.repository.ts';
import { fromSqlDate, sqlDate, sqlList, type Sql, type SqlValue } from './sql.ts';
import type { AgentSnapshot, Presence } from '../routing/pick-agent.ts';
import type { ChannelName } from '../channels/channel.types.ts';

/** States in which an unassigned case waits for an agent (awaiting_customer: the customer has the turn). */
export const WAITING_STATES = ['new', 'open'];

const ACTIVE = sqlList(ACTIVE_STATES);
const WAITING = sqlList(WAITING_STATES);
/**
 * Open offers (offeredToId set) and waiting cases (offeredToId and assigneeId null) are read from this
 * index; named, because without statistics SQLite would rather scan an index on the state.
 */
const OFFERS_INDEX = '"Case_offeredToId_assigneeId_state_channel_queueId_offeredAt_idx"';

/**
 * Every agent (or the ones named) with their load per channel: open cases assigned to them plus the
 * offers they hold, since an offer reserves the room it would take.
 */
export function agentSnapshots(sql: Sql, ids?: string[]): AgentSnapshot[] {
  // lists travel as one JSON parameter, so each query is prepared once whatever the list's length
  const only = ids ? JSON.stringify(ids) : null;
  const agents = sql.all<{ id: string; presence: string; skills: string; queues: string; capacity: string; lastAssignedAt: string | null }>(
    `SELECT "id", "presence", "skills", "queues", "capacity", "lastAssignedAt" FROM "Agent"
     WHERE @only IS NULL OR "id" IN (SELECT "value" FROM json_each(@only)) ORDER BY "createdAt"`,
    { only },
  );
  if (agents.length === 0) return [];
  const counts = sql.all<{ agentId: string; channel: string; n: number }>(
    `SELECT "assigneeId" AS "agentId", "channel", count(*) AS "n" FROM "Case" INDEXED BY "Case_assigneeId_state_channel_idx"
       WHERE "assigneeId" IS NOT NULL AND "state" IN (${ACTIVE}) AND (@only IS NULL OR "assigneeId" IN (SELECT "value" FROM json_each(@only)))
       GROUP BY "assigneeId", "channel"
     UNION ALL
     SELECT "offeredToId", "channel", count(*) FROM "Case" INDEXED BY ${OFFERS_INDEX}
       WHERE "offeredToId" IS NOT NULL AND "assigneeId" IS NULL AND (@only IS NULL OR "offeredToId" IN (SELECT "value" FROM json_each(@only)))
       GROUP BY "offeredToId", "channel"`,
    { only },
  );
  const load = new Map<string, Partial<Record<ChannelName, number>>>();
  for (const { agentId, channel, n } of counts) {
    const l = load.get(agentId) ?? {};
    l[channel as ChannelName] = (l[channel as ChannelName] ?? 0) + n;
    load.set(agentId, l);
  }
  return agents.map((a) => ({
    id: a.id,
    presence: a.presence as Presence,
    skills: parseJsonArray(a.skills),
    queues: parseJsonArray(a.queues),
    capacity: parseCapacity(a.capacity),
    load: load.get(a.id) ?? {},
    lastAssignedAt: fromSqlDate(a.lastAssignedAt),
  }));
}

export interface AssignmentQueue {
  id: string;
  name: string;
  strategy: string;
  offerTimeoutSeconds: number | null;
}

export function assignmentQueues(sql: Sql): AssignmentQueue[] {
  return sql.all<AssignmentQueue>('SELECT "id", "name", "strategy", "offerTimeoutSeconds" FROM "Queue"');
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

/**
 * Unassigned cases without an offer in the given queues, in the order they are offered: the most urgent
 * first (priority 1 before 4), then the one waiting longest, then by number.
 */
export function waitingCases(sql: Sql, queueIds: string[], limit: number): WaitingCase[] {
  if (queueIds.length === 0) return [];
  return sql.all<WaitingCase>(
    `SELECT "id", "priority", "channel", "queueId", "requiredSkills", "previousAgentId", "declinedBy" FROM "Case"
     WHERE "queueId" IN (SELECT "value" FROM json_each(?)) AND "assigneeId" IS NULL AND "offeredToId" IS NULL AND "state" IN (${WAITING})
     ORDER BY "priority", "createdAt", "id" LIMIT ?`,
    JSON.stringify(queueIds),
    limit,
  );
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
}

/**
 * The open offers that may have to end now: the case no longer waits, the agent is not online, or the
 * offer may be older than its queue's timeout (older than the shortest timeout: the caller checks each
 * against its own queue's). Read from the offers index, the table only for the few that match.
 */
export function offersToEnd(sql: Sql, onlineAgentIds: string[], now: Date, timeouts: OfferTimeouts): OpenOffer[] {
  const shortest = Math.min(timeouts.fallbackMs, ...timeouts.byQueue.values());
  const rows = sql.all<Omit<OpenOffer, 'offeredAt'> & { offeredAt: string | null }>(
    `SELECT "id", "state", "assigneeId", "offeredToId", "offeredAt", "declinedBy", "queueId" FROM "Case" INDEXED BY ${OFFERS_INDEX}
     WHERE "offeredToId" IS NOT NULL AND (
       "assigneeId" IS NOT NULL OR "state" NOT IN (${WAITING}) OR "offeredAt" IS NULL
       OR "offeredToId" NOT IN (SELECT "value" FROM json_each(?)) OR "offeredAt" <= ?)`,
    JSON.stringify(onlineAgentIds),
    sqlDate(new Date(now.getTime() - shortest)),
  );
  return rows.map((r) => ({ ...r, offeredAt: fromSqlDate(r.offeredAt) }));
}

/** The oldest open offer of each queue: with one timeout per queue, the next to lapse is among these. */
export function oldestOfferPerQueue(sql: Sql): Array<{ queueId: string | null; offeredAt: Date }> {
  return sql
    .all<{ queueId: string | null; offeredAt: string }>(
      'SELECT "queueId", min("offeredAt") AS "offeredAt" FROM "Case" WHERE "offeredToId" IS NOT NULL AND "offeredAt" IS NOT NULL GROUP BY "queueId"',
    )
    .map((g) => ({ queueId: g.queueId, offeredAt: new Date(g.offeredAt) }));
}

/**
 * Offers a waiting case to an agent, only if it is still waiting (a compare-and-set: never two offers).
 * `assignment` (JSON) is recorded as the routing explanation's `assignment`; `declinedBy`, when given,
 * replaces the case's.
 */
export function offerCase(sql: Sql, caseId: number, agentId: string, now: Date, extra: { assignment?: string; declinedBy?: string } = {}): boolean {
  const at = sqlDate(now);
  // the explanation is edited in place by SQLite rather than read, parsed and written back whole
  const { changes } = sql.run(
    `UPDATE "Case" SET "offeredToId" = @agentId, "offeredAt" = @at, "declinedBy" = coalesce(@declinedBy, "declinedBy"), "updatedAt" = @at,
       "routing" = CASE WHEN @assignment IS NULL THEN "routing"
         WHEN json_valid("routing") THEN CASE WHEN json_type("routing") = 'object' THEN json_set("routing", '$.assignment', json(@assignment))
           ELSE json_object('assignment', json(@assignment)) END
         ELSE json_object('assignment', json(@assignment)) END
     WHERE "id" = @caseId AND "assigneeId" IS NULL AND "offeredToId" IS NULL AND "state" IN (${WAITING})`,
    { agentId, at, declinedBy: extra.declinedBy ?? null, assignment: extra.assignment ?? null, caseId },
  );
  if (changes === 1) touchAgent(sql, agentId, at);
  return changes === 1;
}

/**
 * Ends an offer, only if it is still the one given (same agent, same time). `declined` puts the agent
 * on the case's list of agents skipped until a new round.
 */
export function endOffer(
  sql: Sql,
  offer: { id: number; offeredToId: string; offeredAt: Date | null; declinedBy: string },
  declined: boolean,
  now: Date,
): boolean {
  const declinedBy = declined ? JSON.stringify([...new Set([...parseJsonArray(offer.declinedBy), offer.offeredToId])]) : offer.declinedBy;
  const params: SqlValue[] = [declinedBy, sqlDate(now), offer.id, offer.offeredToId, offer.offeredAt ? sqlDate(offer.offeredAt) : null];
  const { changes } = sql.run(
    `UPDATE "Case" SET "offeredToId" = NULL, "offeredAt" = NULL, "declinedBy" = ?, "updatedAt" = ?
     WHERE "id" = ? AND "offeredToId" = ? AND "offeredAt" IS ?`,
    ...params,
  );
  return changes === 1;
}

/**
 * Assigns an unassigned, active case to an agent if nobody else holds it: it must not be assigned and
 * must be offered to this agent or to nobody. One statement, so two claims can never both succeed.
 */
export function claimCase(sql: Sql, caseId: number, agentId: string, now: Date): boolean {
  const at = sqlDate(now);
  const { changes } = sql.run(
    `UPDATE "Case" SET "assigneeId" = @agentId, "previousAgentId" = @agentId, "offeredToId" = NULL, "offeredAt" = NULL, "declinedBy" = '[]',
       "state" = CASE WHEN "state" = 'new' THEN 'open' ELSE "state" END, "updatedAt" = @at
     WHERE "id" = @caseId AND "assigneeId" IS NULL AND "state" IN (${ACTIVE}) AND ("offeredToId" IS NULL OR "offeredToId" = @agentId)`,
    { agentId, at, caseId },
  );
  if (changes === 0) return false;
  touchAgent(sql, agentId, at);
  return true;
}

function touchAgent(sql: Sql, agentId: string, at: string): void {
  sql.run('UPDATE "Agent" SET "lastAssignedAt" = ? WHERE "id" = ?', at, agentId);
}
