import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';

export type Role = 'admin' | 'supervisor' | 'agent';
export const ROLES: Role[] = ['agent', 'supervisor', 'admin'];

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function newSecret(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
}

export async function findActiveToken(db: PrismaClient, token: string) {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, role: true, agentId: true, revokedAt: true },
  });
  return row && !row.revokedAt ? { id: row.id, role: row.role as Role, agentId: row.agentId } : null;
}

export async function createToken(tx: Tx, opts: { role: Role; agentId?: string | null; label?: string }) {
  const token = newSecret('sb');
  const row = await tx.apiToken.create({
    data: { tokenHash: hashToken(token), role: opts.role, agentId: opts.agentId ?? null, label: opts.label ?? null },
    select: { id: true },
  });
  return { id: row.id, token };
}

/**
 * Makes sure an admin can get in: ADMIN_TOKEN is registered as an admin token; without it, the
 * first start generates one and returns it (to be printed once) — later starts return null.
 */
export async function ensureAdminToken(tx: Tx, adminToken: string | undefined): Promise<string | null> {
  if (adminToken) {
    await tx.apiToken.upsert({
      where: { tokenHash: hashToken(adminToken) },
      create: { tokenHash: hashToken(adminToken), role: 'admin', label: 'ADMIN_TOKEN' },
      update: { role: 'admin', revokedAt: null },
    });
    return null;
  }
  const any = await tx.apiToken.findFirst({ where: { role: 'admin', revokedAt: null }, select: { id: true } });
  if (any) return null;
  return (await createToken(tx, { role: 'admin', label: 'generated at first start' })).token;
}

export async function findActiveTokenById(db: PrismaClient, id: string) {
  const row = await db.apiToken.findUnique({ where: { id }, select: { role: true, revokedAt: true } });
  return row && !row.revokedAt ? { role: row.role as Role } : null;
}
