import type { Executor } from './executor.ts';
import { query } from './query.ts';

const freeAtQuery = query((qb, p: { key: string }) => qb.selectFrom('SendTurn').select('freeAt').where('key', '=', p.key));
const setFreeAtQuery = query((qb, p: { key: string; freeAt: Date }) =>
  qb
    .insertInto('SendTurn')
    .values({ key: p.key, freeAt: p.freeAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ freeAt: p.freeAt })),
);

const MAX_AHEAD_MS = 10 * 60_000;

/** One sender's turns: each starts at least `gapMs` after the one before. */
export interface TurnSlot {
  key: string;
  gapMs: number;
}

/**
 * Takes the first start at which every slot's sender is free (now at the earliest) and books each slot's
 * next turn `gapMs` after it. Run in a write transaction: the store's one writer at a time makes the
 * read-and-book atomic across instances.
 */
export async function takeSendTurn(tx: Executor, slots: readonly TurnSlot[], now: Date): Promise<Date> {
  let start = now.getTime();
  for (const slot of slots) {
    const row = await tx.first(freeAtQuery, { key: slot.key });
    const freeAt = row?.freeAt.getTime() ?? 0;
    // Turns are booked only for sends in hand (a few per instance), so a sender free only far ahead means
    // a clock was set back since (NTP, an injected clock): that booking no longer says anything.
    if (freeAt - start <= MAX_AHEAD_MS) start = Math.max(start, freeAt);
  }
  for (const slot of slots) await tx.run(setFreeAtQuery, { key: slot.key, freeAt: new Date(start + slot.gapMs) });
  return new Date(start);
}
