import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../store/executor.ts';
import type { WebSocket } from 'ws';
import { findActiveToken, findActiveTokenById, ROLES, type Role } from '../store/token.repository.ts';
import { GatewayError } from './errors.ts';

export interface Actor {
  tokenId: string;
  role: Role;
  agentId: string | null;
}

/** Who did it, as audit trails name them: the agent, or the token of an integration. */
export function actorName(actor: Actor): string {
  return actor.agentId ?? `token:${actor.tokenId}`;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

const CACHE_MS = 10_000;
/** an unknown token is remembered briefly only: a token made a moment ago (npm run token) works at once */
const UNKNOWN_CACHE_MS = 1_000;
/** how often open streams are checked against the store: a revoked token's streams close within this */
const STREAM_CHECK_MS = 500;
const BEARER = /^Bearer\s+(\S{1,512})\s*$/iu;

export interface AuthenticatorOptions {
  log?: { warn(obj: object, msg: string): void };
}

/**
 * Bearer-token authentication, run as an `onRequest` hook: a request without a valid token is
 * answered before its body is read. Tokens come from the Authorization header; a query-string token
 * (`access_token`) is taken only on WebSocket upgrades, which browsers cannot give a header.
 * Open streams are re-checked against the store, so revoking a token or changing its role closes them.
 */
export function createAuthenticator(db: Executor, options: AuthenticatorOptions = {}) {
  const cache = new Map<string, { actor: Actor | null; until: number }>();
  const streams = new Map<WebSocket, Actor>();
  let checking = false;

  async function lookup(token: string): Promise<Actor | null> {
    const hit = cache.get(token);
    if (hit && hit.until > Date.now()) return hit.actor;
    const row = await findActiveToken(db, token);
    const actor = row ? { tokenId: row.id, role: row.role, agentId: row.agentId } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(token, { actor, until: Date.now() + (actor ? CACHE_MS : UNKNOWN_CACHE_MS) });
    return actor;
  }

  async function authenticate(req: FastifyRequest, token: string | undefined, min: Role): Promise<void> {
    if (!token) throw new GatewayError('UNAUTHORIZED', 'a bearer token is required');
    const actor = await lookup(token);
    if (!actor) throw new GatewayError('UNAUTHORIZED', 'the token is unknown or revoked');
    if (!roleAtLeast(actor.role, min)) throw new GatewayError('FORBIDDEN', `this needs the ${min} role`);
    req.actor = actor;
  }

  /** Closes every stream whose token was revoked or whose role changed since it connected. */
  async function checkStreams(): Promise<void> {
    if (checking || streams.size === 0) return;
    checking = true;
    try {
      const byToken = new Map<string, Array<[WebSocket, Actor]>>();
      for (const entry of streams) {
        const list = byToken.get(entry[1].tokenId) ?? [];
        list.push(entry);
        byToken.set(entry[1].tokenId, list);
      }
      for (const [tokenId, list] of byToken) {
        const row = await findActiveTokenById(db, tokenId);
        for (const [ws, actor] of list) {
          if (row && row.role === actor.role) continue;
          streams.delete(ws);
          ws.close(4401, row ? 'role changed: connect again' : 'token revoked');
        }
      }
    } catch (err) {
      options.log?.warn({ err }, 'stream token check failed');
    } finally {
      checking = false;
    }
  }
  const timer = setInterval(() => void checkStreams(), STREAM_CHECK_MS);
  timer.unref();

  return {
    lookup,
    /** after a token or role change: drop cached answers and re-check open streams now */
    forget() {
      cache.clear();
      void checkStreams();
    },
    /** onRequest hook: the request must carry `Authorization: Bearer <token>` of at least `min` role */
    require(min: Role) {
      return async (req: FastifyRequest, _reply: FastifyReply) => {
        await authenticate(req, bearerOf(req.headers.authorization), min);
      };
    },
    /** onRequest hook for WebSocket upgrades: the header, or `?access_token=` where a browser cannot send one */
    requireOnUpgrade(min: Role) {
      return async (req: FastifyRequest, _reply: FastifyReply) => {
        const query = (req.query as Record<string, unknown> | undefined)?.access_token;
        await authenticate(req, bearerOf(req.headers.authorization) ?? (typeof query === 'string' ? query : undefined), min);
      };
    },
    /** keeps `ws` open only while the token that opened it stays active with the same role */
    trackStream(ws: WebSocket, actor: Actor) {
      streams.set(ws, actor);
      ws.once('close', () => streams.delete(ws));
    },
    close() {
      clearInterval(timer);
      streams.clear();
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

export function bearerOf(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1];
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}
