import type { Db } from './db.ts';
import { sqlDate, sqlList, type Sql } from './sql.ts';
import { ACTIVE_STATES } from './case.repository.ts';

export interface OutboxBacklogRow {
  channel: string;
  /** pending entries whose next attempt is due (in flight included) */
  due: number;
  /** pending entries waiting for a later retry */
  waiting: number;
}

/**
 * Pending outbox entries per channel. Found through `OutboxItem(status, nextAttemptAt)`; only the pending
 * rows are read, so the cost follows the backlog, not the table's history.
 */
export function outboxBacklog(sql: Sql, now: Date): OutboxBacklogRow[] {
  return sql.all<OutboxBacklogRow>(
    `SELECT "channel", sum("nextAttemptAt" <= @now) AS "due", sum("nextAttemptAt" > @now) AS "waiting"
     FROM "OutboxItem" WHERE "status" = 'pending' GROUP BY "channel"`,
    { now: sqlDate(now) },
  );
}

export interface OpenCaseCount {
  /** the queue's name; null for a case in no queue */
  queue: string | null;
  state: string;
  count: number;
}

/**
 * Cases not yet resolved or closed, per queue and state: counted from the `Case(state, queueId)` index
 * alone, then the few groups are given their queue's name.
 */
export function openCaseCounts(sql: Sql): OpenCaseCount[] {
  return sql.all<OpenCaseCount>(
    `SELECT q."name" AS "queue", g."state", g."n" AS "count"
     FROM (SELECT "state", "queueId", count(*) AS "n" FROM "Case" WHERE "state" IN (${sqlList(ACTIVE_STATES)}) GROUP BY "state", "queueId") g
     LEFT JOIN "Queue" q ON q."id" = g."queueId"`,
  );
}

/** Every queue's name, so a queue without open cases still reports zero. */
export function queueNames(sql: Sql): string[] {
  return sql.all<{ name: string }>('SELECT "name" FROM "Queue"').map((r) => r.name);
}

/**
 * Proves the store takes writes: an empty write joins the next group commit, so it answers only once the
 * connection is open and the write path (in-process lock, SQLite's write lock) is free to be taken.
 */
export function probeWritePath(db: Db): Promise<void> {
  return db.writeNow((sql) => {
    sql.get('SELECT 1');
  });
}
