/**
 * What queue and agent statistics read: aggregates computed by the database over indexed ranges (the
 * waiting cases of each queue, the cases opened or resolved since a moment), never rows shipped to be
 * counted here.
 */
import { sql, type RawBuilder } from 'kysely';
import { WAITING_STATES } from '../routing/case-state.ts';
import type { Executor } from './executor.ts';
import { literals, query, type DialectName } from './query.ts';

/** Seconds from `from` to `to` (two timestamp columns or expressions), in the engine's own arithmetic. */
function secondsBetween(from: RawBuilder<unknown>, to: RawBuilder<unknown>, d: DialectName): RawBuilder<number> {
  return d === 'postgres' ? sql<number>`extract(epoch from (${to} - ${from}))` : sql<number>`((julianday(${to}) - julianday(${from})) * 86400.0)`;
}

function param(d: DialectName, at: Date): RawBuilder<unknown> {
  // SQLite keeps dates as ISO text (the store's own format), which julianday reads
  return d === 'postgres' ? sql`${at}::timestamptz` : sql`${at}`;
}

export interface QueueWaiting {
  queueId: string;
  waiting: number;
  offered: number;
  /** seconds the longest waiting case has waited */
  longestWait: number;
  averageWait: number;
}

const waitingQuery = query((_qb, p: { now: Date }, d) => {
  const since = sql`coalesce("waitingSince", "createdAt")`;
  const wait = secondsBetween(since, param(d, p.now), d);
  return sql<QueueWaiting>`SELECT "queueId", count(*) AS "waiting", sum(CASE WHEN "offeredToId" IS NULL THEN 0 ELSE 1 END) AS "offered",
      max(${wait}) AS "longestWait", avg(${wait}) AS "averageWait"
    FROM "Case" WHERE "assigneeId" IS NULL AND "state" IN (${sql.join(literals(WAITING_STATES))}) AND "queueId" IS NOT NULL
    GROUP BY "queueId"`;
});

/** Per queue: the cases waiting for an agent (offered or not) and how long they have waited. */
export async function queueWaiting(x: Executor, now: Date): Promise<QueueWaiting[]> {
  return (await x.all(waitingQuery, { now })).map((r) => ({
    queueId: r.queueId,
    waiting: Number(r.waiting),
    offered: Number(r.offered ?? 0),
    longestWait: Math.max(0, Math.round(Number(r.longestWait ?? 0))),
    averageWait: Math.max(0, Math.round(Number(r.averageWait ?? 0))),
  }));
}

export interface ServiceLevelCounts {
  queueId: string;
  /** answered within the queue's target */
  inTime: number;
  /** answered after it, or still unanswered past it */
  late: number;
}

const serviceLevelQuery = query((_qb, p: { since: Date; now: Date }, d) => {
  const target = sql`q."serviceLevelSeconds"`;
  const answeredIn = secondsBetween(sql`c."createdAt"`, sql`c."firstAnsweredAt"`, d);
  const waited = secondsBetween(sql`c."createdAt"`, param(d, p.now), d);
  return sql<ServiceLevelCounts>`SELECT c."queueId",
      sum(CASE WHEN c."firstAnsweredAt" IS NOT NULL AND ${answeredIn} <= ${target} THEN 1 ELSE 0 END) AS "inTime",
      sum(CASE WHEN (c."firstAnsweredAt" IS NOT NULL AND ${answeredIn} > ${target}) OR (c."firstAnsweredAt" IS NULL AND ${waited} > ${target}) THEN 1 ELSE 0 END) AS "late"
    FROM "Queue" q JOIN "Case" c ON c."queueId" = q."id" AND c."createdAt" >= ${p.since}
    GROUP BY c."queueId"`;
});

/**
 * Per queue, of the cases it opened since `since`: how many were answered within the queue's target and
 * how many were not (answered later, or unanswered past it); those still within it count in neither.
 */
export async function serviceLevels(x: Executor, since: Date, now: Date): Promise<ServiceLevelCounts[]> {
  return (await x.all(serviceLevelQuery, { since, now })).map((r) => ({ queueId: r.queueId, inTime: Number(r.inTime ?? 0), late: Number(r.late ?? 0) }));
}

export interface AgentHandled {
  agentId: string;
  resolved: number;
  /** average seconds from taking a case to resolving it */
  averageHandle: number;
}

const handledQuery = query((_qb, p: { since: Date }, d) => {
  const handle = secondsBetween(sql`coalesce("assignedAt", "createdAt")`, sql`"resolvedAt"`, d);
  return sql<AgentHandled>`SELECT "assigneeId" AS "agentId", count(*) AS "resolved", avg(${handle}) AS "averageHandle"
    FROM "Case" WHERE "resolvedAt" >= ${p.since} AND "assigneeId" IS NOT NULL GROUP BY "assigneeId"`;
});

/** Per agent: the cases they resolved since `since` and how long they held them on average. */
export async function agentsHandled(x: Executor, since: Date): Promise<AgentHandled[]> {
  return (await x.all(handledQuery, { since })).map((r) => ({ agentId: r.agentId, resolved: Number(r.resolved), averageHandle: Math.max(0, Math.round(Number(r.averageHandle ?? 0))) }));
}

const offersPerAgentQuery = query((qb) =>
  qb.selectFrom('Case').select(['offeredToId', (eb) => eb.fn.countAll<number>().as('n')]).where('offeredToId', 'is not', null).where('assigneeId', 'is', null).groupBy('offeredToId'),
);
const broadcastPerAgentQuery = query((qb) => qb.selectFrom('BroadcastOffer').select(['agentId', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('agentId'));

/** Open offers per agent: the cases' own and broadcasts' further ones. */
export async function offersPerAgent(x: Executor): Promise<Map<string, number>> {
  const offers = new Map((await x.all(offersPerAgentQuery, {})).map((r) => [r.offeredToId!, Number(r.n)]));
  for (const r of await x.all(broadcastPerAgentQuery, {})) offers.set(r.agentId, (offers.get(r.agentId) ?? 0) + Number(r.n));
  return offers;
}
