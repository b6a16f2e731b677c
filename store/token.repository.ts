import crypto from 'node:crypto';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { ONE, query } from './query.ts';

export type Role = 'admin' | 'supervisor' | 'agent';
export const ROLES: Role[] = ['agent', 'supervisor', 'admin'];

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function newSecret(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
}

// a token of a deactivated agent does nothing, whatever raced the deactivation
const byHashQuery = query((qb, p: { hash: string }) =>
  qb.selectFrom('ApiToken as t').leftJoin('Agent as a', 'a.id', 't.agentId').select(['t.id', 't.role', 't.agentId', 't.revokedAt', 'a.deactivatedAt']).where('t.tokenHash', '=', p.hash),
);

export async function findActiveToken(x: Executor, token: string) {
  const row = await x.first(byHashQuery, { hash: hashToken(token) });
  return row && !row.revokedAt && !row.deactivatedAt ? { id: row.id, role: row.role as Role, agentId: row.agentId } : null;
}

const byIdQuery = query((qb, p: { id: string }) =>
  qb.selectFrom('ApiToken as t').leftJoin('Agent as a', 'a.id', 't.agentId').select(['t.role', 't.revokedAt', 'a.deactivatedAt']).where('t.id', '=', p.id),
);

export async function findActiveTokenById(x: Executor, id: string) {
  const row = await x.first(byIdQuery, { id });
  return row && !row.revokedAt && !row.deactivatedAt ? { role: row.role as Role } : null;
}

export async function createToken(x: Executor, opts: { role: Role; agentId?: string | null; label?: string }, now: Date) {
  const token = newSecret('sb');
  const id = newId(now.getTime());
  await x.runOf((qb) =>
    qb.insertInto('ApiToken').values({ id, tokenHash: hashToken(token), role: opts.role, agentId: opts.agentId ?? null, label: opts.label ?? null, createdAt: now }),
  );
  return { id, token };
}

/** Revokes a token still active; false when there is none by that id. */
export async function revokeToken(x: Executor, id: string, now: Date): Promise<boolean> {
  return (await x.runOf((qb) => qb.updateTable('ApiToken').set({ revokedAt: now }).where('id', '=', id).where('revokedAt', 'is', null))) > 0;
}

/** A new role for an agent applies to every token of theirs. */
export async function setTokenRoleOfAgent(x: Executor, agentId: string, role: Role): Promise<void> {
  await x.runOf((qb) => qb.updateTable('ApiToken').set({ role }).where('agentId', '=', agentId));
}

/**
 * Makes sure an admin can get in: ADMIN_TOKEN is registered as an admin token; without it, the
 * first start generates one and returns it (to be printed once) — later starts return null.
 */
export async function ensureAdminToken(x: Executor, adminToken: string | undefined, now: Date): Promise<string | null> {
  if (adminToken) {
    const tokenHash = hashToken(adminToken);
    await x.runOf((qb) =>
      qb
        .insertInto('ApiToken')
        .values({ id: newId(now.getTime()), tokenHash, role: 'admin', label: 'ADMIN_TOKEN', createdAt: now })
        .onConflict((oc) => oc.column('tokenHash').doUpdateSet({ role: 'admin', revokedAt: null })),
    );
    return null;
  }
  const any = await x.firstOf((qb) => qb.selectFrom('ApiToken').select('id').where('role', '=', 'admin').where('revokedAt', 'is', null).limit(ONE));
  if (any) return null;
  return (await createToken(x, { role: 'admin', label: 'generated at first start' }, now)).token;
}

export interface TokenView {
  id: string;
  role: string;
  label: string | null;
  agentId: string | null;
  agentName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Every API token, the newest first (never its secret, which is not stored). */
export function listTokens(x: Executor): Promise<TokenView[]> {
  return x.allOf((qb) =>
    qb
      .selectFrom('ApiToken as t')
      .leftJoin('Agent as a', 'a.id', 't.agentId')
      .select(['t.id', 't.role', 't.label', 't.agentId', 'a.name as agentName', 't.createdAt', 't.lastUsedAt', 't.revokedAt'])
      .orderBy('t.createdAt', 'desc')
      .orderBy('t.id', 'desc')
      .limit(1000),
  );
}

/** Notes a token's use, at most once a minute (older notes are moved on; a recent one is left alone). */
export async function touchToken(x: Executor, id: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - 60_000);
  await x.runOf((qb) => qb.updateTable('ApiToken').set({ lastUsedAt: now }).where('id', '=', id).where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', since)])));
}

/** Revokes every token of an agent still in use; returns how many. */
export function revokeTokensOf(x: Executor, agentId: string, now: Date): Promise<number> {
  return x.runOf((qb) => qb.updateTable('ApiToken').set({ revokedAt: now }).where('agentId', '=', agentId).where('revokedAt', 'is', null));
}
