import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { query } from './query.ts';
import { hashToken } from './token.repository.ts';
import type { Role } from './token.repository.ts';

/** A signed-in browser as a request sees it: whose, in which role, until when. */
export interface ActiveSession {
  id: string;
  agentId: string;
  role: Role;
  lastSeenAt: Date;
  expiresAt: Date;
  createdAt: Date;
}

export async function createSession(
  x: Executor,
  s: { token: string; agentId: string; userAgent: string | null; expiresAt: Date },
  now: Date,
): Promise<string> {
  const id = newId(now.getTime());
  // the agent's ended sessions (signed out, or idle or old past their end) go: nothing reads them again
  await x.runOf((qb) => qb.deleteFrom('Session').where('agentId', '=', s.agentId).where((eb) => eb.or([eb('revokedAt', 'is not', null), eb('expiresAt', '<=', now)])));
  await x.runOf((qb) =>
    qb.insertInto('Session').values({
      id,
      tokenHash: hashToken(s.token),
      agentId: s.agentId,
      userAgent: s.userAgent,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: s.expiresAt,
    }),
  );
  return id;
}

const activeQuery = query((qb, p: { hash: string; now: Date }) =>
  qb
    .selectFrom('Session')
    .innerJoin('Agent', 'Agent.id', 'Session.agentId')
    .select(['Session.id', 'Session.agentId', 'Agent.role', 'Session.lastSeenAt', 'Session.expiresAt', 'Session.createdAt'])
    .where('Session.tokenHash', '=', p.hash)
    .where('Session.revokedAt', 'is', null)
    // a deactivated agent's session ends with the deactivation, whatever raced it
    .where('Agent.deactivatedAt', 'is', null)
    .where('Session.expiresAt', '>', p.now),
);

/** The session of a cookie's token, unless it was signed out or ran out. */
export async function findActiveSession(x: Executor, token: string, now: Date): Promise<ActiveSession | null> {
  const row = await x.first(activeQuery, { hash: hashToken(token), now });
  return row ? { ...row, role: row.role as Role } : null;
}

const byIdQuery = query((qb, p: { id: string; now: Date }) =>
  qb
    .selectFrom('Session')
    .innerJoin('Agent', 'Agent.id', 'Session.agentId')
    .select(['Agent.role'])
    .where('Session.id', '=', p.id)
    .where('Session.revokedAt', 'is', null)
    .where('Agent.deactivatedAt', 'is', null)
    .where('Session.expiresAt', '>', p.now),
);

/** The role a session still has, or null once it is signed out or ran out (open streams close then). */
export async function activeSessionRole(x: Executor, id: string, now: Date): Promise<Role | null> {
  return ((await x.first(byIdQuery, { id, now }))?.role as Role | undefined) ?? null;
}

/** Use moves the idle end on (callers do it at most once a minute per session). */
export async function touchSession(x: Executor, id: string, now: Date, expiresAt: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('Session').set({ lastSeenAt: now, expiresAt }).where('id', '=', id).where('revokedAt', 'is', null));
}

export async function revokeSession(x: Executor, id: string, now: Date): Promise<boolean> {
  return (await x.runOf((qb) => qb.updateTable('Session').set({ revokedAt: now }).where('id', '=', id).where('revokedAt', 'is', null))) > 0;
}

/** Signs the agent out everywhere; returns how many sessions ended. */
export async function revokeSessionsOf(x: Executor, agentId: string, now: Date): Promise<number> {
  return x.runOf((qb) => qb.updateTable('Session').set({ revokedAt: now }).where('agentId', '=', agentId).where('revokedAt', 'is', null));
}
