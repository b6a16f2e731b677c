/**
 * Priority formula (1 critical … 4 low). Points are added up:
 *
 *   sentiment    −3 × sentiment                      (+3 furious … −3 delighted)
 *   frustrated   +1 when the frustration flag is set
 *   urgency      +0.75 × min(urgency score, 4)       ("urgent" 2, "asap" 2, "outage" 2.5, "emergency" 3)
 *   customer     +2 VIP; else tier: enterprise +1.5, premium/gold/business +1, others 0
 *   channel      chat +1, sms +0.75, slack +0.5, email 0   (someone waiting live goes first)
 *
 *   points ≥ 6 → 1 (critical)   ≥ 3 → 2 (high)   ≥ −1 → 3 (normal)   below −1 → 4 (low)
 *
 * A neutral e-mail from a standard customer is 0 points, priority 3. A routing rule that sets a priority
 * replaces the formula's value. On every new inbound message of an open case the priority is computed
 * again and the case keeps the more urgent of its current and the new value: a calm case that turns
 * angry goes up; a message never lowers it (lowering is an agent's decision). A resolved or closed case
 * that is reopened starts from the new value.
 */
import type { ChannelName } from '../channels/channel.types.ts';
import type { CaseState, Priority } from './rule.types.ts';

export const TIER_POINTS: Readonly<Record<string, number>> = {
  enterprise: 1.5,
  premium: 1,
  gold: 1,
  business: 1,
};
export const VIP_POINTS = 2;
export const CHANNEL_POINTS: Readonly<Record<ChannelName, number>> = { chat: 1, sms: 0.75, slack: 0.5, email: 0 };

export interface PriorityInput {
  sentiment: number;
  frustrated: boolean;
  urgency: number;
  channel: ChannelName;
  tier?: string | null;
  vip?: boolean;
  /** a rule's explicit priority, which replaces the formula */
  rulePriority?: Priority;
  /** the case this message belongs to, if it already exists */
  current?: { priority: Priority; state: CaseState };
}

export interface PriorityResult {
  priority: Priority;
  points: number;
  explanation: string[];
}

function fromPoints(points: number): Priority {
  if (points >= 6) return 1;
  if (points >= 3) return 2;
  if (points >= -1) return 3;
  return 4;
}

const round = (n: number): number => Math.round(n * 100) / 100;

export function computePriority(input: PriorityInput): PriorityResult {
  const sentiment = round(-3 * input.sentiment);
  const frustration = input.frustrated ? 1 : 0;
  const urgency = round(0.75 * Math.min(Math.max(input.urgency, 0), 4));
  const tier = input.tier ? input.tier.toLowerCase() : '';
  const customer = input.vip ? VIP_POINTS : (TIER_POINTS[tier] ?? 0);
  const channel = CHANNEL_POINTS[input.channel];
  const points = round(sentiment + frustration + urgency + customer + channel);
  const explanation = [
    `points ${points} = sentiment ${sentiment} + frustration ${frustration} + urgency ${urgency} + ` +
      `customer ${customer}${input.vip ? ' (VIP)' : tier ? ` (${tier})` : ''} + channel ${channel} (${input.channel})`,
  ];
  let priority = fromPoints(points);
  explanation.push(`formula → P${priority}`);
  if (input.rulePriority !== undefined) {
    priority = input.rulePriority;
    explanation.push(`rule sets P${priority}`);
  }
  const current = input.current;
  if (current && current.state !== 'resolved' && current.state !== 'closed') {
    if (current.priority < priority) {
      explanation.push(`case already P${current.priority}; a new message never lowers it`);
      priority = current.priority;
    } else if (current.priority > priority) {
      explanation.push(`case raised from P${current.priority} to P${priority}`);
    }
  } else if (current && (current.state === 'resolved' || current.state === 'closed')) {
    explanation.push(`case was ${current.state}: reopened at P${priority}`);
  }
  return { priority, points, explanation };
}
