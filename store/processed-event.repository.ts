import { sqlDate, type Sql } from './sql.ts';

/** Records a provider's event id; false when it was recorded before (a retry or a duplicate delivery). */
export function recordEventOnce(sql: Sql, eventId: string, now: Date): boolean {
  return sql.run('INSERT INTO "ProcessedEvent" ("id", "createdAt") VALUES (?, ?) ON CONFLICT ("id") DO NOTHING', eventId, sqlDate(now)).changes === 1;
}
