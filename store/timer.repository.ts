import type { Executor } from './executor.ts';
import { ONE, query } from './query.ts';

/** A durable moment at which something must happen; `key` names what for (one timer per key). */
export interface TimerRow {
  key: string;
  kind: string;
  dueAt: Date;
  attempts: number;
}

const scheduleQuery = query((qb, p: { key: string; kind: string; dueAt: Date; now: Date }) =>
  qb
    .insertInto('Timer')
    .values({ key: p.key, kind: p.kind, dueAt: p.dueAt, attempts: 0, createdAt: p.now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ kind: p.kind, dueAt: p.dueAt, attempts: 0 })),
);
const cancelQuery = query((qb, p: { key: string }) => qb.deleteFrom('Timer').where('key', '=', p.key));

/** Sets (or moves) the timer `key` to `dueAt`, in the caller's transaction. */
export async function scheduleTimer(tx: Executor, t: { key: string; kind: string; dueAt: Date }, now: Date): Promise<void> {
  await tx.run(scheduleQuery, { ...t, now });
}

export async function cancelTimer(tx: Executor, key: string): Promise<void> {
  await tx.run(cancelQuery, { key });
}

/** exported so its plan can be checked at scale */
export const dueTimersQuery = query((qb, p: { now: Date; limit: number }) =>
  qb.selectFrom('Timer').select(['key', 'kind', 'dueAt', 'attempts']).where('dueAt', '<=', p.now).orderBy('dueAt').limit(p.limit),
);

/** Timers due at `now`, earliest first (an index range scan on dueAt). */
export async function dueTimers(x: Executor, now: Date, limit: number): Promise<TimerRow[]> {
  return x.all(dueTimersQuery, { now, limit });
}

const nextQuery = query((qb) => qb.selectFrom('Timer').select('dueAt').orderBy('dueAt').limit(ONE));

/** The earliest due time of any timer; null when none is set. */
export async function nextTimerDue(x: Executor): Promise<Date | null> {
  return (await x.first(nextQuery, {}))?.dueAt ?? null;
}

const claimQuery = query((qb, p: { key: string; now: Date }) => qb.deleteFrom('Timer').where('key', '=', p.key).where('dueAt', '<=', p.now));

/**
 * Takes a due timer in the caller's transaction: removes it, so whatever the transaction then does happens
 * once. False when another instance fired it first, or it was moved later meanwhile.
 */
export async function claimTimer(tx: Executor, key: string, now: Date): Promise<boolean> {
  return (await tx.run(claimQuery, { key, now })) === 1;
}

const postponeQuery = query((qb, p: { key: string; dueAt: Date; attempts: number }) =>
  qb.updateTable('Timer').set({ dueAt: p.dueAt, attempts: p.attempts }).where('key', '=', p.key),
);

/** A firing that failed: tried again at `dueAt`. */
export async function postponeTimer(tx: Executor, key: string, dueAt: Date, attempts: number): Promise<void> {
  await tx.run(postponeQuery, { key, dueAt, attempts });
}
