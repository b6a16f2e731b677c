import type { ChannelName } from '../channels/channel.types.ts';

export interface RouteRequest {
  channel: ChannelName;
  from: string;
  subject?: string;
  text: string;
  contact: { name: string | null; email: string | null; phone: string | null; tier: string; vip: boolean; accountName: string | null };
  case: { number: string; state: string; priority: number; tags: string[]; inboundCount: number; createdAt: Date } | null;
  now: Date;
}

export interface RouteResult {
  queue: string;
  priority: number;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string[];
  requiredSkills: string[];
  autoReplyTemplate?: string;
  trace: unknown[];
}

/** Decides queue and priority for a message; the rule set behind it can be swapped while running. */
export interface RoutingEngine {
  route(req: RouteRequest): RouteResult;
}

export const defaultQueueEngine: RoutingEngine = {
  route: () => ({
    queue: 'General',
    priority: 3,
    category: null,
    sentiment: 0,
    frustrated: false,
    tags: [],
    requiredSkills: [],
    trace: [{ step: 'default', detail: 'no rules loaded: default queue' }],
  }),
};
