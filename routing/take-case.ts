/**
 * Whether an agent may take a case now: by claiming it, or by answering it while nobody has it. The same
 * rules as an offer, except presence (someone taking work is evidently at work): never a case someone
 * else holds or is offered, never one outside the agent's queues or skills, never past their capacity.
 * Pure: the case's facts and the agent's snapshot in, a coded refusal (or null) out.
 */
import type { ChannelName } from '../channels/channel.types.ts';
import { whyIneligible, type AgentSnapshot } from './pick-agent.ts';

export interface TakeFacts {
  number: string;
  assigneeId: string | null;
  offeredToId: string | null;
  queue: string;
  alsoQueues?: string[];
  channel: ChannelName;
  requiredSkills: string[];
}

export interface TakeRefusal {
  code: 'CASE_NOT_CLAIMABLE' | 'NOT_ELIGIBLE';
  message: string;
}

export function whyCannotTake(c: TakeFacts, me: AgentSnapshot, nameOf: (agentId: string) => string): TakeRefusal | null {
  if (c.assigneeId && c.assigneeId !== me.id) return { code: 'CASE_NOT_CLAIMABLE', message: `${c.number} is already assigned to ${nameOf(c.assigneeId)}` };
  if (c.offeredToId && c.offeredToId !== me.id) return { code: 'CASE_NOT_CLAIMABLE', message: `${c.number} is offered to ${nameOf(c.offeredToId)}` };
  const why = whyIneligible(me, c, { ignorePresence: true, holding: c.offeredToId === me.id });
  return why ? { code: 'NOT_ELIGIBLE', message: `you cannot take ${c.number}: ${why}` } : null;
}
