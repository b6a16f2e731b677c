import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { hashToken } from './token.repository.ts';

export async function createInvitation(x: Executor, i: { token: string; agentId: string; createdBy: string | null; expiresAt: Date }, now: Date): Promise<void> {
  // a new link replaces any earlier one, open or not: one row per agent at most
  await x.runOf((qb) => qb.deleteFrom('Invitation').where('agentId', '=', i.agentId));
  await x.runOf((qb) =>
    qb.insertInto('Invitation').values({ id: newId(now.getTime()), tokenHash: hashToken(i.token), agentId: i.agentId, createdBy: i.createdBy, createdAt: now, expiresAt: i.expiresAt }),
  );
}

/** Uses up the link: the agent it was made for, or null when it is unknown, used or out of date. */
export async function useInvitation(x: Executor, token: string, now: Date): Promise<string | null> {
  const row = await x.firstOf((qb) =>
    qb
      .selectFrom('Invitation as i')
      .innerJoin('Agent as a', 'a.id', 'i.agentId')
      .select(['i.id', 'i.agentId'])
      .where('i.tokenHash', '=', hashToken(token))
      .where('i.usedAt', 'is', null)
      .where('i.expiresAt', '>', now)
      // a link that raced a deactivation sets no password
      .where('a.deactivatedAt', 'is', null),
  );
  if (!row) return null;
  const used = await x.runOf((qb) => qb.updateTable('Invitation').set({ usedAt: now }).where('id', '=', row.id).where('usedAt', 'is', null));
  return used > 0 ? row.agentId : null;
}

/** Whether the link can still be used, and for whom (the page says whose password is being set). */
export async function invitationAgent(x: Executor, token: string, now: Date): Promise<string | null> {
  const row = await x.firstOf((qb) =>
    qb.selectFrom('Invitation').select('agentId').where('tokenHash', '=', hashToken(token)).where('usedAt', 'is', null).where('expiresAt', '>', now),
  );
  return row?.agentId ?? null;
}

/** Ends every link of an agent (a deactivated agent sets no password). */
export function deleteInvitationsOf(x: Executor, agentId: string): Promise<number> {
  return x.runOf((qb) => qb.deleteFrom('Invitation').where('agentId', '=', agentId));
}
