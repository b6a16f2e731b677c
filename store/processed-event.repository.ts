import type { Executor } from './executor.ts';
import { query } from './query.ts';

/** Providers retry a delivery within hours at most; ids older than this cannot come back. */
export const EVENT_ID_RETENTION_MS = 7 * 24 * 3600 * 1000;
const PRUNE_EVERY = 1000;
let recordedSincePrune = 0;

const recordQuery = query((qb, p: { id: string; now: Date }) =>
  qb.insertInto('ProcessedEvent').values({ id: p.id, createdAt: p.now }).onConflict((oc) => oc.column('id').doNothing()),
);
const pruneQuery = query((qb, p: { before: Date }) => qb.deleteFrom('ProcessedEvent').where('createdAt', '<', p.before));

/**
 * Records a provider's event id; false when it was recorded before (a retry or a duplicate delivery).
 * Every thousandth new id also drops the ids past retention, so the table stays the size of a week.
 */
export async function recordEventOnce(x: Executor, eventId: string, now: Date): Promise<boolean> {
  const fresh = (await x.run(recordQuery, { id: eventId, now })) === 1;
  if (fresh && ++recordedSincePrune >= PRUNE_EVERY) {
    recordedSincePrune = 0;
    await pruneEventIds(x, now);
  }
  return fresh;
}

export function pruneEventIds(x: Executor, now: Date): Promise<number> {
  return x.run(pruneQuery, { before: new Date(now.getTime() - EVENT_ID_RETENTION_MS) });
}

export async function eventRecorded(x: Executor, eventId: string): Promise<boolean> {
  return (await x.firstOf((qb) => qb.selectFrom('ProcessedEvent').select('id').where('id', '=', eventId))) !== undefined;
}
