import { sqlDate, type Sql } from './sql.ts';

/** Providers retry a delivery within hours at most; ids older than this cannot come back. */
export const EVENT_ID_RETENTION_MS = 7 * 24 * 3600 * 1000;
const PRUNE_EVERY = 1000;
let recordedSincePrune = 0;

/**
 * Records a provider's event id; false when it was recorded before (a retry or a duplicate delivery).
 * Every thousandth new id also drops the ids past retention, so the table stays the size of a week.
 */
export function recordEventOnce(sql: Sql, eventId: string, now: Date): boolean {
  const fresh = sql.run('INSERT INTO "ProcessedEvent" ("id", "createdAt") VALUES (?, ?) ON CONFLICT ("id") DO NOTHING', eventId, sqlDate(now)).changes === 1;
  if (fresh && ++recordedSincePrune >= PRUNE_EVERY) {
    recordedSincePrune = 0;
    pruneEventIds(sql, now);
  }
  return fresh;
}

export function pruneEventIds(sql: Sql, now: Date): number {
  return sql.run('DELETE FROM "ProcessedEvent" WHERE "createdAt" < ?', sqlDate(new Date(now.getTime() - EVENT_ID_RETENTION_MS))).changes;
}
