import crypto from 'node:crypto';
import type { Db } from '../../store/db.ts';
import type { Executor } from '../../store/executor.ts';
import { newSecret, type Role } from '../../store/token.repository.ts';
import { createSession, findActiveSession, revokeSession, revokeSessionsOf, touchSession, type ActiveSession } from '../../store/session.repository.ts';
import { noteSignedIn, pauseSignIn, reserveSignIn, setPassword, signInRecordByEmail } from '../../store/credential.repository.ts';
import { createInvitation, invitationAgent, useInvitation } from '../../store/invitation.repository.ts';
import { agentById, type AgentView } from '../../store/directory.repository.ts';
import { agentView } from '../directory/directory.service.ts';
import { GatewayError } from '../errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password-hash.ts';

import type { InvitationMailer } from './invitation-mail.ts';

export interface SignInServiceDeps {
  db: Db;
  now: () => Date;
  config: { publicUrl: string; sessionIdleMinutes: number; sessionMaxDays: number; invitationHours: number };
  /** mails invitation links; absent when outbound SMTP is not set */
  mailInvitation?: InvitationMailer;
}

/** What the workspace learns about its session: who, in which role, the CSRF token for its writes, until when. */
export interface SessionView {
  agent: AgentView;
  role: Role;
  csrfToken: string;
  expiresAt: string;
}

/** A session just opened: its token goes into the cookie, never into a body. */
export interface OpenedSession {
  token: string;
  view: SessionView;
}

// a failed sign-in from the fifth in a row on pauses the account, twice as long each time, up to 15 minutes
const FREE_TRIES = 5;
const FIRST_PAUSE_MS = 30_000;
const LONGEST_PAUSE_MS = 15 * 60_000;
const UNKNOWN_LIMIT = 10_000;
/** The pause after the `n`th attempt in a row (from the fifth): 30 s, doubling, at most 15 minutes. */
const pauseAfter = (n: number, now: Date) => new Date(now.getTime() + Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (n - FREE_TRIES)));
const unknownKey = (email: string) => crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
// how stale lastSeenAt may grow before a request moves the idle end on: one write a minute per session at most
const TOUCH_EVERY_MS = 60_000;

/**
 * The CSRF token of a session, derived from the session's own token: the page gets it from /auth/session
 * and sends it back in X-CSRF-Token; another site can neither read it nor compute it without the httpOnly
 * cookie. Derived rather than stored, so any instance checks it without a lookup.
 */
export function csrfTokenOf(sessionToken: string): string {
  return crypto.createHmac('sha256', sessionToken).update('switchboard csrf').digest('base64url');
}

/** Compares a sent CSRF token with the session's in constant time. */
export function csrfTokenMatches(sessionToken: string, sent: string | undefined): boolean {
  if (!sent) return false;
  const want = Buffer.from(csrfTokenOf(sessionToken));
  const got = Buffer.from(sent);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

/** People in the workspace: sign-in with email and password, sessions, invitations to set a password. */
export class SignInService {
  constructor(private readonly deps: SignInServiceDeps) {}

  async signIn(email: string, password: string, userAgent: string | null): Promise<OpenedSession> {
    const now = this.deps.now();
    const record = await signInRecordByEmail(this.deps.db.read, email);
    const known = record?.passwordHash ? record : null;
    // The attempt is counted, and from the fifth in a row the next ones paused, before the hash is checked
    // (one transaction at a time): a burst of guesses gets five at most. An email nobody signs in with is
    // counted in memory the same way.
    const attempt = known
      ? await this.deps.db.transaction(async (tx) => {
          const n = await reserveSignIn(tx, known.agentId, now);
          if (n !== null && n >= FREE_TRIES) await pauseSignIn(tx, known.agentId, pauseAfter(n, now), now);
          return n;
        })
      : this.unknownAttempt(email, now);
    if (attempt === null) {
      const until = known ? ((await signInRecordByEmail(this.deps.db.read, email))?.lockedUntil ?? now) : (this.unknown.get(unknownKey(email))?.until ?? now);
      throw new GatewayError('RATE_LIMITED', `too many failed sign-ins for this email: try again in ${Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))} s`);
    }
    // the hash is checked outside any transaction: tens of milliseconds on a worker thread, holding no lock
    if (!(await verifyPassword(known?.passwordHash ?? null, password))) throw new GatewayError('INVALID_CREDENTIALS', 'the email or the password is wrong');
    return this.deps.db.transaction(async (tx) => {
      await noteSignedIn(tx, known!.agentId, now);
      return this.open(tx, known!.agentId, userAgent, now);
    });
  }

  /**
   * Failed sign-ins with an email no one signs in with, counted like an account's, so that a pause tells
   * nothing about whether the email exists. In memory: at most UNKNOWN_LIMIT emails, the oldest forgotten.
   */
  private readonly unknown = new Map<string, { failed: number; until: Date | null }>();

  private unknownAttempt(email: string, now: Date): number | null {
    const key = unknownKey(email);
    const seen = this.unknown.get(key) ?? { failed: 0, until: null };
    if (seen.until && seen.until > now) return null;
    seen.failed += 1;
    if (seen.failed >= FREE_TRIES) seen.until = pauseAfter(seen.failed, now);
    this.unknown.delete(key);
    this.unknown.set(key, seen);
    if (this.unknown.size > UNKNOWN_LIMIT) this.unknown.delete(this.unknown.keys().next().value!);
    return seen.failed;
  }

  /** The session of a cookie's token (its idle end moved on by use), or null when there is none. */
  async resolve(token: string): Promise<ActiveSession | null> {
    const now = this.deps.now();
    const session = await findActiveSession(this.deps.db.read, token, now);
    if (!session) return null;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      const expiresAt = this.expiryAt(session.createdAt, now);
      await this.deps.db.transaction((tx) => touchSession(tx, session.id, now, expiresAt));
      return { ...session, lastSeenAt: now, expiresAt };
    }
    return session;
  }

  async view(token: string, session: ActiveSession): Promise<SessionView> {
    const agent = await agentView(this.deps.db.read, session.agentId);
    if (!agent) throw new GatewayError('UNAUTHORIZED', 'the agent of this session is gone');
    return { agent, role: session.role, csrfToken: csrfTokenOf(token), expiresAt: session.expiresAt.toISOString() };
  }

  async signOut(sessionId: string): Promise<void> {
    const now = this.deps.now();
    await this.deps.db.transaction((tx) => revokeSession(tx, sessionId, now));
  }

  /** Ends every session of the agent, on every device; returns how many ended. */
  async signOutEverywhere(agentId: string): Promise<number> {
    const now = this.deps.now();
    return this.deps.db.transaction((tx) => revokeSessionsOf(tx, agentId, now));
  }

  /** A one-time link for the agent to set their password (an earlier open link stops working). */
  async invite(agentId: string, createdBy: string | null): Promise<{ url: string; expiresAt: string; emailedTo: string | null }> {
    const now = this.deps.now();
    const token = newSecret('inv');
    const expiresAt = new Date(now.getTime() + this.deps.config.invitationHours * 3_600_000);
    const agent = await this.deps.db.transaction(async (tx) => {
      const found = await agentById(tx, agentId);
      if (!found) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${agentId}`);
      if (!found.email) throw new GatewayError('AGENT_HAS_NO_EMAIL', `${found.name} has no email address to sign in with: set one first`);
      if (found.deactivatedAt) throw new GatewayError('AGENT_INACTIVE', `${found.name} is deactivated: reactivate them first`);
      await createInvitation(tx, { token, agentId, createdBy, expiresAt }, now);
      // the mail names who invited, when a person did
      const inviter = createdBy && !createdBy.startsWith('token:') ? ((await agentById(tx, createdBy))?.name ?? null) : null;
      return { name: found.name, email: found.email, inviter };
    });
    // in the fragment: browsers send it to no server, so it stays out of logs and Referer headers
    const url = `${this.deps.config.publicUrl}/console/#/invite/${token}`;
    this.deps.mailInvitation?.({ name: agent.name, email: agent.email, url, expiresAt, invitedBy: agent.inviter });
    return { url, expiresAt: expiresAt.toISOString(), emailedTo: this.deps.mailInvitation ? agent.email : null };
  }

  /** Whose password an invitation link sets, or 404 when it is unknown, used or out of date. */
  async invitation(token: string): Promise<{ name: string; email: string }> {
    const agentId = await invitationAgent(this.deps.db.read, token, this.deps.now());
    const agent = agentId ? await agentById(this.deps.db.read, agentId) : undefined;
    if (!agent?.email) throw invalidInvitation();
    return { name: agent.name, email: agent.email };
  }

  /** Sets the password through the link (once) and signs the agent in; their other sessions end. */
  async acceptInvitation(token: string, password: string, userAgent: string | null): Promise<OpenedSession> {
    const { email } = await this.invitation(token);
    const problem = passwordProblem(password, email);
    if (problem) throw new GatewayError('VALIDATION_FAILED', problem, [{ path: '/password', message: problem }]);
    const passwordHash = await hashPassword(password);
    const now = this.deps.now();
    return this.deps.db.transaction(async (tx) => {
      const agentId = await useInvitation(tx, token, now);
      if (!agentId) throw invalidInvitation();
      await setPassword(tx, agentId, passwordHash, now);
      await revokeSessionsOf(tx, agentId, now);
      return this.open(tx, agentId, userAgent, now);
    });
  }

  private async open(tx: Executor, agentId: string, userAgent: string | null, now: Date): Promise<OpenedSession> {
    const token = newSecret('ses');
    const expiresAt = this.expiryAt(now, now);
    await createSession(tx, { token, agentId, userAgent: userAgent?.slice(0, 300) ?? null, expiresAt }, now);
    const agent = await agentView(tx, agentId);
    if (!agent) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${agentId}`);
    return { token, view: { agent, role: agent.role as Role, csrfToken: csrfTokenOf(token), expiresAt: expiresAt.toISOString() } };
  }

  /** The idle end from now, never past the longest session counted from its start. */
  private expiryAt(createdAt: Date, now: Date): Date {
    const idle = now.getTime() + this.deps.config.sessionIdleMinutes * 60_000;
    const longest = createdAt.getTime() + this.deps.config.sessionMaxDays * 86_400_000;
    return new Date(Math.min(idle, longest));
  }

  /** How long the cookie may live: the longest session (the server ends it sooner when unused). */
  get cookieMaxAgeSeconds(): number {
    return this.deps.config.sessionMaxDays * 86_400;
  }
}

const invalidInvitation = () => new GatewayError('INVITATION_INVALID', 'this invitation link is unknown, used or out of date: ask an admin for a new one');
