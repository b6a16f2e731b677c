/**
 * Who a Slack user is: their profile (cached, users.info) and the agent behind them, found by the
 * linked Slack user id or, failing that, by the profile's email address (which then links them).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AgentDesk, DeskActor } from '../agent-desk.types.ts';
import { describeSlackError, type SlackApi, type SlackProfile } from './slack-api.ts';

export interface SlackUsersOptions {
  api: Pick<SlackApi, 'userInfo'>;
  desk: Pick<AgentDesk, 'agentByExternalUser'>;
  log: FastifyBaseLogger;
  now: () => number;
}

/** how long a profile is reused */
const PROFILE_TTL_MS = 10 * 60_000;
/** how long a failed lookup is not repeated */
const FAILURE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

export class SlackUsers {
  private readonly cache = new Map<string, { profile: SlackProfile | null; until: number }>();
  private readonly pending = new Map<string, Promise<SlackProfile | null>>();

  constructor(private readonly o: SlackUsersOptions) {}

  /** The profile, or null when Slack does not say (unknown user, API down: logged). */
  async profile(userId: string): Promise<SlackProfile | null> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > this.o.now()) return hit.profile;
    const inFlight = this.pending.get(userId);
    if (inFlight) return inFlight;
    const lookup = this.fetch(userId).finally(() => this.pending.delete(userId));
    this.pending.set(userId, lookup);
    return lookup;
  }

  /** The agent behind a Slack user, or null for anyone else. */
  async agentFor(userId: string): Promise<DeskActor | null> {
    const linked = await this.o.desk.agentByExternalUser(userId);
    if (linked) return linked;
    const profile = await this.profile(userId);
    return profile?.email ? this.o.desk.agentByExternalUser(userId, profile.email) : null;
  }

  private async fetch(userId: string): Promise<SlackProfile | null> {
    let profile: SlackProfile | null = null;
    let ttl = PROFILE_TTL_MS;
    try {
      profile = await this.o.api.userInfo(userId);
    } catch (err) {
      ttl = FAILURE_TTL_MS;
      this.o.log.warn({ userId, reason: describeSlackError(err) }, 'slack: users.info failed');
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(userId, { profile, until: this.o.now() + ttl });
    return profile;
  }
}
