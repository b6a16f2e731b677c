import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../store/executor.ts';
import type { WebSocket } from 'ws';
import { findActiveToken, findActiveTokenById, ROLES, type Role } from '../store/token.repository.ts';
import { activeSessionRole, type ActiveSession } from '../store/session.repository.ts';
import { GatewayError } from './errors.ts';

export interface Actor {
  /** the API token's id, or the session's for a person signed in to the workspace */
  tokenId: string;
  role: Role;
  agentId: string | null;
  /** set when a signed-in person (session cookie) made the request, not an integration's token */
  sessionId?: string;
}

/** The cookie a signed-in person's browser sends; httpOnly, SameSite=Strict. */
export const SESSION_COOKIE = 'sb_session';
/** The header that carries the session's CSRF token on every request that changes something. */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How the authenticator finds a session by its cookie (the sign-in service), and checks a CSRF token. */
export interface SessionResolver {
  resolve(token: string): Promise<ActiveSession | null>;
  csrfMatches(token: string, sent: string | undefined): boolean;
}

/** Who did it, as audit trails name them: the agent, or the token of an integration. */
export function actorName(actor: Actor): string {
  return actor.agentId ?? `token:${actor.tokenId}`;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    /** the session the cookie named, as authentication found it (people in the workspace only) */
    session?: ActiveSession;
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
  sessions?: SessionResolver;
  now?: () => Date;
  /** PUBLIC_URL: behind a proxy, the origin pages come from may not be the Host the gateway sees */
  publicUrl?: string;
  /** records a token's use (called when a token is read from the store, so at most once per cache period) */
  tokenUsed?: (tokenId: string) => Promise<void>;
}

/**
 * Authentication, run as an `onRequest` hook: a request without a valid token or session is answered
 * before its body is read. Integrations send a bearer token in the Authorization header (a query-string
 * `access_token` is taken only on WebSocket upgrades, which browsers cannot give a header); people in the
 * workspace send the session cookie, with the session's CSRF token on every request that changes
 * something, and a WebSocket opened with the cookie must come from this origin.
 * Open streams are re-checked against the store, so revoking a token or session, or changing a role, closes them.
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
    // its last use, for admins deciding what to revoke; a failed write costs the request nothing
    if (row && options.tokenUsed) options.tokenUsed(row.id).catch((err: unknown) => options.log?.warn({ err, tokenId: row.id }, 'a token’s last use could not be recorded'));
    if (cache.size > 10_000) cache.clear();
    cache.set(token, { actor, until: Date.now() + (actor ? CACHE_MS : UNKNOWN_CACHE_MS) });
    return actor;
  }

  async function authenticate(req: FastifyRequest, token: string | undefined, min: Role, upgrade = false): Promise<void> {
    const cookie = token ? undefined : sessionCookieOf(req);
    if (!token && !cookie) throw new GatewayError('UNAUTHORIZED', 'a bearer token or a signed-in session is required');
    const actor = token ? await lookup(token) : await sessionActor(req, cookie!, upgrade);
    if (!actor) throw new GatewayError('UNAUTHORIZED', token ? 'the token is unknown or revoked' : 'the session ended: sign in again');
    if (!roleAtLeast(actor.role, min)) throw new GatewayError('FORBIDDEN', `this needs the ${min} role`);
    req.actor = actor;
  }

  async function sessionActor(req: FastifyRequest, cookie: string, upgrade: boolean): Promise<Actor | null> {
    if (!options.sessions) return null;
    const session = await options.sessions.resolve(cookie);
    if (!session) return null;
    // SameSite=Strict keeps the cookie off other sites' requests; the token proves the page is ours all the same
    if (!upgrade && !SAFE_METHODS.has(req.method) && !options.sessions.csrfMatches(cookie, headerOf(req, CSRF_HEADER))) {
      throw new GatewayError('CSRF_TOKEN_INVALID', `a change made with a session needs the session's CSRF token in the ${CSRF_HEADER} header (GET /auth/session gives it)`);
    }
    // a page on another site may open a WebSocket with our cookie: only our own pages may
    if (upgrade && !sameOrigin(req, options.publicUrl)) throw new GatewayError('FORBIDDEN', 'a stream opened with a session must come from this site');
    req.session = session;
    return { tokenId: session.id, sessionId: session.id, role: session.role, agentId: session.agentId };
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
        const role = list[0]![1].sessionId ? await activeSessionRole(db, tokenId, (options.now ?? (() => new Date()))()) : (await findActiveTokenById(db, tokenId))?.role;
        for (const [ws, actor] of list) {
          if (role && role === actor.role) continue;
          streams.delete(ws);
          // 4409: still signed in, with another role (the page connects again and shows what the role opens); 4401: signed out
          if (role) ws.close(4409, 'role changed: connect again');
          else ws.close(4401, actor.sessionId ? 'signed out' : 'token revoked');
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
        await authenticate(req, bearerOf(req.headers.authorization) ?? (typeof query === 'string' ? query : undefined), min, true);
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

function sessionCookieOf(req: FastifyRequest): string | undefined {
  const value = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE];
  return value && value.length <= 512 ? value : undefined;
}

function headerOf(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whether the browser says the request comes from a page of this very host (the Origin header). */
function sameOrigin(req: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = headerOf(req, 'origin');
  if (!origin) return false;
  try {
    const host = new URL(origin).host;
    return host === req.headers.host || (publicUrl !== undefined && host === new URL(publicUrl).host);
  } catch {
    return false;
  }
}

export function bearerOf(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1];
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}
