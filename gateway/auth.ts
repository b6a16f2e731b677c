import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PrismaClient } from '@prisma/client';
import { findActiveToken, ROLES, type Role } from '../store/token.repository.ts';
import { GatewayError } from './errors.ts';

export interface Actor {
  tokenId: string;
  role: Role;
  agentId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

const CACHE_MS = 10_000;

/** Bearer-token authentication with a short cache, so a busy console does not query per request. */
export function createAuthenticator(db: PrismaClient) {
  const cache = new Map<string, { actor: Actor | null; until: number }>();
  async function lookup(token: string): Promise<Actor | null> {
    const hit = cache.get(token);
    if (hit && hit.until > Date.now()) return hit.actor;
    const row = await findActiveToken(db, token);
    const actor = row ? { tokenId: row.id, role: row.role, agentId: row.agentId } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(token, { actor, until: Date.now() + CACHE_MS });
    return actor;
  }
  return {
    lookup,
    forget: () => cache.clear(),
    /** preHandler factory: the request must carry a token of at least `min` role */
    require(min: Role) {
      return async (req: FastifyRequest, _reply: FastifyReply) => {
        const header = req.headers.authorization ?? '';
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        const queryToken = (req.query as Record<string, unknown> | undefined)?.access_token;
        const token = m?.[1] ?? (typeof queryToken === 'string' ? queryToken : undefined);
        if (!token) throw new GatewayError('UNAUTHORIZED', 'a bearer token is required');
        const actor = await lookup(token);
        if (!actor) throw new GatewayError('UNAUTHORIZED', 'the token is unknown or revoked');
        if (!roleAtLeast(actor.role, min)) throw new GatewayError('FORBIDDEN', `this needs the ${min} role`);
        req.actor = actor;
      };
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}
