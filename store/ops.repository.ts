import { sql } from 'kysely';
import { ACTIVE_STATES } from '../routing/case-state.ts';
import type { Db } from './db.ts';
import type { Executor } from './executor.ts';
import { literals, query } from './query.ts';

export interface OutboxBacklogRow {
  channel: string;
  /** pending entries whose next attempt is due (in flight included) */
  due: number;
  /** pending entries waiting for a later retry */
  waiting: number;
}

const backlogQuery = query((qb, p: { now: Date }) =>
  qb
    .selectFrom('OutboxItem')
    .select([
      'channel',
      sql<number>`sum(CASE WHEN "nextAttemptAt" <= ${p.now} THEN 1 ELSE 0 END)`.as('due'),
      sql<number>`sum(CASE WHEN "nextAttemptAt" > ${p.now} THEN 1 ELSE 0 END)`.as('waiting'),
    ])
    .where('status', '=', 'pending')
    .groupBy('channel'),
);

/**
 * Pending outbox entries per channel. Found through `OutboxItem(status, nextAttemptAt)`; only the pending
 * rows are read, so the cost follows the backlog, not the table's history.
 */
export async function outboxBacklog(x: Executor, now: Date): Promise<OutboxBacklogRow[]> {
  return (await x.all(backlogQuery, { now })).map((r) => ({ channel: r.channel, due: Number(r.due), waiting: Number(r.waiting) }));
}

export interface OpenCaseCount {
  /** the queue's name; null for a case in no queue */
  queue: string | null;
  state: string;
  count: number;
}

const openCasesQuery = query((qb) =>
  qb
    .selectFrom((sub) =>
      sub
        .selectFrom('Case')
        .select((eb) => ['state', 'queueId', eb.fn.countAll<number>().as('n')])
        .where('state', 'in', literals(ACTIVE_STATES))
        .groupBy(['state', 'queueId'])
        .as('g'),
    )
    .leftJoin('Queue as q', 'q.id', 'g.queueId')
    .select(['q.name as queue', 'g.state', 'g.n as count']),
);

/**
 * Cases not yet resolved or closed, per queue and state: counted from the `Case(state, queueId)` index
 * alone, then the few groups are given their queue's name.
 */
export async function openCaseCounts(x: Executor): Promise<OpenCaseCount[]> {
  return (await x.all(openCasesQuery, {})).map((r) => ({ ...r, count: Number(r.count) }));
}

const queueNamesQuery = query((qb) => qb.selectFrom('Queue').select('name'));

/** Every queue's name, so a queue without open cases still reports zero. */
export async function queueNames(x: Executor): Promise<string[]> {
  return (await x.all(queueNamesQuery, {})).map((r) => r.name);
}

/**
 * Proves the store takes writes: an empty write joins the next group commit, so it answers only once the
 * connection is open and the write path (in-process lock, SQLite's write lock) is free to be taken.
 */
export function probeWritePath(db: Db): Promise<void> {
  return db.transaction(async () => undefined);
}
