/**
 * Which SLA policy a case falls under, and the terms it sets: policies are tried in order and the first
 * whose every listed condition holds wins (each list is "any of"). Pure, with an explanation of the choice.
 */
import { Duration } from 'luxon';
import type { SlaTarget, SlaTerms } from './sla-clocks.ts';

export interface SlaMatch {
  priority?: number[];
  channel?: string[];
  queue?: string[];
  category?: string[];
  /** the case has any of these tags */
  tags?: string[];
  tier?: string[];
  vip?: boolean;
}

export type EscalationAction =
  /** raise the priority to this (1 is the highest); a case already higher keeps its priority */
  | { type: 'priority'; value: number }
  | { type: 'tag'; value: string }
  /** move to the queue of this name */
  | { type: 'queue'; value: string }
  /** an agent's id, or "supervisor": a supervisor of the case's queue */
  | { type: 'assign'; value: string }
  /**
   * tell people: the queue's Slack channel (or `to`, a channel id or a person's Slack user id), the agents'
   * consoles, or an email to the address in `to` (sent through the outbox as a notice, never as an answer)
   */
  | { type: 'notify'; channel: NotifyChannel; to?: string };

export type NotifyChannel = 'slack' | 'console' | 'email';

export interface Escalation {
  when: 'warning' | 'breach';
  target: SlaTarget | 'any';
  actions: EscalationAction[];
}

/** The case's own business calendar: its account's when the account has one, else its queue's, else the default. */
export const CASE_CALENDAR = 'case';

export interface SlaPolicy {
  id: string;
  name: string;
  /** a disabled policy is kept but never selected */
  enabled?: boolean;
  match: SlaMatch;
  /** the calendar the clocks run on: a calendar's id, `case` (CASE_CALENDAR), or null for calendar time */
  calendar: string | null;
  /** ISO 8601 durations */
  targets: Partial<Record<SlaTarget, string>>;
  /** an ISO 8601 duration, or a share of the target as "25%"; null: no warning */
  warnBefore: string | null;
  pauseStates: string[];
  escalations: Escalation[];
}

/** What a policy's conditions look at. */
export interface SlaCaseFacts {
  priority: number;
  channel: string;
  queue: string;
  category: string | null;
  tags: readonly string[];
  tier: string;
  vip: boolean;
}

const lower = (v: readonly string[]) => v.map((s) => s.toLowerCase());

/** The first policy whose conditions all hold, with one line per policy tried saying why it did or did not apply. */
export function selectPolicy(policies: readonly SlaPolicy[], facts: SlaCaseFacts): { policy: SlaPolicy | null; trace: string[] } {
  const trace: string[] = [];
  for (const p of policies) {
    if (p.enabled === false) {
      trace.push(`${p.name}: disabled`);
      continue;
    }
    const misses = missedConditions(p.match, facts);
    if (misses.length === 0) {
      trace.push(`${p.name}: applies`);
      return { policy: p, trace };
    }
    trace.push(`${p.name}: ${misses.join('; ')}`);
  }
  return { policy: null, trace };
}

function missedConditions(m: SlaMatch, f: SlaCaseFacts): string[] {
  const misses: string[] = [];
  if (m.priority && !m.priority.includes(f.priority)) misses.push(`priority ${f.priority} not in [${m.priority.join(', ')}]`);
  if (m.channel && !lower(m.channel).includes(f.channel.toLowerCase())) misses.push(`channel ${f.channel} not in [${m.channel.join(', ')}]`);
  if (m.queue && !lower(m.queue).includes(f.queue.toLowerCase())) misses.push(`queue ${f.queue} not in [${m.queue.join(', ')}]`);
  if (m.category && !(f.category && lower(m.category).includes(f.category.toLowerCase()))) misses.push(`category ${f.category ?? 'none'} not in [${m.category.join(', ')}]`);
  if (m.tags && !lower(f.tags).some((t) => lower(m.tags!).includes(t))) misses.push(`no tag of [${m.tags.join(', ')}]`);
  if (m.tier && !lower(m.tier).includes(f.tier.toLowerCase())) misses.push(`tier ${f.tier} not in [${m.tier.join(', ')}]`);
  if (m.vip !== undefined && m.vip !== f.vip) misses.push(`vip is ${f.vip}`);
  return misses;
}

/** An ISO 8601 duration in milliseconds; null when it is not one, or has months or years (no fixed length), or is negative. */
export function durationMs(text: string): number | null {
  const d = Duration.fromISO(text);
  if (!d.isValid || d.years || d.quarters || d.months) return null;
  const ms = d.toMillis();
  return ms >= 0 ? ms : null;
}

/** A warning lead: "PT10M", or "25%" of each target. Null when it is neither. */
export function parseWarnBefore(text: string): SlaTerms['warnBefore'] {
  const share = /^(\d{1,2}(?:\.\d+)?)%$/.exec(text);
  if (share) return Number(share[1]) > 0 ? { fraction: Number(share[1]) / 100 } : null;
  const ms = durationMs(text);
  return ms === null || ms === 0 ? null : { ms };
}

/** The clock terms a policy sets (its durations already checked when it was saved). */
export function termsOf(policy: SlaPolicy): SlaTerms {
  const targets: SlaTerms['targets'] = {};
  for (const [target, text] of Object.entries(policy.targets) as Array<[SlaTarget, string]>) {
    const ms = durationMs(text);
    if (ms !== null) targets[target] = ms;
  }
  return { targets, pauseStates: policy.pauseStates, warnBefore: policy.warnBefore ? parseWarnBefore(policy.warnBefore) : null };
}
