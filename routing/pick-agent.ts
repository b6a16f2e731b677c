/**
 * Chooses the agent a case is offered to, from a snapshot of the queue's agents. Only online agents get
 * offers; an agent must belong to the queue, hold every required skill, have room on the case's channel,
 * and not be on the case's exclusion list (agents who let an offer for it time out). A reopened case goes
 * back to its previous agent when that agent passes the same checks. Then, by strategy:
 *   round_robin   the longest idle agent (never assigned first, then oldest lastAssignedAt)
 *   least_loaded  the fewest open cases, ties to the longest idle
 *   manual        nobody: agents pull from the queue
 */
import type { ChannelName } from '../channels/channel.types.ts';

export type Strategy = 'round_robin' | 'least_loaded' | 'manual';
export type Presence = 'online' | 'away' | 'offline';

export interface AgentSnapshot {
  id: string;
  presence: Presence;
  skills: string[];
  /** queue names; absent or empty = every queue */
  queues?: string[];
  /** concurrent cases: one number for all channels together, or a limit per channel (absent channel = 0) */
  capacity: number | Partial<Record<ChannelName, number>>;
  /** open cases assigned now, per channel */
  load: Partial<Record<ChannelName, number>>;
  lastAssignedAt: Date | null;
}

export interface PickAgentInput {
  queue: string;
  strategy: Strategy;
  channel: ChannelName;
  requiredSkills: string[];
  agents: AgentSnapshot[];
  previousAgentId?: string | null;
  excludedAgentIds?: string[];
}

export interface PickAgentResult {
  agentId: string | null;
  trace: string[];
}

function totalLoad(a: AgentSnapshot): number {
  return Object.values(a.load).reduce<number>((s, n) => s + (n ?? 0), 0);
}

/** Why this agent cannot take the case now, or null if they can. */
function ineligibility(a: AgentSnapshot, input: PickAgentInput): string | null {
  if (a.presence !== 'online') return `${a.presence}`;
  if (input.excludedAgentIds?.includes(a.id)) return 'let an offer for this case time out';
  if (a.queues && a.queues.length > 0 && !a.queues.includes(input.queue)) return `not in queue ${input.queue}`;
  const have = new Set(a.skills.map((s) => s.toLowerCase()));
  const missing = input.requiredSkills.filter((s) => !have.has(s.toLowerCase()));
  if (missing.length > 0) return `missing skills ${missing.join(', ')}`;
  if (typeof a.capacity === 'number') {
    const used = totalLoad(a);
    if (used >= a.capacity) return `at capacity (${used}/${a.capacity} cases)`;
  } else {
    const cap = a.capacity[input.channel] ?? 0;
    const used = a.load[input.channel] ?? 0;
    if (used >= cap) return `at ${input.channel} capacity (${used}/${cap})`;
  }
  return null;
}

const idleRank = (a: AgentSnapshot): number => (a.lastAssignedAt ? a.lastAssignedAt.getTime() : -Infinity);

function byIdle(a: AgentSnapshot, b: AgentSnapshot): number {
  return idleRank(a) - idleRank(b) || a.id.localeCompare(b.id);
}

export function pickAgent(input: PickAgentInput): PickAgentResult {
  const trace: string[] = [];
  if (input.strategy === 'manual') {
    trace.push(`queue ${input.queue} is manual: agents pull cases, nobody is offered one`);
    return { agentId: null, trace };
  }

  const eligible: AgentSnapshot[] = [];
  for (const a of input.agents) {
    const why = ineligibility(a, input);
    if (why) trace.push(`${a.id}: skipped, ${why}`);
    else eligible.push(a);
  }

  if (input.previousAgentId) {
    const prev = eligible.find((a) => a.id === input.previousAgentId);
    if (prev) {
      trace.push(`${prev.id}: previous agent of this case and available`);
      return { agentId: prev.id, trace };
    }
    trace.push(`${input.previousAgentId}: previous agent not available, choosing by ${input.strategy}`);
  }

  if (eligible.length === 0) {
    trace.push('no agent can take the case now: it waits in the queue');
    return { agentId: null, trace };
  }

  let chosen: AgentSnapshot;
  if (input.strategy === 'least_loaded') {
    chosen = [...eligible].sort((a, b) => totalLoad(a) - totalLoad(b) || byIdle(a, b))[0]!;
    trace.push(`${chosen.id}: fewest open cases (${totalLoad(chosen)})`);
  } else {
    chosen = [...eligible].sort(byIdle)[0]!;
    trace.push(
      `${chosen.id}: idle longest (${chosen.lastAssignedAt ? `last assigned ${chosen.lastAssignedAt.toISOString()}` : 'never assigned'})`,
    );
  }
  return { agentId: chosen.id, trace };
}
