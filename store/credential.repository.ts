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

/**
 * Counts a sign-in attempt before its password is checked, unless the account is paused: the attempts of
 * a burst each take their own number, so none slips past the pause. Returns the attempt's number in the
 * current run of failures, or null while paused.
 */
export async function reserveSignIn(x: Executor, agentId: string, now: Date): Promise<number | null> {
  const row = await x.firstOf((qb) =>
    qb
      .updateTable('AgentCredential')
      .set((eb) => ({ failedSignIns: eb('failedSignIns', '+', 1), updatedAt: now }))
      .where('agentId', '=', agentId)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', now)]))
      .returning('failedSignIns'),
  );
  return row?.failedSignIns ?? null;
}

/** A wrong password: the account pauses until then (never shortening a pause another attempt set). */
export async function pauseSignIn(x: Executor, agentId: string, until: Date, now: Date): Promise<void> {
  await x.runOf((qb) =>
    qb
      .updateTable('AgentCredential')
      .set({ lockedUntil: until, updatedAt: now })
      .where('agentId', '=', agentId)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', until)])),
  );
}

export async function noteSignedIn(x: Executor, agentId: string, now: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('AgentCredential').set({ failedSignIns: 0, lockedUntil: null, updatedAt: now }).where('agentId', '=', agentId));
}

/** The agent signs in no more until they set a password again (through a new invitation). */
export async function forgetPassword(x: Executor, agentId: string): Promise<void> {
  await x.runOf((qb) => qb.deleteFrom('AgentCredential').where('agentId', '=', agentId));
}
