import type { Executor } from './executor.ts';

/** What signing in needs to know about an agent found by email. */
export interface SignInRecord {
  agentId: string;
  passwordHash: string | null;
  failedSignIns: number;
  lockedUntil: Date | null;
}

export async function signInRecordByEmail(x: Executor, email: string): Promise<SignInRecord | null> {
  const row = await x.firstOf((qb) =>
    qb
      .selectFrom('Agent')
      .leftJoin('AgentCredential', 'AgentCredential.agentId', 'Agent.id')
      .select(['Agent.id as agentId', 'AgentCredential.passwordHash', 'AgentCredential.failedSignIns', 'AgentCredential.lockedUntil'])
      .where('Agent.email', '=', email.toLowerCase()),
  );
  return row ? { agentId: row.agentId, passwordHash: row.passwordHash ?? null, failedSignIns: row.failedSignIns ?? 0, lockedUntil: row.lockedUntil ?? null } : null;
}

export async function setPassword(x: Executor, agentId: string, passwordHash: string, now: Date): Promise<void> {
  await x.runOf((qb) =>
    qb
      .insertInto('AgentCredential')
      .values({ agentId, passwordHash, failedSignIns: 0, lockedUntil: null, updatedAt: now })
      .onConflict((oc) => oc.column('agentId').doUpdateSet({ passwordHash, failedSignIns: 0, lockedUntil: null, updatedAt: now })),
  );
}

/** A wrong password: counted, and from `freeTries` on each adds to a pause before the next try. */
export async function noteFailedSignIn(x: Executor, agentId: string, lockedUntil: Date | null, now: Date): Promise<void> {
  await x.runOf((qb) =>
    qb
      .updateTable('AgentCredential')
      .set((eb) => ({ failedSignIns: eb('failedSignIns', '+', 1), lockedUntil, updatedAt: now }))
      .where('agentId', '=', agentId),
  );
}

export async function noteSignedIn(x: Executor, agentId: string, now: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('AgentCredential').set({ failedSignIns: 0, lockedUntil: null, updatedAt: now }).where('agentId', '=', agentId));
}
