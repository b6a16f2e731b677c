/**
 * Chooses the agent a case is offered to, from a snapshot of the queue's agents. Only online agents get
 * offers; an agent must belong to the queue, hold every required skill, have room on the case's channel,
 * and not be on the case's exclusion list (agents who let an offer for it lapse or declined it). When
 * every agent who could take it is on that list, a new round starts and the list is ignored, so a case
 * never waits forever for an agent who is right there. A reopened case goes back to its previous agent
 * when that agent passes the same checks. Then, by strategy:
 *   round_robin   the longest idle agent (never assigned first, then oldest lastAssignedAt)
 *   least_loaded  the fewest open cases, ties to the longest idle
 *   best_skilled  the highest level in the case's required skills, then the fewest open cases (without
 *                 required skills: as least_loaded)
 *   manual        nobody: agents pull from the queue
 */
import type { ChannelName } from '../channels/channel.types.ts';

export type Strategy = 'round_robin' | 'least_loaded' | 'best_skilled' | 'manual';
/** only `online` agents get offers */
export type Presence = 'online' | 'busy' | 'break' | 'away' | 'offline';

export interface AgentSnapshot {
  id: string;
  /** for explanations people read */
  name?: string;
  presence: Presence;
  skills: string[];
  /** level 1 to 5 per skill (lower case); a skill without one is 3 */
  skillLevels?: Record<string, number>;
  /** queue names; absent or empty = every queue */
  queues?: string[];
  /** concurrent cases: one number for all channels together, or a limit per channel (absent channel = 0) */
  capacity: number | Partial<Record<ChannelName, number>>;
  /** open cases assigned now, per channel */
  load: Partial<Record<ChannelName, number>>;
  lastAssignedAt: Date | null;
  /** no offers before this: the wrap-up after a resolved case */
  wrapUpUntil?: Date | null;
}

export interface PickAgentInput {
  queue: string;
  alsoQueues?: string[];
  strategy: Strategy;
  channel: ChannelName;
  requiredSkills: string[];
  agents: AgentSnapshot[];
  previousAgentId?: string | null;
  excludedAgentIds?: string[];
  /** the moment of the decision (wrap-ups end) */
  now?: Date;
}

export interface PickAgentResult {
  agentId: string | null;
  /** true when everyone eligible had been excluded and the exclusions were dropped for a new round */
  newRound: boolean;
  trace: string[];
}

function totalLoad(a: AgentSnapshot): number {
  return Object.values(a.load).reduce<number>((s, n) => s + (n ?? 0), 0);
}

export interface EligibilityNeed {
  queue: string;
  /** queues whose agents may take the case too (an overflow step widened it) */
  alsoQueues?: string[];
  channel: ChannelName;
  requiredSkills: string[];
}

/**
 * Why this agent cannot take a case now, or null if they can. `ignorePresence` is for an agent pulling a
 * case themselves: they are evidently at work whatever their status says. `holding`: the agent holds the
 * case's offer already, which counts in their load; the question is then whether they may keep it.
 */
export function whyIneligible(a: AgentSnapshot, need: EligibilityNeed, opts: { ignorePresence?: boolean; holding?: boolean; now?: Date } = {}): string | null {
  if (!opts.ignorePresence && a.presence !== 'online') return `${a.presence}`;
  // someone taking work themselves is past their wrap-up; one who holds an offer already was offered it after theirs
  if (!opts.ignorePresence && !opts.holding && opts.now && a.wrapUpUntil && a.wrapUpUntil > opts.now) return `wrapping up until ${a.wrapUpUntil.toISOString()}`;
  if (a.queues && a.queues.length > 0 && !a.queues.includes(need.queue) && !(need.alsoQueues ?? []).some((q) => a.queues!.includes(q))) {
    return `not in queue ${[need.queue, ...(need.alsoQueues ?? [])].join(' or ')}`;
  }
  const have = new Set(a.skills.map((s) => s.toLowerCase()));
  const missing = need.requiredSkills.filter((s) => !have.has(s.toLowerCase()));
  if (missing.length > 0) return `missing skills ${missing.join(', ')}`;
  const held = opts.holding ? 1 : 0;
  if (typeof a.capacity === 'number') {
    const used = totalLoad(a) - held;
    if (used >= a.capacity) return `at capacity (${used}/${a.capacity} cases)`;
  } else {
    const cap = a.capacity[need.channel] ?? 0;
    const used = (a.load[need.channel] ?? 0) - held;
    if (used >= cap) return `at ${need.channel} capacity (${used}/${cap})`;
  }
  return null;
}

/** Whether the agent could take one more case of some kind now: online, not wrapping up, below capacity on some channel. */
export function hasRoom(a: AgentSnapshot, now: Date): boolean {
  if (a.presence !== 'online' || (a.wrapUpUntil && a.wrapUpUntil > now)) return false;
  if (typeof a.capacity === 'number') return totalLoad(a) < a.capacity;
  return Object.entries(a.capacity).some(([channel, cap]) => (a.load[channel as ChannelName] ?? 0) < (cap ?? 0));
}

/** The level of a skill an agent has without a stated one. */
export const DEFAULT_SKILL_LEVEL = 3;

/** How a trace names an agent: by name when known. */
const named = (a: AgentSnapshot): string => a.name ?? a.id;

const idleRank = (a: AgentSnapshot): number => (a.lastAssignedAt ? a.lastAssignedAt.getTime() : -Infinity);

function byIdle(a: AgentSnapshot, b: AgentSnapshot): number {
  return idleRank(a) - idleRank(b) || a.id.localeCompare(b.id);
}

export function pickAgent(input: PickAgentInput): PickAgentResult {
  const trace: string[] = [];
  if (input.strategy === 'manual') {
    trace.push(`queue ${input.queue} is manual: agents pull cases, nobody is offered one`);
    return { agentId: null, newRound: false, trace };
  }

  const excluded = new Set(input.excludedAgentIds ?? []);
  const available: AgentSnapshot[] = [];
  for (const a of input.agents) {
    const why = whyIneligible(a, input, { now: input.now });
    if (why) trace.push(`${named(a)}: skipped, ${why}`);
    else available.push(a);
  }
  let eligible = available.filter((a) => !excluded.has(a.id));
  for (const a of available) if (excluded.has(a.id)) trace.push(`${named(a)}: skipped, let an offer of this case lapse, declined or released it`);
  let newRound = false;
  if (eligible.length === 0 && available.length > 0) {
    trace.push('every available agent already had this case: starting a new round');
    eligible = available;
    newRound = true;
  }

  if (input.previousAgentId) {
    const prev = eligible.find((a) => a.id === input.previousAgentId);
    if (prev) {
      trace.push(`${named(prev)}: previous agent of this case and available`);
      return { agentId: prev.id, newRound, trace };
    }
    const known = input.agents.find((a) => a.id === input.previousAgentId);
    trace.push(`${known ? named(known) : input.previousAgentId}: previous agent not available, choosing by ${input.strategy}`);
  }

  if (eligible.length === 0) {
    trace.push('no agent can take the case now: it waits in the queue');
    return { agentId: null, newRound, trace };
  }

  let chosen: AgentSnapshot;
  if (input.strategy === 'best_skilled' && input.requiredSkills.length > 0) {
    const level = (a: AgentSnapshot) => input.requiredSkills.reduce((sum, s) => sum + (a.skillLevels?.[s.toLowerCase()] ?? DEFAULT_SKILL_LEVEL), 0);
    chosen = [...eligible].sort((a, b) => level(b) - level(a) || totalLoad(a) - totalLoad(b) || byIdle(a, b))[0]!;
    const levels = input.requiredSkills.map((s) => `${s} ${chosen.skillLevels?.[s.toLowerCase()] ?? DEFAULT_SKILL_LEVEL}`).join(', ');
    trace.push(`${named(chosen)}: best skilled (${levels}), then fewest open cases (${totalLoad(chosen)})`);
  } else if (input.strategy === 'least_loaded' || input.strategy === 'best_skilled') {
    chosen = [...eligible].sort((a, b) => totalLoad(a) - totalLoad(b) || byIdle(a, b))[0]!;
    trace.push(`${named(chosen)}: fewest open cases (${totalLoad(chosen)})`);
  } else {
    chosen = [...eligible].sort(byIdle)[0]!;
    trace.push(
      `${named(chosen)}: idle longest (${chosen.lastAssignedAt ? `last assigned ${chosen.lastAssignedAt.toISOString()}` : 'never assigned'})`,
    );
  }
  return { agentId: chosen.id, newRound, trace };
}
